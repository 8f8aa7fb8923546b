"""`excom archive verify FILE.zip`: a meeting archive checked offline, with no database.

1. The files: every file the manifest lists is there with its SHA-256 and size, and nothing
   else is.
2. The chain segment (`audit/events.jsonl`): every link holds (governance.audit.chain), from
   the manifest's first event to its head; with EXCOM_AUDIT_KEY set, the MACs too; the heads
   printed in the memoranda, and any `--head` copied from outside, are in it.
3. The record against the chain: each closed poll recounted from its archived ballots and
   compared with its result and its `poll.closed` / `poll.casting_vote` events (digests of
   the ballots and of who took part, status, counts), each motion's decision with its polls
   and events (voting.crosscheck), each memorandum file with the SHA-256 its build or
   approval event recorded, every version the chain records built is in the archive, and each
   revision of the item notes is the text its `item.notes_written` event recorded, none missing.

The manifest alone proves little (whoever changes a file can rewrite it); what the chain's
events recorded, and heads kept outside the archive, are what a changed file cannot match.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from governance.audit import chain
from minutes.anchor import printed_head
from minutes.archive import FORMAT
from voting.crosscheck import DECISIVE, MotionFacts, PollFacts, examine_decision, examine_poll

MAX_FILE = 512 * 1024 * 1024  # refuse a member larger than any memorandum or trail: a zip bomb


@dataclass
class Verdict:
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    polls: int = 0
    events: int = 0
    head: tuple[int, str] | None = None

    @property
    def holds(self) -> bool:
        return not self.findings


class _Unreadable(Exception):
    pass


def verify_archive(path: str | Path, *, key: bytes | None = None, anchors=()) -> Verdict:
    verdict = Verdict()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        verdict.findings.append(f"{path} is not a readable ZIP file: {error}")
        return verdict
    with archive:
        try:
            files = _files(archive, verdict)
        except (_Unreadable, zipfile.BadZipFile, OSError) as error:  # BadZipFile: a damaged member
            verdict.findings.append(str(error))
            return verdict
        try:
            meeting = json.loads(files["record/meeting.json"])
            polls = json.loads(files["record/polls.json"])
            versions = json.loads(files["memorandum/versions.json"])
            lines = [json.loads(line) for line in files["audit/events.jsonl"].decode().splitlines() if line.strip()]
        except (KeyError, ValueError, UnicodeDecodeError) as error:
            verdict.findings.append(f"the record cannot be read: {type(error).__name__}: {error}")
            return verdict
        manifest = json.loads(files["manifest.json"])
        try:
            events = _check_chain(manifest, lines, files, versions, key, anchors, verdict)
            _check_polls(meeting, polls, events, verdict)
            _check_memoranda(versions, files, events, verdict)
            _check_notes(meeting, events, verdict)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            verdict.findings.append(f"the record is not in the documented form: {type(error).__name__}: {error}")
    return verdict


def _files(archive: zipfile.ZipFile, verdict: Verdict) -> dict[str, bytes]:
    """Every member, checked against the manifest."""
    infos = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    if "manifest.json" not in infos:
        raise _Unreadable("the archive has no manifest.json")
    try:
        manifest = json.loads(_read(archive, infos["manifest.json"]))
        listed = manifest.get("files")
        if not isinstance(listed, dict):
            raise TypeError("its files are not a mapping of name to SHA-256 and size")
        listed = {str(name): dict(expected) for name, expected in listed.items()}
    except (ValueError, TypeError, AttributeError) as error:
        raise _Unreadable(f"manifest.json cannot be read: {type(error).__name__}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise _Unreadable(f"manifest.json names the format {manifest.get('format')!r}, not {FORMAT!r}")
    files = {"manifest.json": _read(archive, infos["manifest.json"])}
    for name, expected in sorted(listed.items()):
        if name not in infos:
            verdict.findings.append(f"{name}: listed in the manifest but missing from the archive")
            continue
        data = _read(archive, infos[name])
        if len(data) != expected.get("size") or hashlib.sha256(data).hexdigest() != expected.get("sha256"):
            verdict.findings.append(f"{name}: its SHA-256 or size differs from the manifest (the file was changed)")
        files[name] = data
    for name in sorted(set(infos) - set(listed) - {"manifest.json"}):
        verdict.findings.append(f"{name}: in the archive but not listed in the manifest (a file was added)")
    return files


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_FILE:
        raise _Unreadable(f"{info.filename}: declares {info.file_size:,} bytes, more than any archive holds")
    with archive.open(info) as member:
        data = member.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise _Unreadable(f"{info.filename}: larger than any archive holds")
    return data


def _check_chain(manifest: dict, lines: list[dict], files: dict, versions: list[dict], key, anchors,
                 verdict: Verdict) -> list[dict]:
    """Walk the segment; answers the events shown with their content."""
    segment = manifest["chain"]
    links = [chain.Link(seq=line["seq"], prev_hash=line["prev_hash"], hash=line["hash"], scheme=line["scheme"],
                        mac=line.get("mac"), content=line.get("content"), digest=line.get("digest"))
             for line in lines]
    wanted = list(anchors)
    for entry in versions:
        if entry.get("printed_audit_head"):
            wanted.append(chain.parse_anchor(entry["printed_audit_head"]))
        printed = printed_head(files[entry["full"]["file"]]) if entry["full"]["file"] in files else None
        if printed and f"{printed[0]}:{printed[1]}" != entry.get("printed_audit_head"):
            verdict.findings.append(f"memorandum version {entry['version']}: versions.json names another audit "
                                    "head than the document prints")
    walk = chain.walk(links, key=key, start_seq=segment["first_seq"], start_hash=segment["first_prev_hash"],
                      anchors=wanted, mac_required=False)
    verdict.events, verdict.head = walk.events, (walk.head_seq, walk.head)
    if walk.broken_at is not None:
        verdict.findings.append(f"audit/events.jsonl: the chain is broken at event {walk.broken_at}: {walk.problem}")
    verdict.findings += [f"audit/events.jsonl: the chain does not hold the {problem}"
                         for problem in walk.anchor_problems]
    if walk.broken_at is None and (walk.head_seq, walk.head) != (segment["head_seq"], segment["head"]):
        verdict.findings.append(f"audit/events.jsonl ends at event {walk.head_seq}, the manifest says "
                                f"{segment['head_seq']}: events were cut off or added")
    if walk.opaque_legacy:
        verdict.notes.append(f"{walk.opaque_legacy} events of other meetings, hashed before the canonical form, "
                             "could only be checked for their place in the chain")
    if walk.unchecked_macs:
        verdict.notes.append(f"{walk.unchecked_macs} events carry a MAC that was not checked "
                             "(set EXCOM_AUDIT_KEY to check them)")
    elif walk.first_mac is not None:
        verdict.notes.append(f"keyed: every event from {walk.first_mac} on carries a valid MAC")
    return [line["content"] for line in lines if line.get("content") is not None]


def _events_about(events: list[dict], subject_type: str, subject_id: int, *actions: str) -> list[dict]:
    return [{"seq": e["seq"], "action": e["action"], "after": e.get("after")} for e in events
            if e.get("subject_type") == subject_type and e.get("subject_id") == subject_id and e["action"] in actions]


def _check_polls(meeting: dict, polls: list[dict], events: list[dict], verdict: Verdict) -> None:
    motions = {m["id"]: m for m in meeting["motions"]}
    by_motion: dict[int, list[PollFacts]] = {}
    for poll in polls:
        if poll["status"] != "closed":
            continue
        motion = motions[poll["motion_id"]]
        facts = PollFacts(
            id=poll["id"], method=poll["method"], majority=motion["majority"], secret=poll["secret"],
            round=poll["round"], reason=poll["reason"], ballot=poll["ballot"], contest=poll["contest"],
            candidates=[c["value"] for c in motion["candidates"]], eligible_count=poll["eligible_count"],
            quorum_at_close=poll["quorum_at_close"], result=poll["result"], ballots_digest=poll["ballots_digest"],
            ballots=[(b["receipt"], b["choice"], b.get("member_id"), b.get("cast_at")) for b in poll["ballots"]],
            participations=[(p["member_id"], p["cast_by_id"]) for p in poll["participations"]],
            events=_events_about(events, "Poll", poll["id"], "poll.closed", "poll.casting_vote"),
            subjects=motion.get("subjects"), scale=motion.get("scale"))
        verdict.polls += 1
        if poll["secret"] and any(b.get("member_id") is not None or b.get("cast_at") for b in poll["ballots"]):
            verdict.findings.append(f"poll {poll['id']}: a secret ballot in the archive names a member or a time")
        by_motion.setdefault(poll["motion_id"], []).append(facts)
        verdict.findings += [f"poll {poll['id']} ({motion['title']}, round {poll['round']}): {problem}"
                             for problem in examine_poll(facts)]
    for motion in meeting["motions"]:
        motion_facts = MotionFacts(id=motion["id"], title=motion["title"], status=motion["status"],
                                   resolution_number=motion["resolution_number"], winner=motion["winner"],
                                   events=_events_about(events, "Motion", motion["id"],
                                                        *(f"motion.{outcome}" for outcome in DECISIVE)))
        polls_of = sorted(by_motion.get(motion["id"], []), key=lambda p: p.round)
        verdict.findings += [f"motion {motion['id']} ({motion['title']}): {problem}"
                             for problem in examine_decision(motion_facts, polls_of)]


def _check_memoranda(versions: list[dict], files: dict, events: list[dict], verdict: Verdict) -> None:
    built = {e["after"].get("version"): e for e in events if e["action"] == "memorandum.built"}
    approved = {e["after"].get("version"): e for e in events if e["action"] == "memorandum.approved"}
    for entry in versions:
        number = entry["version"]
        recorded = approved.get(number) or built.get(number)
        if recorded is None:
            verdict.findings.append(f"memorandum version {number}: the audit trail records no build of it")
            continue
        for edition in ("full", "public", "full_ru", "public_ru"):  # Russian: versions built since 0015
            if edition not in entry:
                continue
            data = files.get(entry[edition]["file"])
            if data is None:
                continue
            if hashlib.sha256(data).hexdigest() != recorded["after"].get(f"{edition}_sha256"):
                verdict.findings.append(f"memorandum version {number}: {entry[edition]['file']} is not the "
                                        f"{edition} edition whose SHA-256 the audit trail recorded "
                                        f"(event {recorded['seq']})")
        if (entry["status"] == "approved") != (number in approved):
            verdict.findings.append(f"memorandum version {number}: marked {entry['status']}, the audit trail "
                                    f"{'records' if number in approved else 'records no'} approval of it")
    archived = {entry["version"] for entry in versions}
    for number, event in sorted(built.items(), key=lambda pair: pair[1]["seq"]):
        if number not in archived:
            verdict.findings.append(f"memorandum version {number}: the audit trail recorded its build "
                                    f"(event {event['seq']}), but the archive does not hold it")


def _check_notes(meeting: dict, events: list[dict], verdict: Verdict) -> None:
    """Each archived note revision against the event that wrote it, by item and revision."""
    written = {((e["after"] or {}).get("item_id"), (e["after"] or {}).get("revision")): e
               for e in events if e["action"] == "item.notes_written"}
    archived = set()
    for note in meeting["notes"]:
        place = (note["item_id"], note["revision"])
        archived.add(place)
        subject = f"the notes of item {place[0]}, revision {place[1]}"
        event = written.get(place)
        if event is None:
            verdict.findings.append(f"{subject}: the audit trail records no writing of it")
        elif event["after"].get("text") != note["text"]:
            verdict.findings.append(f"{subject}: its text is not what the audit trail recorded (event {event['seq']})")
    for place, event in sorted(written.items(), key=lambda pair: pair[1]["seq"]):
        if place not in archived:
            verdict.findings.append(f"the notes of item {place[0]}, revision {place[1]}: the audit trail recorded "
                                    f"them (event {event['seq']}), but the archive does not hold them")
