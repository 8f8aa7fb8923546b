"""Choices are read strictly (voting.choices, pure): what a ballot accepts, and nothing else."""
import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.fields import MAX_ID
from voting.choices import (
    ChoiceRefused,
    candidate_id,
    looks_like_a_choice,
    poll_id_of,
    stored_choice,
)

CANDIDATES = [12, 7, 40]


def acceptable(method: str, candidates, choice) -> bool:
    """The contract, said plainly (API.md): an exact word, or a candidate's id as a JSON integer
    or a string of ASCII digits; for IRV a list of distinct such ids."""
    def names(value):
        if type(value) is int:
            return value in candidates
        return type(value) is str and value.isascii() and value.isdigit() and len(value) <= 10 \
            and int(value) in candidates

    if choice == "abstain" and type(choice) is str:
        return True
    if method == "yes_no":
        return type(choice) is str and choice in ("yes", "no")
    if method == "exhaustive":
        return names(choice)
    return (type(choice) is list and 0 < len(choice) and all(names(c) for c in choice)
            and len({int(c) for c in choice}) == len(choice))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["yes", "no", "abstain", "12", "7", "²", "①", "١٢", "１２", "12.0", " 12", "+7", "0", "-7"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10)
near_misses = st.one_of(
    st.integers(min_value=-2, max_value=50), st.integers(min_value=MAX_ID - 2, max_value=MAX_ID + 2),
    st.text(alphabet=string.digits, min_size=1, max_size=12),
    st.lists(st.sampled_from([12, 7, 40, "12", "7", 3, True, [12], "²"]), max_size=5))


@given(method=st.sampled_from(["yes_no", "exhaustive", "irv"]), choice=json_values | near_misses)
def test_a_choice_is_stored_exactly_when_the_ballot_accepts_it(method, choice):
    try:
        stored = stored_choice(method, CANDIDATES, choice)
    except ChoiceRefused as refusal:
        assert not acceptable(method, CANDIDATES, choice)
        assert str(refusal)
        return
    assert acceptable(method, CANDIDATES, choice)
    assert looks_like_a_choice(choice)  # the shape filter never refuses what a ballot accepts
    if stored == "abstain" or method == "yes_no":
        assert stored == choice
    elif method == "exhaustive":
        assert stored == str(int(choice))
    else:
        assert json.loads(stored) == [int(c) for c in choice]


@pytest.mark.parametrize("choice", ["²", "①", "٣", "１２", "1" * 5000, True, False, 12.0, None, {"a": 1}, [12],
                                    "12 ", "", 2**63, -12, 0])
def test_the_cases_of_the_issue_are_refused_for_a_candidate(choice):
    with pytest.raises(ChoiceRefused):
        stored_choice("exhaustive", CANDIDATES, choice)


@pytest.mark.parametrize("ranking", [[[9]], [{"a": 1}], [12, 12], [12, "12"], [], [12, 99], [True], "12", 12,
                                     [12, 7, 40, 12], ["²"]])
def test_a_ranking_is_a_list_of_distinct_candidate_ids(ranking):
    with pytest.raises(ChoiceRefused):
        stored_choice("irv", CANDIDATES, ranking)


def test_a_ranking_too_long_for_the_column_is_refused_not_truncated():
    many = list(range(1_000_000_000, 1_000_000_060))
    with pytest.raises(ChoiceRefused):
        stored_choice("irv", many, many, longest=400)
    assert json.loads(stored_choice("irv", many, many[:30], longest=400)) == many[:30]


@given(st.integers())
def test_an_id_is_between_one_and_max_id(value):
    assert candidate_id(value) == (value if 1 <= value <= MAX_ID else None)
    assert poll_id_of({"poll_id": value}) == candidate_id(value)


@given(json_values)
def test_a_poll_id_is_a_json_integer_and_nothing_else(value):
    expected = value if type(value) is int and 1 <= value <= MAX_ID else None
    assert poll_id_of({"poll_id": value}) == expected
    assert poll_id_of(value) is None or isinstance(value, dict)
