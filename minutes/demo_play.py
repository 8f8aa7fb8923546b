"""`excom demo --play`: the EXCOM 2024 Almaty meeting, played through from check-in to memorandum.

Every step goes through the operations a real meeting uses (check-in, the current item,
notes, motions, polls, votes, adjournment, the memorandum build), each committed on its
own as a request would be. What the program book does not say is invented and marked so
in the notes: the candidates and the outcome of the host-city ballot, every count, the
statutes amendment's wording and the logo designs are illustrative only.

The meeting is played on a simulated clock set to the program's times (20 September 2024,
14:00 Almaty time onwards), so that the memorandum reads as the meeting would have; the
operations take their time from `utcnow`, which the clock stands in for while playing.
"""
from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from governance.auth.models import User
from governance.clock import running
from governance.demo.loader import load_facts
from governance.extensions import db
from governance.meetings import operations as meeting_ops
from governance.meetings.models import AgendaItem, Meeting
from governance.registry.models import Member
from governance.speakers import operations as speaker_ops
from governance.speakers.models import Speaker
from minutes import operations as minutes_ops
from motions import operations as motion_ops
from motions.models import Motion
from voting import operations as voting_ops

ILLUSTRATIVE = "(Illustrative: the demo invents this outcome; the program book does not record it.)"


# --- a clock for the play ------------------------------------------------------------------

class SimulatedClock:
    """Stands in for the real clock (governance.clock): the time only moves when the play says so."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)

    def at(self, moment: datetime) -> None:
        self.now = max(self.now, moment)


@contextmanager
def simulated_clock(start: datetime):
    """The play's clock stands in for the real one (governance.clock) while the play runs."""
    clock = SimulatedClock(start)
    with running(clock):
        yield clock


# --- two candidate logos, drawn with the standard library --------------------------------

def _png(size: int, colour_at: Callable[[float, float], tuple[int, int, int] | None]) -> bytes:
    def pixel(x: int, y: int) -> bytes:
        colour = colour_at(x + 0.5, y + 0.5)
        return bytes((*colour, 255)) if colour else b"\xff\xff\xff\x00"

    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def logo_globe(size: int = 160) -> bytes:
    """A teal globe with a navy orbit: candidate A."""
    c = size / 2

    def colour(x, y):
        r = math.hypot(x - c, y - c)
        if abs(((x - c) / 0.46) ** 2 + ((y - c) / 0.16) ** 2 - size ** 2) < size * 14:
            return (0x1F, 0x3A, 0x68)
        if r < 0.36 * size:
            band = int((y - c + size) / (size * 0.09)) % 2
            return (0x1B, 0x8A, 0xA6) if band else (0x3F, 0xB0, 0xC6)
        return None
    return _png(size, colour)


def logo_towers(size: int = 160) -> bytes:
    """Three orange towers on a navy disc: candidate B."""
    c = size / 2

    def colour(x, y):
        if math.hypot(x - c, y - c) > 0.47 * size:
            return None
        for left, top in ((0.28, 0.45), (0.44, 0.25), (0.60, 0.38)):
            if left * size <= x <= (left + 0.12) * size and top * size <= y <= 0.75 * size:
                return (0xF2, 0x8C, 0x28)
        return (0x1F, 0x3A, 0x68)
    return _png(size, colour)


def memorandum_2023_stand_in() -> bytes:
    """A small DOCX standing in for the memorandum of EXCOM 2023 that the members received by
    e-mail before the platform was in use (the demo does not hold the real one)."""
    import io

    from docx import Document
    document = Document()
    document.add_heading("WeGO Executive Committee Meeting 2023 – Memorandum", level=1)
    document.add_paragraph("Stand-in for the demo: the memorandum of the EXCOM Meeting 2023 as circulated by the "
                           "Secretariat before this platform was in use.")
    out = io.BytesIO()
    document.core_properties.created = datetime(2023, 11, 1)
    document.save(out)
    return out.getvalue()


# --- the play --------------------------------------------------------------------------------

