"""Every published result can be recounted from its stored ballots; tampering shows."""
import pytest
from sqlalchemy import text

from governance.cli import main
from governance.extensions import db
from tests.voting.scene import CITIES, Room

pytestmark = pytest.mark.both_databases  # the stored ballots and a database writer's tampering

MEMBERSHIP_ITEM = ("Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership since EXCOM "
                   "Meeting 2023")


@pytest.fixture
def voted(demo, api):
    """Three closed polls: a named motion, a secret one, and a host-city round."""
    room = Room(api, demo)
    room.check_in(*CITIES)
    report = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept")
    poll = room.open_poll(report["id"]).get_json()
    for city, choice in zip(CITIES, ["yes"] * 7 + ["no"] * 4 + ["abstain"]):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    secret = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="Secret", secret=True)
    poll = room.open_poll(secret["id"]).get_json()
    for city, choice in zip(CITIES, ["no"] * 5 + ["yes"] * 7):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    a, b = room.members["Makati"], room.members["Abuja"]
    host = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title="Host 2025",
                       candidates=[a, b])
    poll = room.open_poll(host["id"]).get_json()
    for city, choice in zip(CITIES, [a] * 7 + [b] * 5):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    return room


def test_the_recount_holds_for_every_closed_poll(voted, runner):
    result = runner.invoke(main, ["audit", "recount"])
    assert result.exit_code == 0, result.output
    assert "recount holds for all 3 closed polls" in result.output


@pytest.mark.parametrize("tampering", [
    "UPDATE poll_ballots SET choice = 'yes' WHERE choice = 'no'",           # a changed ballot
    "DELETE FROM poll_ballots WHERE choice = 'no'",                          # a lost ballot
    "doctor the published result",
], ids=["changed ballot", "deleted ballot", "doctored result"])
def test_the_recount_finds_tampering(voted, app, runner, tampering):
    from voting.models import Poll
    with app.app_context():
        if tampering == "doctor the published result":
            secret = db.session.scalar(db.select(Poll).where(Poll.secret.is_(True)))
            secret.result = {**secret.result, "counts": {"yes": 7, "no": 2, "abstain": 0}}
            changed = 1
        else:
            changed = db.session.execute(text(tampering)).rowcount
        db.session.commit()
    assert changed > 0
    result = runner.invoke(main, ["audit", "recount"])
    assert result.exit_code == 1
    assert "recount FAILED" in result.output


# --- the auditor with write access: each tampering of issue 14, with the project's own functions ---

def _recount(runner):
    result = runner.invoke(main, ["audit", "recount"])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


@pytest.fixture
def suspension(demo, api):
    """Kampala suspended by a named vote, 9 yes, 3 no."""
    room = Room(api, demo)
    room.check_in(*CITIES)
    kampala = room.members["Kampala"]
    motion = room.motion(MEMBERSHIP_ITEM, kind="membership", title="Suspension of Kampala",
                         member_id=kampala, action="suspend")
    poll = room.open_poll(motion["id"]).get_json()
    for city, choice in zip(CITIES, ["yes"] * 9 + ["no"] * 3):
        assert room.vote(poll["id"], city, choice).status_code == 201
    assert room.close(poll["id"])["status"] == "adopted"
    assert room.desk.get(f"/members/{kampala}").get_json()["status"] == "suspended"
    room.poll_id, room.motion_id, room.kampala = poll["id"], motion["id"], kampala
    return room


def _closing_event(app, poll_id):
    from tests import tampering
    with app.app_context():
        return tampering.event_of("poll.closed", poll_id).seq


def test_flipped_ballots_resealed_with_the_motion_rejected_and_the_member_active_again(suspension, app, runner):
    from governance.registry.models import Member
    from motions.models import Motion
    from tests import tampering
    from voting.models import Ballot
    assert _recount(runner)[0] == 0
    seq = _closing_event(app, suspension.poll_id)
    with app.app_context():
        db.session.execute(db.update(Ballot).where(Ballot.poll_id == suspension.poll_id, Ballot.choice == "yes")
                           .values(choice="no"))
        db.session.commit()
        assert tampering.reseal_poll(suspension.poll_id)["status"] == "rejected"
        motion = db.session.get(Motion, suspension.motion_id)
        motion.status, motion.resolution_number = "rejected", None
        db.session.get(Member, suspension.kampala).status = "active"
        db.session.commit()
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0  # no event was touched
    code, output = _recount(runner)
    assert code == 1
    assert f"status: the poll.closed event (event {seq}) recorded 'adopted', the ballots give 'rejected'" in output
    assert "counts: the poll.closed event" in output and "'yes': 9" in output
    assert "the roll-call too) are not those sealed at closing" in output
    assert "it is marked rejected, but the audit trail recorded it adopted" in output
    assert (f"member {suspension.kampala} (Kampala): its status is 'active' in the registry, but its status "
            "history in the audit trail ends with 'suspended'") in output


