"""The rows the memorandum is built from cannot be changed quietly by a database writer: each
note revision, document, speaker, stay in the room and memorandum version is compared with what
the audit trail recorded of it (`excom audit recount`, minutes/examine_record.py), and a trail
re-sealed to agree with the change is caught by a head printed in a distributed memorandum."""
import pytest
from sqlalchemy import delete, select, update

from governance.cli import main
from governance.extensions import db
from tests.minutes.test_played_meeting import played  # noqa: F401  (the fixture)

pytestmark = pytest.mark.both_databases  # the stored rows and a database writer's changes to them


def _recount(runner):
    result = runner.invoke(main, ["audit", "recount"])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def _a_document(app, meeting_id):
    """A document on one of the meeting's items (attached as the desk does)."""
    from governance.documents.operations import attach_document
    from governance.meetings.models import AgendaItem
    from tests.documents.samples import a_pdf
    with app.app_context():
        item = db.session.scalar(select(AgendaItem).order_by(AgendaItem.id).limit(1))  # the only meeting's
        assert item.meeting.id == meeting_id
        document = attach_document(item, actor=None, title="Annual report", filename="report.pdf", data=a_pdf())
        db.session.commit()
        return document.id


TAMPERINGS = ["an edited note", "a deleted note revision", "a deleted memorandum version",
              "a document's file swapped", "a deleted document", "another speaker", "a speech made longer",
              "an erased stay in the room", "a stay moved online", "a motion's title reworded"]


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_each_row_of_the_record_changed_behind_the_trail_s_back_is_named(played, app, runner, tampering):  # noqa: F811
    from governance.documents.models import ItemDocument
    from governance.meetings.models import Attendance
    from governance.speakers.models import Speaker
    from minutes.models import ItemNote, MemorandumVersion
    meeting_id, _ = played
    document_id = _a_document(app, meeting_id) if "document" in tampering else None
    assert _recount(runner)[0] == 0
    with app.app_context():
        note = db.session.scalar(select(ItemNote).order_by(ItemNote.id).limit(1))
        speaker = db.session.scalar(select(Speaker).where(Speaker.status == "done").order_by(Speaker.id).limit(1))
        stay = db.session.scalar(select(Attendance).where(Attendance.mode == "in_person").order_by(Attendance.id)
                                 .limit(1))
        if tampering == "an edited note":
            note.text += " The motion was carried unanimously."
            expected = f"the notes of item {note.item_id}, revision {note.revision}: its text is not what the audit"
        elif tampering == "a deleted note revision":
            expected = f"the notes of item {note.item_id}, revision {note.revision}: the audit trail recorded it"
            db.session.delete(note)
        elif tampering == "a deleted memorandum version":
            expected = f"memorandum version 1 of meeting {meeting_id}: the audit trail recorded it"
            db.session.execute(delete(MemorandumVersion).where(MemorandumVersion.meeting_id == meeting_id))
        elif tampering == "a document's file swapped":
            db.session.execute(update(ItemDocument).where(ItemDocument.id == document_id).values(sha256="0" * 64))
            expected = f"document {document_id} (Annual report)"
        elif tampering == "a deleted document":
            db.session.execute(delete(ItemDocument).where(ItemDocument.id == document_id))
            expected = f"document {document_id} (Annual report): the audit trail recorded it"
        elif tampering == "another speaker":
            other = db.session.scalar(select(Speaker.user_id).where(Speaker.user_id != speaker.user_id).limit(1))
            speaker.user_id = other
            expected = f"speaker {speaker.id} on item {speaker.item_id}: its user_id differ"
        elif tampering == "a speech made longer":
            speaker.ended_at = speaker.ended_at.replace(year=speaker.ended_at.year + 1)
            expected = f"speaker {speaker.id} on item {speaker.item_id}: its ended_at differ"
        elif tampering == "an erased stay in the room":
            expected = f"a stay of person {stay.user_id} in meeting {meeting_id}: the audit trail recorded it"
            db.session.delete(stay)
        elif tampering == "a motion's title reworded":
            from motions.models import Motion
            motion = db.session.scalar(select(Motion).order_by(Motion.id).limit(1))
            motion.title = "To thank the Secretariat"
            expected = f"motion {motion.id} (To thank the Secretariat): its title differ"
        else:
            stay.mode = "online"
            expected = f"a stay of person {stay.user_id} in meeting {meeting_id}: its person or mode (online)"
        db.session.commit()
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0  # no event was touched
    code, output = _recount(runner)
    assert code == 1, output
    assert expected in output, output


def test_a_note_and_its_event_rewritten_and_resealed_is_caught_by_the_head_the_memorandum_printed(
        played, app, runner):  # noqa: F811
    """The forger edits the note, the event that recorded it, and re-seals the trail with a new
    head: recount now agrees (the documented limit of the chain alone), the head printed in
    the distributed memorandum does not."""
    from governance.audit.models import AuditEvent
    from minutes.models import ItemNote
    from tests import tampering
    with app.app_context():
        built = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "memorandum.built")
                                  .order_by(AuditEvent.seq.desc()).limit(1))
        built_seq, printed = built.seq, f"{built.seq}:{built.hash}"  # as under the signatures of version 1
        note = db.session.scalar(select(ItemNote).order_by(ItemNote.id).limit(1))
        note.text = "Nothing was said."
        db.session.commit()
        event = tampering.event_of("item.notes_written", note.id)
        edited = event.seq
        tampering.edit_event(edited, after={**event.after, "text": "Nothing was said."})
        new_head = tampering.rehash_trail_from(edited)
    assert edited < built_seq <= new_head
    assert _recount(runner)[0] == 0
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0
    result = runner.invoke(main, ["audit", "verify", "--head", printed])
    assert result.exit_code == 1
    assert f"rewritten at or before event {built_seq}" in result.output + (result.stderr if result.stderr_bytes else "")
