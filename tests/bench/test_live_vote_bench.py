"""The live-vote benchmark at 50 voters, end to end: real `excom serve` processes, real
Socket.IO clients, one poll. It checks that nothing was lost and nothing counted twice,
never how fast (speed is the benchmark's figure, on the machine that runs it, not a test's)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.live, pytest.mark.timeout(180)]

POSTGRES_ADMIN_URL = os.environ.get("EXCOM_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("EXCOM_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _bench(*args: str) -> dict:
    script = Path(sys.executable).with_name("excom")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from governance.cli import main; main()"]
    done = subprocess.run([*command, "bench", "live-vote", *args], capture_output=True, text=True, timeout=170)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no figures (exit {done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}"
    return json.loads(lines[-1])


def _assert_nothing_lost(figures: dict, voters: int) -> None:
    assert figures["voters"] == voters
    assert figures["lost"] == 0, figures
    assert figures["duplicates"] == 0, figures
    assert figures["recorded"] == voters, figures
    assert figures["counts_match"] is True, figures
    assert figures["result_missing"] == 0, figures  # every client heard poll.closed
    assert figures["result_mismatched"] == 0, figures
    assert figures["raw_commit_rate"] > 0


def test_fifty_voters_on_sqlite_one_server():
    figures = _bench("--voters", "50")
    _assert_nothing_lost(figures, 50)
    assert figures["database"] == "sqlite" and figures["servers"] == 1


def _unreachable() -> str | None:
    import psycopg
    import redis

    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({error.__class__.__name__})"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis not reachable at {REDIS_URL} ({error.__class__.__name__})"
    return None


def test_fifty_voters_on_postgresql_two_servers_with_redis():
    reason = _unreachable()
    if reason:
        pytest.skip(reason)
    figures = _bench("--voters", "50", "--database", POSTGRES_ADMIN_URL, "--redis", REDIS_URL, "--servers", "2")
    _assert_nothing_lost(figures, 50)
    assert figures["database"] == "postgresql" and figures["servers"] == 2
    # the result reached the clients of the process that did not close the poll, through Redis
    assert [s["clients"] for s in figures["per_server"]] == [25, 25]
    assert all(s["result_missing"] == 0 for s in figures["per_server"])
