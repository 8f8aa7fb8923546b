"""A burst of live votes is recorded in batches (group commit): every vote in a batch gets the
answer it would have got alone, and the batch is counted exactly once."""
import threading

import pytest
from sqlalchemy import text

from governance.auth.models import hash_token
from governance.extensions import db
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room
from voting.ballot_box import Slip, record_slips


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def _slip(client, poll_id, choice):
    return Slip(hash_token(client.token), None, {"poll_id": poll_id, "choice": choice})


def _record(app, slips):
    with app.app_context():
        answers = record_slips(slips)
        db.session.commit()
    return answers


def test_one_batch_answers_each_phone_as_if_it_had_voted_alone(app, room):
    room.check_in(*CITIES[:11])  # Seoul, the last, is not in the room
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept")
    poll_id = room.open_poll(motion["id"]).get_json()["id"]
    observer = room.api.as_user(OBSERVER, DEMO_PASSWORD)
    revoked = room.api.as_user(room.desk.get(f"/users/{room.delegates['Hebron']['user_id']}").get_json()["email"],
                               DEMO_PASSWORD)
    assert revoked.post("/auth/logout").status_code in (200, 204)

    voters = CITIES[:8]
    slips = [_slip(room.delegate(city), poll_id, choice) for city, choice in zip(voters, ["yes"] * 5 + ["no"] * 3)]
    slips += [
        _slip(room.delegate("Abu Dhabi"), poll_id, "no"),   # the same phone taps again
        _slip(room.delegate("São Paulo"), poll_id, "maybe"),  # not a choice on this ballot
        _slip(room.delegate("Seoul"), poll_id, "yes"),      # not checked in
        _slip(observer, poll_id, "yes"),                    # the press does not vote
        _slip(revoked, poll_id, "yes"),                     # signed out before the vote arrived
        _slip(room.delegate("Makati"), poll_id + 1000, "yes"),
        Slip(hash_token(room.delegate("Makati").token), None, {"poll_id": poll_id}),
    ]
    answers = _record(app, slips)

    receipts = [a["receipt"] for a in answers[:8]]
    assert all(a["ok"] and a["poll_id"] == poll_id for a in answers[:8])
    assert len(set(receipts)) == 8
    assert [a["error"]["code"] for a in answers[8:]] == [
        "already_voted", "invalid", "not_present", "forbidden", "unauthorized", "not_found", "invalid"]

    assert room.chair.get(f"/polls/{poll_id}").get_json()["cast"] == 8
    result = room.close(poll_id)
    assert result["counts"] == {"yes": 5, "no": 3, "abstain": 0}
    assert {v["member"]: v["choice"] for v in result["votes"]} == {
        city: choice for city, choice in zip(voters, ["yes"] * 5 + ["no"] * 3)}
    published = {b["receipt"] for b in room.chair.get(f"/polls/{poll_id}/ballots").get_json()}
    assert published == set(receipts)


def test_a_secret_batch_stores_no_voter_beside_the_ballots(app, room):
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept",
                         secret=True)
    poll_id = room.open_poll(motion["id"]).get_json()["id"]
    answers = _record(app, [_slip(room.delegate(city), poll_id, "yes" if i % 3 else "no")
                            for i, city in enumerate(CITIES)])
    assert all(a["ok"] for a in answers)
    with app.app_context():
        rows = db.session.execute(text("SELECT member_id, cast_at FROM poll_ballots WHERE poll_id = :p"),
                                  {"p": poll_id}).all()
    assert len(rows) == 12 and set(rows) == {(None, None)}
    assert room.close(poll_id)["counts"] == {"yes": 8, "no": 4, "abstain": 0}


@pytest.mark.committed  # a second connection stands for the other process
def test_a_vote_another_process_records_first_is_refused_and_the_rest_of_the_batch_counts(app, room):
    """Two delegates of Abuja vote at once on two server processes. Process A has inserted
    Abuja's vote and not yet committed when process B inserts its batch: B waits on Abuja's
    key, A commits, and B records its batch without Abuja's second vote."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("two processes writing at once is PostgreSQL's case; SQLite has one writer")
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept")
    poll_id = room.open_poll(motion["id"]).get_json()["id"]
    with app.app_context():
        abuja = room.members["Abuja"]
        other_process = db.engine.connect()
        other_process.execute(text("INSERT INTO poll_participations (poll_id, member_id) VALUES (:p, :m)"),
                              {"p": poll_id, "m": abuja})
        other_process.execute(text("INSERT INTO poll_ballots (poll_id, receipt, choice, member_id) "
                                   "VALUES (:p, 'from-process-a', 'no', :m)"), {"p": poll_id, "m": abuja})
    batch = [_slip(room.delegate(city), poll_id, "yes") for city in ("Almaty", "Abuja", "Cuenca")]
    # process A commits while process B's insert waits on Abuja's key
    committing = threading.Timer(1.0, lambda: (other_process.commit(), other_process.close()))
    committing.start()
    try:
        answers = _record(app, batch)
    finally:
        committing.join()
    assert [a.get("ok") or a["error"]["code"] for a in answers] == [True, "already_voted", True]
    assert room.close(poll_id)["counts"] == {"yes": 2, "no": 1, "abstain": 0}
