"""The server's work apart (governance.apart) under gevent: from the server's start and from the
moment a child takes a piece of work, another is started and waiting, with the builder imported,
and it is the one that takes the next piece. Run in a process of its own: gevent's
monkey-patching must not reach the test process."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

SCENE = """
from gevent import monkey; monkey.patch_all()
import json, os
from governance import apart
from governance import create_app
app = create_app({"EXCOM_DATABASE_URL": "sqlite://", "EXCOM_SECRET_KEY": "x" * 64, "EXCOM_REDIS_URL": None})
with app.app_context():
    first = apart.run_apart(os.getpid)
    spare = apart._spare.pid
    second = apart.run_apart(os.getpid)
    print(json.dumps({"server": os.getpid(), "first": first, "spare": spare, "second": second,
                      "next_spare": apart._spare.pid}))
"""


def test_the_next_piece_of_work_goes_to_the_child_already_waiting():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", SCENE], capture_output=True, text=True, timeout=100, cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    pids = json.loads(done.stdout.strip().splitlines()[-1])

    assert pids["first"] not in (pids["server"], pids["spare"])  # the first work: a child of its own
    assert pids["second"] == pids["spare"]  # the second: the child that was waiting for it
    assert pids["next_spare"] not in (pids["first"], pids["second"])  # and another waits for the next


STARTED_SPARE = """
from gevent import monkey; monkey.patch_all()
import json, os
from governance import apart
from governance import create_app
app = create_app({"EXCOM_DATABASE_URL": "sqlite://", "EXCOM_SECRET_KEY": "x" * 64, "EXCOM_REDIS_URL": None})
apart.start_spare()  # as excom serve does at its start
spare = apart._spare.pid
with app.app_context():
    first = apart.run_apart(os.getpid)
    print(json.dumps({"spare": spare, "first": first, "next_spare": apart._spare.pid}))
"""


def test_the_first_piece_of_work_after_the_start_goes_to_the_child_started_with_the_server():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", STARTED_SPARE], capture_output=True, text=True, timeout=100,
                          cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    pids = json.loads(done.stdout.strip().splitlines()[-1])

    assert pids["first"] == pids["spare"]  # no child had to be started for it
    assert pids["next_spare"] != pids["spare"]  # and another was started as it took the work