@dataclass
class PlayReport:
    meeting: Meeting
    played: bool  # False when the meeting had been played before (nothing changed)
    version: int | None
    resolutions: list[str] = field(default_factory=list)
    next_host: str | None = None
    docx_path: Path | None = None


class Play:
    def __init__(self, meeting: Meeting, facts: dict, clock: SimulatedClock, echo: Callable[[str], None]):
        self.meeting_id = meeting.id
        self.facts = facts
        self.clock = clock
        self.echo = echo
        participants = facts["participants"]
        self.emails = {p["affiliation"]: p["email"] for p in participants}
        self.secretariat_email = next(p["email"] for p in participants if p["group"] == "secretariat")
        president = facts["organization"]["president_member"]
        self.chair_email = self.emails[president]
        self.delegates = [p["affiliation"] for p in participants if p["group"] == "excom_member"]

    # lookups, fresh after every commit
    @property
    def meeting(self) -> Meeting:
        return db.session.get_one(Meeting, self.meeting_id)

    def user(self, email: str) -> User:
        return db.session.scalar(db.select(User).where(User.email == email))

    def delegate(self, city: str) -> User:
        return self.user(self.emails[city])

    def member(self, name: str) -> Member:
        return db.session.scalar(db.select(Member).where(Member.name == name))

    @property
    def chair(self) -> User:
        return self.user(self.chair_email)

    @property
    def staff(self) -> User:
        return self.user(self.secretariat_email)

    def item(self, title_start: str) -> AgendaItem:
        return next(i for i in self.meeting.agenda() if i.title.startswith(title_start))

    def commit(self) -> None:
        db.session.commit()

    # steps
    def check_in(self, online: set[str]) -> None:
        meeting = self.meeting
        for participant in sorted(meeting.participants, key=lambda p: p.id):
            affiliation = participant.user.member.name if participant.user.member else participant.user.affiliation
            mode = "online" if affiliation in online else "in_person"
            meeting_ops.record_attendance(meeting, actor=self.staff, user_id=participant.user_id, mode=mode,
                                          present=True)
            self.clock.advance(0.25)
        self.commit()
        self.echo(f"  checked in {len(meeting.participants)} participants ({', '.join(sorted(online))} online)")

    def check_out(self, emails: list[str]) -> None:
        for email in emails:
            user = self.user(email)
            stay_mode = "in_person"
            meeting_ops.record_attendance(self.meeting, actor=self.staff, user_id=user.id, mode=stay_mode,
                                          present=False)
        self.commit()

    def take_up(self, title_start: str, notes: str, minutes: float = 5) -> AgendaItem:
        item = self.item(title_start)
        meeting_ops.activate_item(item, actor=self.chair)
        self.commit()
        self.clock.advance(minutes)
        minutes_ops.write_notes(self.item(title_start), notes, actor=self.staff)
        self.commit()
        return self.item(title_start)

    def motion(self, item: AgendaItem, **fields) -> int:
        motion = motion_ops.create_motion(item, actor=self.staff, **fields)
        self.commit()
        return motion.id

    def vote(self, motion_id: int, ballots: Mapping[str, object], minutes: float = 2) -> dict:
        """Open a poll, have each listed delegate vote, close it; answers the result."""
        poll = voting_ops.open_poll(db.session.get_one(Motion, motion_id), actor=self.chair)
        self.commit()
        poll_id = poll.id
        for city, choice in ballots.items():
            self.clock.advance(0.1)
            voting_ops.cast_vote(db.session.get_one(type(poll), poll_id), voter=self.delegate(city), choice=choice)
            self.commit()
        self.clock.advance(minutes)
        poll = voting_ops.close_poll(db.session.get_one(type(poll), poll_id), actor=self.chair)
        assert poll.result is not None  # a closed poll holds its result
        result = dict(poll.result)
        self.commit()
        self.clock.advance(1)
        return result

    def speak(self, item_title: str, who: str, minutes: float, kind: str = "speech") -> None:
        """`who` (an affiliation) asks for the floor from where they are checked in; the chair gives
        it and ends it after `minutes`."""
        person = self.user(self.emails[who])
        entry = speaker_ops.request_floor(self.item(item_title), actor=person, person=person, kind=kind, mode=None,
                                          text="")
        self.commit()
        entry_id = entry.id
        self.clock.advance(0.5)
        speaker_ops.start(db.session.get_one(Speaker, entry_id), actor=self.chair)
        self.commit()
        self.clock.advance(minutes)
        speaker_ops.stop(db.session.get_one(Speaker, entry_id), actor=self.chair)
        self.commit()

    def ask(self, item_title: str, who: str, question: str, answered: bool = True) -> None:
        """A question in writing (the program book's Q&A function), marked answered by the chair."""
        person = self.user(self.emails[who])
        entry = speaker_ops.request_floor(self.item(item_title), actor=person, person=person, kind="question",
                                          mode=None, text=question)
        self.commit()
        if answered:
            self.clock.advance(1)
            speaker_ops.mark_answered(db.session.get_one(Speaker, entry.id), actor=self.chair)
            self.commit()

    def ballots(self, **groups: list[str]) -> dict[str, str]:
        """yes=[...], no=[...], abstain=[...]; everyone else present votes yes."""
        chosen = {city: choice for choice, cities in groups.items() for city in cities}
        absent = set(groups.get("absent", []))
        return {city: chosen.get(city, "yes") for city in self.delegates if city not in absent}


