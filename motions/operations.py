"""Motions: putting them, and what their adoption does.

`decide_motion` is called by voting when a poll's result is final, in the same transaction:
the member's status, the next host, the logo, the agenda lock or the approval of a
memorandum change together with the result, or not at all.
"""
import hashlib

from sqlalchemy import func, select
from werkzeug.utils import secure_filename

from governance import files, numbering, publication
from governance.audit.operations import record
from governance.dbtypes import utcnow
from governance.errors import ApiError, conflict, invalid
from governance.extensions import db
from governance.meetings.dependents import named, record_closed
from governance.meetings.models import AgendaItem, Meeting, Participant
from governance.names import name_key, tidy
from governance.registry import operations as registry_ops
from governance.registry.models import Member, Organisation
from motions.images import CheckedImage, checked_image
from motions.models import MEMBERSHIP_EFFECTS, Candidate, ExternalMemorandum, Motion, MotionStatus
from motions.scales import DEFAULT_SCALE
from motions.signals import answers, motion_adopted, motion_put_to_vote, motion_voted_asked

DEFAULT_MAJORITY = {"statutes_amendment": "two_thirds"}

def _snapshot(motion: Motion) -> dict:
    snapshot = {"kind": motion.kind, "title": motion.title, "majority": motion.majority, "method": motion.method,
                "secret": motion.secret, "member_id": motion.member_id, "action": motion.action,
                "candidates": [c.value for c in motion.candidates]}
    if motion.kind == "minutes_approval":
        snapshot.update(memorandum_meeting_id=motion.memorandum_meeting_id,
                        external_memorandum_id=motion.external_memorandum_id)
    return snapshot


def create_motion(item: AgendaItem, *, actor, kind: str, title: str, text: str = "", majority: str | None = None,
                  secret: bool = False, moved_by_id: int | None = None, seconded_by_id: int | None = None,
                  member_id: int | None = None,
                  action: str | None = None, candidates: list[int] | None = None, method: str | None = None,
                  memorandum_meeting_id: int | None = None, external_memorandum_id: int | None = None,
                  current_text: str | None = None,
                  proposed_text: str | None = None, subjects: list[str] | None = None,
                  scale: dict | None = None) -> Motion:
    """A motion on `item`. None is moved once the meeting is adjourned (409 adjourned): there is
    no sitting left to put it to; what was moved before stays correctable (update_motion)."""
    if item.meeting.adjourned_at is not None:
        raise conflict("adjourned", "The meeting is adjourned; no motion can be moved any more.")
    motion = Motion(meeting_id=item.meeting.id, item=item, kind=kind, title=title, text=text, secret=secret,
                    moved_by_id=moved_by_id, majority=majority or DEFAULT_MAJORITY.get(kind, "simple"),
                    method=(method or "exhaustive") if kind in ("host_city", "logo") else "yes_no",
                    current_text=current_text, proposed_text=proposed_text)
    if kind == "assessment":
        # names as given, trimmed; the scale API.md's default unless stated
        scale = scale or DEFAULT_SCALE
        assert subjects is not None, "MotionIn requires the subjects of an assessment"
        motion.method, motion.subjects = "assessment", [name.strip() for name in subjects]
        motion.scale_min, motion.scale_max = scale["min"], scale["max"]
    if kind == "membership":
        member = db.session.get(Member, member_id)
        if member is None:
            raise invalid({"member_id": ["No member has this id."]})
        assert action is not None, "MotionIn requires the action of a membership motion"
        allowed_from, _ = MEMBERSHIP_EFFECTS[action]
        if member.status not in allowed_from:
            raise invalid({"action": [f"{member.name} is {member.status}; it cannot be asked to {action}."]})
        motion.member, motion.action = member, action
    if kind == "host_city":
        assert candidates is not None, "MotionIn requires the candidates of a host city election"
        for position, candidate_id in enumerate(candidates, start=1):
            member = db.session.get(Member, candidate_id)
            if member is None:
                raise invalid({"candidates": [f"No member has the id {candidate_id}."]})
            motion.candidates.append(Candidate(member=member, label=member.name, position=position))
    if kind == "minutes_approval":
        if external_memorandum_id is not None:
            outside = db.session.get(ExternalMemorandum, external_memorandum_id)
            if outside is None:
                raise invalid({"external_memorandum_id": ["No memorandum held outside has this id."]})
            motion.external_memorandum = outside
        else:
            if memorandum_meeting_id == item.meeting.id:
                raise invalid({"memorandum_meeting_id": ["A meeting approves the memorandum of an earlier meeting, "
                                                         "not its own."]})
            if db.session.get(Meeting, memorandum_meeting_id) is None:
                raise invalid({"memorandum_meeting_id": ["No meeting has this id."]})
            motion.memorandum_meeting_id = memorandum_meeting_id
    for name, user_id in (("moved_by_id", moved_by_id), ("seconded_by_id", seconded_by_id)):
        _check_person(item.meeting, name, user_id)
    motion.seconded_by_id = seconded_by_id
    db.session.add(motion)
    db.session.flush()
    record("motion.created", actor=actor, meeting=motion.meeting_id, subject=motion, after=_snapshot(motion))
    return motion


