"""The memorandum (minutes) of an EXCOM meeting as plain, immutable data.

Everything the Word document shows is in here and nothing else: the builder
(`minutes.builder`) reads only these dataclasses, and whoever fills them (from
the database, from a fixture) needs neither Flask nor SQLAlchemy.

Conventions
- Datetimes are timezone-aware (normally UTC, as stored); the builder shows
  them in `Memorandum.timezone`, the meeting's IANA zone ("Asia/Almaty").
- Sequences are tuples, so that every record is immutable and hashable.
- What belongs to a closed session is marked twice: a session has
  kind "closed", and an item, resolution or decision can carry `closed=True`
  on its own (e.g. an item taken in executive session during an open
  session). The public edition drops both.
- Human wording (titles, notes, the majority rule as a sentence) is given
  as text; the builder does not invent procedure, it only lays it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args
from zoneinfo import ZoneInfo

Status = Literal["draft", "approved"]
SessionKind = Literal["open", "closed"]
PollOutcome = Literal["adopted", "rejected", "elected", "runoff", "void", "tied"]
MotionOutcome = Literal["adopted", "rejected", "elected", "withdrawn", "postponed", "pending", "recorded"]

# python-docx embeds these; anything else would fail deep inside the builder. An SVG logo (stored
# before uploads were drawn into PNGs) is drawn by the builder itself; it has no signature.
LOGO_SIGNATURES: dict[str, bytes] = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "image/svg+xml": b"",
}


def _require_choice(value: str, allowed: object, what: str) -> None:
    if value not in get_args(allowed):
        raise ValueError(f"{what} must be one of {get_args(allowed)}, not {value!r}")


def _require_aware(value: datetime | None, what: str) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (got a naive datetime)")


@dataclass(frozen=True)
class Person:
    """Someone named in the memorandum: shown as "Full name (affiliation), title"."""

    name: str
    affiliation: str = ""  # the member city or institution represented
    title: str = ""  # the person's own office, e.g. "Mayor of Almaty"


@dataclass(frozen=True)
class Logo:
    data: bytes
    mime: str = "image/png"

    def __post_init__(self) -> None:
        signature = LOGO_SIGNATURES.get(self.mime)
        if signature is None:
            raise ValueError(f"logo mime must be one of {sorted(LOGO_SIGNATURES)}, not {self.mime!r}")
        if not self.data.startswith(signature):
            raise ValueError(f"logo bytes are not {self.mime}")


@dataclass(frozen=True)
class Attendance:
    """Who attended, by the groups the Secretariat reports (each group may be empty)."""

    members_in_person: tuple[Person, ...] = ()
    members_online: tuple[Person, ...] = ()
    members_absent: tuple[Person, ...] = ()
    members_excused: tuple[Person, ...] = ()
    observer_cities: tuple[Person, ...] = ()
    observer_institutions: tuple[Person, ...] = ()  # institutions and media
    corporates: tuple[Person, ...] = ()
    secretariat: tuple[Person, ...] = ()
    guests: tuple[Person, ...] = ()  # shown only when there are any


@dataclass(frozen=True)
class Quorum:
    """The quorum as determined by the chair at one moment (opening, a vote)."""

    voting_members: int
    present: int
    required: int
    quorate: bool  # the chair's finding, recorded as made


@dataclass(frozen=True)
class ChoiceCount:
    choice: str  # "Yes", "No", or a candidate such as "Makati"
    votes: int


@dataclass(frozen=True)
class NamedVote:
    """One line of a roll-call vote. Never filled for secret ballots."""

    member: str  # the voting member, e.g. "Seoul"
    choice: str  # as counted, e.g. "Yes" or "Abstain"
    cast_by: str = ""  # the representative who voted, if recorded


@dataclass(frozen=True)
class PollRecord:
    """One round of voting on a motion (a motion may need several rounds)."""

    round_label: str  # "Round 1", "Tie-break round", "Round 2"
    counts: tuple[ChoiceCount, ...]  # in ballot order; abstentions are not a choice here
    cast: int  # votes cast, abstentions excluded (Robert's Rules)
    abstentions: int
    eligible: int  # members entitled to vote in this round
    threshold_text: str  # the majority rule and threshold as one sentence
    outcome: PollOutcome
    quorum: Quorum | None = None
    votes: tuple[NamedVote, ...] = ()  # every member's vote, for named polls only
    elected: str | None = None  # the winning choice when outcome == "elected"
    taken_at: datetime | None = None  # when the poll closed
    note: str | None = None  # e.g. why a round was void or what the runoff decides
    ballots: int | None = None  # every ballot: votes cast, abstentions (and exhausted, by instant runoff)
    exhausted: int | None = None  # instant runoff: ballots ranking no candidate still standing

    def __post_init__(self) -> None:
        _require_choice(self.outcome, PollOutcome, "poll outcome")
        _require_aware(self.taken_at, "poll taken_at")


@dataclass(frozen=True)
class Amendment:
    """A statutes amendment as the members voted on it: both texts and the changes between them
    (motions.amendment), each change ("equal" | "delete" | "insert", text)."""

    current: str
    proposed: str
    changes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SubjectScore:
    """One row of an assessment's table: a subject, how many scored it, the mean and median
    (None when nobody did) and how many gave each score, lowest first."""

    name: str
    count: int
    mean: float | int | None
    median: float | int | None
    distribution: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class AssessmentRecord:
    """An assessment's result as the memorandum prints it: a table, not a decision."""

    scale_min: int
    scale_max: int
    subjects: tuple[SubjectScore, ...]
    ballots: int  # sheets received, abstentions included
    scored: int
    abstentions: int
    eligible: int
    quorum: Quorum | None = None
    taken_at: datetime | None = None
    votes: tuple[NamedVote, ...] = ()  # named assessments: each member's sheet, as text

    def __post_init__(self) -> None:
        _require_aware(self.taken_at, "assessment taken_at")


