"""The .ics file of a meeting's sessions (RFC 5545, written by icalendar): pure, no Flask and
no database. `meeting_events` turns the stored meeting into `SessionEvent`s; `sessions_calendar`
writes them.

Times are written in UTC ("...Z"): every calendar program shows them in its own zone, and no
VTIMEZONE has to be carried. Each session's UID is stable (its id and the installation's
domain), so an invitation sent again updates the same entries instead of adding new ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vText

PRODID = "-//EXCOM governance platform//invitations//EN"


@dataclass(frozen=True)
class SessionEvent:
    """One entry: `starts_at` and `ends_at` aware datetimes (ends_at None: not known, and then
    the entry has no end, RFC 5545 3.6.1), texts of any characters."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    location: str = ""
    description: str = ""


class _Text(vText):
    """iCalendar TEXT escaped as RFC 5545 (3.3.11) says: backslash, semicolon, comma, line break.
    icalendar's own escaping first turns a backslash followed by N in the text into a line break,
    so a title holding those two characters came back on two lines. A line break is CRLF, LF or
    a lone CR (the API accepts all three in text): TEXT may hold no raw CR, and a reader that
    splits lines at one would cut the property there."""

    def to_ical(self) -> bytes:
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n").encode()


def _utc(moment: datetime) -> datetime:
    """In UTC, to the second (iCalendar's DATE-TIME has no fractions)."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must be aware datetimes")
    return moment.astimezone(UTC).replace(microsecond=0)


def sessions_calendar(events: list[SessionEvent], *, name: str, stamp: datetime) -> bytes:
    """The VCALENDAR with one VEVENT per event, in the order given. `stamp` is DTSTAMP (when
    the file was made). An end before its start is left out rather than written (a calendar
    program would refuse the whole file). ValueError for a naive datetime."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _Text(name))
    for entry in events:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", _utc(stamp))
        event.add("summary", _Text(entry.title))
        start = _utc(entry.starts_at)
        event.add("dtstart", start)
        if entry.ends_at is not None and _utc(entry.ends_at) >= start:
            event.add("dtend", _utc(entry.ends_at))
        if entry.location:
            event.add("location", _Text(entry.location))
        if entry.description:
            event.add("description", _Text(entry.description))
        calendar.add_component(event)
    return calendar.to_ical()


def meeting_events(meeting, sessions, *, domain: str) -> list[SessionEvent]:
    """The entries of `sessions` (those the reader may see, in order): one per session with a
    start time, titled "meeting: session", at the session's venue or the meeting's, with the
    session's items as its description. A meeting whose sessions have no times yet is one
    entry at the meeting's start."""
    events = []
    for session in sessions:
        if session.starts_at is None:
            continue
        items = "\n".join(f"{item.number} {item.title}".strip() if item.number else item.title
                          for item in session.items)
        events.append(SessionEvent(uid=f"excom-session-{session.id}@{domain}",
                                   title=f"{meeting.title}: {session.title}", starts_at=session.starts_at,
                                   ends_at=session.ends_at, location=session.venue or meeting.venue,
                                   description=items))
    if not events:
        events.append(SessionEvent(uid=f"excom-meeting-{meeting.id}@{domain}", title=meeting.title,
                                   starts_at=meeting.starts_at, location=meeting.venue))
    return events
