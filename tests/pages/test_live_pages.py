"""The pages in a real browser against a running server: sign-in, the delegate's phone,
the observer's view, the Russian page, the live agenda and a reconnect."""
import re
from pathlib import Path

import pytest

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect  # noqa: E402

from tests.pages.conftest import CHAIR, DELEGATE, OBSERVER, SECRETARIAT

pytestmark = pytest.mark.live

PO_FILE = Path(__file__).resolve().parents[2] / "governance" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"


def _online(page):
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")


def _activate(live_api, item_id):
    live_api(CHAIR).post(f"/items/{item_id}/activate")


def test_a_delegate_signs_in_on_a_phone_and_follows_the_current_item_live(open_page, live_api, meeting):
    page = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
    _online(page)
    items = len(meeting["open_items"]) + len(meeting["closed_items"])
    expect(page.locator(".agenda-item")).to_have_count(items)  # a voting delegate sees the closed session too

    item = meeting["open_items"]["Group Photo"]
    _activate(live_api, item)
    expect(page.locator(".agenda-item.is-current")).to_have_attribute("data-item-id", str(item))
    expect(page.locator("#now-item")).to_have_text("Group Photo")
    expect(page.locator(".agenda-item.is-current")).to_have_attribute("aria-current", "step")

    closed = meeting["closed_items"]["Review of 2024 Financial Report"]
    _activate(live_api, closed)
    expect(page.locator(".agenda-item.is-current")).to_have_attribute("data-item-id", str(closed))
    expect(page.locator(".agenda-item.is-current")).to_have_count(1)

    # a 390 px phone never scrolls sideways, nor does a 360 px one
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not page.errors


def test_a_wrong_password_is_refused_and_pages_need_a_sign_in(browser, live_server, meeting):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.goto(f"/meetings/{meeting['id']}/chair")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#email", DELEGATE)
    page.fill("#password", "not the password")
    page.click("form.card button[type=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    context.close()


def test_an_observer_never_sees_the_closed_session(open_page, live_api, meeting):
    page = open_page(OBSERVER, path=f"/meetings/{meeting['id']}")
    _online(page)

    def assert_nothing_closed():
        html = page.content()
        for title in meeting["closed_titles"]:
            assert title not in html

    expect(page.locator(".agenda-item")).to_have_count(len(meeting["open_items"]))
    assert_nothing_closed()
    opening = meeting["open_items"]["Introduction of Participants and Overview of the Meeting Schedule"]
    _activate(live_api, opening)
    expect(page.locator("#now-item")).to_contain_text("Introduction of Participants")

    _activate(live_api, meeting["closed_items"]["Annual Assessment of WeGO Regional Offices"])
    expect(page.locator("#now-item")).to_have_text("No item is under discussion right now.")
    expect(page.locator(".agenda-item.is-current")).to_have_count(0)
    assert_nothing_closed()
    page.reload()  # the true state from the server, not only from the events
    _online(page)
    expect(page.locator(".agenda-item.is-current")).to_have_count(0)
    assert_nothing_closed()

    # the observer's own calls are refused the chair's and the secretariat's pages
    assert page.goto(f"/meetings/{meeting['id']}/chair").status == 403
    assert page.goto(f"/meetings/{meeting['id']}/desk").status == 403
    assert not page.errors


def _english_ui_strings() -> list[str]:
    """The msgids of the Russian catalogue: none of them may show on a Russian page."""
    ids = re.findall(r'^msgid "(.+)"$', PO_FILE.read_text(encoding="utf-8"), re.M)
    fragments = []
    for msgid in ids:
        for fragment in re.split(r"%\(\w+\)s", msgid):
            fragment = fragment.strip(" :.,;·")
            if len(fragment) >= 2:
                fragments.append(fragment)
    return fragments


def assert_all_russian(page, meeting_data_strings):
    text = page.inner_text("body")
    for data in sorted(meeting_data_strings, key=len, reverse=True):
        text = text.replace(data, " ")
    leftovers = [s for s in _english_ui_strings() if re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text)]
    assert not leftovers, f"untranslated on the Russian page: {leftovers}"
    assert not re.search(r"\b[a-z]+(_[a-z]+)+\b", text), "a raw message key shows on the page"
    assert re.search(r"[А-Яа-я]", text)


