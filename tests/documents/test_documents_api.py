"""Documents on agenda items through /api/v1: every accepted type judged by its content, hostile
files refused with nothing stored, the size limit stated, visibility exactly as the item's, files
content-addressed on disk, and an approved memorandum's annexes kept."""
import hashlib
import io
from pathlib import Path

import pytest

from governance.extensions import db, socketio
from tests.documents import samples

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def scene(app, make, api):
    """A meeting (open and closed session), the secretariat, a delegate and the press."""
    with app.app_context():
        meeting = make.meeting()
        desk = make.user("Desk", roles=["secretariat"])
        make.participant(meeting, desk, "secretariat")
        delegate = make.delegate(meeting)
        press = make.user("Press")
        make.participant(meeting, press, "observer_media")
        open_item, closed_item = (session.items[0].id for session in meeting.sessions)
        ids = {"meeting": meeting.id, "open": open_item, "closed": closed_item}
        emails = {"desk": desk.email, "delegate": delegate.email, "press": press.email}
    clients = {role: api.as_user(email) for role, email in emails.items()}
    return {**ids, **clients, "app": app}


def upload(client, item_id, data, name="file.bin", title="A document", mimetype="application/octet-stream"):
    return client.post(f"/items/{item_id}/documents", data={"title": title, "file": (io.BytesIO(data), name, mimetype)},
                       content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    root = Path(app.instance_path) / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def document_count(app) -> int:
    from governance.documents.models import ItemDocument
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(ItemDocument))


@pytest.mark.parametrize("make_file, name, content_type", [
    (samples.a_pdf, "report.pdf", "application/pdf"),
    (samples.a_docx, "report.docx", DOCX_TYPE),
    (samples.an_xlsx, "budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (samples.a_pptx, "slides.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (samples.an_odt, "minutes.odt", "application/vnd.oasis.opendocument.text"),
    (lambda: samples.a_picture("PNG"), "photo.png", "image/png"),
    (lambda: samples.a_picture("JPEG"), "photo.jpg", "image/jpeg"),
])
def test_each_accepted_type_is_stored_by_its_digest_and_served_back_safely(scene, make_file, name, content_type):
    data = make_file()
    answer = upload(scene["desk"], scene["open"], data, name=name, title="Board pack")
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    digest = hashlib.sha256(data).hexdigest()
    assert {k: body[k] for k in ("title", "filename", "content_type", "size", "sha256")} == {
        "title": "Board pack", "filename": name, "content_type": content_type, "size": len(data), "sha256": digest}
    assert stored_files(scene["app"]) == [Path(scene["app"].instance_path) / "documents" / digest[:2] / digest[2:4]
                                          / digest]
    listed = scene["delegate"].get(f"/items/{scene['open']}/documents").get_json()
    assert [d["id"] for d in listed] == [body["id"]]
    download = scene["press"].get(f"/documents/{body['id']}")
    assert download.status_code == 200 and download.data == data
    assert download.mimetype == content_type
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert name in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]


def test_the_type_comes_from_the_content_not_the_name(scene):
    picture = samples.a_picture("PNG")
    body = upload(scene["desk"], scene["open"], picture, name="annual-report.pdf",
                  mimetype="application/pdf").get_json()
    assert body["content_type"] == "image/png" and body["filename"] == "annual-report.pdf.png"
    body = upload(scene["desk"], scene["open"], samples.a_pdf(), name="../../etc/passwd", title="Sly").get_json()
    assert body["content_type"] == "application/pdf" and body["filename"] == "passwd.pdf"


