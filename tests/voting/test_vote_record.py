"""Every delegate sees their member's own vote record: per poll, whether the vote was cast,
when (named polls), by whom and through which credential (their sign-in, an access link, a
token and who issued it). An impersonated vote is noticed by the person it impersonates; the
trail records each participation's credential, never a secret ballot's choice."""
import re

from governance.audit.models import AuditEvent
from governance.extensions import db
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, SECRETARIAT, Room


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_vote_cast_with_a_token_the_secretariat_issued_shows_in_the_delegate_s_record(demo, api, app):
    room = Room(api, demo)
    room.check_in(*CITIES)
    hebron = room.delegates["Hebron"]["user_id"]
    # the secretariat issues a token for Hebron's (absent) delegate and votes with it, twice
    issued = room.desk.post(f"/users/{hebron}/token", json={"label": "kiosk"}).get_json()
    impostor = api.__class__(app.test_client(), issued["token"])
    named = room.open_poll(room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general",
                                       title="To note")["id"]).get_json()
    assert impostor.post(f"/polls/{named['id']}/votes", json={"choice": "yes"}).status_code == 201
    # Almaty's delegate votes herself, from a browser signed in with an access link
    almaty = room.delegates["Almaty"]["user_id"]
    link = room.desk.post(f"/users/{almaty}/access-link", json={"label": "invitation"}).get_json()
    browser = app.test_client()
    browser.post(link["url"], data={"csrf_token": _csrf(browser.get(link["url"]).get_data(as_text=True))})
    page = browser.get(f"/meetings/{demo}").get_data(as_text=True)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    assert browser.post(f"/api/v1/polls/{named['id']}/votes", json={"choice": "no"},
                        headers={"X-CSRFToken": csrf}).status_code == 201
    assert room.vote(named["id"], "Seoul", "yes").status_code == 201  # the chair, with her login token
    room.close(named["id"])
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="Secretly",
                         secret=True)
    secret = room.open_poll(motion["id"]).get_json()
    assert impostor.post(f"/polls/{secret['id']}/votes", json={"choice": "no"}).status_code == 201
    room.close(secret["id"])

    # Hebron's delegate signs in and reads the record: both votes, through the secretariat's token
    record = room.delegate("Hebron").get(f"/meetings/{demo}/vote-record")
    assert record.status_code == 200
    body = record.get_json()
    assert body["member_name"] == "Hebron"
    by_poll = {entry["poll_id"]: entry for entry in body["polls"]}
    first, second = by_poll[named["id"]], by_poll[secret["id"]]
    assert first["cast"] and first["cast_at"] is not None
    assert first["credential"]["kind"] == "personal" and first["credential"]["token_label"] == "kiosk"
    desk_me = room.desk.get("/me").get_json()
    assert first["credential"]["issued_by"]["id"] == desk_me["id"]
    assert second["cast"] and second["secret"] and second["cast_at"] is None  # a secret poll keeps no time
    assert second["credential"]["kind"] == "personal"
    assert "choice" not in str(body) and "receipt" not in str(body)
    # the others: an access link, a login token
    almaty_record = room.delegate("Almaty").get(f"/meetings/{demo}/vote-record").get_json()
    assert {e["poll_id"]: e for e in almaty_record["polls"]}[named["id"]]["credential"]["kind"] == "link"
    seoul = {e["poll_id"]: e for e in room.chair.get(f"/meetings/{demo}/vote-record").get_json()["polls"]}
    assert seoul[named["id"]]["credential"] == {"kind": "login", "token_id": seoul[named["id"]]["credential"]
                                                ["token_id"], "token_label": "", "issued_by": None}
    assert seoul[secret["id"]]["cast"] is False

    # the trail: each participation's credential at closing, no choice
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent.after).where(AuditEvent.action == "poll.credentials",
                                                                       AuditEvent.subject_id == secret["id"])).all()
        db.session.rollback()
    [after] = events
    assert after["participations"] == [{"member_id": room.members["Hebron"], "cast_by_id": hebron,
                                              "credential": "personal", "token_id": issued["id"],
                                              "issued_by_id": desk_me["id"]}]


def test_only_a_member_s_own_delegates_and_the_secretariat_read_its_record(demo, api):
    room = Room(api, demo)
    assert api.as_user(OBSERVER, DEMO_PASSWORD).get(f"/meetings/{demo}/vote-record").status_code == 403
    other = room.members["Hebron"]
    assert room.delegate("Almaty").get(f"/meetings/{demo}/vote-record?member_id={other}").status_code == 403
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    assert desk.get(f"/meetings/{demo}/vote-record?member_id={other}").status_code == 200
    assert desk.get(f"/meetings/{demo}/vote-record").status_code == 403  # the secretariat has no member


def test_the_secretariat_asking_for_the_record_of_a_member_nobody_registered_is_told_there_is_none(demo, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    answer = desk.get(f"/meetings/{demo}/vote-record?member_id=999999")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"
    assert answer.get_json()["error"]["message"] == "No such member."
