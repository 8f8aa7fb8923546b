"""Procedure on the screens, in real browsers against a running server: the chair closes only
after seeing who has voted, the next round can be opened round after round, nothing is taken
up after adjournment, an instant-runoff tie goes to the chair's casting vote and every round
is shown, voters see what they vote on, an online delegate says "I am here" before the
ballot, and console, projector, phone and memorandum say the same numbers in the same words."""
import io
import re

import pytest
import requests

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.live

from tests.pages.conftest import CHAIR, DELEGATE, DEMO_PASSWORD, SECRETARIAT, TIMEOUT, Api, serving  # noqa: E402
from tests.pages.test_live_pages import assert_all_russian, data_strings  # noqa: E402,F401  (fixture)

REPORT = "Review of 2024 WeGO Secretariat Annual Report"
HOST = "Approval of Host City of the EXCOM Meeting 2025"
LOGO = "Approval of New WeGO Logo"
AMENDMENTS = "Review of Proposed Amendments to WeGO Statutes"
AWAY = ("Hebron", "Kampala", "Makati")  # checked out for the turnout test


def _online(page):
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")


@pytest.fixture(scope="module")
def room(live_api, meeting):
    """Every EXCOM delegate checked in (in person), by city: their user id, e-mail and member id."""
    desk = live_api(SECRETARIAT)
    delegates = {}
    for person in meeting["participants"]:
        if person["group"] == "excom_member":
            desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": person["user_id"], "mode": "in_person"})
            delegates[person["affiliation"]] = {"user_id": person["user_id"], "member_id": person["member_id"],
                                                "email": desk.get(f"/users/{person['user_id']}")["email"]}
    return delegates


_OPENED: set[int] = set()  # the polls these tests opened


@pytest.fixture
def chair_closes_what_is_left(live_api):
    """A test failing half-way must not leave its poll open for the next one (one open poll per meeting)."""
    yield
    chair = live_api(CHAIR)
    for poll_id in sorted(_OPENED):
        if chair.get(f"/polls/{poll_id}")["status"] == "open":
            chair.post(f"/polls/{poll_id}/close")
    _OPENED.clear()


def _poll_id(page, selector):
    expect(page.locator(selector)).to_have_attribute("data-status", "open")
    poll_id = int(page.locator(selector).get_attribute("data-poll-id"))
    _OPENED.add(poll_id)
    return poll_id


def _vote(live_api, room, poll_id, votes):
    for city, choice in votes.items():
        answer = live_api(room[city]["email"]).post(f"/polls/{poll_id}/votes", {"choice": choice})
        assert "receipt" in answer


def _close_from_the_console(console):
    console.click("#close-poll")
    expect(console.locator("#close-confirm")).to_be_visible()
    console.click("#close-yes")
    expect(console.locator("#chair-poll")).to_have_attribute("data-status", "closed")


