"""Notes, memorandum versions, the DOCX editions and their access rules, over HTTP."""
import io

from docx import Document

from governance.extensions import db
from minutes.models import MemorandumVersion
from tests.factories import PASSWORD


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    header = [cell.text for table in doc.sections[0].header.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells + header)


def test_notes_keep_their_history_and_follow_the_item_s_visibility(app, api, small_meeting):
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    item = small_meeting["open_item"]
    response = staff.put(f"/items/{item}/notes", json={"text": "Third revision."})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["revision"] == 3 and body["text"] == "Third revision."
    assert [n["revision"] for n in body["history"]] == [1, 2, 3]
    assert body["history"][0]["text"] == "First draft of the open note."
    assert staff.put(f"/items/{item}/notes", json={}).status_code == 422
    assert staff.put(f"/items/{item}/notes", json={"text": 5}).status_code == 422

    observer = api.as_user(small_meeting["observer"], PASSWORD)
    assert observer.get(f"/items/{item}/notes").get_json()["text"] == "Third revision."
    assert observer.put(f"/items/{item}/notes", json={"text": "mine"}).status_code == 403
    closed = observer.get(f"/items/{small_meeting['closed_item']}/notes")
    assert closed.status_code == 404 and "Hush-hush" not in closed.get_data(as_text=True)
    member = api.as_user(small_meeting["chair"], PASSWORD)
    assert "Hush-hush" in member.get(f"/items/{small_meeting['closed_item']}/notes").get_json()["text"]
    assert member.put(f"/items/{item}/notes", json={"text": "chair edits"}).status_code == 403


def test_only_the_secretariat_reads_the_drafts_of_a_note_and_who_wrote_them(app, api, small_meeting):
    """Observers, the press and the members read the current text; the superseded drafts, their
    number and their authors are the secretariat's working papers."""
    item = small_meeting["open_item"]
    current = "The chair opened the meeting.\n\nAll members were welcomed."
    for who in ("press", "observer", "chair"):
        body = api.as_user(small_meeting[who], PASSWORD).get(f"/items/{item}/notes").get_json()
        assert body == {"item_id": item, "revision": None, "text": current, "author": None,
                        "created_at": None, "history": []}, who
    staff = api.as_user(small_meeting["staff"], PASSWORD).get(f"/items/{item}/notes").get_json()
    assert [(n["text"][:11], n["author"]) for n in staff["history"]] == [("First draft", "Sam Secretary"),
                                                                        ("The chair o", "Sam Secretary")]
    assert (staff["revision"], staff["author"]) == (2, "Sam Secretary")


def test_versions_editions_and_who_may_download_them(app, api, small_meeting):
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    assert staff.get(f"/meetings/{meeting}/memorandum.docx").status_code == 404  # nothing built yet
    assert staff.get(f"/meetings/{meeting}/memorandum").get_json() == []

    first = staff.post(f"/meetings/{meeting}/memorandum")
    assert first.status_code == 201, first.get_json()
    assert (first.get_json()["version"], first.get_json()["status"]) == (1, "draft")
    staff.put(f"/items/{small_meeting['open_item']}/notes", json={"text": "Corrected open note."})
    second = staff.post(f"/meetings/{meeting}/memorandum").get_json()
    assert second["version"] == 2

    listed = staff.get(f"/meetings/{meeting}/memorandum").get_json()
    assert [(v["version"], v["status"], v["author"]) for v in listed] == [(2, "draft", "Sam Secretary"),
                                                                         (1, "draft", "Sam Secretary")]

    full = staff.get(f"/meetings/{meeting}/memorandum.docx")
    assert full.status_code == 200
    assert full.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert full.headers["X-Memorandum-Version"] == "2"
    text = text_of(full.data)
    assert "Corrected open note." in text and "Hush-hush closed-session" in text and "DRAFT" in text
    old = text_of(staff.get(f"/meetings/{meeting}/memorandum.docx?version=1").data)
    assert "All members were welcomed." in old and "Corrected open note." not in old
    assert staff.get(f"/meetings/{meeting}/memorandum.docx?version=9").status_code == 404
    assert staff.get(f"/meetings/{meeting}/memorandum.docx?edition=secret").status_code == 422
    assert staff.get(f"/meetings/{meeting}/memorandum.docx?version=x").status_code == 422

    observer = api.as_user(small_meeting["observer"], PASSWORD)
    refused = observer.get(f"/meetings/{meeting}/memorandum.docx")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    public = observer.get(f"/meetings/{meeting}/memorandum.docx?edition=public")
    assert public.status_code == 200
    public_text = text_of(public.data)
    assert "Corrected open note." in public_text
    assert "Hush-hush" not in public_text and "Closed session" not in public_text
    assert all(v["distributions"] == [] for v in observer.get(f"/meetings/{meeting}/memorandum").get_json())
    assert observer.post(f"/meetings/{meeting}/memorandum").status_code == 403

    member = api.as_user(small_meeting["online"], PASSWORD)
    assert member.get(f"/meetings/{meeting}/memorandum.docx").status_code == 200
    assert member.post(f"/meetings/{meeting}/memorandum").status_code == 403

    stranger = api.as_user(_stranger(app), PASSWORD)
    assert stranger.get(f"/meetings/{meeting}/memorandum.docx?edition=public").status_code == 404


