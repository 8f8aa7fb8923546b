"""A live vote in real browsers: the delegate's phone, the chair's console and the
projector, over Socket.IO against a running server."""
import re

import pytest

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect  # noqa: E402

from tests.pages.conftest import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, screenshot
from tests.pages.test_live_pages import assert_all_russian, data_strings  # noqa: F401  (fixture)

pytestmark = pytest.mark.live

RUSSIAN_DELEGATE = "abuja@excom.example.org"


def _online(page):
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")


@pytest.fixture(scope="module")
def room(live_api, meeting):
    """Every EXCOM member's delegate checked in; tokens for each of them."""
    desk = live_api(SECRETARIAT)
    delegates = {}
    for person in meeting["participants"]:
        if person["group"] != "excom_member":
            continue
        desk.post(f"/meetings/{meeting['id']}/attendance",
                  {"user_id": person["user_id"],
                   "mode": "online" if person["affiliation"] == "Cuenca" else "in_person"})
        email = desk.get(f"/users/{person['user_id']}")["email"]
        delegates[person["affiliation"]] = {"email": email, "member_id": person["member_id"]}
    return delegates


OPENED: list[int] = []  # the polls these tests opened


@pytest.fixture(autouse=True)
def _no_poll_left_open(live_api):
    """A test that fails half-way must not leave its poll open for the next one (one open poll per meeting)."""
    yield
    chair = live_api(CHAIR)
    while OPENED:
        poll_id = OPENED.pop()
        if chair.get(f"/polls/{poll_id}")["status"] == "open":
            chair.post(f"/polls/{poll_id}/close")


def _vote_by_api(live_api, room, poll_id, votes):
    for city, choice in votes.items():
        answer = live_api(room[city]["email"]).post(f"/polls/{poll_id}/votes", {"choice": choice})
        assert "receipt" in answer


def _open_poll_id(page, selector="#poll"):
    expect(page.locator(selector)).to_have_attribute("data-status", "open")
    poll_id = int(page.locator(selector).get_attribute("data-poll-id"))
    OPENED.append(poll_id)
    return poll_id


