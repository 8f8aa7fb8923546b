"""The assessment of the regional offices in real browsers: a delegate scores the six offices
on a phone (390 px, one sheet, the scale as large buttons), the chair's console shows the
table and the projector its bars."""
import pytest

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.live

from tests.pages.conftest import CHAIR, DELEGATE, SECRETARIAT, screenshot  # noqa: E402
from tests.pages.test_live_pages import assert_all_russian, data_strings  # noqa: E402,F401  (fixture)

AGENDA_5 = "Annual Assessment of WeGO Regional Offices"
OFFICES = ["East Asia (Chengdu)", "Mediterranean (Beyoğlu)", "Africa (Abuja)", "Latin America (Cuenca)",
           "Middle East & North Africa (Abu Dhabi)", "Central Asia (Almaty)"]
RUSSIAN_DELEGATE = "kampala@excom.example.org"


def _online(page):
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")


@pytest.fixture
def assessment(live_api, meeting):
    """Every EXCOM delegate checked in, Agenda 5 the current item; its assessment (the demo's)."""
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    emails = {}
    for person in meeting["participants"]:
        if person["group"] == "excom_member":
            desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": person["user_id"], "mode": "in_person"})
            emails[person["affiliation"]] = desk.get(f"/users/{person['user_id']}")["email"]
    item = meeting["closed_items"][AGENDA_5]
    chair.post(f"/items/{item}/activate")
    motion = next(m for m in desk.get(f"/items/{item}/motions") if m["kind"] == "assessment")
    opened = []  # a test that fails half-way must not leave its poll open (one open poll per meeting)
    yield motion, emails, opened
    for poll_id in opened:
        if chair.get(f"/polls/{poll_id}")["status"] == "open":
            chair.post(f"/polls/{poll_id}/close")