def _local(facts: dict, session: int, minutes: float) -> datetime:
    start = datetime.fromisoformat(facts["meeting"]["sessions"][session]["starts_at"])
    return start + timedelta(minutes=minutes)


def play(*, echo: Callable[[str], None] = print, instance_path: str | None = None) -> PlayReport:
    """Play the EXCOM 2024 meeting loaded by `excom demo`; commits as it goes."""
    facts = load_facts()
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.title == facts["meeting"]["title"]))
    if meeting is None:
        raise RuntimeError("Load the demo first (excom demo).")
    if meeting.adjourned_at is not None:
        newest = minutes_ops.newest_version(meeting.id)
        return PlayReport(meeting, False, newest.version if newest else None)
    if meeting.opened_at is not None:
        raise RuntimeError("The demo meeting is already under way; play it from a fresh database.")

    with simulated_clock(_local(facts, 0, -15)) as clock:
        run = Play(meeting, facts, clock, echo)
        _play_open_session(run)
        _play_closed_session(run)
        clock.at(_local(facts, 1, 90))
        meeting_ops.adjourn(run.meeting, actor=run.chair)
        run.commit()
        clock.advance(2)
        version = minutes_ops.build_memorandum_version(run.meeting, actor=run.staff)
        run.commit()
        echo(f"  adjourned; memorandum version {version.version} built (draft)")

    meeting = run.meeting
    report = PlayReport(meeting, True, version.version)
    report.resolutions = list(db.session.scalars(
        db.select(Motion.resolution_number).where(Motion.meeting_id == meeting.id,
                                                  Motion.resolution_number.is_not(None))
        .order_by(Motion.decided_at, Motion.id)))
    report.next_host = meeting.next_host.name if meeting.next_host else None
    if instance_path:
        path = Path(instance_path) / minutes_ops.docx_filename(meeting, version, "full")
        path.write_bytes(db.session.get_one(type(version), version.id).full_docx)
        report.docx_path = path
    return report


