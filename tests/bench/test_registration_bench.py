"""`excom bench registration` at five delegates: 25 requests through a real `excom serve`, each
answered as the script expects, and the meeting quorate with all five checked in. Its figures'
shape only, never its speed (that is the benchmark's figure, on the machine that runs it)."""
import os

import pytest

from tests.bench.running import bench, skip_without_postgresql

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]

POSTGRES_ADMIN_URL = os.environ.get("EXCOM_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_script_registers_five_delegates_through_the_api(database):
    if database == "postgresql":
        skip_without_postgresql(POSTGRES_ADMIN_URL)
    figures = bench("registration", "--delegates", "5",
                    *(["--database", POSTGRES_ADMIN_URL] if database == "postgresql" else []))

    assert (figures["delegates"], figures["database"], figures["passwords"]) == (5, database, False)
    assert figures["requests"] == 25 and figures["unexpected_answers"] == {}
    assert figures["seconds"] > 0 and figures["requests_per_second"] > 0
    assert set(figures["latency"]) == {"member", "user", "token", "participant", "attendance"}
    assert all(set(call) == {"p50", "p99", "max"} for call in figures["latency"].values())
    assert figures["quorum"] == {"voting_members": 5, "present": 5, "required": 3, "quorate": True}


def test_the_script_can_give_each_delegate_a_password():
    figures = bench("registration", "--delegates", "2", "--passwords")
    assert figures["passwords"] is True and figures["requests"] == 10 and figures["unexpected_answers"] == {}
