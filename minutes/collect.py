"""From the database to `minutes.record.Memorandum`: what happened at a meeting.

Read-only: it queries and never flushes. The builder lays out what this returns;
everything the memorandum says comes from here (attendance from the stays, quorum at
the opening recomputed from them, per item the newest note, its motions and every
round of their polls, the resolutions, the next host, the previous memorandum).
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import cast, overload

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from governance import quorum as quorum_rules
from governance.audit.operations import head as audit_head
from governance.auth.models import User
from governance.dbtypes import utcnow
from governance.extensions import db
from governance.meetings import queries
from governance.meetings.models import Attendance, Group, Meeting, Participant
from governance.registry.models import Member, Organisation
from minutes import record as rec
from minutes.models import ItemNote
from minutes.wording import N_, Phrase
from motions import amendment
from motions.models import Motion, MotionStatus
from motions.publishing import is_published
from voting.models import Participation, Poll, PollStatus
from voting.poll_result import Choice, Method, NextReason, PollResult, ResultStatus

DEFAULT_LOGO = Path(__file__).with_name("assets") / "default-logo.png"
# The kind every meeting made from the pages has (governance/meetings/models.py): a fixed text,
# so the Russian edition says it in Russian; a kind typed through the API is the meeting's own words.
DEFAULT_MEETING_KIND = "Executive Committee meeting"


def _meeting_kind(kind: str | None) -> str:
    if not kind:
        return N_("Meeting")
    return N_("Executive Committee meeting") if kind == DEFAULT_MEETING_KIND else kind

# Fixed texts of the record are Phrases (minutes.wording): they read as this English and the
# builder says them in the language of each build.
MOTION_KIND_WORDS = {
    "general": N_("main motion"),
    "membership": N_("membership motion"),
    "host_city": N_("election of the host city"),
    "logo": N_("choice of the logo"),
    "agenda_adoption": N_("adoption of the agenda"),
    "minutes_approval": N_("approval of a memorandum"),
    "statutes_amendment": N_("amendment of the statutes"),
    "assessment": N_("assessment"),
}
ASSESSMENT_MAJORITY = N_("none: each member scores each subject; the result is a table of scores")
MAJORITY_WORDS = {
    "simple": N_("simple majority of the votes cast"),
    "two_thirds": N_("two-thirds of the votes cast"),
    "absolute_present": N_("more than half of the voting members present"),
    "absolute_all": N_("more than half of all voting members"),
    "two_thirds_present": N_("two-thirds of the voting members present"),
    "unanimous_present": N_("every voting member present"),
}
RECORDED_MOTION_STATUSES = tuple(s.value for s in MotionStatus if s != MotionStatus.PENDING)
# the poll outcomes a memorandum line shows (minutes.record.PollOutcome)
POLL_OUTCOMES = (ResultStatus.ADOPTED, ResultStatus.REJECTED, ResultStatus.ELECTED, ResultStatus.RUNOFF,
                 ResultStatus.VOID, ResultStatus.TIED)
MULTI_CANDIDATE_MAJORITY = N_("more than half of the valid votes (abstentions excluded), by successive rounds")
ACTION_NOTES = {"admit": N_("Admission of %(member)s."), "withdraw": N_("Withdrawal of %(member)s."),
                "suspend": N_("Suspension of %(member)s."), "terminate": N_("Termination of %(member)s."),
                "reinstate": N_("Reinstatement of %(member)s.")}
CHOICE_WORDS = {"yes": N_("Yes"), "no": N_("No"), "abstain": N_("Abstain")}

# The rule as voting.results wrote it into the stored result (English, the live screens' words),
# read back into a Phrase: the same English, said in the build's language.
THRESHOLD_WORDS = (
    N_("simple majority of votes cast: more yes than no"),
    N_("simple majority of votes cast: more yes than no, and at least one yes"),
    N_("two-thirds of votes cast: yes at least twice no"),
    N_("two-thirds of votes cast: yes at least twice no, and at least one yes"),
    N_("more than half of the %(present)s voting members present: at least %(n)s yes"),
    N_("more than half of all %(members)s voting members: at least %(n)s yes"),
    N_("two-thirds of the %(present)s voting members present: at least %(n)s yes"),
    N_("every voting member present (%(present)s) votes yes: at least %(n)s yes"),
    N_("tie-break round: the candidate with the fewest votes is eliminated"),
    N_("more than half of the %(cast)s votes cast: at least %(n)s"),
    N_("more than half of the %(counting)s ballots still counting in round %(round)s: at least %(n)s"),
)


def _pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", msgid)
    return re.compile("".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>\\d+)"
                              for index, part in enumerate(parts)) + r"\Z")


_THRESHOLD_PATTERNS = tuple((_pattern(phrase.msgid), phrase.msgid) for phrase in THRESHOLD_WORDS)


def threshold_phrase(text: str) -> str:
    """The stored rule text as a Phrase when it is one of voting's sentences, else as it is."""
    for pattern, msgid in _THRESHOLD_PATTERNS:
        match = pattern.match(text)
        if match:
            return Phrase(msgid, **match.groupdict())
    return text


