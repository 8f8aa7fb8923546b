"""`excom archive MEETING_ID FILE.zip` and `excom archive verify FILE.zip`: the meeting's record
checked offline, with no database; a changed archive fails with a line naming what changed."""
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance.audit import chain
from governance.cli import main
from tests.voting.scene import CITIES, Room

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def archived(demo, api, app, runner, tmp_path):
    """The demo meeting with a named vote, a secret one and a host-city ballot, its memorandum
    built, archived. Answers (path of the archive, the room)."""
    room = Room(api, demo)
    room.check_in(*CITIES)
    named = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="To accept")
    poll = room.open_poll(named["id"]).get_json()
    for city, choice in zip(CITIES, ["yes"] * 7 + ["no"] * 4 + ["abstain"]):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    room.named_poll = poll["id"]
    secret = room.motion("Review of 2024 WeGO Secretariat Annual Report", kind="general", title="Secret",
                         secret=True)
    poll = room.open_poll(secret["id"]).get_json()
    for city, choice in zip(CITIES, ["no"] * 5 + ["yes"] * 7):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    room.secret_poll = poll["id"]
    a, b = room.members["Makati"], room.members["Abuja"]
    host = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city", title="Host 2025",
                       candidates=[a, b], secret=True)
    poll = room.open_poll(host["id"]).get_json()
    for city, choice in zip(CITIES, [a] * 7 + [b] * 5):
        room.vote(poll["id"], city, choice)
    room.close(poll["id"])
    item = room.open_items[next(iter(room.open_items))]
    for text in ("The minutes of 2023 were read.", "The minutes of 2023 were read and approved."):
        assert room.desk.put(f"/items/{item}/notes", json={"text": text}).status_code == 200
    room.noted_item = item
    assert room.desk.post(f"/meetings/{demo}/memorandum").status_code == 201
    path = tmp_path / "excom-2024.zip"
    result = runner.invoke(main, ["archive", str(demo), str(path)])
    assert result.exit_code == 0, result.output
    assert f"archive written: {path}" in result.output
    return path, room


@dataclass(frozen=True)
class Archived:
    """What the tampering cases know of the archived meeting."""

    secret_poll: int
    named_poll: int
    noted_item: int


_BUILT: list[tuple[bytes, Archived]] = []  # the archive the tampering cases share, built once per process


@pytest.fixture
def archive_to_tamper(request, backend, tmp_path):
    """A copy of the archive of `archived`, built by the first tampering case of this process
    and copied for the others: each case rewrites its copy and verifies it offline, with no
    database, so building the same meeting again for each (10 s each) would test nothing new.
    Answers (path of the copy, Archived)."""
    if not _BUILT:
        path, room = request.getfixturevalue("archived")
        _BUILT.append((path.read_bytes(), Archived(room.secret_poll, room.named_poll, room.noted_item)))
    data, archived = _BUILT[0]
    copy = tmp_path / "excom-2024.zip"
    copy.write_bytes(data)
    return copy, archived


def verify_offline(path, *args, env=None):
    """`excom archive verify` in a fresh process that cannot reach any database."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("EXCOM_")}
    environment.update(PYTHONPATH=str(ROOT), EXCOM_DATABASE_URL="postgresql+psycopg://127.0.0.1:1/nowhere",
                       EXCOM_INSTANCE_PATH=str(Path(path).parent / "no-instance"), **(env or {}))
    finished = subprocess.run([sys.executable, "-c", "from governance.cli import main; main()", "archive", "verify",
                               str(path), *args], env=environment, capture_output=True, text=True, timeout=300,
                              check=False, cwd=Path(path).parent)
    return finished.returncode, finished.stdout + finished.stderr


def verify_here(path):
    """`excom archive verify` in this process, for the tampering cases: whether the command
    reaches no database is the subject of the whole-archive tests above, which run it in a
    process of its own (that start is ~1.2 s of CPU per case)."""
    result = CliRunner().invoke(main, ["archive", "verify", str(path)], env={"EXCOM_AUDIT_KEY": None})
    return result.exit_code, result.output


def rewrite(path, change, *, manifest=True):
    """Apply `change(files)` to the archive's files (a dict name -> bytes); with `manifest`, the
    forger recomputes the manifest's hashes too."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    change(files)
    if manifest:
        listed = json.loads(files["manifest.json"])
        listed["files"] = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                           for name, data in sorted(files.items()) if name != "manifest.json"}
        files["manifest.json"] = json.dumps(listed).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _events(files):
    return [json.loads(line) for line in files["audit/events.jsonl"].decode().splitlines()]


