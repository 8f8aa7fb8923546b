"""Sending invitations, printing links for the room, noting the first use of a link, revoking.

Each operation flushes and appends its audit event; the request boundary commits, and the
general outbox (governance.mail) sends the e-mail after that commit: an invitation whose
transaction is rolled back sends nothing, and its link never worked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from governance import mail, policy
from governance.audit.operations import record
from governance.auth import operations as auth_ops
from governance.dbtypes import utcnow
from governance.errors import invalid
from governance.extensions import db
from governance.invitations.calendar import meeting_events, sessions_calendar
from governance.invitations.letters import invitation_letter, recipient_language
from governance.invitations.links import issue_link
from governance.invitations.models import Invitation
from governance.meetings.models import Meeting, Participant
from governance.registry.models import Organisation

GROUPS = ("all", "excom_member", "observer_city", "observer_institution", "observer_media", "observer_corporate",
          "secretariat", "guest")
ICS_TYPE = "text/calendar"


def chosen(meeting: Meeting, *, group: str | None = None, user_ids: list[int] | None = None) -> list[Participant]:
    """The participants a desk action is for: a group ("all": everyone), or some people by user
    id, or both (the people of that group among those); active accounts only, by id. 422 when
    a user id is not a participant of this meeting."""
    participants = sorted(meeting.participants, key=lambda p: p.id)
    if user_ids is not None:
        known = {p.user_id for p in participants}
        strangers = sorted(set(user_ids) - known)
        if strangers:
            raise invalid({"user_ids": [f"Not participants of this meeting: {', '.join(map(str, strangers))}."]})
        participants = [p for p in participants if p.user_id in set(user_ids)]
    if group not in (None, "all"):
        participants = [p for p in participants if p.group == group]
    return [p for p in participants if p.user.active]


def calendar_file(meeting: Meeting, user, *, domain: str) -> bytes:
    """The .ics of the sessions this person may see (the closed session only for who may)."""
    events = meeting_events(meeting, policy.visible_sessions(user, meeting), domain=domain)
    return sessions_calendar(events, name=meeting.title, stamp=utcnow())


def _label(meeting: Meeting, channel: str) -> str:
    return f"Invitation to {meeting.title}" + (" (printed)" if channel == "qr" else "")


def invite(meeting: Meeting, *, actor, link_for, group: str | None = None, user_ids: list[int] | None = None,
           language: str | None = None) -> list[Invitation]:
    """Queue each chosen participant's invitation: a new personal link, the letter in their
    language (`language` for all of them, when given) with the agenda they may see, and the .ics
    of their sessions. `link_for(path)` makes the link absolute. People without an e-mail
    address are left out; 422 `nobody` when that leaves nobody."""
    people = [p for p in chosen(meeting, group=group, user_ids=user_ids) if p.user.email]
    if not people:
        raise invalid({"group": ["Nobody chosen has an e-mail address to send an invitation to."]},
                      "Nobody to invite.")
    organisation = Organisation.current()
    sent = []
    for participant in people:
        user = participant.user
        token, path = issue_link(user, actor=actor, label=_label(meeting, "email"), starts_at=meeting.starts_at)
        link = link_for(path)
        written_in = recipient_language(user, language)
        subject, text = invitation_letter(user=user, meeting=meeting, link=link, language=written_in,
                                          sessions=policy.visible_sessions(user, meeting),
                                          organisation=organisation.name)
        ics = calendar_file(meeting, user, domain=urlsplit(link).hostname or "localhost")
        # secret: the body carries the link, a credential; the outbox blanks it once sent
        message = mail.queue(user.email, subject, text, written_in, kind="invitation", secret=True,
                             attachments=[("meeting.ics", ICS_TYPE, ics)])
        invitation = Invitation(meeting_id=meeting.id, user_id=user.id, channel="email", language=written_in,
                                token=token, mail=message, created_by_id=getattr(actor, "id", None),
                                created_at=utcnow())
        db.session.add(invitation)
        sent.append(invitation)
    db.session.flush()
    record("invitations.sent", actor=actor, meeting=meeting, subject=meeting,
           after={"user_ids": [i.user_id for i in sent], "group": group, "language": language})
    return sent


def print_links(meeting: Meeting, *, actor, link_for, group: str | None = None,
                user_ids: list[int] | None = None) -> list[tuple[Invitation, str]]:
    """A new personal link for each chosen participant, for the printed QR sheet: (invitation,
    absolute link) pairs. The links are shown this once (only their hashes are kept)."""
    people = chosen(meeting, group=group, user_ids=user_ids)
    if not people:
        raise invalid({"group": ["Nobody chosen."]}, "Nobody to print a link for.")
    printed = []
    for participant in people:
        user = participant.user
        token, path = issue_link(user, actor=actor, label=_label(meeting, "qr"), starts_at=meeting.starts_at)
        invitation = Invitation(meeting_id=meeting.id, user_id=user.id, channel="qr",
                                language=recipient_language(user), token=token,
                                created_by_id=getattr(actor, "id", None), created_at=utcnow())
        db.session.add(invitation)
        printed.append((invitation, link_for(path)))
    db.session.flush()
    record("invitations.printed", actor=actor, meeting=meeting, subject=meeting,
           after={"user_ids": [i.user_id for i, _ in printed]})
    return printed


def link_opened(token_id: int | None) -> None:
    """A browser signed in through a link: the invitations that gave it are opened (the first
    time counts). Called by the link's sign-in, in its transaction."""
    if token_id is None:
        return
    now = utcnow()
    for invitation in db.session.scalars(select(Invitation).where(Invitation.token_id == token_id,
                                                                  Invitation.opened_at.is_(None))):
        invitation.opened_at = now
        db.session.flush()
        record("invitation.opened", actor=invitation.user, meeting=invitation.meeting_id, subject=invitation,
               after={"user_id": invitation.user_id, "channel": invitation.channel})


