"""Meetings made, copied, corrected and deleted from the desk; every correction refused (409
in_use, naming what depends) while something depends on what it would remove; apologies."""
import io
from datetime import datetime

import pytest
from docx import Document

from governance.audit.models import AuditEvent
from governance.extensions import db
from tests.voting.scene import CITIES, Room

OPEN_ITEM = "Review of 2024 WeGO Secretariat Annual Report"


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def _copy(room, **body):
    body = {"title": "WeGO Executive Committee Meeting 2025", "starts_at": "2025-10-14T14:00:00+05:00", **body}
    answer = room.desk.post(f"/meetings/{room.meeting_id}/copy", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_a_copy_takes_sessions_agenda_and_people_moved_to_the_new_date(room):
    original = room.desk.get(f"/meetings/{room.meeting_id}").get_json()
    hebron = room.delegates["Hebron"]["user_id"]
    assert room.desk.patch(f"/users/{hebron}", json={"active": False}).status_code == 200  # left out of the copy
    room.check_in("Seoul")
    copy = _copy(room)
    shift = datetime.fromisoformat(copy["starts_at"]) - datetime.fromisoformat(original["starts_at"])
    assert copy["reference"] == "EXCOM 2025" and copy["timezone"] == original["timezone"]
    assert copy["venue"] == original["venue"] and copy["opened_at"] is None
    for old, new in zip(original["sessions"], copy["sessions"], strict=True):
        assert (new["title"], new["kind"]) == (old["title"], old["kind"])
        assert datetime.fromisoformat(new["starts_at"]) - datetime.fromisoformat(old["starts_at"]) == shift
        assert [(i["number"], i["title"], i["kind"]) for i in new["items"]] == [
            (i["number"], i["title"], i["kind"]) for i in old["items"]]
    people = room.desk.get(f"/meetings/{copy['id']}/participants").get_json()
    before = room.desk.get(f"/meetings/{room.meeting_id}/participants").get_json()
    assert sorted((p["user_id"], p["group"], p["chair"]) for p in people) == sorted(
        (p["user_id"], p["group"], p["chair"]) for p in before if p["user_id"] != hebron)
    assert not any(p["present"] for p in people)  # what happened stays with the old meeting
    assert room.desk.get(f"/meetings/{copy['id']}/motions").get_json() == []
    bare = _copy(room, title="Bare", sessions=False, participants=False, reference="Extraordinary 2025")
    assert (bare["sessions"], bare["reference"]) == ([], "Extraordinary 2025")
    assert room.desk.get(f"/meetings/{bare['id']}/participants").get_json() == []


def test_a_meeting_in_which_nothing_happened_is_deleted_with_its_preparation(room, app):
    copy = _copy(room)
    item = copy["sessions"][0]["items"][3]["id"]
    room.desk.post(f"/items/{item}/motions", json={"kind": "general", "title": "Note the report"})
    assert room.delegate("Almaty").delete(f"/meetings/{copy['id']}").status_code == 403
    assert room.desk.delete(f"/meetings/{copy['id']}").status_code == 204
    assert room.desk.get(f"/meetings/{copy['id']}").status_code == 404
    with app.app_context():
        [event] = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "meeting.deleted")).all()
        assert (event.meeting_id, event.before["title"]) == (copy["id"], copy["title"])


def test_a_meeting_in_which_something_happened_cannot_be_deleted(room):
    room.check_in("Seoul")
    refused = room.desk.delete(f"/meetings/{room.meeting_id}")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "in_use"
    assert "1 check-in(s)" in refused.get_json()["error"]["message"]
    copy = _copy(room, participants=False)
    room.desk.post(f"/meetings/{copy['id']}/memorandum")
    said = room.desk.delete(f"/meetings/{copy['id']}").get_json()["error"]["message"]
    assert "1 memorandum version (version 1)" in said
    later = _copy(room, title="EXCOM 2026", starts_at="2026-10-14T14:00:00+05:00", participants=False)
    approval_item = later["sessions"][1]["items"][1]["id"]
    room.desk.post(f"/items/{approval_item}/motions", json={"kind": "minutes_approval", "title": "Approve 2025",
                                                             "memorandum_meeting_id": copy["id"]})
    said = room.desk.delete(f"/meetings/{copy['id']}").get_json()["error"]["message"]
    assert "motion of another meeting approving its memorandum (Approve 2025)" in said


