"""The secretariat's own memorandum template on the desk, in a real browser against a running
server: a letterhead uploaded from the desk is in use, one that does not render is refused with
the reason beside the form, the preview shows this meeting through it, and the desk goes back to
the built-in layout."""

import re

import pytest
import requests

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect

from tests.minutes.test_builder import all_text
from tests.minutes.test_memorandum_template import LETTERHEAD, docx_with
from tests.pages.conftest import SECRETARIAT, TIMEOUT

pytestmark = pytest.mark.live


def test_the_desk_uploads_previews_and_removes_its_letterhead(open_page, live_api, live_server, meeting, tmp_path):
    desk = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/desk")
    expect(desk.locator("#connection")).to_have_attribute("data-state", "online")
    expect(desk.locator("#memo-template-state")).to_contain_text("built-in layout")
    letterhead, broken = tmp_path / "letterhead.docx", tmp_path / "broken.docx"
    letterhead.write_bytes(docx_with(LETTERHEAD))
    broken.write_bytes(docx_with(["{{ meeting_titel }}"]))
    try:
        desk.set_input_files("#memo-template-file", str(letterhead))
        desk.click("#memo-template-form button[type=submit]")
        expect(desk.locator("#memo-template-state")).to_contain_text("letterhead.docx")
        expect(desk.locator("#memo-template-remove")).to_be_visible()

        desk.set_input_files("#memo-template-file", str(broken))
        desk.click("#memo-template-form button[type=submit]")
        expect(desk.locator("#memo-template-error")).to_contain_text("meeting_titel")
        assert live_api(SECRETARIAT).get("/organisation/memorandum-template")["filename"] == "letterhead.docx"

        link = desk.locator("#memo-template a[href*='lang=ru']")
        preview = requests.get(live_server + link.get_attribute("href"), timeout=TIMEOUT,
                               headers=live_api(SECRETARIAT).headers)
        assert preview.status_code == 200 and preview.headers["Content-Language"] == "ru"
        text = all_text(preview.content)
        assert "WeGO SECRETARIAT LETTERHEAD · Seoul" in text and "Члены Исполкома" in text

        desk.click("#memo-template-remove")
        expect(desk.locator("#memo-template-state")).to_contain_text("built-in layout")
        expect(desk.locator("#memo-template-remove")).to_be_hidden()
    finally:  # the server is shared: leave it with the built-in layout
        requests.delete(f"{live_server}/api/v1/organisation/memorandum-template", timeout=TIMEOUT,
                        headers=live_api(SECRETARIAT).headers)
    assert desk.errors == []


def test_the_desk_s_template_section_is_russian(open_page, meeting):
    from tests.pages.test_live_pages import _english_ui_strings
    desk = open_page(SECRETARIAT, width=1280, height=1000, locale="ru-RU", path=f"/meetings/{meeting['id']}/desk")
    section = desk.locator("#memo-template")
    expect(section).to_contain_text("Шаблон меморандума")
    expect(desk.locator("#memo-template-state")).to_contain_text("встроенный макет")
    text = section.inner_text()
    for kept in ("docxtpl", ".docx", "meeting_title", "attendance", "items", "results", "resolutions",
                 "audit_head", "/api/v1/openapi.json", "English", "Русский"):
        text = text.replace(kept, " ")
    leftovers = [s for s in _english_ui_strings() if re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text)]
    assert not leftovers, leftovers
    assert desk.errors == []
