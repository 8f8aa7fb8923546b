"""The public edition of the memorandum and closed-session decisions (issue 13): it lists them
once the secretariat has published them (number, motion as worded, outcome), never before,
and never the debate, the notes or the counts of a secret ballot; its approval stamp never
names a closed-session resolution that is not published."""
import io

import pytest

from governance.extensions import db
from governance.meetings import operations as meeting_ops
from governance.meetings.models import Meeting
from minutes import operations as minutes_ops
from motions import operations as motion_ops
from tests.governance.test_publication import CLOSED_ITEM, _decide
from tests.minutes.test_approval import _vote_yes
from tests.minutes.test_builder import all_text
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room


@pytest.fixture
def room(demo, api):
    room = Room(api, demo)
    room.check_in(*CITIES)
    return room


def _public_edition(room, api) -> str:
    built = room.desk.post(f"/meetings/{room.meeting_id}/memorandum")
    assert built.status_code == 201, built.get_json()
    press = api.as_user(OBSERVER, DEMO_PASSWORD)
    answer = press.get(f"/meetings/{room.meeting_id}/memorandum.docx?edition=public")
    assert answer.status_code == 200
    return all_text(answer.data)


def test_the_public_edition_lists_closed_session_decisions_only_once_published(room, api):
    item_id = room.closed_items[CLOSED_ITEM]
    room.desk.put(f"/items/{item_id}/notes", json={"text": "Hebron's delegate pleaded at length."})
    motion = room.motion(CLOSED_ITEM, kind="membership", title="To suspend Hebron in camera",
                         member_id=room.members["Hebron"], action="suspend", secret=True)
    result = _decide(room, motion, "yes")
    number = result["resolution_number"]

    before = _public_edition(room, api)
    assert "To suspend Hebron in camera" not in before and number not in before

    assert room.desk.post(f"/meetings/{room.meeting_id}/publish").status_code == 200
    after = _public_edition(room, api)
    assert "Decisions of the closed session" in after
    assert "To suspend Hebron in camera" in after and number in after and "adopted" in after
    assert "pleaded at length" not in after  # never the notes of the closed session
    assert "Taken in closed session" not in after


def _closed_approval_meeting(make, approved_meeting_id):
    """A later meeting that approves the memorandum in its closed session."""
    meeting = make.meeting("Next meeting", sessions=(("Closed session", "closed"),))
    delegates = [make.delegate(meeting, f"Voter City {n}") for n in range(5)]
    staff = make.user("Desk", roles=["secretariat"])
    meeting = db.session.get(Meeting, meeting.id)
    for delegate in delegates:
        meeting_ops.record_attendance(meeting, actor=staff, user_id=delegate.id, mode="in_person", present=True)
    item = meeting_ops.add_item(meeting.sessions[0], actor=staff, title="Approval of the previous memorandum",
                                kind="minutes_approval")
    motion = motion_ops.create_motion(item, actor=staff, kind="minutes_approval",
                                      title="Approval of the memorandum of the small meeting",
                                      memorandum_meeting_id=approved_meeting_id)
    db.session.commit()
    return motion.id, delegates, staff


def test_the_public_stamp_does_not_name_a_closed_resolution_of_a_later_meeting(app, make, small_meeting):
    from docx import Document
    meeting_id = small_meeting["meeting"]
    with app.app_context():
        author = make.user("Builder", roles=["secretariat"])
        minutes_ops.build_memorandum_version(db.session.get(Meeting, meeting_id), actor=author)
        db.session.commit()
        motion_id, delegates, staff = _closed_approval_meeting(make, meeting_id)
        _vote_yes(motion_id, delegates, staff)
        version, = minutes_ops.versions(db.session.get(Meeting, meeting_id))

        def stamp(data):
            rows = Document(io.BytesIO(data)).tables[0].rows
            return {row.cells[0].text: row.cells[1].text for row in rows}["Version"]
        assert "by resolution" in stamp(version.full_docx)
        public = stamp(version.public_docx)
        assert "approved on " in public and "at the meeting of " in public
        assert "resolution" not in public and "/R1" not in public


def _pictures(docx: bytes) -> set[bytes]:
    import zipfile
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {package.read(name) for name in package.namelist() if name.startswith("word/media/")}


def test_the_public_edition_shows_the_logo_the_public_knows_until_the_closed_vote_is_published(room):
    from tests.governance.test_publication import _logo_ballot
    from tests.motions.test_motions_api import png
    old, new = png(colour=(200, 0, 0)), png(colour=(0, 160, 60))
    room.desk.put("/organisation/logo", json=None, data={"file": (io.BytesIO(old), "old.png", "image/png")},
                  content_type="multipart/form-data")
    _logo_ballot(room, "The new logo (in camera)", new)

    def editions():
        assert room.desk.post(f"/meetings/{room.meeting_id}/memorandum").status_code == 201
        base = f"/meetings/{room.meeting_id}/memorandum.docx?edition="
        return (_pictures(room.desk.get(base + "full").data), _pictures(room.desk.get(base + "public").data))
    full, public = editions()
    assert new in full and old in public and new not in public
    room.desk.post(f"/meetings/{room.meeting_id}/publish")
    assert new in editions()[1]