def _check_person(meeting: Meeting, field: str, user_id: int | None) -> None:
    """A mover or seconder is someone taking part in the meeting."""
    if user_id is None:
        return
    if db.session.scalar(select(Participant.id).where(Participant.meeting_id == meeting.id,
                                                      Participant.user_id == user_id)) is None:
        raise invalid({field: ["This person does not take part in this meeting."]})


WORDING = ("title", "text", "majority", "secret", "current_text", "proposed_text")
PEOPLE = ("moved_by_id", "seconded_by_id")


def update_motion(motion: Motion, changes: dict, *, actor) -> Motion:
    """The wording (title, text, majority, secret, statutes' texts) until the motion is put to the
    vote; who moved and seconded it until the meeting's memorandum is approved."""
    if set(changes) & set(WORDING) and (motion.decided or _has_polls(motion)):
        raise conflict("voting_started", "The motion was put to the vote: its wording stays as it was voted.")
    if set(changes) & set(PEOPLE) and (closed := record_closed(motion.meeting)):
        raise conflict("minutes_approved", f"{closed}: its record can no longer change.")
    if "majority" in changes and motion.multi_candidate:
        raise invalid({"majority": ["A ballot between candidates is decided by its method, not a majority rule."]})
    if "majority" in changes and motion.kind == "assessment":
        raise invalid({"majority": ["An assessment records scores; no majority decides it."]})
    if motion.kind != "statutes_amendment" and set(changes) & {"current_text", "proposed_text"}:
        raise invalid({name: [f"A {motion.kind} motion does not take this."]
                       for name in set(changes) & {"current_text", "proposed_text"}})
    for name in PEOPLE:
        if name in changes:
            _check_person(motion.meeting, name, changes[name])
    before = {name: getattr(motion, name) for name in changes}
    for name, value in changes.items():
        setattr(motion, name, value)
    db.session.flush()
    changed = {name for name in changes if before[name] != getattr(motion, name)}
    if changed:
        record("motion.updated", actor=actor, meeting=motion.meeting_id, subject=motion,
               before={k: before[k] for k in changed}, after={k: getattr(motion, k) for k in changed})
    return motion


def withdraw_motion(motion: Motion, *, actor) -> Motion:
    """The mover withdraws it (Robert's Rules, RONR 33): recorded as "withdrawn", never put to
    the vote again. Not while a vote on it is open, nor once it was decided."""
    if motion.status == MotionStatus.WITHDRAWN:
        return motion
    if motion.decided:
        raise conflict("already_decided", f"This motion was {motion.status}; it can no longer be withdrawn.")
    if _has_polls(motion, open_only=True):
        raise conflict("poll_open", "A vote on this motion is open; close it first.")
    motion.status, motion.decided_at = "withdrawn", utcnow()
    db.session.flush()
    record("motion.withdrawn", actor=actor, meeting=motion.meeting_id, subject=motion, after={"status": "withdrawn"})
    return motion


