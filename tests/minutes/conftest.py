"""Fixtures of the minutes tests: an SMTP server on localhost (aiosmtpd) that keeps what it
receives and can refuse chosen addresses, and a small meeting with attendance and notes."""
from __future__ import annotations

import email
import socket

import pytest

from governance.extensions import db


class RecordingHandler:
    """Keeps every message; answers 550 to the addresses in `refuse`."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for recipient in envelope.rcpt_tos:
            self.messages.append((recipient, message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for r, m in self.messages if r.lower() == address.lower()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.url = f"smtp://127.0.0.1:{port}"
    yield handler
    controller.stop()


@pytest.fixture
def small_meeting(app, make):
    """A meeting of four EXCOM members (one online, one excused, one absent), an observer
    city, a journalist and the secretariat, opened and adjourned, with notes; no motions.
    Returns a dict of ids and e-mail addresses."""
    from governance.meetings import operations as meeting_ops
    from minutes import operations as minutes_ops

    with app.app_context():
        meeting = make.meeting("Small meeting")
        chair = make.delegate(meeting, "Chair City")
        online = make.delegate(meeting, "Online City")
        excused = make.delegate(meeting, "Excused City")
        absent = make.delegate(meeting, "Absent City")
        observer = make.user("Olga Observer", affiliation="Observer Town", title="Deputy Mayor")
        make.participant(meeting, observer, group="observer_city")
        press = make.user("Pat Press", affiliation="Daily News", title="Reporter")
        make.participant(meeting, press, group="observer_media")
        staff = make.user("Sam Secretary", roles=["secretariat"], title="Secretary General",
                          affiliation="Secretariat")
        make.participant(meeting, staff, group="secretariat")
        meeting = db.session.get(type(meeting), meeting.id)
        for participant in meeting.participants:
            if participant.user_id == chair.id:
                participant.chair = True
            if participant.user_id == excused.id:
                participant.excused = True
        for user, mode in ((chair, "in_person"), (online, "online"), (observer, "in_person"),
                           (staff, "in_person")):
            meeting_ops.record_attendance(meeting, actor=staff, user_id=user.id, mode=mode, present=True)
        open_item, closed_item = meeting.agenda()
        meeting_ops.activate_item(open_item, actor=staff)
        minutes_ops.write_notes(open_item, "First draft of the open note.", actor=staff)
        minutes_ops.write_notes(open_item, "The chair opened the meeting.\n\nAll members were welcomed.",
                                actor=staff)
        minutes_ops.write_notes(closed_item, "Hush-hush closed-session discussion of the budget.", actor=staff)
        meeting_ops.activate_item(closed_item, actor=staff)
        meeting_ops.adjourn(meeting, actor=staff)
        db.session.commit()
        ids = {"meeting": meeting.id, "open_item": open_item.id, "closed_item": closed_item.id,
               "chair": chair.email, "online": online.email, "excused": excused.email, "absent": absent.email,
               "observer": observer.email, "press": press.email, "staff": staff.email,
               "names": {"chair": chair.name, "online": online.name, "excused": excused.name,
                         "absent": absent.name, "observer": observer.name, "press": press.name,
                         "staff": staff.name}}
        db.session.remove()
    return ids