def _put_events(files, events):
    files["audit/events.jsonl"] = ("\n".join(json.dumps(e) for e in events) + "\n").encode()


@pytest.mark.both_databases  # the record as each database gives it back
def test_the_archive_holds_the_record_and_verifies_offline(archived, app):
    path, room = archived
    code, output = verify_offline(path)
    assert code == 0, output
    assert "archive holds: every file as listed" in output and "3 closed polls recounted" in output
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"README.md", "manifest.json", "record/meeting.json", "record/polls.json", "memorandum/versions.json",
                "memorandum/v1-full.docx", "memorandum/v1-public.docx", "memorandum/v1-full-ru.docx",
                "memorandum/v1-public-ru.docx", "audit/events.jsonl"} == names  # both editions in both languages
        polls = {p["id"]: p for p in json.loads(archive.read("record/polls.json"))}
        meeting = json.loads(archive.read("record/meeting.json"))
        events = [json.loads(line) for line in archive.read("audit/events.jsonl").decode().splitlines()]
        readme = archive.read("README.md").decode()
    secret = polls[room.secret_poll]
    assert all(set(b) == {"receipt", "choice"} for b in secret["ballots"]) and len(secret["ballots"]) == 12
    published = room.desk.get(f"/polls/{room.secret_poll}/ballots").get_json()
    assert sorted((b["receipt"], b["choice"]) for b in secret["ballots"]) == \
        sorted((b["receipt"], b["choice"]) for b in published)
    named = polls[room.named_poll]
    assert {b["member_id"] for b in named["ballots"]} == {p["member_id"] for p in named["participations"]}
    assert all(p["cast_by_id"] for p in named["participations"])
    assert meeting["meeting"]["next_host_id"] == room.members["Makati"]
    # the demo's own assessment of the regional offices (Agenda 5, not voted here) comes first
    assert [m["title"] for m in meeting["motions"]] == ["Annual assessment of the WeGO regional offices",
                                                        "To accept", "Secret", "Host 2025"]
    assert {s["kind"] for s in meeting["sessions"]} == {"open", "closed"} and meeting["participants"]
    # the meeting's events carry their content; the others only their digest
    mine = [e for e in events if "content" in e]
    assert mine and all(e["content"]["meeting_id"] == room.meeting_id for e in mine)
    assert all("digest" in e for e in events if "content" not in e)
    assert events[-1]["hash"] == json.loads(zipfile.ZipFile(path).read("manifest.json"))["chain"]["head"]
    assert "excom archive verify" in readme and "record/polls.json" in readme