def test_the_chair_sees_who_has_voted_before_closing(open_page, live_api, meeting, room, chair_closes_what_is_left):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    for city in AWAY:
        desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": room[city]["user_id"], "present": False})
    try:
        item = meeting["open_items"][REPORT]
        chair.post(f"/items/{item}/activate")
        motion = desk.post(f"/items/{item}/motions", {"kind": "general", "title": "To thank the regional offices"})
        console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
        screen = open_page(SECRETARIAT, width=1280, height=720, path=f"/meetings/{meeting['id']}/screen")
        phone = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
        for page in (console, screen, phone):
            _online(page)
        console.click(f'[data-open-poll="{motion["id"]}"]')
        poll_id = _poll_id(console, "#chair-poll")
        # while the vote is on, the current item stays: "Make current" is not offered
        expect(console.locator("[data-activate]").first).to_be_disabled()

        voters = [city for city in room if city not in AWAY and city not in ("Abuja", "Seoul")]
        assert len(voters) == 7
        _vote(live_api, room, poll_id, {city: "abstain" if city == "Almaty" else "yes" for city in voters})
        words = "7 of 9 present have voted; 12 eligible"
        expect(console.locator("#poll-count")).to_have_text(words)
        expect(screen.locator("#poll-count")).to_have_text(words)
        expect(phone.locator("#poll-count")).to_have_text(words)
        expect(console.locator("#poll-waiting")).to_have_text("Not voted yet: Abuja, Seoul")

        # closing asks first, with the turnout; cancelling leaves the poll open
        console.click("#close-poll")
        expect(console.locator("#close-question")).to_have_text(
            "Close the poll now? 7 of 9 present voting members have voted (12 eligible). "
            "The result takes effect at once.")
        expect(console.locator("#close-waiting")).to_have_text("Not voted yet: Abuja, Seoul")
        console.click("#close-no")
        expect(console.locator("#close-confirm")).to_be_hidden()
        assert chair.get(f"/polls/{poll_id}")["status"] == "open"

        _vote(live_api, room, poll_id, {"Abuja": "no"})
        expect(console.locator("#poll-count")).to_have_text("8 of 9 present have voted; 12 eligible")
        expect(console.locator("#poll-waiting")).to_have_text("Not voted yet: Seoul")
        _close_from_the_console(console)
        expect(console.locator("#result .result-status")).to_have_text("Adopted")
        expect(console.locator("#result .result-counts")).to_have_text(
            "Ballots: 8 · Votes cast: 7 · Abstentions: 1 · Eligible: 12")
        expect(console.locator("[data-activate]").first).to_be_enabled()
        assert not console.errors and not screen.errors and not phone.errors
    finally:
        for city in AWAY:
            desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": room[city]["user_id"], "mode": "in_person"})


def test_the_console_offers_no_poll_without_quorum_and_no_adjournment_during_a_vote(
        open_page, live_api, meeting, room, chair_closes_what_is_left):
    """Buttons the API would refuse are not offered as if they worked: "Open a poll" waits for a
    quorum (409 no_quorum) and says so; "Adjourn the meeting" waits for the poll to close
    (409 poll_open) and says so; both come back by themselves. Closing after the quorum was
    lost would make the vote void: the confirmation says so."""
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    leaving = [city for city in room if city != "Seoul"][:6]  # 6 of 12 present: 7 are needed
    item = meeting["open_items"][REPORT]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {"kind": "general", "title": "To note the budget outturn"})
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    _online(console)
    open_button = console.locator(f'[data-open-poll="{motion["id"]}"]')
    expect(open_button).to_be_enabled()
    try:
        for city in leaving:
            desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": room[city]["user_id"], "present": False})
        expect(console.locator("#quorum-badge")).to_have_text("Not quorate")
        expect(open_button).to_be_disabled()
        expect(console.locator("#no-quorum-hint")).to_have_text(
            "No quorum: a poll can be opened once enough voting members are present.")
    finally:
        for city in leaving:
            desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": room[city]["user_id"], "mode": "in_person"})
    expect(open_button).to_be_enabled()
    expect(console.locator("#no-quorum-hint")).to_have_count(0)

    expect(console.locator("#adjourn")).to_be_enabled()
    open_button.click()
    _poll_id(console, "#chair-poll")
    expect(console.locator("#adjourn")).to_be_disabled()
    expect(console.locator("#adjourn-hint")).to_have_text("A vote is under way: close the poll first.")
    # quorum lost during the vote: the confirmation says the close would make it void
    try:
        for city in leaving:
            desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": room[city]["user_id"], "present": False})
        expect(console.locator("#quorum-badge")).to_have_text("Not quorate")
        console.click("#close-poll")
        expect(console.locator("#close-void")).to_have_text(
            "No quorum now: closing makes this vote void, and it is held again.")
        console.click("#close-no")
    finally:
        for city in leaving:
            desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": room[city]["user_id"], "mode": "in_person"})
    expect(console.locator("#quorum-badge")).to_have_text("Quorate")
    console.click("#close-poll")
    expect(console.locator("#close-confirm")).to_be_visible()
    expect(console.locator("#close-void")).to_be_hidden()
    console.click("#close-yes")
    expect(console.locator("#chair-poll")).to_have_attribute("data-status", "closed")
    expect(console.locator("#adjourn")).to_be_enabled()
    expect(console.locator("#adjourn-hint")).to_be_hidden()

    # what adoption would do is on the console (and the phones and projector: the same renderer)
    membership = desk.post(f"/items/{item}/motions", {"kind": "membership", "title": "Membership matters",
                                                      "member_id": room["Hebron"]["member_id"], "action": "suspend"})
    console.locator(f'[data-open-poll="{membership["id"]}"]').click()
    _poll_id(console, "#chair-poll")
    expect(console.locator("#poll-detail .motion-member-change")).to_have_text(
        "If adopted, the membership of Hebron is suspended.")
    _close_from_the_console(console)  # nobody voted: rejected, Hebron keeps its vote
    expect(console.locator("#result .result-status")).to_have_text("Rejected")
    assert not console.errors