def test_sessions_are_edited_and_an_empty_one_deleted(room):
    copy = _copy(room)
    open_session, closed_session = copy["sessions"]
    answer = room.desk.patch(f"/sessions/{open_session['id']}", json={
        "title": "Open Session (moved)", "venue": "Hall C", "starts_at": "2025-10-14T15:00:00+05:00",
        "ends_at": "2025-10-14T18:00:00+05:00"})
    assert answer.status_code == 200 and answer.get_json()["venue"] == "Hall C"
    bad = room.desk.patch(f"/sessions/{open_session['id']}", json={"ends_at": "2025-10-14T14:00:00+05:00"})
    assert bad.status_code == 422 and "ends_at" in bad.get_json()["error"]["fields"]
    refused = room.desk.delete(f"/sessions/{open_session['id']}")
    assert refused.status_code == 409
    assert "7 agenda items (Opening Announcement" in refused.get_json()["error"]["message"]
    spare = room.desk.post(f"/meetings/{copy['id']}/sessions", json={"title": "Spare", "kind": "open"}).get_json()
    assert room.desk.delete(f"/sessions/{spare['id']}").status_code == 204
    assert [s["title"] for s in room.desk.get(f"/meetings/{copy['id']}").get_json()["sessions"]] == [
        "Open Session (moved)", closed_session["title"]]
    assert room.delegate("Almaty").patch(f"/sessions/{open_session['id']}", json={"title": "x"}).status_code == 403


def test_a_session_stays_open_or_closed_once_something_depends_on_it(room):
    chair = room.chair
    # the demo meeting: a motion under a closed item, so its session cannot become open
    motion = room.motion("Approval of Membership Fee Use for 2025", kind="general", title="Spend the reserve")
    closed = room.desk.get(f"/meetings/{room.meeting_id}").get_json()["sessions"][1]
    refused = room.desk.patch(f"/sessions/{closed['id']}", json={"kind": "open"})
    assert refused.status_code == 409 and "Spend the reserve" in refused.get_json()["error"]["message"]
    assert motion["id"]
    chair.post(f"/items/{room.open_items[OPEN_ITEM]}/activate")  # the meeting is called to order
    opened = room.desk.patch(f"/sessions/{closed['id']}", json={"kind": "closed"})  # no change: fine
    assert opened.status_code == 200
    started = room.desk.patch(f"/sessions/{closed['id']}", json={"kind": "open"})
    assert started.status_code == 409 and started.get_json()["error"]["code"] == "meeting_started"


def test_items_are_deleted_only_while_nothing_depends_on_them(room):
    copy = _copy(room)
    items = {i["title"]: i["id"] for s in copy["sessions"] for i in s["items"]}
    photo, report = items["Group Photo"], items[OPEN_ITEM]
    welcome = items["Opening Announcement and Welcome Remarks by Almaty"]
    room.desk.post(f"/items/{report}/motions", json={"kind": "general", "title": "Note the report"})
    room.desk.put(f"/items/{welcome}/notes", json={"text": "Almaty welcomed the delegates."})
    for item, says in ((report, "1 motion (Note the report)"), (welcome, "its notes (1 revision(s))")):
        refused = room.desk.delete(f"/items/{item}")
        assert refused.status_code == 409 and says in refused.get_json()["error"]["message"]
    room.chair.post(f"/items/{photo}/activate")
    assert "being the current item" in room.desk.delete(f"/items/{photo}").get_json()["error"]["message"]
    spare = room.desk.post(f"/sessions/{copy['sessions'][0]['id']}/items", json={"title": "Coffee"}).get_json()
    assert room.desk.delete(f"/items/{spare['id']}").status_code == 204
    assert room.desk.get(f"/items/{spare['id']}").status_code == 404