def test_a_delegate_votes_on_a_phone_and_the_console_and_screen_follow(open_page, live_api, meeting, room,
                                                                       data_strings):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["open_items"]["Review of 2024 WeGO Secretariat Annual Report"]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {
        "kind": "general", "title": "To accept the 2024 Secretariat Annual Report",
        "text": "The Executive Committee accepts the Secretariat's annual report for 2024.", "majority": "simple"})

    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    phone = open_page(DELEGATE, path=f"/meetings/{meeting['id']}", scale=2)
    russian = open_page(RUSSIAN_DELEGATE, locale="ru-RU", path=f"/meetings/{meeting['id']}")
    screen = open_page(SECRETARIAT, width=1280, height=720, path=f"/meetings/{meeting['id']}/screen")
    observer = open_page(OBSERVER, path=f"/meetings/{meeting['id']}")
    for page in (console, phone, russian, screen, observer):
        _online(page)
    # nothing to vote on yet (an earlier scene on this shared server may have closed a poll on this item)
    expect(phone.locator("#poll")).not_to_have_attribute("data-status", "open")
    expect(phone.locator(".choice")).to_have_count(0)

    # the chair opens the poll from the console; it appears on the phone without a reload
    console.click(f'[data-open-poll="{motion["id"]}"]')
    poll_id = _open_poll_id(phone)
    expect(phone.locator("#poll-title")).to_have_text(motion["title"])
    # an observer follows the open-session vote, without a ballot
    expect(observer.locator("#poll")).to_be_visible()
    expect(observer.locator("#ballot")).to_have_text("You are following this poll; you do not vote in it.")
    expect(observer.locator(".choice")).to_have_count(0)
    expect(phone.locator('.choice[data-choice="yes"]')).to_be_visible()
    expect(console.locator("#poll-count")).to_have_text("0 of 12 present have voted; 12 eligible")
    expect(phone.locator("#poll-detail .motion-text")).to_have_text(motion["text"])  # what the delegate votes on
    expect(phone.locator("#poll-detail .motion-majority")).to_have_text(
        "Needs: Simple majority of votes cast: more yes than no")
    screenshot(phone, "delegate-phone-ballot")

    # one tap, a confirmation, the receipt
    phone.click('.choice[data-choice="yes"]')
    expect(phone.locator("#confirm-question")).to_have_text("Your vote: Yes. Is this right?")
    phone.click("#confirm-yes")
    expect(phone.locator("#voted")).to_be_visible()
    expect(phone.locator("#receipt")).to_have_text(re.compile(r"^[\w-]{6,}$"))
    expect(phone.locator("#voted-title")).to_have_text("Your vote was recorded.")
    receipt = phone.locator("#receipt").inner_text()
    # the phone's count follows too
    expect(phone.locator("#poll-count")).to_have_text("1 of 12 present have voted; 12 eligible")
    screenshot(phone, "delegate-phone-receipt")
    expect(console.locator("#poll-count")).to_have_text("1 of 12 present have voted; 12 eligible")
    expect(screen.locator("#poll-count")).to_have_text("1 of 12 present have voted; 12 eligible")

    # the Russian delegate's whole path is in Russian
    _open_poll_id(russian)
    assert_all_russian(russian, data_strings + [motion["title"], motion["text"]])
    # this one votes with the keyboard only: Enter on a choice, Tab to the confirmation, Enter
    russian.locator('.choice[data-choice="no"]').focus()
    russian.keyboard.press("Enter")
    expect(russian.locator("#confirm-question")).to_have_text("Ваш выбор: Против. Всё верно?")
    expect(russian.locator("#confirm-question")).to_be_focused()
    assert_all_russian(russian, data_strings + [motion["title"], motion["text"]])
    russian.keyboard.press("Tab")
    expect(russian.locator("#confirm-yes")).to_be_focused()
    russian.keyboard.press("Enter")
    expect(russian.locator("#receipt")).not_to_be_empty()
    expect(russian.locator("#voted-title")).to_have_text("Ваш голос записан.")
    screenshot(russian, "delegate-phone-russian")
    assert_all_russian(russian, data_strings + [motion["title"], motion["text"]])
    expect(console.locator("#poll-count")).to_have_text("2 of 12 present have voted; 12 eligible")

    _vote_by_api(live_api, room, poll_id, {"Abu Dhabi": "yes", "Beyoğlu": "yes", "Chengdu": "yes", "Cuenca": "yes",
                                      "Hebron": "abstain", "Kampala": "no", "Makati": "yes"})
    expect(console.locator("#poll-count")).to_have_text("9 of 12 present have voted; 12 eligible")
    expect(screen.locator("#poll-count")).to_have_text("9 of 12 present have voted; 12 eligible")
    screenshot(console, "chair-console-live")

    # a second vote of the same member is refused, and the phone says so instead of a receipt
    again = live_api(DELEGATE)
    import requests
    refused = requests.post(f"{again.base}/api/v1/polls/{poll_id}/votes", json={"choice": "no"},
                            headers=again.headers, timeout=10)
    assert refused.status_code == 409

    console.click("#close-poll")
    expect(console.locator("#close-question")).to_have_text(
        "Close the poll now? 9 of 12 present voting members have voted (12 eligible). The result takes effect at once.")
    expect(console.locator("#close-waiting")).to_have_text("Not voted yet: São Paulo, Seberang Perai, Seoul")
    console.click("#close-yes")
    expect(console.locator("#result .result-status")).to_have_text("Adopted")
    expect(console.locator("#result .result-threshold")).to_have_text("Simple majority of votes cast: more yes than no")
    expect(console.locator("#result .result-counts")).to_have_text(
        "Ballots: 9 · Votes cast: 8 · Abstentions: 1 · Eligible: 12")
    expect(console.locator("#result .bar-row")).to_have_count(3)
    expect(phone.locator("#result .result-status")).to_have_text("Adopted")
    expect(phone.locator("#voted-title")).to_have_text("Your vote was recorded.")  # the receipt stays
    expect(russian.locator("#result .result-status")).to_have_text("Принято")
    assert_all_russian(russian, data_strings + [motion["title"], motion["text"]])
    expect(screen.locator("#result .result-status")).to_have_text("Adopted")
    expect(screen.locator("#result .bar-row")).to_have_count(3)
    expect(observer.locator("#result .result-status")).to_have_text("Adopted")
    screenshot(console, "chair-console-result")
    screenshot(screen, "projector")

    # opened again after the close (a reload, a phone back from sleep): the result and the receipt are still there
    phone.reload()
    _online(phone)
    expect(phone.locator("#result .result-status")).to_have_text("Adopted")
    expect(phone.locator("#receipt")).to_have_text(receipt)

    ballots = chair.get(f"/polls/{poll_id}/ballots")
    assert receipt in {b["receipt"] for b in ballots}  # the voter finds their receipt in the published list
    for page in (console, phone, russian, screen, observer):
        assert not page.errors, page.errors


