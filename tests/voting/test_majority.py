"""Majority rules: worked cases a secretary would check by hand, then properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting.majority import RULES, Outcome, UnknownRule, decide

# --------------------------------------------------------------------------
# Worked cases
# --------------------------------------------------------------------------

# (rule, yes, no, abstain, present, voting_members, adopted, threshold)
WORKED_CASES = [
    # simple: more yes than no, abstentions do not count
    pytest.param("simple", 5, 4, 0, 9, 12, True, 5, id="simple-won-by-one"),
    pytest.param("simple", 4, 4, 1, 9, 12, False, 5, id="simple-tie-is-lost"),
    pytest.param("simple", 3, 2, 7, 12, 15, True, 3, id="simple-abstentions-ignored"),
    pytest.param("simple", 1, 0, 8, 9, 9, True, 1, id="simple-single-yes-unopposed"),
    pytest.param("simple", 0, 0, 5, 5, 5, False, 1, id="simple-all-abstain"),
    pytest.param("simple", 0, 0, 0, 0, 10, False, 1, id="simple-nobody-present"),
    # two_thirds of votes cast: yes >= 2 x no
    pytest.param("two_thirds", 8, 4, 0, 12, 12, True, 8, id="two-thirds-met-exactly"),
    pytest.param("two_thirds", 7, 4, 1, 12, 12, False, 8, id="two-thirds-missed-by-one"),
    pytest.param("two_thirds", 10, 5, 20, 35, 40, True, 10, id="two-thirds-abstentions-ignored"),
    pytest.param("two_thirds", 1, 0, 0, 1, 1, True, 1, id="two-thirds-single-yes-unopposed"),
    pytest.param("two_thirds", 0, 0, 6, 6, 9, False, 1, id="two-thirds-all-abstain"),
    pytest.param("two_thirds", 0, 0, 0, 0, 9, False, 1, id="two-thirds-nobody-present"),
    # absolute_present: more than half of the voting members present
    pytest.param("absolute_present", 5, 0, 4, 9, 12, True, 5, id="absolute-present-met-exactly"),
    pytest.param("absolute_present", 4, 1, 4, 9, 12, False, 5, id="absolute-present-missed-by-one"),
    pytest.param("absolute_present", 5, 2, 3, 10, 12, False, 6, id="absolute-present-exact-half-fails"),
    pytest.param("absolute_present", 6, 4, 0, 10, 12, True, 6, id="absolute-present-even-met"),
    pytest.param("absolute_present", 4, 0, 0, 9, 12, False, 5, id="absolute-present-silent-members-count"),
    pytest.param("absolute_present", 0, 0, 3, 3, 5, False, 2, id="absolute-present-all-abstain"),
    pytest.param("absolute_present", 0, 0, 0, 0, 5, False, 1, id="absolute-present-nobody-present"),
    # absolute_all: more than half of all voting members, present or not
    pytest.param("absolute_all", 7, 2, 0, 9, 12, True, 7, id="absolute-all-met-exactly"),
    pytest.param("absolute_all", 6, 0, 0, 6, 12, False, 7, id="absolute-all-exact-half-fails"),
    pytest.param("absolute_all", 6, 3, 0, 9, 12, False, 7, id="absolute-all-missed-by-one"),
    pytest.param("absolute_all", 7, 6, 0, 13, 13, True, 7, id="absolute-all-odd-roll"),
    pytest.param("absolute_all", 0, 0, 0, 0, 0, False, 1, id="absolute-all-empty-body"),
    # two_thirds_present: at least two thirds of the voting members present
    pytest.param("two_thirds_present", 6, 3, 0, 9, 12, True, 6, id="two-thirds-present-met-exactly"),
    pytest.param("two_thirds_present", 5, 0, 4, 9, 12, False, 6, id="two-thirds-present-missed-by-one"),
    pytest.param("two_thirds_present", 7, 3, 0, 10, 12, True, 7, id="two-thirds-present-rounds-up"),
    pytest.param("two_thirds_present", 6, 0, 0, 10, 12, False, 7, id="two-thirds-present-6-of-10-fails"),
    pytest.param("two_thirds_present", 0, 0, 3, 3, 3, False, 2, id="two-thirds-present-all-abstain"),
    pytest.param("two_thirds_present", 0, 0, 0, 0, 3, False, 1, id="two-thirds-present-nobody-present"),
    # unanimous_present: every voting member present voted yes
    pytest.param("unanimous_present", 5, 0, 0, 5, 7, True, 5, id="unanimous-all-yes"),
    pytest.param("unanimous_present", 4, 0, 1, 5, 7, False, 5, id="unanimous-one-abstains"),
    pytest.param("unanimous_present", 4, 1, 0, 5, 7, False, 5, id="unanimous-one-against"),
    pytest.param("unanimous_present", 4, 0, 0, 5, 7, False, 5, id="unanimous-one-did-not-vote"),
    pytest.param("unanimous_present", 1, 0, 0, 1, 7, True, 1, id="unanimous-lone-member"),
    pytest.param("unanimous_present", 0, 0, 0, 0, 7, False, 1, id="unanimous-nobody-present"),
]


@pytest.mark.parametrize(
    "rule, yes, no, abstain, present, voting_members, adopted, threshold", WORKED_CASES
)
def test_worked_case(rule, yes, no, abstain, present, voting_members, adopted, threshold):
    outcome = decide(
        rule, yes=yes, no=no, abstain=abstain, present=present, voting_members=voting_members
    )
    assert outcome == Outcome(
        rule=rule,
        adopted=adopted,
        threshold=threshold,
        yes=yes,
        no=no,
        abstain=abstain,
        cast=yes + no,
        present=present,
        voting_members=voting_members,
    )


def test_every_rule_has_a_worked_case():
    covered = {case.values[0] for case in WORKED_CASES}
    assert covered == set(RULES)


def test_rules_are_the_six_of_the_contract():
    assert RULES == (
        "simple",
        "two_thirds",
        "absolute_present",
        "absolute_all",
        "two_thirds_present",
        "unanimous_present",
    )


@pytest.mark.parametrize(
    "rule, counts, text",
    [
        pytest.param("simple", dict(yes=5, no=4), "simple majority of votes cast: more yes than no", id="simple"),
        pytest.param("two_thirds", dict(yes=2, no=4), "two-thirds of votes cast: yes at least twice no",
                     id="two_thirds"),
        pytest.param(
            "absolute_present",
            dict(yes=5, no=4),
            "more than half of the 9 voting members present: at least 5 yes",
            id="absolute_present",
        ),
        pytest.param(
            "absolute_all",
            dict(yes=5, no=4),
            "more than half of all 12 voting members: at least 7 yes",
            id="absolute_all",
        ),
        pytest.param(
            "two_thirds_present",
            dict(yes=5, no=4),
            "two-thirds of the 9 voting members present: at least 6 yes",
            id="two_thirds_present",
        ),
        pytest.param(
            "unanimous_present",
            dict(yes=5, no=4),
            "every voting member present (9) votes yes: at least 9 yes",
            id="unanimous_present",
        ),
    ],
)
def test_describe_names_rule_and_threshold(rule, counts, text):
    outcome = decide(rule, **counts, present=9, voting_members=12)
    assert outcome.describe() == text


def test_outcome_is_frozen():
    outcome = decide("simple", yes=1, no=0, present=1, voting_members=1)
    with pytest.raises(AttributeError):
        outcome.adopted = False  # type: ignore[misc]


# --------------------------------------------------------------------------
# Refused input
# --------------------------------------------------------------------------

GOOD = dict(yes=3, no=2, abstain=1, present=8, voting_members=10)


@pytest.mark.parametrize("field", sorted(GOOD))
def test_negative_counts_are_refused(field):
    with pytest.raises(ValueError):
        decide("simple", **{**GOOD, field: -1})


def test_more_votes_than_members_present_is_refused():
    with pytest.raises(ValueError, match="present"):
        decide("simple", yes=5, no=3, abstain=1, present=8, voting_members=10)


def test_more_present_than_voting_members_is_refused():
    with pytest.raises(ValueError):
        decide("simple", yes=1, no=0, present=11, voting_members=10)


@pytest.mark.parametrize("rule", ["majority", "", "Simple", "two-thirds", None])
def test_unknown_rule_is_refused(rule):
    with pytest.raises(UnknownRule):
        decide(rule, **GOOD)


def test_unknown_rule_is_a_value_error():
    # Callers that only catch ValueError (bad form input) still catch it.
    assert issubclass(UnknownRule, ValueError)


@pytest.mark.parametrize("bad", [2.0, "3", True, None])
def test_counts_must_be_whole_numbers(bad):
    with pytest.raises(TypeError):
        decide("simple", **{**GOOD, "yes": bad})


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@st.composite
def polls(draw, *, slack: int = 0):
    """Counts a real poll can produce; ``slack`` present members did not vote."""
    voting_members = draw(st.integers(slack, 80))
    present = draw(st.integers(slack, voting_members))
    room = present - slack
    yes = draw(st.integers(0, room))
    no = draw(st.integers(0, room - yes))
    abstain = draw(st.integers(0, room - yes - no))
    return dict(yes=yes, no=no, abstain=abstain, present=present, voting_members=voting_members)


rules = st.sampled_from(RULES)


@given(rules, polls())
def test_adopted_exactly_when_threshold_reached(rule, poll):
    outcome = decide(rule, **poll)
    assert outcome.adopted == (outcome.yes >= outcome.threshold)
    assert outcome.threshold >= 1
    assert outcome.cast == poll["yes"] + poll["no"]


@given(rules, polls())
def test_never_adopted_without_a_yes(rule, poll):
    outcome = decide(rule, **{**poll, "yes": 0})
    assert not outcome.adopted


@given(rules, polls())
def test_integer_thresholds_match_the_written_rule(rule, poll):
    """Cross-check the integer formulas against the rules as the contract words them."""
    yes, no, present, members = poll["yes"], poll["no"], poll["present"], poll["voting_members"]
    written = {
        "simple": yes > no,
        "two_thirds": Fraction(yes) >= Fraction(2, 3) * (yes + no),
        "absolute_present": Fraction(yes) > Fraction(present, 2),
        "absolute_all": Fraction(yes) > Fraction(members, 2),
        "two_thirds_present": Fraction(yes) >= Fraction(2, 3) * present,
        "unanimous_present": yes == present,
    }[rule]
    assert decide(rule, **poll).adopted == (written and yes > 0)


@given(st.sampled_from(["simple", "two_thirds"]), polls())
def test_abstentions_never_change_votes_cast_rules(rule, poll):
    with_abstentions = decide(rule, **poll)
    without = decide(rule, **{**poll, "abstain": 0})
    assert with_abstentions.adopted == without.adopted
    assert with_abstentions.threshold == without.threshold


@given(rules, polls(slack=1))
def test_one_more_yes_never_rejects_an_adopted_motion(rule, poll):
    before = decide(rule, **poll)
    after = decide(rule, **{**poll, "yes": poll["yes"] + 1})
    assert after.adopted or not before.adopted


@given(rules, polls(), st.data())
def test_a_no_or_abstention_turned_yes_never_rejects(rule, poll, data):
    switching = data.draw(st.sampled_from(["no", "abstain"]))
    if poll[switching] == 0:
        return
    before = decide(rule, **poll)
    after = decide(
        rule, **{**poll, switching: poll[switching] - 1, "yes": poll["yes"] + 1}
    )
    assert after.adopted or not before.adopted


@given(st.integers(0, 40), st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))
def test_simple_tie_never_adopts(each_side, abstain, absent, not_voting):
    present = 2 * each_side + abstain + not_voting
    outcome = decide(
        "simple",
        yes=each_side,
        no=each_side,
        abstain=abstain,
        present=present,
        voting_members=present + absent,
    )
    assert not outcome.adopted


@given(polls())
def test_unanimous_adopts_only_when_everyone_present_says_yes(poll):
    outcome = decide("unanimous_present", **poll)
    assert outcome.adopted == (poll["yes"] == poll["present"] >= 1)


@given(polls())
def test_two_thirds_present_threshold_is_the_smallest_two_thirds(poll):
    present = poll["present"]
    threshold = decide("two_thirds_present", **poll).threshold
    if present == 0:
        # Two thirds of nobody is zero, but zero yes votes never adopt.
        assert threshold == 1
    else:
        assert threshold * 3 >= 2 * present
        assert (threshold - 1) * 3 < 2 * present


@given(polls())
def test_absolute_thresholds_are_the_smallest_number_over_half(poll):
    for rule, base in (
        ("absolute_present", poll["present"]),
        ("absolute_all", poll["voting_members"]),
    ):
        threshold = decide(rule, **poll).threshold
        assert threshold * 2 > base
        assert (threshold - 1) * 2 <= base


@given(rules, polls())
def test_describe_states_what_adopts_the_motion_in_words_a_delegate_can_check(rule, poll):
    """A fixed base is said with its number; a threshold that moves with the no votes is said
    as the comparison ("yes at least twice no"), never as "at least 1 yes" for an 11-0 vote."""
    outcome = decide(rule, **poll)
    text = outcome.describe()
    if rule in ("simple", "two_thirds"):
        assert "at least" not in text.split(":")[1].replace("at least one yes", "").replace("at least twice", "")
        assert text.endswith(("more yes than no", "yes at least twice no", "and at least one yes"))
    else:
        assert text.endswith(f"at least {outcome.threshold} yes")
        base = poll["voting_members"] if rule == "absolute_all" else poll["present"]
        assert f" {base} " in f" {text} " or f"({base})" in text


@pytest.mark.parametrize("rule, yes, no, text", [
    ("simple", 11, 0, "simple majority of votes cast: more yes than no"),
    ("two_thirds", 7, 3, "two-thirds of votes cast: yes at least twice no"),
    ("two_thirds", 0, 0, "two-thirds of votes cast: yes at least twice no, and at least one yes"),
])
def test_the_thresholds_the_issue_found_misleading_read_right(rule, yes, no, text):
    outcome = decide(rule, yes=yes, no=no, present=12, voting_members=12)
    assert outcome.describe() == text
    assert outcome.adopted == (yes > 0 and (yes > no if rule == "simple" else yes >= 2 * no))