def _play_open_session(run: Play) -> None:
    facts, clock = run.facts, run.clock
    echo = run.echo
    echo("open session")
    run.check_in(online={"São Paulo", "Hebron", "Nairobi"})
    clock.at(_local(facts, 0, 0))

    run.take_up("Opening Announcement", (
        "The Chair, Hong-seok Koo (Seoul), opened the meeting and welcomed the members, observers and partners "
        "to the WeGO Executive Committee Meeting 2024 on the theme “Smart City, Smart Citizen”.\n\n"
        "Erbolat Dossaev, Mayor of Almaty and Executive Vice-President of WeGO, welcomed the participants on "
        "behalf of the host city."), minutes=5)
    run.take_up("Introduction of Participants", (
        "The Secretary General, Jung Sook Park, introduced the participants and presented the schedule of the "
        "meeting. Delegates of São Paulo and Hebron and the observer from Nairobi took part online; online "
        "participants were identified by their display names in the form “Full name (affiliation)”."),
        minutes=3)
    run.take_up("Group Photo", "A group photo of all participants was taken.", minutes=2)

    item = run.take_up("Review of 2024 WeGO Secretariat Annual Report", (
        "The Secretary General presented the 2024 Secretariat Annual Report: membership, the regional offices, "
        "capacity-building programmes and the Smart City Solution Guides.\n\n"
        "Members asked about the follow-up of the 2024 training programmes; the Secretariat will circulate a "
        "progress note. " + ILLUSTRATIVE), minutes=6)
    run.speak("Review of 2024 WeGO Secretariat Annual Report", "São Paulo", minutes=2.5)  # online
    run.speak("Review of 2024 WeGO Secretariat Annual Report", "Beyoğlu", minutes=2)  # in the room
    run.ask("Review of 2024 WeGO Secretariat Annual Report", "Nairobi",
            "Will the 2025 training programmes be open to observer cities? (Illustrative.)")
    item = run.item("Review of 2024 WeGO Secretariat Annual Report")
    motion = run.motion(item, kind="general", title="Receipt of the 2024 Secretariat Annual Report",
                        text="That the Executive Committee receive the 2024 WeGO Secretariat Annual Report "
                             "as presented.", moved_by_id=run.delegate("Beyoğlu").id)
    run.vote(motion, run.ballots(abstain=["Abuja"]))
    echo("  Agenda 1: annual report received")

    item = run.take_up("Approval of Host City", (
        "Makati, Abuja and Cuenca presented their candidacies to host the EXCOM Meeting 2025. The Chair "
        "recalled that the host is elected by exhaustive secret ballot: a candidate needs more than half of "
        "the valid votes; otherwise the candidate with the fewest votes is eliminated and a further round is "
        "held.\n\n" + "The candidates and every count of this ballot are illustrative: the demo invents them; "
        "the program book does not record the outcome."), minutes=4)
    candidates = [run.member(name).id for name in ("Makati", "Abuja", "Cuenca")]
    motion = run.motion(item, kind="host_city", title="Election of the host city of the EXCOM Meeting 2025",
                        text="That the Executive Committee elect the host city of the EXCOM Meeting 2025 from "
                             "among the candidate cities Makati, Abuja and Cuenca.",
                        candidates=candidates, secret=True, moved_by_id=run.delegate("Almaty").id)
    makati, abuja, cuenca = candidates
    first = {"Makati": makati, "Seberang Perai": makati, "Chengdu": makati, "Seoul": makati, "São Paulo": makati,
             "Abuja": abuja, "Kampala": abuja, "Hebron": abuja, "Abu Dhabi": abuja,
             "Cuenca": cuenca, "Beyoğlu": cuenca, "Almaty": cuenca}
    result = run.vote(motion, first)
    assert result["status"] == "runoff", result
    second = dict(first, Cuenca=abuja, **{"Beyoğlu": makati, "Almaty": makati})
    result = run.vote(motion, second)
    assert result["status"] == "elected", result
    host = run.meeting.next_host
    assert host is not None  # the election just named it
    echo(f"  Agenda 2: host city elected in round 2 ({host.name})")

    item = run.take_up("Approval of New, Withdrawals", (
        "The Secretariat reported the membership changes since the EXCOM Meeting 2023: Cali (Colombia) applied "
        "and is described in the program book as WeGO's new member; Kaohsiung held its membership welcoming "
        "ceremony at the 2024 Smart City Summit & Expo. No withdrawal, suspension or termination was proposed.\n\n"
        "Lina Ramirez (Cali) thanked the Executive Committee. The counts are illustrative."), minutes=4)
    for name, abstain in (("Cali", ["Hebron"]), ("Kaohsiung", ["Chengdu", "Hebron"])):
        motion = run.motion(item, kind="membership", title=f"Admission of {name}",
                            text=f"That the Executive Committee admit {name} as a member of WeGO.",
                            member_id=run.member(name).id, action="admit", moved_by_id=run.staff.id)
        run.vote(motion, run.ballots(abstain=abstain))
    echo("  Agenda 3: Cali and Kaohsiung admitted")

    item = run.take_up("Approval of New WeGO Logo", (
        "The Secretariat presented two logo designs, “Globe” and “Towers”, prepared for the demo; the winning "
        "design becomes the organisation's logo on its documents, this memorandum included. The designs and the "
        "counts are illustrative."), minutes=3)
    motion_id = run.motion(item, kind="logo", title="Choice of the new WeGO logo",
                           text="That the Executive Committee choose the new WeGO logo from the two designs "
                                "presented by the Secretariat.", secret=True)
    globe = motion_ops.add_logo(db.session.get_one(Motion, motion_id), actor=run.staff, data=logo_globe(),
                                mimetype="image/png", label="Globe")
    towers = motion_ops.add_logo(db.session.get_one(Motion, motion_id), actor=run.staff, data=logo_towers(),
                                 mimetype="image/png", label="Towers")
    run.commit()
    votes: dict[str, object] = {city: globe.id for city in run.delegates}
    votes.update({"Abuja": towers.id, "Kampala": towers.id, "Cuenca": towers.id, "Hebron": "abstain"})
    result = run.vote(motion_id, votes)
    assert result["status"] == "elected", result
    echo("  Agenda 4: the Globe logo chosen")