def _joined(parts: list) -> str:
    """Several phrases as one text (each said in its language), separated by spaces."""
    if len(parts) == 1:
        return parts[0]
    return Phrase(" ".join(f"%(p{index})s" for index in range(len(parts))),
                  **{f"p{index}": part for index, part in enumerate(parts)})


# --- people ----------------------------------------------------------------------------

@overload
def person(user: User) -> rec.Person: ...
@overload
def person(user: User | None) -> rec.Person | None: ...
def person(user: User | None) -> rec.Person | None:
    if user is None:
        return None
    affiliation = user.member.name if user.member else (user.affiliation or "")
    return rec.Person(name=user.name, affiliation=affiliation, title=user.title or "")


def _meeting_span(meeting: Meeting) -> tuple[datetime | None, datetime | None]:
    return meeting.opened_at, meeting.adjourned_at


def _stays_by_user(meeting: Meeting) -> dict[int, list[Attendance]]:
    stays = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)
                               .order_by(Attendance.checked_in_at, Attendance.id))
    by_user: dict[int, list[Attendance]] = defaultdict(list)
    for stay in stays:
        by_user[stay.user_id].append(stay)
    return by_user


def attendance_mode(stays: list[Attendance], start: datetime | None, end: datetime | None,
                    now: datetime) -> str | None:
    """None when no stay overlaps the meeting; else the mode in which the person spent the most
    time during it (the last stay's mode on a tie)."""
    time_in: dict[str, float] = defaultdict(float)
    last_mode = None
    for stay in stays:
        stay_end = stay.checked_out_at or end or now
        if end is not None and stay.checked_in_at > end:
            continue
        if start is not None and stay.checked_out_at is not None and stay.checked_out_at < start:
            continue
        lower = max(stay.checked_in_at, start) if start else stay.checked_in_at
        upper = min(stay_end, end) if end else stay_end
        time_in[stay.mode] += max((upper - lower).total_seconds(), 0.0)
        last_mode = stay.mode
    if last_mode is None:
        return None
    longest = max(time_in.values())
    if time_in[last_mode] == longest:
        return last_mode
    return max(time_in, key=time_in.__getitem__)


def _people_of(meeting: Meeting) -> list[User]:
    """The participants' users with their member cities, in two queries: the attendance reads
    both for each participant, one query each otherwise (400 for an assembly of 200)."""
    taking_part = select(Participant.user_id).where(Participant.meeting_id == meeting.id)
    return list(db.session.scalars(select(User).where(User.id.in_(taking_part)).options(selectinload(User.member))))


def collect_attendance(meeting: Meeting, board: set[int] | None = None) -> rec.Attendance:
    """`board`: the voting members absent ones are drawn from (default: the board as it is;
    the public edition's is the board as the public knows it, governance.publication)."""
    start, end = _meeting_span(meeting)
    now = utcnow()
    stays = _stays_by_user(meeting)
    _held = _people_of(meeting)  # held: the session forgets what nothing references
    groups: dict[str, list[rec.Person]] = defaultdict(list)
    # by affiliation (the member city, else the observer's own), then name
    participants = sorted(meeting.participants, key=lambda p: (person(p.user).affiliation.casefold(),
                                                              p.user.name.casefold()))
    present_members: set[int] = set()
    absent_delegates: list[Participant] = []
    for participant in participants:
        user = participant.user
        mode = attendance_mode(stays.get(user.id, []), start, end, now)
        if participant.group == Group.EXCOM_MEMBER:
            if mode is not None:
                groups["members_online" if mode == "online" else "members_in_person"].append(person(user))
                if user.member_id:
                    present_members.add(user.member_id)
            else:
                absent_delegates.append(participant)
            continue
        if mode is None:
            continue  # observers and staff who did not come are not attendance
        target = {"observer_city": "observer_cities", "observer_institution": "observer_institutions",
                  "observer_media": "observer_institutions", "observer_corporate": "corporates",
                  "secretariat": "secretariat", "guest": "guests"}[participant.group]
        groups[target].append(person(user))
    # Absent (or excused) are the board's voting members that no delegate represented: the
    # same base as the quorum's (queries.voting_member_ids), so that "12 voting members,
    # 4 present" in the quorum table reads "8 absent" here. A member is listed once, under
    # its registered delegate(s) if it had any, else by its name alone.
    board = queries.voting_member_ids(meeting) if board is None else board
    listed_members = set()
    for participant in absent_delegates:
        member_id = participant.user.member_id
        if member_id in present_members or member_id not in board or member_id in listed_members:
            continue  # represented by another delegate, not a voting member, or listed already
        listed_members.add(member_id)
        groups["members_excused" if participant.excused else "members_absent"].append(person(participant.user))
    # Voting members that registered nobody at all are absent too.
    for member in db.session.scalars(select(Member).where(Member.id.in_(board)).order_by(Member.name)):
        if member.id not in present_members and member.id not in listed_members:
            groups["members_absent"].append(rec.Person(name="", affiliation=member.name))
    return rec.Attendance(**{name: tuple(people) for name, people in groups.items()})


