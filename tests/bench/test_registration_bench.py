"""`excom bench registration` at five delegates: 25 requests through a real `excom serve`, each
answered as the script expects, and the meeting quorate with all five checked in. Its figures'
shape only, never its speed (that is the benchmark's figure, on the machine that runs it)."""
import pytest

from tests.bench.running import bench

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]


def test_a_script_registers_five_delegates_through_the_api():
    # once, on the benchmark's own default database (SQLite): the subject is what the benchmark
    # prints, and both databases' requests are the suite's (tests/conftest.py)
    figures = bench("registration", "--delegates", "5")

    assert (figures["delegates"], figures["database"], figures["passwords"]) == (5, "sqlite", False)
    assert figures["requests"] == 25 and figures["unexpected_answers"] == {}
    assert figures["seconds"] > 0 and figures["requests_per_second"] > 0
    assert set(figures["latency"]) == {"member", "user", "token", "participant", "attendance"}
    assert all(set(call) == {"p50", "p99", "max"} for call in figures["latency"].values())
    assert figures["quorum"] == {"voting_members": 5, "present": 5, "required": 3, "quorate": True}


def test_the_script_can_give_each_delegate_a_password():
    figures = bench("registration", "--delegates", "2", "--passwords")
    assert figures["passwords"] is True and figures["requests"] == 10 and figures["unexpected_answers"] == {}
