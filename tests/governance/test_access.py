"""Observers follow the open session; of the closed session they learn nothing, not even titles."""
import json

import pytest

from tests.databases import ONE_DATABASE

DEMO_PASSWORD = "excom-demo"
OBSERVER = "yonhap@excom.example.org"
CLOSED_TITLES = ["WeGO EXCOM Meeting (Closed Session)", "Annual Assessment of WeGO Regional Offices",
                 "Review of 2024 Financial Report", "Approval of Membership Fee Use for 2025",
                 "Review of Proposed Amendments to WeGO Statutes", "Closing Remarks by the Chair"]


def _closed_items(secretariat, meeting_id):
    meeting = secretariat.get(f"/meetings/{meeting_id}").get_json()
    closed = next(s for s in meeting["sessions"] if s["kind"] == "closed")
    open_ = next(s for s in meeting["sessions"] if s["kind"] == "open")
    return closed, open_


def _assert_nothing_closed(text):
    for title in CLOSED_TITLES:
        assert title not in text


def test_an_observer_sees_the_open_session_and_nothing_of_the_closed_one(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    chair = api.as_user("seoul@excom.example.org", DEMO_PASSWORD)
    observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    closed, open_ = _closed_items(secretariat, demo)

    # the chair moves the meeting into the closed session
    assert chair.post(f"/items/{closed['items'][2]['id']}/activate").status_code == 200

    answers = [
        observer.get(f"/meetings/{demo}"),
        observer.get(f"/meetings/{demo}/sessions"),
        observer.get("/meetings"),
        observer.get(f"/meetings/{demo}/participants"),
        observer.get(f"/meetings/{demo}/quorum"),
        observer.get("/me"),
    ]
    assert all(a.status_code == 200 for a in answers)
    for answer in answers:
        _assert_nothing_closed(answer.get_data(as_text=True))

    meeting = answers[0].get_json()
    assert [s["kind"] for s in meeting["sessions"]] == ["open"]
    assert [i["title"] for i in meeting["sessions"][0]["items"]] == [i["title"] for i in open_["items"]]
    assert meeting["current_item"] is None  # the closed session is on; the observer is told nothing of it

    # asking for a closed item or session directly: it does not exist for them
    for item in closed["items"]:
        response = observer.get(f"/items/{item['id']}")
        assert response.status_code == 404
        _assert_nothing_closed(response.get_data(as_text=True))
    assert observer.get(f"/meetings/{demo}/audit").status_code == 403


def test_a_member_delegate_sees_both_sessions_and_the_current_closed_item(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    chair = api.as_user("seoul@excom.example.org", DEMO_PASSWORD)
    delegate = api.as_user("abu-dhabi@excom.example.org", DEMO_PASSWORD)
    closed, _ = _closed_items(secretariat, demo)
    chair.post(f"/items/{closed['items'][2]['id']}/activate")

    meeting = delegate.get(f"/meetings/{demo}").get_json()
    assert [s["kind"] for s in meeting["sessions"]] == ["open", "closed"]
    assert meeting["current_item"]["title"] == "Annual Assessment of WeGO Regional Offices"


def test_members_other_than_the_chair_cannot_run_the_session(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    _, open_ = _closed_items(secretariat, demo)
    first = open_["items"][0]["id"]
    for email in ("abu-dhabi@excom.example.org", OBSERVER):
        person = api.as_user(email, DEMO_PASSWORD)
        response = person.post(f"/items/{first}/activate")
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
        assert person.post(f"/meetings/{demo}/adjourn").status_code == 403
    assert secretariat.get(f"/meetings/{demo}").get_json()["current_item"] is None


@pytest.mark.parametrize("call", [
    ("post", "/members", {"name": "Atlantis", "category": "city"}),
    ("post", "/meetings", {"title": "X", "starts_at": "2025-01-01T10:00:00+00:00"}),
    ("get", "/users", None),
])
def test_only_the_secretariat_prepares(demo, api, call):
    method, path, body = call
    chair = api.as_user("seoul@excom.example.org", DEMO_PASSWORD)
    response = getattr(chair, method)(path, **({"json": body} if body else {}))
    assert response.status_code == 403
    assert set(response.get_json()["error"]) == {"code", "message", "fields"}


def test_a_person_outside_the_meeting_cannot_know_it_exists(app, make, api, demo):
    with app.app_context():
        make.user(email="stranger@example.org")
    stranger = api.as_user("stranger@example.org")
    assert stranger.get(f"/meetings/{demo}").status_code == 404
    assert stranger.get("/meetings").get_json() == []


def test_a_suspended_member_s_delegate_loses_the_closed_session(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        suspended = make.member("Gotham", status="suspended")
        delegate = make.user(member=suspended, email="gotham@example.org")
        make.participant(meeting, delegate)
        meeting_id = meeting.id
    sessions = api.as_user("gotham@example.org").get(f"/meetings/{meeting_id}").get_json()["sessions"]
    assert [s["kind"] for s in sessions] == ["open"]
    assert "Closed session" not in json.dumps(sessions)


@ONE_DATABASE
def test_no_credentials_no_answer(client):
    for path in ("/api/v1/me", "/api/v1/members", "/api/v1/meetings"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