@pytest.mark.parametrize("data, name", [
    (b"<html><script>alert(1)</script></html>", "report.pdf"),
    (b"MZ\x90\x00" + b"\0" * 200, "report.docx"),
    (samples.a_pdf()[:-200], "truncated.pdf"),
    (samples.a_docm(), "macros.docx"),
    (samples.an_odt(b"application/vnd.oasis.opendocument.spreadsheet"), "sheet.odt"),
    (samples._zip([("readme.txt", b"hello")]), "archive.docx"),
    (samples.a_png_bomb(), "bomb.png"),
    (samples.a_picture("JPEG")[:300], "broken.jpg"),
    (samples.a_zip_bomb(), "bomb.docx"),
    (samples.a_lying_zip(), "liar.docx"),
    (b"", "empty.pdf"),
], ids=["html", "exe", "truncated-pdf", "macros", "ods", "plain-zip", "png-bomb", "broken-jpeg", "zip-bomb",
        "lying-zip", "empty"])
def test_hostile_or_wrong_files_are_refused_and_nothing_is_kept(scene, data, name):
    answer = upload(scene["desk"], scene["open"], data, name=name)
    assert answer.status_code == 422, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_document" and error["fields"]["file"] and error["message"]
    assert document_count(scene["app"]) == 0 and stored_files(scene["app"]) == []


def test_a_form_without_file_or_title_is_refused(scene):
    no_file = scene["desk"].post(f"/items/{scene['open']}/documents", data={"title": "x"},
                                 content_type="multipart/form-data")
    assert no_file.status_code == 422 and "file" in no_file.get_json()["error"]["fields"]
    no_title = scene["desk"].post(f"/items/{scene['open']}/documents",
                                  data={"file": (io.BytesIO(samples.a_pdf()), "a.pdf")},
                                  content_type="multipart/form-data")
    assert no_title.status_code == 422 and "title" in no_title.get_json()["error"]["fields"]
    assert document_count(scene["app"]) == 0


@pytest.fixture
def small_limits(app_config):
    """Documents up to 64 KiB, other bodies up to 16 KiB: the document route has its own limit."""
    app_config.update(EXCOM_DOCUMENT_MAX_BYTES=64 * 1024, MAX_CONTENT_LENGTH=16 * 1024)
    return app_config


def test_the_size_limit_is_the_routes_own_and_the_413_states_it(small_limits, scene):
    medium = samples.a_pdf("x" * 40_000)  # over the general limit, under the documents' one
    assert 16 * 1024 < len(medium) < 64 * 1024
    assert upload(scene["desk"], scene["open"], medium, name="medium.pdf").status_code == 201
    for size in (70 * 1024, 400 * 1024):  # just over (read and measured), far over (refused unread)
        big = samples.a_pdf("x" * size)
        answer = upload(scene["desk"], scene["open"], big, name="big.pdf")
        assert answer.status_code == 413, answer.get_json()
        error = answer.get_json()["error"]
        assert error["code"] == "too_large" and "64 KiB" in error["message"], error
    assert document_count(scene["app"]) == 1 and len(stored_files(scene["app"])) == 1


def test_a_closed_session_document_is_absent_for_the_press_in_every_answer(scene):
    desk, delegate, press = scene["desk"], scene["delegate"], scene["press"]
    press_socket = socketio.test_client(scene["app"], auth={"token": press.token})
    member_socket = socketio.test_client(scene["app"], auth={"token": delegate.token})
    for client in (press_socket, member_socket):
        assert client.emit("join", {"meeting_id": scene["meeting"]}, callback=True)["ok"]
        client.get_received()
    secret = upload(desk, scene["closed"], samples.a_pdf("the reserve"), name="reserve.pdf",
                    title="CLOSED-DOC reserve").get_json()
    public = upload(desk, scene["open"], samples.a_pdf("the report"), name="report.pdf", title="Open report").get_json()
    desk.post(f"/items/{scene['closed']}/activate")

    assert press.get(f"/items/{scene['closed']}/documents").status_code == 404
    assert press.get(f"/documents/{secret['id']}").status_code == 404
    assert press.delete(f"/documents/{secret['id']}").status_code == 404
    meeting = press.get(f"/meetings/{scene['meeting']}")
    assert "CLOSED-DOC" not in meeting.get_data(as_text=True) and "reserve.pdf" not in meeting.get_data(as_text=True)
    assert [d["title"] for s in meeting.get_json()["sessions"] for i in s["items"] for d in i["documents"]] == [
        "Open report"]
    heard_by_press = str(press_socket.get_received())
    assert "CLOSED-DOC" not in heard_by_press and str(secret["sha256"]) not in heard_by_press
    assert "Open report" in heard_by_press  # the press does hear of the open session's documents

    # the members see both, in the meeting's answer, the list, the download and the events
    assert delegate.get(f"/documents/{secret['id']}").data == samples.a_pdf("the reserve")
    seen = delegate.get(f"/meetings/{scene['meeting']}").get_json()
    assert {d["title"] for s in seen["sessions"] for i in s["items"] for d in i["documents"]} == {
        "CLOSED-DOC reserve", "Open report"}
    assert seen["current_item"]["documents"][0]["id"] == secret["id"]
    assert "CLOSED-DOC" in str(member_socket.get_received())
    assert public["id"] != secret["id"]
    press_socket.disconnect()
    member_socket.disconnect()