@pytest.fixture
def data_strings(live_api, meeting):
    """What the meeting's data says (titles, names, places): not the interface's to translate."""
    desk = live_api(SECRETARIAT)
    full = desk.get(f"/meetings/{meeting['id']}")
    strings = [full["title"], full["venue"], full["timezone"], "WeGO", "EXCOM", "English"]
    for session in full["sessions"]:
        strings += [session["title"], session["venue"]]
        strings += [item["title"] for item in session["items"]]
        strings += [item["number"] for item in session["items"] if item["number"]]
        for item in session["items"]:  # the board pack's documents are named by whoever uploaded them
            strings += [document[key] for document in desk.get(f"/items/{item['id']}/documents")
                        for key in ("title", "filename")]
            # motions other scenes on this server moved, in their movers' words (a delegate's page
            # lists the decisions once the meeting is adjourned)
            for motion in desk.get(f"/items/{item['id']}/motions"):
                strings += [motion["title"], motion["text"], *(motion.get("subjects") or [])]
    for person in meeting["participants"]:
        strings += [person["name"], person["affiliation"], person["title"]]
    return [s for s in strings if s]


def test_the_russian_delegate_page_has_no_untranslated_text(open_page, live_api, meeting, data_strings):
    page = open_page(DELEGATE, locale="ru-RU", path=f"/meetings/{meeting['id']}")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    _online(page)
    expect(page.locator("#connection")).to_have_text("На связи")
    assert_all_russian(page, data_strings)
    # the switch goes back to English and remembers it
    page.click("a.lang-link[lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#agenda-heading")).to_have_text("Agenda")
    page.click("a.lang-link[lang=ru]")
    expect(page.locator("#agenda-heading")).to_have_text("Повестка дня")


def test_the_phone_reconnects_by_itself_and_shows_the_true_state(open_page, live_api, meeting):
    page = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
    _online(page)
    first = meeting["open_items"]["Opening Announcement and Welcome Remarks by Almaty"]
    _activate(live_api, first)
    expect(page.locator("#now-item")).to_contain_text("Opening Announcement")

    page.context.set_offline(True)
    page.evaluate("Excom.socket.io.engine.close()")  # the network drops
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    later = meeting["open_items"]["Review of 2024 WeGO Secretariat Annual Report"]
    _activate(live_api, later)  # missed while offline
    page.context.set_offline(False)
    _online(page)
    expect(page.locator("#now-item")).to_contain_text("Review of 2024 WeGO Secretariat Annual Report")
    expect(page.locator(".agenda-item.is-current")).to_have_attribute("data-item-id", str(later))


def test_the_check_in_desk_finds_people_by_name_and_the_console_follows(open_page, live_api, meeting):
    desk = open_page(SECRETARIAT, width=1280, height=900, path=f"/meetings/{meeting['id']}/desk")
    console = open_page(CHAIR, width=1280, height=900, path=f"/meetings/{meeting['id']}/chair")
    _online(desk)
    _online(console)
    kampala = next(p for p in meeting["participants"] if p["affiliation"] == "Kampala")
    live_api(SECRETARIAT).post(f"/meetings/{meeting['id']}/attendance",
                               {"user_id": kampala["user_id"], "present": False})
    row = desk.locator(f'#checkin-list [data-user-id="{kampala["user_id"]}"]')
    console_row = console.locator(f'#present-list [data-user-id="{kampala["user_id"]}"]')
    expect(console_row).to_have_class(re.compile("is-absent"))

    desk.fill("#search", "kisaka")
    expect(desk.locator("#checkin-list .person:visible")).to_have_count(1)
    row.locator('[data-checkin="online"]').click()
    expect(row.locator("[data-presence]")).to_have_text("Online")
    expect(console_row).to_have_class(re.compile("is-present"))
    expect(console_row.locator("[data-presence]")).to_have_text("Online")

    # a personal access link for her phone: opened, one click, and she is on the meeting page
    row.locator("[data-access-link]").click()
    link = row.locator(".access-url")
    expect(link).to_have_value(re.compile(r"/login/link/[\w-]{20,}$"))
    phone = desk.context.browser.new_context(viewport={"width": 390, "height": 844})
    her = phone.new_page()
    her.goto(link.input_value())
    expect(her.locator(".person-name")).to_contain_text("Dorothy Kisaka")
    her.get_by_role("button", name=re.compile("Continue as")).click()
    expect(her).to_have_url(re.compile(rf"/meetings/{meeting['id']}$"))
    _online(her)
    phone.close()

    desk.fill("#search", "nobody by this name")
    expect(desk.locator("#no-match")).to_be_visible()
    expect(desk.locator("#registry tbody tr")).to_have_count(len(live_api(SECRETARIAT).get("/members")))
    assert not desk.errors and not console.errors
