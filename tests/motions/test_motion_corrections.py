"""Motions corrected at the desk: withdrawn (the memorandum says so, and no vote follows),
moved and seconded by whom, deleted before any vote; logo candidates renamed or removed
before the ballot; rehearsal polls cleared before the call to order."""
import io

import pytest
from docx import Document

from governance.audit.models import AuditEvent
from governance.extensions import db
from tests.motions.test_motions_api import png, upload
from tests.voting.scene import CITIES, Room

ITEM = "Approval of Host City of the EXCOM Meeting 2025"
REPORT = "Review of 2024 WeGO Secretariat Annual Report"


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def _memorandum_text(room) -> str:
    assert room.desk.post(f"/meetings/{room.meeting_id}/memorandum").status_code == 201
    document = Document(io.BytesIO(room.desk.get(f"/meetings/{room.meeting_id}/memorandum.docx").data))
    return "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_a_withdrawn_motion_is_recorded_as_withdrawn_and_never_voted(room):
    room.check_in(*CITIES)
    candidates = [room.members["Chengdu"], room.members["Cuenca"]]
    kept = room.motion(ITEM, kind="host_city", title="Host city of EXCOM 2025", candidates=candidates)
    duplicate = room.motion(ITEM, kind="host_city", title="Host city of EXCOM 2025 (twice)", candidates=candidates)
    answer = room.desk.post(f"/motions/{duplicate['id']}/withdraw")
    assert answer.status_code == 200 and answer.get_json()["status"] == "withdrawn"
    assert room.desk.post(f"/motions/{duplicate['id']}/withdraw").status_code == 200  # twice: no change
    refused = room.open_poll(duplicate["id"])
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "withdrawn"
    text = _memorandum_text(room)
    assert "Host city of EXCOM 2025 (twice)" in text and "The motion was withdrawn." in text
    # a motion whose vote is open, or which was decided, cannot be withdrawn
    poll = room.open_poll(kept["id"]).get_json()
    assert room.desk.post(f"/motions/{kept['id']}/withdraw").get_json()["error"]["code"] == "poll_open"
    for city in CITIES:
        room.vote(poll["id"], city, room.members["Cuenca"])
    room.close(poll["id"])
    assert room.desk.post(f"/motions/{kept['id']}/withdraw").get_json()["error"]["code"] == "already_decided"
    assert room.delegate("Almaty").post(f"/motions/{kept['id']}/withdraw").status_code == 403


def test_mover_and_seconder_are_recorded_and_printed(room):
    seoul, almaty = room.delegates["Seoul"], room.delegates["Almaty"]
    motion = room.motion(REPORT, kind="general", title="Note the annual report", moved_by_id=seoul["user_id"])
    answer = room.desk.patch(f"/motions/{motion['id']}", json={"seconded_by_id": almaty["user_id"]})
    assert answer.status_code == 200 and answer.get_json()["seconded_by_id"] == almaty["user_id"]
    text = _memorandum_text(room)
    assert f"{seoul['name']} (Seoul)" in text and f"{almaty['name']} (Almaty)" in text
    assert "Seconded by" in text and "Moved by" in text
    outsider = room.desk.post("/users", json={"name": "Not here", "email": "nothere@example.org"}).get_json()
    refused = room.desk.patch(f"/motions/{motion['id']}", json={"moved_by_id": outsider["id"]})
    assert refused.status_code == 422 and "moved_by_id" in refused.get_json()["error"]["fields"]
    created = room.desk.post(f"/items/{room.open_items[REPORT]}/motions", json={
        "kind": "general", "title": "x", "seconded_by_id": outsider["id"]})
    assert created.status_code == 422