def test_only_the_secretariat_uploads_and_deletes(scene):
    assert upload(scene["delegate"], scene["open"], samples.a_pdf()).status_code == 403
    assert upload(scene["press"], scene["open"], samples.a_pdf()).status_code == 403
    document = upload(scene["desk"], scene["open"], samples.a_pdf()).get_json()
    assert scene["delegate"].delete(f"/documents/{document['id']}").status_code == 403
    assert scene["press"].delete(f"/documents/{document['id']}").status_code == 403
    assert document_count(scene["app"]) == 1


def test_the_same_bytes_are_stored_once_and_the_file_goes_with_its_last_document(scene):
    data = samples.a_pdf("shared")
    first = upload(scene["desk"], scene["open"], data, title="First").get_json()
    second = upload(scene["desk"], scene["closed"], data, title="Second").get_json()
    assert first["sha256"] == second["sha256"] and len(stored_files(scene["app"])) == 1
    assert scene["desk"].delete(f"/documents/{first['id']}").status_code == 204
    assert len(stored_files(scene["app"])) == 1  # the second document still holds these bytes
    assert scene["desk"].get(f"/documents/{second['id']}").data == data
    assert scene["desk"].get(f"/documents/{first['id']}").status_code == 404
    assert scene["desk"].delete(f"/documents/{second['id']}").status_code == 204
    assert stored_files(scene["app"]) == []


def test_uploads_and_deletions_are_in_the_audit_trail(scene):
    document = upload(scene["desk"], scene["open"], samples.a_pdf(), title="Audited").get_json()
    scene["desk"].delete(f"/documents/{document['id']}")
    trail = scene["desk"].get(f"/meetings/{scene['meeting']}/audit").get_json()
    events = [(e["action"], (e["after"] or e["before"] or {}).get("sha256")) for e in trail
              if e["action"].startswith("document.")]
    assert events == [("document.attached", document["sha256"]), ("document.deleted", document["sha256"])]


def test_an_approved_memorandum_keeps_its_annexes(scene):
    from minutes import operations as minutes_ops
    kept = upload(scene["desk"], scene["open"], samples.a_pdf("kept"), title="Annual report").get_json()
    assert scene["desk"].post(f"/meetings/{scene['meeting']}/memorandum").status_code == 201
    later = upload(scene["desk"], scene["open"], samples.a_pdf("later"), title="Late paper").get_json()
    with scene["app"].app_context():
        minutes_ops.approve(scene["meeting"])
        db.session.commit()
    refused = scene["desk"].delete(f"/documents/{kept['id']}")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "kept_with_minutes"
    assert scene["desk"].get(f"/documents/{kept['id']}").status_code == 200
    assert scene["desk"].delete(f"/documents/{later['id']}").status_code == 204  # not in the approved version
