"""A new secretariat, from an empty database, with nothing but the pages: the first run, the
organisation, the members imported from an XLSX file, a meeting with its sessions, agenda,
participants (a list of delegates) and motions, and a few corrections. A server of its own
(`excom init-db`, no demo) in a real browser; English, then the same pages in Russian."""
import io
import re

import pytest
import requests

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from openpyxl import Workbook  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.pages.conftest import TIMEOUT, _free_port, screenshot, serving  # noqa: E402
from tests.pages.test_live_pages import assert_all_russian  # noqa: E402
from tests.pages.test_live_setup import _png  # noqa: E402

pytestmark = pytest.mark.live

EMAIL, PASSWORD = "park@wego.example.org", "a long pass phrase for the desk"
SMTP_PORT = _free_port()  # the server's mail goes here; the last test listens on it (aiosmtpd)
MEMBERS = [
    ("Seoul", "Republic of Korea", "city", "active", "yes", "President"),
    ("Almaty", "Kazakhstan", "city", "active", "yes", "Vice-President"),
    ("Chengdu", "China", "city", "active", "yes", None),
    ("Cuenca", "Ecuador", "city", "active", "yes", None),
    ("Cali", "Colombia", "city", "applicant", "no", None),
    ("Seoul Institute", "Republic of Korea", "institution", "active", "no", None),
]


# per session, not per module: the module's tests are one scene in acts, kept on one xdist worker
# (tests/conftest.py), where other modules' tests may run between two acts; a module fixture would
# be torn down and made anew, empty, in between
@pytest.fixture(scope="session")
def fresh_server(tmp_path_factory, request):
    """(base URL, one-time key) of `excom serve` on an empty database: `excom init-db` only."""
    with serving(tmp_path_factory.mktemp("fresh-instance"), request, [["init-db"]], EXCOM_SECRET_KEY="fresh-test",
                 EXCOM_SMTP_URL=f"smtp://127.0.0.1:{SMTP_PORT}",
                 EXCOM_MAIL_FROM="secretariat@wego.example.org") as (base, (init_output,)):
        yield base, re.search(r"one-time key:\n\s+(\S+)", init_output).group(1)


