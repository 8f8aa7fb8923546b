"""The audit trail: every change leaves an event, and tampering with any event shows."""
import pytest
from sqlalchemy import text

from governance.cli import main
from governance.extensions import db

DEMO_PASSWORD = "excom-demo"


def _verify(runner):
    result = runner.invoke(main, ["audit", "verify"])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_every_change_appends_an_event_with_who_and_before_after(demo, api, runner):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    chair = api.as_user("seoul@excom.example.org", DEMO_PASSWORD)
    meeting = secretariat.get(f"/meetings/{demo}").get_json()
    almaty = next(p for p in secretariat.get(f"/meetings/{demo}/participants").get_json()
                  if p["affiliation"] == "Almaty")
    first_item = meeting["sessions"][0]["items"][0]

    secretariat.patch(f"/items/{first_item['id']}", json={"title": "Opening and Welcome Remarks by Almaty"})
    secretariat.post(f"/meetings/{demo}/attendance", json={"user_id": almaty["user_id"], "mode": "in_person"})
    chair.post(f"/items/{first_item['id']}/activate")

    trail = secretariat.get(f"/meetings/{demo}/audit").get_json()
    actions = [e["action"] for e in trail]
    assert actions[-3:] == ["item.updated", "attendance.checked_in", "item.activated"]
    renamed = trail[-3]
    assert renamed["before"] == {"title": "Opening Announcement and Welcome Remarks by Almaty"}
    assert renamed["after"] == {"title": "Opening and Welcome Remarks by Almaty"}
    assert renamed["actor_id"] == secretariat.get("/me").get_json()["id"]
    assert trail[-1]["actor_id"] == chair.get("/me").get_json()["id"]
    # each event holds the hash of the one before it
    seqs = [e["seq"] for e in trail]
    assert seqs == sorted(seqs)

    code, output = _verify(runner)
    assert code == 0 and "intact" in output


@pytest.mark.parametrize("tampering, problem", [
    ("UPDATE audit_events SET after = '{\"status\": \"active\"}' WHERE seq = 5", "changed"),
    ("DELETE FROM audit_events WHERE seq = 5", "missing"),
    ("UPDATE audit_events SET seq = CASE seq WHEN 5 THEN 6 WHEN 6 THEN 5 END WHERE seq IN (5, 6)", None),
], ids=["edited", "deleted", "reordered"])
def test_excom_audit_verify_finds_a_tampered_event(demo, app, runner, tampering, problem):
    assert _verify(runner)[0] == 0
    with app.app_context():
        if "CASE" in tampering:
            # swap two events' places in the sequence through a free number (unique seq)
            db.session.execute(text("UPDATE audit_events SET seq = -1 WHERE seq = 5"))
            db.session.execute(text("UPDATE audit_events SET seq = 5 WHERE seq = 6"))
            db.session.execute(text("UPDATE audit_events SET seq = 6 WHERE seq = -1"))
        else:
            db.session.execute(text(tampering))
        db.session.commit()

    code, output = _verify(runner)
    assert code == 1
    assert "BROKEN at event 5" in output
    if problem:
        assert problem in output


def test_the_api_trail_is_for_the_secretariat_only(demo, api):
    for email in ("seoul@excom.example.org", "abu-dhabi@excom.example.org", "yonhap@excom.example.org"):
        assert api.as_user(email, DEMO_PASSWORD).get(f"/meetings/{demo}/audit").status_code == 403