def quorum_at(meeting: Meeting, moment: datetime | None, board: set[int] | None = None) -> rec.Quorum | None:
    """The quorum at a moment, from the stays that covered it (opening: meeting.opened_at), on
    `board` (default: the board as it is)."""
    if moment is None:
        return None
    rows = db.session.execute(
        select(User.member_id, Attendance.checked_in_at, Attendance.checked_out_at)
        .join(Attendance, Attendance.user_id == User.id)
        .join(Participant, (Participant.user_id == User.id) & (Participant.meeting_id == meeting.id))
        .where(Attendance.meeting_id == meeting.id, Participant.group == Group.EXCOM_MEMBER,
               User.member_id.is_not(None)))
    present = {member_id for member_id, checked_in, checked_out in rows
               if member_id is not None  # as the query asks
               and checked_in <= moment and (checked_out is None or checked_out > moment)}
    rule = quorum_rules.QuorumRule(meeting.quorum_rule, meeting.quorum_count)
    result = quorum_rules.compute(rule, queries.voting_member_ids(meeting) if board is None else board, present)
    return rec.Quorum(result.voting_members, result.present, result.required, result.quorate)


def _quorum_record(data: dict | None) -> rec.Quorum | None:
    """A poll's stored quorum (`quorum_at_open`, `quorum_at_close`: governance.quorum.Quorum's
    JSON) as the memorandum says it; None for none, or for one that cannot be read."""
    quorum = quorum_rules.Quorum.from_json(data)
    if quorum is None:
        return None
    return rec.Quorum(quorum.voting_members, quorum.present, quorum.required, quorum.quorate)


# --- notes, motions, polls -------------------------------------------------------------

def newest_notes(meeting: Meeting) -> dict[int, str]:
    """item id -> the newest revision's text, for every item of the meeting."""
    item_ids = [item.id for item in meeting.agenda()]
    if not item_ids:
        return {}
    notes: dict[int, tuple[int, str]] = {}
    for note in db.session.scalars(select(ItemNote).where(ItemNote.item_id.in_(item_ids))):
        if note.item_id not in notes or note.revision > notes[note.item_id][0]:
            notes[note.item_id] = (note.revision, note.text)
    return {item_id: text for item_id, (_, text) in notes.items()}


def _choice_label(motion: Motion, choice) -> str:
    text = str(choice)
    for candidate in motion.candidates:
        if text in (str(candidate.value), str(candidate.id), candidate.label):
            return candidate.label
    return CHOICE_WORDS.get(text.lower(), text)


def _round_label(poll: Poll, single: bool) -> str:
    if poll.reason == "tie_break":
        return N_("Round %(n)s (tie-break)", n=poll.round)
    if poll.reason == "repeat":
        return N_("Round %(n)s (repeated vote)", n=poll.round)
    return N_("Vote") if single else N_("Round %(n)s", n=poll.round)


def _threshold_text(motion: Motion, result: PollResult) -> str:
    """ "Required: two-thirds of votes cast: yes at least twice no. Abstentions are not votes
    cast." The rule in the words the live screens use (voting.results' `threshold_text`)."""
    text = threshold_phrase((result.threshold_text or "").rstrip("."))
    if not text:
        rule = MULTI_CANDIDATE_MAJORITY if motion.multi_candidate else MAJORITY_WORDS.get(
            result.rule or motion.majority, motion.majority)
        threshold = result.threshold
        text = N_("%(rule)s: at least %(n)s", rule=rule, n=threshold) if threshold is not None else rule
    return N_("Required: %(rule)s. Abstentions are not votes cast.", rule=text)


