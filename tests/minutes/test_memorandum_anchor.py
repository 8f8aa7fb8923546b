"""Each memorandum version prints the audit trail's head in both editions: a distributed copy
anchors the trail outside the database."""
from governance.cli import main
from governance.extensions import db
from minutes.anchor import printed_head
from tests import tampering
from tests.factories import PASSWORD
from tests.minutes.test_minutes_api import text_of


def _verify(runner, *args):
    result = runner.invoke(main, ["audit", "verify", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_both_editions_print_the_head_of_the_trail_at_the_build(app, api, small_meeting, runner):
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    assert staff.post(f"/meetings/{meeting}/memorandum").status_code == 201
    full = staff.get(f"/meetings/{meeting}/memorandum.docx").data
    public = staff.get(f"/meetings/{meeting}/memorandum.docx?edition=public").data
    with app.app_context():
        built = tampering.event_of("memorandum.built")
        before = db.session.execute(db.text("SELECT seq, hash FROM audit_events WHERE seq = :s"),
                                    {"s": built.seq - 1}).one()
    assert printed_head(full) == printed_head(public) == (before.seq, before.hash)
    assert f"Check: excom audit verify --head {before.seq}:{before.hash}" in text_of(public)
    code, output = _verify(runner, "--head", f"{before.seq}:{before.hash}")
    assert code == 0, output


def test_a_rewritten_trail_is_caught_by_the_head_a_distributed_memorandum_printed(app, api, small_meeting, runner):
    """The forger edits a note's event (the closed-session discussion) and recomputes the chain
    after it: the trail holds on its own, not against the copy the members received."""
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    staff.post(f"/meetings/{meeting}/memorandum")
    seq, digest = printed_head(staff.get(f"/meetings/{meeting}/memorandum.docx").data)
    with app.app_context():
        event = tampering.event_of("item.notes_written")  # the newest: the closed item's
        assert "Hush-hush" in event.after["text"]
        tampering.edit_event(event.seq, after={**event.after, "text": "Nothing was discussed."})
        tampering.rehash_trail_from(event.seq)
    assert _verify(runner)[0] == 0
    code, output = _verify(runner, "--head", f"{seq}:{digest}")
    assert code == 1 and f"so the trail was rewritten at or before event {seq}" in output
