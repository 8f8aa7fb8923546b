"""The background sender of one `excom serve` process, for any outbox.

It runs `drain(app, *kinds)` on each wake-up (mail was committed in this process) and every
`interval` seconds (rows queued by other processes, leases that ran out): one task for every kind
of message (governance/mail/outbox.py's start_sender).
"""
from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable

from governance.extensions import socketio

log = logging.getLogger(__name__)

SWEEP_INTERVAL = 60.0  # seconds between sweeps


class Sender:
    """A drain on each wake-up and every `interval` seconds, in a Socket.IO background task
    (a greenlet under `excom serve`, a thread in tests)."""

    def __init__(self, app, drain: Callable, *, interval: float = SWEEP_INTERVAL, name: str = "outbox"):
        self._app = weakref.ref(app)  # the task ends with its app
        self._drain = drain
        self.name = name
        self.interval = interval
        self._wake = threading.Event()  # a gevent event under `excom serve`'s monkey patching
        self._stopping = False
        self._done = threading.Condition()
        self.passes = 0
        self.task = None
        self.kinds: list = []  # what each pass drains (governance.mail.outbox.Kind), in this order

    def start(self) -> Sender:
        """A service (governance.services): started by start_sender, stopped by stop()."""
        self.task = socketio.start_background_task(self._run)
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self.task is not None:
            self.task.join()

    def wait_for_pass(self, after: int, timeout: float = 30.0) -> bool:
        """Block until pass number `after + 1` has finished (tests)."""
        with self._done:
            return self._done.wait_for(lambda: self.passes > after, timeout)

    def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before the drain: a wake-up during it calls for another pass
            app = self._app()
            if app is None:
                return
            try:
                self._drain(app, *self.kinds)
            except Exception:  # keep the task alive; the rows stay queued for the next pass
                log.exception("could not drain the %s", self.name)
            del app
            with self._done:
                self.passes += 1
                self._done.notify_all()
            self._wake.wait(self.interval)
