"""The seals of a closed poll: digests of its ballots and of who took part (pure, no database).

Written into the `poll.closed` audit event at closing, and published with the result, so that
a recount can show the ballots and the roll-call are those counted. A writer can recompute a
digest over changed ballots, but not the audit event that holds the original: the chain (and
its anchors outside the database, or its key) protects that.

Schemes (the event's `digest_scheme`; absent means 1):

- **1**, polls closed before the canonical form: SHA-256 over the lines
  ``"{receipt}\\t{choice}\\n"`` of the ballots sorted by (receipt, choice).
- **2**: SHA-256 over the canonical JSON (`governance.audit.chain.canonical_json`) of
  ``{"poll": id, "ballots": [[receipt, choice, member_id, cast_at], ...]}`` sorted by receipt,
  `member_id` and `cast_at` (UTC, `chain.canonical_time`) null for a secret ballot. A named
  ballot's member is thus sealed with its choice: an edited roll-call shows.

The participations digest (scheme 2 only) covers ``{"poll": id, "participations":
[[member_id, cast_by_id], ...]}`` sorted by member: who voted, and which delegate cast the
member's vote ("voted by").
"""
import hashlib
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter

from governance.audit.chain import canonical_json, canonical_time

LEGACY_DIGEST, DIGEST_SCHEME = 1, 2


def ballots_digest_v1(rows: Iterable[tuple[str, str]]) -> str:
    hasher = hashlib.sha256()
    for receipt, choice in sorted(rows):
        hasher.update(f"{receipt}\t{choice}\n".encode())
    return hasher.hexdigest()


def cast_time(moment: datetime | str | None) -> str | None:
    """A named ballot's time as sealed: canonical UTC text (already-canonical text passes)."""
    if moment is None or isinstance(moment, str):
        return moment
    return canonical_time(moment)


def ballots_digest(poll_id: int, ballots: Iterable[tuple[str, str, int | None, datetime | str | None]]) -> str:
    """Scheme 2 over (receipt, choice, member_id, cast_at) rows."""
    rows = sorted(([receipt, choice, member_id, cast_time(cast_at)] for receipt, choice, member_id, cast_at
                   in ballots), key=itemgetter(0))
    return hashlib.sha256(canonical_json({"poll": poll_id, "ballots": rows}).encode()).hexdigest()


def participations_digest(poll_id: int, participations: Iterable[tuple[int, int | None]]) -> str:
    rows = sorted(([member_id, cast_by_id] for member_id, cast_by_id in participations), key=itemgetter(0))
    return hashlib.sha256(canonical_json({"poll": poll_id, "participations": rows}).encode()).hexdigest()


def digest_for(scheme: int, poll_id: int, ballots: list[tuple[str, str, int | None, datetime | str | None]]) -> str:
    """The ballots' digest in the scheme a poll was sealed with."""
    if scheme == LEGACY_DIGEST:
        return ballots_digest_v1((receipt, choice) for receipt, choice, _, _ in ballots)
    return ballots_digest(poll_id, ballots)
