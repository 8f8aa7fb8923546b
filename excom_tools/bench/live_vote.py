"""`excom bench live-vote`: N delegates on real Socket.IO connections vote at once; nothing may be lost.

What it does, in order:

1. a database of its own: a fresh SQLite file in a temporary instance folder, or a fresh
   PostgreSQL database created beside the given admin URL (and dropped at the end);
   `excom init-db` builds the schema;
2. the meeting, set up in this process through the app's own operations (the audit trail
   records them as it would any set-up): a secretariat user who chairs, an open session
   with one motion item, and N active EXCOM member cities, each with one delegate taking
   part as `excom_member`, checked in online, holding a personal access token. Set-up
   goes in-process rather than through 5 N HTTP calls because it is not what is measured,
   and so that 2,000 voters take seconds, not minutes; the voters have no password at
   all (a token is all a kiosk or an invitation link needs), so nothing is hashed;
3. K `excom serve` processes on free ports, sharing the database (and, for K > 1, a Redis
   message queue, which is then required);
4. the durable single-row commit rate of the same database (see commit_rate);
5. N python-socketio AsyncClients (aiohttp, WebSocket transport) in one asyncio loop,
   spread round-robin over the processes; each connects with its token and joins;
6. the chair creates a motion and opens a poll over HTTP (`POST /items/{id}/motions`,
   `POST /motions/{id}/polls`), every client waits for `poll.opened`, then all N emit `vote`
   at the same moment and wait for their acks; the chair closes the poll; every client
   waits for `poll.closed` on its own connection, that is from its own process;
7. one JSON line on stdout; progress goes to stderr.

Lost votes are the acknowledged votes missing from the closed result plus the votes never
acknowledged (a timeout or an error answer); duplicates are member ids counted more than
once in the result, or a cast count above the votes sent. Choices rotate yes/no/abstain so
that the result's counts can be compared choice by choice with what was acknowledged.
"""
import asyncio
import gc
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from excom_tools.bench.commit_rate import raw_commit_rate
from excom_tools.process_cpu import cpu_seconds

CHOICES = ("yes", "no", "abstain")
DEFAULT_POSTGRES_ADMIN = "postgresql://127.0.0.1:5432/test"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(RuntimeError):
    pass


# --- the machine -----------------------------------------------------------------------------

def raise_open_files(wanted: int) -> int:
    """Thousands of sockets need thousands of descriptors, here and in the servers (which
    inherit the limit): raise the soft limit towards the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status_kb(pid: int, key: str) -> int | None:
    """VmRSS (now) or VmHWM (the peak resident set since the process started), in kB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


def rounded(seconds: float | None) -> float | None:
    """Seconds, to the tenth of a millisecond (None stays None): every benchmark's figures."""
    return None if seconds is None else round(seconds, 4)


def prepare(label: str, database: str | None) -> tuple[Path, Path, str, "Database"]:
    """The start of every benchmark: (its work folder, the servers' instance folder in it, a
    secret key, its database: a fresh SQLite file there, or one made on the PostgreSQL at
    `database`). `clear_away` ends it."""
    workdir = Path(tempfile.mkdtemp(prefix=f"excom-bench-{label}-"))
    instance = workdir / "instance"
    instance.mkdir()
    return workdir, instance, secrets.token_hex(32), Database(database, workdir)


def clear_away(servers: list, db: "Database", workdir: Path, keep: bool) -> None:
    """The end of every benchmark: its servers stopped, its database dropped, its work folder
    removed (kept and named with --keep, for the servers' logs)."""
    for server in servers:
        server.stop()
    try:
        db.drop()
    finally:
        if keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def excom_command() -> list[str]:
    script = Path(sys.executable).with_name("excom")
    if script.exists():
        return [str(script)]
    found = shutil.which("excom")
    if found:
        return [found]
    return [sys.executable, "-c", "from governance.cli import main; main()"]


# --- the database ----------------------------------------------------------------------------

