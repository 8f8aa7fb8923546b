"""A newcomer runs `excom demo` and finds the Almaty meeting as the program book has it."""
import json
from datetime import datetime

import pytest

from governance.cli import main
from governance.resources import demo_data_path

pytestmark = pytest.mark.both_databases  # `make run` loads the demo into SQLite; production databases are PostgreSQL

DEMO_PASSWORD = "excom-demo"
FACTS = json.loads(demo_data_path().read_text(encoding="utf-8"))


def test_the_secretariat_sees_the_agenda_exactly_as_in_the_program_book(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    meeting = secretariat.get(f"/meetings/{demo}").get_json()

    assert meeting["title"] == "WeGO Executive Committee Meeting 2024"
    assert meeting["venue"] == "Swissotel Wellness Resort Alatau Almaty"
    assert meeting["timezone"] == "Asia/Almaty"
    expected_sessions = FACTS["meeting"]["sessions"]
    assert [s["title"] for s in meeting["sessions"]] == [s["title"] for s in expected_sessions]
    for got, expected in zip(meeting["sessions"], expected_sessions):
        assert got["kind"] == expected["kind"]
        assert datetime.fromisoformat(got["starts_at"]) == datetime.fromisoformat(expected["starts_at"])
        assert datetime.fromisoformat(got["ends_at"]) == datetime.fromisoformat(expected["ends_at"])
        assert [(i["number"], i["title"], i["kind"]) for i in got["items"]] == [
            (i.get("number"), i["title"], i["kind"]) for i in expected["items"]]


def test_the_open_session_starts_at_two_in_the_afternoon_almaty_time(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    meeting = secretariat.get(f"/meetings/{demo}").get_json()
    from zoneinfo import ZoneInfo
    local = datetime.fromisoformat(meeting["sessions"][0]["starts_at"]).astimezone(ZoneInfo(meeting["timezone"]))
    assert (local.hour, local.minute, local.utcoffset().total_seconds()) == (14, 0, 5 * 3600)


def test_twelve_excom_members_with_seoul_s_delegate_in_the_chair(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    members = secretariat.get("/members").get_json()
    excom = sorted(m["name"] for m in members if m["excom"])
    assert len(excom) == 12
    assert {"Seoul", "Almaty", "São Paulo", "Beyoğlu"} <= set(excom)
    assert all(m["status"] == "active" for m in members if m["excom"])
    # Cali and Kaohsiung wait for the meeting's vote to admit them
    assert {m["name"]: m["status"] for m in members if not m["excom"]} == {"Cali": "applicant",
                                                                           "Kaohsiung": "applicant"}

    participants = secretariat.get(f"/meetings/{demo}/participants").get_json()
    chairs = [p for p in participants if p["chair"]]
    assert [(c["name"], c["affiliation"]) for c in chairs] == [("Hong-seok Koo", "Seoul")]
    groups = {}
    for p in participants:
        groups.setdefault(p["group"], []).append(p["name"])
    assert len(groups["excom_member"]) == 12
    assert groups["secretariat"] == ["Jung Sook Park"]
    assert set(groups) == {"excom_member", "observer_city", "observer_institution", "observer_media",
                           "observer_corporate", "secretariat"}
    assert len(participants) == len(FACTS["participants"])


def test_the_chair_signs_in_with_the_demo_password_and_sees_their_role(demo, api):
    chair = api.as_user("seoul@excom.example.org", DEMO_PASSWORD)
    me = chair.get("/me").get_json()
    assert me["member"]["name"] == "Seoul"
    assert me["meetings"] == [{"meeting_id": demo, "title": "WeGO Executive Committee Meeting 2024",
                               "group": "excom_member", "chair": True}]


def test_running_the_demo_twice_changes_nothing(demo, runner, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    audit_before = secretariat.get(f"/meetings/{demo}/audit").get_json()
    members_before = secretariat.get("/members").get_json()
    users_before = secretariat.get("/users").get_json()

    result = runner.invoke(main, ["demo"])

    assert result.exit_code == 0
    assert "already loaded, nothing changed" in result.output
    assert "seoul@excom.example.org" in result.output and "excom-demo" in result.output
    assert secretariat.get(f"/meetings/{demo}/audit").get_json() == audit_before
    assert secretariat.get("/members").get_json() == members_before
    assert secretariat.get("/users").get_json() == users_before
    assert len(secretariat.get("/meetings").get_json()) == 1