def _vote_label(poll: Poll, single: bool) -> str:
    """An instant-runoff poll held more than once (void, or tied and put again) is numbered by
    vote, its count rounds inside it: never three votes all called "round 1"."""
    if single:
        return ""
    if poll.reason == "repeat":
        return N_("Vote %(n)s (repeated vote)", n=poll.round)
    return N_("Vote %(n)s", n=poll.round)


def _names(motion: Motion, values) -> str:
    labels = [_choice_label(motion, value) for value in values]
    if len(labels) > 1:
        return N_("%(first)s and %(last)s", first=", ".join(labels[:-1]), last=labels[-1])
    return "".join(labels)


def _irv_records(motion: Motion, poll: Poll, result: PollResult, *, quorum, eligible: int, votes,
                 vote_label: str):
    """One record per count round, each with its own votes cast (the ballots still counting),
    exhausted ballots and threshold, and what settled its tie for last place."""
    rounds = result.rounds
    for number, irv_round in enumerate(rounds, start=1):
        counts, _ = _counts(motion, irv_round.counts)
        counting, threshold = irv_round.counting, irv_round.threshold
        last = number == len(rounds)
        label = N_("Instant-runoff count, round %(n)s", n=number)
        if vote_label:
            label = N_("%(vote)s, instant-runoff count round %(n)s", vote=vote_label, n=number)
        notes = []
        level, casting = irv_round.level, irv_round.casting_votes
        if level and casting:
            notes.append(N_("%(level)s were level for last place and the earlier rounds did not separate them; "
                            "the chair's casting vote kept %(kept)s.", level=_names(motion, level),
                            kept=_names(motion, casting)))
        elif level:
            notes.append(N_("%(level)s are level for last place and the earlier rounds do not separate them: "
                            "the count awaits the chair's casting vote.", level=_names(motion, level)))
        if irv_round.eliminated and not last:
            notes.append(N_("Eliminated: %(names)s.", names=_names(motion, irv_round.eliminated)))
        if last and result.status == ResultStatus.VOID:
            notes.append(VOID_NOTE)
        yield rec.PollRecord(
            round_label=label, counts=counts, cast=counting, abstentions=result.abstain, eligible=eligible,
            threshold_text=N_("Required: more than half of the %(counting)s ballots still counting in this round: "
                              "at least %(n)s. Abstentions are not votes cast; exhausted ballots no longer count.",
                              counting=counting, n=threshold),
            outcome=_outcome(result.status) if last else "runoff",
            quorum=quorum if number == 1 else None, votes=votes if last else (),
            elected=_choice_label(motion, result.winner) if last and result.winner is not None else None,
            taken_at=poll.closed_at, note=_joined(notes) if notes else None, ballots=result.ballots,
            exhausted=irv_round.exhausted)


def _cast_by(poll: Poll) -> dict[int, str]:
    rows = db.session.execute(select(Participation.member_id, User.name)
                              .join(User, User.id == Participation.cast_by_id)
                              .where(Participation.poll_id == poll.id))
    return {member_id: name for member_id, name in rows}


def _counts(motion: Motion, counts: dict) -> tuple[tuple[rec.ChoiceCount, ...], int]:
    abstentions = 0
    shown = []
    for choice, votes in counts.items():
        if str(choice).lower() == Choice.ABSTAIN:
            abstentions += int(votes)
            continue
        shown.append(rec.ChoiceCount(_choice_label(motion, choice), int(votes)))
    if not motion.multi_candidate:
        order = {"Yes": 0, "No": 1}  # Phrases compare as their English
        shown.sort(key=lambda c: order.get(c.choice, 2))
    return tuple(shown), abstentions


def _outcome(status: str) -> rec.PollOutcome:
    """A poll's status as the memorandum reads it (an assessment's "recorded" has its own table)."""
    return cast(rec.PollOutcome, str(status) if status in POLL_OUTCOMES else ResultStatus.VOID.value)


VOID_NOTE = N_("The vote was void: the meeting was not quorate when the poll closed.")