def _xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(["Name", "Country", "Category", "Status", "EXCOM", "Office"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _api(base):
    token = requests.post(f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD},
                          timeout=TIMEOUT).json()["token"]
    return lambda path: requests.get(f"{base}/api/v1{path}", headers={"Authorization": f"Bearer {token}"},
                                     timeout=TIMEOUT).json()


def _new_context(browser, base, **options):
    context = browser.new_context(base_url=base, **options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def test_from_an_empty_database_to_a_prepared_meeting(browser, fresh_server):
    base, key = fresh_server
    russian, page = _new_context(browser, base, viewport={"width": 390, "height": 900}, locale="ru-RU")
    page.goto("/first-run")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert_all_russian(page, ["EXCOM", "excom init-db", "excom create-user --role secretariat", "Asia/Almaty",
                              "Organisation"])  # the stand-in name until set-up names it
    russian.close()
    context, page = _new_context(browser, base, viewport={"width": 1280, "height": 1000}, locale="en-GB")

    # --- the first run -------------------------------------------------------------------
    page.goto("/")
    page.get_by_role("link", name="Set up the installation").click()
    expect(page).to_have_url(re.compile(r"/first-run$"))
    page.set_viewport_size({"width": 390, "height": 1480})  # a phone, the whole form
    screenshot(page, "first-run")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.get_by_label("Set-up key").fill("not the key")
    page.get_by_label("Name of the organisation").fill("World Smart Sustainable Cities Organization")
    page.get_by_label("Short name").fill("WeGO")
    page.get_by_label("Time zone").fill("Asia/Almaty")
    page.get_by_label("Your full name").fill("Jung Sook Park")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The password again").fill(PASSWORD)
    page.get_by_role("button", name="Set up and sign in").click()
    expect(page.locator("#first-run-error")).to_contain_text("This set-up key is wrong or was already used")
    page.get_by_label("Set-up key").fill(key)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The password again").fill(PASSWORD)
    page.get_by_role("button", name="Set up and sign in").click()
    expect(page).to_have_url(re.compile(r"/organisation\?welcome=1$"))
    expect(page.locator(".welcome")).to_contain_text("The installation is set up, and you are signed in.")

    # --- the organisation --------------------------------------------------------------
    page.get_by_label("Numbers of resolutions").fill("{short_name} {year}/R{n}")
    expect(page.locator("#resolution-example")).to_have_text("For example: WeGO 2024/R3")
    page.get_by_label("Default language").select_option("en")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#organisation-done")).to_have_text("Saved.")
    page.get_by_label("Image (PNG or SVG)").set_input_files(
        files=[{"name": "wego.png", "mimeType": "image/png", "buffer": _png(160, 60, (11, 79, 138))}])
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#logo-done")).to_have_text("The logo is uploaded.")
    logo = page.get_by_role("img", name="The logo of World Smart Sustainable Cities Organization")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 160

    # --- the members, from an XLSX file: a bad row first stops everything ----------------
    page.get_by_role("link", name="Members", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Members")
    upload = page.locator("#member-import")
    upload.get_by_label("File (CSV or XLSX)").set_input_files(files=[{
        "name": "members.xlsx", "mimeType": "application/octet-stream",
        "buffer": _xlsx(MEMBERS + [("Atlantis", "", "island", "active", "perhaps", None)])}])
    upload.get_by_role("button", name="Preview").click()
    expect(upload.locator("[data-import-summary]")).to_contain_text("6 new, 0 changed, 0 unchanged, 1 with problems.")
    expect(upload.locator('tr[data-line="8"] .import-problems')).to_contain_text(
        "category: One of: city, institution, corporate.")
    expect(upload.locator("[data-import-confirm]")).to_be_hidden()
    expect(page.locator("#members tbody tr.empty-row")).to_have_count(1)  # nothing stored
    upload.get_by_label("File (CSV or XLSX)").set_input_files(files=[{
        "name": "members.xlsx", "mimeType": "application/octet-stream", "buffer": _xlsx(MEMBERS)}])
    upload.get_by_role("button", name="Preview").click()
    upload.get_by_role("button", name="Import 6 rows").click()
    expect(upload.locator("[data-import-done]")).to_have_text("Imported: 6 new, 0 changed.")
    expect(page.locator("#members tbody tr")).to_have_count(6)
    expect(page.locator("#member-count")).to_have_text("(6)")
    page.get_by_label("Name", exact=True).fill("Kaohsiung")
    page.get_by_label("Country").fill("Chinese Taipei")
    page.get_by_role("button", name="Add the member").click()
    expect(page.locator("#member-done")).to_have_text("Created: Kaohsiung.")
    expect(page.locator("#members tbody tr")).to_have_count(7)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "secretariat-registry")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 1000})

    # a member's page: its status changed at the desk, and the history says so
    page.get_by_role("link", name="Cali").click()
    page.get_by_label("Status", exact=True).select_option("active")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#member-done")).to_have_text("Saved.")
    page.reload()
    expect(page.locator("#history tbody tr")).to_have_count(2)
    expect(page.locator("#history tbody tr").nth(1)).to_contain_text("Edited by the secretariat")

    # --- a meeting ------------------------------------------------------------------------
    page.goto("/meetings")
    page.get_by_label("Title", exact=True).fill("WeGO Executive Committee Meeting 2025")
    page.get_by_label("Venue", exact=True).fill("Seoul City Hall")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Almaty")  # the organisation's
    page.get_by_label("Time zone").fill("Asia/Seoul")
    page.get_by_label("Date", exact=True).fill("2025-10-14")
    page.get_by_label("Starts", exact=True).fill("14:00")
    page.get_by_role("button", name="Create the meeting").click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/setup$"))
    meeting_id = int(re.search(r"/meetings/(\d+)/setup", page.url).group(1))

    sessions = page.locator("#session-form")
    for title, kind in (("Open Session", "open"), ("Closed Session", "closed"), ("Spare session", "open")):
        sessions.get_by_label("Title", exact=True).fill(title)
        sessions.get_by_label("Kind", exact=True).select_option(kind)
        page.fill("#session-date", "2025-10-14")
        page.fill("#session-start", "14:00")
        page.get_by_role("button", name="Add the session").click()
        expect(page.locator("#session-done")).to_have_text(f"Session added: {title}.")
    page.get_by_role("button", name="Delete: Spare session").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator("#session-list > li")).to_have_count(2)

    items = page.locator("#item-form")
    for session, number, title, kind in (("Open Session", "1", "Host City of EXCOM 2026", "host_city"),
                                         ("Open Session", "2", "Review of the Annual Report", "report"),
                                         ("Closed Session", "3", "Admission of Cali", "membership"),
                                         ("Closed Session", "", "Typo item", "procedural")):
        items.get_by_label("Session").select_option(label=session)
        page.fill("#item-number", number)
        page.select_option("#item-kind", kind)
        page.fill("#item-title", title)
        page.get_by_role("button", name="Add the item").click()
        expect(page.locator("#item-done")).to_have_text(f"Item added: {title}.")
    page.get_by_role("button", name="Delete: Typo item").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator("#setup-agenda .agenda-item")).to_have_count(3)
    page.get_by_role("button", name="Edit: Review of the Annual Report").click()
    page.locator("#setup-agenda .edit-panel").get_by_label("Title").fill("Review of the 2025 Annual Report")
    page.locator("#setup-agenda .edit-panel").get_by_role("button", name="Save").click()
    expect(page.locator("#setup-agenda")).to_contain_text("Review of the 2025 Annual Report")

    # the participants: a list of delegates, imported (accounts made for those without one)
    delegates = ("email,name,member,title,group,chair\n"
                 "koo@seoul.example.org,Hong-seok Koo,Seoul,Deputy Mayor,,yes\n"
                 "dossaev@almaty.example.org,Erbolat Dossaev,Almaty,Mayor,,\n"
                 "liu@chengdu.example.org,Liu Suman,Chengdu,,,\n"
                 "cuenca@cuenca.example.org,Cristian Zamora,Cuenca,,,\n"
                 "press@yonhap.example.org,Yonhap reporter,,,observer_media,\n")
    people = page.locator("#participant-import")
    people.get_by_label("File (CSV or XLSX)").set_input_files(files=[{
        "name": "delegates.csv", "mimeType": "text/csv", "buffer": delegates.encode()}])
    people.get_by_role("button", name="Preview").click()
    people.get_by_role("button", name="Import 5 rows").click()
    expect(people.locator("[data-import-done]")).to_have_text("Imported: 5 new, 0 changed.")
    expect(page.locator("#participant-list > li")).to_have_count(5)
    expect(page.locator("#participant-list")).to_contain_text("EXCOM member · chair")

    # motions: a host-city ballot, a general motion put twice by mistake (one withdrawn), a membership motion
    page.reload()  # the participants in the mover lists
    form = page.locator("#setup-motion-form")
    page.select_option("#sm-item", label="1 Host City of EXCOM 2026")
    page.select_option("#sm-kind", "host_city")
    page.fill("#sm-title", "Host city of EXCOM 2026")
    page.locator("#sm-candidates").get_by_label("Chengdu").check()
    page.locator("#sm-candidates").get_by_label("Cuenca").check()
    form.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#sm-done")).to_have_text("Motion put: Host city of EXCOM 2026.")
    expect(page.locator("#motion-list .setup-motion")).to_have_count(1)
    for count in (2, 3):
        page.select_option("#sm-item", label="2 Review of the 2025 Annual Report")
        page.select_option("#sm-kind", "general")
        page.fill("#sm-title", "Note the annual report")
        form.get_by_role("button", name="Put the motion").click()
        expect(page.locator("#motion-list .setup-motion")).to_have_count(count)  # the same words twice: count
    page.select_option("#sm-item", label="3 Admission of Cali")
    page.select_option("#sm-kind", "membership")
    page.select_option("#sm-member", label="Kaohsiung (applicant)")
    page.select_option("#sm-action", "admit")
    page.fill("#sm-title", "Admission of Kaohsiung")
    form.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#motion-list .setup-motion")).to_have_count(4)
    duplicate = page.locator("#motion-list .setup-motion").nth(2)
    duplicate.get_by_role("button", name="Withdraw: Note the annual report").click()
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.locator("#logo-done")).to_have_text("Withdrawn: Note the annual report.")
    expect(page.locator("#motion-list .setup-motion").nth(2)).to_contain_text("withdrawn")
    kept = page.locator("#motion-list .setup-motion").nth(1)
    kept.get_by_role("button", name="Edit: Note the annual report").click()
    kept.get_by_label("Moved by").select_option(label="Erbolat Dossaev (Almaty)")
    kept.get_by_label("Seconded by").select_option(label="Liu Suman (Chengdu)")
    kept.get_by_role("button", name="Save").click()
    expect(page.locator("#logo-done")).to_have_text("Saved.")

    # the meeting itself: a later start, on the same clock
    page.locator("#meeting-edit summary").click()
    page.get_by_label("Starts").first.fill("15:00")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.locator("#meeting-done")).to_have_text("Saved.")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not page.errors, page.errors

    # --- what the pages made, as the API holds it ----------------------------------------
    api = _api(base)
    organisation = api("/organisation")
    assert (organisation["short_name"], organisation["resolution_format"], organisation["has_logo"]) == (
        "WeGO", "{short_name} {year}/R{n}", True)
    members = {m["name"]: m for m in api("/members")}
    assert set(members) == {name for name, *_ in MEMBERS} | {"Kaohsiung"}
    assert (members["Seoul"]["office"], members["Cali"]["status"], members["Kaohsiung"]["status"]) == (
        "President", "active", "applicant")
    meeting = api(f"/meetings/{meeting_id}")
    assert (meeting["timezone"], meeting["starts_at"]) == ("Asia/Seoul", "2025-10-14T06:00:00+00:00")
    assert [(s["title"], s["kind"], [i["title"] for i in s["items"]]) for s in meeting["sessions"]] == [
        ("Open Session", "open", ["Host City of EXCOM 2026", "Review of the 2025 Annual Report"]),
        ("Closed Session", "closed", ["Admission of Cali"])]
    participants = {p["name"]: p for p in api(f"/meetings/{meeting_id}/participants")}
    assert participants["Hong-seok Koo"]["chair"] and participants["Yonhap reporter"]["group"] == "observer_media"
    motions = api(f"/meetings/{meeting_id}/motions")
    assert [(m["title"], m["status"]) for m in motions] == [
        ("Host city of EXCOM 2026", "pending"), ("Note the annual report", "pending"),
        ("Note the annual report", "withdrawn"), ("Admission of Kaohsiung", "pending")]
    assert (motions[1]["moved_by_id"], motions[1]["seconded_by_id"]) == (
        participants["Erbolat Dossaev"]["user_id"], participants["Liu Suman"]["user_id"])
    context.close()