def test_participants_are_removed_only_while_nothing_depends_on_them(room):
    copy = _copy(room)
    people = {p["affiliation"]: p for p in room.desk.get(f"/meetings/{copy['id']}/participants").get_json()}
    assert room.desk.delete(f"/participants/{people['Kampala']['id']}").status_code == 204
    assert "Kampala" not in {p["affiliation"] for p in room.desk.get(f"/meetings/{copy['id']}/participants").get_json()}
    room.desk.post(f"/meetings/{copy['id']}/attendance", json={"user_id": people["Makati"]["user_id"]})
    refused = room.desk.delete(f"/participants/{people['Makati']['id']}")
    assert refused.status_code == 409 and "1 check-in" in refused.get_json()["error"]["message"]
    item = copy["sessions"][0]["items"][3]["id"]
    room.desk.post(f"/items/{item}/motions", json={"kind": "general", "title": "Thank Almaty",
                                                    "moved_by_id": people["Almaty"]["user_id"]})
    said = room.desk.delete(f"/participants/{people['Almaty']['id']}").get_json()["error"]["message"]
    assert "1 motion moved or seconded (Thank Almaty)" in said


def test_a_participant_who_voted_stays(room):
    room.check_in(*CITIES)
    motion = room.motion(OPEN_ITEM, kind="general", title="Note the report")
    poll = room.open_poll(motion["id"]).get_json()
    room.vote(poll["id"], "Cuenca", "yes")
    said = room.desk.delete(f"/participants/{room.delegates['Cuenca']['id']}").get_json()["error"]["message"]
    assert "1 check-in" in said and "1 vote(s) cast" in said


def _csv(text: str):
    return {"file": (io.BytesIO(text.encode()), "delegates.csv")}


def test_a_list_of_delegates_is_imported_all_or_nothing(room, api):
    copy = _copy(room, participants=False)
    path = f"/meetings/{copy['id']}/participants/import"
    good = ("email,name,member,title,group,chair,excused\n"
            "seoul@excom.example.org,,Seoul,,,yes,\n"                     # known: added, chairs
            "new.delegate@cali.example.org,Ana Cali,Cali,Mayor's envoy,observer_city,,\n"
            "guest@example.org,Gus Guest,,Consultant,,,yes\n")
    preview = room.desk.post(path + "/preview", json=None, data=_csv(good), content_type="multipart/form-data")
    assert [(r["action"], r["values"]["group"]) for r in preview.get_json()["rows"]] == [
        ("add", "excom_member"), ("create", "observer_city"), ("create", "guest")]
    assert room.desk.get(f"/meetings/{copy['id']}/participants").get_json() == []
    bad = good + ("atlantis@example.org,Atlas,Atlantis,,,,\n"
                  "almaty@excom.example.org,,,,,yes,\n"
                  "cali2@example.org,Cal,Cali,,excom_member,,\n")
    refused = room.desk.post(path, json=None, data=_csv(bad), content_type="multipart/form-data")
    fields = refused.get_json()["error"]["fields"]
    assert refused.status_code == 422 and set(fields) == {"5.member", "6.chair", "7.group"}
    assert room.desk.get(f"/meetings/{copy['id']}/participants").get_json() == []
    done = room.desk.post(path, json=None, data=_csv(good), content_type="multipart/form-data")
    assert done.status_code == 200, done.get_json()
    people = {p["name"]: p for p in room.desk.get(f"/meetings/{copy['id']}/participants").get_json()}
    assert people["Hong-seok Koo"]["chair"] and people["Ana Cali"]["affiliation"] == "Cali"
    assert people["Gus Guest"]["excused"] and people["Gus Guest"]["group"] == "guest"
    again = room.desk.post(path + "/preview", json=None, data=_csv(good), content_type="multipart/form-data")
    assert {r["action"] for r in again.get_json()["rows"]} == {"unchanged"}
    exported = room.desk.get(f"/meetings/{copy['id']}/participants/export").data.decode("utf-8-sig")
    assert exported.splitlines()[0] == "email,name,member,affiliation,title,group,chair,excused"
    assert "new.delegate@cali.example.org,Ana Cali,Cali" in exported
    with pytest.raises(AssertionError):
        api.as_user("new.delegate@cali.example.org", "")  # no password: a personal access link only