def revoke(meeting: Meeting, *, actor, user_ids: list[int]) -> list[Invitation]:
    """Revoke every live link these participants were given for this meeting: the links stop
    working and every session signed in through them ends (the token is revoked). 422 for a
    user id that is not a participant."""
    chosen(meeting, user_ids=user_ids)  # the same 422 for strangers
    now = utcnow()
    revoked = []
    for invitation in db.session.scalars(select(Invitation).where(Invitation.meeting_id == meeting.id,
                                                                  Invitation.user_id.in_(user_ids),
                                                                  Invitation.revoked_at.is_(None))
                                         .order_by(Invitation.id)):
        if invitation.token is not None:
            auth_ops.revoke_token(invitation.token, actor=actor)
        invitation.revoked_at = now
        revoked.append(invitation)
    db.session.flush()
    record("invitations.revoked", actor=actor, meeting=meeting, subject=meeting,
           after={"user_ids": sorted(set(user_ids)), "invitations": [i.id for i in revoked]})
    return revoked


@dataclass(frozen=True)
class Invitee:
    """A participant at the invitation desk, with the links they were given, newest first."""

    participant: Participant
    invitations: list[Invitation]

    @property
    def user_id(self) -> int:
        return self.participant.user_id

    @property
    def name(self) -> str:
        return self.participant.user.display_name

    @property
    def email(self) -> str:
        return self.participant.user.email or ""

    @property
    def group(self) -> str:
        return self.participant.group

    @property
    def opened_at(self) -> datetime | None:
        """The first opening of any of their links."""
        return min((i.opened_at for i in self.invitations if i.opened_at is not None), default=None)

    @property
    def live(self) -> int:
        """How many of their links still work."""
        return sum(i.live for i in self.invitations)


def desk(meeting: Meeting) -> list[Invitee]:
    """Every participant, in the order they were added, with the links they were given."""
    rows = db.session.scalars(select(Invitation).where(Invitation.meeting_id == meeting.id)
                              .order_by(Invitation.id.desc())).all()
    by_user: dict[int, list[Invitation]] = {}
    for invitation in rows:
        by_user.setdefault(invitation.user_id, []).append(invitation)
    return [Invitee(participant, by_user.get(participant.user_id, []))
            for participant in sorted(meeting.participants, key=lambda p: p.id)]
