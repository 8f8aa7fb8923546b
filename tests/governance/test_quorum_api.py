"""The chair watches quorum move as delegates check in and out."""
DEMO_PASSWORD = "excom-demo"


def _delegate_ids(secretariat, meeting_id):
    participants = secretariat.get(f"/meetings/{meeting_id}/participants").get_json()
    return {p["affiliation"]: p["user_id"] for p in participants if p["group"] == "excom_member"}, participants


def test_quorum_follows_check_ins_and_check_outs(demo, api):
    desk = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    delegates, _ = _delegate_ids(desk, demo)
    quorum = desk.get(f"/meetings/{demo}/quorum").get_json()
    assert quorum == {"voting_members": 12, "present": 0, "required": 7, "quorate": False}

    cities = sorted(delegates)
    for n, city in enumerate(cities[:6], start=1):
        answer = desk.post(f"/meetings/{demo}/attendance",
                           json={"user_id": delegates[city], "mode": "in_person" if n % 2 else "online"})
        assert answer.status_code == 200
        assert answer.get_json()["quorum"]["present"] == n
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["quorate"] is False

    desk.post(f"/meetings/{demo}/attendance", json={"user_id": delegates[cities[6]], "mode": "online"})
    assert desk.get(f"/meetings/{demo}/quorum").get_json() == {
        "voting_members": 12, "present": 7, "required": 7, "quorate": True}

    desk.post(f"/meetings/{demo}/attendance", json={"user_id": delegates[cities[0]], "present": False})
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["present"] == 6
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["quorate"] is False


def test_checking_in_twice_or_switching_mode_counts_once(demo, api):
    desk = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    delegates, _ = _delegate_ids(desk, demo)
    almaty = delegates["Almaty"]
    for mode in ("in_person", "in_person", "online", "online"):
        desk.post(f"/meetings/{demo}/attendance", json={"user_id": almaty, "mode": mode})
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["present"] == 1
    participants = desk.get(f"/meetings/{demo}/participants").get_json()
    almaty_row = next(p for p in participants if p["user_id"] == almaty)
    assert (almaty_row["present"], almaty_row["mode"]) == (True, "online")


