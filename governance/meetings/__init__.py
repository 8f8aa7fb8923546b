"""Meetings, their sessions and agenda, participants and attendance.

- `models`; `operations` (setting up and running a meeting), `corrections` (deletions, each
  while nothing depends on it), `copying`, `importing`, `queries`;
- `dependents` + `signals`: what depends on a thing of a meeting and whether its record is
  closed, answered by the packages above (each connects in its own `init_app`);
- `api`: /api/v1/meetings...
"""


def init_app(app) -> None:
    """The meetings API, and governance's own answers to what depends on a thing of a meeting
    (its items, its check-ins, documents and requests to speak)."""
    from governance.extensions import api
    from governance.meetings import corrections, models  # noqa: F401  (models: tables)
    from governance.meetings.api import blp
    from governance.meetings.signals import what_depends_on
    api.register_blueprint(blp)
    what_depends_on["session"].connect(corrections.items_of, weak=False)
    what_depends_on["item"].connect(corrections.being_current, weak=False)
    what_depends_on["item"].connect(corrections.documents_and_speakers, weak=False)
    what_depends_on["participant"].connect(corrections.stays_of, weak=False)
    what_depends_on["participant"].connect(corrections.requests_to_speak, weak=False)
    what_depends_on["meeting"].connect(corrections.what_happened, weak=False)
    what_depends_on["meeting"].connect(corrections.documents_and_speakers_of, weak=False)