def test_a_host_city_ballot_goes_to_a_next_round_from_the_console(open_page, live_api, meeting, room):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["open_items"]["Approval of Host City of the EXCOM Meeting 2025"]
    chair.post(f"/items/{item}/activate")
    candidates = [room[city]["member_id"] for city in ("Chengdu", "Cuenca", "Makati")]
    motion = desk.post(f"/items/{item}/motions", {"kind": "host_city", "title": "Host city of EXCOM 2025",
                                                  "candidates": candidates})
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    phone = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
    _online(console)
    _online(phone)

    console.click(f'[data-open-poll="{motion["id"]}"]')
    poll_id = _open_poll_id(phone)
    for city in ("Chengdu", "Cuenca", "Makati"):  # the candidates by their city names
        expect(phone.locator(f'.choice[data-choice="{room[city]["member_id"]}"]')).to_have_text(city)
    phone.click(f'.choice[data-choice="{room["Chengdu"]["member_id"]}"]')
    phone.click("#confirm-yes")
    expect(phone.locator("#receipt")).not_to_be_empty()
    # Chengdu 4, Cuenca 4, Makati 3: nobody has a majority, Makati is eliminated
    ids = {city: room[city]["member_id"] for city in ("Chengdu", "Cuenca", "Makati")}
    _vote_by_api(live_api, room, poll_id, {"Abu Dhabi": ids["Chengdu"], "Abuja": ids["Chengdu"],
                                           "Beyoğlu": ids["Chengdu"],
                                           "Cuenca": ids["Cuenca"], "Hebron": ids["Cuenca"], "Kampala": ids["Cuenca"],
                                           "São Paulo": ids["Cuenca"], "Makati": ids["Makati"],
                                           "Seberang Perai": ids["Makati"], "Seoul": ids["Makati"]})
    expect(console.locator("#poll-count")).to_have_text("11 of 12 present have voted; 12 eligible")
    console.click("#close-poll")
    console.click("#close-yes")
    expect(console.locator("#result .result-status")).to_have_text("No majority: another round is needed")
    expect(console.locator("#result .result-next")).to_have_text("Next round: Chengdu, Cuenca")
    expect(phone.locator("#result .result-status")).to_have_text("No majority: another round is needed")

    console.reload()  # the console, opened again, still offers the next round
    _online(console)
    expect(console.locator("#result .result-status")).to_have_text("No majority: another round is needed")
    console.click("#next-round")
    round_two = _open_poll_id(phone)
    assert round_two != poll_id
    expect(phone.locator("#poll-meta")).to_contain_text("Round 2")
    expect(phone.locator(".choice")).to_have_count(3)  # Chengdu, Cuenca, abstain
    phone.click(f'.choice[data-choice="{ids["Cuenca"]}"]')
    phone.click("#confirm-yes")
    expect(phone.locator("#receipt")).not_to_be_empty()
    _vote_by_api(live_api, room, round_two,
                 {city: ids["Cuenca"] for city in ("Abu Dhabi", "Abuja", "Hebron", "Kampala", "Seoul")})
    expect(console.locator("#poll-count")).to_have_text("6 of 12 present have voted; 12 eligible")
    console.click("#close-poll")
    console.click("#close-yes")
    expect(console.locator("#result .result-status")).to_have_text("Elected: Cuenca")
    expect(phone.locator("#result .result-status")).to_have_text("Elected: Cuenca")
    assert not console.errors and not phone.errors


