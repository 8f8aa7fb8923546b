"""What adoptions did, compared with the audit trail (`excom audit recount`).

An adopted motion changes the registry or the meeting (motions.operations._apply) and the
trail records each change with the resolution as its reason. Someone who can write to the
database can set a member active again or name another next host without a word in the
trail; so the current state is compared with the last change the trail recorded:

- each adopted/elected motion's effect is in the trail, with the value it should have set;
- every member's status is the last status the trail gave it (created, then each change);
- every meeting's next host is the last one the trail recorded, and its agenda is locked
  exactly when the trail records an adoption of it;
- the organisation's logo is the image the trail last recorded (by SHA-256), and a winning
  logo is the image that was uploaded as a candidate.

Packages above motions add checks for their own effects and state by answering
motions.signals' `effect_examined` (per kind), `state_examined` and `trail_actions_asked`;
minutes answers for the memorandum versions and their approval (minutes.init_app).
"""
from hashlib import sha256

from sqlalchemy import select

from governance.audit.trail import Finding, Trail, reason_of
from governance.extensions import db
from governance.meetings.models import Meeting
from governance.registry.models import Member, Organisation
from motions.models import MEMBERSHIP_EFFECTS, Motion, MotionStatus
from motions.signals import answers, effect_examined, state_examined, trail_actions_asked

# events these checks read (Trail.load)
ACTIONS = ("member.created", "member.updated", "meeting.next_host", "organisation.logo", "agenda.adopted",
           "logo.uploaded")


def trail_actions() -> set[str]:
    """The audit actions every check reads: these and those of packages above motions."""
    return set(ACTIONS).union(*answers(trail_actions_asked))


def motion_subject(motion: Motion) -> str:
    number = f"{motion.resolution_number}: " if motion.resolution_number else ""
    return f"motion {motion.id} ({number}{motion.title})"


def applied_by(motion: Motion, events: list[dict]) -> list[dict]:
    """The events among `events` whose reason is this motion's resolution."""
    prefix = f"{motion.resolution_number}:"
    return [e for e in events if e["meeting_id"] == motion.meeting_id and reason_of(e).startswith(prefix)]


def examine_effects(trail: Trail) -> list[Finding]:
    findings: list[Finding] = []
    adopted = db.session.scalars(select(Motion).where(Motion.status.in_((MotionStatus.ADOPTED, MotionStatus.ELECTED)))
                                 .order_by(Motion.id))
    for motion in adopted:
        problems = _EFFECTS.get(motion.kind, _nothing)(motion, trail)
        for more in answers(effect_examined, motion.kind, motion=motion, trail=trail):
            problems += more
        findings += [Finding(motion_subject(motion), problem) for problem in problems]
    findings += _members(trail) + _meetings(trail) + _organisation(trail)
    for more in answers(state_examined, trail=trail):
        findings += more
    return findings


def _nothing(motion: Motion, trail: Trail) -> list[str]:
    return []


def _membership(motion: Motion, trail: Trail) -> list[str]:
    assert motion.action is not None and motion.member_id is not None  # a membership motion names both
    _, status = MEMBERSHIP_EFFECTS[motion.action]
    name = motion.member.name if motion.member else f"member {motion.member_id}"
    changes = [e for e in applied_by(motion, trail.about("Member", motion.member_id, "member.updated"))
               if "status" in (e["after"] or {})]
    if not changes:
        return [f"its effect, {name} becoming {status!r}, is not in the audit trail"]
    if changes[-1]["after"]["status"] != status:
        return [(f"the audit trail (event {changes[-1]['seq']}) has {name} becoming "
                 f"{changes[-1]['after']['status']!r} by it, not {status!r}")]
    return []


def _host_city(motion: Motion, trail: Trail) -> list[str]:
    winner = motion.winner.member_id if motion.winner else None
    changes = applied_by(motion, trail.about("Meeting", motion.meeting_id, "meeting.next_host"))
    if not changes:
        return ["its effect, the next host, is not in the audit trail"]
    recorded = (changes[-1]["after"] or {}).get("next_host_id")
    if recorded != winner:
        return [(f"the audit trail (event {changes[-1]['seq']}) recorded member {recorded} as next host by it, "
                 f"but its winner is member {winner}")]
    return []


