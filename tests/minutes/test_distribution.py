"""Distribution of the memorandum: the request records one row per recipient (queued when an
SMTP server is configured) and answers before any mail leaves; the outbox (`excom minutes
send` here) then e-mails each recipient their edition over SMTP (aiosmtpd on localhost), a
refused recipient is reported alone, and a second distribution never sends twice."""
import io

from docx import Document

from governance.cli import main
from tests.factories import PASSWORD

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(message):
    parts = [part for part in message.iter_attachments()]
    assert len(parts) == 1
    return parts[0]


def _send_outbox(runner):
    result = runner.invoke(main, ["minutes", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def test_without_smtp_the_distribution_is_recorded(app, api, small_meeting):
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    assert staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).status_code == 404
    staff.post(f"/meetings/{meeting}/memorandum")
    response = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "excom"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == 1 and body["recorded"] == 5 and body["queued"] == body["sent"] == 0
    editions = {r["email"]: r["edition"] for r in body["recipients"]}
    assert set(editions) == {small_meeting[k] for k in ("chair", "online", "excused", "absent", "staff")}
    assert set(editions.values()) == {"full"}

    everyone = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).get_json()
    editions = {r["email"]: r["edition"] for r in everyone["recipients"]}
    assert len(editions) == 7
    assert editions[small_meeting["observer"]] == editions[small_meeting["press"]] == "public"
    listed = staff.get(f"/meetings/{meeting}/memorandum").get_json()
    assert len(listed[0]["distributions"]) == 7  # one row per recipient, however often recorded

    assert staff.post(f"/meetings/{meeting}/memorandum/distribute",
                      json={"audience": "world"}).status_code == 422
    observer = api.as_user(small_meeting["observer"], PASSWORD)
    assert observer.post(f"/meetings/{meeting}/memorandum/distribute",
                         json={"audience": "all"}).status_code == 403


def test_the_request_only_queues_and_the_outbox_sends_each_their_edition_once(app, api, runner, small_meeting,
                                                                             smtp_server):
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    refused = small_meeting["observer"]
    smtp_server.refuse = {refused.lower()}

    # the secretariat distributes: the answer comes back with every row queued, and no mail has left
    first = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"})
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert (body["queued"], body["sent"], body["failed"], body["recorded"]) == (7, 0, 0, 0)
    assert {r["status"] for r in body["recipients"]} == {"queued"}
    assert smtp_server.messages == []

    # the outbox is drained: one message per recipient, the refused address alone failed
    assert "6 sent, 1 failed" in _send_outbox(runner)
    rows = {r["email"]: r for r in staff.get(f"/meetings/{meeting}/memorandum").get_json()[0]["distributions"]}
    assert rows[refused]["status"] == "failed"
    assert rows[refused]["error"] == "refused: 550 5.1.1 Mailbox unavailable"
    others = [address for address in rows if address != refused]
    for address in others:
        assert rows[address]["status"] == "sent" and rows[address]["sent_at"], address
        assert len(smtp_server.to(address)) == 1, address
    assert smtp_server.to(refused) == []

    # the full edition to members and staff, the public one to observers: the DOCX attached
    member_mail = smtp_server.to(small_meeting["chair"])[0]
    press_mail = smtp_server.to(small_meeting["press"])[0]
    assert "Small meeting" in member_mail["Subject"] and "version 1" in member_mail["Subject"]
    assert member_mail["From"] == small_meeting["staff"]  # who distributed it, as before the outbox
    full, public = _attachment(member_mail), _attachment(press_mail)
    assert full.get_content_type() == public.get_content_type() == DOCX
    assert full.get_filename().endswith("-v1.docx") and public.get_filename().endswith("-v1-public.docx")
    full_text = "\n".join(p.text for p in Document(io.BytesIO(full.get_content())).paragraphs)
    public_text = "\n".join(p.text for p in Document(io.BytesIO(public.get_content())).paragraphs)
    assert "Hush-hush" in full_text and "Hush-hush" not in public_text
    assert staff.get(f"/meetings/{meeting}/memorandum.docx").data == full.get_content()

    # the mailbox works again: distributing again queues the failed recipient only
    smtp_server.refuse = set()
    retry = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).get_json()
    assert (retry["queued"], retry["sent"], retry["failed"]) == (1, 6, 0)
    assert [r["email"] for r in retry["recipients"] if r["status"] == "queued"] == [refused]
    assert "1 sent, 0 failed" in _send_outbox(runner)
    assert len(smtp_server.to(refused)) == 1
    for address in others:
        assert len(smtp_server.to(address)) == 1, address
    rows = staff.get(f"/meetings/{meeting}/memorandum").get_json()[0]["distributions"]
    attempts = {r["email"]: r["attempts"] for r in rows}
    assert attempts[refused] == 2 and all(attempts[a] == 1 for a in others)
    assert {r["status"] for r in rows} == {"sent"}
    assert len(smtp_server.messages) == 7

    # the trail says who got what: one event per message sent, one for the refusal
    actions = [e["action"] for e in staff.get(f"/meetings/{meeting}/audit").get_json()]
    assert actions.count("memorandum.distributed") == 2
    assert actions.count("memorandum.mail_sent") == 7 and actions.count("memorandum.mail_failed") == 1


def test_an_unreachable_smtp_server_fails_every_recipient_and_changes_nothing_else(app, api, runner,
                                                                                   small_meeting):
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config["EXCOM_SMTP_URL"] = f"smtp://127.0.0.1:{port}"  # nobody listens there
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    body = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "excom"}).get_json()
    assert body["queued"] == 5
    assert "0 sent, 5 failed" in _send_outbox(runner)
    rows = staff.get(f"/meetings/{meeting}/memorandum").get_json()[0]["distributions"]
    assert len(rows) == 5 and all(r["status"] == "failed" for r in rows)
    assert all("ConnectionRefusedError" in r["error"] for r in rows)


def test_a_misconfigured_smtp_url_refuses_the_distribution_and_the_outbox(app, api, runner, small_meeting):
    app.config["EXCOM_SMTP_URL"] = "http://mail.example.org"
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    response = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "excom"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "smtp_misconfigured"
    assert staff.get(f"/meetings/{meeting}/memorandum").get_json()[0]["distributions"] == []
    result = runner.invoke(main, ["minutes", "send"])
    assert result.exit_code == 1 and "EXCOM_SMTP_URL" in result.output

    app.config["EXCOM_SMTP_URL"] = None
    result = runner.invoke(main, ["minutes", "send"])
    assert result.exit_code == 1 and "not set" in result.output
