"""A later meeting adopts a minutes_approval motion: the memorandum's newest version becomes
approved and frozen, in the transaction of the vote (motions' adoption hook)."""
import io

from docx import Document

from governance.extensions import db
from governance.meetings import operations as meeting_ops
from governance.meetings.models import Meeting
from minutes import operations as minutes_ops
from minutes.models import MemorandumVersion
from motions import operations as motion_ops
from tests.factories import PASSWORD
from voting import operations as voting_ops


def _approval_meeting(make, approved_meeting_id):
    """A next meeting of five present members (of the board of nine: the four of the small
    meeting are board members too) with a minutes_approval item and motion."""
    meeting = make.meeting("Next meeting", sessions=(("Open session", "open"),))
    delegates = [make.delegate(meeting, f"Voter City {n}") for n in range(5)]
    staff = make.user("Desk", roles=["secretariat"])
    meeting = db.session.get(Meeting, meeting.id)
    for delegate in delegates:
        meeting_ops.record_attendance(meeting, actor=staff, user_id=delegate.id, mode="in_person", present=True)
    item = meeting_ops.add_item(meeting.sessions[0], actor=staff, title="Approval of the previous memorandum",
                                kind="minutes_approval")
    motion = motion_ops.create_motion(item, actor=staff, kind="minutes_approval",
                                      title="Approval of the memorandum of the small meeting",
                                      text="That the memorandum be approved as circulated.",
                                      memorandum_meeting_id=approved_meeting_id)
    db.session.commit()
    return motion.id, delegates, staff


def _vote_yes(motion_id, delegates, staff):
    from motions.models import Motion
    poll = voting_ops.open_poll(db.session.get(Motion, motion_id), actor=staff)
    for delegate in delegates:
        voting_ops.cast_vote(poll, voter=delegate, choice="yes")
    voting_ops.close_poll(poll, actor=staff)
    db.session.commit()


def test_adopting_minutes_approval_approves_and_freezes_the_newest_version(app, make, small_meeting):
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        small = db.session.get(Meeting, meeting_id)
        minutes_ops.build_memorandum_version(small, actor=author)
        minutes_ops.build_memorandum_version(small, actor=author)
        db.session.commit()
        motion_id, delegates, staff = _approval_meeting(make, meeting_id)
        _vote_yes(motion_id, delegates, staff)

        first, second = minutes_ops.versions(db.session.get(Meeting, meeting_id))
        assert (first.status, second.status) == ("draft", "approved")
        assert second.approved_by_motion_id == motion_id and second.approved_at is not None
        header = [cell.text for table in Document(io.BytesIO(second.full_docx)).sections[0].header.tables
                  for row in table.rows for cell in row.cells]
        assert "APPROVED" in header and "DRAFT" not in header
        facts = {row.cells[0].text: row.cells[1].text for row in Document(io.BytesIO(second.full_docx)).tables[0].rows}
        assert facts["Version"].startswith("2 (approved on ") and "by resolution EXCOM 2024/R1" in facts["Version"]
        frozen = second.full_docx, second.public_docx

        # a later build is a new draft; the approved bytes stay as they were
        third = minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
        assert (third.version, third.status) == (3, "draft")
        again = db.session.scalar(db.select(MemorandumVersion).where(MemorandumVersion.version == 2,
                                                                    MemorandumVersion.meeting_id == meeting_id))
        assert (again.full_docx, again.public_docx) == frozen


def test_approving_a_meeting_without_memorandum_does_not_undo_the_vote(app, make, small_meeting):
    from governance.audit.models import AuditEvent
    from motions.models import Motion
    with app.app_context():
        motion_id, delegates, staff = _approval_meeting(make, small_meeting["meeting"])
        _vote_yes(motion_id, delegates, staff)
        assert db.session.get(Motion, motion_id).status == "adopted"
        actions = list(db.session.scalars(db.select(AuditEvent.action)))
        assert "memorandum.approval_without_version" in actions


def test_the_approving_motion_is_named_only_to_those_who_may_see_it(app, make, api, small_meeting):
    """The small meeting's press reads its memorandum versions; the motion that approved one was
    put at a later meeting the press does not attend, so its id is not theirs to know."""
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
        motion_id, delegates, staff = _approval_meeting(make, meeting_id)
        _vote_yes(motion_id, delegates, staff)

    press, = api.as_user(small_meeting["press"], PASSWORD).get(f"/meetings/{meeting_id}/memorandum").get_json()
    desk, = api.as_user(small_meeting["staff"], PASSWORD).get(f"/meetings/{meeting_id}/memorandum").get_json()
    assert (press["status"], press["approved_by_motion_id"]) == ("approved", None)
    assert (desk["status"], desk["approved_by_motion_id"]) == ("approved", motion_id)


def test_the_recount_holds_after_an_approval_and_finds_an_approved_version_changed(app, make, small_meeting, runner):
    """What the approval did is in the trail: the version it approved, its bytes (SHA-256) and
    the motion that approved it; a version switched or its document replaced shows."""
    from governance.cli import main
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        small = db.session.get(Meeting, meeting_id)
        minutes_ops.build_memorandum_version(small, actor=author)
        minutes_ops.build_memorandum_version(small, actor=author)
        db.session.commit()
        motion_id, delegates, staff = _approval_meeting(make, meeting_id)
        _vote_yes(motion_id, delegates, staff)
    recount = runner.invoke(main, ["audit", "recount"])
    assert recount.exit_code == 0, recount.output
    with app.app_context():
        first, second = minutes_ops.versions(db.session.get(Meeting, meeting_id))
        # the earlier draft passed off as the approved version, the approved one as a draft
        first.status, first.approved_by_motion_id, first.approved_at = "approved", motion_id, second.approved_at
        second.status, second.approved_by_motion_id, second.approved_at = "draft", None, None
        db.session.commit()
    recount = runner.invoke(main, ["audit", "recount"])
    assert recount.exit_code == 1
    output = recount.output + (recount.stderr if recount.stderr_bytes else "")
    assert (f"memorandum version 1 of meeting {meeting_id}: it is marked approved, but the audit trail records no "
            "approval of it") in output
    assert (f"memorandum version 2 of meeting {meeting_id}, approved by it (event") in output
