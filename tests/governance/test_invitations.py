"""Invitations (issue 17) through the API, on both databases, with a real SMTP server
(aiosmtpd on localhost): every participant, or a group, gets their own link by e-mail in
their language with the agenda they may see and an .ics of their sessions; the desk sees who
has opened their link and the mail server's reason of a failure; revoked links stop working
and end the sessions signed in through them."""
import re
import socket
from datetime import UTC, datetime

from icalendar import Calendar

from governance import mail
from tests.factories import PASSWORD
from tests.minutes.conftest import small_meeting, smtp_server  # noqa: F401  (fixtures)


def _times(staff, meeting):
    """Times for the two sessions, so that each is an entry of its own in the .ics."""
    sessions = staff.get(f"/meetings/{meeting}/sessions").get_json()
    for number, session in enumerate(sessions):
        hour = 4 + 4 * number
        answer = staff.patch(f"/sessions/{session['id']}", json={
            "starts_at": f"2024-09-20T{hour:02d}:00:00Z", "ends_at": f"2024-09-20T{hour + 3:02d}:00:00Z"})
        assert answer.status_code == 200, answer.get_json()
    return sessions


def _ics(message):
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "meeting.ics"
    return [str(event["summary"]) for event in Calendar.from_ical(attachment.get_content()).walk("VEVENT")]


def _link(message) -> str:
    return re.search(r"https?://\S+/login/link/\S+", message.get_body(("plain",)).get_content()).group(0)


def _follow(client, link) -> int:
    """Open the link and click to sign in, as a person would; answers the click's status."""
    path = link.split("localhost", 1)[1]
    page = client.get(path)
    if page.status_code != 200:
        return page.status_code
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": csrf}).status_code


def test_everyone_gets_their_own_link_with_the_agenda_they_may_see(app, api, client, small_meeting,  # noqa: F811
                                                                   smtp_server):  # noqa: F811
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    _times(staff, meeting)

    answer = staff.post(f"/meetings/{meeting}/invitations", json={"group": "all"})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["count"] == 7
    assert smtp_server.messages == []  # sent after the commit, by the outbox
    assert mail.drain(app).sent == 7

    member, observer = smtp_server.to(small_meeting["chair"])[0], smtp_server.to(small_meeting["observer"])[0]
    assert member["Subject"] == "Invitation: Small meeting"
    body = member.get_body(("plain",)).get_content()
    assert f"Dear {small_meeting['names']['chair']}," in body
    assert "Open session: first item" in body and "Closed session: first item" in body
    assert "Closed session" not in observer.get_body(("plain",)).get_content()
    assert _ics(member) == ["Small meeting: Open session", "Small meeting: Closed session"]
    assert _ics(observer) == ["Small meeting: Open session"]
    assert member["Date"] and member["Message-ID"]
    links = {address: _link(smtp_server.to(address)[0]) for address in
             (small_meeting["chair"], small_meeting["observer"], small_meeting["press"])}
    assert len(set(links.values())) == 3  # each their own

    # nobody has opened theirs yet; then the observer does, and the desk sees it
    desk = {row["email"]: row for row in staff.get(f"/meetings/{meeting}/invitations").get_json()}
    assert all(row["opened_at"] is None and row["live"] == 1 for row in desk.values())
    assert desk[small_meeting["chair"]]["invitations"][0]["mail_state"] == "sent"
    browser = app.test_client()
    assert _follow(browser, links[small_meeting["observer"]]) == 302
    assert browser.get("/api/v1/me").get_json()["email"] == small_meeting["observer"]
    desk = {row["email"]: row for row in staff.get(f"/meetings/{meeting}/invitations").get_json()}
    assert desk[small_meeting["observer"]]["opened_at"] is not None
    assert desk[small_meeting["press"]]["opened_at"] is None
    # the bodies are blanked once sent: the database keeps no working link
    assert not any("/login/link/" in body for body in _mail_bodies(app))


def _mail_bodies(app):
    from governance.extensions import db
    from governance.mail.models import MailMessage
    with app.app_context():
        bodies = list(db.session.scalars(db.select(MailMessage.body)))
        db.session.rollback()
    return bodies


