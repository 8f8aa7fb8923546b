"""The public edition's attendance does not give away a closed-session change of the board
(issue 13, tried as the press): its absent members are the board's voting members nobody
represented, and a member suspended in camera, not yet published, is still one of them to the
public, as `GET /members` and the quorum say."""
import pytest

from tests.minutes.test_builder import all_text
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room

CLOSED_ITEM = "Approval of Membership Fee Use for 2025"


@pytest.fixture
def room(demo, api):
    room = Room(api, demo)
    room.check_in(*[city for city in CITIES if city != "Hebron"])  # Hebron stays away
    return room


def _editions(room, api) -> tuple[str, str]:
    built = room.desk.post(f"/meetings/{room.meeting_id}/memorandum")
    assert built.status_code == 201, built.get_json()
    press = api.as_user(OBSERVER, DEMO_PASSWORD)
    public = press.get(f"/meetings/{room.meeting_id}/memorandum.docx?edition=public")
    full = room.desk.get(f"/meetings/{room.meeting_id}/memorandum.docx?edition=full")
    assert public.status_code == full.status_code == 200
    return all_text(public.data), all_text(full.data)


def _absent(text: str) -> str:
    """The attendance's count line and its list of absent members."""
    start = text.index("EXCOM members: ")
    return text[start:text.index("EXCOM members excused", start)]


def test_a_member_suspended_in_camera_is_absent_in_the_public_edition_until_published(room, api):
    public, _full = _editions(room, api)
    before = _absent(public)
    assert "EXCOM members: 12 (11 present in person" in before and "Hebron" in before
    motion = room.motion(CLOSED_ITEM, kind="membership", title="To suspend Hebron in camera",
                         member_id=room.members["Hebron"], action="suspend")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        if city != "Hebron":
            assert room.vote(poll["id"], city, "yes").status_code == 201
    assert room.close(poll["id"])["status"] == "adopted"

    public, full = _editions(room, api)
    assert "Hebron" not in _absent(full)  # the board without it: 11 members, 11 present
    assert _absent(public) == before  # to the public still a voting member, absent
    assert room.desk.post(f"/meetings/{room.meeting_id}/publish").status_code == 200
    public, full = _editions(room, api)
    assert _absent(public) == _absent(full)
