"""The agenda's documents and the speakers' list in real browsers against a running server:
a closed-session document is absent for the press on every page and in every event, the desk
attaches and removes documents, a delegate online asks to speak from the phone (390 px), the chair
gives and ends the floor, and the projector shows who speaks with a timer ticking in the browser."""
import re

import pytest
import requests

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect  # noqa: E402

from governance.demo.documents import pdf  # noqa: E402
from tests.pages.conftest import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, TIMEOUT, screenshot  # noqa: E402

pytestmark = pytest.mark.live

ONLINE_DELEGATE = "sao-paulo@excom.example.org"
ANNUAL_REPORT = "2024 WeGO Secretariat Annual Report"
FINANCIAL_REPORT = "2024 Financial Report"


def _online(page):
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")


def _upload(live_server, desk, item_id, title):
    answer = requests.post(f"{live_server}/api/v1/items/{item_id}/documents", headers=desk.headers, timeout=TIMEOUT,
                           data={"title": title}, files={"file": (f"{title}.pdf", pdf(title, ["live test"]))})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_closed_session_document_is_absent_for_the_press_everywhere(open_page, live_api, live_server, meeting):
    desk = live_api(SECRETARIAT)
    agenda_1 = meeting["open_items"]["Review of 2024 WeGO Secretariat Annual Report"]
    agenda_6 = meeting["closed_items"]["Review of 2024 Financial Report"]
    financial = desk.get(f"/items/{agenda_6}/documents")[0]
    assert financial["title"] == FINANCIAL_REPORT

    press = open_page(OBSERVER, path=f"/meetings/{meeting['id']}")
    member = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
    for page in (press, member):
        _online(page)
    # the board pack under its items: the press has the annual report only
    expect(press.locator(f'[data-documents-for="{agenda_1}"] a', has_text=ANNUAL_REPORT)).to_be_visible()
    expect(member.locator(f'[data-documents-for="{agenda_6}"] a', has_text=FINANCIAL_REPORT)).to_be_visible()
    assert FINANCIAL_REPORT not in press.content() and financial["sha256"] not in press.content()

    # documents attached now arrive live, each only where it may be seen
    secret = _upload(live_server, desk, agenda_6, "CLOSED-LIVE reserve plan")
    public = _upload(live_server, desk, agenda_1, "Open live annex")
    expect(press.locator(f'[data-documents-for="{agenda_1}"] a', has_text="Open live annex")).to_be_visible()
    expect(member.locator(f'[data-documents-for="{agenda_6}"] a', has_text="CLOSED-LIVE reserve plan")).to_be_visible()
    assert "CLOSED-LIVE" not in press.content()
    press.reload()
    _online(press)
    assert "CLOSED-LIVE" not in press.content() and FINANCIAL_REPORT not in press.content()

    # and through the press's own browser session: the closed ones do not exist
    assert press.request.get(f"/api/v1/documents/{secret['id']}").status == 404
    assert press.request.get(f"/api/v1/documents/{financial['id']}").status == 404
    assert press.request.get(f"/api/v1/items/{agenda_6}/documents").status == 404
    seen = press.request.get(f"/api/v1/meetings/{meeting['id']}").text()
    assert "CLOSED-LIVE" not in seen and FINANCIAL_REPORT not in seen and ANNUAL_REPORT in seen
    opened = press.request.get(f"/api/v1/documents/{public['id']}")
    assert opened.status == 200 and opened.body().startswith(b"%PDF-")
    assert opened.headers["content-disposition"].startswith("attachment")
    assert press.errors == [] and member.errors == []