def _poll_note(motion: Motion, poll: Poll, result: PollResult) -> str | None:
    status = result.status
    if status == ResultStatus.VOID:
        return VOID_NOTE
    casting = result.casting_vote
    if casting is not None and status == ResultStatus.ELECTED:
        return N_("The votes were tied; the chair gave the casting vote to %(name)s.",
                  name=_choice_label(motion, casting))
    kept = [N_("The votes were tied; the chair's casting vote kept %(name)s.", name=_choice_label(motion, casting))] \
        if casting is not None else []
    next_round = result.next_round
    if status in (ResultStatus.RUNOFF, ResultStatus.TIED) and next_round is not None and next_round.candidates:
        names = _names(motion, next_round.candidates)
        if next_round.reason == NextReason.TIE_BREAK:
            return _joined(kept + [N_("A tie for the fewest votes: a tie-break round among %(names)s follows.",
                                      names=names)])
        return _joined(kept + [N_("No candidate reached the threshold; the next round is between %(names)s.",
                                  names=names)])
    if status == ResultStatus.TIED and result.level:
        return N_("%(names)s are level: the chair may give a casting vote, or the round is held again.",
                  names=_names(motion, result.level))
    return None


def _roll_call(motion: Motion, poll: Poll, result: PollResult, choice_text) -> tuple[rec.NamedVote, ...]:
    """A named poll's votes by member name, with who cast each (a delegate, or the secretariat)."""
    if poll.secret or not result.votes:
        return ()
    voters = _cast_by(poll)
    return tuple(rec.NamedVote(member=str(v.get("member") or v.get("member_id")), choice=choice_text(v.get("choice")),
                               cast_by=voters.get(int(v.get("member_id") or 0), ""))
                 for v in sorted(result.votes, key=lambda v: str(v.get("member") or "")))


def poll_records(motion: Motion, polls: list[Poll]) -> tuple[rec.PollRecord, ...]:
    """One record per closed poll (per count round of an instant-runoff count)."""
    records = []
    closed = [poll for poll in polls if poll.status == PollStatus.CLOSED and poll.result]
    for poll in closed:
        result = PollResult.from_json(poll.result or {})
        quorum = _quorum_record(poll.quorum_at_close) or _quorum_record(poll.quorum_at_open)
        eligible = result.eligible or poll.eligible_count or 0
        votes = _roll_call(motion, poll, result, lambda choice: _choice_label(motion, choice))
        if poll.method == Method.IRV and result.rounds:
            records.extend(_irv_records(motion, poll, result, quorum=quorum, eligible=eligible, votes=votes,
                                        vote_label=_vote_label(poll, len(closed) == 1)))
            continue
        counts, _ = _counts(motion, result.counts)
        votes_cast = sum(c.votes for c in counts)
        elected = result.winner is not None and result.status == ResultStatus.ELECTED
        records.append(rec.PollRecord(
            round_label=_round_label(poll, len(closed) == 1), counts=counts, cast=votes_cast,
            abstentions=result.abstain, eligible=eligible, ballots=votes_cast + result.abstain,
            threshold_text=_threshold_text(motion, result), outcome=_outcome(result.status),
            quorum=quorum, votes=votes, elected=_choice_label(motion, result.winner) if elected else None,
            taken_at=poll.closed_at, note=_poll_note(motion, poll, result)))
    return tuple(records)


def _motion_note(motion: Motion) -> str | None:
    if motion.kind == "membership" and motion.member is not None and motion.member.name not in motion.title:
        note = ACTION_NOTES.get(motion.action or "")
        return N_(note.msgid, member=motion.member.name) if note else f"{motion.action or ''} – {motion.member.name}."
    if motion.kind == "minutes_approval":
        subject = memorandum_put_to_vote(motion)
        return N_("Put to the vote: %(subject)s.", subject=subject) if subject else None
    return None


def memorandum_put_to_vote(motion: Motion, *, capital: bool = False) -> str | None:
    """ "the memorandum of EXCOM 2023, version 2" or "“Memorandum of the EXCOM Meeting 2023”,
    held outside the platform (memorandum-2023.pdf, SHA-256 …)": exactly what the members were
    asked to approve (a Phrase; `capital` to begin a sentence)."""
    if motion.external_memorandum is not None:
        outside = motion.external_memorandum
        return N_("“%(title)s”, held outside the platform (file %(filename)s, SHA-256 %(sha256)s)",
                  title=outside.title, filename=outside.filename, sha256=outside.sha256)
    other = db.session.get(Meeting, motion.memorandum_meeting_id) if motion.memorandum_meeting_id else None
    if other is None:
        return None
    if motion.memorandum_version:
        if capital:
            return N_("The memorandum of %(title)s, version %(n)s", title=other.title, n=motion.memorandum_version)
        return N_("the memorandum of %(title)s, version %(n)s", title=other.title, n=motion.memorandum_version)
    return N_("The memorandum of %(title)s", title=other.title) if capital else \
        N_("the memorandum of %(title)s", title=other.title)