def delete_motion(motion: Motion, *, actor) -> None:
    """A motion put by mistake, before any vote on it (withdraw it otherwise: the record keeps it)."""
    if _has_polls(motion) or motion.decided:
        raise conflict("in_use", "This motion was put to the vote or decided; withdraw it instead, so that the "
                                 "record keeps it.")
    record("motion.deleted", actor=actor, meeting=motion.meeting_id, subject=motion, before=_snapshot(motion))
    db.session.delete(motion)
    db.session.flush()


def _check_candidates_open(motion: Motion) -> None:
    if motion.decided or _has_polls(motion):
        raise conflict("voting_started", "The ballot has begun; its candidates can no longer change.")


def _free_label(motion: Motion, label: str, candidate: Candidate | None = None) -> str:
    """`label` as it will print on the ballot (governance.names.tidy), refused when it reads
    like another candidate's on this motion: 409 label_taken naming that spelling (two designs
    that print identically cannot be told apart by the voters), 422 fields.label when blank."""
    printed = tidy(label)
    if not printed:
        raise invalid({"label": ["A label cannot be only spaces."]})
    for other in motion.candidates:
        if other is not candidate and name_key(other.label) == name_key(printed):
            raise ApiError(409, "label_taken", f"Another candidate is already called {other.label} (labels are "
                                               "compared as people read them: capitals, accents written either "
                                               "way and spaces aside).", {"label": ["taken"]})
    return printed


def rename_logo(candidate: Candidate, label: str, *, actor) -> Candidate:
    _check_candidates_open(candidate.motion)
    before = candidate.label
    label = _free_label(candidate.motion, label, candidate)
    candidate.label = label
    db.session.flush()
    record("logo.renamed", actor=actor, meeting=candidate.motion.meeting_id, subject=candidate,
           before={"label": before}, after={"label": label})
    return candidate


def delete_logo(candidate: Candidate, *, actor) -> None:
    motion = candidate.motion
    _check_candidates_open(motion)
    record("logo.deleted", actor=actor, meeting=motion.meeting_id, subject=candidate,
           before={"motion_id": motion.id, "label": candidate.label, "sha256": candidate.image_sha256})
    motion.candidates.remove(candidate)
    db.session.flush()


def add_logo(motion: Motion, *, actor, data: "bytes | CheckedImage", mimetype: str = "", label: str) -> Candidate:
    """A logo candidate from an upload: `data` as uploaded (checked here, see motions.images),
    or already checked (a CheckedImage, checked where it could not hold a transaction)."""
    if motion.kind != "logo":
        raise conflict("not_a_logo_motion", "Logos are candidates of a logo motion only.")
    _check_candidates_open(motion)
    image = data if isinstance(data, CheckedImage) else checked_image(data, mimetype)
    position = (db.session.scalar(select(func.max(Candidate.position)).where(Candidate.motion_id == motion.id))
                or 0) + 1
    if not tidy(label):  # unnamed: "Logo 3", or the next number no other label reads like
        taken = {name_key(other.label) for other in motion.candidates}
        label = next(f"Logo {n}" for n in range(position, position + len(taken) + 2)
                     if name_key(f"Logo {n}") not in taken)
    label = _free_label(motion, label)
    candidate = Candidate(motion=motion, label=label, position=position, image=image.data,
                          image_mimetype=image.mimetype, image_sha256=image.sha256, picture=image.picture,
                          uploaded_by_id=getattr(actor, "id", None))
    db.session.add(candidate)
    db.session.flush()
    record("logo.uploaded", actor=actor, meeting=motion.meeting_id, subject=candidate,
           after={"motion_id": motion.id, "label": candidate.label, "sha256": image.sha256,
                  "mimetype": image.mimetype})
    return candidate


def _logo_digest(organisation: Organisation) -> str | None:
    return hashlib.sha256(organisation.logo).hexdigest() if organisation.logo is not None else None


def set_organisation_logo(*, actor, data: bytes, mimetype: str) -> Organisation:
    """The secretariat uploads the organisation's logo (PNG or SVG, checked as a logo
    candidate is: motions.images). A later logo motion's winner replaces it again."""
    image = checked_image(data, mimetype)
    organisation = Organisation.ensure()
    before = _logo_digest(organisation)
    organisation.logo, organisation.logo_mimetype, organisation.logo_picture = image.data, image.mimetype, image.picture
    organisation.logo_changed_at = utcnow()
    publication.superseded("organisation.logo", organisation.id)  # the secretariat's own change is public
    db.session.flush()
    record("organisation.logo", actor=actor, subject=organisation, before={"sha256": before},
           after={"sha256": image.sha256, "mimetype": image.mimetype, "reason": "uploaded by the secretariat"})
    return organisation