class Database:
    """A database made for this run: a SQLite file in the work folder, or a fresh PostgreSQL
    database on the server of `admin_url` (created now, dropped by `drop`)."""

    def __init__(self, requested: str | None, workdir: Path):
        self.requested = requested
        self.workdir = workdir
        self.created_pg: str | None = None
        self._admin_url: str | None = None
        self.url = self._prepare()
        self.backend = make_url(self.url).get_backend_name()

    def _prepare(self) -> str:
        if not self.requested or self.requested == "sqlite":
            return f"sqlite:///{self.workdir / 'excom.sqlite3'}"
        url = make_url(self.requested)
        if url.get_backend_name() == "sqlite":
            return self.requested
        if url.get_backend_name() != "postgresql":
            raise BenchError(f"unsupported database {url.get_backend_name()}: use SQLite or PostgreSQL")
        import psycopg

        admin = url.set(drivername="postgresql")
        self._admin_url = admin.render_as_string(hide_password=False)
        name = f"excom_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self._admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created_pg = name
        return admin.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self.created_pg is None or self._admin_url is None:  # both set together by _prepare
            return
        import psycopg
        with psycopg.connect(self._admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.created_pg}" WITH (FORCE)')
        self.created_pg = None


# --- the servers -----------------------------------------------------------------------------

def server_environment(database_url: str, instance: Path, secret: str, redis_url: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCOM_")}
    env.pop("FLASK_RUN_FROM_CLI", None)  # set by the `excom` group; Werkzeug would refuse to serve
    env.update({
        "EXCOM_DATABASE_URL": database_url,
        "EXCOM_INSTANCE_PATH": str(instance),
        "EXCOM_SECRET_KEY": secret,
        "EXCOM_LOG_LEVEL": os.environ.get("EXCOM_LOG_LEVEL", "WARNING"),
    })
    if redis_url:
        env["EXCOM_REDIS_URL"] = redis_url
        env["EXCOM_REDIS_CHANNEL"] = f"excom-bench-{secret[:12]}"  # this run's servers only
    return env


class Server:
    def __init__(self, index: int, env: dict, workdir: Path, async_mode: str = "gevent"):
        self.index = index
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"server-{index}.log"
        self._log = open(self.log_path, "wb")
        # `excom serve` re-execs itself into `python -m governance.serve`: same pid, so /proc
        # and py-spy see the server under the pid Popen gives.
        command = [*excom_command(), "serve"] if async_mode == "gevent" else \
            [sys.executable, "-m", "excom_tools.bench.threaded_server"]
        self.process = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(self.port)], env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pid = self.process.pid
        self.baseline_kb: int | None = None

    def wait_ready(self, timeout: float = 60) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"server {self.index} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                requests.get(f"{self.url}/api/v1/me", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise BenchError(f"server {self.index} not answering on {self.url} after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def rss_kb(self) -> int | None:
        return proc_status_kb(self.pid, "VmRSS")

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server process has used so far."""
        return cpu_seconds(self.pid)

    def children_cpu_seconds(self) -> float | None:
        """User + system CPU time of the server's children that have ended (the builds apart)."""
        return cpu_seconds(self.pid, children=True)

    def peak_kb(self) -> int | None:
        return proc_status_kb(self.pid, "VmHWM")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()


