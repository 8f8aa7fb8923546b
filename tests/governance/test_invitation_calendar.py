"""The .ics of an invitation (governance.invitations.calendar), a pure function: whatever the
sessions' titles, venues and times, the file reads back (icalendar, as a calendar program
would) with one entry per session, the same texts and the same instants, no line longer than
RFC 5545's 75 octets, and CRLF line ends."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from governance.invitations.calendar import SessionEvent, sessions_calendar

STAMP = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
# any text a person might type, control characters aside (a title cannot hold them)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=120)
# real instants only: a session is stored in UTC, so a wall-clock time skipped by a clock change
# (02:00 on 2000-03-26 in Almaty) never reaches the calendar
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                       timezones=st.sampled_from([UTC, ZoneInfo("Asia/Almaty"), ZoneInfo("America/Bogota"),
                                                  ZoneInfo("Pacific/Chatham")]), allow_imaginary=False)


def _later(start: datetime, minutes: int) -> datetime:
    """`minutes` of real time after `start`, in its zone. Not `start + timedelta`: Python adds to
    the wall clock and drops the fold, so 0 minutes after the second 02:50 of a night the clocks
    go back would be the first 02:50, an hour earlier (an end the calendar rightly leaves out)."""
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)


# the second 02:50 of 2026-04-05 in Chatham, when the clocks go back from 03:45 to 02:45
FOLD = datetime(2026, 4, 5, 2, 50, fold=1, tzinfo=ZoneInfo("Pacific/Chatham"))


@st.composite
def events(draw):
    start = draw(MOMENTS)
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=24 * 60)))
    return SessionEvent(uid=f"excom-session-{draw(st.integers(1, 10**6))}@example.org",
                        title=draw(TEXT.filter(str.strip)),
                        starts_at=start, ends_at=_later(start, length) if length is not None else None,
                        location=draw(TEXT), description="\n".join(draw(st.lists(TEXT, max_size=4))))


@settings(max_examples=60, deadline=None)
@example([SessionEvent("excom-session-1@example.org", "0",
                       datetime(2024, 2, 29, 23, 0, tzinfo=ZoneInfo("Asia/Almaty")))])
@example([SessionEvent("excom-session-2@example.org", "Closed session", FOLD, _later(FOLD, 0))])
@example([SessionEvent("excom-session-3@example.org", "\\N", FOLD, location="C:\\Nairobi; hall, 2",
                       description="\\n\nand")])
@given(st.lists(events(), max_size=5))
def test_every_session_reads_back_as_written(entries):
    data = sessions_calendar(entries, name="EXCOM 2026", stamp=STAMP)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    parsed = Calendar.from_ical(data)
    read = [component for component in parsed.walk("VEVENT")]
    assert len(read) == len(entries)
    for entry, event in zip(entries, read):
        assert str(event["uid"]) == entry.uid
        assert str(event["summary"]) == entry.title
        # the same instant to the second (iCalendar has no fractions), written in UTC
        # compared in UTC: Python never finds an ambiguous wall-clock time (Almaty's last 23:00
        # of 2024-02-29, before the clocks went back) equal to a time of another zone (PEP 495)
        assert event.decoded("dtstart") == entry.starts_at.replace(microsecond=0).astimezone(UTC)
        assert event.decoded("dtstart").utcoffset() == timedelta(0)
        if entry.ends_at is None:
            assert "dtend" not in event
        else:
            assert event.decoded("dtend") == entry.ends_at.replace(microsecond=0).astimezone(UTC)
        assert str(event.get("location", "")) == entry.location
        assert str(event.get("description", "")) == entry.description


def test_a_naive_time_is_refused_and_an_end_before_the_start_left_out():
    start = datetime(2026, 9, 21, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    with pytest.raises(ValueError):
        sessions_calendar([SessionEvent("a@b", "Open session", start.replace(tzinfo=None))], name="x", stamp=STAMP)
    data = sessions_calendar([SessionEvent("a@b", "Open session", start, start - timedelta(hours=1))],
                             name="x", stamp=STAMP)
    assert b"DTEND" not in data and b"DTSTART:20260921T040000Z" in data


def test_every_kind_of_line_break_is_an_escaped_one():
    """CRLF, LF and a lone CR (the API lets all three into a venue or a title) each become TEXT's
    escaped line break: a raw CR in the file would end the line there for many readers."""
    start = datetime(2026, 9, 21, 9, 0, tzinfo=UTC)
    text = "Hall A\rfloor 2\r\nwing B\nend\\"
    data = sessions_calendar([SessionEvent("a@b", text, start, location=text, description=text)], name=text,
                             stamp=STAMP)
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert b"SUMMARY:Hall A\\nfloor 2\\nwing B\\nend\\\\\r\n" in data
    event = next(iter(Calendar.from_ical(data).walk("VEVENT")))
    for name in ("summary", "location", "description"):
        assert str(event[name]) == "Hall A\nfloor 2\nwing B\nend\\"
