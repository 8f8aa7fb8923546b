"""A member's own vote record: for each poll of a meeting, whether the member's vote was cast,
when (named polls only: a secret poll keeps no time), by whom and through which credential
(their own sign-in, an access link, or a token, and who issued it). A delegate reads it for
their own member (GET /meetings/{id}/vote-record), so that a vote cast in their name with a
token the secretariat issued is noticed by the person it was cast for. Never the choice.

The trail keeps the same per poll: at closing, `poll.credentials` lists each participation's
member, caster and credential, ordered by member (no time, no order of arrival, no choice).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from governance.auth.models import AccessToken, User
from governance.extensions import db
from governance.registry.models import Member
from voting.models import Ballot, Participation, Poll


def polls_of(meeting_id: int) -> list[Poll]:
    return list(db.session.scalars(select(Poll).where(Poll.meeting_id == meeting_id)
                                    .order_by(Poll.opened_at, Poll.id)))


@dataclass(frozen=True)
class VoteRecordLine:
    """One poll in a member's vote record (voting.schemas.VoteRecordEntry dumps it): whether the
    member's vote was cast (`participation`), when (named polls only), by whom, and through which
    token (`token`, issued by `issuer`)."""

    poll: Poll
    participation: Participation | None = None
    cast_at: datetime | None = None
    cast_by: User | None = None
    token: AccessToken | None = None
    issuer: User | None = None


@dataclass(frozen=True)
class VoteRecord:
    member: Member
    polls: list[VoteRecordLine]


def member_record(polls: list[Poll], member: Member) -> VoteRecord:
    """One line per poll (the caller filters the polls it may see), in five queries whatever their number."""
    poll_ids = [poll.id for poll in polls]
    if not poll_ids:
        return VoteRecord(member, [])
    taken = {p.poll_id: p for p in db.session.scalars(select(Participation).where(
        Participation.poll_id.in_(poll_ids), Participation.member_id == member.id))}
    times = dict(db.session.execute(select(Ballot.poll_id, Ballot.cast_at).where(
        Ballot.poll_id.in_(poll_ids), Ballot.member_id == member.id)).all())  # named polls only
    # looked up by optional ids (a participation may name neither): .get(None) finds nothing
    tokens: dict[int | None, AccessToken] = {t.id: t for t in db.session.scalars(select(AccessToken).where(
        AccessToken.id.in_({p.credential_token_id for p in taken.values() if p.credential_token_id})))}
    people: dict[int | None, User] = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        {p.cast_by_id for p in taken.values() if p.cast_by_id}
        | {t.created_by_id for t in tokens.values() if t.created_by_id})))}
    lines = []
    for poll in polls:
        participation = taken.get(poll.id)
        if participation is None:
            lines.append(VoteRecordLine(poll))
            continue
        token = tokens.get(participation.credential_token_id)
        lines.append(VoteRecordLine(poll, participation, cast_at=None if poll.secret else times.get(poll.id),
                                    cast_by=people.get(participation.cast_by_id), token=token,
                                    issuer=people.get(token.created_by_id) if token is not None else None))
    return VoteRecord(member, lines)


def credentials_event(poll: Poll) -> dict:
    """The `after` of the trail's `poll.credentials` event: who cast each member's vote and
    through which credential, ordered by member; no time and no choice."""
    rows = db.session.execute(select(Participation.member_id, Participation.cast_by_id, Participation.credential,
                                     Participation.credential_token_id)
                              .where(Participation.poll_id == poll.id).order_by(Participation.member_id)).all()
    tokens = {t.id: t for t in db.session.scalars(select(AccessToken).where(
        AccessToken.id.in_({r.credential_token_id for r in rows if r.credential_token_id})))}
    return {"participations": [
        {"member_id": r.member_id, "cast_by_id": r.cast_by_id, "credential": r.credential,
         "token_id": r.credential_token_id,
         "issued_by_id": tokens[r.credential_token_id].created_by_id if r.credential_token_id in tokens else None}
        for r in rows]}