def test_observers_and_a_second_delegate_do_not_add_to_quorum(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        seoul = make.member("Seoul")
        first = make.user(member=seoul, email="one@seoul.example.org")
        second = make.user(member=seoul, email="two@seoul.example.org")
        for user in (first, second):
            make.participant(meeting, user)
        make.delegate(meeting, "Almaty")
        make.delegate(meeting, "Abuja")
        press = make.user(email="press@example.org")
        make.participant(meeting, press, group="observer_media")
        make.user(email="desk@example.org", roles=["secretariat"])
        ids = (meeting.id, first.id, second.id, press.id)
    meeting_id, first_id, second_id, press_id = ids
    desk = api.as_user("desk@example.org")
    for user_id in (first_id, second_id, press_id):
        desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": user_id})
    assert desk.get(f"/meetings/{meeting_id}/quorum").get_json() == {
        "voting_members": 3, "present": 1, "required": 2, "quorate": False}


def test_a_delegate_checks_themself_in_online_but_not_someone_else(demo, api):
    desk = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    delegates, _ = _delegate_ids(desk, demo)
    cuenca = api.as_user("cuenca@excom.example.org", DEMO_PASSWORD)
    assert cuenca.post(f"/meetings/{demo}/attendance",
                       json={"user_id": delegates["Cuenca"], "mode": "online"}).status_code == 200
    refused = cuenca.post(f"/meetings/{demo}/attendance", json={"user_id": delegates["Makati"]})
    assert refused.status_code == 403
    assert desk.get(f"/meetings/{demo}/quorum").get_json()["present"] == 1


def test_a_two_thirds_or_fixed_quorum(app, make, api):
    with app.app_context():
        make.user(email="desk@example.org", roles=["secretariat"])
        two_thirds = make.meeting("Statutes", quorum={"rule": "two_thirds", "count": None})
        fixed = make.meeting("Assembly", quorum={"rule": "count", "count": 2})
        delegates = [make.delegate(two_thirds, f"Member {n}") for n in range(6)]
        make.participant(fixed, delegates[0])
        make.participant(fixed, delegates[1])
        make.participant(fixed, delegates[2])
        ids = two_thirds.id, fixed.id, [d.id for d in delegates]
    two_thirds_id, fixed_id, delegate_ids = ids
    desk = api.as_user("desk@example.org")
    assert desk.get(f"/meetings/{two_thirds_id}/quorum").get_json()["required"] == 4
    assert desk.get(f"/meetings/{fixed_id}/quorum").get_json()["required"] == 2
    desk.post(f"/meetings/{fixed_id}/attendance", json={"user_id": delegate_ids[0]})
    desk.post(f"/meetings/{fixed_id}/attendance", json={"user_id": delegate_ids[1]})
    # the base is the board (six active EXCOM members), not the three registered for this sitting
    assert desk.get(f"/meetings/{fixed_id}/quorum").get_json() == {
        "voting_members": 6, "present": 2, "required": 2, "quorate": True}


def test_the_quorum_base_is_the_whole_board_registered_or_not(app, make, api):
    """12 active EXCOM members in the registry; delegates of 7 are registered and 4 check in:
    a majority of 12 is 7, so no poll can open, and the memorandum lists the other 8 as
    absent, the 5 who registered nobody by their name."""
    from governance.extensions import db as _db
    from governance.meetings.models import Meeting
    from minutes.collect import collect
    from motions import operations as motion_ops

    with app.app_context():
        meeting = make.meeting()
        delegates = [make.delegate(meeting, f"Board city {n:02d}") for n in range(7)]
        for n in range(7, 12):
            make.member(f"Board city {n:02d}")
        make.member("Applicant city", status="applicant")
        make.member("Former board city", status="suspended")
        make.member("Plain member city", excom=False)
        make.user(email="desk@example.org", roles=["secretariat"])
        item = meeting.sessions[0].items[0]
        motion = motion_ops.create_motion(item, actor=None, kind="general", title="To note")
        _db.session.commit()
        meeting_id, motion_id, delegate_ids = meeting.id, motion.id, [d.id for d in delegates]
    desk = api.as_user("desk@example.org")
    for user_id in delegate_ids[:4]:
        assert desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": user_id}).status_code == 200
    assert desk.get(f"/meetings/{meeting_id}/quorum").get_json() == {
        "voting_members": 12, "present": 4, "required": 7, "quorate": False}
    refused = desk.post(f"/motions/{motion_id}/polls")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "no_quorum"
    assert "4 of 12 voting members" in refused.get_json()["error"]["message"]

    first_item = desk.get(f"/meetings/{meeting_id}").get_json()["sessions"][0]["items"][0]["id"]
    assert desk.post(f"/items/{first_item}/activate").status_code == 200
    with app.app_context():
        record = collect(_db.session.get(Meeting, meeting_id), version=1, status="draft", generated_by="t")
        people = record.attendance
        present = len(people.members_in_person) + len(people.members_online)
        absent = people.members_absent + people.members_excused
        assert (present, len(absent)) == (4, 8)
        assert present + len(absent) == record.quorum_at_opening.voting_members == 12
        assert sorted(p.affiliation for p in absent) == [f"Board city {n:02d}" for n in range(4, 12)]
        assert (record.quorum_at_opening.required, record.quorum_at_opening.quorate) == (7, False)


def test_a_change_in_the_registry_moves_the_quorum_of_a_sitting_meeting(app, make, api):
    with app.app_context():
        meeting = make.meeting()
        delegates = [make.delegate(meeting, f"Seat {n}") for n in range(3)]
        spare = make.member("Seat 3")
        make.user(email="desk@example.org", roles=["secretariat"])
        meeting_id, spare_id, first = meeting.id, spare.id, delegates[0].id
    desk = api.as_user("desk@example.org")
    desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": first})
    assert desk.get(f"/meetings/{meeting_id}/quorum").get_json()["voting_members"] == 4
    assert desk.patch(f"/members/{spare_id}", json={"status": "suspended"}).status_code == 200
    assert desk.get(f"/meetings/{meeting_id}/quorum").get_json() == {
        "voting_members": 3, "present": 1, "required": 2, "quorate": False}


def test_a_majority_of_all_members_is_of_the_board_not_of_those_registered(app, make, api):
    """The same base feeds `absolute_all` and the turnout's `eligible`: 12 on the board, 8
    registered and present, 6 yes to 2 no. More than half of the registered 8 would be 5; more
    than half of the 12 members is 7, so the motion is rejected, and the result says so."""
    from governance.extensions import db as _db
    from motions import operations as motion_ops

    with app.app_context():
        meeting = make.meeting()
        delegates = [make.delegate(meeting, f"Board city {n:02d}") for n in range(8)]
        for n in range(8, 12):
            make.member(f"Board city {n:02d}")
        make.user(email="desk@example.org", roles=["secretariat"])
        motion = motion_ops.create_motion(meeting.sessions[0].items[0], actor=None, kind="general",
                                          title="To amend the by-laws", majority="absolute_all")
        _db.session.commit()
        meeting_id, motion_id = meeting.id, motion.id
        voters = [(d.id, d.email) for d in delegates]
    desk = api.as_user("desk@example.org")
    for user_id, _ in voters:
        assert desk.post(f"/meetings/{meeting_id}/attendance", json={"user_id": user_id}).status_code == 200
    poll = desk.post(f"/motions/{motion_id}/polls").get_json()
    assert (poll["present"], poll["eligible"]) == (8, 12)
    for n, (_, email) in enumerate(voters):
        answer = api.as_user(email).post(f"/polls/{poll['id']}/votes", json={"choice": "yes" if n < 6 else "no"})
        assert answer.status_code == 201
    result = desk.post(f"/polls/{poll['id']}/close").get_json()["result"]
    assert (result["status"], result["threshold"], result["eligible"]) == ("rejected", 7, 12)
    assert result["threshold_text"] == "more than half of all 12 voting members: at least 7 yes"