def assessment_record(motion: Motion, polls: list[Poll]) -> rec.AssessmentRecord | None:
    """The table of the poll that recorded the assessment's scores (None before)."""
    poll = next((p for p in reversed(polls) if p.status == PollStatus.CLOSED
                 and (p.result or {}).get("status") == ResultStatus.RECORDED), None)
    if poll is None:
        return None
    result = PollResult.from_json(poll.result or {})
    names = motion.subjects or []

    def sheet_text(choice) -> str:
        if not isinstance(choice, dict):
            return N_("abstained")
        scores = choice.get("scores") or {}
        return "; ".join(f"{names[int(i)] if int(i) < len(names) else i}: {n}" for i, n in scores.items())
    scale = result.scale or motion.scale or {}
    return rec.AssessmentRecord(
        scale_min=int(scale.get("min", 1)), scale_max=int(scale.get("max", 5)),
        subjects=tuple(rec.SubjectScore(name=row.name, count=row.count, mean=row.mean, median=row.median,
                                        distribution=tuple(sorted((int(k), n) for k, n in row.distribution.items())))
                       for row in result.subjects),
        ballots=result.ballots, scored=result.cast, abstentions=result.abstain,
        eligible=result.eligible or poll.eligible_count or 0,
        quorum=_quorum_record(poll.quorum_at_close) or _quorum_record(poll.quorum_at_open), taken_at=poll.closed_at,
        votes=_roll_call(motion, poll, result, sheet_text))


def motion_record(motion: Motion, polls: list[Poll]) -> rec.MotionRecord:
    status = cast(rec.MotionOutcome,
                  motion.status if motion.status in RECORDED_MOTION_STATUSES else MotionStatus.PENDING.value)
    majority = MULTI_CANDIDATE_MAJORITY if motion.multi_candidate else MAJORITY_WORDS.get(motion.majority,
                                                                                           motion.majority)
    if motion.kind == "assessment":  # a table of scores: no majority, no rounds of counts
        return rec.MotionRecord(
            title=motion.title, text=motion.text or motion.title, kind=MOTION_KIND_WORDS["assessment"],
            moved_by=person(motion.moved_by), seconded_by=person(motion.seconded_by), majority=ASSESSMENT_MAJORITY,
            outcome=status, secret=motion.secret, assessment=assessment_record(motion, polls))
    return rec.MotionRecord(
        title=motion.title, text=motion.text or motion.title, kind=MOTION_KIND_WORDS.get(motion.kind, motion.kind),
        moved_by=person(motion.moved_by), seconded_by=person(motion.seconded_by), majority=majority, outcome=status,
        secret=motion.secret,
        resolution_number=motion.resolution_number, polls=poll_records(motion, polls),
        note=_motion_note(motion), amendment=_amendment(motion))


def _amendment(motion: Motion) -> rec.Amendment | None:
    if motion.kind != "statutes_amendment" or not (motion.current_text or motion.proposed_text):
        return None
    current, proposed = motion.current_text or "", motion.proposed_text or ""
    return rec.Amendment(current=current, proposed=proposed,
                         changes=tuple((c["op"], c["text"]) for c in amendment.changes(current, proposed)))


# --- documents and the speakers' list --------------------------------------------------

def documents_by_item(item_ids: list[int]) -> dict[int, tuple[rec.DocumentRecord, ...]]:
    from governance.documents.models import ItemDocument
    found: dict[int, list[rec.DocumentRecord]] = defaultdict(list)
    if item_ids:
        for document in db.session.scalars(select(ItemDocument).where(ItemDocument.item_id.in_(item_ids))
                                           .order_by(ItemDocument.id)):
            found[document.item_id].append(rec.DocumentRecord(
                title=document.title, filename=document.filename, content_type=document.content_type,
                size=document.size, sha256=document.sha256))
    return {item_id: tuple(documents) for item_id, documents in found.items()}


def speakers_by_item(item_ids: list[int]) -> dict[int, tuple[rec.SpeakerRecord, ...]]:
    """Who spoke (in the order they took the floor) and every question asked in writing (answered
    or not); requests withdrawn before the floor was given, and those still waiting, are left out."""
    from governance.speakers.models import Speaker
    found: dict[int, list[tuple]] = defaultdict(list)
    if item_ids:
        for row in db.session.scalars(select(Speaker).where(Speaker.item_id.in_(item_ids))):
            spoke = row.started_at is not None
            if not spoke and not (row.kind == "question" and row.status != "withdrawn"):
                continue
            found[row.item_id].append(((row.started_at or row.requested_at), row.id, rec.SpeakerRecord(
                person=person(row.user), kind=row.kind, mode=row.mode, started_at=row.started_at,
                ended_at=row.ended_at, text=row.text if row.kind == "question" else "",
                answered=row.answered_at is not None)))
    return {item_id: tuple(entry for *_, entry in sorted(rows, key=lambda r: (r[0], r[1])))
            for item_id, rows in found.items()}