def test_the_next_round_can_be_opened_round_after_round(open_page, live_api, meeting, room, chair_closes_what_is_left):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["open_items"][HOST]
    chair.post(f"/items/{item}/activate")
    ids = {city: room[city]["member_id"] for city in ("Abuja", "Chengdu", "Kampala", "Makati")}
    motion = desk.post(f"/items/{item}/motions", {"kind": "host_city", "title": "Host city of EXCOM 2026",
                                                  "candidates": list(ids.values())})
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    _online(console)
    console.click(f'[data-open-poll="{motion["id"]}"]')
    rounds = [  # Makati out, then Kampala, then Abuja elected
        {"Abu Dhabi": "Abuja", "Abuja": "Abuja", "Almaty": "Abuja", "Beyoğlu": "Chengdu", "Chengdu": "Chengdu",
         "Cuenca": "Kampala", "Hebron": "Kampala", "Kampala": "Makati"},
        {"Abu Dhabi": "Abuja", "Abuja": "Abuja", "Almaty": "Abuja", "Beyoğlu": "Chengdu", "Chengdu": "Chengdu",
         "Cuenca": "Chengdu", "Hebron": "Kampala", "Kampala": "Kampala"},
        {"Abu Dhabi": "Abuja", "Abuja": "Abuja", "Almaty": "Abuja", "Beyoğlu": "Chengdu", "Chengdu": "Chengdu",
         "Cuenca": "Chengdu", "Hebron": "Abuja", "Kampala": "Abuja"},
    ]
    for number, votes in enumerate(rounds, start=1):
        poll_id = _poll_id(console, "#chair-poll")
        expect(console.locator("#poll-meta")).to_contain_text(f"Round {number}" if number > 1 else "Named vote")
        _vote(live_api, room, poll_id, {city: ids[name] for city, name in votes.items()})
        expect(console.locator("#poll-count")).to_have_text("8 of 12 present have voted; 12 eligible")
        _close_from_the_console(console)
        if number < len(rounds):
            expect(console.locator("#result .result-status")).to_have_text("No majority: another round is needed")
            expect(console.locator("#next-round")).to_be_enabled()  # again after its first use
            console.click("#next-round")
    expect(console.locator("#result .result-status")).to_have_text("Elected: Abuja")
    expect(console.locator("#next-round")).to_be_hidden()
    assert not console.errors