def init_db(env: dict) -> None:
    done = subprocess.run([*excom_command(), "init-db"], env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise BenchError(f"excom init-db failed:\n{done.stdout}\n{done.stderr}")


class Nginx:
    """docs/nginx/excom.conf, as shipped, in front of the servers: only the upstream's server
    lines, the listen ports and the certificate (a self-signed one made here) are replaced."""

    def __init__(self, workdir: Path, servers: list["Server"]):
        import re

        binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if binary is None:
            raise BenchError("--nginx needs nginx installed (apt-get install nginx)")
        sample = Path(__file__).resolve().parents[2] / "docs" / "nginx" / "excom.conf"
        if not sample.exists():
            raise BenchError(f"--nginx runs the sample config from a source checkout; {sample} is missing")
        prefix = workdir / "nginx"
        (prefix / "logs").mkdir(parents=True)
        made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                               "-subj", "/CN=localhost", "-keyout", str(prefix / "privkey.pem"),
                               "-out", str(prefix / "fullchain.pem")], capture_output=True, text=True)
        if made.returncode != 0:
            raise BenchError(f"openssl could not make a test certificate: {made.stderr}")
        self.port, plain_port = free_port(), free_port()
        text = sample.read_text()
        upstream = "".join(f"    server 127.0.0.1:{s.port} max_fails=0;\n" for s in servers)
        text, replaced = re.subn(r"(?m)^\s*server 127\.0\.0\.1:\d+[^\n]*\n", "", text)
        if not replaced:
            raise BenchError("the sample config has no upstream server lines to replace")
        text = text.replace("    hash $excom_route consistent;\n", "    hash $excom_route consistent;\n" + upstream)
        text = re.sub(r"(?m)^\s*listen \[::\]:\d+[^;]*;\n", "", text)
        text = re.sub(r"(?m)^(\s*)listen 80;", rf"\1listen 127.0.0.1:{plain_port};", text)
        text = re.sub(r"(?m)^(\s*)listen 443 ssl;", rf"\1listen 127.0.0.1:{self.port} ssl;", text)
        text = text.replace("/etc/ssl/excom/", f"{prefix}/")
        (prefix / "excom.conf").write_text(text)
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        files = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
        connections = files // 2
        (prefix / "nginx.conf").write_text(f"""worker_processes 1;
worker_rlimit_nofile {files};
error_log {prefix}/logs/error.log warn;
pid {prefix}/logs/nginx.pid;
events {{ worker_connections {connections}; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
    include {prefix}/excom.conf;
}}
""")
        checked = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                 capture_output=True, text=True)
        if checked.returncode != 0:
            raise BenchError(f"nginx -t refused the sample config:\n{checked.stderr}")
        self.process = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                         "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"https://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise BenchError("nginx did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


# --- set-up ----------------------------------------------------------------------------------

@dataclass
class Setup:
    meeting_id: int
    item_id: int
    chair_token: str
    voters: list[tuple[str, int]]  # (token, member id) per voting delegate
    seconds: float


