"""Procedure a chair and a lawyer would sign off: a vote cannot be interrupted by an
adjournment or by taking up another item, and nothing is taken up after the adjournment."""
import pytest

from tests.voting.scene import CITIES, Room

REPORT = "Review of 2024 WeGO Secretariat Annual Report"
HOST = "Approval of Host City of the EXCOM Meeting 2025"


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def _refusal(answer):
    return answer.status_code, answer.get_json()["error"]["code"]


def test_adjournment_cannot_interrupt_a_vote(room):
    room.check_in(*CITIES)
    motion = room.motion(REPORT, kind="general", title="To receive the report")
    poll = room.open_poll(motion["id"]).get_json()
    room.vote(poll["id"], "Almaty", "yes")
    assert _refusal(room.chair.post(f"/meetings/{room.meeting_id}/adjourn")) == (409, "poll_open")
    assert _refusal(room.desk.post(f"/meetings/{room.meeting_id}/adjourn")) == (409, "poll_open")
    assert room.desk.get(f"/meetings/{room.meeting_id}").get_json()["adjourned_at"] is None
    # the vote goes on and is decided in the meeting, then the chair may adjourn
    assert room.vote(poll["id"], "Seoul", "yes").status_code == 201
    result = room.close(poll["id"])
    assert (result["status"], result["resolution_number"]) == ("adopted", "EXCOM 2024/R1")
    assert room.chair.post(f"/meetings/{room.meeting_id}/adjourn").status_code == 200
    trail = room.desk.get(f"/meetings/{room.meeting_id}/audit").get_json()
    actions = [event["action"] for event in trail]
    assert actions.index("poll.closed") < actions.index("meeting.adjourned")


def test_the_current_item_cannot_change_while_a_poll_is_open(room):
    room.check_in(*CITIES)
    report, host = room.open_items[REPORT], room.open_items[HOST]
    assert room.chair.post(f"/items/{report}/activate").status_code == 200
    motion = room.motion(REPORT, kind="general", title="To receive the report")
    poll = room.open_poll(motion["id"]).get_json()
    assert _refusal(room.chair.post(f"/items/{host}/activate")) == (409, "poll_open")
    assert room.desk.get(f"/meetings/{room.meeting_id}").get_json()["current_item"]["id"] == report
    # taking up the item already current changes nothing and is not refused
    assert room.chair.post(f"/items/{report}/activate").status_code == 200
    room.close(poll["id"])
    assert room.chair.post(f"/items/{host}/activate").status_code == 200


def test_after_adjournment_nothing_is_taken_up_or_put_to_the_vote(room):
    room.check_in(*CITIES)
    motion = room.motion(REPORT, kind="general", title="To receive the report")
    assert room.chair.post(f"/meetings/{room.meeting_id}/adjourn").status_code == 200
    assert _refusal(room.chair.post(f"/items/{room.open_items[HOST]}/activate")) == (409, "adjourned")
    assert _refusal(room.open_poll(motion["id"])) == (409, "adjourned")
    assert _refusal(room.chair.post(f"/meetings/{room.meeting_id}/adjourn")) == (409, "adjourned")


def test_the_chair_sees_present_and_eligible_apart_and_who_has_not_voted(room):
    """Ten of twelve members check in; eight vote; one voter leaves: "7 of 9 present have voted;
    12 eligible", 8 ballots, and the named poll lists the two present members still to vote."""
    room.check_in(*CITIES[:10])
    motion = room.motion(REPORT, kind="general", title="To receive the report")
    poll = room.open_poll(motion["id"]).get_json()
    assert (poll["ballots"], poll["present"], poll["present_voted"], poll["eligible"]) == (0, 10, 0, 12)
    for city in CITIES[:8]:
        assert room.vote(poll["id"], city, "abstain" if city == CITIES[0] else "yes").status_code == 201
    room.check_out(CITIES[0])
    turnout = room.chair.get(f"/polls/{poll['id']}/turnout").get_json()
    assert turnout == {"poll_id": poll["id"], "ballots": 8, "eligible": 12, "present": 9, "present_voted": 7,
                       "waiting": [{"member_id": room.members[city], "member": city} for city in CITIES[8:10]]}
    seen = room.delegate("Almaty").get(f"/polls/{poll['id']}").get_json()
    assert (seen["cast"], seen["ballots"], seen["present"], seen["present_voted"]) == (8, 8, 9, 7)
    assert room.delegate("Almaty").get(f"/polls/{poll['id']}/turnout").status_code == 403
    assert room.desk.get(f"/polls/{poll['id']}/turnout").status_code == 200


