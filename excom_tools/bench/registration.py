"""`excom bench registration`: how long a secretariat's script takes to register N delegates
through the REST API, one request after another on one kept-alive connection.

What it does, in order:

1. a database of its own (as `excom bench live-vote`: a fresh SQLite file, or a fresh PostgreSQL
   database beside the given admin URL), `excom init-db`, and one `excom serve`;
2. the secretariat's account and its personal access token, made in this process (someone has to
   exist before the API can be called); then, through the API, the meeting (`POST /meetings`);
3. for each delegate, the five calls of the script (5 N requests, 10,000 for the issue's 2,000):
   the member city (`POST /members`), the delegate's account (`POST /users`), the delegate's
   personal access token (`POST /users/{id}/token`: the invitation link's), taking part
   as `excom_member` (`POST /meetings/{id}/participants`) and the check-in
   (`POST /meetings/{id}/attendance`);
4. one JSON line on stdout: the wall time of step 3 and its requests per second, each call's
   latency p50 / p99 / max, the answers that were not the expected 201 or 200, the server's CPU
   seconds, the quorum the meeting reached, and the machine's load before.

`--passwords` gives each account a password of its own as well: each `POST /users` then hashes it
(scrypt, EXCOM_PASSWORD_METHOD), tens of milliseconds of CPU by design, which a script that
invites delegates by token does not spend.
"""
import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from excom_tools.bench.live_vote import (
    BenchError,
    Server,
    clear_away,
    init_db,
    log,
    percentile,
    prepare,
    rounded,
    server_environment,
)

CALLS = ("member", "user", "token", "participant", "attendance")


def _secretariat(database_url: str, instance: Path, secret: str) -> str:
    """The secretariat's account and a personal access token for the script; answers the token."""
    from governance import create_app
    from governance.auth import operations as auth_ops
    from governance.extensions import db

    app = create_app({"EXCOM_DATABASE_URL": database_url, "EXCOM_INSTANCE_PATH": str(instance),
                      "EXCOM_SECRET_KEY": secret, "EXCOM_REDIS_URL": None, "EXCOM_ASYNC_MODE": "threading"})
    with app.app_context():
        staff = auth_ops.create_user(actor=None, name="Bench Secretariat", email="secretariat@bench.example.org",
                                     roles=["secretariat"])
        _token, token = auth_ops.issue_personal_token(staff, actor=staff, label="registration script")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return token


class Script:
    """The secretariat's script: one session, one connection kept alive, every answer timed."""

    def __init__(self, url: str, token: str, passwords: bool = False):
        self.api = f"{url}/api/v1"
        self.web = requests.Session()
        self.web.headers["Authorization"] = f"Bearer {token}"
        self.latencies: dict[str, list[float]] = {call: [] for call in CALLS}
        self.unexpected: dict[str, int] = {}
        self.passwords = passwords

    def post(self, call: str, path: str, body: dict, expected: int = 201) -> dict:
        sent = time.perf_counter()
        answer = self.web.post(f"{self.api}{path}", json=body, timeout=120)
        if call in self.latencies:
            self.latencies[call].append(time.perf_counter() - sent)
        if answer.status_code != expected:
            key = f"{call} {answer.status_code}"
            self.unexpected[key] = self.unexpected.get(key, 0) + 1
            if self.unexpected[key] == 1:
                log(f"{call}: {answer.status_code} {answer.text[:300]}")
            return {}
        return answer.json()

    def register(self, meeting_id: int, index: int) -> None:
        member = self.post("member", "/members", {"name": f"Registered City {index:05d}", "country": "Benchland",
                                                  "category": "city", "status": "active", "excom": True})
        account = {"name": f"Delegate {index:05d}", "email": f"delegate{index:05d}@bench.example.org",
                   "member_id": member.get("id")}
        if self.passwords:
            account["password"] = secrets.token_urlsafe(18)
        user = self.post("user", "/users", account)
        if "id" not in user:
            return
        self.post("token", f"/users/{user['id']}/token", {})
        self.post("participant", f"/meetings/{meeting_id}/participants",
                  {"user_id": user["id"], "group": "excom_member"})
        self.post("attendance", f"/meetings/{meeting_id}/attendance",
                  {"user_id": user["id"], "mode": "in_person", "present": True}, expected=200)


def run(delegates: int = 2000, *, database: str | None = None, passwords: bool = False, keep: bool = False) -> dict:
    if delegates < 1:
        raise BenchError("--delegates must be at least 1")
    workdir, instance, secret, db = prepare("registration", database)
    server = None
    try:
        env = server_environment(db.url, instance, secret, None)
        init_db(env)
        token = _secretariat(db.url, instance, secret)
        server = Server(0, env, workdir)
        server.wait_ready()
        log(f"server up on {server.url} (pid {server.pid})")
        script = Script(server.url, token, passwords)
        meeting = script.post("meeting", "/meetings", {
            "title": f"Registration benchmark, {delegates} delegates", "timezone": "UTC",
            "starts_at": datetime(2026, 1, 1, 10, 0, tzinfo=UTC).isoformat(), "quorum": {"rule": "majority"}})
        if "id" not in meeting:
            raise BenchError(f"could not create the meeting: {script.unexpected}")
        load_before = os.getloadavg()
        cpu_before = server.cpu_seconds()
        started = time.perf_counter()
        for index in range(delegates):
            script.register(meeting["id"], index)
            if index % 500 == 499:
                log(f"{index + 1} delegates registered in {time.perf_counter() - started:.1f} s")
        seconds = time.perf_counter() - started
        cpu_after = server.cpu_seconds()
        requests_sent = sum(len(times) for times in script.latencies.values())
        quorum = script.web.get(f"{script.api}/meetings/{meeting['id']}/quorum", timeout=60).json()
        return {
            "delegates": delegates,
            "database": db.backend,
            "passwords": passwords,
            "requests": requests_sent,
            "seconds": round(seconds, 2),
            "requests_per_second": round(requests_sent / seconds, 1) if seconds else None,
            "unexpected_answers": script.unexpected,
            "latency": {call: {"p50": rounded(percentile(times, 0.5)), "p99": rounded(percentile(times, 0.99)),
                               "max": rounded(max(times) if times else None)}
                        for call, times in script.latencies.items()},
            "server_cpu_seconds": round(cpu_after - cpu_before, 2) if cpu_before and cpu_after else None,
            "quorum": quorum,
            "loadavg_before": [round(x, 2) for x in load_before],
        }
    finally:
        clear_away([server] if server is not None else [], db, workdir, keep)

