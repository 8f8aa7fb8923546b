"""Notes are written for any item, at any time, until the meeting's memorandum is approved:
after adjournment, for an item that was never current, without moving any phone to it."""
import io

from docx import Document

from tests.voting.scene import Room


def test_notes_for_an_item_that_is_not_current_after_adjournment(demo, api, app):
    room = Room(api, demo)
    current = room.open_items["Group Photo"]
    room.chair.post(f"/items/{current}/activate")
    assert room.chair.post(f"/meetings/{demo}/adjourn").status_code == 200
    other = room.closed_items["Review of 2024 Financial Report"]
    answer = room.desk.put(f"/items/{other}/notes", json={"text": "The auditor presented the accounts."})
    assert answer.status_code == 200 and answer.get_json()["revision"] == 1
    assert room.desk.get(f"/meetings/{demo}").get_json()["current_item"] is None  # nobody was moved
    room.desk.post(f"/meetings/{demo}/memorandum")
    document = Document(io.BytesIO(room.desk.get(f"/meetings/{demo}/memorandum.docx").data))
    assert any("The auditor presented the accounts." in p.text for p in document.paragraphs)
    with app.app_context():
        from governance.extensions import db
        from minutes.operations import approve
        approve(demo)
        db.session.commit()
    refused = room.desk.put(f"/items/{other}/notes", json={"text": "An afterthought."})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "minutes_approved"
    assert room.desk.get(f"/items/{other}/notes").get_json()["text"] == "The auditor presented the accounts."
