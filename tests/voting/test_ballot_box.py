"""A burst of live votes is recorded in batches (group commit): every vote in a batch gets the
answer it would have got alone, and the batch is counted exactly once."""
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from governance.auth.models import hash_token
from governance.extensions import db
from governance.fields import MAX_ID
from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room
from voting.ballot_box import Slip, record_batch

pytestmark = pytest.mark.both_databases  # group commit of a burst of votes: locks and transactions


@pytest.fixture
def room(demo, api):
    room = Room(api, demo)
    room.observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    room.checked_in = False
    return room


def _slip(client, poll_id, choice):
    return Slip(hash_token(client.token), None, {"poll_id": poll_id, "choice": choice})


def _record(app, slips):
    """What the ballot box's writer does with one batch: record it, commit, answer each slip."""
    with app.app_context():
        return record_batch(slips)


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
        _slip(observer, 10**30, "yes"),                     # the case: an id no database holds
        _slip(room.delegate("Makati"), poll_id, "²"),       # a digit to str.isdigit, not to int
        _slip(room.delegate("Makati"), poll_id, [[9]]),
    ]
    answers = _record(app, slips)

    receipts = [a["receipt"] for a in answers[:8]]
    assert all(a["ok"] and a["poll_id"] == poll_id for a in answers[:8])
    assert len(set(receipts)) == 8
    assert [a["error"]["code"] for a in answers[8:]] == [
        "already_voted", "invalid", "not_present", "forbidden", "unauthorized", "not_found", "invalid", "not_found",
        "invalid", "invalid"]

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


# --- one bad slip never costs anyone else's vote ---------------------------------------------

_BAD_POLL_IDS = st.one_of(st.sampled_from([10**30, 2**63, 2**64, -(2**63) - 1, MAX_ID + 1]),
                          st.integers(min_value=MAX_ID + 1), st.integers(max_value=0), st.booleans(), st.none(),
                          st.floats(), st.text(max_size=20), st.lists(st.integers(), max_size=3),
                          st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
_ANY_CHOICE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.sampled_from(["yes", "no", "abstain", "²", "①", "1" * 5000, "12.0", "yes "]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=6)
_KINDS = {"yes_no": {"kind": "general"}, "exhaustive": {"kind": "host_city"},
          "irv": {"kind": "host_city", "method": "irv"}}


def _valid_choice(method, candidates):
    if method == "yes_no":
        return st.sampled_from(["yes", "no", "abstain"])
    one = st.sampled_from(candidates).flatmap(lambda c: st.sampled_from([c, str(c)]))
    if method == "exhaustive":
        return one | st.just("abstain")
    return st.permutations(candidates).flatmap(
        lambda order: st.integers(1, len(order)).map(lambda n: list(order[:n]))) | st.just("abstain")


def _accepted(method, candidates, choice) -> bool:
    """The contract as API.md says it (not the code under test): a garbage slip must never
    be a choice the ballot accepts."""
    def names(value):
        return (type(value) is int and value in candidates) or (
            type(value) is str and value.isascii() and value.isdigit() and len(value) <= 10
            and int(value) in candidates)
    if type(choice) is str and choice == "abstain":
        return True
    if method == "yes_no":
        return type(choice) is str and choice in ("yes", "no")
    if method == "exhaustive":
        return names(choice)
    return type(choice) is list and bool(choice) and all(names(c) for c in choice) \
        and len({int(c) for c in choice}) == len(choice)


def _readable(method, choice):
    """The choice as a closed poll's roll-call shows it."""
    if choice == "abstain" or method == "yes_no":
        return choice
    return int(choice) if method == "exhaustive" else [int(c) for c in choice]


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_garbage_slips_in_a_batch_fail_alone_and_exactly_the_valid_ones_count(app, room, data):
    """Whatever hostile or careless phones put in a batch (ids out of any range, choices no
    ballot accepts, shapes that are not a vote at all, a vote from the press), each of them is
    refused alone and every valid slip of the same batch is recorded, once, as cast."""
    if not room.checked_in:
        room.check_in(*CITIES)
        room.checked_in = True
    method = data.draw(st.sampled_from(sorted(_KINDS)), label="method")
    candidates = [room.members[city] for city in ("Makati", "Abuja", "Cuenca")]
    fields = dict(_KINDS[method], title="Host city 2025")
    if method != "yes_no":
        fields["candidates"] = candidates
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", **fields)
    opened = room.open_poll(motion["id"])
    assert opened.status_code == 201, opened.get_json()
    poll_id = opened.get_json()["id"]
    try:
        _a_batch_with_garbage(app, room, data, method, candidates, poll_id)
    finally:  # the next example opens a poll of its own: one open poll per meeting
        room.chair.post(f"/polls/{poll_id}/close")


def _a_batch_with_garbage(app, room, data, method, candidates, poll_id):
    voters = data.draw(st.lists(st.sampled_from(CITIES), unique=True, max_size=12), label="voters")
    valid = [(city, data.draw(_valid_choice(method, candidates), label=city)) for city in voters]
    phones = [room.delegate(city) for city in CITIES] + [room.observer]
    plausible = _valid_choice(method, candidates) | _ANY_CHOICE  # so that a bad id reaches the database
    garbage = data.draw(st.lists(st.one_of(
        st.tuples(st.sampled_from(phones), _BAD_POLL_IDS, plausible).map(
            lambda t: (t[0], {"poll_id": t[1], "choice": t[2]})),
        st.tuples(st.sampled_from(phones), _ANY_CHOICE.filter(lambda c: not _accepted(method, candidates, c))).map(
            lambda t: (t[0], {"poll_id": poll_id, "choice": t[1]})),
        st.tuples(st.sampled_from(phones), _ANY_CHOICE).map(lambda t: (t[0], {"poll_id": poll_id, "vote": t[1]})),
        st.just((room.observer, {"poll_id": poll_id, "choice": "abstain"})),  # the press does not vote
    ), min_size=1, max_size=25), label="garbage")
    slips = [(True, _slip(room.delegate(city), poll_id, choice)) for city, choice in valid]
    slips += [(False, Slip(hash_token(phone.token), None, slip_data)) for phone, slip_data in garbage]
    order = data.draw(st.permutations(range(len(slips))), label="order")
    batch = [slips[i] for i in order]

    answers = _record(app, [slip for _, slip in batch])

    for (is_valid, slip), answer in zip(batch, answers):
        if is_valid:
            assert answer.get("ok") is True and answer["poll_id"] == poll_id, (slip.data, answer)
        else:
            assert answer["error"]["code"] in ("invalid", "not_found", "forbidden"), (slip.data, answer)
    result = room.close(poll_id)
    assert sorted((v["member"], json.dumps(v["choice"])) for v in result["votes"]) == sorted(
        (city, json.dumps(_readable(method, choice))) for city, choice in valid)
    assert result["ballots"] == len(valid)


@pytest.fixture
def refusing_member(app):
    """A database that refuses one member's participation rows (a trigger): a failure of that
    slip's own, which no check in Python foresees."""
    def install(member_id):
        with app.app_context():
            if db.engine.dialect.name == "sqlite":
                db.session.execute(text(
                    f"CREATE TRIGGER refuse_one_member BEFORE INSERT ON poll_participations "
                    f"WHEN NEW.member_id = {int(member_id)} BEGIN SELECT RAISE(ABORT, 'refused'); END"))
            else:
                db.session.execute(text(
                    "CREATE FUNCTION refuse_one_member() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused'; END $$"))
                db.session.execute(text(
                    f"CREATE TRIGGER refuse_one_member BEFORE INSERT ON poll_participations FOR EACH ROW "
                    f"WHEN (NEW.member_id = {int(member_id)}) EXECUTE FUNCTION refuse_one_member()"))
            db.session.commit()
    yield install
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("DROP TRIGGER IF EXISTS refuse_one_member"))
        else:
            db.session.execute(text("DROP TRIGGER IF EXISTS refuse_one_member ON poll_participations"))
            db.session.execute(text("DROP FUNCTION IF EXISTS refuse_one_member()"))
        db.session.commit()


