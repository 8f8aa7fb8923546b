"""What schemathesis found, pinned as plain tests (on both databases) so that the finding
does not depend on the fuzzer's luck or on the order its cases ran in."""
import pytest

from tests.security.scene import DEMO_PASSWORD, SECRETARIAT


@pytest.mark.xfail(strict=True, reason=(
    "BUG (500): POST /api/v1/meetings/{id}/participants for a person who already takes part but whose "
    "account is deactivated. policy.participation() answers None for any user that is not "
    "`is_authenticated` (Flask-Login's UserMixin says False when inactive), so add_participant's "
    "'already takes part' check passes, the INSERT hits the unique key (meeting_id, user_id), and "
    "building the 409 message (user.name) after the failed flush raises PendingRollbackError: 500 "
    "internal_error instead of 409 already_participant. The same None makes POST .../attendance answer "
    "422 'does not take part' for a deactivated participant."))
def test_adding_a_deactivated_participant_again_is_a_conflict_not_a_500(app, demo, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    participants = desk.get(f"/meetings/{demo}/participants").get_json()
    person = next(p for p in participants if p["group"] == "observer_city")["user_id"]
    assert desk.patch(f"/users/{person}", {"active": False}).status_code == 200
    response = desk.post(f"/meetings/{demo}/participants", {"user_id": person, "group": "guest"})
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "already_participant"
