"""The chair puts motions to the vote; delegates vote from their phones; results are right."""
import pytest

from tests.voting.scene import CITIES, DEMO_PASSWORD, OBSERVER, Room


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def test_no_poll_without_quorum(room):
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept the report")
    room.check_in(*CITIES[:6])
    refused = room.open_poll(motion["id"])
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "no_quorum"
    room.check_in(CITIES[6])
    assert room.open_poll(motion["id"]).status_code == 201


def test_a_named_general_motion_from_opening_to_resolution(room):
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general",
                         title="To accept the annual report", text="The EXCOM accepts the 2024 annual report.")
    poll = room.open_poll(motion["id"]).get_json()
    assert (poll["status"], poll["eligible"], poll["cast"]) == ("open", 12, 0)
    assert [c["value"] for c in poll["choices"]] == ["yes", "no", "abstain"]

    for city, choice in zip(CITIES, ["yes"] * 8 + ["no"] * 3 + ["abstain"]):
        answer = room.vote(poll["id"], city, choice)
        assert answer.status_code == 201 and len(answer.get_json()["receipt"]) == 16
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["cast"] == 12

    result = room.close(poll["id"])
    assert result["status"] == "adopted"
    assert result["counts"] == {"yes": 8, "no": 3, "abstain": 1}
    assert (result["cast"], result["eligible"], result["threshold"], result["quorate"]) == (11, 12, 4, True)
    assert result["resolution_number"] == "EXCOM 2024/R1"
    assert {v["member"]: v["choice"] for v in result["votes"]}["Seoul"] == "abstain"
    assert len(result["votes"]) == 12
    motion = room.desk.get(f"/motions/{motion['id']}").get_json()
    assert (motion["status"], motion["resolution_number"]) == ("adopted", "EXCOM 2024/R1")
    assert motion["rounds"][0]["counts"] == {"yes": 8, "no": 3, "abstain": 1}


def test_a_tie_under_simple_majority_is_not_adopted(room):
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note")
    poll = room.open_poll(motion["id"]).get_json()
    for city, choice in zip(CITIES, ["yes"] * 5 + ["no"] * 5 + ["abstain"] * 2):
        room.vote(poll["id"], city, choice)
    result = room.close(poll["id"])
    assert (result["status"], result["threshold"]) == ("rejected", 6)
    assert result.get("resolution_number") is None


def test_double_votes_count_once_and_votes_cannot_be_changed(room):
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note")
    poll = room.open_poll(motion["id"]).get_json()
    assert room.vote(poll["id"], "Almaty", "yes").status_code == 201
    again = room.vote(poll["id"], "Almaty", "no")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_voted"
    assert room.delegate("Almaty").get(f"/polls/{poll['id']}").get_json()["voted"] is True
    result = room.close(poll["id"])
    assert result["counts"] == {"yes": 1, "no": 0, "abstain": 0}


def test_votes_after_closing_and_from_observers_are_refused(room, api):
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note")
    poll = room.open_poll(motion["id"]).get_json()
    observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    refused = observer.post(f"/polls/{poll['id']}/votes", json={"choice": "yes"})
    assert refused.status_code == 403
    room.close(poll["id"])
    late = room.vote(poll["id"], "Cuenca", "yes")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "poll_closed"


def test_a_delegate_who_is_not_checked_in_cannot_vote(room):
    room.check_in(*CITIES[:8])
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note")
    poll = room.open_poll(motion["id"]).get_json()
    refused = room.vote(poll["id"], CITIES[10], "yes")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_present"


def test_a_poll_closed_without_quorum_is_void_and_can_be_held_again(room):
    room.check_in(*CITIES[:7])
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES[:7]:
        room.vote(poll["id"], city, "yes")
    room.check_out(CITIES[0])
    result = room.close(poll["id"])
    assert (result["status"], result["quorate"]) == ("void", False)
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["status"] == "pending"
    room.check_in(CITIES[0])
    again = room.open_poll(motion["id"]).get_json()
    assert (again["round"], again["reason"]) == (2, "repeat")


def test_a_membership_motion_admits_cali(room):
    room.check_in(*CITIES)
    cali = room.members["Cali"]
    motion = room.motion("Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership since "
                         "EXCOM Meeting 2023", kind="membership", title="To admit Cali", member_id=cali,
                         action="admit")
    poll = room.open_poll(motion["id"]).get_json()
    for city, choice in zip(CITIES, ["yes"] * 11 + ["abstain"]):
        room.vote(poll["id"], city, choice)
    assert room.desk.get(f"/members/{cali}").get_json()["status"] == "applicant"
    result = room.close(poll["id"])
    assert result["status"] == "adopted"
    assert room.desk.get(f"/members/{cali}").get_json()["status"] == "active"
    trail = room.desk.get(f"/meetings/{room.meeting_id}/audit").get_json()
    change = next(e for e in trail if e["action"] == "member.updated" and e["subject_id"] == cali)
    assert change["before"] == {"status": "applicant"}
    assert change["after"]["reason"].startswith("EXCOM 2024/R1")


