"""The changes of a statutes amendment, word by word: nothing lost, nothing added."""
from hypothesis import given
from hypothesis import strategies as st

from motions.amendment import changes, side, tokens

CURRENT = "Members of the Executive Committee attend its meetings in person."
PROPOSED = ("Members of the Executive Committee attend its meetings in person or online; a member attending "
            "online counts towards the quorum and votes.")


def test_the_demo_amendment_inserts_online_participation():
    segments = changes(CURRENT, PROPOSED)
    assert segments == [
        {"op": "equal", "text": "Members of the Executive Committee attend its meetings in person"},
        {"op": "insert", "text": " or online; a member attending online counts towards the quorum and votes"},
        {"op": "equal", "text": "."},
    ]


def test_a_replaced_word_is_a_deletion_then_an_insertion():
    assert changes("The quorum is a third.", "The quorum is a majority.") == [
        {"op": "equal", "text": "The quorum is a "}, {"op": "delete", "text": "third"},
        {"op": "insert", "text": "majority"}, {"op": "equal", "text": "."}]


def test_markup_is_text_like_any_other():
    segments = changes("Article 1.", "Article 1 <script>alert(1)</script>.")
    assert {"op": "insert", "text": " <script>alert(1)</script>"} in segments


text = st.text(alphabet=st.sampled_from("ab c,.\n<>&é"), max_size=60)


@given(text, text)
def test_both_texts_can_be_read_back(current, proposed):
    segments = changes(current, proposed)
    assert side(segments, "current") == current
    assert side(segments, "proposed") == proposed
    assert all(segment["text"] for segment in segments)
    assert all(a["op"] != b["op"] for a, b in zip(segments, segments[1:]))


@given(text)
def test_an_unchanged_text_has_no_change(same):
    assert all(segment["op"] == "equal" for segment in changes(same, same))


@given(text)
def test_tokens_cover_the_text(value):
    assert "".join(tokens(value)) == value