def populate(database_url: str, instance: Path, secret: str, voters: int, app=None) -> Setup:
    """The meeting and its N voting delegates, through the app's own operations, in this process."""
    from datetime import datetime

    from governance import create_app
    from governance.auth import operations as auth_ops
    from governance.extensions import db
    from governance.meetings import operations as meeting_ops
    from governance.meetings.models import Attendance, Participant
    from governance.registry import operations as registry_ops

    started = time.perf_counter()
    # No Redis here: the set-up's own broadcasts (quorum.changed...) need no audience.
    # (Flask-SocketIO binds the event handlers to the first app's server only: a caller that
    # needs them, as vote_path does, passes its own app.)
    app = app or create_app({"EXCOM_DATABASE_URL": database_url, "EXCOM_INSTANCE_PATH": str(instance),
                             "EXCOM_SECRET_KEY": secret, "EXCOM_REDIS_URL": None, "EXCOM_ASYNC_MODE": "threading"})
    with app.app_context():
        chair = auth_ops.create_user(actor=None, name="Bench Chair", email="chair@bench.example.org",
                                     roles=["secretariat"])
        _token, chair_token = auth_ops.issue_personal_token(chair, actor=chair, label="bench chair")
        # A random meeting id: rooms are named after it, so two benchmarks that happen to share
        # one Redis (whose pub/sub ignores database numbers) do not hear each other's events.
        meeting = meeting_ops.create_meeting(
            actor=chair, id=random.randint(100_000, 1_999_999), title=f"Live-vote benchmark, {voters} voters",
            starts_at=datetime(2026, 1, 1, 10, 0, tzinfo=UTC), timezone="UTC",
            quorum={"rule": "majority", "count": None})
        session = meeting_ops.add_session(meeting, actor=chair, title="Plenary", kind="open")
        item = meeting_ops.add_item(session, actor=chair, title="Benchmark motion", kind="motion")
        meeting_ops.add_participant(meeting, actor=chair, user_id=chair.id, group="secretariat", chair=True)
        db.session.commit()

        delegates = []
        for index in range(voters):
            member = registry_ops.create_member(actor=chair, name=f"Bench City {index:05d}", country="",
                                                category="city", status="active", excom=True, office=None)
            user = auth_ops.create_user(actor=chair, name=f"Delegate {index:05d}",
                                        email=f"delegate{index:05d}@bench.example.org", member_id=member.id)
            _token, secret_token = auth_ops.issue_personal_token(user, actor=chair, label="bench")
            delegates.append((user, member.id, secret_token))
            if index % 200 == 199:
                db.session.commit()
        db.session.commit()
        # Participation and check-in rows straight in: add_participant and record_attendance
        # recompute and announce the quorum at each call (O(N) each, O(N^2) for the set-up),
        # which is right for a desk checking people in one by one and pointless here.
        now = datetime.now(UTC)
        for user, _member_id, _secret in delegates:
            db.session.add(Participant(meeting_id=meeting.id, user_id=user.id, group="excom_member", chair=False,
                                       excused=False))
            db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, mode="online", checked_in_at=now,
                                      recorded_by_id=chair.id))
        db.session.commit()
        setup = Setup(meeting_id=meeting.id, item_id=item.id, chair_token=chair_token,
                      voters=[(secret_token, member_id) for _user, member_id, secret_token in delegates],
                      seconds=0.0)
        db.session.remove()
        db.engine.dispose()
    setup.seconds = time.perf_counter() - started
    return setup


# --- the clients -----------------------------------------------------------------------------

@dataclass
class Voter:
    index: int
    token: str
    member_id: int
    server: int
    choice: str
    sio: Any = None  # socketio.AsyncClient, once connected
    own_session: Any = None  # aiohttp.ClientSession of a proxied client
    connect_problem: str | None = None
    opened_at: float | None = None
    progress: int = 0
    sent_at: float | None = None
    ack_at: float | None = None
    ack: dict | None = None
    failure: str | None = None
    closed_at: float | None = None
    closed_result: dict | None = None
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    closed: asyncio.Event = field(default_factory=asyncio.Event)


async def _connect(voter: Voter, url: str, meeting_id: int, session, transports, gate: asyncio.Semaphore,
                   proxied: bool = False):
    import socketio

    headers: dict[str, str] = {}
    if proxied:
        # Through nginx each client is a phone of its own, with its own route cookie; the
        # Engine.IO client sends later polling requests and the upgrade with the cookies of its
        # aiohttp session, so each gets a session (an "unsafe" jar: it keeps cookies for IPs).
        import aiohttp
        from yarl import URL

        jar = aiohttp.CookieJar(unsafe=True)
        jar.update_cookies({"excom_route": secrets.token_hex(16)}, URL(url))
        session = aiohttp.ClientSession(cookie_jar=jar, connector=aiohttp.TCPConnector(ssl=False))
        voter.own_session = session
    sio = socketio.AsyncClient(reconnection=False, http_session=session, handle_sigint=False, ssl_verify=not proxied)
    voter.sio = sio

    def opened(data):
        if voter.opened_at is None:
            voter.opened_at = time.perf_counter()
            voter.opened.set()

    def progress(data):
        voter.progress += 1

    def closed(data):
        if voter.closed_at is None:
            voter.closed_at = time.perf_counter()
            voter.closed_result = (data or {}).get("result")
            voter.closed.set()

    sio.on("poll.opened", opened)
    sio.on("poll.progress", progress)
    sio.on("poll.closed", closed)
    problem = None
    for attempt in range(3):  # as a phone would: try again a moment later
        async with gate:
            try:
                await sio.connect(url, headers=dict(headers), auth={"token": voter.token}, transports=transports,
                                  wait_timeout=60)
                answer = await sio.call("join", {"meeting_id": meeting_id}, timeout=60)
                if isinstance(answer, dict) and answer.get("ok"):
                    return
                problem = f"join answered {answer}"
            except Exception as error:
                problem = f"{error.__class__.__name__}: {error}"
        try:
            await sio.disconnect()
        except Exception:
            pass
        await asyncio.sleep(1 + attempt)
    voter.failure = "connect_failed"
    voter.connect_problem = problem


