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


def test_a_meeting_without_a_memorandum_version_has_nothing_to_approve(app, make, api, small_meeting):
    """No version was built: the approval poll does not open (409 no_memorandum) rather than a
    motion adopted that approves nothing."""
    with app.app_context():
        motion_id, _, staff = _approval_meeting(make, small_meeting["meeting"])
        staff_email = staff.email
    refused = api.as_user(staff_email).post(f"/motions/{motion_id}/polls")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "no_memorandum")
    assert "Small meeting" in refused.get_json()["error"]["message"]


def _api_vote_yes(api, poll_id, delegates):
    for delegate in delegates:
        assert api.as_user(delegate).post(f"/polls/{poll_id}/votes", json={"choice": "yes"}).status_code == 201


def test_the_version_put_to_the_vote_is_the_one_approved(app, make, api, small_meeting):
    """Version 1 is circulated and put to the vote; version 2 is built while the members vote:
    version 1 is approved, and the ballot, the result and the next meeting's memorandum say so."""
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
        motion_id, delegates, staff = _approval_meeting(make, meeting_id)
        emails, staff_email, author_email = [d.email for d in delegates], staff.email, author.email
    desk = api.as_user(staff_email)
    poll = desk.post(f"/motions/{motion_id}/polls").get_json()
    assert poll["motion"]["approves"] == {"meeting_id": meeting_id, "version": 1, "external_memorandum_id": None,
                                          "title": "Memorandum of Small meeting"}
    assert api.as_user(emails[0]).get(f"/polls/{poll['id']}").get_json()["motion"]["approves"]["version"] == 1
    built = api.as_user(author_email).post(f"/meetings/{meeting_id}/memorandum")
    assert (built.status_code, built.get_json()["version"]) == (201, 2)
    _api_vote_yes(api, poll["id"], emails)
    result = desk.post(f"/polls/{poll['id']}/close").get_json()["result"]
    assert result["status"] == "adopted" and result["approves"]["version"] == 1
    versions = {v["version"]: v for v in desk.get(f"/meetings/{meeting_id}/memorandum").get_json()}
    assert (versions[1]["status"], versions[1]["approved_by_motion_id"]) == ("approved", motion_id)
    assert versions[2]["status"] == "draft"
    assert desk.get(f"/motions/{motion_id}").get_json()["memorandum_version"] == 1
    with app.app_context():
        from minutes.collect import collect
        from motions.models import Motion
        next_meeting = db.session.get(Motion, motion_id).meeting
        record = collect(next_meeting, version=1, status="draft", generated_by="t")
        assert record.previous_minutes.action.startswith(
            "The memorandum of Small meeting, version 1 was approved (Resolution EXCOM 2024/R1)")


def test_a_repeated_vote_asks_about_the_same_version(app, make, api, small_meeting):
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
        motion_id, delegates, staff = _approval_meeting(make, meeting_id)
        delegates, staff_email = [d.id for d in delegates], staff.email
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
    desk = api.as_user(staff_email)
    first = desk.post(f"/motions/{motion_id}/polls").get_json()
    assert first["motion"]["approves"]["version"] == 2
    with app.app_context():
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=None)
        db.session.commit()
    next_meeting = first["meeting_id"]
    user_ids = [d for d in delegates]
    for user_id in user_ids[:3]:  # quorum lost: the vote is void and held again
        desk.post(f"/meetings/{next_meeting}/attendance", json={"user_id": user_id, "present": False})
    assert desk.post(f"/polls/{first['id']}/close").get_json()["result"]["status"] == "void"
    for user_id in user_ids[:3]:
        desk.post(f"/meetings/{next_meeting}/attendance", json={"user_id": user_id, "mode": "online"})
    again = desk.post(f"/motions/{motion_id}/polls").get_json()
    assert (again["round"], again["reason"], again["motion"]["approves"]["version"]) == (2, "repeat", 2)
    assert desk.get(f"/motions/{motion_id}").get_json()["memorandum_version"] == 2


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


def test_the_recount_finds_a_version_approved_other_than_the_one_put_to_the_vote(app, make, small_meeting, runner):
    from governance.cli import main
    from motions.models import Motion
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
        motion_id, delegates, staff = _approval_meeting(make, meeting_id)
        _vote_yes(motion_id, delegates, staff)
    assert runner.invoke(main, ["audit", "recount"]).exit_code == 0
    with app.app_context():
        db.session.get(Motion, motion_id).memorandum_version = 2  # as if version 2 had been put to the vote
        db.session.commit()
    recount = runner.invoke(main, ["audit", "recount"])
    assert recount.exit_code == 1
    assert "version 2 was put to the vote but version 1 was approved" in recount.output + (
        recount.stderr if recount.stderr_bytes else "")


def test_minutes_approved_already_are_not_put_to_the_vote_again(app, make, api, small_meeting):
    """Approving what is approved decides nothing (adoption would change no version): the poll
    does not open, 409 already_approved; a corrected version built afterwards can be approved."""
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
        motion_id, delegates, staff = _approval_meeting(make, meeting_id)
        _vote_yes(motion_id, delegates, staff)
        again = motion_ops.create_motion(db.session.get(motion_ops.Motion, motion_id).item, actor=staff,
                                         kind="minutes_approval", title="Approval, once more",
                                         memorandum_meeting_id=meeting_id)
        db.session.commit()
        again_id, staff_email, author_email = again.id, staff.email, author.email
    desk = api.as_user(staff_email)
    refused = desk.post(f"/motions/{again_id}/polls")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "already_approved"
    assert "Version 1" in refused.get_json()["error"]["message"]
    assert api.as_user(author_email).post(f"/meetings/{meeting_id}/memorandum").get_json()["version"] == 2
    poll = desk.post(f"/motions/{again_id}/polls")
    assert poll.status_code == 201 and poll.get_json()["motion"]["approves"]["version"] == 2