def _play_assessment(run: Play) -> None:
    """Agenda 5: the members score the six regional offices on their phones (the assessment the
    demo loader prepared); every sheet is illustrative. Makati abstains."""
    item = run.item("Annual Assessment of WeGO Regional Offices")
    motion = db.session.scalar(db.select(Motion).where(Motion.item_id == item.id, Motion.kind == "assessment"))
    # one row per member: the scores of East Asia, Mediterranean, Africa, Latin America, MENA, Central Asia
    rows = {"Seoul": (5, 4, 4, 3, 4, 5), "Almaty": (4, 4, 3, 4, 5, 5), "Chengdu": (5, 3, 4, 3, 4, 4),
            "Beyoğlu": (4, 5, 3, 3, 4, 4), "Abuja": (4, 4, 5, 3, 3, 4), "Cuenca": (3, 4, 3, 5, 3, 4),
            "Abu Dhabi": (4, 4, 4, 3, 5, 4), "Kampala": (4, 3, 5, 3, 3, 3), "Hebron": (4, 4, 3, 3, 5, 4),
            "São Paulo": (4, 3, 3, 5, 3, 3), "Seberang Perai": (5, 3, 3, 3, 4, 4)}
    sheets: dict[str, object] = {city: {"scores": {str(i): score for i, score in enumerate(scores)}}
                                 for city, scores in rows.items()}
    sheets = {city: sheets.get(city, "abstain") for city in run.delegates}
    result = run.vote(motion.id, sheets)
    assert result["status"] == "recorded", result
    run.echo("  Agenda 5: the regional offices assessed")