def _logo(motion: Motion, trail: Trail) -> list[str]:
    problems = []
    winner = motion.winner
    if winner is None:
        return ["it was elected but names no winning logo"]
    if winner.image is None or sha256(winner.image).hexdigest() != winner.image_sha256:
        problems.append(f"the winning logo's image ({winner.label}) is not the image whose SHA-256 was stored "
                        "with it")
    uploads = trail.about("Candidate", winner.id, "logo.uploaded")
    if not uploads or (uploads[-1]["after"] or {}).get("sha256") != winner.image_sha256:
        problems.append(f"the winning logo ({winner.label}) is not the image the audit trail recorded when it was "
                        "uploaded")
    changes = applied_by(motion, trail.of_action("organisation.logo"))
    if not changes:
        problems.append("its effect, the organisation's new logo, is not in the audit trail")
    elif (changes[-1]["after"] or {}).get("sha256") != winner.image_sha256:
        problems.append(f"the audit trail (event {changes[-1]['seq']}) recorded another image as the logo it "
                        "adopted")
    return problems


def _agenda(motion: Motion, trail: Trail) -> list[str]:
    if not applied_by(motion, trail.about("Meeting", motion.meeting_id, "agenda.adopted")):
        return ["its effect, the agenda locked, is not in the audit trail"]
    return []


_EFFECTS = {"membership": _membership, "host_city": _host_city, "logo": _logo, "agenda_adoption": _agenda}


def _members(trail: Trail) -> list[Finding]:
    findings = []
    for member in db.session.scalars(select(Member).order_by(Member.id)):
        history = [e for e in trail.about("Member", member.id, "member.created", "member.updated")
                   if "status" in (e["after"] or {})]
        subject = f"member {member.id} ({member.name})"
        if not history:
            findings.append(Finding(subject, "its status has no history in the audit trail"))
            continue
        last = history[-1]
        if member.status != last["after"]["status"]:
            why = f" ({reason_of(last)})" if reason_of(last) else ""
            findings.append(Finding(subject, f"its status is {member.status!r} in the registry, but its status "
                                             f"history in the audit trail ends with {last['after']['status']!r} "
                                             f"(event {last['seq']}{why})"))
    return findings


def _meetings(trail: Trail) -> list[Finding]:
    findings = []
    for meeting in db.session.scalars(select(Meeting).order_by(Meeting.id)):
        subject = f"meeting {meeting.id} ({meeting.title})"
        hosts = trail.about("Meeting", meeting.id, "meeting.next_host")
        recorded = (hosts[-1]["after"] or {}).get("next_host_id") if hosts else None
        if meeting.next_host_id != recorded:
            where = f"event {hosts[-1]['seq']}" if hosts else "no event"
            findings.append(Finding(subject, f"its next host is member {meeting.next_host_id}, but the audit trail "
                                             f"recorded member {recorded} ({where})"))
        adopted = trail.about("Meeting", meeting.id, "agenda.adopted")
        if meeting.agenda_locked and not adopted:
            findings.append(Finding(subject, "its agenda is locked, but the audit trail records no adoption of it"))
        if adopted and not meeting.agenda_locked:
            findings.append(Finding(subject, f"its agenda is not locked, but the audit trail recorded its adoption "
                                             f"(event {adopted[-1]['seq']})"))
    return findings


def _organisation(trail: Trail) -> list[Finding]:
    organisation = db.session.get(Organisation, 1)
    changes = trail.of_action("organisation.logo")
    recorded = (changes[-1]["after"] or {}).get("sha256") if changes else None
    current = sha256(organisation.logo).hexdigest() if organisation is not None and organisation.logo else None
    if current != recorded:
        where = f"event {changes[-1]['seq']}" if changes else "no logo recorded"
        return [Finding("the organisation", f"its logo is not the image the audit trail last recorded ({where})")]
    return []