@dataclass(frozen=True)
class MotionRecord:
    title: str
    text: str  # the motion exactly as worded when put to the vote
    kind: str  # "main motion", "election", "amendment", ...
    moved_by: Person | None
    majority: str  # the rule's name, e.g. "two-thirds of the votes cast"
    outcome: MotionOutcome
    secret: bool = False  # secret ballot: individual votes are never printed
    seconded_by: Person | None = None
    resolution_number: str | None = None  # "EXCOM 2024/R3" once adopted
    polls: tuple[PollRecord, ...] = ()  # empty when decided by general consent
    note: str | None = None  # e.g. "Adopted by general consent."
    amendment: Amendment | None = None  # statutes amendments: what changes
    assessment: AssessmentRecord | None = None  # assessments: the table of scores once recorded

    def __post_init__(self) -> None:
        _require_choice(self.outcome, MotionOutcome, "motion outcome")


@dataclass(frozen=True)
class DocumentRecord:
    """A document on an agenda item, listed as an annex with the SHA-256 of its bytes."""

    title: str
    filename: str
    content_type: str
    size: int  # bytes
    sha256: str  # hex digest: a reader checks the file they hold is the one the meeting had


@dataclass(frozen=True)
class SpeakerRecord:
    """Who took the floor on an item, or asked a question in writing."""

    person: Person
    kind: str  # "speech", "question", "point_of_order"
    mode: str  # "in_person", "online"
    started_at: datetime | None = None
    ended_at: datetime | None = None
    text: str = ""  # the written question
    answered: bool = False

    def __post_init__(self) -> None:
        _require_aware(self.started_at, "speaker started_at")
        _require_aware(self.ended_at, "speaker ended_at")


@dataclass(frozen=True)
class ItemRecord:
    """One agenda item as adopted and what was done under it."""

    title: str
    number: str | None = None  # the agenda's own label, e.g. "Agenda 1"; procedural items have none
    kind: str = ""  # "report", "motion", "procedural", ...
    notes: str = ""  # paragraphs separated by blank lines
    motions: tuple[MotionRecord, ...] = ()
    closed: bool = False  # taken in closed session even if the session is open
    documents: tuple[DocumentRecord, ...] = ()  # the annexes, in the order they were attached
    speakers: tuple[SpeakerRecord, ...] = ()  # in the order they spoke or asked


@dataclass(frozen=True)
class SessionRecord:
    title: str
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime | None
    venue: str
    items: tuple[ItemRecord, ...] = ()

    def __post_init__(self) -> None:
        _require_choice(self.kind, SessionKind, "session kind")
        _require_aware(self.starts_at, "session starts_at")
        _require_aware(self.ends_at, "session ends_at")


@dataclass(frozen=True)
class Resolution:
    number: str  # "EXCOM 2024/R3"
    title: str
    text: str
    closed: bool = False  # adopted in closed session: dropped from the public edition


