"""The collector reads a meeting from the database into the memorandum record."""
from datetime import UTC, datetime, timedelta

from governance.extensions import db
from governance.meetings.models import Meeting
from minutes.builder import public_view
from minutes.collect import attendance_mode, collect


class Stay:
    def __init__(self, mode, start, end=None):
        self.mode, self.checked_in_at, self.checked_out_at = mode, start, end


T0 = datetime(2024, 9, 20, 9, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def test_a_stay_during_the_meeting_counts_and_the_longest_mode_wins():
    assert attendance_mode([], at(0), at(60), at(90)) is None
    # before the opening and after the adjournment: not present
    assert attendance_mode([Stay("in_person", at(-30), at(-10))], at(0), at(60), at(90)) is None
    assert attendance_mode([Stay("in_person", at(70))], at(0), at(60), at(90)) is None
    # ten minutes online, then forty in the room
    stays = [Stay("online", at(0), at(10)), Stay("in_person", at(10), at(50))]
    assert attendance_mode(stays, at(0), at(60), at(90)) == "in_person"
    # mostly online, a short visit to the room at the end
    stays = [Stay("online", at(-5), at(55)), Stay("in_person", at(55))]
    assert attendance_mode(stays, at(0), at(60), at(90)) == "online"
    # a meeting not yet adjourned: open stays run until now
    assert attendance_mode([Stay("online", at(5))], at(0), None, at(20)) == "online"


def test_a_meeting_without_motions_is_collected_from_attendance_agenda_and_notes(app, small_meeting):
    names = small_meeting["names"]
    with app.app_context():
        meeting = db.session.get(Meeting, small_meeting["meeting"])
        record = collect(meeting, version=1, status="draft", generated_by="Sam Secretary")
        people = record.attendance
        assert [p.name for p in people.members_in_person] == [names["chair"]]
        assert [p.name for p in people.members_online] == [names["online"]]
        assert [p.name for p in people.members_excused] == [names["excused"]]
        assert [p.name for p in people.members_absent] == [names["absent"]]
        assert [(p.name, p.affiliation, p.title) for p in people.observer_cities] == [
            ("Olga Observer", "Observer Town", "Deputy Mayor")]
        assert people.observer_institutions == ()  # the journalist never checked in
        assert [p.name for p in people.secretariat] == ["Sam Secretary"]
        assert record.chair.name == names["chair"]
        assert record.secretary_general.name == "Sam Secretary"
        assert record.opened_at == meeting.opened_at and record.adjourned_at == meeting.adjourned_at
        # four voting members, two present at the opening: majority needs three
        assert (record.quorum_at_opening.voting_members, record.quorum_at_opening.present,
                record.quorum_at_opening.required, record.quorum_at_opening.quorate) == (4, 2, 3, False)
        assert [s.kind for s in record.sessions] == ["open", "closed"]
        open_item, closed_item = record.sessions[0].items[0], record.sessions[1].items[0]
        assert open_item.notes == "The chair opened the meeting.\n\nAll members were welcomed."
        assert closed_item.closed and "Hush-hush" in closed_item.notes
        assert all(item.motions == () for s in record.sessions for item in s.items)
        assert record.resolutions == () and record.next_host is None and record.previous_minutes is None
        assert record.logo is not None  # the default logo when none was adopted
        public = public_view(record)
        assert [s.kind for s in public.sessions] == ["open"]
