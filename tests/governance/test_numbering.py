"""Resolution numbers from the organisation's pattern: pure rules, worked cases and properties."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance import numbering

SAFE_TEXT = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=12)


@pytest.mark.parametrize("pattern, number", [
    ("{reference}/R{n}", "EXCOM 2024/R3"),           # the memoranda's own form
    ("{short_name}/{year}/{n}", "WeGO/2024/3"),
    ("Res. {n} ({reference})", "Res. 3 (EXCOM 2024)"),
    ("{{n}}-{n}", "{n}-3"),                            # doubled braces are text
])
def test_worked_patterns(pattern, number):
    numbering.check_pattern(pattern)
    assert numbering.resolution_number(pattern, reference="EXCOM 2024", year=2024, n=3, short_name="WeGO") == number


@pytest.mark.parametrize("pattern, says", [
    ("{reference}/R", "must hold {n}"),
    ("{reference}/R{m}", "{m} is not a placeholder"),
    ("R{n:03d}", "{n:03d} is not a placeholder"),
    ("R{n!r}", "{n!r} is not a placeholder"),
    ("R{n.real}", "is not a placeholder"),
    ("R{0}{n}", "{0} is not a placeholder"),
    ("R{}{n}", "{} is not a placeholder"),
    ("R{n", "Braces must come in pairs"),
    ("R}{n}", "Braces must come in pairs"),
    ("   ", "Give a pattern"),
    ("{reference}{reference}{n}", "longer than 80"),
    ("x" * 81 + "{n}", "at most 80"),
])
def test_patterns_that_cannot_number_are_refused_with_a_reason(pattern, says):
    with pytest.raises(numbering.PatternProblem, match=None) as refusal:
        numbering.check_pattern(pattern)
    assert says in str(refusal.value)


@st.composite
def patterns(draw):
    """Valid patterns: text and placeholders, {n} at least once."""
    parts = draw(st.lists(st.one_of(SAFE_TEXT, st.sampled_from(["{reference}", "{year}", "{n}", "{short_name}"])),
                          max_size=5))
    parts.insert(draw(st.integers(0, len(parts))), "{n}")
    return "".join(parts)


@given(pattern=st.text(max_size=90))
def test_any_text_is_accepted_or_refused_with_a_reason_never_an_error(pattern):
    try:
        numbering.check_pattern(pattern)
    except numbering.PatternProblem as refusal:
        assert str(refusal)
    else:
        assert len(numbering.resolution_number(pattern, reference="R" * 60, year=9999, n=999_999,
                                               short_name="S" * 40)) <= numbering.MAX_NUMBER


@given(pattern=patterns(), reference=SAFE_TEXT, short=SAFE_TEXT, year=st.integers(1900, 2200),
       a=st.integers(1, 10**6), b=st.integers(1, 10**6))
def test_two_resolutions_of_a_meeting_never_share_a_number(pattern, reference, short, year, a, b):
    try:
        numbering.check_pattern(pattern)
    except numbering.PatternProblem:
        return  # too long a pattern: refused, so it never numbers anything
    first, second = (numbering.resolution_number(pattern, reference=reference, year=year, n=n, short_name=short)
                     for n in (a, b))
    assert (first == second) == (a == b)