def test_a_group_in_russian_and_a_failure_with_its_reason(app, api, small_meeting, smtp_server):  # noqa: F811
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    answer = staff.post(f"/meetings/{meeting}/invitations", json={"group": "observer_media", "language": "ru"})
    assert answer.status_code == 201 and answer.get_json()["count"] == 1
    mail.drain(app)
    [press] = smtp_server.to(small_meeting["press"])
    assert press["Subject"] == "Приглашение: Small meeting"
    assert press["Content-Language"] == "ru"
    assert "Повестка дня" in press.get_body(("plain",)).get_content()
    assert len(smtp_server.messages) == 1  # the group only

    with socket.socket() as probe:  # the mail server goes away
        probe.bind(("127.0.0.1", 0))
        app.config["EXCOM_SMTP_URL"] = f"smtp://127.0.0.1:{probe.getsockname()[1]}"
    chair_id = next(r["user_id"] for r in staff.get(f"/meetings/{meeting}/invitations").get_json()
                    if r["email"] == small_meeting["chair"])
    assert staff.post(f"/meetings/{meeting}/invitations", json={"user_ids": [chair_id]}).status_code == 201
    assert mail.drain(app).failed == 1
    row = next(r for r in staff.get(f"/meetings/{meeting}/invitations").get_json() if r["user_id"] == chair_id)
    assert row["invitations"][0]["mail_state"] == "failed"
    assert "ConnectionRefusedError" in row["invitations"][0]["mail_reason"]


def test_a_revoked_link_stops_working_and_ends_its_session(app, api, small_meeting, smtp_server):  # noqa: F811
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/invitations", json={"group": "observer_city"})
    mail.drain(app)
    link = _link(smtp_server.to(small_meeting["observer"])[0])
    browser = app.test_client()
    assert _follow(browser, link) == 302
    assert browser.get("/api/v1/me").status_code == 200
    observer_id = browser.get("/api/v1/me").get_json()["id"]

    answer = staff.post(f"/meetings/{meeting}/invitations/revoke", json={"user_ids": [observer_id]})
    assert answer.status_code == 200 and answer.get_json()["count"] == 1
    assert browser.get("/api/v1/me").status_code == 401  # the session rested on the link
    assert _follow(app.test_client(), link) == 404
    row = next(r for r in staff.get(f"/meetings/{meeting}/invitations").get_json() if r["user_id"] == observer_id)
    assert row["live"] == 0 and row["invitations"][0]["revoked_at"] and row["opened_at"]
    actions = [e["action"] for e in staff.get(f"/meetings/{meeting}/audit").get_json()]
    assert {"invitations.sent", "invitation.opened", "invitations.revoked"} <= set(actions)


def test_only_the_secretariat_invites_and_bad_choices_are_refused(app, api, small_meeting):  # noqa: F811
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    for email in (small_meeting["chair"], small_meeting["observer"]):
        other = api.as_user(email, PASSWORD)
        assert other.get(f"/meetings/{meeting}/invitations").status_code == 403
        assert other.post(f"/meetings/{meeting}/invitations", json={"group": "all"}).status_code == 403
        assert other.post(f"/meetings/{meeting}/invitations/revoke", json={"user_ids": [1]}).status_code == 403
    refused = staff.post(f"/meetings/{meeting}/invitations", json={"user_ids": [999999]})
    assert refused.status_code == 422 and "user_ids" in refused.get_json()["error"]["fields"]
    assert staff.post(f"/meetings/{meeting}/invitations", json={"group": "everyone"}).status_code == 422
    assert staff.post(f"/meetings/{meeting}/invitations", json={"group": "guest"}).status_code == 422  # nobody
    assert staff.post(f"/meetings/{meeting}/invitations", json={"language": "de"}).status_code == 422
    assert staff.post(f"/meetings/{meeting}/invitations/revoke", json={"user_ids": []}).status_code == 422
    assert staff.post("/meetings/999999/invitations", json={"group": "all"}).status_code == 404
    # without a mail server the invitations wait, queued, and say so
    answer = staff.post(f"/meetings/{meeting}/invitations", json={"group": "secretariat"})
    assert answer.status_code == 201
    assert answer.get_json()["invitations"][0]["mail_state"] == "queued"


def test_each_participant_downloads_the_calendar_of_their_sessions(app, api, small_meeting):  # noqa: F811
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    _times(staff, meeting)
    for email, titles in ((small_meeting["chair"], 2), (small_meeting["press"], 1)):
        answer = api.as_user(email, PASSWORD).get(f"/meetings/{meeting}/calendar.ics")
        assert answer.status_code == 200 and answer.mimetype == "text/calendar"
        events = list(Calendar.from_ical(answer.data).walk("VEVENT"))
        assert len(events) == titles, email
        assert events[0].decoded("dtstart") == datetime(2024, 9, 20, 4, 0, tzinfo=UTC)
    # the meeting page offers it
    from tests.pages.test_pages import html, sign_in
    page = html(sign_in(app.test_client(), small_meeting["press"], PASSWORD), f"/meetings/{meeting}")[1]
    assert f'href="/api/v1/meetings/{meeting}/calendar.ics"' in page
