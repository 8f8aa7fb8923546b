"""Every published result can be recounted from its stored ballots; tampering shows."""
import pytest
from sqlalchemy import text

from governance.cli import main
from governance.extensions import db
from tests.voting.scene import CITIES, Room


@pytest.fixture
def voted(demo, api):
    """Three closed polls: a named motion, a secret one, and a host-city round."""
    room = Room(api, demo)
    room.check_in(*CITIES)
    report = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept")
    poll = room.open_poll(report["id"]).get_json()
    for city, choice in zip(CITIES, ["yes"] * 7 + ["no"] * 4 + ["abstain"]):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    secret = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="Secret", secret=True)
    poll = room.open_poll(secret["id"]).get_json()
    for city, choice in zip(CITIES, ["no"] * 5 + ["yes"] * 7):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    a, b = room.members["Makati"], room.members["Abuja"]
    host = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title="Host 2025",
                       candidates=[a, b])
    poll = room.open_poll(host["id"]).get_json()
    for city, choice in zip(CITIES, [a] * 7 + [b] * 5):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    return room


def test_the_recount_holds_for_every_closed_poll(voted, runner):
    result = runner.invoke(main, ["audit", "recount"])
    assert result.exit_code == 0, result.output
    assert "recount holds for all 3 closed polls" in result.output


@pytest.mark.parametrize("tampering", [
    "UPDATE poll_ballots SET choice = 'yes' WHERE choice = 'no'",           # a changed ballot
    "DELETE FROM poll_ballots WHERE choice = 'no'",                          # a lost ballot
    "doctor the published result",
], ids=["changed ballot", "deleted ballot", "doctored result"])
def test_the_recount_finds_tampering(voted, app, runner, tampering):
    from voting.models import Poll
    with app.app_context():
        if tampering == "doctor the published result":
            secret = db.session.scalar(db.select(Poll).where(Poll.secret.is_(True)))
            secret.result = {**secret.result, "counts": {"yes": 7, "no": 2, "abstain": 0}}
            changed = 1
        else:
            changed = db.session.execute(text(tampering)).rowcount
        db.session.commit()
    assert changed > 0
    result = runner.invoke(main, ["audit", "recount"])
    assert result.exit_code == 1
    assert "recount FAILED" in result.output
