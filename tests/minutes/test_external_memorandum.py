"""The first meeting on the platform approves the previous meeting's memorandum, which the
platform never built: a title and the file the members read, recorded as held outside."""
import io
import zipfile

import pytest
from docx import Document

from governance.extensions import db
from minutes.collect import collect
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room

MEMORANDUM_ITEM = "Review of Meeting Memorandum of WeGO EXCOM 2023"
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def docx_bytes(text="Memorandum of the WeGO EXCOM Meeting 2023") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(names) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, content in names.items():
            package.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def record(client, title, data, filename, mimetype="application/octet-stream"):
    return client.post("/external-memoranda", json=None, content_type="multipart/form-data",
                       data={"title": title, "file": (io.BytesIO(data), filename, mimetype)})


def test_the_memorandum_of_excom_2023_is_approved_from_its_file(room, app, api):
    recorded = record(room.desk, "Memorandum of the WeGO EXCOM Meeting 2023, as circulated", PDF, "EXCOM 2023.pdf",
                      "application/pdf")
    assert recorded.status_code == 201, recorded.get_json()
    outside = recorded.get_json()
    assert (outside["filename"], outside["content_type"], outside["size"], outside["status"]) == (
        "EXCOM_2023.pdf", "application/pdf", len(PDF), "received")
    motion = room.motion(MEMORANDUM_ITEM, kind="minutes_approval", title="Approval of the memorandum of EXCOM 2023",
                         text="That the memorandum of the EXCOM Meeting 2023 be approved as circulated.",
                         external_memorandum_id=outside["id"])
    assert motion["external_memorandum"]["sha256"] == outside["sha256"]

    room.check_in(*CITIES)
    poll = room.open_poll(motion["id"]).get_json()
    assert poll["motion"]["approves"]["external_memorandum_id"] == outside["id"]
    assert poll["motion"]["approves"]["title"] == "Memorandum of the WeGO EXCOM Meeting 2023, as circulated"
    for city in CITIES:
        room.vote(poll["id"], city, "yes")
    result = room.close(poll["id"])
    assert result["status"] == "adopted" and result["approves"]["sha256"] == outside["sha256"]

    approved = room.desk.get(f"/external-memoranda/{outside['id']}").get_json()
    assert (approved["status"], approved["approved_by_motion_id"]) == ("approved", motion["id"])
    download = room.delegate("Almaty").get(f"/external-memoranda/{outside['id']}/file")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="EXCOM_2023.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    # a closed-session motion: the press does not learn the memorandum exists
    press = api.as_user(OBSERVER, DEMO_PASSWORD)
    assert press.get(f"/external-memoranda/{outside['id']}").status_code == 404
    assert press.get(f"/external-memoranda/{outside['id']}/file").status_code == 404
    trail = [e["action"] for e in room.desk.get(f"/meetings/{room.meeting_id}/audit").get_json()]
    assert "external_memorandum.approved" in trail

    with app.app_context():
        from governance.meetings.models import Meeting
        memorandum = collect(db.session.get(Meeting, room.meeting_id), version=1, status="draft", generated_by="t")
        assert memorandum.previous_minutes.action == (
            f"“Memorandum of the WeGO EXCOM Meeting 2023, as circulated”, held outside the platform (file "
            f"EXCOM_2023.pdf, SHA-256 {outside['sha256']}) was approved (Resolution EXCOM 2024/R1).")


def test_a_docx_is_accepted_and_anything_else_refused_cleanly(room, app):
    good = record(room.desk, "EXCOM 2023", docx_bytes(), "memo.docx")
    assert good.status_code == 201 and good.get_json()["content_type"].endswith("wordprocessingml.document")
    assert good.get_json()["filename"] == "memo.docx"
    before = room.desk.get("/external-memoranda").get_json()
    refusals = {
        "a PNG named .pdf": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "memo.pdf"),
        "a PDF cut short": (PDF[:40], "memo.pdf"),
        "an empty file": (b"", "memo.pdf"),
        "a ZIP that is no Word document": (zip_bytes({"readme.txt": "hello"}), "memo.docx"),
        "a spreadsheet": (zip_bytes({"[Content_Types].xml": "application/vnd.openxmlformats-officedocument."
                                                            "spreadsheetml.sheet.main+xml", "word/document.xml": ""}),
                          "memo.docx"),
        "a document with macros": (zip_bytes({"[Content_Types].xml": "application/vnd.ms-word.document."
                                                                     "macroEnabled.main+xml",
                                              "word/document.xml": "<w/>"}), "memo.docm"),
        "a damaged package": (b"PK\x03\x04" + b"\0" * 100, "memo.docx"),
        "a script": (b"<script>alert(1)</script>", "memo.pdf"),
    }
    for why, (data, name) in refusals.items():
        answer = record(room.desk, "EXCOM 2023", data, name)
        assert answer.status_code == 422, why
        assert answer.get_json()["error"]["code"] == "invalid" and "file" in answer.get_json()["error"]["fields"], why
    missing = room.desk.post("/external-memoranda", json=None, content_type="multipart/form-data",
                             data={"title": "EXCOM 2023"})
    assert missing.status_code == 422
    untitled = record(room.desk, "", PDF, "memo.pdf")
    assert untitled.status_code == 422 and "title" in untitled.get_json()["error"]["fields"]
    too_large = record(room.desk, "EXCOM 2023", PDF + b"%" * (9 * 1024 * 1024), "memo.pdf")
    assert too_large.status_code == 413
    assert room.desk.get("/external-memoranda").get_json() == before
    assert record(room.chair, "EXCOM 2023", PDF, "memo.pdf").status_code == 403


def test_a_minutes_approval_names_exactly_one_memorandum(room):
    outside = record(room.desk, "EXCOM 2023", PDF, "memo.pdf").get_json()
    item = room.closed_items[MEMORANDUM_ITEM]
    for body in ({}, {"memorandum_meeting_id": room.meeting_id, "external_memorandum_id": outside["id"]}):
        answer = room.desk.post(f"/items/{item}/motions", json={"kind": "minutes_approval", "title": "x", **body})
        assert answer.status_code == 422 and "memorandum_meeting_id" in answer.get_json()["error"]["fields"]
    own = room.desk.post(f"/items/{item}/motions", json={"kind": "minutes_approval", "title": "x",
                                                         "memorandum_meeting_id": room.meeting_id})
    assert own.status_code == 422  # a meeting does not approve its own memorandum
    unknown = room.desk.post(f"/items/{item}/motions", json={"kind": "minutes_approval", "title": "x",
                                                             "external_memorandum_id": outside["id"] + 100})
    assert unknown.status_code == 422 and "external_memorandum_id" in unknown.get_json()["error"]["fields"]