def test_a_secret_poll_does_not_name_who_is_still_to_vote(room):
    room.check_in(*CITIES[:9])
    motion = room.motion(REPORT, kind="general", title="To receive the report", secret=True)
    poll = room.open_poll(motion["id"]).get_json()
    room.vote(poll["id"], "Almaty", "yes")
    turnout = room.chair.get(f"/polls/{poll['id']}/turnout").get_json()
    assert (turnout["present"], turnout["present_voted"], turnout["waiting"]) == (9, 1, None)


def test_after_adjournment_nobody_checks_in_and_no_motion_is_moved(room):
    """Other things an adjournment ends: a late "I am here (online)" would list someone present
    at a meeting that had ended, and a motion moved afterwards has no sitting to be put to.
    Leaving, and correcting what was moved before, stay possible."""
    room.check_in(*CITIES[:9])
    moved = room.motion(REPORT, kind="general", title="To receive the report")
    assert room.chair.post(f"/meetings/{room.meeting_id}/adjourn").status_code == 200
    late = room.delegates["Kampala"]["user_id"]
    assert _refusal(room.delegate("Kampala").post(f"/meetings/{room.meeting_id}/attendance",
                                                  json={"user_id": late, "mode": "online"})) == (409, "adjourned")
    assert _refusal(room.desk.post(f"/meetings/{room.meeting_id}/attendance",
                                   json={"user_id": late, "mode": "in_person"})) == (409, "adjourned")
    # switching a present delegate to online is a new check-in too
    switched = room.desk.post(f"/meetings/{room.meeting_id}/attendance",
                              json={"user_id": room.delegates["Seoul"]["user_id"], "mode": "online"})
    assert _refusal(switched) == (409, "adjourned")
    assert room.desk.get(f"/meetings/{room.meeting_id}/quorum").get_json()["present"] == 9
    # nor are apologies sent from the phone once it is over (the desk still records them)
    assert room.desk.get(f"/meetings/{room.meeting_id}").get_json()["opened_at"] is None  # no item was taken up
    assert _refusal(room.delegate("Kampala").post(f"/meetings/{room.meeting_id}/apologies", json={})) == (
        409, "adjourned")
    leaving = room.desk.post(f"/meetings/{room.meeting_id}/attendance",
                             json={"user_id": room.delegates["Almaty"]["user_id"], "present": False})
    assert leaving.status_code == 200 and leaving.get_json()["present"] is False
    item = room.open_items[HOST]
    assert _refusal(room.desk.post(f"/items/{item}/motions", json={"kind": "general", "title": "Late"})) == (
        409, "adjourned")
    corrected = room.desk.patch(f"/motions/{moved['id']}", json={"title": "To receive the annual report"})
    assert corrected.status_code == 200 and corrected.get_json()["title"] == "To receive the annual report"


MEMBERSHIP = ("Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership since "
              "EXCOM Meeting 2023")


def test_a_membership_ballot_says_what_adoption_does_to_the_registry(room):
    """Voters see what they vote on: a title can be vague ("Membership matters"), the ballot
    names the member and the change adoption makes, as the phones, the projector and the
    console show it (excom.js renderMotionDetail)."""
    room.check_in(*CITIES)
    hebron = room.members["Hebron"]
    motion = room.motion(MEMBERSHIP, kind="membership", title="Membership matters", member_id=hebron,
                         action="suspend", majority="two_thirds")
    poll = room.open_poll(motion["id"]).get_json()
    change = {"member_id": hebron, "member": "Hebron", "action": "suspend", "status": "suspended"}
    assert poll["motion"]["member_change"] == change
    assert room.delegate("Almaty").get(f"/polls/{poll['id']}").get_json()["motion"]["member_change"] == change
    general = room.motion(REPORT, kind="general", title="To receive the report")
    room.close(poll["id"])
    assert "member_change" not in room.open_poll(general["id"]).get_json()["motion"]