def _logo_svg(colour: str, letter: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" width="120" height="80">'
            f'<rect width="120" height="80" rx="12" fill="{colour}"/>'
            f'<circle cx="40" cy="40" r="22" fill="#ffffff" opacity="0.85"/>'
            f'<text x="40" y="50" font-size="30" text-anchor="middle" font-family="sans-serif" '
            f'fill="{colour}">{letter}</text>'
            f'<rect x="70" y="28" width="36" height="8" rx="4" fill="#ffffff"/>'
            f'<rect x="70" y="44" width="26" height="8" rx="4" fill="#ffffff"/>'
            f'</svg>').encode()


def test_a_logo_vote_ranks_candidates_by_their_images_instant_runoff(open_page, live_api, meeting, room):
    import requests
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["open_items"]["Approval of New WeGO Logo"]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {"kind": "logo", "title": "The new WeGO logo", "method": "irv"})
    for label, colour, letter in (("Blue wave", "#0b4f8a", "W"), ("Green leaf", "#1b6e3a", "G"),
                                  ("Sunset", "#b3541e", "S")):
        answer = requests.post(f"{desk.base}/api/v1/motions/{motion['id']}/logos", headers=desk.headers,
                               data={"label": label},
                               files={"file": (f"{letter}.svg", _logo_svg(colour, letter), "image/svg+xml")},
                               timeout=10)
        assert answer.status_code == 201, answer.text
    logos = {c["label"]: c["value"] for c in chair.get(f"/motions/{motion['id']}")["candidates"]}

    phone = open_page(DELEGATE, path=f"/meetings/{meeting['id']}", scale=2)
    _online(phone)
    chair.post(f"/motions/{motion['id']}/polls")
    poll_id = _open_poll_id(phone)
    expect(phone.locator(".choice img.choice-logo")).to_have_count(3)
    phone.locator(".choice img.choice-logo").first.evaluate("img => img.decode()")
    phone.click(f'.choice[data-choice="{logos["Green leaf"]}"]')
    phone.click(f'.choice[data-choice="{logos["Blue wave"]}"]')
    expect(phone.locator("#ranking li")).to_have_count(2)
    phone.locator("#ranking li").nth(1).get_by_role("button", name=re.compile("Move up")).click()
    expect(phone.locator("#ranking li").first).to_have_attribute("data-choice", str(logos["Blue wave"]))
    phone.evaluate("window.scrollTo(0, document.getElementById('poll').offsetTop - 8)")
    screenshot(phone, "delegate-phone-logo-ranking")
    phone.get_by_role("button", name="Vote with this ranking").click()
    expect(phone.locator("#confirm-question")).to_have_text("Your vote: 1. Blue wave, 2. Green leaf. Is this right?")
    phone.click("#confirm-yes")
    expect(phone.locator("#receipt")).not_to_be_empty()
    blue, green, sunset = logos["Blue wave"], logos["Green leaf"], logos["Sunset"]
    _vote_by_api(live_api, room, poll_id, {"Abu Dhabi": [green, blue], "Abuja": [sunset, blue], "Beyoğlu": [blue],
                                      "Chengdu": [green, sunset], "Cuenca": [green, blue], "Hebron": [blue, green]})
    closed = chair.post(f"/polls/{poll_id}/close")
    # first choices Blue 3, Green 3, Sunset 1: Sunset goes, its ballot moves to Blue, which wins 4 to 3
    assert closed["result"]["status"] == "elected" and closed["result"]["winner"] == blue
    expect(phone.locator("#result .result-status")).to_have_text("Elected: Blue wave")
    assert not phone.errors


