"""The background services of one app in one process, with one lifecycle: started explicitly
by `excom serve` (governance.serve, through governance.start_services) and stopped by it and
by the tests (tests/conftest.py).

A service is anything with `start()` and `stop()`:

- governance.realtime.ConnectionWatch: the sweep of open connections, and the rights
  channel's listener (with EXCOM_REDIS_URL);
- voting.ballot_box.BallotBox: the writer that records the phones' votes in batches;
- voting.progress.ProgressCoalescer: the few `poll.progress` broadcasts a second;
- governance.mail.sender.Sender: the outbox's sender, one for every kind of e-mail (the
  general mail and the memorandum's copies, with EXCOM_SMTP_URL).

The realtime ones are also started on first use (a test app that never ran `excom serve`
still records votes); each is kept once per app in `app.extensions`. `stop()` ends its
task(s) at their next turn, drops what they had not done yet (a progress count) and makes
them touch neither the app nor its database again; stopping twice does nothing.
"""
from __future__ import annotations

from typing import Protocol, TypeVar

KEY = "excom_services"


class Service(Protocol):
    def start(self) -> object:
        """Start its background task(s) (Socket.IO's: a greenlet under serve, a thread in tests)."""

    def stop(self) -> None:
        """End them: nothing more runs against the app or its database."""


S = TypeVar("S", bound=Service)


def run(app, service: S) -> S:
    """Start `service` and keep it among the app's services (stop_all stops it)."""
    app.extensions.setdefault(KEY, []).append(service)
    service.start()
    return service


def running(app) -> list[Service]:
    return list(app.extensions.get(KEY, ()))


def stop_all(app) -> None:
    """Stop every service of the app, the last started first."""
    services = app.extensions.get(KEY, [])
    while services:
        services.pop().stop()

