"""Real `excom serve` processes for tests that need a running server and real clients."""
import hashlib
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, process, port):
        self.process, self.port = process, port
        self.url = f"http://127.0.0.1:{port}"

    def api(self, method, path, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, f"{self.url}/api/v1{path}", headers=headers, timeout=60, **kwargs)

    def login(self, email, password="excom-demo") -> str:
        answer = self.api("POST", "/auth/login", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.text
        return answer.json()["token"]


    def output(self) -> str:
        """Everything the server printed or logged; only once it has stopped."""
        if self.log is not None:
            return Path(self.log).read_text(errors="replace")
        return self.process.stdout.read().decode(errors="replace")

    log: str | None = None


@contextmanager
def running_server(database_url: str, instance: str, redis_url: str | None = None, log_level: str = "WARNING",
                   log: str | None = None, **environment):
    """`excom serve` on a free port. Its output goes to a pipe read once it has stopped, or to
    the file `log` (a server that outlives one test must not fill a pipe nobody reads).
    `environment` adds EXCOM_* settings, e.g. EXCOM_LOGIN_RATE_LIMIT."""
    port = free_port()
    env = {**os.environ, "EXCOM_DATABASE_URL": database_url, "EXCOM_INSTANCE_PATH": instance,
           "EXCOM_SECRET_KEY": "test-secret", "EXCOM_PASSWORD_METHOD": "pbkdf2:sha256:1000",
           "EXCOM_LOG_LEVEL": log_level, **environment}
    if redis_url:
        env["EXCOM_REDIS_URL"] = redis_url
        # the servers of one test share the database, and so this channel; another test (or
        # another run on this machine) has a database and a channel of its own
        env["EXCOM_REDIS_CHANNEL"] = "excom-test-" + hashlib.sha256(database_url.encode()).hexdigest()[:12]
    output = open(log, "wb") if log else subprocess.PIPE
    process = subprocess.Popen([sys.executable, "-m", "governance.serve", "--port", str(port)], env=env,
                               stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, port)
    server.log = log
    try:
        deadline = time.monotonic() + 90  # a loaded two-core machine starts slowly
        while True:
            try:
                requests.get(server.url + "/api/v1/organisation", timeout=5)
                break
            except requests.RequestException as err:  # not listening yet, or too busy to answer in time
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait(10)
                    raise RuntimeError(f"server did not start: {server.output()[-2000:]}") from err
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            output.close()
