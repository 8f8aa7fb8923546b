"""An open-session vote cannot give away a closed-session decision on the board before it is
published (issue 13, tried as the press). A poll's electorate, its quorum at opening and a
named poll's roll-call are the board as it really is: opened in the open session while a
member's suspension (or readmission) in camera is unpublished, they would tell the press what
`GET /members` and the quorum still withhold (an `eligible` of 11 beside a board of 12).
So such a poll waits for the publication: 409 `decisions_unpublished`, naming the meeting."""
from tests.governance.test_publication import _closed_suspension, _decide, room  # noqa: F401  (fixture)

OPEN_ITEM = "Group Photo"  # any item of the open session


def test_an_open_vote_waits_for_the_publication_of_a_closed_session_s_change_of_the_board(room):  # noqa: F811
    board = room.observer.get(f"/meetings/{room.meeting_id}/quorum").get_json()["voting_members"]
    _closed_suspension(room)
    motion = room.motion(OPEN_ITEM, kind="general", title="To thank the hosts")
    refused = room.open_poll(motion["id"])
    assert refused.status_code == 409, refused.get_json()
    error = refused.get_json()["error"]
    assert error["code"] == "decisions_unpublished"
    assert "publish" in error["message"].lower()
    assert room.observer.get(f"/motions/{motion['id']}").get_json()["rounds"] == []

    # a closed-session vote goes on: everyone in the room knows the board
    closed = room.motion("Approval of Membership Fee Use for 2025", kind="general", title="Fees (in camera)")
    in_camera = room.open_poll(closed["id"])
    assert in_camera.status_code == 201, in_camera.get_json()
    room.close(in_camera.get_json()["id"])

    assert room.desk.post(f"/meetings/{room.meeting_id}/publish").status_code == 200
    opened = room.open_poll(motion["id"])
    assert opened.status_code == 201, opened.get_json()
    seen = room.observer.get(f"/polls/{opened.get_json()['id']}").get_json()
    assert seen["eligible"] == board - 1
    assert room.observer.get(f"/meetings/{room.meeting_id}/quorum").get_json()["voting_members"] == board - 1