def test_the_2020_host_city_ballot_three_rounds_with_a_tie_break(room, app, make):
    """Scaled from the IOC's 2020 vote (Tokyo 42, Istanbul 26, Madrid 26 → tie-break → Tokyo):
    twelve votes: 6 / 3 / 3, tie-break 2 / 1 (+ abstentions), then 8 / 4."""
    room.check_in(*CITIES)
    tokyo, istanbul, madrid = room.members["Makati"], room.members["Cuenca"], room.members["Abuja"]
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city",
                         title="Host city of EXCOM 2025", candidates=[tokyo, istanbul, madrid], secret=True)

    def ballot(choices):
        poll = room.open_poll(motion["id"]).get_json()
        assert poll["status"] == "open", poll
        for city, choice in zip(CITIES, choices):
            assert room.vote(poll["id"], city, choice).status_code == 201
        return poll, room.close(poll["id"])

    first, result = ballot([tokyo] * 6 + [istanbul] * 3 + [madrid] * 3)
    assert [c["value"] for c in first["choices"]] == [tokyo, istanbul, madrid, "abstain"]
    assert result["status"] == "runoff"
    assert result["next_round"] == {"candidates": [istanbul, madrid], "reason": "tie_break"}

    tie_break, result = ballot([istanbul] * 7 + [madrid] * 4 + ["abstain"])
    assert [c["value"] for c in tie_break["choices"]] == [istanbul, madrid, "abstain"]
    assert (result["status"], result["eliminated"]) == ("runoff", [madrid])
    assert result["next_round"] == {"candidates": [tokyo, istanbul], "reason": "elimination"}

    final, result = ballot([tokyo] * 8 + [istanbul] * 4)
    assert (result["status"], result["winner"]) == ("elected", tokyo)
    meeting = room.desk.get(f"/meetings/{room.meeting_id}").get_json()
    assert meeting["next_host_id"] == tokyo
    rounds = room.desk.get(f"/motions/{motion['id']}").get_json()["rounds"]
    assert [(r["round"], r["reason"], r["status"]) for r in rounds] == [
        (1, "first", "runoff"), (2, "tie_break", "runoff"), (3, "elimination", "elected")]
    assert "votes" not in rounds[0]  # a secret ballot publishes no names


@pytest.mark.parametrize("majority, votes, status", [
    ("two_thirds", {"yes": 8, "no": 4}, "adopted"),            # 8 ≥ 2×4: met exactly
    ("two_thirds", {"yes": 7, "no": 4, "abstain": 1}, "rejected"),
    ("absolute_present", {"yes": 6, "no": 0, "abstain": 6}, "rejected"),  # 6 of 12 present is not more than half
    ("absolute_present", {"yes": 7, "no": 0, "abstain": 5}, "adopted"),
    ("absolute_all", {"yes": 7, "no": 5}, "adopted"),
    ("two_thirds_present", {"yes": 8, "abstain": 4}, "adopted"),
    ("two_thirds_present", {"yes": 7, "abstain": 5}, "rejected"),
    ("unanimous_present", {"yes": 11, "abstain": 1}, "rejected"),
    ("unanimous_present", {"yes": 12}, "adopted"),
    ("simple", {"yes": 1, "no": 0, "abstain": 11}, "adopted"),
])
def test_every_majority_rule_on_its_worked_cases(room, majority, votes, status):
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note",
                         majority=majority)
    poll = room.open_poll(motion["id"]).get_json()
    choices = [choice for choice, n in votes.items() for _ in range(n)]
    for city, choice in zip(CITIES, choices):
        room.vote(poll["id"], city, choice)
    assert room.close(poll["id"])["status"] == status


def test_a_statutes_amendment_needs_two_thirds_by_default(room):
    room.check_in(*CITIES)
    motion = room.motion("Review of Proposed Amendments to WeGO Statutes", kind="statutes_amendment",
                         title="Article 7", current_text="Two years.", proposed_text="Three years.")
    assert motion["majority"] == "two_thirds"


def test_only_the_chair_opens_and_closes(room):
    room.check_in(*CITIES)
    motion = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To note")
    assert room.delegate("Almaty").post(f"/motions/{motion['id']}/polls").status_code == 403
    poll = room.open_poll(motion["id"]).get_json()
    assert room.delegate("Almaty").post(f"/polls/{poll['id']}/close").status_code == 403


def test_closed_session_motions_and_polls_do_not_exist_for_observers(room, api):
    room.check_in(*CITIES)
    motion = room.motion("Approval of Membership Fee Use for 2025", kind="general", title="Fee use 2025")
    poll = room.open_poll(motion["id"]).get_json()
    observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    assert observer.get(f"/motions/{motion['id']}").status_code == 404
    assert observer.get(f"/polls/{poll['id']}").status_code == 404
    assert observer.get(f"/meetings/{room.meeting_id}/motions").get_json() == []
    assert observer.post(f"/polls/{poll['id']}/votes", json={"choice": "yes"}).status_code == 404


@pytest.mark.parametrize("method", ["exhaustive", "irv"])
def test_a_choice_no_ballot_accepts_is_422_naming_choice_and_records_nothing(room, method):
    """Unicode digits that str.isdigit accepts and int refuses, a 5,000-digit number, a boolean,
    nested rankings: each is the voter's mistake (422 naming `choice`), never a 500, and the
    voter may then vote properly."""
    room.check_in(*CITIES)
    candidates = [room.members[city] for city in ("Makati", "Abuja", "Cuenca")]
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title="Host 2025",
                         candidates=candidates, method=method)
    poll = room.open_poll(motion["id"]).get_json()
    first = candidates[0]
    hostile = ["²", "①", "٣", "1" * 5000, True, 1.0, None, {"a": 1}, [[first]], [{"a": 1}], [first, first],
               [first, True], [str(first), first], 2**63, -first, 10**30, "", [], [first] * 5000]
    for choice in hostile:
        answer = room.vote(poll["id"], "Almaty", choice)
        assert answer.status_code == 422, (choice, answer.get_json())
        assert list(answer.get_json()["error"]["fields"]) == ["choice"], choice
    assert room.chair.get(f"/polls/{poll['id']}").get_json()["cast"] == 0
    valid = [first, str(candidates[1])] if method == "irv" else str(first)
    assert room.vote(poll["id"], "Almaty", valid).status_code == 201