def test_the_secretariat_s_pages_are_all_russian(browser, fresh_server):
    """After the first test: the registry, the organisation and the meetings, in Russian."""
    base, _key = fresh_server
    context, page = _new_context(browser, base, viewport={"width": 1280, "height": 1000}, locale="ru-RU")
    page.goto("/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/")
    api = _api(base)
    data = ["World Smart Sustainable Cities Organization", "WeGO", "EXCOM", "Asia/Almaty", "Asia/Seoul", "XLSX",
            "CSV", "PNG", "SVG", "English", "Русский", "{short_name} {year}/R{n}", "{reference}", "{year}", "{n}",
            "{short_name}", EMAIL, "Seoul City Hall"]
    data += [value for m in api("/members") for value in (m["name"], m["country"], m["office"] or "")]
    data += [value for u in api("/users") for value in (u["name"], u["email"], u["title"], u["affiliation"])]
    data += [value for m in api("/meetings") for value in (m["title"], m["reference"])]
    for path in ("/organisation", "/members", "/people", "/meetings"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        assert_all_russian(page, [d for d in data if d])
    assert not page.errors, page.errors
    context.close()


def test_minutes_work_and_apologies_before_the_meeting(browser, fresh_server):
    """After the first test, on its meeting: notes for an item the chair never made current, the
    mover of a motion and a delegate's apologies (recorded at the desk, and sent from the phone)."""
    base, _key = fresh_server
    api = _api(base)
    meeting = next(m for m in api("/meetings") if m["title"] == "WeGO Executive Committee Meeting 2025")
    context, desk = _new_context(browser, base, viewport={"width": 1280, "height": 1000}, locale="en-GB")
    desk.goto("/login")
    desk.fill("#email", EMAIL)
    desk.fill("#password", PASSWORD)
    desk.click("form.card button[type=submit]")
    desk.wait_for_url("**/")
    desk.goto(f"/meetings/{meeting['id']}/desk")
    expect(desk.locator("#connection")).to_have_attribute("data-state", "online")
    expect(desk.locator("#notes-form")).to_be_hidden()  # nothing is current yet

    desk.get_by_label("Notes and motions for").select_option(label="2 Review of the 2025 Annual Report")
    item_id = desk.locator("#notes-item").input_value()
    expect(desk.locator("#notes-form")).to_have_attribute("data-item-id", item_id)  # its stored notes are in
    desk.get_by_label("Notes for the memorandum").fill("The Secretary General presented the report.")
    desk.get_by_role("button", name="Save the notes").click()
    expect(desk.locator("#notes-meta")).to_have_text("Saved: revision 1")
    motions = desk.locator("#item-motions")
    expect(motions.locator("li")).to_have_count(2)
    motions.locator("li").nth(0).get_by_label("Moved by").select_option(label="Hong-seok Koo (Seoul)")
    expect(desk.locator("#motion-done")).to_have_text("Saved.")

    cuenca = desk.locator("#checkin-list li", has_text="Cristian Zamora")
    cuenca.get_by_role("button", name="Cristian Zamora: sent apologies (excused)").click()
    expect(cuenca.get_by_role("button", name="Cristian Zamora: sent apologies (excused)")).to_have_attribute(
        "aria-pressed", "true")
    # Liu Suman has no password: the desk makes her a personal access link, and she sends her own apologies
    liu = desk.locator("#checkin-list li", has_text="Liu Suman")
    liu.get_by_role("button", name="Liu Suman: personal access link").click()
    expect(liu.locator("input.access-url")).to_have_value(re.compile(r"/login/link/\S+$"))
    link = liu.locator("input.access-url").input_value()
    assert not desk.errors, desk.errors

    phone_context, phone = _new_context(browser, base, viewport={"width": 360, "height": 740}, locale="en-GB")
    phone.goto(link.removeprefix(base))
    phone.get_by_role("button", name="Continue as Liu Suman").click()
    # signed in and moved on: a navigation started before would cancel the sign-in's
    expect(phone).not_to_have_url(re.compile(r"/login/link/"))
    phone.goto(f"/meetings/{meeting['id']}")
    phone.get_by_role("button", name="Send my apologies").click()
    expect(phone.locator("#send-apologies")).to_be_hidden()  # answered (an error would keep it)
    expect(phone.locator("#apologies-error")).to_be_hidden()
    expect(phone.locator("#apologies-state")).to_have_text(
        "Your apologies were sent: the minutes will list you as excused.")
    expect(phone.get_by_role("button", name="I can attend after all")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert not phone.errors, phone.errors

    people = {p["name"]: p for p in api(f"/meetings/{meeting['id']}/participants")}
    assert people["Cristian Zamora"]["excused"] and people["Liu Suman"]["excused"]
    assert not people["Erbolat Dossaev"]["excused"]
    item = meeting_item = next(i for s in api(f"/meetings/{meeting['id']}")["sessions"] for i in s["items"]
                               if i["title"] == "Review of the 2025 Annual Report")
    assert api(f"/items/{meeting_item['id']}/notes")["text"] == "The Secretary General presented the report."
    assert api(f"/items/{item['id']}/motions")[0]["moved_by_id"] == people["Hong-seok Koo"]["user_id"]
    phone_context.close()
    context.close()


def _writer(base):
    """POST as the secretariat (bearer), or as anyone whose token is given."""
    token = requests.post(f"{base}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD},
                          timeout=TIMEOUT).json()["token"]

    def post(path, body=None, token=token):
        answer = requests.post(f"{base}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"},
                               timeout=TIMEOUT)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()
    return post


def test_invitations_the_meeting_run_and_its_memorandum_distributed(browser, fresh_server):
    """After the tests above, on their meeting: invitations by e-mail (aiosmtpd) in each person's
    language and, for the press, in Russian; a delegate opens theirs on a 360 px phone (seen
    opened at the desk), votes there; the meeting adjourned; the memorandum built and
    distributed, a refused address shown failed with the server's reason and sent again; the
    delegate's page then shows the decision and the memorandum, the press's (in Russian) the
    open session's; a copy of the meeting approves the memorandum, and the desk shows it approved."""
    from aiosmtpd.controller import Controller

    from tests.minutes.conftest import RecordingHandler

    base, _key = fresh_server
    api, post = _api(base), _writer(base)
    meeting = next(m for m in api("/meetings") if m["title"] == "WeGO Executive Committee Meeting 2025")
    meeting_id = meeting["id"]
    people = {p["name"]: p for p in api(f"/meetings/{meeting_id}/participants")}
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        context, desk = _new_context(browser, base, viewport={"width": 1280, "height": 1000}, locale="en-GB")
        desk.goto("/login")
        desk.fill("#email", EMAIL)
        desk.fill("#password", PASSWORD)
        desk.click("form.card button[type=submit]")
        desk.wait_for_url("**/")

        # --- invitations: the EXCOM members in their own language, the press in Russian -------------
        desk.goto(f"/meetings/{meeting_id}/desk")
        desk.get_by_role("link", name="Invitations").click()
        desk.get_by_label("To").select_option("excom_member")
        desk.get_by_role("button", name="Send invitations").click()
        members = desk.locator('#invitees tr[data-group="excom_member"]')
        expect(desk.locator("#invite-confirm li")).to_have_count(members.count())
        desk.get_by_role("button", name="Yes, send them").click()
        expect(desk.locator('#invitees tr[data-group="excom_member"][data-state="sent"]')).to_have_count(
            members.count())
        desk.get_by_label("To").select_option("observer_media")
        desk.get_by_label("Language", exact=True).select_option("ru")
        desk.get_by_role("button", name="Send invitations").click()
        desk.get_by_role("button", name="Yes, send them").click()
        expect(desk.locator('#invitees tr[data-group="observer_media"][data-state="sent"]')).to_have_count(1)
        screenshot(desk, "secretariat-invitations")
        [almaty] = handler.to("dossaev@almaty.example.org")
        [press] = handler.to("press@yonhap.example.org")
        assert almaty["Subject"] == "Invitation: WeGO Executive Committee Meeting 2025"
        assert press["Subject"] == "Приглашение: WeGO Executive Committee Meeting 2025"
        assert "Admission of Cali" in almaty.get_body(("plain",)).get_content()  # the closed session, for a member
        assert "Admission of Cali" not in press.get_body(("plain",)).get_content()
        link = re.search(r"http://\S+/login/link/\S+", almaty.get_body(("plain",)).get_content()).group(0)

        # --- the delegate opens the link on a phone; the desk sees it -------------------------------
        phone_context, phone = _new_context(browser, base, viewport={"width": 360, "height": 740}, locale="en-GB")
        phone.goto(link.removeprefix(base))
        phone.get_by_role("button", name="Continue as Erbolat Dossaev").click()
        phone.goto(f"/meetings/{meeting_id}")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
        expect(desk.locator('#invitees tr[data-email="dossaev@almaty.example.org"] [data-opened] time')) \
            .to_have_count(1)

        # --- the meeting: a quorum, the report's motion put to the vote, voted on the phone ----------
        for name in ("Hong-seok Koo", "Erbolat Dossaev", "Liu Suman"):
            post(f"/meetings/{meeting_id}/attendance", {"user_id": people[name]["user_id"], "mode": "in_person"})
        item = next(i for s in api(f"/meetings/{meeting_id}")["sessions"] for i in s["items"]
                    if i["title"] == "Review of the 2025 Annual Report")
        post(f"/items/{item['id']}/activate")
        motion = next(m for m in api(f"/items/{item['id']}/motions") if m["status"] == "pending")
        poll = post(f"/motions/{motion['id']}/polls")
        phone.click('.choice[data-choice="yes"]')
        phone.click("#confirm-yes")
        expect(phone.locator("#receipt")).not_to_be_empty()
        for name in ("Hong-seok Koo", "Liu Suman"):
            token = post(f"/users/{people[name]['user_id']}/token", {"label": "test"})["token"]
            post(f"/polls/{poll['id']}/votes", {"choice": "yes"}, token=token)
        post(f"/polls/{poll['id']}/close")
        post(f"/meetings/{meeting_id}/adjourn")

        # --- the memorandum: built, distributed after confirmation, a refusal shown and sent again ----
        handler.refuse = {"liu@chengdu.example.org"}
        desk.goto(f"/meetings/{meeting_id}/desk")
        desk.get_by_role("button", name="Build a new version").click()
        expect(desk.locator('#memo-versions tr[data-version="1"]')).to_be_visible()
        desk.get_by_role("button", name="Distribute to all participants").click()
        expect(desk.locator("#memo-confirm li[data-email='liu@chengdu.example.org']")).to_be_visible()
        recipients = desk.locator("#memo-confirm li").count()
        desk.locator("#memo-confirm-yes").click()
        expect(desk.locator('[data-copies="1"] li[data-state="sent"]')).to_have_count(recipients - 1)
        failed = desk.locator('[data-copies="1"] li[data-state="failed"]')
        expect(failed).to_have_count(1)
        expect(failed).to_contain_text("liu@chengdu.example.org")
        expect(failed).to_contain_text("550 5.1.1 Mailbox unavailable")
        handler.refuse = set()
        desk.locator('[data-retry="1"]').click()
        expect(desk.locator('[data-copies="1"] li[data-state="sent"]')).to_have_count(recipients)
        assert len(handler.to("liu@chengdu.example.org")) == 2  # the invitation, then the memorandum
        assert not desk.errors, desk.errors

        # --- after the meeting, on the phone: the decision and the memorandum ------------------------
        phone.reload()
        after = phone.locator("#after-meeting")
        expect(after.locator('li.decision[data-status="adopted"]')).to_contain_text("Note the annual report")
        expect(after.locator(".memoranda li")).to_contain_text("Memorandum, version 1")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert not phone.errors, phone.errors
        phone_context.close()

        # --- the press, from its Russian invitation, on a Russian phone: the open session's decision,
        # --- the public edition, and the published ballots; every word of the interface in Russian
        press_link = re.search(r"http://\S+/login/link/\S+", press.get_body(("plain",)).get_content()).group(0)
        press_context, reporter = _new_context(browser, base, viewport={"width": 360, "height": 740}, locale="ru-RU")
        reporter.goto(press_link.removeprefix(base))
        reporter.locator("form.card button[type=submit]").click()
        reporter.goto(f"/meetings/{meeting_id}")
        after = reporter.locator("#after-meeting")
        expect(after.locator('li.decision[data-status="adopted"]')).to_contain_text("Note the annual report")
        expect(after).not_to_contain_text("Admission")  # the closed session's motion is not theirs
        expect(after.locator(".memoranda li")).to_contain_text("открытая редакция")
        full = api(f"/meetings/{meeting_id}")
        data = [full["title"], full["venue"], full["timezone"], "WeGO", "EXCOM", "English"]
        data += [value for s_ in full["sessions"] for value in [s_["title"], s_["venue"]] +
                 [value for i in s_["items"] for value in (i["title"], i["number"])]]
        data += [value for p in people.values() for value in (p["name"], p["affiliation"], p["title"])]
        data += [m["title"] for m in api(f"/meetings/{meeting_id}/motions")]
        data += [m["resolution_number"] for m in api(f"/meetings/{meeting_id}/motions") if m["resolution_number"]]
        assert_all_russian(reporter, [d for d in data if d])
        assert reporter.evaluate("document.documentElement.scrollWidth") <= 360
        after.get_by_role("link", name="Опубликованные бюллетени").click()
        expect(reporter.locator("#ballots tbody tr")).to_have_count(3)
        assert_all_russian(reporter, [d for d in data if d] + [poll_receipt for poll_receipt in
                                                               reporter.locator("#ballots code").all_inner_texts()])
        assert reporter.evaluate("document.documentElement.scrollWidth") <= 360
        assert not reporter.errors, reporter.errors
        press_context.close()

        # --- approved at the next meeting: a copy of this one approves version 1 --------------------
        following = post(f"/meetings/{meeting_id}/copy", {"title": "WeGO Executive Committee Meeting 2026",
                                                          "starts_at": "2026-10-13T06:00:00+00:00"})
        first_item = following["sessions"][0]["items"][0]
        approval = post(f"/items/{first_item['id']}/motions", {
            "kind": "minutes_approval", "title": "Approval of the memorandum of EXCOM 2025",
            "memorandum_meeting_id": meeting_id, "majority": "simple"})
        followers = {p["name"]: p for p in api(f"/meetings/{following['id']}/participants")}
        for name in ("Hong-seok Koo", "Erbolat Dossaev", "Liu Suman"):
            post(f"/meetings/{following['id']}/attendance", {"user_id": followers[name]["user_id"],
                                                             "mode": "in_person"})
        post(f"/items/{first_item['id']}/activate")
        approval_poll = post(f"/motions/{approval['id']}/polls")
        for name in ("Hong-seok Koo", "Erbolat Dossaev", "Liu Suman"):
            token = post(f"/users/{followers[name]['user_id']}/token", {"label": "test"})["token"]
            post(f"/polls/{approval_poll['id']}/votes", {"choice": "yes"}, token=token)
        post(f"/polls/{approval_poll['id']}/close")
        desk.goto(f"/meetings/{meeting_id}/desk")
        expect(desk.locator('#memo-versions tr[data-version="1"]')).to_contain_text("approved")
        context.close()
    finally:
        controller.stop()