@pytest.mark.parametrize("edit", ["swap two members' ballots", "name a member who did not vote"])
def test_an_edited_roll_call_is_found(suspension, app, runner, edit):
    from tests import tampering
    from voting.models import Ballot, Participation
    with app.app_context():
        ballots = db.session.scalars(db.select(Ballot).where(Ballot.poll_id == suspension.poll_id)
                                     .order_by(Ballot.choice, Ballot.member_id)).all()
        voted_no, voted_yes = ballots[0], ballots[-1]
        if edit == "swap two members' ballots":
            voted_no.member_id, voted_yes.member_id = voted_yes.member_id, voted_no.member_id
            db.session.commit()
            tampering.reseal_poll(suspension.poll_id)  # the published roll-call agrees with the edit
        else:
            outsider = db.session.execute(db.text("SELECT id FROM members WHERE name = 'Cali'")).scalar()
            db.session.execute(db.delete(Participation).where(Participation.poll_id == suspension.poll_id,
                                                              Participation.member_id == voted_no.member_id))
            db.session.add(Participation(poll_id=suspension.poll_id, member_id=outsider,
                                         cast_by_id=None))
            voted_no.member_id = outsider
            db.session.commit()
            tampering.reseal_poll(suspension.poll_id)
    code, output = _recount(runner)
    assert code == 1
    assert "(in this named poll, the roll-call too) are not those sealed at closing" in output
    if edit == "name a member who did not vote":
        assert "who took part, or which delegate cast a member's vote (\"voted by\"), is not what" in output


def test_an_edited_voted_by_is_found(suspension, app, runner):
    from voting.models import Participation
    with app.app_context():
        row = db.session.scalars(db.select(Participation).where(Participation.poll_id == suspension.poll_id)).first()
        other = db.session.execute(db.text("SELECT id FROM users WHERE email = 'seoul@excom.example.org'")).scalar()
        assert row.cast_by_id != other
        row.cast_by_id = other
        db.session.commit()
    code, output = _recount(runner)
    assert code == 1
    assert "which delegate cast a member's vote (\"voted by\"), is not what the poll.closed event" in output


@pytest.mark.parametrize("change", ["member status", "next host"])
def test_a_changed_member_status_or_next_host_is_found(voted, app, runner, change):
    from governance.meetings.models import Meeting
    from governance.registry.models import Member
    with app.app_context():
        if change == "member status":
            db.session.execute(db.update(Member).where(Member.name == "Hebron").values(status="terminated"))
            expected = "(Hebron): its status is 'terminated' in the registry, but its status history in the " \
                       "audit trail ends with 'active'"
        else:
            meeting = db.session.scalar(db.select(Meeting))
            assert meeting.next_host_id == voted.members["Makati"]
            meeting.next_host_id = voted.members["Abuja"]
            expected = (f"its next host is member {voted.members['Abuja']}, but the audit trail recorded member "
                        f"{voted.members['Makati']}")
        db.session.commit()
    code, output = _recount(runner)
    assert code == 1 and expected in output


def test_a_deleted_vote_resealed_is_found(suspension, app, runner):
    from tests import tampering
    from voting.models import Ballot, Participation
    seq = _closing_event(app, suspension.poll_id)
    with app.app_context():
        gone = db.session.scalars(db.select(Ballot).where(Ballot.poll_id == suspension.poll_id,
                                                          Ballot.choice == "no")).first()
        db.session.execute(db.delete(Participation).where(Participation.poll_id == suspension.poll_id,
                                                          Participation.member_id == gone.member_id))
        db.session.delete(gone)
        db.session.commit()
        tampering.reseal_poll(suspension.poll_id)
    code, output = _recount(runner)
    assert code == 1
    assert f"the poll.closed event (event {seq}) counted 12 ballots; the box holds 11" in output
    assert f"counts: the poll.closed event (event {seq}) recorded {{'yes': 9, 'no': 3, 'abstain': 0}}" in output


REPORT = "Review of 2024 WeGO Secretariat Annual Report"


def test_rehearsal_polls_cleared_leave_a_record_that_recounts(demo, api, runner):
    """Clearing rehearsal polls before the call to order deletes them and resets their motions,
    as the trail's `polls.cleared` event records: the recount follows it, and the real vote
    after it is the motion's one decision."""
    room = Room(api, demo)
    room.check_in(*CITIES)
    motion = room.motion(REPORT, kind="general", title="Test vote: do the phones work?")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES[:5]:
        room.vote(poll["id"], city, "no")
    assert room.close(poll["id"])["status"] == "rejected"
    assert room.desk.delete(f"/meetings/{room.meeting_id}/polls").status_code == 200
    assert _recount(runner)[0] == 0, _recount(runner)[1]
    room.chair.post(f"/items/{room.open_items[REPORT]}/activate")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        room.vote(poll["id"], city, "yes")
    assert room.close(poll["id"])["status"] == "adopted"
    code, output = _recount(runner)
    assert code == 0, output


@pytest.mark.parametrize("deleted", ["a round of a ballot", "a decided motion with its polls"])
def test_a_deleted_poll_or_motion_is_found(voted, app, runner, deleted):
    """A whole closed poll (or a motion, its polls going with it by the database's cascades)
    deleted leaves its `poll.closed` / `motion.*` event without a row: recount names it."""
    from motions.models import Motion
    from voting.models import Poll
    with app.app_context():
        secret = db.session.scalar(db.select(Poll).where(Poll.secret.is_(True)))
        poll_id, motion_id = secret.id, secret.motion_id
        if deleted == "a round of a ballot":
            db.session.execute(db.delete(Poll).where(Poll.id == poll_id))
        else:
            db.session.execute(db.delete(Motion).where(Motion.id == motion_id))
        db.session.commit()
        still = db.session.scalar(db.select(db.func.count()).select_from(Poll).where(Poll.id == poll_id))
    assert still == 0
    code, output = _recount(runner)
    assert code == 1
    assert f"poll {poll_id}: the audit trail recorded its closing (event" in output and "gone from the database" \
        in output, output
    if deleted != "a round of a ballot":
        assert f"motion {motion_id}: the audit trail recorded its decision (event" in output, output