def test_a_slip_the_database_refuses_fails_alone(app, room, refusing_member):
    """The batch's write fails because of one slip: it is recorded again slip by slip, and only
    the guilty phone is told to vote again; the eleven others are counted."""
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept")
    poll_id = room.open_poll(motion["id"]).get_json()["id"]
    refusing_member(room.members["Hebron"])
    answers = _record(app, [_slip(room.delegate(city), poll_id, "yes") for city in CITIES])
    assert [a.get("ok") or a["error"]["code"] for a in answers] == [
        "internal_error" if city == "Hebron" else True for city in CITIES]
    result = room.close(poll_id)
    assert result["counts"] == {"yes": 11, "no": 0, "abstain": 0}
    assert "Hebron" not in {v["member"] for v in result["votes"]}


def test_a_batch_refuses_a_phone_whose_sign_in_lapsed_or_whose_account_was_closed(app, room):
    """The writer reads a batch's tokens as plain columns: an idle login and a deactivated
    account are still refused as they are for a vote arriving alone (401), beside a vote that
    counts."""
    room.check_in(*CITIES[:11])
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept")
    poll_id = room.open_poll(motion["id"]).get_json()["id"]
    idle, closed, counted = (room.delegate(city) for city in CITIES[:3])
    with app.app_context():
        long_ago = "2000-01-01 00:00:00"
        db.session.execute(text("UPDATE access_tokens SET created_at = :t, last_used_at = :t WHERE token_hash = :h"),
                           {"t": long_ago, "h": hash_token(idle.token)})
        db.session.execute(text("UPDATE users SET active = :no WHERE id = (SELECT user_id FROM access_tokens "
                                "WHERE token_hash = :h)"), {"no": False, "h": hash_token(closed.token)})
        db.session.commit()

    answers = _record(app, [_slip(idle, poll_id, "yes"), _slip(closed, poll_id, "yes"), _slip(counted, poll_id, "no")])

    assert [a.get("error", {}).get("code") for a in answers[:2]] == ["unauthorized", "unauthorized"]
    assert answers[2]["ok"]
    assert room.close(poll_id)["counts"] == {"yes": 0, "no": 1, "abstain": 0}