def test_an_instant_runoff_tie_for_last_goes_to_the_chair_and_every_round_is_shown(
        open_page, live_api, meeting, room, chair_closes_what_is_left):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["open_items"][HOST]
    chair.post(f"/items/{item}/activate")
    ids = {city: room[city]["member_id"] for city in ("Makati", "Abuja", "Cuenca")}
    motion = desk.post(f"/items/{item}/motions", {"kind": "host_city", "title": "Host city of EXCOM 2027 (ranked)",
                                                  "candidates": list(ids.values()), "method": "irv", "secret": True})
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    screen = open_page(SECRETARIAT, width=1280, height=720, path=f"/meetings/{meeting['id']}/screen")
    phone = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
    for page in (console, screen, phone):
        _online(page)
    poll = chair.post(f"/motions/{motion['id']}/polls")
    _OPENED.add(poll["id"])
    # the projector shows whom the room is choosing between, not only a count
    expect(screen.locator("#poll-detail .screen-candidates li")).to_have_count(3)
    expect(screen.locator("#poll-detail .screen-candidates")).to_contain_text("Cuenca")
    makati, abuja, cuenca = ids["Makati"], ids["Abuja"], ids["Cuenca"]
    rankings = {"Abu Dhabi": [makati], "Almaty": [makati], "Beyoğlu": [makati], "Chengdu": [makati],
                "Hebron": [abuja, cuenca], "Kampala": [abuja, cuenca], "Makati": [abuja, cuenca],
                "Cuenca": [cuenca, abuja], "São Paulo": [cuenca, abuja], "Seoul": [cuenca, abuja]}
    _vote(live_api, room, poll["id"], rankings)
    chair.post(f"/polls/{poll['id']}/close")
    expect(console.locator("#result .result-status")).to_have_text(
        "Tied: the chair may give a casting vote, or the vote is held again")
    expect(console.locator("#casting [data-casting-vote]")).to_have_count(2)  # the two level for last place
    expect(console.locator("#casting-hint")).to_contain_text("level for last place")
    console.get_by_role("button", name="Casting vote: Cuenca").click()
    console.get_by_role("button", name="Yes, my casting vote for Cuenca").click()
    for page in (console, screen, phone):
        expect(page.locator("#result .result-status")).to_have_text("Elected: Cuenca")
        table = page.locator("#result table.rounds")
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(table.locator('tr[data-round="1"]')).to_contain_text(
            "Level for last place: Abuja, Cuenca. The chair's casting vote kept Cuenca. Eliminated: Abuja.")
        expect(table.locator('tr[data-round="2"] td').nth(3)).to_have_text("10")  # still counting
        expect(table.locator('tr[data-round="2"] td').nth(4)).to_have_text("6")  # needed in that round
        expect(page.locator("#result .result-threshold")).to_have_text(
            "More than half of the 10 ballots still counting in round 2: at least 6")
    assert not console.errors and not screen.errors and not phone.errors


def _svg(colour):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">'
            f'<rect width="40" height="40" fill="{colour}"/></svg>').encode()


def test_the_projector_shows_the_logos_being_voted_on(open_page, live_api, meeting, room, chair_closes_what_is_left):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["open_items"][LOGO]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {"kind": "logo", "title": "A logo for the 2026 summit"})
    for label, colour in (("Teal", "#1b8aa6"), ("Orange", "#f28c28")):
        answer = requests.post(f"{desk.base}/api/v1/motions/{motion['id']}/logos", headers=desk.headers,
                               data={"label": label}, files={"file": ("logo.svg", _svg(colour), "image/svg+xml")},
                               timeout=TIMEOUT)
        assert answer.status_code == 201, answer.text
    screen = open_page(SECRETARIAT, width=1280, height=720, path=f"/meetings/{meeting['id']}/screen")
    _online(screen)
    poll = chair.post(f"/motions/{motion['id']}/polls")
    _OPENED.add(poll["id"])
    expect(screen.locator("#poll-detail img.candidate-logo")).to_have_count(2)
    expect(screen.locator("#poll-detail .screen-candidates")).to_contain_text("Orange")
    chair.post(f"/polls/{poll['id']}/close")
    assert not screen.errors