async def _vote(voter: Voter, poll_id: int, timeout: float) -> None:
    import socketio

    voter.sent_at = time.perf_counter()
    try:
        answer = await voter.sio.call("vote", {"poll_id": poll_id, "choice": voter.choice}, timeout=timeout)
    except socketio.exceptions.TimeoutError:
        voter.failure = "timeout"
        return
    except Exception as error:  # a dropped connection
        voter.failure = f"{error.__class__.__name__}: {error}"
        return
    voter.ack_at = time.perf_counter()
    voter.ack = answer if isinstance(answer, dict) else {"error": {"code": "bad_ack", "message": repr(answer)}}
    if not voter.ack.get("ok"):
        voter.failure = (voter.ack.get("error") or {}).get("code", "error")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _http(session, method: str, url: str, token: str, body: dict | None = None) -> dict:
    async with session.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"}) as response:
        answer = await response.json(content_type=None)
        if response.status >= 400:
            raise BenchError(f"{method} {url} answered {response.status}: {answer}")
        return answer


class Profiler:
    """`py-spy record` on each server during the vote and the close (optional)."""

    def __init__(self, directory: str | None, servers: list[Server], label: str):
        self.processes = []
        if not directory:
            return
        tool = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        if not Path(tool).exists() and not shutil.which(tool):
            raise BenchError("--profile needs py-spy (pip install py-spy)")
        Path(directory).mkdir(parents=True, exist_ok=True)
        for server in servers:
            out = Path(directory) / f"{label}-server{server.index}.txt"
            self.processes.append(subprocess.Popen(
                [tool, "record", "--pid", str(server.pid), "--format", "raw", "--rate", "200", "--nonblocking",
                 "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1.0)  # let it attach

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


async def drive(servers: list[Server], setup: Setup, *, transports: list[str], connect_concurrency: int,
                vote_timeout: float, profile: str | None, label: str, proxy: str | None = None) -> dict:
    import aiohttp

    # Through a proxy the client does not choose its process: nginx does (server -1 below).
    voters = [Voter(index=i, token=token, member_id=member_id, server=-1 if proxy else i % len(servers),
                    choice=CHOICES[i % 3])
              for i, (token, member_id) in enumerate(setup.voters)]
    connector = aiohttp.TCPConnector(limit=0, force_close=False, ssl=False if proxy else True)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=60)
    figures: dict = {}
    # No shared cookie jar: through nginx each client carries a route cookie of its own, as
    # each phone would.
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        # -- connect and join ------------------------------------------------------------------
        gate = asyncio.Semaphore(connect_concurrency)
        started = time.perf_counter()
        await asyncio.gather(*(_connect(v, proxy or servers[v.server].url, setup.meeting_id, session, transports,
                                        gate, proxied=bool(proxy)) for v in voters))
        figures["connect_seconds"] = round(time.perf_counter() - started, 2)
        refused = [v for v in voters if v.failure == "connect_failed"]
        figures["connect_failed"] = len(refused)
        if refused:
            log(f"{len(refused)} clients could not connect and join, e.g. {refused[0].connect_problem}")
        everyone, voters = voters, [v for v in voters if v.failure is None]
        log(f"{len(voters)} clients connected and joined in {figures['connect_seconds']} s")
        figures["connected_rss_kb"] = [s.rss_kb() for s in servers]

        # -- open the poll ---------------------------------------------------------------------
        chair_url = proxy or servers[0].url
        motion = await _http(session, "POST", f"{chair_url}/api/v1/items/{setup.item_id}/motions", setup.chair_token,
                             {"kind": "general", "title": "Benchmark motion", "text": "That the benchmark be run.",
                              "majority": "simple", "secret": False})
        opened_at = time.perf_counter()
        poll = await _http(session, "POST", f"{chair_url}/api/v1/motions/{motion['id']}/polls", setup.chair_token)
        poll_id = poll["id"]
        try:
            await asyncio.wait_for(asyncio.gather(*(v.opened.wait() for v in voters)), 60)
        except TimeoutError:
            pass
        not_opened = sum(1 for v in voters if v.opened_at is None)
        heard = [v.opened_at - opened_at for v in voters if v.opened_at]
        figures["opened_latency_p99"] = rounded(percentile(heard, .99))
        figures["opened_missing"] = not_opened
        log(f"poll {poll_id} open (eligible {poll.get('eligible')}); {not_opened} clients did not hear poll.opened")
        await asyncio.sleep(0.5)  # let the servers settle after the fan-out

        # -- everybody votes at once -----------------------------------------------------------
        # The 2,000 connected clients are this process's heap: a full collection of it stopped all
        # of them for 0.9-2 s in a burst (gc.callbacks, 2026-11-30), delaying acks that phones,
        # each with a heap of its own, would have read at once. They live until the end: keep
        # them out of the collector while the votes are read.
        gc.collect()
        gc.freeze()
        profiler = Profiler(profile, servers, label)
        cpu_before = [s.cpu_seconds() for s in servers], _own_cpu()
        vote_started = time.perf_counter()
        await asyncio.gather(*(_vote(v, poll_id, vote_timeout) for v in voters))
        vote_ended = time.perf_counter()
        cpu_after = [s.cpu_seconds() for s in servers], _own_cpu()
        # Where the CPU went while the votes were cast: two cores are shared by the servers and
        # this process, whose clients are part of the load.
        figures["vote_phase_cpu_seconds"] = {
            "wall": round(vote_ended - vote_started, 3),
            "servers": [round(a - b, 2) if a is not None and b is not None else None
                        for a, b in zip(cpu_after[0], cpu_before[0])],
            "clients": round(cpu_after[1] - cpu_before[1], 2)}
        acked = [v for v in voters if v.ack_at is not None and v.failure is None]
        log(f"{len(acked)} votes acknowledged in {vote_ended - vote_started:.2f} s")
        await asyncio.sleep(0.3)  # trailing progress events

        # -- close and hear the result everywhere ----------------------------------------------
        close_started = time.perf_counter()
        closed_poll = await _http(session, "POST", f"{chair_url}/api/v1/polls/{poll_id}/close", setup.chair_token)
        close_answered = time.perf_counter()
        try:
            await asyncio.wait_for(asyncio.gather(*(v.closed.wait() for v in voters)), 60)
        except TimeoutError:
            pass
        profiler.stop()
        gc.unfreeze()

        for voter in everyone:
            try:
                await voter.sio.disconnect()
            except Exception:
                pass
            if voter.own_session is not None:
                await voter.own_session.close()

    result = closed_poll.get("result") or {}
    figures.update(_verdict(everyone, result, poll_id, vote_started, close_started, servers))
    figures["close_http_seconds"] = round(close_answered - close_started, 4)
    return figures


def _verdict(voters: list[Voter], result: dict, poll_id: int, vote_started: float, close_started: float,
             servers: list[Server]) -> dict:
    # "cast" in a result counts the valid votes (abstentions apart); "ballots" counts them all
    counts = result.get("counts") or {}
    recorded = result.get("ballots")
    if not isinstance(recorded, int):
        recorded = sum(n for n in counts.values() if isinstance(n, int)) if counts else result.get("cast")
    acked = [v for v in voters if v.ack_at is not None and v.failure is None]
    failures = Counter(v.failure for v in voters if v.failure is not None)
    acked_members = {v.member_id for v in acked}
    votes = result.get("votes")
    duplicates = 0
    if isinstance(votes, list):
        in_result = Counter(entry.get("member_id") for entry in votes)
        duplicates = sum(n - 1 for n in in_result.values() if n > 1)
        lost_acked = len(acked_members - set(in_result))
        strangers = len(set(in_result) - {v.member_id for v in voters})
    else:  # a secret poll: compare the counts, choice by choice
        counts = result.get("counts") or {}
        acked_counts = Counter(v.choice for v in acked)
        lost_acked = sum(max(0, acked_counts[c] - int(counts.get(c, 0))) for c in CHOICES)
        strangers = 0
    if isinstance(recorded, int):
        duplicates = max(duplicates, recorded - len(voters))
    acked_counts = Counter(v.choice for v in acked)
    counts_match = all(int(counts.get(c, 0)) == acked_counts[c] for c in CHOICES)
    unacked = sum(failures.values())
    acks = [v.ack_at - v.sent_at for v in acked if v.ack_at is not None and v.sent_at is not None]
    last_ack = max((v.ack_at for v in acked if v.ack_at is not None), default=None)
    seconds = (last_ack - vote_started) if last_ack else None
    heard = [v for v in voters if v.closed_at is not None]
    result_latencies = [v.closed_at - close_started for v in heard if v.closed_at is not None]
    mismatched = sum(1 for v in heard if (v.closed_result or {}).get("counts") != result.get("counts"))
    per_server = []
    buckets = [s.index for s in servers] if all(v.server >= 0 for v in voters) else [-1]
    for index in buckets:
        mine = [v for v in voters if v.server == index]
        per_server.append({
            "server": index if index >= 0 else "via nginx", "clients": len(mine),
            "result_missing": sum(1 for v in mine if v.closed_at is None),
            "result_latency_p99": rounded(percentile([v.closed_at - close_started for v in mine if v.closed_at], .99)),
            "ack_latency_p99": rounded(percentile([v.ack_at - v.sent_at for v in mine
                                               if v.ack_at and v.sent_at is not None and not v.failure], .99)),
        })
    progress = [v.progress for v in voters]
    return {
        "poll_id": poll_id,
        "result_status": result.get("status"),
        "result_counts": counts,
        "recorded": recorded,
        "lost": lost_acked + unacked,
        "lost_acked": lost_acked,
        "unacked": unacked,
        "failures": dict(failures),
        "duplicates": duplicates,
        "strangers": strangers,
        "counts_match": counts_match,
        "seconds_to_record_all": rounded(seconds),
        "votes_per_second": round((recorded or 0) / seconds, 1) if seconds else None,
        "ack_latency_p50": rounded(percentile(acks, .50)),
        "ack_latency_p99": rounded(percentile(acks, .99)),
        "ack_latency_max": rounded(max(acks, default=None)),
        "result_latency_p50": rounded(percentile(result_latencies, .50)),
        "result_latency_p99": rounded(percentile(result_latencies, .99)),
        "result_missing": len(voters) - len(heard),
        "result_mismatched": mismatched,
        "progress_events_per_client": {"min": min(progress, default=0), "max": max(progress, default=0)},
        "per_server": per_server,
    }


# --- the whole run -----------------------------------------------------------------------------

def run(voters: int, *, database: str | None = None, redis: str | None = None, servers: int = 1,
        transport: str = "websocket", connect_concurrency: int = 100, vote_timeout: float = 120,
        profile: str | None = None, keep: bool = False, nginx: bool = False, async_mode: str = "gevent") -> dict:
    if voters < 1 or servers < 1:
        raise BenchError("--voters and --servers must be at least 1")
    if servers > 1 and not redis:
        raise BenchError("several servers share their audience through Redis: give --redis URL")
    if redis:
        import redis as redis_client
        try:
            redis_client.Redis.from_url(redis, socket_connect_timeout=3).ping()
        except Exception as error:
            raise BenchError(f"Redis not reachable at {redis}: {error}") from None
    limit = raise_open_files(max(4096, 2 * voters + 1024))
    if limit < voters + 256:
        log(f"warning: open-files limit {limit} is low for {voters} clients")

    workdir, instance, secret, db = prepare("live-vote", database)
    started_servers: list[Server] = []
    proxy: Nginx | None = None
    label = f"{db.backend}-{voters}-{servers}"
    try:
        env = server_environment(db.url, instance, secret, redis)
        log(f"database {db.backend} ({_safe(db.url)}), work folder {workdir}")
        init_db(env)
        setup = populate(db.url, instance, secret, voters)
        log(f"meeting {setup.meeting_id} with {voters} voting delegates set up in {setup.seconds:.1f} s")
        started_servers = [Server(i, env, workdir, async_mode) for i in range(servers)]
        for server in started_servers:
            server.wait_ready()
        log("servers up: " + ", ".join(f"{s.url} (pid {s.pid})" for s in started_servers))
        if nginx:
            proxy = Nginx(workdir, started_servers)
            log(f"nginx with docs/nginx/excom.conf on {proxy.url}")
        commit = raw_commit_rate(db.url)
        log(f"raw commit rate {commit['commits_per_second']}/s ({commit['settings']})")
        for server in started_servers:
            server.baseline_kb = server.rss_kb()
        load_before = os.getloadavg()  # other work on the machine skews every figure: say how much
        transports = ["websocket"] if transport == "websocket" else ["polling", "websocket"]
        figures = asyncio.run(drive(started_servers, setup, transports=transports,
                                    connect_concurrency=connect_concurrency, vote_timeout=vote_timeout,
                                    profile=profile, label=label, proxy=proxy.url if proxy else None))
        peaks = [s.peak_kb() for s in started_servers]
        baselines = [s.baseline_kb for s in started_servers]
        connected = figures.pop("connected_rss_kb")
        growth = [c - b for c, b in zip(connected, baselines) if c is not None and b is not None]
        peak_growth = [p - b for p, b in zip(peaks, baselines) if p is not None and b is not None]
        rate = commit["commits_per_second"]
        answer = {
            "voters": voters,
            "servers": servers,
            "database": db.backend,
            "redis": bool(redis),
            "transport": transport,
            "via": "nginx" if proxy else "direct",
            "async_mode": async_mode,
            "loadavg_before": [round(x, 2) for x in load_before],
            **{key: figures.pop(key) for key in ("recorded", "lost", "duplicates", "seconds_to_record_all",
                                                 "votes_per_second", "ack_latency_p50", "ack_latency_p99",
                                                 "result_latency_p99")},
            "peak_server_rss_mb": round(sum(p for p in peaks if p) / 1024, 1) if any(peaks) else None,
            "peak_server_rss_mb_per_process": [round(p / 1024, 1) if p else None for p in peaks],
            "idle_server_rss_mb_per_process": [round(b / 1024, 1) if b else None for b in baselines],
            # What holding one more open, joined connection costs a server (RSS after all joined,
            # minus RSS before any connected); the peak includes the vote burst on top.
            "rss_per_client_kb": round(sum(growth) / voters, 1) if growth else None,
            "peak_rss_per_client_kb": round(sum(peak_growth) / voters, 1) if peak_growth else None,
            "raw_commit_rate": rate,
            "ratio": None,
            **figures,
            "raw_commit": commit,
            "setup_seconds": round(setup.seconds, 1),
        }
        answer["ratio"] = round(answer["votes_per_second"] / rate, 4) if answer["votes_per_second"] and rate else None
        return answer
    finally:
        if proxy is not None:
            proxy.stop()
        clear_away(started_servers, db, workdir, keep)


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