def test_the_desk_attaches_and_removes_a_document(open_page, live_api, meeting, tmp_path):
    agenda_1 = meeting["open_items"]["Review of 2024 WeGO Secretariat Annual Report"]
    desk = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/desk")
    _online(desk)
    paper = tmp_path / "budget-notes.pdf"
    paper.write_bytes(pdf("Budget notes", ["for the desk test"]))
    desk.select_option("#document-item", str(agenda_1))
    desk.fill("#document-title", "Budget notes from the desk")
    desk.set_input_files("#document-file", str(paper))
    desk.click("#document-form button[type=submit]")
    expect(desk.locator("#document-status")).to_contain_text("Budget notes from the desk")
    row = desk.locator("#documents-list tr", has_text="Budget notes from the desk")
    expect(row).to_have_count(1)
    # a file that is not what it claims is refused with the reason beside the form
    fake = tmp_path / "report.pdf"
    fake.write_text("<html>not a pdf</html>")
    desk.fill("#document-title", "Fake")
    desk.set_input_files("#document-file", str(fake))
    desk.click("#document-form button[type=submit]")
    expect(desk.locator("#documents-error")).to_contain_text("accepted types")
    row.locator("[data-delete-document]").click()
    expect(row).to_have_count(0)
    titles = [d["title"] for d in live_api(SECRETARIAT).get(f"/items/{agenda_1}/documents")]
    assert "Budget notes from the desk" not in titles and "Fake" not in titles and ANNUAL_REPORT in titles
    assert desk.errors == []


def test_a_delegate_online_asks_to_speak_and_the_chair_gives_and_ends_the_floor(open_page, live_api, meeting):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    agenda_1 = meeting["open_items"]["Review of 2024 WeGO Secretariat Annual Report"]
    online = next(p for p in meeting["participants"] if p["affiliation"] == "São Paulo")
    desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": online["user_id"], "mode": "online"})
    chair.post(f"/items/{agenda_1}/activate")

    phone = open_page(ONLINE_DELEGATE, path=f"/meetings/{meeting['id']}", scale=2)
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    screen = open_page(SECRETARIAT, width=1280, height=720, path=f"/meetings/{meeting['id']}/screen")
    for page in (phone, console, screen):
        _online(page)
    expect(phone.locator("#speakers")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    phone.click("button[data-speak=speech][data-mode=online]")
    expect(phone.locator("#speakers-mine-text")).to_have_text(re.compile(r"You are number \d+ in the queue\."))
    entry = console.locator("#speaker-queue li", has_text=online["name"])
    expect(entry).to_contain_text("Online")
    screenshot(phone, "delegate-phone-speakers")
    entry.get_by_role("button", name="Give the floor").click()

    expect(phone.locator("#speakers-mine-text")).to_have_text("You have the floor.")
    expect(screen.locator("#speakers")).to_be_visible()
    expect(screen.locator("#floor-who")).to_contain_text(online["name"])
    timer = screen.locator("#floor-timer")
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d of 3:00$"))
    expect(timer).to_have_attribute("data-elapsed", re.compile(r"^[1-9]\d*$"))  # it ticks, in the browser
    expect(console.locator("#floor-who")).to_contain_text(online["name"])
    screenshot(screen, "projector-speaker")

    console.click("#floor-stop")
    expect(screen.locator("#speakers")).to_be_hidden()
    expect(phone.locator("#floor-who")).to_have_text("Nobody has the floor.")
    expect(phone.locator("#speakers-mine")).to_be_hidden()
    listed = desk.get(f"/items/{agenda_1}/speakers")
    mine = [e for e in listed if e["user_id"] == online["user_id"]]
    assert mine[-1]["status"] == "done" and mine[-1]["mode"] == "online" and mine[-1]["ended_at"]
    for page in (phone, console, screen):
        assert page.errors == []


def test_a_question_in_writing_reaches_the_console_and_is_marked_answered(open_page, live_api, meeting):
    chair = live_api(CHAIR)
    agenda_1 = meeting["open_items"]["Review of 2024 WeGO Secretariat Annual Report"]
    chair.post(f"/items/{agenda_1}/activate")
    phone = open_page(OBSERVER, path=f"/meetings/{meeting['id']}", locale="ru-RU")
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    for page in (phone, console):
        _online(page)
    expect(phone.locator("#speakers-heading")).to_have_text("Список выступающих")
    assert phone.locator("button[data-speak=point_of_order]").count() == 0  # the press raises no point of order
    phone.fill("#question-text", "Will the report be published in Russian?")
    phone.click("#question-form button[type=submit]")
    entry = console.locator("#speaker-queue li", has_text="Will the report be published in Russian?")
    expect(entry).to_be_visible()
    expect(phone.locator("#speaker-queue li", has_text="Will the report be published in Russian?")).to_be_visible()
    entry.get_by_role("button", name="Answered").click()
    expect(entry).to_have_count(0)
    expect(phone.locator("#speaker-queue li", has_text="Will the report be published in Russian?")).to_have_count(0)
