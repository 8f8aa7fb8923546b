"""Heavy work apart from the server's event loop: in a child process.

`excom serve` answers every page, vote and socket of a process on one thread (gevent). A call
that computes for seconds (the memorandum build, drawing an uploaded SVG) would hold all of them
for its whole length, as a 100,000-character note once held every vote for 20 s. A worker thread
would not be enough: it shares the interpreter lock with that one thread, and every request then
waits for the lock at each of its reads and writes. A child process has an interpreter of its
own; the request's greenlet only waits on a pipe, which gevent turns into a yield, so the other
requests go on meanwhile.

Under gevent SQLite's write lock must not be held across that wait either (see
governance.boundary): `run_apart` ends the caller's transaction first. The caller must not have
written anything yet, and reloads what it needs afterwards.

Without gevent (the test client, `--async-mode threading`) there is no event loop to spare, and
the work runs in the calling thread, after the same end of the transaction. So does it when
EXCOM_APART=inline, which only `excom bench memorandum --inline` sets, to measure the difference.
"""
import importlib
import logging
import os
import pickle
import subprocess
import sys
import threading
import traceback
from pathlib import Path

from governance.refusal import ApiError  # not governance.errors: the child would import Flask for it

log = logging.getLogger(__name__)

MOST_AT_ONCE = 2  # child processes per server process; more would only share the same cores
TIMEOUT = 300.0  # seconds; a build of the largest meeting takes a few
NICENESS = 10  # the child's scheduling priority below the server's
_ROOT = str(Path(__file__).resolve().parent.parent)  # where governance, motions, minutes are
_turns = threading.BoundedSemaphore(MOST_AT_ONCE)  # gevent's own once monkey-patched


def _under_gevent() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("subprocess")


def end_transaction() -> None:
    """End the caller's database transaction, which must hold no change of its own."""
    from governance.extensions import db
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("run_apart after a change: commit or flush-free reads only")
    session.rollback()


def run_apart(function, *args):
    """`function(*args)`, computed in a child process under gevent, in this thread otherwise.
    `function` is a module-level function; its arguments and result are pickled. An ApiError it
    raises is raised here; any other exception too, when it can be pickled."""
    end_transaction()
    if not _under_gevent() or os.environ.get("EXCOM_APART") == "inline":
        return function(*args)
    payload = pickle.dumps((function.__module__, function.__qualname__, args), protocol=pickle.HIGHEST_PROTOCOL)
    env = _child_environment()
    with _turns:
        child = _take_child(env)
        _keep_spare(env)  # now, not after the work: it starts on the other core while this one works
        try:
            stdout, stderr = child.communicate(payload, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise
    if child.returncode != 0 or not stdout:
        raise RuntimeError(f"{function.__qualname__} failed apart (exit {child.returncode}): "
                           f"{stderr.decode(errors='replace')[-2000:]}")
    outcome, value = pickle.loads(stdout)
    if outcome == "done":
        return value
    if outcome == "refused":
        raise ApiError(*value)
    if outcome == "raised":
        raise value
    raise RuntimeError(f"{function.__qualname__} failed apart: {value}")


# A child started and waiting on its stdin, its interpreter up and PRELOADED imported: started
# at the server's start (start_spare) and again whenever one takes its work. Starting Python and
# importing python-docx and the builder took ~0.35 s of CPU (0.17 s since the child imports no
# Flask; over a second at nice 10 on a loaded machine), a third of building a memorandum of 200
# members and 20 named votes. Started as the work is handed over rather than after it, the next
# one is ready for a build that follows at once (it starts on the other core while this one
# builds). Each child still does one piece of work and ends, so memory goes back after each
# build; the spare costs one idle process (~47 MB, its read-ahead included) per server.
_spare: subprocess.Popen | None = None
# (module, its function to call once imported, or None): what a build reads first, read ahead
PRELOADED = (("minutes.builder", "warm_up"), ("motions.images", None))  # images: the header's logo


def start_spare() -> None:
    """Have a child started and waiting from now (`excom serve` calls it at its start), so that
    the first build after a start needs no child's start either. Nothing without gevent, or
    with EXCOM_APART=inline: the work runs in the calling thread then."""
    if _under_gevent() and os.environ.get("EXCOM_APART") != "inline":
        _keep_spare(_child_environment())


def _child_environment() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")]))}


def _child_process(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "governance.apart"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _take_child(env: dict) -> subprocess.Popen:
    """The spare child if it is still there, else a new one."""
    global _spare
    child, _spare = _spare, None
    if child is not None and child.poll() is None:
        return child
    return _child_process(env)


def _keep_spare(env: dict) -> None:
    global _spare
    if _spare is None:
        _spare = _child_process(env)


def _child() -> None:
    """The child's side: read (module, function, args), write ("done", result), ("refused",
    an ApiError's fields), ("raised", an exception) or ("failed", its traceback). Nothing to
    read (the server ended while this child was its spare): end."""
    try:
        os.nice(NICENESS)  # the server's own requests (votes, pages) go first on a busy machine
    except OSError:
        pass
    for preloaded, warm_up in PRELOADED:  # while no work is waiting: see _spare
        module = importlib.import_module(preloaded)
        if warm_up is not None:
            getattr(module, warm_up)()
    work = sys.stdin.buffer.read()
    if not work:
        return
    module, name, args = pickle.loads(work)
    try:
        answer = ("done", getattr(importlib.import_module(module), name)(*args))
    except ApiError as refusal:
        answer = ("refused", (refusal.status, refusal.code, refusal.message, refusal.fields))
    except Exception as error:  # noqa: BLE001 (handed to the parent, which decides)
        answer = ("raised", error)
        try:
            pickle.dumps(error)
        except Exception:  # noqa: BLE001
            answer = ("failed", traceback.format_exc())
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()


if __name__ == "__main__":
    _child()
    sys.stdout.flush()
    sys.stderr.flush()
    # The parent reads until this process ends: its answer is written, so end it without the
    # interpreter's teardown (freeing every module and cache one by one, ~2 % of a build's CPU).
    os._exit(0)
