"""Closed-session decisions stay inside until the secretariat publishes them (issue 13).

What a closed-session decision changes is read by those who may not see the closed session
as it stood before, until POST /meetings/{id}/publish; the secretariat and the delegates who
sat in the closed session read it as it is."""
import io

import pytest

from tests.motions.test_motions_api import png
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room

CLOSED_ITEM = "Approval of Membership Fee Use for 2025"  # any item of the closed session


@pytest.fixture
def room(demo, api):
    room = Room(api, demo)
    room.check_in(*CITIES)
    room.observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    return room


def _decide(room, motion, choice):
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        assert room.vote(poll["id"], city, choice).status_code == 201
    return room.close(poll["id"])


def _logo_ballot(room, title, winner_png):
    """A closed-session logo ballot that `winner_png` wins."""
    motion = room.motion(CLOSED_ITEM, kind="logo", title=title)
    candidates = [room.desk.post(f"/motions/{motion['id']}/logos", json=None,
                                 data={"file": (io.BytesIO(image), f"{label}.png", "image/png"), "label": label},
                                 content_type="multipart/form-data").get_json()
                  for image, label in ((winner_png, "Winner"), (png(colour=(9, 9, 9)), "Other"))]
    assert _decide(room, motion, candidates[0]["value"])["status"] == "elected"


def _closed_host_city(room):
    makati = room.members["Makati"]
    motion = room.motion(CLOSED_ITEM, kind="host_city", title="Host city 2025 (in camera)",
                         candidates=[makati, room.members["Abuja"]], secret=True)
    assert _decide(room, motion, makati)["status"] == "elected"
    return motion, makati


def _closed_suspension(room, name="Hebron"):
    motion = room.motion(CLOSED_ITEM, kind="membership", title=f"To suspend {name}", member_id=room.members[name],
                         action="suspend")
    assert _decide(room, motion, "yes")["status"] == "adopted"
    return motion


def test_a_closed_session_s_next_host_reaches_outsiders_only_once_published(room):
    meeting = f"/meetings/{room.meeting_id}"
    motion, makati = _closed_host_city(room)
    assert room.desk.get(meeting).get_json()["next_host_id"] == makati
    assert room.delegate("Almaty").get(meeting).get_json()["next_host_id"] == makati
    assert room.observer.get(meeting).get_json()["next_host_id"] is None  # as it stood before the ballot

    # only the secretariat publishes: the observer takes part (403), nobody else knows the meeting
    assert room.observer.post(f"{meeting}/publish").status_code == 403
    assert room.delegate("Almaty").post(f"{meeting}/publish").status_code == 403
    published = room.desk.post(f"{meeting}/publish")
    assert published.status_code == 200
    body = published.get_json()
    assert body["changes_released"] == 1
    decision = body["decisions"][0]
    assert (decision["title"], decision["outcome"], decision["winner"]) == ("Host city 2025 (in camera)",
                                                                            "elected", "Makati")
    assert decision["resolution_number"]
    assert "counts" not in str(body) and "votes" not in str(body)  # never the counts of a secret ballot
    assert room.observer.get(meeting).get_json()["next_host_id"] == makati

    again = room.desk.post(f"{meeting}/publish")  # idempotent: nothing new, nothing recorded
    assert again.status_code == 200 and again.get_json()["changes_released"] == 0
    published_events = [e for e in room.desk.get(f"{meeting}/audit").get_json()
                        if e["action"] == "meeting.decisions_published"]
    assert len(published_events) == 1


def test_a_member_suspended_in_closed_session_stays_active_to_outsiders_until_published(room):
    hebron = room.members["Hebron"]
    _closed_suspension(room)
    assert room.desk.get(f"/members/{hebron}").get_json()["status"] == "suspended"
    assert room.delegate("Almaty").get(f"/members/{hebron}").get_json()["status"] == "suspended"
    assert room.observer.get(f"/members/{hebron}").get_json()["status"] == "active"
    listed = {m["id"]: m["status"] for m in room.observer.get("/members").get_json()}
    assert listed[hebron] == "active"
    room.desk.post(f"/meetings/{room.meeting_id}/publish")
    assert room.observer.get(f"/members/{hebron}").get_json()["status"] == "suspended"


