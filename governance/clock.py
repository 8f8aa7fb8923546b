"""The one clock the record is written by.

Every timestamp the platform stores (column defaults, audit events, polls opened and closed)
comes from `now()`, an aware UTC datetime. It reads the real clock unless a stand-in is
running: `excom demo --play` runs the EXCOM 2024 meeting on its own day with a simulated
clock (minutes.demo_play), so that a poll is opened and closed at the times the play says.

The stand-in is injected here, in one place, rather than patched into modules: a column
default captured `utcnow` at import time, and patching the modules that import it missed those
(the played demo had polls opened in 2026 and closed in 2024). The stand-in is a context variable: it
holds for the code the play runs, not for other threads or greenlets of the process.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# a context variable: a stand-in set by one thread (or greenlet) is not another's time
_stand_in: ContextVar[Callable[[], datetime] | None] = ContextVar("excom_clock", default=None)


def now() -> datetime:
    """The current time, aware, in UTC (the stand-in's while one runs)."""
    stand_in = _stand_in.get()
    if stand_in is not None:
        return stand_in()
    return datetime.now(UTC)


@contextmanager
def running(stand_in: Callable[[], datetime]) -> Iterator[None]:
    """`now()` answers `stand_in()` inside the block. Raises RuntimeError if one already runs."""
    if _stand_in.get() is not None:
        raise RuntimeError("another clock already stands in for the real one")
    token = _stand_in.set(stand_in)
    try:
        yield
    finally:
        _stand_in.reset(token)
