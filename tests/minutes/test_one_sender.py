"""`excom serve` sends every kind of e-mail with one background sender (governance/mail/outbox.py):
the general mail (password resets, invitations) and the memorandum's copies alike."""
from governance import mail, start_services
from governance.extensions import db
from governance.mail.sender import Sender
from tests.factories import PASSWORD


def test_serve_sends_the_memorandum_and_the_general_mail_with_one_sender(app, api, small_meeting, smtp_server):
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    # while no sender runs yet, the secretariat distributes the memorandum and someone asks for a reset
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    body = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "excom"}).get_json()
    members = [r["email"] for r in body["recipients"]]
    with app.app_context():
        mail.queue("forgetful@example.org", "Your reset code", "123456", "en", kind="password_reset", secret=True)
        db.session.commit()
    assert smtp_server.messages == []

    started = start_services(app)

    senders = [service for service in started if isinstance(service, Sender)]
    assert len(senders) == 1
    assert senders[0].wait_for_pass(0)  # its first sweep finds both kinds
    assert all(len(smtp_server.to(address)) == 1 for address in members)
    assert len(smtp_server.to("forgetful@example.org")) == 1
