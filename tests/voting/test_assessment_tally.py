"""The assessment's pure rules: a sheet is read strictly, and the table is a pure function of
the sheets (voting.assessment)."""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting.assessment import Scale, looks_like_a_sheet, read_sheet, stored_sheet, tally
from voting.choices import ChoiceRefused

OFFICES = ["East Asia (Chengdu)", "Mediterranean (Beyoğlu)", "Africa (Abuja)"]
FIVE = Scale(1, 5)


@st.composite
def scales(draw):
    low = draw(st.integers(0, 90))
    return Scale(low, draw(st.integers(low + 1, low + 10)))


@st.composite
def assessments(draw):
    """(subjects, scale, sheets): each sheet scores every subject or abstains (None)."""
    scale = draw(scales())
    subjects = [f"office {i}" for i in range(draw(st.integers(1, 8)))]
    sheet = st.lists(st.integers(scale.min, scale.max), min_size=len(subjects), max_size=len(subjects)) \
        .map(lambda scores: dict(enumerate(scores)))
    sheets = draw(st.lists(st.one_of(st.none(), sheet), max_size=40))
    return subjects, scale, sheets


@given(assessments())
def test_every_subject_counts_every_scored_sheet_and_its_distribution_sums_to_that(case):
    subjects, scale, sheets = case
    table = tally(subjects, scale, sheets)
    scored = sum(1 for sheet in sheets if sheet is not None)
    assert [row.name for row in table] == subjects
    for row in table:
        assert row.count == scored
        assert sum(row.distribution.values()) == row.count
        assert list(row.distribution) == list(scale.scores)


@given(assessments())
def test_mean_and_median_lie_on_the_scale_and_are_null_when_nobody_scored(case):
    subjects, scale, sheets = case
    for row in tally(subjects, scale, sheets):
        if row.count == 0:
            assert row.mean is None and row.median is None
        else:
            assert scale.min <= row.mean <= scale.max
            assert scale.min <= row.median <= scale.max


@given(assessments(), st.randoms(use_true_random=False))
def test_the_order_of_the_sheets_changes_nothing(case, random):
    subjects, scale, sheets = case
    shuffled = list(sheets)
    random.shuffle(shuffled)
    assert tally(subjects, scale, shuffled) == tally(subjects, scale, sheets)


@given(assessments())
def test_a_stored_sheet_reads_back_as_it_was_scored(case):
    subjects, scale, sheets = case
    for sheet in sheets:
        choice = "abstain" if sheet is None else {"scores": {str(i): s for i, s in sheet.items()}}
        assert read_sheet(stored_sheet(len(subjects), scale, choice)) == sheet


def test_the_table_of_three_sheets():
    table = tally(OFFICES, FIVE, [{0: 5, 1: 2, 2: 4}, {0: 4, 1: 3, 2: 4}, None, {0: 4, 1: 3, 2: 1}])
    east_asia, mediterranean, africa = (row.as_dict() for row in table)
    assert east_asia == {"name": "East Asia (Chengdu)", "count": 3, "mean": 4.33, "median": 4,
                         "distribution": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}}
    assert (mediterranean["mean"], mediterranean["median"]) == (2.67, 3)
    assert (africa["mean"], africa["median"]) == (3, 4)


def test_an_even_count_takes_the_middle_two_for_the_median():
    row, = tally(["Africa (Abuja)"], FIVE, [{0: 2}, {0: 5}])
    assert (row.mean, row.median) == (3.5, 3.5)


def test_a_sheet_is_stored_canonically_whatever_the_order_and_form_of_its_scores():
    assert stored_sheet(3, FIVE, {"scores": {"2": 1, "0": "4", "1": 5}}) == '{"0":4,"1":5,"2":1}'
    assert stored_sheet(3, FIVE, "abstain") == "abstain"


@pytest.mark.parametrize("choice", [
    {"scores": {"0": 4, "1": 5}},                         # a subject left out
    {"scores": {"0": 4, "1": 5, "2": 1, "3": 2}},         # a subject that is not on the sheet
    {"scores": {"0": 4, "1": 5, "02": 1}},                # "02" would name subject 2 twice
    {"scores": {"0": 6, "1": 5, "2": 1}},                 # off the scale
    {"scores": {"0": 0, "1": 5, "2": 1}},
    {"scores": {"0": True, "1": 5, "2": 1}},              # true is no score
    {"scores": {"0": 4.0, "1": 5, "2": 1}},
    {"scores": {"0": "²", "1": 5, "2": 1}},               # a digit to str.isdigit, not to int
    {"scores": {"0": [4], "1": 5, "2": 1}},
    {"scores": {"0": 4, "1": 5, "2": 1}, "extra": 1},
    {"scores": [4, 5, 1]}, {"scores": {}}, {}, "yes", 4, [4, 5, 1], None,
])
def test_a_bad_sheet_is_refused_with_a_sentence(choice):
    with pytest.raises(ChoiceRefused) as refusal:
        stored_sheet(3, FIVE, choice)
    assert str(refusal.value).endswith(".")


def test_the_shape_check_lets_only_small_flat_sheets_through():
    assert looks_like_a_sheet({"scores": {"0": 1}})
    assert not looks_like_a_sheet({"scores": {str(i): 1 for i in range(31)}})
    assert not looks_like_a_sheet({"scores": {"0": 10**40}})
    assert not looks_like_a_sheet({"scores": {"0": {"1": 1}}})


def test_a_damaged_stored_sheet_is_not_tallied():
    with pytest.raises(ValueError):
        tally(OFFICES, FIVE, [{0: 9, 1: 1, 2: 1}])
    with pytest.raises(ValueError):
        tally(OFFICES, FIVE, [{7: 1}])
    with pytest.raises(ValueError):
        read_sheet(json.dumps([1, 2]))
