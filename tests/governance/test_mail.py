"""The general e-mail outbox (governance/mail): queued in the caller's transaction, sent only
after its commit (a rolled-back change sends nothing), with Date and Message-ID set at send,
attachments, failures with the server's reason, `excom mail send`, and `excom serve`'s sender."""
from email.utils import parsedate_to_datetime

from governance import mail
from governance.cli import main
from governance.dbtypes import utcnow
from governance.extensions import db
from governance.mail.models import MailMessage
from tests.minutes.conftest import smtp_server  # noqa: F401  (the recording SMTP server)


def _rows(app):
    with app.app_context():
        rows = {m.recipient: (m.state, m.attempts, m.reason) for m in db.session.scalars(db.select(MailMessage))}
        db.session.rollback()
    return rows


def test_queued_mail_goes_out_after_the_commit_with_date_message_id_and_attachments(app, smtp_server):  # noqa: F811
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    app.config["EXCOM_MAIL_FROM"] = "secretariat@excom.example"
    with app.app_context():
        mail.queue("ann@example.org", "Your invitation", "Dear Ann,\n\nwelcome.\n", "en",
                   attachments=[("meeting.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")],
                   kind="invitation")
        # not sent while the transaction that queued it is open
        assert smtp_server.messages == []
        db.session.commit()
    before = utcnow().replace(microsecond=0)
    report = mail.drain(app)
    assert (report.sent, report.failed) == (1, 0)
    [message] = smtp_server.to("ann@example.org")
    assert message["Subject"] == "Your invitation"
    assert message["From"] == "secretariat@excom.example"
    assert message["Message-ID"].endswith("@excom.example>")
    assert parsedate_to_datetime(message["Date"]) >= before
    assert message["Content-Language"] == "en"
    assert "welcome." in message.get_body(("plain",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "meeting.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert _rows(app) == {"ann@example.org": ("sent", 1, None)}
    # drained: a second pass sends nothing again
    assert mail.drain(app).sent == 0
    assert len(smtp_server.messages) == 1


def test_mail_queued_by_a_change_that_is_rolled_back_is_never_sent(app, smtp_server):  # noqa: F811
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    with app.app_context():
        mail.queue("bob@example.org", "Reset", "code", "en")
        db.session.rollback()
    assert mail.drain(app).sent == 0
    assert smtp_server.messages == []


def test_a_refused_address_fails_with_the_servers_reason_and_a_secret_body_is_blanked(app, smtp_server):  # noqa: F811
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    smtp_server.refuse.add("gone@example.org")
    with app.app_context():
        mail.queue("gone@example.org", "Reset your password", "Your code: SECRET-CODE", "ru", secret=True,
                   kind="password_reset")
        mail.queue("here@example.org", "Reset your password", "Your code: OTHER-CODE", "en", secret=True,
                   kind="password_reset")
        db.session.commit()
    report = mail.drain(app)
    assert (report.sent, report.failed) == (1, 1)
    rows = _rows(app)
    assert rows["gone@example.org"][0] == "failed" and rows["gone@example.org"][2].startswith("refused: 550")
    assert rows["here@example.org"] == ("sent", 1, None)
    with app.app_context():
        bodies = db.session.scalars(db.select(MailMessage.body)).all()
        db.session.rollback()
    assert not any("CODE" in body for body in bodies)  # the one-time codes do not stay in the database


def test_excom_mail_send_drains_once(app, runner, smtp_server):  # noqa: F811
    with app.app_context():
        mail.queue("cli@example.org", "Hello", "text", "en")
        db.session.commit()
    result = runner.invoke(main, ["mail", "send"])
    assert result.exit_code != 0 and "EXCOM_SMTP_URL" in result.output  # nowhere to send: says so
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    result = runner.invoke(main, ["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed" in result.output
    assert len(smtp_server.to("cli@example.org")) == 1


def test_the_servers_sender_mails_right_after_the_commit(app, smtp_server):  # noqa: F811
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    sender = mail.start_sender(app, interval=3600)  # no sweep during the test: only the wake-up
    try:
        assert sender.wait_for_pass(0)
        with app.app_context():
            mail.queue("woken@example.org", "Hello", "text", "en")
            db.session.commit()
        assert sender.wait_for_pass(1)
    finally:
        sender.stop()
    assert len(smtp_server.to("woken@example.org")) == 1