def _stranger(app):
    from tests.factories import Factories
    with app.app_context():
        return Factories().user("Someone Else").email


def test_an_approved_version_is_frozen_and_a_new_build_is_a_new_draft(app, api, small_meeting):
    from governance.meetings.models import Meeting
    from minutes import operations

    meeting_id = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting_id}/memorandum")
    with app.app_context():
        before = db.session.scalar(db.select(MemorandumVersion))
        draft_bytes = before.full_docx
        approved = operations.approve(meeting_id, actor=None)
        db.session.commit()
        assert approved.status == "approved" and approved.approved_at is not None
        approved_bytes = approved.full_docx
    text = text_of(approved_bytes)
    assert "APPROVED" in text and "DRAFT" not in text and "approved on" in text
    assert text_of(draft_bytes).replace("DRAFT", "APPROVED").split("\n")[:5] == text.split("\n")[:5]

    third = staff.post(f"/meetings/{meeting_id}/memorandum").get_json()
    assert (third["version"], third["status"]) == (2, "draft")
    with app.app_context():
        version_one = db.session.scalar(db.select(MemorandumVersion).where(MemorandumVersion.version == 1))
        assert version_one.status == "approved" and version_one.full_docx == approved_bytes
        try:
            version_one.full_docx = b"tampered"
        except Exception as error:  # FrozenVersion
            assert "approved" in str(error)
        else:
            raise AssertionError("an approved version accepted new bytes")
        db.session.rollback()
        # approving again approves the newest, leaving version 1 as it was
        operations.approve(meeting_id, actor=None)
        db.session.commit()
        statuses = [v.status for v in operations.versions(db.session.get(Meeting, meeting_id))]
        assert statuses == ["approved", "approved"]
    listed = staff.get(f"/meetings/{meeting_id}/memorandum").get_json()
    assert [v["status"] for v in listed] == ["approved", "approved"]
    audit = staff.get(f"/meetings/{meeting_id}/audit").get_json()
    actions = [event["action"] for event in audit]
    assert actions.count("memorandum.built") == 2 and actions.count("memorandum.approved") == 2
    assert "item.notes_written" in actions


def test_two_desks_saving_the_same_revision_get_a_409_not_a_500(app, api, small_meeting, monkeypatch):
    from minutes import operations
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    item = small_meeting["open_item"]
    # the other desk's revision 1 is already stored; this desk still thinks there is none
    monkeypatch.setattr(operations, "newest_note", lambda item: None)
    response = staff.put(f"/items/{item}/notes", json={"text": "From the second desk."})
    assert response.status_code == 409, response.get_json()
    assert set(response.get_json()["error"]) == {"code", "message", "fields"}
    monkeypatch.undo()
    history = staff.get(f"/items/{item}/notes").get_json()["history"]
    assert [n["revision"] for n in history] == [1, 2]
