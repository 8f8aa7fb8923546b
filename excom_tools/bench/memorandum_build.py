"""`excom bench memorandum`: how long a long memorandum takes to build, and what the other
people using the server notice meanwhile.

What it does, in order:

1. a database of its own and the meeting with N voting delegates, as `excom bench live-vote`
   does (excom_tools.bench.live_vote: populate), and one `excom serve`;
2. K agenda items, each with a note of 100,000 characters (the most a note may hold) written as
   33,334 paragraphs: the issue's case, which took 20 s to build and stalled every request;
3. a poll opened on the meeting's item;
4. P probes, each a thread sending one request after another on a kept-alive connection,
   in turn: the meeting as JSON (`GET /api/v1/meetings/{id}`), the poll, and the sign-in page
   (HTML); first for a few seconds with nothing else happening (`idle`), then while the
   secretariat builds the memorandum (`POST /api/v1/meetings/{id}/memorandum`), during which
   the N delegates also vote, one after another (`POST /polls/{id}/votes`);
5. one JSON line on stdout: the build's wall time and status, and for each phase the count of
   answers and their latency p50, p99 and max (the latency of a request is from its sending
   to its answer; the build phase counts the requests answered between the build's sending and
   its answer), the votes recorded, the server's CPU seconds and the machine's load.

`--named-polls K` is the scene of issue 12 instead of the delegates voting during the build: before
it, K motions each put to a named vote in which all N delegates voted, then closed
(excom_tools.bench.named_votes), so that the memorandum holds N members present and K tables of
N named votes; no poll is open during the build and nobody votes meanwhile. With `--probes 0`
nothing else runs either: `build_seconds` is then the build alone, as the secretariat waits for it
(`excom bench memorandum --notes 0 --voters 200 --named-polls 20 --probes 0`); `build_again_seconds`
is the same build once more, when the server has a child process started and waiting for it. `--docx PATH` keeps
the full edition (in English) that was built.

`--inline` builds in the server's own greenlet (EXCOM_APART=inline) instead of the child
process of governance.apart: the A/B comparison of what running apart from the event loop buys.
"""
import os
import threading
import time
from pathlib import Path

import requests

from excom_tools.bench.live_vote import (
    BenchError,
    Server,
    clear_away,
    init_db,
    log,
    percentile,
    populate,
    prepare,
    rounded,
    server_environment,
)
from excom_tools.bench.named_votes import add_named_polls

NOTE = "a\n\n" * 33_333 + "a"  # 100,000 characters, 33,334 paragraphs
IDLE_SECONDS = 3.0


class Probe(threading.Thread):
    """Someone else using the server: one request after another, each answer's latency kept."""

    def __init__(self, url: str, token: str, meeting_id: int, poll_id: int | None):
        super().__init__(daemon=True)
        self.web = requests.Session()
        self.web.headers["Authorization"] = f"Bearer {token}"
        self.paths = [f"{url}/api/v1/meetings/{meeting_id}", f"{url}/login"]
        if poll_id is not None:
            self.paths.insert(1, f"{url}/api/v1/polls/{poll_id}")
        self.samples: list[tuple[float, float, int]] = []  # (sent, answered, status)
        self.stopping = threading.Event()

    def run(self) -> None:
        turn = 0
        while not self.stopping.is_set():
            sent = time.monotonic()
            try:
                status = self.web.get(self.paths[turn % len(self.paths)], timeout=120).status_code
            except requests.RequestException:
                status = 0
            self.samples.append((sent, time.monotonic(), status))
            turn += 1


def _open_poll(desk: requests.Session, api: str, item_id: int) -> int:
    motion = desk.post(f"{api}/items/{item_id}/motions", json={"kind": "general", "title": "To note"})
    poll = desk.post(f"{api}/motions/{motion.json()['id']}/polls")
    if poll.status_code != 201:
        raise BenchError(f"could not open the poll: {poll.status_code} {poll.text[:200]}")
    return poll.json()["id"]


def _phase(samples: list[tuple[float, float, int]], start: float, end: float) -> dict:
    latencies = [answered - sent for sent, answered, _ in samples if start <= answered <= end]
    failures = sum(1 for sent, answered, status in samples if start <= answered <= end and status != 200)
    return {"answers": len(latencies), "failures": failures,
            "p50": rounded(percentile(latencies, 0.5)), "p99": rounded(percentile(latencies, 0.99)),
            "max": rounded(max(latencies) if latencies else None)}