def _docx_text(data: bytes) -> str:
    """The document's text in reading order, tables where they stand."""
    parts = []
    for block in Document(io.BytesIO(data)).iter_inner_content():
        if hasattr(block, "rows"):
            parts.extend(" | ".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def test_a_delegate_sends_apologies_and_the_memorandum_says_excused(room):
    copy = _copy(room)
    makati = api_delegate = room.delegate("Makati")
    answer = api_delegate.post(f"/meetings/{copy['id']}/apologies", json={})
    assert answer.status_code == 200 and answer.get_json()["excused"] is True
    assert makati.post(f"/meetings/{copy['id']}/apologies", json={"excused": "perhaps"}).status_code == 422
    room.desk.post(f"/meetings/{copy['id']}/memorandum")
    text = _docx_text(room.desk.get(f"/meetings/{copy['id']}/memorandum.docx").data)
    excused = text.split("EXCOM members excused (1)")[1].split("Observer cities")[0]
    assert "Makati" in excused
    # taken back, and then the meeting is called to order: too late to send them from the phone
    assert makati.post(f"/meetings/{copy['id']}/apologies", json={"excused": False}).get_json()["excused"] is False
    room.chair.post(f"/items/{copy['sessions'][0]['items'][0]['id']}/activate")
    late = makati.post(f"/meetings/{copy['id']}/apologies", json={})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "meeting_started"
    # the desk records them any time
    makati_participant = next(p for p in room.desk.get(f"/meetings/{copy['id']}/participants").get_json()
                              if p["affiliation"] == "Makati")
    assert room.desk.patch(f"/participants/{makati_participant['id']}", json={"excused": True}).get_json()["excused"]
    stranger = room.api.as_user(room.desk.post("/users", json={
        "name": "S", "email": "s@example.org", "password": "correct horse battery"}).get_json()["email"])
    assert stranger.post(f"/meetings/{copy['id']}/apologies", json={}).status_code == 404


def test_the_desk_s_corrections_are_in_the_trail(room):
    copy = _copy(room)
    session = room.desk.post(f"/meetings/{copy['id']}/sessions", json={"title": "Spare", "kind": "open"}).get_json()
    room.desk.patch(f"/sessions/{session['id']}", json={"title": "Spare room"})
    room.desk.delete(f"/sessions/{session['id']}")
    actions = [e["action"] for e in room.desk.get(f"/meetings/{copy['id']}/audit").get_json()]
    assert actions[-3:] == ["session.created", "session.updated", "session.deleted"]
    assert actions.count("meeting.copied") == 1


def test_documents_and_requests_to_speak_keep_their_item_and_meeting(room):
    from tests.documents.samples import a_pdf
    copy = _copy(room, participants=False)
    item = copy["sessions"][0]["items"][3]["id"]
    attached = room.desk.post(f"/items/{item}/documents", json=None, content_type="multipart/form-data",
                              data={"title": "Annual report", "file": (io.BytesIO(a_pdf()), "report.pdf")})
    assert attached.status_code == 201, attached.get_json()
    for path, says in ((f"/items/{item}", "1 document (Annual report)"),
                       (f"/meetings/{copy['id']}", "1 document (Annual report)")):
        refused = room.desk.delete(path)
        assert refused.status_code == 409 and says in refused.get_json()["error"]["message"]
    assert room.desk.delete(f"/documents/{attached.get_json()['id']}").status_code == 204
    assert room.desk.delete(f"/meetings/{copy['id']}").status_code == 204
