"""Distribution of the memorandum: recorded per recipient, e-mailed over SMTP (aiosmtpd on
localhost), a refused recipient reported alone, and a retry that never sends twice."""
import io

from docx import Document

from tests.factories import PASSWORD

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(message):
    parts = [part for part in message.iter_attachments()]
    assert len(parts) == 1
    return parts[0]


def test_without_smtp_the_distribution_is_recorded(app, api, small_meeting):
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    assert staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).status_code == 404
    staff.post(f"/meetings/{meeting}/memorandum")
    response = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "excom"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == 1 and body["recorded"] == 5 and body["sent"] == 0
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


def test_smtp_delivers_once_per_recipient_and_a_retry_reaches_only_the_failed_one(app, api, small_meeting,
                                                                                 smtp_server):
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    refused = small_meeting["observer"]
    smtp_server.refuse = {refused.lower()}

    first = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"})
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert (body["sent"], body["failed"], body["recorded"]) == (6, 1, 0)
    failed = [r for r in body["recipients"] if r["status"] == "failed"]
    assert [r["email"] for r in failed] == [refused]
    assert failed[0]["error"].startswith("refused: 550")
    others = [r["email"] for r in body["recipients"] if r["email"] != refused]
    for address in others:
        assert len(smtp_server.to(address)) == 1, address
    assert smtp_server.to(refused) == []

    # the full edition to members and staff, the public one to observers: the DOCX attached
    member_mail = smtp_server.to(small_meeting["chair"])[0]
    press_mail = smtp_server.to(small_meeting["press"])[0]
    assert "Small meeting" in member_mail["Subject"] and "version 1" in member_mail["Subject"]
    full, public = _attachment(member_mail), _attachment(press_mail)
    assert full.get_content_type() == public.get_content_type() == DOCX
    assert full.get_filename().endswith("-v1.docx") and public.get_filename().endswith("-v1-public.docx")
    full_text = "\n".join(p.text for p in Document(io.BytesIO(full.get_content())).paragraphs)
    public_text = "\n".join(p.text for p in Document(io.BytesIO(public.get_content())).paragraphs)
    assert "Hush-hush" in full_text and "Hush-hush" not in public_text
    assert staff.get(f"/meetings/{meeting}/memorandum.docx").data == full.get_content()

    # the mailbox works again: a retry sends to the failed recipient only
    smtp_server.refuse = set()
    retry = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).get_json()
    assert (retry["sent"], retry["failed"]) == (7, 0)
    assert len(smtp_server.to(refused)) == 1
    for address in others:
        assert len(smtp_server.to(address)) == 1, address
    attempts = {r["email"]: r["attempts"] for r in retry["recipients"]}
    assert attempts[refused] == 2 and all(attempts[a] == 1 for a in others)
    assert len(smtp_server.messages) == 7


def test_an_unreachable_smtp_server_fails_every_recipient_and_changes_nothing_else(app, api, small_meeting):
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config["EXCOM_SMTP_URL"] = f"smtp://127.0.0.1:{port}"  # nobody listens there
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    body = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "excom"}).get_json()
    assert (body["sent"], body["failed"]) == (0, 5)
    assert all("ConnectionRefusedError" in r["error"] for r in body["recipients"])