@pytest.mark.parametrize("tampering, expected", [
    ("a memorandum edition replaced", "memorandum/v1-public.docx: its SHA-256 or size differs from the manifest"),
    ("a memorandum edition replaced, manifest recomputed",
     "memorandum/v1-public.docx is not the public edition whose SHA-256 the audit trail recorded"),
    ("a Russian edition replaced, manifest recomputed",
     "memorandum/v1-public-ru.docx is not the public_ru edition whose SHA-256 the audit trail recorded"),
    ("a secret ballot flipped and resealed", "are not those sealed at closing"),
    ("a named ballot given to another member", "(in this named poll, the roll-call too) are not those sealed"),
    ("an event edited", "the chain is broken at event"),
    ("the chain rewritten after an edited event", "does not hold the anchor"),
    ("the motion marked rejected", "it is marked rejected, but its poll"),
    ("a file removed", "record/meeting.json: listed in the manifest but missing from the archive"),
    ("a file added", "notes.txt: in the archive but not listed in the manifest"),
    ("the newest events cut off", "the manifest says"),
    ("a note edited", "revision 1: its text is not what the audit trail recorded (event"),
    ("a note revision removed", "revision 2: the audit trail recorded them (event"),
    ("a memorandum version removed", "memorandum version 1: the audit trail recorded its build (event"),
])
def test_a_tampered_archive_fails_with_what_changed(archive_to_tamper, tampering, expected):
    path, room = archive_to_tamper

    def change(files):
        if tampering.startswith("a memorandum edition replaced"):
            files["memorandum/v1-public.docx"] = files["memorandum/v1-full.docx"]
        elif tampering.startswith("a Russian edition replaced"):
            files["memorandum/v1-public-ru.docx"] = files["memorandum/v1-public.docx"]
        elif tampering == "a secret ballot flipped and resealed":
            polls = json.loads(files["record/polls.json"])
            poll = next(p for p in polls if p["id"] == room.secret_poll)
            flipped = next(b for b in poll["ballots"] if b["choice"] == "no")
            flipped["choice"] = "yes"
            from voting import seal
            poll["ballots_digest"] = seal.ballots_digest(poll["id"], [(b["receipt"], b["choice"], None, None)
                                                                      for b in poll["ballots"]])
            poll["result"] = {**poll["result"], "ballots_digest": poll["ballots_digest"],
                              "counts": {"yes": 8, "no": 4, "abstain": 0}, "cast": 12}
            files["record/polls.json"] = json.dumps(polls).encode()
        elif tampering == "a named ballot given to another member":
            polls = json.loads(files["record/polls.json"])
            poll = next(p for p in polls if p["id"] == room.named_poll)
            a, b = poll["ballots"][0], poll["ballots"][1]
            a["member_id"], b["member_id"] = b["member_id"], a["member_id"]
            files["record/polls.json"] = json.dumps(polls).encode()
        elif tampering in ("an event edited", "the chain rewritten after an edited event"):
            events = _events(files)
            index = next(i for i, e in enumerate(events) if e.get("content", {}).get("action") == "poll.closed")
            events[index]["content"]["after"]["status"] = "rejected"
            if tampering == "the chain rewritten after an edited event":
                previous = events[index]["prev_hash"]
                for event in events[index:]:
                    digest = chain.content_digest(event["content"]) if "content" in event else event["digest"]
                    event["prev_hash"] = previous
                    event["hash"] = previous = chain.link_hash(event["seq"], previous, digest)
                listed = json.loads(files["manifest.json"])
                listed["chain"]["head"] = previous
                files["manifest.json"] = json.dumps(listed).encode()
            _put_events(files, events)
        elif tampering == "the motion marked rejected":
            meeting = json.loads(files["record/meeting.json"])
            next(m for m in meeting["motions"] if m["title"] == "To accept")["status"] = "rejected"
            files["record/meeting.json"] = json.dumps(meeting).encode()
        elif tampering == "a file removed":
            del files["record/meeting.json"]
        elif tampering == "a file added":
            files["notes.txt"] = b"an extra page"
        elif tampering == "the newest events cut off":
            _put_events(files, _events(files)[:-2])
        elif tampering.startswith("a note"):
            meeting = json.loads(files["record/meeting.json"])
            notes = [n for n in meeting["notes"] if n["item_id"] == room.noted_item]
            if tampering == "a note edited":
                notes[0]["text"] = "Nothing was said."
            else:
                meeting["notes"].remove(notes[-1])
            files["record/meeting.json"] = json.dumps(meeting).encode()
        elif tampering == "a memorandum version removed":
            for name in ("memorandum/v1-full.docx", "memorandum/v1-public.docx"):
                del files[name]
            files["memorandum/versions.json"] = b"[]"

    manifest = tampering not in ("a memorandum edition replaced", "a file removed", "a file added")
    rewrite(path, change, manifest=manifest)
    code, output = verify_here(path)
    assert code == 1, output
    assert expected in output, output
    assert "archive FAILED" in output