def test_a_delegate_scores_the_offices_on_the_phone_and_the_console_shows_the_table(
        open_page, live_api, meeting, assessment, data_strings):
    motion, emails, opened = assessment
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    phone = open_page(DELEGATE, path=f"/meetings/{meeting['id']}", scale=2)  # 390 px wide
    russian = open_page(RUSSIAN_DELEGATE, locale="ru-RU", path=f"/meetings/{meeting['id']}")
    screen = open_page(SECRETARIAT, width=1280, height=720, path=f"/meetings/{meeting['id']}/screen")
    for page in (console, phone, russian, screen):
        _online(page)

    console.click(f'[data-open-poll="{motion["id"]}"]')
    expect(phone.locator("#poll")).to_have_attribute("data-status", "open")
    poll_id = int(phone.locator("#poll").get_attribute("data-poll-id"))
    opened.append(poll_id)

    # one screen: a row per office, the scale 1-5 as buttons; the sheet goes only when complete
    rows = phone.locator(".sheet-row")
    expect(rows).to_have_count(6)
    expect(phone.locator(".sheet-subject")).to_have_text(OFFICES)
    expect(rows.nth(0).locator(".score")).to_have_text(["1", "2", "3", "4", "5"])
    assert rows.nth(0).locator(".score").first.bounding_box()["height"] >= 44  # a thumb's target
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    expect(phone.locator("#submit-sheet")).to_be_disabled()
    for index, score in enumerate((5, 4, 4, 3, 4, 5)):
        rows.nth(index).locator(f'[data-score="{score}"]').click()
        expect(rows.nth(index).locator(f'[data-score="{score}"]')).to_have_attribute("aria-checked", "true")
    rows.nth(3).locator('[data-score="2"]').click()  # a second thought: Latin America 2, not 3
    expect(rows.nth(3).locator('[data-score="3"]')).to_have_attribute("aria-checked", "false")
    screenshot(phone, "delegate-phone-assessment")
    phone.click("#submit-sheet")
    expect(phone.locator("#confirm-question")).to_contain_text("Central Asia (Almaty): 5")
    phone.click("#confirm-yes")
    expect(phone.locator("#voted-title")).to_have_text("Your vote was recorded.")

    # the Russian delegate's sheet is in Russian
    expect(russian.locator(".sheet-row")).to_have_count(6)
    from governance.demo.documents import DEMO_DOCUMENTS  # the board pack's titles are data too
    documents = [title for _, title, filename, _ in DEMO_DOCUMENTS] + [f for _, _, f, _ in DEMO_DOCUMENTS]
    assert_all_russian(russian, data_strings + documents + OFFICES + [motion["title"], motion["text"]])

    # two more sheets by the API; then the chair closes
    for city, scores in (("Seoul", (3, 4, 5, 4, 4, 4)), ("Abuja", (4, 4, 3, 2, 4, 4))):
        answer = live_api(emails[city]).post(f"/polls/{poll_id}/votes",
                                             {"choice": {"scores": {str(i): s for i, s in enumerate(scores)}}})
        assert "receipt" in answer
    expect(console.locator("#poll-count")).to_have_text("3 of 12 present have voted; 12 eligible")
    console.click("#close-poll")
    console.click("#close-yes")

    # the console's table: a row per office, count, mean, median, the scores given
    table = console.locator("#result .score-table")
    expect(console.locator("#result .result-status")).to_have_text("Scores recorded")
    expect(table.locator("tbody tr")).to_have_count(6)
    latin_america = table.locator('tr[data-subject="Latin America (Cuenca)"]')
    expect(latin_america.locator(".score-count")).to_have_text("3")
    expect(latin_america.locator(".score-mean-value")).to_have_text("2.67")
    expect(latin_america.locator(".score-median")).to_have_text("2")
    expect(latin_america.locator(".score-distribution")).to_have_text("1: 0 · 2: 2 · 3: 0 · 4: 1 · 5: 0")
    expect(console.locator("#result .result-counts")).to_have_text(
        "Sheets: 3 · Scored: 3 · Abstentions: 0 · 12 eligible")
    screenshot(console, "chair-assessment-table")
    # the projector draws the means as bars; the phone shows the table too
    expect(screen.locator("#result .score-bar .bar-fill")).to_have_count(6)
    expect(phone.locator("#result .score-table tbody tr")).to_have_count(6)
    for page in (console, phone, russian, screen):
        assert not page.errors, page.errors


def test_the_secretariat_puts_an_assessment_from_the_set_up_page(open_page, live_api, meeting):
    page = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/setup")
    item = meeting["closed_items"][AGENDA_5]
    page.select_option("#sm-item", str(item))
    page.select_option("#sm-kind", "assessment")
    expect(page.locator("#sm-majority")).to_be_hidden()  # a table of scores has no majority rule
    page.fill("#sm-title", "Assessment of the regional offices' communication")
    page.fill("#sm-subjects", "East Asia (Chengdu)\n  Africa (Abuja)  \n\nCentral Asia (Almaty)\n")
    page.fill("#sm-scale-min", "0")
    page.fill("#sm-scale-max", "3")
    page.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#sm-done")).to_have_text("Motion put: Assessment of the regional offices' communication.")
    expect(page.locator("#motion-list")).to_contain_text(
        "Scored from 0 to 3: East Asia (Chengdu), Africa (Abuja), Central Asia (Almaty)")
    made = [m for m in live_api(SECRETARIAT).get(f"/items/{item}/motions")
            if m["title"] == "Assessment of the regional offices' communication"]
    assert [(m["subjects"], m["scale"]) for m in made] == [
        (["East Asia (Chengdu)", "Africa (Abuja)", "Central Asia (Almaty)"], {"min": 0, "max": 3})]
    # a scale wider than the phone's row of buttons is refused with the reason, nothing put
    page.select_option("#sm-kind", "assessment")
    page.fill("#sm-title", "Too fine")
    page.fill("#sm-subjects", "Africa (Abuja)")
    page.fill("#sm-scale-min", "0")
    page.fill("#sm-scale-max", "20")
    page.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#sm-error")).to_be_visible()
    assert not page.errors, page.errors
