"""Assessment polls end to end through the API and the ballot box: the six regional offices of
the program book scored on the phones, a table as the result, the recount over it."""
import pytest
from sqlalchemy import text

from governance.auth.models import hash_token
from governance.cli import main
from governance.extensions import db
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room
from voting.ballot_box import Slip, record_batch

AGENDA_5 = "Annual Assessment of WeGO Regional Offices"
OFFICES = ["East Asia (Chengdu)", "Mediterranean (Beyoğlu)", "Africa (Abuja)", "Latin America (Cuenca)",
           "Middle East & North Africa (Abu Dhabi)", "Central Asia (Almaty)"]


def sheet(*scores):
    return {"scores": {str(i): score for i, score in enumerate(scores)}}


@pytest.fixture
def room(demo, api):
    room = Room(api, demo)
    room.check_in(*CITIES)
    motions = room.desk.get(f"/items/{room.closed_items[AGENDA_5]}/motions").get_json()
    room.assessment = next(m for m in motions if m["kind"] == "assessment")
    return room


def test_the_demo_prepares_the_assessment_of_the_six_regional_offices(room):
    assessment = room.assessment
    assert assessment["subjects"] == OFFICES
    assert assessment["scale"] == {"min": 1, "max": 5}
    assert assessment["secret"] is True and assessment["status"] == "pending"