def remove_organisation_logo(*, actor) -> Organisation:
    """Back to no logo (the memorandum then uses its built-in one)."""
    organisation = Organisation.ensure()
    before = _logo_digest(organisation)
    if before is not None:
        organisation.logo = organisation.logo_mimetype = organisation.logo_picture = None
        organisation.logo_changed_at = utcnow()
        publication.superseded("organisation.logo", organisation.id)  # the secretariat's own change is public
        db.session.flush()
        record("organisation.logo", actor=actor, subject=organisation, before={"sha256": before},
               after={"sha256": None, "reason": "removed by the secretariat"})
    return organisation


def record_external_memorandum(*, actor, title: str, data: bytes, filename: str) -> ExternalMemorandum:
    """Keep a memorandum held outside the platform (a PDF or DOCX of a meeting before it was in
    use) so that a `minutes_approval` motion can put it to the vote. The file is judged from its
    bytes and stored by its SHA-256 in the instance folder (governance.files); 422 for anything
    but a PDF or a DOCX."""
    try:
        kind = files.sniff_document(data)
    except files.NotADocument as refusal:
        raise invalid({"file": [str(refusal)]}, "The file is not a PDF or DOCX document.") from None
    stem = secure_filename(filename.rsplit(".", 1)[0] if "." in filename else filename)[:200] or "memorandum"
    digest = files.store(data)
    memorandum = ExternalMemorandum(title=title, filename=f"{stem}.{kind.extension}", content_type=kind.content_type,
                                    size=len(data), sha256=digest, status="received",
                                    uploaded_by_id=getattr(actor, "id", None))
    db.session.add(memorandum)
    db.session.flush()
    record("external_memorandum.recorded", actor=actor, subject=memorandum,
           after={"title": title, "filename": memorandum.filename, "content_type": kind.content_type,
                  "size": len(data), "sha256": digest})
    return memorandum


def put_to_vote(motion: Motion, *, actor) -> None:
    """What must be fixed before a poll on `motion` opens (receivers of
    motions.signals.motion_put_to_vote for its kind, e.g. minutes); an ApiError refuses the poll."""
    answers(motion_put_to_vote, motion.kind, motion=motion, actor=actor)


def _has_polls(motion: Motion, *, open_only: bool = False) -> bool:
    # motions sits below voting and may not read its tables: voting answers (voting.init_app)
    return any(answers(motion_voted_asked, motion, open_only=open_only))


def _next_resolution_number(meeting: Meeting) -> str:
    """The next number in the organisation's pattern (governance.numbering). A pattern changed
    during the meeting could meet a number already given: the count goes on until it is free."""
    organisation = Organisation.current()
    taken = set(db.session.scalars(select(Motion.resolution_number).where(
        Motion.meeting_id == meeting.id, Motion.resolution_number.is_not(None))))
    n = len(taken) + 1
    while True:
        number = numbering.resolution_number(
            organisation.resolution_format, reference=meeting.reference, year=meeting.local(meeting.starts_at).year,
            n=n, short_name=organisation.short_name or "")
        if number not in taken:
            return number
        n += 1


def decide_motion(motion: Motion, *, outcome: str, actor, winner_value: int | None = None) -> Motion:
    """Record the final outcome (adopted / rejected / elected) and apply what adoption does."""
    if motion.decided:
        raise conflict("already_decided", "This motion has already been decided.")
    motion.status = outcome
    motion.decided_at = utcnow()
    if outcome in (MotionStatus.ADOPTED, MotionStatus.ELECTED):
        motion.resolution_number = _next_resolution_number(motion.meeting)
        if winner_value is not None:
            motion.winner = next(c for c in motion.candidates if c.value == winner_value)
        _apply(motion, actor)
    db.session.flush()
    record(f"motion.{outcome}", actor=actor, meeting=motion.meeting_id, subject=motion,
           after={"resolution_number": motion.resolution_number,
                  "winner": motion.winner.value if motion.winner else None})
    return motion