# --- the whole memorandum --------------------------------------------------------------

def _logo() -> rec.Logo | None:
    """The organisation's logo as shown (a PNG or JPEG, or the PNG drawn from an SVG), else an SVG
    stored before uploads were drawn, else the default. Whether its bytes decode is the
    builder's to find out, apart from the event loop: it falls back to the default logo."""
    organisation = Organisation.current()
    data, mime = organisation.shown_logo or (organisation.logo, (organisation.logo_mimetype or "").lower())
    if data and mime in rec.LOGO_SIGNATURES and data.startswith(rec.LOGO_SIGNATURES[mime]):
        return rec.Logo(bytes(data), mime)
    if DEFAULT_LOGO.exists():
        return rec.Logo(DEFAULT_LOGO.read_bytes(), "image/png")
    return None


def _public_logo() -> rec.Logo | None:
    """The logo the public edition shows while a logo adopted in closed session is unpublished
    (governance.publication): the one before it, else the default; None when nothing is withheld."""
    from governance import publication
    withheld, before, data = publication.shown_data(None, "organisation.logo", 1)
    if not withheld:
        return None
    mime = before.get("mimetype") if before else None
    if data and mime in rec.LOGO_SIGNATURES and data.startswith(rec.LOGO_SIGNATURES[mime]):
        return rec.Logo(bytes(data), mime)
    return rec.Logo(DEFAULT_LOGO.read_bytes(), "image/png") if DEFAULT_LOGO.exists() else None


def _published_decisions(meeting: Meeting) -> tuple[rec.PublishedDecision, ...]:
    from motions.publishing import closed_decisions
    return tuple(rec.PublishedDecision(title=m.title, outcome=m.status, number=m.resolution_number,
                                       winner=m.winner.label if m.winner is not None else None)
                 for m in closed_decisions(meeting))


def _resolution_key(number: str) -> tuple:
    match = re.search(r"(\d+)\s*$", number)
    return (int(match.group(1)) if match else 0, number)


def _resolution_text(motion: Motion) -> str:
    text = motion.text or motion.title
    if motion.multi_candidate and motion.winner is not None:
        return N_("%(text)s Elected: %(name)s.", text=text, name=motion.winner.label)
    return text


def _next_meeting_name(meeting: Meeting) -> str:
    match = re.fullmatch(r"(.*?)(\d{4})", meeting.reference or "")
    return f"{match.group(1)}{int(match.group(2)) + 1}" if match else ""


def _previous_minutes(meeting: Meeting, motions: list[Motion]) -> rec.PreviousMinutes | None:
    approvals = [m for m in motions if m.kind == "minutes_approval"]
    if approvals:
        motion = approvals[-1]
        what = memorandum_put_to_vote(motion, capital=True) or N_("The memorandum of the previous meeting")
        action = {"adopted": N_("%(subject)s was approved%(number)s."),
                  "rejected": N_("%(subject)s was not approved%(number)s."),
                  "withdrawn": N_("%(subject)s was not put to the vote (motion withdrawn)%(number)s.")}.get(
            motion.status, N_("%(subject)s was reviewed; no decision was recorded%(number)s."))
        number = N_(" (Resolution %(number)s)", number=motion.resolution_number) if motion.resolution_number else ""
        return rec.PreviousMinutes(N_(action.msgid, subject=what, number=number), closed=motion.item.closed)
    items = [item for item in meeting.agenda() if item.kind == "minutes_approval"]
    if not items:
        return None
    item = items[0]
    decided = [m for m in motions if m.item_id == item.id and m.status in (MotionStatus.ADOPTED, MotionStatus.REJECTED)]
    if decided:
        motion = decided[-1]
        number = N_(" (Resolution %(number)s)", number=motion.resolution_number) if motion.resolution_number else ""
        if motion.status == MotionStatus.ADOPTED:
            sentence = N_("Under “%(item)s”, the meeting adopted the motion “%(motion)s”%(number)s.")
        else:
            sentence = N_("Under “%(item)s”, the meeting rejected the motion “%(motion)s”%(number)s.")
        return rec.PreviousMinutes(N_(sentence.msgid, item=item.title, motion=motion.title, number=number),
                                   closed=item.closed)
    return rec.PreviousMinutes(N_("“%(item)s” was on the agenda; no decision was recorded.", item=item.title),
                               closed=item.closed)


