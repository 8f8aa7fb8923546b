"""How the memorandum says things, in the built-in layout (minutes.builder) and in a
secretariat's template (minutes.template) alike: the two editions and what the public one
leaves out, people, dates and times in the meeting's time zone, item headings, outcomes,
the quorum sentence, shares of votes cast, file sizes, speakers' times, annex numbers.

Plain text in the current language (minutes.wording); nothing here knows Word."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from minutes import wording
from minutes.record import ItemRecord, Memorandum, MotionRecord, Person, Quorum, SpeakerRecord
from minutes.wording import N_, _, say

Edition = Literal["full", "public"]
EDITIONS: tuple[Edition, ...] = ("full", "public")


# Attendance groups in the order the Secretariat reports them.
# (field of minutes.record.Attendance, heading, short form in the members' summary line)
ATTENDANCE_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("members_in_person", N_("EXCOM members present in person"), N_("present in person")),
    ("members_online", N_("EXCOM members present online"), N_("present online")),
    ("members_absent", N_("EXCOM members absent"), N_("absent")),
    ("members_excused", N_("EXCOM members excused"), N_("excused")),
    ("observer_cities", N_("Observer cities"), ""),
    ("observer_institutions", N_("Observer institutions and media"), ""),
    ("corporates", N_("Corporates"), ""),
    ("secretariat", N_("Secretariat"), ""),
    ("guests", N_("Guests"), ""),
)


POLL_OUTCOMES = {
    "adopted": N_("Adopted"),
    "rejected": N_("Rejected"),
    "elected": N_("Elected"),
    "runoff": N_("No choice reached the threshold; a further round follows"),
    "void": N_("Void"),
    "tied": N_("Tied"),
}


MOTION_OUTCOMES = {
    "adopted": N_("The motion was adopted."),
    "rejected": N_("The motion was rejected."),
    "elected": N_("The election was decided."),
    "withdrawn": N_("The motion was withdrawn."),
    "postponed": N_("The motion was postponed."),
    "pending": N_("No decision has been recorded yet."),
    "recorded": N_("The scores were recorded."),
}


def public_view(record: Memorandum) -> Memorandum:
    """The record with every trace of closed-session business removed.

    A closed item is one in a closed session or one marked `closed` itself.
    Resolutions go if marked closed or if a closed item's motion carries their
    number; the previous memorandum and the next host go if decided in camera.
    """
    closed_numbers = {
        motion.resolution_number
        for session in record.sessions
        for item in session.items
        if session.kind == "closed" or item.closed
        for motion in item.motions
        if motion.resolution_number
    }
    sessions = tuple(
        replace(session, items=tuple(item for item in session.items if not item.closed))
        for session in record.sessions
        if session.kind == "open"
    )
    resolutions = tuple(
        r for r in record.resolutions if not r.closed and r.number not in closed_numbers
    )
    previous = record.previous_minutes
    next_host = record.next_host
    return replace(
        record,
        sessions=sessions,
        resolutions=resolutions,
        previous_minutes=previous if previous and not previous.closed else None,
        next_host=next_host if next_host and not next_host.closed else None,
        logo=record.public_logo or record.logo,
        attendance=record.public_attendance or record.attendance,
        quorum_at_opening=(record.public_quorum_at_opening if record.public_attendance is not None
                           else record.quorum_at_opening),
    )


def format_person(person: Person) -> str:
    """ "Full name (affiliation), title", leaving out what is not known."""
    text = person.name or person.affiliation
    if person.affiliation and person.name:
        text += f" ({person.affiliation})"
    if person.title:
        text += f", {person.title}"
    return text


def utc_offset(moment: datetime, tz: ZoneInfo) -> str:
    offset = moment.astimezone(tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def format_date(moment: datetime, tz: tzinfo) -> str:
    """ "20 September 2024" (Babel, in the build's language: strftime's %B follows the server)."""
    return wording.date(moment, tz)


def format_time(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def format_moment(moment: datetime, tz: ZoneInfo) -> str:
    """ "20 September 2024, 14:00 (UTC+05:00)" in the meeting's time zone."""
    return _("%(date)s, %(time)s (%(offset)s)", date=format_date(moment, tz), time=format_time(moment, tz),
             offset=utc_offset(moment, tz))


def format_span(start: datetime, end: datetime | None, tz: ZoneInfo) -> str:
    until = f"–{format_time(end, tz)}" if end else ""
    return f"{format_time(start, tz)}{until} ({utc_offset(start, tz)})"


def item_heading(item: ItemRecord) -> str:
    return f"{item.number} – {item.title}" if item.number else item.title


def share_of_cast(votes: int, cast: int) -> str:
    return f"{wording.number(100 * votes / cast, 1)} %" if cast else "–"


def quorum_sentence(quorum: Quorum) -> str:
    finding = _("quorum present") if quorum.quorate else _("NO QUORUM")
    return _("%(members)s voting members, %(present)s present, %(required)s required: %(finding)s.",
             members=quorum.voting_members, present=quorum.present, required=quorum.required, finding=finding)


def voting_method(motion: MotionRecord) -> str:
    if motion.assessment is not None:
        return _("secret sheets of scores") if motion.secret else _("named sheets of scores")
    if not motion.polls:
        return _("no formal vote")
    if motion.secret:
        return _("secret ballot")
    if any(poll.votes for poll in motion.polls):
        return _("named vote")
    return _("open vote, individual votes not recorded")


def motion_outcome(motion: MotionRecord) -> str:
    winners = [poll.elected for poll in motion.polls if poll.outcome == "elected" and poll.elected]
    if motion.outcome == "elected" and winners:
        return _("%(name)s was elected.", name=winners[-1])
    return say(MOTION_OUTCOMES[motion.outcome])


SPEAKER_KINDS = {"speech": "", "point_of_order": N_("point of order"), "question": N_("question")}
SPEAKER_MODES = {"in_person": N_("in the room"), "online": N_("online")}


def annex_numbers(record: Memorandum) -> dict[int, int]:
    """Annex numbers in agenda order, over what this edition shows (keyed by the record's id())."""
    documents = [document for session in record.sessions for item in session.items for document in item.documents]
    return {id(document): number for number, document in enumerate(documents, start=1)}


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(n)s MB", n=wording.number(size / (1024 * 1024), 1))
    return _("%(n)s kB", n=wording.number(max(round(size / 1024), 1)))


def speaker_time(speaker: SpeakerRecord, tz: ZoneInfo) -> str:
    if speaker.started_at is None:
        return ""
    if speaker.ended_at is None:
        return format_time(speaker.started_at, tz)
    seconds = max(int((speaker.ended_at - speaker.started_at).total_seconds()), 0)
    return (f"{format_time(speaker.started_at, tz)}–{format_time(speaker.ended_at, tz)} "
            f"({seconds // 60}:{seconds % 60:02d})")


def verify_command(head) -> str:
    """The command that checks the trail against this head (minutes.anchor reads it back)."""
    return f"excom audit verify --head {head.seq}:{head.hash}"