def test_a_head_from_outside_catches_a_wholly_forged_archive(archived, app):
    """A forger who edits an event, rewrites the chain after it, reprints the new head in both
    memorandum editions, re-records their hashes and recomputes the manifest passes every check
    inside the archive; the head printed in the signed memorandum, copied from outside, does not."""
    import io

    from docx import Document
    path, _ = archived
    with zipfile.ZipFile(path) as archive:
        seq, digest = json.loads(archive.read("memorandum/versions.json"))[0]["printed_audit_head"].split(":")
    seq = int(seq)

    def rechain(events):
        previous = events[0]["prev_hash"]
        for event in events:
            body = chain.content_digest(event["content"]) if "content" in event else event["digest"]
            event["prev_hash"] = previous
            event["hash"] = previous = chain.link_hash(event["seq"], previous, body)
        return {event["seq"]: event["hash"] for event in events}

    def reprint(data, old, new):
        document = Document(io.BytesIO(data))
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.text = run.text.replace(old, new)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def forge(files):
        events = _events(files)
        first = next(e for e in events if "content" in e)
        first["content"]["after"] = {"forged": True}
        forged_head = rechain(events)[seq]
        for edition in ("full", "public"):
            name = f"memorandum/v1-{edition}.docx"
            files[name] = reprint(files[name], digest, forged_head)
        built = next(e for e in events if e.get("content", {}).get("action") == "memorandum.built")
        for edition in ("full", "public"):
            built["content"]["after"][f"{edition}_sha256"] = hashlib.sha256(files[f"memorandum/v1-{edition}.docx"]
                                                                            ).hexdigest()
        head = rechain(events)[events[-1]["seq"]]
        _put_events(files, events)
        versions = json.loads(files["memorandum/versions.json"])
        versions[0]["printed_audit_head"] = f"{seq}:{forged_head}"
        for edition in ("full", "public"):
            versions[0][edition]["sha256"] = hashlib.sha256(files[f"memorandum/v1-{edition}.docx"]).hexdigest()
        files["memorandum/versions.json"] = json.dumps(versions).encode()
        listed = json.loads(files["manifest.json"])
        listed["chain"]["head"] = head
        files["manifest.json"] = json.dumps(listed).encode()

    rewrite(path, forge)
    code, output = verify_offline(path)
    assert code == 0, output  # consistent inside: the documented limit of an archive on its own
    code, output = verify_offline(path, "--head", f"{seq}:{digest}")
    assert code == 1
    assert f"does not hold the anchor {seq}:{digest[:12]}" in output


def test_a_keyed_archive_checks_its_macs_with_the_key(demo, app, api, runner, tmp_path):
    key = "the installation's audit key"
    app.config["EXCOM_AUDIT_KEY"] = key  # set after the demo was loaded: the newer events are keyed
    Room(api, demo).check_in("Seoul")
    path = tmp_path / "keyed.zip"
    assert runner.invoke(main, ["archive", str(demo), str(path)]).exit_code == 0
    code, output = verify_offline(path, env={"EXCOM_AUDIT_KEY": key})
    assert code == 0 and "keyed: every event from" in output, output
    code, output = verify_offline(path)
    assert code == 0 and "carry a MAC that was not checked" in output
    code, output = verify_offline(path, env={"EXCOM_AUDIT_KEY": "a guess"})
    assert code == 1 and "its MAC does not match" in output
    assert runner.invoke(main, ["archive", "999", str(tmp_path / "none.zip")]).exit_code == 1


@pytest.mark.parametrize("content, expected", [
    (b"not a zip at all", "is not a readable ZIP file"),
    ({"other.txt": b"x"}, "the archive has no manifest.json"),
    ({"manifest.json": b"{not json"}, "manifest.json cannot be read"),
    ({"manifest.json": b'{"format": "excom-meeting-archive/1", "files": []}'}, "manifest.json cannot be read"),
    ({"manifest.json": b'{"format": "something else", "files": {}}'}, "names the format 'something else'"),
    ({"manifest.json": b'{"format": "excom-meeting-archive/1", "files": {}}'}, "the record cannot be read"),
])
def test_what_is_no_archive_is_refused_with_a_reason(tmp_path, content, expected):
    from minutes.archive.checker import verify_archive
    path = tmp_path / "given.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in content.items():
                archive.writestr(name, data)
    verdict = verify_archive(path)
    assert not verdict.holds and expected in verdict.findings[0], verdict.findings