def test_the_wording_is_fixed_once_voted_and_the_people_once_approved(room, app):
    room.check_in(*CITIES)
    motion = room.motion(REPORT, kind="general", title="Note the report")
    assert room.desk.patch(f"/motions/{motion['id']}", json={"title": "Note the annual report",
                                                             "majority": "two_thirds"}).status_code == 200
    poll = room.open_poll(motion["id"]).get_json()
    refused = room.desk.patch(f"/motions/{motion['id']}", json={"text": "Changed after the vote began"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "voting_started"
    for city in CITIES:
        room.vote(poll["id"], city, "yes")
    room.close(poll["id"])
    mover = room.delegates["Abuja"]["user_id"]
    assert room.desk.patch(f"/motions/{motion['id']}", json={"moved_by_id": mover}).status_code == 200
    room.desk.post(f"/meetings/{room.meeting_id}/memorandum")
    with app.app_context():  # the memorandum approved (as a later meeting's motion would)
        from minutes.operations import approve
        approve(room.meeting_id)
        db.session.commit()
    closed = room.desk.patch(f"/motions/{motion['id']}", json={"seconded_by_id": mover})
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "minutes_approved"
    notes = room.desk.put(f"/items/{room.open_items[REPORT]}/notes", json={"text": "Too late."})
    assert notes.status_code == 409 and notes.get_json()["error"]["code"] == "minutes_approved"


def test_a_motion_put_by_mistake_is_deleted_before_any_vote(room, app):
    room.check_in(*CITIES)
    mistake = room.motion(REPORT, kind="general", title="Put by mistake")
    assert room.desk.delete(f"/motions/{mistake['id']}").status_code == 204
    assert room.desk.get(f"/motions/{mistake['id']}").status_code == 404
    voted = room.motion(REPORT, kind="general", title="Voted on")
    poll = room.open_poll(voted["id"]).get_json()
    room.close(poll["id"])
    refused = room.desk.delete(f"/motions/{voted['id']}")
    assert refused.status_code == 409 and "withdraw it instead" in refused.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent.before).where(AuditEvent.action == "motion.deleted"))[
            "title"] == "Put by mistake"


def test_logo_candidates_are_renamed_and_removed_until_the_ballot(room, client):
    room.check_in(*CITIES)
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new logo")
    first, second, third = (upload(room, motion["id"], png(colour=c), f"{n}.png", "image/png", n).get_json()
                            for n, c in (("Blue", (0, 0, 200)), ("Green", (0, 200, 0)), ("Red", (200, 0, 0))))
    renamed = room.desk.patch(f"/logos/{first['id']}", json={"label": "Blue wave"})
    assert renamed.status_code == 200 and renamed.get_json()["label"] == "Blue wave"
    assert room.desk.delete(f"/logos/{third['id']}").status_code == 204
    assert room.desk.get(f"/logos/{third['id']}").status_code == 404
    assert [c["label"] for c in room.desk.get(f"/motions/{motion['id']}").get_json()["candidates"]] == [
        "Blue wave", "Green"]
    room.open_poll(motion["id"])
    for call in (room.desk.delete(f"/logos/{second['id']}"), room.desk.patch(f"/logos/{second['id']}",
                                                                             json={"label": "Late"})):
        assert call.status_code == 409 and call.get_json()["error"]["code"] == "voting_started"
    assert room.delegate("Almaty").delete(f"/logos/{second['id']}").status_code == 403


