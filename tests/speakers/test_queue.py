"""The speakers' list order and limits: worked cases and hypothesis properties (pure rules)."""
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from governance.speakers.queue import (
    MAX_WAITING_QUESTIONS,
    Entry,
    elapsed_seconds,
    has_spoken,
    list_order,
    queue_order,
    refusal,
)

T0 = datetime(2024, 9, 20, 9, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def test_worked_case_point_of_order_first_then_first_timers_then_second_timers():
    entries = [
        Entry(1, 10, "speech", "done", at(0), started_at=at(1)),       # Seoul spoke already
        Entry(2, 10, "speech", "waiting", at(2)),                      # Seoul asks again, early
        Entry(3, 11, "question", "waiting", at(3)),
        Entry(4, 12, "speech", "waiting", at(4)),                      # Almaty, first time
        Entry(5, 13, "point_of_order", "waiting", at(5)),              # a point of order, last in
        Entry(6, 14, "speech", "withdrawn", at(1)),
    ]
    assert [e.id for e in queue_order(entries)] == [5, 3, 4, 2]
    assert [e.id for e in list_order(entries)] == [5, 3, 4, 2, 1, 6]


def test_a_person_speaking_now_counts_as_having_spoken():
    entries = [Entry(1, 10, "speech", "speaking", at(0), started_at=at(1)), Entry(2, 10, "speech", "waiting", at(2)),
               Entry(3, 11, "speech", "waiting", at(3))]
    assert has_spoken(entries) == {10}
    assert [e.id for e in list_order(entries)] == [1, 3, 2]


def test_limits_per_person_and_item():
    waiting_speech = [Entry(1, 10, "speech", "waiting", at(0))]
    assert refusal(waiting_speech, 10, "speech") == "already_waiting"
    assert refusal(waiting_speech, 11, "speech") is None
    assert refusal(waiting_speech, 10, "point_of_order") is None
    assert refusal(waiting_speech, 10, "question") is None
    questions = [Entry(i, 10, "question", "waiting", at(i)) for i in range(MAX_WAITING_QUESTIONS)]
    assert refusal(questions, 10, "question") == "too_many_questions"
    answered = [Entry(i, 10, "question", "done", at(i)) for i in range(10)]
    assert refusal(answered, 10, "question") is None
    assert refusal([Entry(1, 10, "speech", "done", at(0), started_at=at(0))], 10, "speech") is None


def test_elapsed_seconds_is_never_negative():
    assert elapsed_seconds(at(1), at(0)) == 0
    assert elapsed_seconds(at(0), at(3)) == 180


KINDS = st.sampled_from(("speech", "question", "point_of_order"))
STATUSES = st.sampled_from(("waiting", "speaking", "done", "withdrawn"))


@st.composite
def lists(draw):
    size = draw(st.integers(min_value=0, max_value=30))
    entries = []
    for index in range(size):
        status = draw(STATUSES)
        requested = at(draw(st.integers(min_value=0, max_value=120)))
        started = requested + timedelta(minutes=1) if status in ("speaking", "done") and draw(st.booleans()) else None
        if status == "speaking":
            started = started or requested
        entries.append(Entry(index + 1, draw(st.integers(min_value=1, max_value=6)), draw(KINDS), status, requested,
                             started))
    return entries


@given(lists(), st.randoms())
def test_the_queue_is_exactly_the_waiting_entries_and_does_not_depend_on_input_order(entries, random):
    order = queue_order(entries)
    assert sorted(e.id for e in order) == sorted(e.id for e in entries if e.status == "waiting")
    shuffled = list(entries)
    random.shuffle(shuffled)
    assert queue_order(shuffled) == order
    assert sorted(e.id for e in list_order(entries)) == sorted(e.id for e in entries)


@given(lists())
def test_points_of_order_lead_and_first_timers_precede_second_timers(entries):
    order = queue_order(entries)
    kinds = [e.kind == "point_of_order" for e in order]
    assert kinds == sorted(kinds, reverse=True)  # every point of order before anything else
    spoken = has_spoken(entries)
    rest = [e for e in order if e.kind != "point_of_order"]
    second = [e.kind == "speech" and e.user_id in spoken for e in rest]
    assert second == sorted(second)  # RONR 43:8: nobody speaks twice while a first-timer waits


@given(lists())
def test_within_a_rank_first_come_first_served(entries):
    order = queue_order(entries)
    spoken = has_spoken(entries)

    def rank(e):
        return (e.kind != "point_of_order", e.kind == "speech" and e.user_id in spoken)
    for earlier, later in zip(order, order[1:]):
        if rank(earlier) == rank(later):
            assert (earlier.requested_at, earlier.id) < (later.requested_at, later.id)


@given(lists(), st.integers(min_value=1, max_value=6), KINDS)
def test_a_refusal_means_the_person_already_waits(entries, user_id, kind):
    mine = [e for e in entries if e.user_id == user_id and e.kind == kind and e.status == "waiting"]
    reason = refusal(entries, user_id, kind)
    if kind == "question":
        assert (reason is not None) == (len(mine) >= MAX_WAITING_QUESTIONS)
    else:
        assert (reason is not None) == bool(mine)
