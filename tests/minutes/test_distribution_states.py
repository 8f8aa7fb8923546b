"""Distribution as the desk sees it (issue 17): who a distribution would reach before it is
sent, each recipient's state kept in the database (queued, sent, failed with the server's
reason) for whoever looks later, failures retried alone, and e-mails that carry `Date` and
`Message-ID`. Real SMTP: aiosmtpd on localhost, and a port where nobody listens."""
import socket
from email.utils import parsedate_to_datetime

from governance.cli import main
from governance.dbtypes import utcnow
from tests.factories import PASSWORD


def _send_outbox(runner):
    result = runner.invoke(main, ["minutes", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def _nobody_listens() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"smtp://127.0.0.1:{probe.getsockname()[1]}"


def _states(staff, meeting):
    rows = staff.get(f"/meetings/{meeting}/memorandum").get_json()[0]["distributions"]
    return {r["email"]: (r["status"], r["error"]) for r in rows}


def test_the_desk_sees_who_would_receive_it_before_anything_is_sent(app, api, small_meeting, smtp_server):
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    assert staff.get(f"/meetings/{meeting}/memorandum/recipients?audience=excom").status_code == 404  # no version
    staff.post(f"/meetings/{meeting}/memorandum")

    preview = staff.get(f"/meetings/{meeting}/memorandum/recipients?audience=excom")
    assert preview.status_code == 200, preview.get_json()
    body = preview.get_json()
    listed = {r["email"]: r for r in body["recipients"]}
    assert body["version"] == 1
    assert set(listed) == {small_meeting[k] for k in ("chair", "online", "excused", "absent", "staff")}
    assert all(r["edition"] == "full" and r["status"] is None and r["will_send"] for r in listed.values())
    assert "Chair City" in listed[small_meeting["chair"]]["name"]  # the name as the meeting knows the person
    everyone = staff.get(f"/meetings/{meeting}/memorandum/recipients?audience=all").get_json()["recipients"]
    editions = {r["email"]: r["edition"] for r in everyone}
    assert len(editions) == 7 and editions[small_meeting["press"]] == "public"

    # looking writes nothing and sends nothing
    assert staff.get(f"/meetings/{meeting}/memorandum").get_json()[0]["distributions"] == []
    assert smtp_server.messages == []

    # after the distribution to EXCOM, the list for everyone says who already has theirs
    staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "excom"})
    _send_outbox(runner=app.test_cli_runner())
    everyone = {r["email"]: r for r in
                staff.get(f"/meetings/{meeting}/memorandum/recipients?audience=all").get_json()["recipients"]}
    assert everyone[small_meeting["chair"]]["status"] == "sent" and not everyone[small_meeting["chair"]]["will_send"]
    assert everyone[small_meeting["press"]]["status"] is None and everyone[small_meeting["press"]]["will_send"]

    assert staff.get(f"/meetings/{meeting}/memorandum/recipients?audience=world").status_code == 422
    assert staff.get(f"/meetings/{meeting}/memorandum/recipients").status_code == 422
    assert staff.get(f"/meetings/{meeting}/memorandum/recipients?audience=all&version=9").status_code == 404
    observer = api.as_user(small_meeting["observer"], PASSWORD)
    assert observer.get(f"/meetings/{meeting}/memorandum/recipients?audience=all").status_code == 403


def test_failures_stay_visible_with_their_reason_and_a_retry_sends_only_them(app, api, runner, small_meeting,
                                                                             smtp_server):
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    assert staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).status_code == 200
    smtp_server.refuse = {small_meeting["press"].lower()}
    # the observers went out; then the mail server becomes unreachable for the rest
    assert "6 sent, 1 failed" in _send_outbox(runner)
    staff.post(f"/meetings/{meeting}/memorandum")  # version 2, to EXCOM, while nobody listens
    app.config["EXCOM_SMTP_URL"] = _nobody_listens()
    assert staff.post(f"/meetings/{meeting}/memorandum/distribute",
                      json={"audience": "excom", "version": 2}).get_json()["queued"] == 5
    assert "0 sent, 5 failed" in _send_outbox(runner)

    # whoever opens the desk later reads each state and its reason from the database
    states = staff.get(f"/meetings/{meeting}/memorandum").get_json()
    v2 = {r["email"]: (r["status"], r["error"]) for r in states[0]["distributions"]}
    assert states[0]["version"] == 2 and len(v2) == 5
    assert all(status == "failed" and "ConnectionRefusedError" in error for status, error in v2.values())
    v1 = {r["email"]: (r["status"], r["error"]) for r in states[1]["distributions"]}
    assert v1[small_meeting["press"]] == ("failed", "refused: 550 5.1.1 Mailbox unavailable")

    # the server is back: retrying version 2 queues its five failures, and nothing of version 1
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    smtp_server.refuse = set()
    before = len(smtp_server.messages)
    retry = staff.post(f"/meetings/{meeting}/memorandum/retry", json={"version": 2})
    assert retry.status_code == 200, retry.get_json()
    assert (retry.get_json()["queued"], retry.get_json()["failed"]) == (5, 0)
    assert "5 sent, 0 failed" in _send_outbox(runner)
    assert len(smtp_server.messages) == before + 5
    states = staff.get(f"/meetings/{meeting}/memorandum").get_json()
    assert {r["status"] for r in states[0]["distributions"]} == {"sent"}
    assert {r["email"]: r["status"] for r in states[1]["distributions"]}[small_meeting["press"]] == "failed"
    # a retry with nothing failed changes nothing; version 1's refused address is retried on its own
    again = staff.post(f"/meetings/{meeting}/memorandum/retry", json={"version": 2}).get_json()
    assert again["queued"] == 0 and again["sent"] == 5
    assert staff.post(f"/meetings/{meeting}/memorandum/retry", json={"version": 1}).get_json()["queued"] == 1
    assert "1 sent, 0 failed" in _send_outbox(runner)
    assert len(smtp_server.to(small_meeting["press"])) == 1
    actions = [e["action"] for e in staff.get(f"/meetings/{meeting}/audit").get_json()]
    assert actions.count("memorandum.retried") == 3


def test_a_retry_needs_a_mail_server_and_the_secretariat(app, api, small_meeting):
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    response = staff.post(f"/meetings/{meeting}/memorandum/retry", json={})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "smtp_not_configured"
    app.config["EXCOM_SMTP_URL"] = "http://mail.example.org"
    assert staff.post(f"/meetings/{meeting}/memorandum/retry",
                      json={}).get_json()["error"]["code"] == "smtp_misconfigured"
    assert staff.post(f"/meetings/{meeting}/memorandum/retry", json={"version": 7}).status_code == 404
    chair = api.as_user(small_meeting["chair"], PASSWORD)
    assert chair.post(f"/meetings/{meeting}/memorandum/retry", json={}).status_code == 403


def test_every_e_mail_carries_its_date_and_a_message_id_of_its_own(app, api, runner, small_meeting, smtp_server):
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    app.config["EXCOM_MAIL_FROM"] = "Secretariat <minutes@excom.example.org>"
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    started = utcnow().replace(microsecond=0)
    staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"})
    _send_outbox(runner)
    mails = [message for _address, message in smtp_server.messages]
    assert len(mails) == 7
    for mail in mails:
        assert parsedate_to_datetime(mail["Date"]) >= started
        assert mail["Message-ID"].startswith("<memorandum.") and mail["Message-ID"].endswith("@excom.example.org>")
        assert len(mail.get_all("Date")) == len(mail.get_all("Message-ID")) == 1
    assert len({mail["Message-ID"] for mail in mails}) == 7
