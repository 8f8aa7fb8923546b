"""A request on a kept-alive connection is answered as fast as one on a fresh connection.

Browsers, the chair's console and scripts send every request after the first on a kept-alive
connection. gevent's server writes a response in two sends (headers, then body); with Nagle's
algorithm on, the body waited for the client's delayed ACK of the headers, some 40 ms on Linux,
on every such request (fresh connections escape it). The two paths are compared in one run
against a real `excom serve`; no absolute time is asserted.
"""
import http.client
import statistics
import time

import pytest

from tests.conftest import _migrate
from tests.live import running_server

pytestmark = pytest.mark.live

REQUESTS = 25


def _answer_ms(connection: http.client.HTTPConnection) -> float:
    started = time.perf_counter()
    connection.request("GET", "/api/v1/organisation")
    response = connection.getresponse()
    response.read()
    assert response.status == 200
    return 1000 * (time.perf_counter() - started)


def test_a_kept_alive_request_is_no_slower_than_a_fresh_one(tmp_path):
    url = f"sqlite:///{tmp_path / 'excom.sqlite3'}"
    _migrate(url, str(tmp_path / "migrate"))
    with running_server(url, str(tmp_path / "server")) as server:
        fresh = []
        for _ in range(REQUESTS):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            fresh.append(_answer_ms(connection))
            connection.close()
        kept_alive = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        _answer_ms(kept_alive)  # the connection's first request is a fresh one
        kept = [_answer_ms(kept_alive) for _ in range(REQUESTS)]
        kept_alive.close()
    # without TCP_NODELAY the kept-alive median is ~40 ms above the fresh one
    assert statistics.median(kept) <= statistics.median(fresh) + 10, (fresh, kept)