def test_the_members_score_the_offices_and_the_result_is_a_table(room):
    poll = room.open_poll(room.assessment["id"]).get_json()
    assert poll["method"] == "assessment"
    assert poll["motion"]["subjects"] == OFFICES and poll["motion"]["scale"] == {"min": 1, "max": 5}
    sheets = {"Seoul": sheet(5, 4, 4, 3, 4, 5), "Almaty": sheet(4, 4, 3, 4, 5, 5),
              "Chengdu": sheet(5, 3, 4, 3, 4, 4), "Makati": "abstain"}
    for city, choice in sheets.items():
        answer = room.vote(poll["id"], city, choice)
        assert answer.status_code == 201, answer.get_json()
    result = room.close(poll["id"])
    assert result["status"] == "recorded"
    assert (result["ballots"], result["cast"], result["abstain"]) == (4, 3, 1)
    east_asia = result["subjects"][0]
    assert east_asia == {"name": "East Asia (Chengdu)", "count": 3, "mean": 4.67, "median": 5,
                         "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 2}}
    assert [row["name"] for row in result["subjects"]] == OFFICES
    assert [row["median"] for row in result["subjects"]] == [5, 4, 4, 3, 4, 5]
    assert "votes" not in result  # secret: no roll-call
    motion = room.desk.get(f"/motions/{room.assessment['id']}").get_json()
    assert motion["status"] == "recorded" and motion["resolution_number"] is None
    again = room.open_poll(room.assessment["id"])
    assert again.status_code == 409  # the table is taken once


def test_a_named_assessment_publishes_each_members_sheet(room):
    motion = room.motion(AGENDA_5, kind="assessment", title="Named", subjects=["Abuja", "Cuenca"],
                         scale={"min": 0, "max": 10})
    poll = room.open_poll(motion["id"]).get_json()
    assert room.vote(poll["id"], "Seoul", sheet(10, 0)).status_code == 201
    assert room.vote(poll["id"], "Cuenca", sheet("7", "3")).status_code == 201  # digits as forms send them
    result = room.close(poll["id"])
    assert {v["member"]: v["choice"] for v in result["votes"]} == {
        "Seoul": {"scores": {"0": 10, "1": 0}}, "Cuenca": {"scores": {"0": 7, "1": 3}}}
    assert result["subjects"][0]["mean"] == 8.5 and len(result["subjects"][0]["distribution"]) == 11


@pytest.mark.parametrize("choice, reason", [
    (sheet(5, 4, 4), "Score every subject"),
    (sheet(5, 4, 4, 3, 4, 6), "from 1 to 5"),
    (sheet(5, 4, 4, 3, 4, 5, 1), "on this sheet only"),
    ("yes", "Send a score for every subject"),
    (12, "Send a score for every subject"),
])
def test_a_bad_sheet_is_refused_over_rest_with_the_reason(room, choice, reason):
    poll = room.open_poll(room.assessment["id"]).get_json()
    answer = room.vote(poll["id"], "Seoul", choice)
    assert answer.status_code == 422
    assert reason in answer.get_json()["error"]["fields"]["choice"][0]
    assert room.vote(poll["id"], "Seoul", sheet(5, 4, 4, 3, 4, 5)).status_code == 201


def test_bad_sheets_in_a_live_batch_get_an_error_ack_and_never_disturb_the_others(app, room):
    poll_id = room.open_poll(room.assessment["id"]).get_json()["id"]
    observer = room.api.as_user(OBSERVER, DEMO_PASSWORD)

    def slip(client, choice):
        return Slip(hash_token(client.token), None, {"poll_id": poll_id, "choice": choice})

    slips = [slip(room.delegate("Seoul"), sheet(5, 4, 4, 3, 4, 5)),
             slip(room.delegate("Almaty"), sheet(5, 4, 4)),                       # subjects left out
             slip(room.delegate("Abuja"), {"scores": {"0": 1.5}}),                 # not a whole number
             slip(room.delegate("Cuenca"), {"scores": {str(i): 1 for i in range(40)}}),  # far too long
             slip(room.delegate("Kampala"), {"scores": "5,4,4"}),
             slip(observer, sheet(1, 1, 1, 1, 1, 1)),   # the press does not even see a closed-session poll
             slip(room.delegate("Chengdu"), "abstain"),
             slip(room.delegate("Seoul"), sheet(1, 1, 1, 1, 1, 1))]                # the same phone again
    with app.app_context():
        answers = record_batch(slips)
    assert answers[0]["ok"] and answers[6]["ok"]
    assert [a.get("error", {}).get("code") for a in answers[1:6]] == ["invalid"] * 4 + ["not_found"]
    assert answers[7]["error"]["code"] == "already_voted"
    result = room.close(poll_id)
    assert (result["cast"], result["abstain"]) == (1, 1)
    assert result["subjects"][0]["distribution"]["5"] == 1


@pytest.mark.parametrize("fields, field", [
    ({"kind": "assessment"}, "subjects"),
    ({"kind": "assessment", "subjects": []}, "subjects"),
    ({"kind": "assessment", "subjects": ["Abuja", " abuja"]}, "subjects"),
    ({"kind": "assessment", "subjects": ["Abuja", "  "]}, "subjects"),
    ({"kind": "assessment", "subjects": ["Abuja"], "majority": "simple"}, "majority"),
    ({"kind": "assessment", "subjects": ["Abuja"], "scale": {"min": 5, "max": 1}}, "scale"),
    ({"kind": "assessment", "subjects": ["Abuja"], "scale": {"min": 0, "max": 20}}, "scale"),
    ({"kind": "assessment", "subjects": ["Abuja"], "scale": {"min": 1.5, "max": 5}}, "scale"),
    ({"kind": "assessment", "subjects": ["x"] * 31}, "subjects"),
    ({"kind": "general", "subjects": ["Abuja"]}, "subjects"),
])
def test_an_assessment_needs_its_subjects_and_a_usable_scale(room, fields, field):
    answer = room.desk.post(f"/items/{room.closed_items[AGENDA_5]}/motions", json={"title": "Scores", **fields})
    assert answer.status_code == 422, answer.get_json()
    assert any(name.split(".")[0] == field for name in answer.get_json()["error"]["fields"])


def test_no_majority_is_given_to_an_assessment_later(room):
    answer = room.desk.patch(f"/motions/{room.assessment['id']}", json={"majority": "two_thirds"})
    assert answer.status_code == 422 and "majority" in answer.get_json()["error"]["fields"]


def test_no_casting_vote_on_an_assessment(room):
    poll = room.open_poll(room.assessment["id"]).get_json()
    room.vote(poll["id"], "Seoul", sheet(5, 4, 4, 3, 4, 5))
    answer = room.chair.post(f"/polls/{poll['id']}/close", json={"casting_vote": 3})
    assert answer.status_code == 422


def test_the_recount_recounts_the_assessment_and_finds_a_changed_sheet(app, room, runner):
    poll = room.open_poll(room.assessment["id"]).get_json()
    for city, scores in (("Seoul", (5, 4, 4, 3, 4, 5)), ("Almaty", (4, 4, 3, 4, 5, 5))):
        room.vote(poll["id"], city, sheet(*scores))
    room.close(poll["id"])
    holds = runner.invoke(main, ["audit", "recount"])
    assert holds.exit_code == 0, holds.output
    with app.app_context():
        changed = db.session.execute(text("UPDATE poll_ballots SET choice = :edited WHERE choice = :was"), {
            "edited": '{"0":1,"1":4,"2":4,"3":3,"4":4,"5":5}', "was": '{"0":5,"1":4,"2":4,"3":3,"4":4,"5":5}'})
        assert changed.rowcount == 1
        db.session.commit()
    failed = runner.invoke(main, ["audit", "recount"])
    assert failed.exit_code == 1
    assert "subjects" in failed.output and "recount FAILED" in failed.output


def test_subjects_renamed_with_the_result_after_closing_are_found(app, room, runner):
    """A writer swaps two offices' names in the motion and in the stored table, so that the
    scores move from one office to the other and the recount of the ballots agrees: the names
    and scale recorded by the poll.closed event do not."""
    from motions.models import Motion
    from voting.models import Poll
    poll = room.open_poll(room.assessment["id"]).get_json()
    for city, scores in (("Seoul", (5, 4, 1, 3, 4, 5)), ("Almaty", (4, 4, 2, 4, 5, 5))):
        room.vote(poll["id"], city, sheet(*scores))
    room.close(poll["id"])
    assert runner.invoke(main, ["audit", "recount"]).exit_code == 0
    with app.app_context():
        motion = db.session.get(Motion, room.assessment["id"])
        swapped = list(motion.subjects)
        swapped[2], swapped[5] = swapped[5], swapped[2]
        motion.subjects = swapped
        stored = db.session.get(Poll, poll["id"])
        table = [dict(row) for row in stored.result["subjects"]]
        table[2]["name"], table[5]["name"] = table[5]["name"], table[2]["name"]
        stored.result = {**stored.result, "subjects": table}
        db.session.commit()
    failed = runner.invoke(main, ["audit", "recount"])
    assert failed.exit_code == 1
    assert "subjects: the poll.closed event (event" in failed.output and "Africa (Abuja)" in failed.output, \
        failed.output
