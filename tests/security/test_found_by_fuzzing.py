"""What schemathesis found, pinned as plain tests (on both databases) so that the finding
does not depend on the fuzzer's luck or on the order its cases ran in."""

from tests.security.scene import DEMO_PASSWORD, SECRETARIAT


def test_adding_a_deactivated_participant_again_is_a_conflict_not_a_500(app, demo, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    participants = desk.get(f"/meetings/{demo}/participants").get_json()
    person = next(p for p in participants if p["group"] == "observer_city")["user_id"]
    assert desk.patch(f"/users/{person}", {"active": False}).status_code == 200
    response = desk.post(f"/meetings/{demo}/participants", {"user_id": person, "group": "guest"})
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "already_participant"