def _apply(motion: Motion, actor) -> None:
    meeting = motion.meeting

    def withhold(kind, subject_id, before, before_data=None):
        # a closed-session decision's effect stays inside until published (governance.publication)
        publication.withhold(kind, subject_id, meeting=meeting, closed=motion.item.closed, motion_id=motion.id,
                             before=before, before_data=before_data)

    reason = f"{motion.resolution_number}: {motion.title}"
    if motion.kind == "membership":
        member, action = motion.member, motion.action
        assert member is not None and action is not None  # a membership motion names both
        allowed_from, new_status = MEMBERSHIP_EFFECTS[action]
        if member.status not in allowed_from:  # changed since the motion was put
            raise conflict("member_status_changed",
                           f"{member.name} is now {member.status}; the motion cannot apply.")
        withhold("member.status", member.id, member.status)
        registry_ops.update_member(member, {"status": new_status}, actor=actor, meeting=meeting,
                                   reason=reason, motion=motion)
    elif motion.kind == "host_city":
        assert motion.winner is not None  # applied once elected
        before = meeting.next_host_id
        withhold("meeting.next_host", meeting.id, before)
        meeting.next_host_id = motion.winner.member_id
        record("meeting.next_host", actor=actor, meeting=meeting, subject=meeting,
               before={"next_host_id": before}, after={"next_host_id": meeting.next_host_id, "reason": reason})
    elif motion.kind == "logo":
        assert motion.winner is not None  # applied once elected
        organisation = Organisation.ensure()
        shown = organisation.shown_logo
        withhold("organisation.logo", organisation.id,
                 {"mimetype": shown[1] if shown else None,
                  "changed_at": organisation.logo_changed_at.isoformat() if organisation.logo_changed_at else None},
                 shown[0] if shown else None)
        organisation.logo = motion.winner.image
        organisation.logo_mimetype = motion.winner.image_mimetype
        organisation.logo_picture = motion.winner.picture
        organisation.logo_changed_at = utcnow()
        record("organisation.logo", actor=actor, meeting=meeting, subject=organisation,
               after={"sha256": motion.winner.image_sha256, "reason": reason})
    elif motion.kind == "agenda_adoption":
        withhold("meeting.agenda_locked", meeting.id, meeting.agenda_locked)
        meeting.agenda_locked_at = utcnow()
        record("agenda.adopted", actor=actor, meeting=meeting, subject=meeting, after={"reason": reason})
    elif motion.kind == "minutes_approval" and motion.external_memorandum is not None:
        outside = motion.external_memorandum
        if not outside.approved:
            outside.status, outside.approved_at, outside.approved_by_motion_id = "approved", utcnow(), motion.id
            record("external_memorandum.approved", actor=actor, meeting=meeting, subject=outside,
                   before={"status": "received"},
                   after={"status": "approved", "motion_id": motion.id, "reason": reason, "sha256": outside.sha256})
    # what packages above motions also do on adoption of this kind (e.g. minutes approves a memorandum)
    answers(motion_adopted, motion.kind, motion=motion, actor=actor)


# --- what depends on a thing of a meeting, as motions know it (governance.meetings.signals) ---

def motions_of(item: AgendaItem) -> list[str]:
    return named(("motion", "motions"), list(db.session.scalars(
        select(Motion.title).where(Motion.item_id == item.id).order_by(Motion.id))))


def moved_or_seconded(participant: Participant) -> list[str]:
    return named(("motion moved or seconded", "motions moved or seconded"), list(db.session.scalars(
        select(Motion.title).where(Motion.meeting_id == participant.meeting_id,
                                   (Motion.moved_by_id == participant.user_id)
                                   | (Motion.seconded_by_id == participant.user_id)).order_by(Motion.id))))


def approvals_of(meeting: Meeting) -> list[str]:
    return named(("motion of another meeting approving its memorandum",
                  "motions of other meetings approving its memorandum"), list(db.session.scalars(
                      select(Motion.title).where(Motion.memorandum_meeting_id == meeting.id,
                                                 Motion.meeting_id != meeting.id))))
