"""Closed-session decisions stay inside until the secretariat publishes them.

What an adoption in a closed session changes (the next host, a member's status, the
organisation's logo, the agenda lock, and whatever a later kind of motion adds) is kept as
it is in the tables, for those who may see that closed session; everyone else reads the
value as it stood before, kept here as a `WithheldChange`, until the secretariat publishes
the meeting's closed-session decisions (`publish`). The one place that knows "the effects
of a decision and their public value": `EFFECTS` names the kinds, `withhold` records one,
`shown` / `shown_many` answer what a reader sees.

Rules:
- a change by a closed-session decision is withheld (its public value: the value before it);
- a public change of the same thing (an open-session decision, the secretariat's own edit)
  supersedes what was withheld about it: everyone knows the new value;
- a reader who may not see the closed session of a meeting with a withheld change of a
  thing sees the public value of the earliest such change (the value before anything they
  may not know of).
"""
from governance.publication.operations import (
                                               EFFECTS,
                                               meetings_withholding,
                                               publish,
                                               published_at,
                                               shown,
                                               shown_data,
                                               shown_many,
                                               superseded,
                                               withhold,
)

__all__ = ["EFFECTS", "meetings_withholding", "publish", "published_at", "shown", "shown_data", "shown_many",
           "superseded", "withhold"]