def collect(meeting: Meeting, *, version: int, status: rec.Status, generated_by: str,
            generated_at: datetime | None = None) -> rec.Memorandum:
    """The memorandum record of `meeting`, as it stands in the database now."""
    organisation = Organisation.current()
    chair = next((p.user for p in meeting.participants if p.chair), None)
    staff = sorted((p for p in meeting.participants if p.group == "secretariat"), key=lambda p: p.id)
    secretary_general = next((p.user for p in staff if "secretary general" in (p.user.title or "").lower()),
                             staff[0].user if staff else None)
    notes = newest_notes(meeting)
    item_ids = [item.id for item in meeting.agenda()]
    motions = list(db.session.scalars(select(Motion).where(Motion.meeting_id == meeting.id)
                                      .order_by(Motion.created_at, Motion.id)))
    polls_by_motion: dict[int, list[Poll]] = defaultdict(list)
    if motions:
        for poll in db.session.scalars(select(Poll).where(Poll.motion_id.in_([m.id for m in motions]))
                                       .order_by(Poll.round, Poll.opened_at, Poll.id)):
            polls_by_motion[poll.motion_id].append(poll)
    motions_by_item: dict[int, list[Motion]] = defaultdict(list)
    for motion in motions:
        if motion.item_id in item_ids:
            motions_by_item[motion.item_id].append(motion)

    documents = documents_by_item(item_ids)
    speakers = speakers_by_item(item_ids)
    sessions = []
    for session in meeting.sessions:
        items = tuple(
            rec.ItemRecord(title=item.title, number=item.number, kind=item.kind, notes=notes.get(item.id, ""),
                           motions=tuple(motion_record(m, polls_by_motion[m.id]) for m in motions_by_item[item.id]),
                           closed=item.closed, documents=documents.get(item.id, ()),
                           speakers=speakers.get(item.id, ()))
            for item in session.items)
        sessions.append(rec.SessionRecord(
            title=session.title, kind=cast(rec.SessionKind, session.kind),
            starts_at=session.starts_at or meeting.starts_at,
            ends_at=session.ends_at, venue=session.venue or meeting.venue, items=items))

    resolutions = tuple(
        rec.Resolution(number=m.resolution_number or "", title=m.title, text=_resolution_text(m), closed=m.item.closed)
        for m in sorted((m for m in motions if m.resolution_number),
                        key=lambda m: _resolution_key(m.resolution_number or "")))

    next_host = None
    if meeting.next_host is not None:
        host_motion = next((m for m in reversed(motions)
                            if m.kind == "host_city" and m.status == MotionStatus.ELECTED), None)
        next_host = rec.NextHost(city=meeting.next_host.name, meeting=_next_meeting_name(meeting),
                                 closed=bool(host_motion and not is_published(host_motion)))

    return rec.Memorandum(
        organisation_name=organisation.name, logo=_logo(), meeting_title=meeting.title,
        meeting_kind=_meeting_kind(meeting.kind), venue=meeting.venue, timezone=meeting.timezone,
        opened_at=meeting.opened_at or meeting.starts_at, adjourned_at=meeting.adjourned_at,
        chair=person(chair), secretary=person(secretary_general), secretary_general=person(secretary_general),
        version=version, status=status, generated_at=generated_at or utcnow(), generated_by=generated_by,
        attendance=collect_attendance(meeting), quorum_at_opening=quorum_at(meeting, meeting.opened_at),
        previous_minutes=_previous_minutes(meeting, motions), sessions=tuple(sessions), resolutions=resolutions,
        next_host=next_host, audit_head=rec.AuditHead(*audit_head()),
        published_decisions=_published_decisions(meeting), public_logo=_public_logo(),
        **_public_board_figures(meeting))


def _public_board_figures(meeting: Meeting) -> dict:
    """The public edition's attendance and opening quorum while a member's status changed in a
    closed session is unpublished: counted on the board as the public knows it, or the absent
    list and the count of voting members would tell (governance.publication). {} otherwise."""
    outside = queries.outsiders_voting_member_ids()
    if outside == queries.voting_member_ids(meeting):
        return {}
    return {"public_attendance": collect_attendance(meeting, board=outside),
            "public_quorum_at_opening": quorum_at(meeting, meeting.opened_at, board=outside)}