def run(notes: int = 1, *, voters: int = 12, probes: int = 4, database: str | None = None, inline: bool = False,
        keep: bool = False, named_polls: int = 0, docx: Path | None = None) -> dict:
    if notes < 0 or voters < 1 or probes < 0 or named_polls < 0:
        raise BenchError("--notes, --probes and --named-polls must be at least 0, --voters at least 1")
    workdir, instance, secret, db = prepare("memo", database)
    server = None
    try:
        env = server_environment(db.url, instance, secret, None)
        if inline:
            env["EXCOM_APART"] = "inline"
        init_db(env)
        setup = populate(db.url, instance, secret, voters)
        if named_polls:
            seconds = add_named_polls(db.url, instance, secret, setup.meeting_id, setup.item_id, named_polls)
            log(f"{named_polls} named polls of {voters} votes each closed in {seconds:.1f} s")
        server = Server(0, env, workdir)
        server.wait_ready()
        log(f"server up on {server.url} (pid {server.pid}); {voters} delegates")
        desk = requests.Session()
        desk.headers["Authorization"] = f"Bearer {setup.chair_token}"
        api = f"{server.url}/api/v1"
        session_id = desk.get(f"{api}/meetings/{setup.meeting_id}").json()["sessions"][0]["id"]
        for index in range(notes):
            item = desk.post(f"{api}/sessions/{session_id}/items", json={"title": f"Long report {index + 1}",
                                                                           "kind": "report"})
            written = desk.put(f"{api}/items/{item.json()['id']}/notes", json={"text": NOTE})
            if written.status_code != 200:
                raise BenchError(f"could not write the note: {written.status_code} {written.text[:200]}")
        poll_id = None if named_polls else _open_poll(desk, api, setup.item_id)
        log(f"{notes} note(s) of {len(NOTE):,} characters written; poll {poll_id} open")

        load_before = os.getloadavg()
        others = [Probe(server.url, setup.chair_token, setup.meeting_id, poll_id) for _ in range(probes)]
        idle_start = time.monotonic()
        for probe in others:
            probe.start()
        if others:
            time.sleep(IDLE_SECONDS)  # the idle phase: what the same requests cost with nothing else going on
        idle_end = time.monotonic()

        votes: list[int] = []
        built: dict = {}

        def build() -> None:
            built["sent"] = time.monotonic()
            answer = desk.post(f"{api}/meetings/{setup.meeting_id}/memorandum", timeout=600)
            built["answered"], built["status"] = time.monotonic(), answer.status_code
            built["version"] = answer.json().get("version") if answer.status_code == 201 else answer.text[:300]

        cpu_before, apart_before = server.cpu_seconds(), server.children_cpu_seconds()
        builder = threading.Thread(target=build)
        builder.start()
        for token, _member in setup.voters if poll_id is not None else []:  # the delegates vote while it builds
            if not builder.is_alive():
                break
            vote = requests.post(f"{api}/polls/{poll_id}/votes", json={"choice": "yes"}, timeout=120,
                                 headers={"Authorization": f"Bearer {token}"})
            votes.append(vote.status_code)
        builder.join()
        cpu_after, apart_after = server.cpu_seconds(), server.children_cpu_seconds()
        for probe in others:
            probe.stopping.set()
        for probe in others:
            probe.join(120)
        samples = [sample for probe in others for sample in probe.samples]
        again: dict = {}
        if named_polls:  # the same build again: the server's spare child (governance.apart) is warm now
            sent = time.monotonic()
            answer = desk.post(f"{api}/meetings/{setup.meeting_id}/memorandum", timeout=600)
            again = {"status": answer.status_code, "seconds": rounded(time.monotonic() - sent)}
        if docx is not None and built.get("status") == 201:
            docx.write_bytes(desk.get(f"{api}/meetings/{setup.meeting_id}/memorandum.docx", timeout=120).content)
        return {
            "notes": notes,
            "members_present": voters,
            "named_polls": named_polls,
            "version": built.get("version"),
            "note_characters": len(NOTE),
            "database": db.backend,
            "build_apart": not inline,
            "build_status": built.get("status"),
            "build_seconds": rounded(built["answered"] - built["sent"]) if "answered" in built else None,
            "build_again_status": again.get("status"),
            "build_again_seconds": again.get("seconds"),
            "idle": _phase(samples, idle_start, idle_end),
            "during_build": _phase(samples, built.get("sent", 0), built.get("answered", 0)),
            "votes_during_build": {"sent": len(votes), "recorded": votes.count(201)},
            "server_cpu_seconds_during_build": rounded(cpu_after - cpu_before) if cpu_before and cpu_after else None,
            # the child process that built the documents (governance.apart): with the server's,
            # what the build cost on a machine whose other work stretches its wall time
            "apart_cpu_seconds": rounded(apart_after - apart_before)
            if apart_before is not None and apart_after is not None else None,
            "probes": probes,
            "loadavg_before": [round(x, 2) for x in load_before],
        }
    finally:
        clear_away([server] if server is not None else [], db, workdir, keep)