def _docx_rows_and_paragraphs(data: bytes):
    from docx import Document
    document = Document(io.BytesIO(data))
    rows = [tuple(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return rows, [p.text for p in document.paragraphs]


def test_an_amendment_is_shown_with_its_changes_and_every_screen_says_the_same_as_the_memorandum(
        open_page, live_api, meeting, room, chair_closes_what_is_left):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["closed_items"][AMENDMENTS]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {
        "kind": "statutes_amendment", "title": "Article 7: online participation",
        "current_text": "Members attend in person.",
        "proposed_text": "Members attend in person or online <img src=x onerror=\"window['pwned']=1\">."})
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    screen = open_page(SECRETARIAT, width=1280, height=720, path=f"/meetings/{meeting['id']}/screen")
    phone = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
    for page in (console, screen, phone):
        _online(page)
    poll = chair.post(f"/motions/{motion['id']}/polls")
    _OPENED.add(poll["id"])
    for page in (phone, screen):
        detail = page.locator("#poll-detail")
        expect(detail.locator(".amendment-current")).to_have_text("Members attend in person.")
        expect(detail.locator(".changes ins")).to_have_text(" or online <img src=x onerror=\"window['pwned']=1\">")
        expect(detail.locator(".motion-majority")).to_have_text(
            "Needs: Two-thirds of votes cast: yes at least twice no")
        expect(detail.locator("img")).to_have_count(0)  # the text stays text
        assert page.evaluate("window.pwned === undefined")
    votes = {city: "yes" for city in list(room)[:7]}
    votes.update({city: "no" for city in list(room)[7:10]})
    votes[list(room)[10]] = "abstain"
    _vote(live_api, room, poll["id"], votes)
    chair.post(f"/polls/{poll['id']}/close")
    said = set()
    for page in (console, screen, phone):
        expect(page.locator("#result .result-status")).to_have_text("Adopted")
        said.add((page.locator("#result .result-counts").inner_text(),
                  page.locator("#result .result-threshold").inner_text()))
    assert said == {("Ballots: 11 · Votes cast: 10 · Abstentions: 1 · Eligible: 12",
                     "Two-thirds of votes cast: yes at least twice no")}
    # and the memorandum says it in the same words, with the changes marked
    version = desk.post(f"/meetings/{meeting['id']}/memorandum")["version"]
    answer = requests.get(f"{desk.base}/api/v1/meetings/{meeting['id']}/memorandum.docx", headers=desk.headers,
                          timeout=TIMEOUT * 4)
    assert answer.status_code == 200 and version >= 1
    rows, paragraphs = _docx_rows_and_paragraphs(answer.content)
    assert "Required: two-thirds of votes cast: yes at least twice no. Abstentions are not votes cast." in paragraphs
    start = rows.index(("Choice", "Votes", "Share of votes cast"),
                       max(i for i, row in enumerate(rows) if row[:2] == ("Yes", "7")) - 1)
    table = rows[start:start + 8]
    for expected in (("Yes", "7"), ("No", "3"), ("Votes cast", "10"), ("Abstentions", "1"), ("Ballots", "11"),
                     ("Members eligible to vote", "12")):
        assert any(row[:2] == expected for row in table), (expected, table)
    assert any("onerror=" in p for p in paragraphs)  # as text in the quoted proposal
    assert not console.errors and not screen.errors and not phone.errors


def test_an_online_delegate_says_i_am_here_before_the_ballot(open_page, live_api, meeting, room,
                                                             chair_closes_what_is_left):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    cuenca = room["Cuenca"]
    desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": cuenca["user_id"], "present": False})
    item = meeting["open_items"][REPORT]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {"kind": "general", "title": "To publish the annual report"})
    phone = open_page(cuenca["email"], path=f"/meetings/{meeting['id']}")
    _online(phone)
    expect(phone.locator("#here")).to_be_visible()
    poll = chair.post(f"/motions/{motion['id']}/polls")
    _OPENED.add(poll["id"])
    # no ballot to tap and confirm before learning of the check-in: the ballot asks first
    expect(phone.locator("#ballot")).to_contain_text("You are not checked in. Say you are here, then vote.")
    expect(phone.locator("#ballot .choice")).to_have_count(0)
    phone.click("#ballot-here")
    expect(phone.locator("#here")).to_be_hidden()
    phone.click('.choice[data-choice="yes"]')
    phone.click("#confirm-yes")
    expect(phone.locator("#voted-title")).to_have_text("Your vote was recorded.")
    me = next(p for p in desk.get(f"/meetings/{meeting['id']}/participants") if p["user_id"] == cuenca["user_id"])
    assert (me["present"], me["mode"]) == (True, "online")
    chair.post(f"/polls/{poll['id']}/close")
    assert not phone.errors