def test_rehearsal_polls_are_cleared_before_the_meeting_and_the_trail_keeps_them(room, app):
    room.check_in(*CITIES)
    rehearsal = room.motion(REPORT, kind="general", title="Test vote: do the phones work?")
    poll = room.open_poll(rehearsal["id"]).get_json()
    for city in CITIES[:5]:
        room.vote(poll["id"], city, "yes")
    assert room.close(poll["id"])["resolution_number"] == "EXCOM 2024/R1"
    open_poll = room.open_poll(room.motion(REPORT, kind="general", title="Another test")["id"]).get_json()
    assert room.desk.delete(f"/meetings/{room.meeting_id}/polls").get_json()["error"]["code"] == "poll_open"
    room.close(open_poll["id"])

    cleared = room.desk.delete(f"/meetings/{room.meeting_id}/polls")
    assert cleared.status_code == 200, cleared.get_json()
    assert cleared.get_json()["polls"] == 2 and cleared.get_json()["ballots"] == 5
    again = room.desk.get(f"/motions/{rehearsal['id']}").get_json()
    assert (again["status"], again["resolution_number"], again["rounds"]) == ("pending", None, [])
    assert room.desk.get(f"/polls/{poll['id']}").status_code == 404
    with app.app_context():
        from voting.models import Ballot, Participation, Poll
        assert db.session.scalar(db.select(db.func.count()).select_from(Poll)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Participation)) == 0
        actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]
        assert actions.count("poll.opened") == 2 and actions.count("poll.closed") == 2
        assert actions[-1] == "polls.cleared"
    # the real meeting: its first vote is round one again, and its first resolution R1
    room.chair.post(f"/items/{room.open_items[REPORT]}/activate")
    poll = room.open_poll(rehearsal["id"]).get_json()
    assert poll["round"] == 1
    for city in CITIES:
        room.vote(poll["id"], city, "yes")
    assert room.close(poll["id"])["resolution_number"] == "EXCOM 2024/R1"
    late = room.desk.delete(f"/meetings/{room.meeting_id}/polls")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "meeting_started"


def test_a_rehearsal_that_changed_the_organisation_cannot_be_cleared(room):
    room.check_in(*CITIES)
    motion = room.motion("Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership since "
                         "EXCOM Meeting 2023", kind="membership", member_id=room.members["Cali"], action="admit",
                         title="Admission of Cali")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        room.vote(poll["id"], city, "yes")
    room.close(poll["id"])
    refused = room.desk.delete(f"/meetings/{room.meeting_id}/polls")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "rehearsal_decided"
    assert "Admission of Cali" in refused.get_json()["error"]["message"]
    assert room.desk.get(f"/polls/{poll['id']}").status_code == 200


@pytest.mark.parametrize("taken, spelling", [
    ("Blue wave", "blue  WAVE"),
    ("São Paulo skyline", "Sa\u0303o Paulo Skyline"),  # the tilde typed as a combining mark
    ("Straße", "STRASSE"),
])
def test_two_logos_never_print_alike_on_the_ballot(room, taken, spelling):
    """Labels on one ballot are compared as people read them (governance.names), like members'
    names: an upload or a rename that would print like another candidate is 409 label_taken
    naming the spelling already there; an unnamed upload takes the next free "Logo N"."""
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new logo")
    first = upload(room, motion["id"], png(colour=(0, 0, 200)), "a.png", "image/png", taken)
    assert first.status_code == 201
    again = upload(room, motion["id"], png(colour=(0, 200, 0)), "b.png", "image/png", spelling)
    assert again.status_code == 409, again.get_json()
    assert again.get_json()["error"]["code"] == "label_taken" and taken in again.get_json()["error"]["message"]
    other = upload(room, motion["id"], png(colour=(0, 200, 0)), "b.png", "image/png", "Green").get_json()
    renamed = room.desk.patch(f"/logos/{other['id']}", json={"label": spelling})
    assert renamed.status_code == 409 and renamed.get_json()["error"]["code"] == "label_taken"
    tidied = room.desk.patch(f"/logos/{other['id']}", json={"label": "  Green   leaf "}).get_json()
    assert tidied["label"] == "Green leaf"
    assert room.desk.patch(f"/logos/{other['id']}", json={"label": "   "}).status_code == 422
    named_like_a_default = upload(room, motion["id"], png(), "c.png", "image/png", "logo 4").get_json()
    unnamed = upload(room, motion["id"], png(), "d.png", "image/png", "").get_json()
    assert (named_like_a_default["label"], unnamed["label"]) == ("logo 4", "Logo 5")
    labels = [c["label"] for c in room.desk.get(f"/motions/{motion['id']}").get_json()["candidates"]]
    assert labels == [taken, "Green leaf", "logo 4", "Logo 5"]
