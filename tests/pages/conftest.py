"""Browser tests against a real server: `excom init-db`, `excom demo` and `excom serve`
(gevent) in a subprocess on a free port with its own instance folder (SQLite), driven by
headless Chromium through Playwright.

They are skipped, with the reason, where Debian's Chromium or Playwright for Python is missing
(`apt-get install chromium-headless-shell`, `pip install -e '.[test]'`; no `playwright install`:
the system's Chromium is used). Chromium's headless shell (the headless mode Playwright itself
launches by default) is preferred to the whole browser in headless mode: the same scenes of the
voting and pages modules took 10.5 s of Chromium's CPU against 29.1 s. EXCOM_TEST_CHROMIUM names
another executable.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

CHROMIUM = os.environ.get("EXCOM_TEST_CHROMIUM") or next(
    (path for path in ("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium") if Path(path).exists()),
    "/usr/bin/chromium")
DEMO_PASSWORD = "excom-demo"
CHAIR = "seoul@excom.example.org"
SECRETARIAT = "secretary-general@excom.example.org"
DELEGATE = "almaty@excom.example.org"
OBSERVER = "yonhap@excom.example.org"
TIMEOUT = 30  # seconds for one API call: a loaded two-core machine with slow fsyncs is slow, not broken
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _excom() -> list[str]:
    script = Path(sys.executable).with_name("excom")
    return [str(script)] if script.exists() else [sys.executable, "-m", "governance.cli"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(instance: Path, request, commands: list[list[str]], **settings):
    """`excom <command>` for each of `commands` (their outputs are yielded with the URL), then
    `excom serve` on a free port with `settings` (EXCOM_*) on top of the tests' own, until the
    block ends. A server that did not start fails the test with its log; the log's tail is printed
    beside the failures of the session."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCOM_")}
    env.update(EXCOM_INSTANCE_PATH=str(instance), EXCOM_DEMO_PASSWORD=DEMO_PASSWORD,
               EXCOM_LOGIN_RATE_LIMIT="1000 per minute",
               # scrypt for 27 demo accounts would dominate the start-up; the hashing is tested elsewhere
               EXCOM_PASSWORD_METHOD="pbkdf2:sha256:1000", **settings)
    outputs = []
    for command in commands:
        # up to 5 minutes: `excom demo --play` on a loaded machine
        done = subprocess.run(_excom() + command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout)
    port = _free_port()
    log = open(instance / "serve.log", "w")
    server = subprocess.Popen(_excom() + ["serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded two-core CI machine starts slowly
    while True:
        try:
            if requests.get(f"{base}/login", timeout=5).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or too busy to answer in time
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"excom serve did not start:\n{(instance / 'serve.log').read_text()}")
        time.sleep(0.2)
    try:
        yield base, outputs
    finally:
        if os.environ.get("EXCOM_TEST_SERVER_LOG"):  # keep it for a look after the run
            shutil.copyfile(instance / "serve.log", os.environ["EXCOM_TEST_SERVER_LOG"])
        if request.session.testsfailed:  # what the server said, next to the failures
            tail = (instance / "serve.log").read_text(errors="replace")[-6000:]
            sys.stderr.write(f"\n--- excom serve log (tail) ---\n{tail}\n")
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, request):
    """The base URL of a running `excom serve` with the demo meeting loaded."""
    with serving(tmp_path_factory.mktemp("live-instance"), request, [["init-db"], ["demo"]],
                 EXCOM_SECRET_KEY="live-test") as (base, _outputs):
        yield base


class Api:
    """/api/v1 with a bearer token, as a script would call it."""

    def __init__(self, base: str, email: str):
        self.base = base
        answer = requests.post(f"{base}/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD},
                               timeout=TIMEOUT)
        assert answer.status_code == 200, answer.text
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        self.user = answer.json()["user"]

    def get(self, path):
        answer = requests.get(f"{self.base}/api/v1{path}", headers=self.headers, timeout=TIMEOUT)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path, body=None, expect=(200, 201)):
        answer = requests.post(f"{self.base}/api/v1{path}", json=body, headers=self.headers, timeout=TIMEOUT)
        assert answer.status_code in expect, answer.text
        return answer.json()


@pytest.fixture(scope="session")
def live_api(live_server):
    """api(email) -> an Api signed in as that person."""
    cache = {}

    def as_user(email):
        if email not in cache:
            cache[email] = Api(live_server, email)
        return cache[email]
    return as_user


@pytest.fixture(scope="session")
def meeting(live_server, live_api):
    """The demo meeting as the secretariat sees it, with item ids by title."""
    desk = live_api(SECRETARIAT)
    data = min(desk.get("/meetings"), key=lambda m: m["id"])  # `excom demo` made it first; tests add others
    full = desk.get(f"/meetings/{data['id']}")
    open_items = {i["title"]: i["id"] for i in full["sessions"][0]["items"]}
    closed_items = {i["title"]: i["id"] for i in full["sessions"][1]["items"]}
    participants = desk.get(f"/meetings/{data['id']}/participants")
    return {"id": data["id"], "open_items": open_items, "closed_items": closed_items,
            "closed_titles": [i["title"] for i in full["sessions"][1]["items"]] + [full["sessions"][1]["title"]],
            "participants": participants}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium-headless-shell)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright for Python (pip install -e '.[test]')")
    from playwright.sync_api import expect
    # generous for a loaded machine; a passing expectation returns as soon as it holds
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                            # no renderer started ahead for the next page: 69 -> 46
                                            # processes for the voting and pages scenes
                                            "--disable-features=SpareRendererForSitePerProcess"])
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(email, width=..., height=..., locale=...) -> a signed-in Playwright page."""
    contexts = []

    def _open(email, *, width=390, height=844, locale="en-GB", path="/", scale=1):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                      device_scale_factor=scale, base_url=live_server)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"/login?next={path}")
        page.fill("#email", email)
        page.fill("#password", DEMO_PASSWORD)
        page.click("form.card button[type=submit]")
        page.wait_for_url(f"**{path}")
        return page

    yield _open
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    """Kept in docs/screenshots when EXCOM_SCREENSHOTS=1 (the README shows them)."""
    if os.environ.get("EXCOM_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # a phone and a projector as their people see them; the console with all of its page
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=name.startswith(("chair", "secretariat")))