def test_the_russian_phone_shows_the_new_words_in_russian(open_page, live_api, meeting, room,
                                                          chair_closes_what_is_left, data_strings):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["closed_items"][AMENDMENTS]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {"kind": "statutes_amendment", "title": "Article 9",
                                                  "current_text": "One.", "proposed_text": "Two."})
    phone = open_page("abuja@excom.example.org", locale="ru-RU", path=f"/meetings/{meeting['id']}")
    _online(phone)
    poll = chair.post(f"/motions/{motion['id']}/polls")
    _OPENED.add(poll["id"])
    expect(phone.locator("#poll-detail .motion-majority")).to_have_text(
        "Требуется: Две трети поданных голосов: «за» не менее чем вдвое больше, чем «против»")
    expect(phone.locator("#poll-count")).to_contain_text("присутствующих")
    assert_all_russian(phone, data_strings + ["Article 9", "One.", "Two."])
    chair.post(f"/polls/{poll['id']}/close")
    expect(phone.locator("#result .result-counts")).to_contain_text("Бюллетеней")
    assert_all_russian(phone, data_strings + ["Article 9", "One.", "Two."])
    assert not phone.errors


def test_the_secretariat_puts_the_approval_of_a_memorandum_held_outside(open_page, live_api, meeting, tmp_path):
    """The first meeting on the platform: EXCOM 2023's memorandum is a file, not a meeting here."""
    memorandum = tmp_path / "EXCOM 2023 memorandum.pdf"
    memorandum.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    page = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/setup")
    expect(page.locator("#motion-list")).to_have_attribute("data-loaded", "true")
    page.select_option("#sm-item", str(meeting["closed_items"]["Review of Meeting Memorandum of WeGO EXCOM 2023"]))
    page.select_option("#sm-kind", "minutes_approval")
    page.fill("#sm-title", "Approval of the memorandum of EXCOM 2023")
    page.check("#sm-memo-source-outside")
    expect(page.locator("#sm-memo-meeting-box")).to_be_hidden()
    page.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#sm-error")).to_contain_text("Choose the memorandum's file (PDF or DOCX) first.")
    page.fill("#sm-memo-title", "Memorandum of the WeGO EXCOM Meeting 2023")
    page.set_input_files("#sm-memo-file", str(memorandum))
    page.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#sm-done")).to_be_visible()
    motions = [m for m in live_api(SECRETARIAT).get(f"/meetings/{meeting['id']}/motions")
               if m["title"] == "Approval of the memorandum of EXCOM 2023"]
    assert len(motions) == 1
    outside = motions[0]["external_memorandum"]
    assert (outside["title"], outside["filename"], outside["content_type"]) == (
        "Memorandum of the WeGO EXCOM Meeting 2023", "EXCOM_2023_memorandum.pdf", "application/pdf")
    assert not page.errors


# --- a meeting of its own: adjournment --------------------------------------------------------

def test_after_adjournment_the_console_offers_nothing_to_take_up(open_page, live_api):
    desk = live_api(SECRETARIAT)
    users = {user["email"]: user["id"] for user in desk.get("/users")}
    meeting = desk.post("/meetings", {"title": "EXCOM 2025 extraordinary meeting", "venue": "Online",
                                      "timezone": "Asia/Almaty", "starts_at": "2025-06-01T09:00:00+05:00",
                                      "quorum": {"rule": "count", "count": 1}})
    desk.post(f"/meetings/{meeting['id']}/participants",
              {"user_id": users[CHAIR], "group": "excom_member", "chair": True})
    desk.post(f"/meetings/{meeting['id']}/participants", {"user_id": users[DELEGATE], "group": "excom_member"})
    desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": users[DELEGATE], "mode": "online"})
    session = desk.post(f"/meetings/{meeting['id']}/sessions", {"title": "Open Session", "kind": "open"})
    first = desk.post(f"/sessions/{session['id']}/items", {"title": "A statement", "kind": "motion"})
    desk.post(f"/sessions/{session['id']}/items", {"title": "Any other business", "kind": "procedural"})
    motions = [desk.post(f"/items/{first['id']}/motions", {"kind": "general", "title": title})
               for title in ("To issue the statement", "To thank the host")]
    live_api(CHAIR).post(f"/items/{first['id']}/activate")
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    _online(console)
    expect(console.locator("[data-activate]")).to_have_count(2)
    console.click(f'[data-open-poll="{motions[0]["id"]}"]')
    expect(console.locator("#chair-poll")).to_have_attribute("data-status", "open")
    # adjournment cannot interrupt the vote: the console says why, and offers it again after the close
    expect(console.locator("#adjourn")).to_be_disabled()
    expect(console.locator("#adjourn-hint")).to_have_text("A vote is under way: close the poll first.")
    _close_from_the_console(console)
    desk_page = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/desk")
    _online(desk_page)
    chair_row = desk_page.locator(f'#checkin-list [data-user-id="{users[CHAIR]}"]')
    expect(chair_row.locator('[data-checkin="online"]')).to_be_enabled()
    console.click("#adjourn")
    console.click("#adjourn-yes")
    expect(console.locator("#adjourned")).to_be_visible()
    expect(console.locator("#adjourn")).to_be_disabled()
    for attempt in ("live", "reloaded"):
        expect(console.locator("[data-activate]:visible")).to_have_count(0)
        expect(console.locator("[data-open-poll]")).to_have_count(0)
        # the desk checks nobody in any more and moves no motion; checking out stays possible
        expect(chair_row.locator('[data-checkin="online"]')).to_be_disabled()
        expect(chair_row.locator('[data-checkin="in_person"]')).to_be_disabled()
        expect(desk_page.locator(f'#checkin-list [data-user-id="{users[DELEGATE]}"] [data-checkin="out"]')) \
            .to_be_enabled()
        expect(desk_page.locator("#motion-form")).to_be_hidden()
        if attempt == "live":
            console.reload()
            desk_page.reload()
            _online(console)
            _online(desk_page)
    assert not console.errors and not desk_page.errors