def test_the_secretariat_s_own_edit_is_public_at_once(room):
    hebron = room.members["Hebron"]
    _closed_suspension(room)
    assert room.desk.patch(f"/members/{hebron}", json={"status": "withdrawn"}).status_code == 200
    assert room.observer.get(f"/members/{hebron}").get_json()["status"] == "withdrawn"


def test_an_agenda_adopted_in_closed_session_is_unlocked_to_outsiders_until_published(room):
    meeting = f"/meetings/{room.meeting_id}"
    motion = room.motion("Adoption of the Agenda for WeGO EXCOM 2024 by all present EXCOM Members",
                         kind="agenda_adoption", title="To adopt the agenda")
    assert _decide(room, motion, "yes")["status"] == "adopted"
    assert room.desk.get(meeting).get_json()["agenda_locked"] is True
    assert room.observer.get(meeting).get_json()["agenda_locked"] is False
    room.desk.post(f"{meeting}/publish")
    assert room.observer.get(meeting).get_json()["agenda_locked"] is True


def test_a_logo_adopted_in_closed_session_is_not_served_to_anyone_outside_until_published(room, client):
    old, new = png(colour=(200, 0, 0)), png(colour=(0, 160, 60))
    room.desk.put("/organisation/logo", json=None, data={"file": (io.BytesIO(old), "old.png", "image/png")},
                  content_type="multipart/form-data")
    _logo_ballot(room, "The new logo (in camera)", new)
    assert room.desk.get("/organisation/logo").data == new
    assert client.get("/api/v1/organisation/logo").data == old  # anonymous
    assert room.observer.get("/organisation/logo").data == old
    room.desk.post(f"/meetings/{room.meeting_id}/publish")
    assert client.get("/api/v1/organisation/logo").data == new


def test_no_logo_before_a_closed_session_adopted_one_means_none_outside(room, client):
    _logo_ballot(room, "The first logo (in camera)", png())
    assert client.get("/api/v1/organisation/logo").status_code == 404
    assert client.get("/api/v1/organisation").get_json()["has_logo"] is False
    assert room.desk.get("/organisation").get_json()["has_logo"] is True


def test_an_open_session_decision_is_public_at_once(room):
    makati = room.members["Makati"]
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title="Host city",
                         candidates=[makati, room.members["Abuja"]])
    _decide(room, motion, makati)
    assert room.observer.get(f"/meetings/{room.meeting_id}").get_json()["next_host_id"] == makati


def test_the_quorum_outsiders_hear_counts_the_board_as_they_know_it(room):
    """A suspension shrinks the board; told to an observer before publication, the quorum's
    count of voting members would give the closed-session decision away."""
    quorum = f"/meetings/{room.meeting_id}/quorum"
    before = room.observer.get(quorum).get_json()["voting_members"]
    _closed_suspension(room)
    assert room.desk.get(quorum).get_json()["voting_members"] == before - 1
    assert room.observer.get(quorum).get_json()["voting_members"] == before
    room.desk.post(f"/meetings/{room.meeting_id}/publish")
    assert room.observer.get(quorum).get_json()["voting_members"] == before - 1


def test_observers_hear_the_quorum_of_the_board_as_they_know_it(room, app):
    """Live: the suspension's quorum.changed reaches the closed-session room with the new board,
    the observers' room with the board as it was until published."""
    from governance.extensions import socketio
    observer = socketio.test_client(app, auth={"token": room.observer.token})
    delegate = socketio.test_client(app, auth={"token": room.delegate("Almaty").token})
    for phone in (observer, delegate):
        assert phone.emit("join", {"meeting_id": room.meeting_id}, callback=True)["ok"] is True
        phone.get_received()
    before = room.desk.get(f"/meetings/{room.meeting_id}/quorum").get_json()["voting_members"]
    _closed_suspension(room)

    def heard(phone):
        return [event["args"][0]["voting_members"] for event in phone.get_received()
                if event["name"] == "quorum.changed"]
    assert set(heard(delegate)) == {before - 1}
    assert set(heard(observer)) == {before}
    observer.disconnect(), delegate.disconnect()


def test_the_desk_offers_publication(room, app):
    from tests.pages.test_pages import html, sign_in
    from tests.voting.scene import SECRETARIAT
    status, text = html(sign_in(app.test_client(), SECRETARIAT), f"/meetings/{room.meeting_id}/desk")
    assert status == 200 and 'id="publish-decisions"' in text and "Publish closed-session decisions" in text
