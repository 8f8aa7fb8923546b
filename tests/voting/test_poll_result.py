"""The typed poll result (voting.poll_result.PollResult): what the pure count produces is stored
and published as the same JSON as before, read back unchanged, and the API's schema
(voting.schemas.PollResultOut) carries every part of it, so the OpenAPI document describes the
whole answer."""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from voting import results
from voting.poll_result import PollResult, ResultStatus
from voting.schemas import MotionRoundOut, PollResultOut

electorates = st.builds(results.Electorate, eligible=st.integers(40, 60), present=st.integers(0, 60),
                        quorate=st.booleans())
stamps = st.fixed_dictionaries({
    "round": st.integers(1, 5), "reason": st.sampled_from(["first", "repeat", "elimination", "tie_break"]),
    "votes": st.none() | st.just([{"member_id": 3, "member": "Abuja", "choice": "yes"}]),
    "ballots_digest": st.none() | st.just("ab" * 32), "digest_scheme": st.none() | st.sampled_from([1, 2]),
})


@st.composite
def yes_no(draw) -> PollResult:
    counts = draw(st.fixed_dictionaries({}, optional={c: st.integers(0, 12)
                                                      for c in ("yes", "no", "abstain")}))
    rule = draw(st.sampled_from(["simple", "two_thirds", "absolute_present", "unanimous_present"]))
    return results.yes_no_result(rule, counts, draw(electorates))


@st.composite
def exhaustive(draw) -> PollResult:
    contest = [11, 12, 13]
    counts = {str(c): draw(st.integers(0, 6)) for c in contest}
    counts["abstain"] = draw(st.integers(0, 3))
    return results.exhaustive_result(contest=contest, ballot=contest, counts=counts, tie_break=False,
                                     electorate=draw(electorates))


@st.composite
def irv(draw) -> PollResult:
    ranking = st.permutations([11, 12, 13]).flatmap(lambda p: st.integers(1, 3).map(lambda n: json.dumps(p[:n])))
    choices = draw(st.lists(ranking | st.just("abstain"), min_size=1, max_size=9))
    return results.irv_result(candidates=[11, 12, 13], choices=choices, electorate=draw(electorates))


@st.composite
def assessment(draw) -> PollResult:
    sheet = st.fixed_dictionaries({"0": st.integers(1, 5), "1": st.integers(1, 5)}).map(
        lambda scores: json.dumps(scores, sort_keys=True, separators=(",", ":")))
    choices = draw(st.lists(sheet | st.just("abstain"), max_size=6))
    return results.assessment_result(subjects=["North", "South"], scale={"min": 1, "max": 5}, choices=choices,
                                     electorate=draw(electorates))


any_result = st.one_of(yes_no(), exhaustive(), irv(), assessment())


@given(any_result, stamps)
def test_a_stored_result_reads_back_as_it_was(result, stamp):
    from dataclasses import replace
    stored = replace(result, **stamp).as_json()
    assert PollResult.from_json(stored).as_json() == stored
    assert json.loads(json.dumps(stored)) == stored


@given(any_result, stamps)
def test_the_api_schema_carries_every_part_of_a_result(result, stamp):
    from dataclasses import replace
    stored = replace(result, **stamp).as_json()
    assert PollResultOut().dump(stored) == stored
    round_ = {"poll_id": 4, "ballot": [11, 12, 13], **stored}
    assert MotionRoundOut().dump(round_) == round_


@given(exhaustive())
def test_each_shape_has_its_own_parts(result):
    stored = result.as_json()
    assert stored["rule"] == "exhaustive" and "rounds" not in stored and "subjects" not in stored
    assert ("next_round" in stored) == (result.status == ResultStatus.RUNOFF or not result.quorate)


def test_the_status_of_a_result_is_one_of_its_documented_values():
    documented = PollResultOut().fields["status"].validate.choices
    assert set(documented) == {"adopted", "rejected", "elected", "runoff", "tied", "void", "recorded"}


def test_the_published_poll_answer_is_described_not_a_free_object(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    poll = schemas["PollOut"]["properties"]
    assert any("$ref" in option for option in poll["result"].get("anyOf", [poll["result"]]))
    assert "$ref" in poll["motion"] and "$ref" in poll["choices"]["items"]
    assert "$ref" in schemas["MotionWithRoundsOut"]["properties"]["rounds"]["items"]
    described = schemas["PollResultOut"]["properties"]
    assert {"status", "counts", "winner", "rounds", "subjects", "next_round", "votes"} <= set(described)
    assert "$ref" in described["rounds"]["items"] and "$ref" in described["subjects"]["items"]


# Free-form by design: an audit event's before/after (any operation's snapshot), an import row's
# cells as read from the file, and a ballot's choice ("yes", a candidate id, a ranking, a sheet).
FREE_FORM = {("AuditEventOut", "before"), ("AuditEventOut", "after"), ("ImportRowOut", "values"),
             ("NamedVoteOut", "choice"), ("BallotOut", "choice"), ("VoteIn", "choice")}


def test_every_field_of_every_answer_says_what_it_holds(app):
    """A computed field (a logo's URLs, a motion's winner and word-by-word changes, a speaker's
    name, the organisation's has_logo) is described as the value it dumps, not left untyped."""
    schemas = app.test_client().get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    untyped = sorted((name, field) for name, schema in schemas.items()
                     for field, prop in schema.get("properties", {}).items()
                     if (name, field) not in FREE_FORM
                     and (prop.get("additionalProperties") == {}
                          or not {"type", "$ref", "allOf", "anyOf", "oneOf"} & set(prop)))
    assert untyped == []