def _play_closed_session(run: Play) -> None:
    facts, clock, echo = run.facts, run.clock, run.echo
    echo("closed session")
    clock.at(_local(facts, 1, 0))
    observers = [p["email"] for p in facts["participants"] if p["group"].startswith("observer")]
    run.check_out(observers)  # the observers leave the room for the closed session

    item = run.take_up("Adoption of the Agenda", (
        "The Chair put the agenda of the meeting, as circulated with the program book, to the present EXCOM "
        "members."), minutes=2)
    motion = run.motion(item, kind="agenda_adoption", title="Adoption of the agenda",
                        text="That the agenda of the WeGO EXCOM Meeting 2024 be adopted as circulated.")
    run.vote(motion, run.ballots())
    echo("  agenda adopted (and locked)")

    item = run.take_up("Review of Meeting Memorandum", (
        "The memorandum of the WeGO EXCOM Meeting 2023 was circulated by the Secretariat before this platform "
        "was in use; the Secretariat recorded the file the members had received, and the Executive Committee "
        "approved it as held outside the platform. The file in the demo is a stand-in: the demo does not hold "
        "the real memorandum of 2023."), minutes=4)
    outside = motion_ops.record_external_memorandum(
        actor=run.staff, title="Memorandum of the WeGO EXCOM Meeting 2023, as circulated by the Secretariat",
        data=memorandum_2023_stand_in(), filename="WeGO EXCOM 2023 memorandum.docx")
    run.commit()
    motion = run.motion(item, kind="minutes_approval", title="Approval of the memorandum of EXCOM 2023",
                        text="That the Executive Committee approve the memorandum of the WeGO EXCOM Meeting 2023 "
                             "as circulated by the Secretariat.",
                        external_memorandum_id=outside.id, moved_by_id=run.delegate("Almaty").id)
    run.vote(motion, run.ballots())
    echo("  the memorandum of EXCOM 2023 (held outside the platform) approved")

    run.take_up("Annual Assessment of WeGO Regional Offices", (
        "The Secretariat presented the annual assessment of the six regional offices (East Asia: Chengdu; "
        "Mediterranean: Beyoğlu; Africa: Abuja; Latin America: Cuenca; Middle East & North Africa: Abu Dhabi; "
        "Central Asia: Almaty). The heads of the offices reported on their activities. " + ILLUSTRATIVE),
        minutes=10)
    _play_assessment(run)
    run.take_up("Review of 2024 Financial Report", (
        "The Secretariat presented the 2024 Financial Report. Members asked for the breakdown of project funds "
        "by region to be annexed to the next report. " + ILLUSTRATIVE), minutes=10)
    run.speak("Review of 2024 Financial Report", "Abu Dhabi", minutes=3)
    run.speak("Review of 2024 Financial Report", "Kampala", minutes=1, kind="point_of_order")
    run.ask("Review of 2024 Financial Report", "Kampala",
            "Can the project funds be broken down by region in the next report? (Illustrative.)")
    run.take_up("Upcoming WeGO Activities for 2025", (
        "The Secretariat outlined the activities planned for 2025, including the next training programmes and "
        "the EXCOM Meeting 2025 in the elected host city. " + ILLUSTRATIVE), minutes=8)

    item = run.take_up("Approval of Membership Fee Use", (
        "The Secretariat proposed the use of the membership fees for 2025. Abu Dhabi and Kampala asked that "
        "capacity building keep its share. " + ILLUSTRATIVE), minutes=8)
    motion = run.motion(item, kind="general", title="Use of the membership fees for 2025",
                        text="That the Executive Committee approve the use of the membership fees for 2025 as "
                             "proposed by the Secretariat.", moved_by_id=run.staff.id)
    run.vote(motion, run.ballots(no=["Abu Dhabi", "Kampala"], abstain=["Cuenca"]))
    echo("  Agenda 8: membership fee use approved")

    run.check_out([run.emails["Hebron"]])  # Hebron's delegate leaves the call before the amendment
    item = run.take_up("Review of Proposed Amendments", (
        "The Secretariat presented a proposed amendment of the Statutes on online participation. Several "
        "members asked for more time to consult their city councils. Tayseer Hasan (Hebron) had left the "
        "online meeting before the vote.\n\nThe wording of the amendment and the counts are illustrative."),
        minutes=12)
    motion = run.motion(item, kind="statutes_amendment", title="Amendment of the Statutes on online participation",
                        text="That the Statutes be amended to let EXCOM members attend and vote online.",
                        current_text="Members of the Executive Committee attend its meetings in person.",
                        proposed_text="Members of the Executive Committee attend its meetings in person or "
                                      "online; a member attending online counts towards the quorum and votes.",
                        moved_by_id=run.delegate("Seoul").id)
    run.vote(motion, run.ballots(no=["Chengdu", "Abu Dhabi", "Kampala", "Makati"], abstain=["Cuenca"],
                                 absent=["Hebron"]))
    echo("  Agenda 9: statutes amendment not adopted (two-thirds not reached)")

    run.take_up("Closing Remarks by the Chair", (
        "The Chair thanked the city of Almaty for its hospitality, the members for their work and the "
        "Secretariat for the preparation of the meeting."), minutes=5)
    run.take_up("EXCOM Meeting Adjourns", "The Chair adjourned the meeting.", minutes=1)
