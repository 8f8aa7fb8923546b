"""A member's own vote record: for each poll of a meeting, whether the member's vote was cast,
when (named polls only: a secret poll keeps no time), by whom and through which credential
(their own sign-in, an access link, or a token, and who issued it). A delegate reads it for
their own member (GET /meetings/{id}/vote-record), so that a vote cast in their name with a
token the secretariat issued is noticed by the person it was cast for. Never the choice.

The trail keeps the same per poll: at closing, `poll.credentials` lists each participation's
member, caster and credential, ordered by member (no time, no order of arrival, no choice).
"""
from __future__ import annotations

from sqlalchemy import select

from governance.auth.models import AccessToken, User
from governance.extensions import db
from voting.models import Ballot, Participation, Poll


def credential_view(kind: str | None, token: AccessToken | None, users: dict[int, User]) -> dict:
    issuer = users.get(token.created_by_id) if token is not None and token.created_by_id else None
    return {"kind": kind or "unknown", "token_id": token.id if token is not None else None,
            "token_label": token.label if token is not None else None,
            "issued_by": {"id": issuer.id, "name": issuer.name} if issuer is not None else None}


def polls_of(meeting_id: int) -> list[Poll]:
    return list(db.session.scalars(select(Poll).where(Poll.meeting_id == meeting_id)
                                    .order_by(Poll.opened_at, Poll.id)))


def member_record(polls: list[Poll], member_id: int) -> list[dict]:
    """One entry per poll (the caller filters the polls it may see)."""
    poll_ids = [poll.id for poll in polls]
    if not poll_ids:
        return []
    taken = {p.poll_id: p for p in db.session.scalars(select(Participation).where(
        Participation.poll_id.in_(poll_ids), Participation.member_id == member_id))}
    times = dict(db.session.execute(select(Ballot.poll_id, Ballot.cast_at).where(
        Ballot.poll_id.in_(poll_ids), Ballot.member_id == member_id)).all())  # named polls only
    # looked up by optional ids (a participation may name neither): .get(None) finds nothing
    tokens: dict[int | None, AccessToken] = {t.id: t for t in db.session.scalars(select(AccessToken).where(
        AccessToken.id.in_({p.credential_token_id for p in taken.values() if p.credential_token_id})))}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        {p.cast_by_id for p in taken.values() if p.cast_by_id}
        | {t.created_by_id for t in tokens.values() if t.created_by_id})))}
    record = []
    for poll in polls:
        participation = taken.get(poll.id)
        entry = {"poll_id": poll.id, "motion_id": poll.motion_id, "motion_title": poll.motion.title,
                 "round": poll.round, "secret": poll.secret, "status": poll.status, "opened_at": poll.opened_at,
                 "closed_at": poll.closed_at, "cast": participation is not None, "cast_at": None,
                 "cast_by": None, "credential": None}
        if participation is not None:
            caster = people.get(participation.cast_by_id) if participation.cast_by_id is not None else None
            entry.update(cast_at=None if poll.secret else times.get(poll.id),
                         cast_by={"id": caster.id, "name": caster.name} if caster is not None else None,
                         credential=credential_view(participation.credential,
                                                    tokens.get(participation.credential_token_id), people))
        record.append(entry)
    return record


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