@dataclass(frozen=True)
class PublishedDecision:
    """A closed-session decision the secretariat has published (governance.publication): the
    public edition lists it by its number, the motion as worded and the outcome; never the
    debate, the notes or the counts of a secret ballot."""

    title: str
    outcome: str  # "adopted", "rejected" or "elected"
    number: str | None = None  # none for a rejected motion
    winner: str | None = None  # the elected candidate (host city, logo)


@dataclass(frozen=True)
class PreviousMinutes:
    """What the meeting did with the previous memorandum."""

    action: str  # e.g. "The memorandum of EXCOM 2023 was approved as circulated."
    closed: bool = False  # decided in closed session


@dataclass(frozen=True)
class NextHost:
    city: str
    meeting: str = ""  # e.g. "EXCOM Meeting 2025"
    closed: bool = False  # decided in closed session


@dataclass(frozen=True)
class AuditHead:
    """The newest audit event when the memorandum was built: printed in both editions, so that
    a copy outside the database can later show the trail was not cut off or rewritten before it
    (`excom audit verify --head SEQ:HASH`)."""

    seq: int
    hash: str  # 64 hex digits


@dataclass(frozen=True)
class Memorandum:
    organisation_name: str
    logo: Logo | None
    meeting_title: str  # "WeGO Executive Committee Meeting 2024"
    meeting_kind: str  # "Regular meeting of the Executive Committee"
    venue: str
    timezone: str  # IANA name, e.g. "Asia/Almaty"
    opened_at: datetime
    adjourned_at: datetime | None
    chair: Person | None
    secretary: Person | None  # the secretary present (title block)
    secretary_general: Person | None  # signs with the chair
    version: int
    status: Status
    generated_at: datetime
    generated_by: str
    attendance: Attendance = field(default_factory=Attendance)
    quorum_at_opening: Quorum | None = None
    previous_minutes: PreviousMinutes | None = None
    sessions: tuple[SessionRecord, ...] = ()
    resolutions: tuple[Resolution, ...] = ()
    next_host: NextHost | None = None
    audit_head: AuditHead | None = None
    # the public edition's: published closed-session decisions, and the logo as the public
    # still knows it while a closed-session logo vote is unpublished (None: `logo`)
    published_decisions: tuple[PublishedDecision, ...] = ()
    public_logo: Logo | None = None
    # ... and the attendance and opening quorum counted on the board as the public knows it
    # while a member's status changed in camera is unpublished (None: as above)
    public_attendance: Attendance | None = None
    public_quorum_at_opening: Quorum | None = None

    def __post_init__(self) -> None:
        _require_choice(self.status, Status, "status")
        ZoneInfo(self.timezone)  # fail here, not halfway through a build
        for name in ("opened_at", "adjourned_at", "generated_at"):
            _require_aware(getattr(self, name), name)
        if self.version < 1:
            raise ValueError("version starts at 1")


# --- what a document cannot hold --------------------------------------------------------

# Characters XML 1.0 (and so a .docx) cannot contain: C0 controls other than tab, newline and
# carriage return, lone surrogates, U+FFFE and U+FFFF. Input refuses them at the door
# (governance.boundary); this finds any that were stored before, or came another way.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class UnwritableText(ValueError):
    """The record holds text that a Word document cannot hold. `fields`: {place: [problem]},
    as in API.md's error body, e.g. {"sessions.0.items.2.notes": ["…"]}."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(fields)
        self.fields = fields


def unwritable_text(value, place: str = "", context: str = "") -> dict[str, list[str]]:
    """Every text in a record (dataclasses, tuples, strings) that a document cannot hold, by
    its place in the record, with a sentence that says which thing it belongs to."""
    found: dict[str, list[str]] = {}
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            what = f"{context}: " if context else ""
            found[place or "record"] = [(f"{what}the character U+{ord(bad.group()):04X} cannot be written into a "
                                         "document; remove it and build again.")]
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            found.update(unwritable_text(item, f"{place}.{index}" if place else str(index), context))
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, (Logo, datetime)):
        label = getattr(value, "title", None) or getattr(value, "name", None)
        here = f"“{label}”" if isinstance(label, str) and not _NOT_XML.search(label) else context
        for name in value.__dataclass_fields__:
            found.update(unwritable_text(getattr(value, name), f"{place}.{name}" if place else name,
                                         f"{here} ({name})" if here else name))
    return found
