"""Quorum as a pure rule, checked on every shape of committee hypothesis can think of."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.quorum import QuorumRule, compute, required_for

member_ids = st.sets(st.integers(min_value=1, max_value=500), max_size=120)


@pytest.mark.parametrize("voting, rule, required", [
    (12, QuorumRule("majority"), 7), (11, QuorumRule("majority"), 6), (1, QuorumRule("majority"), 1),
    (0, QuorumRule("majority"), 1), (12, QuorumRule("two_thirds"), 8), (10, QuorumRule("two_thirds"), 7),
    (9, QuorumRule("two_thirds"), 6), (0, QuorumRule("two_thirds"), 1), (12, QuorumRule("count", 5), 5),
])
def test_worked_cases(voting, rule, required):
    assert required_for(rule, voting) == required


@given(st.integers(min_value=0, max_value=10_000))
def test_majority_is_the_smallest_number_more_than_half(n):
    required = required_for(QuorumRule("majority"), n)
    assert 2 * required > n and 2 * (required - 1) <= n


@given(st.integers(min_value=1, max_value=10_000))
def test_two_thirds_is_the_smallest_number_at_least_two_thirds(n):
    required = required_for(QuorumRule("two_thirds"), n)
    assert 3 * required >= 2 * n and 3 * (required - 1) < 2 * n


@given(voting=member_ids, present=member_ids)
def test_only_present_voting_members_count(voting, present):
    quorum = compute(QuorumRule("majority"), voting, present)
    assert quorum.present == len(voting & present) <= quorum.voting_members == len(voting)
    assert quorum.quorate == (quorum.present >= quorum.required)


@given(voting=member_ids, present=member_ids, newcomer=st.integers(min_value=1, max_value=500),
       rule=st.sampled_from([QuorumRule("majority"), QuorumRule("two_thirds"), QuorumRule("count", 3)]))
def test_one_more_member_arriving_never_breaks_quorum(voting, present, newcomer, rule):
    before = compute(rule, voting, present)
    after = compute(rule, voting, present | {newcomer})
    assert after.present >= before.present
    assert not (before.quorate and not after.quorate)


@given(voting=member_ids, present=st.lists(st.integers(min_value=1, max_value=500), max_size=300))
def test_many_delegates_of_one_member_count_once(voting, present):
    assert compute(QuorumRule("majority"), voting, present) == compute(QuorumRule("majority"), voting, set(present))


def test_a_fixed_quorum_needs_a_count():
    with pytest.raises(ValueError):
        QuorumRule("count")
    with pytest.raises(ValueError):
        QuorumRule("most")