# --- the played demo: the same numbers in the same words --------------------------------------

@pytest.fixture(scope="module")
def played_server(tmp_path_factory, request):
    """A second `excom serve`, on a database where `excom demo --play` played the whole meeting."""
    with serving(tmp_path_factory.mktemp("played-instance"), request, [["init-db"], ["demo", "--play"]],
                 EXCOM_SECRET_KEY="played") as (base, _outputs):
        yield base


def test_the_played_demo_says_the_same_on_the_screens_and_in_the_memorandum(browser, played_server):
    desk = Api(played_server, SECRETARIAT)
    meeting_id = min(m["id"] for m in desk.get("/meetings"))
    # every counted poll (an assessment, which records scores rather than counting votes, aside)
    polls = [r["poll_id"] for motion in desk.get(f"/meetings/{meeting_id}/motions") for r in motion["rounds"]
             if r.get("status") != "recorded"]
    assert len(polls) >= 10
    memorandum = requests.get(f"{played_server}/api/v1/meetings/{meeting_id}/memorandum.docx", headers=desk.headers,
                              timeout=TIMEOUT * 4)
    rows, paragraphs = _docx_rows_and_paragraphs(memorandum.content)
    context = browser.new_context(base_url=played_server, locale="en-GB")
    page = context.new_page()
    page.goto(f"/login?next=/meetings/{meeting_id}/screen")
    page.fill("#email", SECRETARIAT)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**/meetings/{meeting_id}/screen")
    _online(page)
    for poll_id in polls:
        # the projector's (and the console's, and the phone's: one function draws them all) words for this result
        said = page.evaluate("""async (id) => {
            const answer = await Excom.api("GET", "/polls/" + id);
            const box = document.createElement("div");
            Excom.renderResult(box, answer.body, answer.body.result);
            return {counts: box.querySelector(".result-counts").textContent,
                    threshold: box.querySelector(".result-threshold").textContent};
        }""", poll_id)
        numbers = dict(re.findall(r"(Ballots|Votes cast|Abstentions|Eligible): (\d+)", said["counts"]))
        assert set(numbers) == {"Ballots", "Votes cast", "Abstentions", "Eligible"}, said
        for label, value in (("Ballots", numbers["Ballots"]), ("Votes cast", numbers["Votes cast"]),
                             ("Abstentions", numbers["Abstentions"]),
                             ("Members eligible to vote", numbers["Eligible"])):
            assert (label, value, "") in rows, (poll_id, label, value)
        sentence = said["threshold"][:1].lower() + said["threshold"][1:]
        assert f"Required: {sentence}. Abstentions are not votes cast." in paragraphs, (poll_id, sentence)
    context.close()
