"""Recounting every closed poll from its stored ballots (`excom audit recount`).

The published result of a poll is recomputed from the ballot box with the electorate
recorded when it closed, and the ballots are checked against the digest written into the
result and the audit trail at closing. Any difference is reported, never repaired.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from governance.extensions import db
from voting import results, secrecy
from voting.models import Ballot, Participation, Poll
from voting.operations import poll_result

# what a recount must reproduce exactly
_COMPARED = ("status", "counts", "cast", "abstain", "threshold", "winner", "eliminated", "next_round")


@dataclass(frozen=True)
class Recount:
    poll_id: int
    problems: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return not self.problems


def recount_poll(poll: Poll) -> Recount:
    published = poll.result or {}
    problems = []
    rows = [(r, c) for r, c in db.session.execute(select(Ballot.receipt, Ballot.choice)
                                                  .where(Ballot.poll_id == poll.id))]
    if secrecy.ballots_digest(rows) != poll.ballots_digest:
        problems.append("the ballots are not those counted at closing (digest differs)")
    voters = db.session.scalar(select(func.count()).select_from(Participation)
                               .where(Participation.poll_id == poll.id))
    if voters != len(rows):
        problems.append(f"{voters} members took part but the box holds {len(rows)} ballots")
    electorate = results.Electorate(eligible=poll.eligible_count, present=published.get("present", 0),
                                    quorate=published.get("quorate", False))
    try:
        again = poll_result(poll, electorate, published.get("casting_vote"))
    except Exception as error:  # a ballot the rules cannot read is itself a finding
        return Recount(poll.id, (*problems, f"the ballots cannot be counted: {error}"))
    for key in _COMPARED:
        if again.get(key) != published.get(key):
            problems.append(f"{key}: published {published.get(key)!r}, recounted {again.get(key)!r}")
    return Recount(poll.id, tuple(problems))


def recount_all() -> list[Recount]:
    polls = db.session.scalars(select(Poll).where(Poll.status == "closed").order_by(Poll.id))
    return [recount_poll(poll) for poll in polls]
