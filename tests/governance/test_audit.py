"""The audit trail: every change leaves an event, and tampering with any event shows."""
import pytest
from sqlalchemy import text

from governance.cli import main
from governance.extensions import db

pytestmark = pytest.mark.both_databases  # the trail's rows, their order and the tampering a database writer can do

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


def _verify_with(runner, *args):
    result = runner.invoke(main, ["audit", "verify", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_an_edited_event_with_the_chain_recomputed_after_it_is_caught_by_a_head_copied_before(demo, app, runner):
    from tests import tampering
    with app.app_context():
        anchor = tampering.head()  # as printed in a memorandum distributed earlier
        event = tampering.event_of("member.created")
        tampering.edit_event(event.seq, after={**event.after, "status": "suspended"})
        tampering.rehash_trail_from(event.seq)
    # without an anchor (and without a key) the rewritten trail holds: the documented limit
    assert _verify_with(runner)[0] == 0
    code, output = _verify_with(runner, "--head", anchor)
    assert code == 1
    seq = anchor.split(":")[0]
    assert f"anchor {seq}:" in output and f"rewritten at or before event {seq}" in output


def test_newest_events_cut_off_are_caught_by_a_head_copied_before(demo, app, runner):
    from tests import tampering
    with app.app_context():
        anchor = tampering.head()
        seq = int(anchor.split(":")[0])
        assert tampering.cut_trail_after(seq - 3) == 3
    assert _verify_with(runner)[0] == 0
    code, output = _verify_with(runner, "--head", anchor)
    assert code == 1
    assert f"names event {seq} but the trail ends at event {seq - 3}: events were cut off" in output


def test_a_head_still_in_the_trail_holds_and_a_malformed_one_is_refused(demo, app, runner):
    from tests import tampering
    with app.app_context():
        anchor = tampering.head()
    code, output = _verify_with(runner, "--head", anchor)
    assert code == 0 and f"anchor {anchor} is in the trail" in output
    code, output = _verify_with(runner, "--head", "12:beef")
    assert code == 2 and "SEQ:HASH" in output


def test_a_trail_written_by_the_earlier_version_still_verifies_and_its_tampering_shows(demo, app, api, runner):
    """The events already stored when this version arrives keep their hash (scheme 1); new ones
    chain onto them in the canonical scheme. Nothing is re-hashed."""
    import hashlib
    import json
    from datetime import timedelta, timezone

    from governance.audit.models import AuditEvent
    with app.app_context():
        previous = "0" * 64
        events = list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq)))
        for event in events:
            event.prev_hash = f"{event.seq:064d}"
        db.session.flush()
        for event in events:
            # the earlier version's rule, written out as it was; some times hashed at +05:00
            moment = event.created_at.astimezone(timezone(timedelta(hours=5))) if event.seq % 2 else event.created_at
            fields = {"seq": event.seq, "created_at": moment.isoformat(), "actor_id": event.actor_id,
                      "meeting_id": event.meeting_id, "action": event.action, "subject_type": event.subject_type,
                      "subject_id": event.subject_id, "before": event.before, "after": event.after,
                      "prev_hash": previous}
            event.prev_hash, event.scheme = previous, 1
            event.hash = hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":"),
                                                   ensure_ascii=False).encode()).hexdigest()
            previous = event.hash
            db.session.flush()
        db.session.commit()
        legacy = len(events)
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    first_item = secretariat.get(f"/meetings/{demo}").get_json()["sessions"][0]["items"][0]
    assert secretariat.patch(f"/items/{first_item['id']}", json={"title": "Welcome"}).status_code == 200

    code, output = _verify_with(runner)
    assert code == 0, output
    assert f"{legacy} events were hashed by a version before the canonical form" in output
    assert f"{(legacy + 1) // 2} of them with their time in a local offset" in output
    with app.app_context():
        db.session.execute(text("UPDATE audit_events SET actor_id = 999 WHERE seq = 7"))
        db.session.commit()
    code, output = _verify_with(runner)
    assert code == 1 and "BROKEN at event 7: its content was changed" in output
