"""The meeting's quorum when a poll was opened (`polls.quorum_at_open`): the typed quorum
(governance.quorum.Quorum) is stored as the same JSON as before, read back unchanged, and the
poll's answer describes it in the OpenAPI document (governance.meetings.schemas.QuorumOut)
instead of a free object."""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.extensions import db
from governance.meetings.schemas import QuorumOut
from governance.quorum import Quorum
from tests.voting.scene import CITIES, Room

quorums = st.builds(Quorum, voting_members=st.integers(0, 200), present=st.integers(0, 200),
                    required=st.integers(1, 200), quorate=st.booleans())


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


@given(quorums)
def test_a_stored_opening_quorum_reads_back_as_it_was(quorum):
    stored = json.loads(json.dumps(quorum.as_dict()))  # through the JSON column and back
    assert Quorum.from_json(stored) == quorum
    assert QuorumOut().dump(stored) == stored


def test_a_quorum_the_platform_did_not_write_is_no_quorum_rather_than_a_guess():
    assert Quorum.from_json(None) is None
    assert Quorum.from_json({}) is None
    assert Quorum.from_json({"present": 7, "quorate": True}) is None
    assert Quorum.from_json({"voting_members": 12, "present": "seven", "required": 7, "quorate": True}) is None


def test_the_poll_shows_the_quorum_it_was_opened_with_as_stored(room, app):
    from voting.models import Poll
    room.check_in(*CITIES[:7])
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note")
    poll = room.open_poll(motion["id"]).get_json()
    opened_with = {"voting_members": 12, "present": 7, "required": 7, "quorate": True}
    assert poll["quorum_at_open"] == opened_with
    room.check_in(CITIES[7])  # a later arrival changes the room, not the quorum the vote opened with
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["quorum_at_open"] == opened_with
    with app.app_context():
        assert db.session.get(Poll, poll["id"]).quorum_at_open == opened_with  # the JSON as it always was


def test_the_openapi_document_describes_the_opening_quorum(app):
    schemas = app.test_client().get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    quorum_at_open = schemas["PollOut"]["properties"]["quorum_at_open"]
    refs = [option["$ref"] for option in quorum_at_open.get("anyOf", [quorum_at_open]) if "$ref" in option]
    assert refs and refs[0].endswith("/QuorumOut")
    assert set(schemas["QuorumOut"]["properties"]) == {"voting_members", "present", "required", "quorate"}