def test_the_secretariat_writes_notes_puts_a_motion_and_builds_the_memorandum(open_page, live_api, meeting, room):
    # `room`: the members are checked in, so the chair may open a poll (the console waits for a quorum)
    item = meeting["closed_items"]["Upcoming WeGO Activities for 2025"]
    live_api(CHAIR).post(f"/items/{item}/activate")
    desk = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/desk")
    _online(desk)
    expect(desk.locator("#now-item")).to_contain_text("Upcoming WeGO Activities for 2025")

    desk.fill("#notes", "The Secretariat presented the 2025 activities; members asked for a regional forum.")
    desk.get_by_role("button", name="Save the notes").click()
    expect(desk.locator("#notes-meta")).to_contain_text("Saved: revision")
    assert "regional forum" in live_api(SECRETARIAT).get(f"/items/{item}/notes")["text"]

    desk.fill("#motion-title", "To endorse the 2025 activity plan")
    desk.fill("#motion-text", "The Executive Committee endorses the activity plan for 2025.")
    desk.select_option("#motion-majority", "two_thirds")
    desk.get_by_role("button", name="Put the motion").click()
    expect(desk.locator("#motion-done")).to_have_text("The motion is on the item; the chair can open the poll.")
    motions = live_api(CHAIR).get(f"/items/{item}/motions")
    assert [(m["title"], m["majority"]) for m in motions] == [("To endorse the 2025 activity plan", "two_thirds")]
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    expect(console.locator(f'[data-open-poll="{motions[0]["id"]}"]')).to_be_enabled()

    desk.get_by_role("button", name="Build a new version").click()
    # a build of both editions in both languages takes seconds, more on a busy machine
    expect(desk.locator("#memo-status")).to_contain_text("built", timeout=60_000)
    row = desk.locator("#memo-versions tr[data-version]").first
    expect(row).to_be_visible()
    links = row.locator('a[href*="edition="]')
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    # both editions, in English and in Russian
    assert {(("edition=full" in h), ("lang=ru" in h)) for h in hrefs} == {(True, False), (True, True),
                                                                        (False, False), (False, True)}
    for href in hrefs:
        answer = desk.request.get(href)
        assert answer.status == 200 and answer.body()[:2] == b"PK"  # a DOCX is a zip
    desk.get_by_role("button", name="Distribute to EXCOM members").click()
    desk.click("#memo-confirm-yes")  # the desk lists the recipients and asks first
    expect(desk.locator("#memo-status")).to_contain_text("recorded")
    desk.fill("#search", "ka")
    screenshot(desk, "secretariat-desk")
    assert not desk.errors and not console.errors


def test_an_observer_hears_nothing_of_a_closed_session_vote(open_page, live_api, meeting, room):
    desk, chair = live_api(SECRETARIAT), live_api(CHAIR)
    item = meeting["closed_items"]["Approval of Membership Fee Use for 2025"]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {"kind": "general", "title": "To approve the use of the 2025 fees",
                                                  "majority": "simple", "secret": True})
    observer = open_page(OBSERVER, path=f"/meetings/{meeting['id']}")
    member = open_page(DELEGATE, path=f"/meetings/{meeting['id']}")
    _online(observer)
    _online(member)

    poll = chair.post(f"/motions/{motion['id']}/polls")
    OPENED.append(poll["id"])
    expect(member.locator("#poll-meta")).to_contain_text("Secret ballot")
    _vote_by_api(live_api, room, poll["id"], {"Abuja": "yes", "Cuenca": "yes", "Hebron": "no"})
    expect(member.locator("#poll-count")).to_have_text("3 of 12 present have voted; 12 eligible")
    chair.post(f"/polls/{poll['id']}/close")
    expect(member.locator("#result .result-status")).to_have_text("Adopted")

    for attempt in ("live", "reloaded"):
        expect(observer.locator("#poll")).to_be_hidden()
        html = observer.content()
        assert motion["title"] not in html
        for title in meeting["closed_titles"]:
            assert title not in html, (attempt, title)
        if attempt == "live":
            observer.reload()
            _online(observer)
    assert not observer.errors and not member.errors
