"""The memorandum versions compared with the audit trail (`excom audit recount`, through
motions.effects): each version's two editions are the documents whose SHA-256 the trail
recorded when it was built or approved, a version is approved exactly when the trail records
its approval, and an adopted minutes-approval motion approved the version it names."""
from hashlib import sha256

from sqlalchemy import select

from governance.audit.trail import Finding, Trail
from governance.extensions import db
from minutes.models import MemorandumVersion

ACTIONS = ("memorandum.built", "memorandum.approved", "memorandum.approval_without_version")


def _subject(version: MemorandumVersion) -> str:
    return f"memorandum version {version.version} of meeting {version.meeting_id}"


def examine_versions(trail: Trail) -> list[Finding]:
    findings = []
    for version in db.session.scalars(select(MemorandumVersion).order_by(MemorandumVersion.id)):
        built = trail.about("MemorandumVersion", version.id, "memorandum.built")
        approvals = trail.about("MemorandumVersion", version.id, "memorandum.approved")
        said = approvals or built
        recorded = said[-1] if said else None
        problems = []
        if recorded is None:
            problems.append("the audit trail records no build of it")
        else:
            after = recorded["after"] or {}
            documents = version.documents()  # "full", "public", and in Russian "full_ru", "public_ru"
            for key in ("full", "public", "full_ru", "public_ru"):
                if key not in documents and not after.get(f"{key}_sha256"):
                    continue  # a version built before the Russian editions: none, and none recorded
                data = documents.get(key)
                if data is None or sha256(data).hexdigest() != after.get(f"{key}_sha256"):
                    edition = key.replace("_ru", " edition in Russian") if key.endswith("_ru") else f"{key} edition"
                    problems.append(f"its {edition} is not the document whose SHA-256 the audit trail "
                                    f"recorded (event {recorded['seq']})")
        if version.approved and not approvals:
            problems.append("it is marked approved, but the audit trail records no approval of it")
        if approvals and not version.approved:
            problems.append(f"it is not marked approved, but the audit trail recorded its approval "
                            f"(event {approvals[-1]['seq']})")
        if approvals and version.approved_by_motion_id != (approvals[-1]["after"] or {}).get("motion_id"):
            problems.append(f"it names motion {version.approved_by_motion_id} as its approval, the audit trail "
                            f"recorded motion {(approvals[-1]['after'] or {}).get('motion_id')} "
                            f"(event {approvals[-1]['seq']})")
        findings += [Finding(_subject(version), problem) for problem in problems]
    return findings


def examine_approval(motion, trail: Trail) -> list[str]:
    """An adopted minutes_approval motion: the trail records the approval it made (or that there
    was no version to approve), and that version is approved by it."""
    if not motion.memorandum_meeting_id:
        return []  # a memorandum held outside the platform: nothing here to compare
    approvals = [e for e in trail.of_action("memorandum.approved")
                 if (e["after"] or {}).get("motion_id") == motion.id]
    if not approvals and _approved_before(motion, trail):
        return []  # the version was approved already (by an earlier motion): nothing changed
    if not approvals:
        prefix = f"{motion.resolution_number}:"
        if any(str((e["after"] or {}).get("reason") or "").startswith(prefix)
               for e in trail.of_action("memorandum.approval_without_version")):
            return []
        return ["its effect, the memorandum approved, is not in the audit trail"]
    version = db.session.get(MemorandumVersion, approvals[-1]["subject_id"])
    if version is None:
        return [f"the version it approved (event {approvals[-1]['seq']}) is gone"]
    if not version.approved or version.approved_by_motion_id != motion.id:
        return [(f"memorandum version {version.version} of meeting {version.meeting_id}, approved by it "
                 f"(event {approvals[-1]['seq']}), is not marked approved by it")]
    if motion.memorandum_version is not None and version.version != motion.memorandum_version:
        return [(f"version {motion.memorandum_version} was put to the vote but version {version.version} was "
                 f"approved (event {approvals[-1]['seq']})")]
    return []


def _approved_before(motion, trail: Trail) -> bool:
    ids = set(db.session.scalars(select(MemorandumVersion.id)
                                 .where(MemorandumVersion.meeting_id == motion.memorandum_meeting_id)))
    return any(e["subject_id"] in ids and (e["after"] or {}).get("motion_id") != motion.id
               for e in trail.of_action("memorandum.approved"))


def register() -> None:
    from motions import effects
    if examine_approval not in effects.effect_checks["minutes_approval"]:
        effects.effect_checks["minutes_approval"].append(examine_approval)
    from minutes import examine_record  # the rows the memorandum is built from
    for check in (examine_versions, examine_record.examine_record):
        if check not in effects.state_checks:
            effects.state_checks.append(check)
    effects.trail_actions.update(ACTIONS + examine_record.ACTIONS)
