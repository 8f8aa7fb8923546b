"""The secretariat sets a meeting up from the set-up page, and the chair breaks a tie with
the casting vote, in a real browser against a running server. Each scene has a meeting of
its own, so the demo meeting the other browser tests use is left as it was."""
import struct
import zlib
from datetime import UTC, datetime

import pytest

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.live

from tests.pages.conftest import CHAIR, SECRETARIAT, screenshot  # noqa: E402
from tests.pages.test_live_pages import assert_all_russian, data_strings  # noqa: E402,F401  (fixture)


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A real RGB PNG: a coloured card with a white band, as a designer's logo would not be."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    white = bytes((255, 255, 255))
    rows = []
    for y in range(height):
        band = height // 3 <= y < 2 * height // 3
        rows.append(b"\x00" + b"".join(white if band and width // 4 <= x < 3 * width // 4 else bytes(colour)
                                       for x in range(width)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


def _new_meeting(live_api, title: str) -> dict:
    return live_api(SECRETARIAT).post("/meetings", {
        "title": title, "venue": "Seoul City Hall", "timezone": "Asia/Almaty",
        "starts_at": "2025-10-01T09:00:00+05:00", "quorum": {"rule": "majority"}})


def _user_ids(live_api) -> dict:
    return {user["email"]: user["id"] for user in live_api(SECRETARIAT).get("/users")}


def test_the_secretariat_sets_up_a_meeting_from_the_forms(open_page, live_api):
    desk = live_api(SECRETARIAT)
    meeting = _new_meeting(live_api, "EXCOM 2025 preparatory meeting")
    members = {m["name"]: m["id"] for m in desk.get("/members")}
    page = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/setup")
    expect(page.locator("h1")).to_contain_text("EXCOM 2025 preparatory meeting")

    # a session, its times typed on the meeting's clock (Almaty, UTC+5)
    session_form = page.locator("#session-form")
    session_form.get_by_label("Title", exact=True).fill("Open Session")
    session_form.get_by_label("Kind", exact=True).select_option("open")
    page.fill("#session-date", "2025-10-01")
    page.fill("#session-start", "14:00")
    page.fill("#session-end", "17:30")
    session_form.get_by_label("Venue").fill("Hall B")
    page.get_by_role("button", name="Add the session").click()
    expect(page.locator("#session-done")).to_have_text("Session added: Open Session.")
    expect(page.locator("#session-list li")).to_have_count(1)
    expect(page.locator("#session-list li")).to_contain_text("1 October 2025 at 14:00–17:30")

    # two agenda items, then the logo item is moved before the host city
    for number, title, kind in (("1", "Host City of EXCOM 2026", "host_city"), ("2", "New Logo", "logo")):
        page.fill("#item-number", number)
        page.select_option("#item-kind", kind)
        page.fill("#item-title", title)
        page.get_by_role("button", name="Add the item").click()
        expect(page.locator("#item-done")).to_have_text(f"Item added: {title}.")
    page.get_by_role("button", name="Move up: New Logo").click()
    expect(page.locator("#order-done")).to_have_text("Order saved.")

    # a participant: the API's refusal shows next to the form, then the right group is accepted
    seoul = _user_ids(live_api)[CHAIR]
    page.select_option("#participant-user", str(seoul))
    page.select_option("#participant-group", "secretariat")
    page.get_by_role("button", name="Add the participant").click()
    expect(page.locator("#participant-error")).to_contain_text("Only secretariat staff can take part as secretariat.")
    page.select_option("#participant-group", "excom_member")
    page.get_by_label("Chairs the meeting").check()
    page.get_by_role("button", name="Add the participant").click()
    expect(page.locator("#participant-error")).to_be_hidden()
    expect(page.locator("#participant-list li")).to_have_count(1)
    expect(page.locator("#participant-list li")).to_contain_text("EXCOM member · chair")
    expect(page.locator(f'#participant-user option[value="{seoul}"]')).to_have_count(0)

    # a host-city motion with two candidates
    page.select_option("#sm-item", label="1 Host City of EXCOM 2026")
    page.select_option("#sm-kind", "host_city")
    expect(page.locator("#sm-majority")).to_be_hidden()  # a ballot between candidates has no majority rule
    page.fill("#sm-title", "Host city of EXCOM 2026")
    page.locator("#sm-candidates").get_by_label("Chengdu").check()
    page.locator("#sm-candidates").get_by_label("Cuenca").check()
    page.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#sm-done")).to_have_text("Motion put: Host city of EXCOM 2026.")
    expect(page.locator("#motion-list")).to_contain_text("Candidates: Chengdu, Cuenca")

    # a logo motion, and a PNG candidate uploaded to it
    page.select_option("#sm-item", label="2 New Logo")
    page.select_option("#sm-kind", "logo")
    page.fill("#sm-title", "The new WeGO logo")
    page.get_by_role("button", name="Put the motion").click()
    expect(page.locator("#sm-done")).to_have_text("Motion put: The new WeGO logo.")
    upload = page.locator(".logo-upload")
    expect(upload).to_have_count(1)
    upload.get_by_label("Name of the design").fill("Blue card")
    upload.get_by_label("Image (PNG, JPEG or SVG)").set_input_files(
        files=[{"name": "blue-card.png", "mimeType": "image/png", "buffer": _png(120, 80, (11, 79, 138))}])
    upload.get_by_role("button", name="Upload").click()
    expect(page.locator("#logo-done")).to_have_text("Logo candidate uploaded: Blue card.")
    thumb = page.get_by_role("img", name="Logo candidate: Blue card")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.decode().then(() => img.naturalWidth)") == 120
    # a file that is not an image: the API's own words, beside the upload
    upload = page.locator(".logo-upload")
    upload.get_by_label("Image (PNG, JPEG or SVG)").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a logo"}])
    upload.get_by_role("button", name="Upload").click()
    expect(page.locator("#logo-error")).to_have_text("A logo must be a PNG, JPEG or SVG image.")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "secretariat-setup")

    # the API holds what the forms made
    full = desk.get(f"/meetings/{meeting['id']}")
    [session] = full["sessions"]
    assert (session["title"], session["kind"], session["venue"]) == ("Open Session", "open", "Hall B")
    assert datetime.fromisoformat(session["starts_at"]) == datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
    assert datetime.fromisoformat(session["ends_at"]) == datetime(2025, 10, 1, 12, 30, tzinfo=UTC)
    assert [(i["number"], i["title"], i["kind"]) for i in session["items"]] == [
        ("2", "New Logo", "logo"), ("1", "Host City of EXCOM 2026", "host_city")]
    [chair] = desk.get(f"/meetings/{meeting['id']}/participants")
    assert (chair["user_id"], chair["group"], chair["chair"]) == (seoul, "excom_member", True)
    host, logo = desk.get(f"/meetings/{meeting['id']}/motions")
    assert (host["kind"], host["method"]) == ("host_city", "exhaustive")
    assert sorted(c["member_id"] for c in host["candidates"]) == sorted([members["Chengdu"], members["Cuenca"]])
    assert [(c["label"], c["image_url"] is not None) for c in logo["candidates"]] == [("Blue card", True)]

    # the page works on a 360 px phone too, without scrolling sideways
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not page.errors, page.errors


def test_the_chair_breaks_a_tie_with_the_casting_vote(open_page, live_api):
    desk = live_api(SECRETARIAT)
    # a fixed quorum of three: the board has twelve voting members and only five are registered here
    meeting = live_api(SECRETARIAT).post("/meetings", {
        "title": "EXCOM 2025 host city ballot", "venue": "Seoul City Hall", "timezone": "Asia/Almaty",
        "starts_at": "2025-10-01T09:00:00+05:00", "quorum": {"rule": "count", "count": 3}})
    users = _user_ids(live_api)
    voters = ["almaty@excom.example.org", "abu-dhabi@excom.example.org", "chengdu@excom.example.org",
              "cuenca@excom.example.org"]
    desk.post(f"/meetings/{meeting['id']}/participants",
              {"user_id": users[CHAIR], "group": "excom_member", "chair": True})
    for email in voters:
        desk.post(f"/meetings/{meeting['id']}/participants", {"user_id": users[email], "group": "excom_member"})
        desk.post(f"/meetings/{meeting['id']}/attendance", {"user_id": users[email], "mode": "in_person"})
    session = desk.post(f"/meetings/{meeting['id']}/sessions", {"title": "Open Session", "kind": "open"})
    item = desk.post(f"/sessions/{session['id']}/items", {"title": "Host City of EXCOM 2026", "kind": "host_city"})
    members = {m["name"]: m["id"] for m in desk.get("/members")}
    chengdu, cuenca = members["Chengdu"], members["Cuenca"]
    first, second = (desk.post(f"/items/{item['id']}/motions", {"kind": "host_city", "title": title,
                                                                 "candidates": [chengdu, cuenca]})
                     for title in ("Host city of EXCOM 2026", "Host city of EXCOM 2027"))
    chair = live_api(CHAIR)
    chair.post(f"/items/{item['id']}/activate")
    console = open_page(CHAIR, width=1280, height=1000, path=f"/meetings/{meeting['id']}/chair")
    expect(console.locator("#connection")).to_have_attribute("data-state", "online")

    def ballot(motion, votes):
        console.click(f'[data-open-poll="{motion["id"]}"]')
        expect(console.locator("#chair-poll")).to_have_attribute("data-status", "open")
        poll_id = int(console.locator("#chair-poll").get_attribute("data-poll-id"))
        for email, choice in zip(voters, votes):
            live_api(email).post(f"/polls/{poll_id}/votes", {"choice": choice})
        # four of the board's twelve voting members are in the room; the chair has not checked in
        expect(console.locator("#poll-count")).to_have_text(f"{len(votes)} of 4 present have voted; 12 eligible")
        return poll_id

    # two against two: the round closes tied, the chair sees the tie, then gives the casting vote
    poll_id = ballot(first, [chengdu, cuenca, chengdu, cuenca])
    expect(console.locator("#casting")).to_be_hidden()  # nothing to break while the members vote
    console.get_by_role("button", name="Close the poll").click()
    console.get_by_role("button", name="Yes, close the poll").click()
    expect(console.locator("#result .result-status")).to_have_text(
        "Tied: the chair may give a casting vote, or the vote is held again")
    assert chair.get(f"/motions/{first['id']}")["status"] == "pending"
    expect(console.get_by_role("button", name="Casting vote: Chengdu")).to_be_visible()
    expect(console.get_by_role("button", name="Open the next round")).to_be_visible()  # or hold it again

    # an irreversible act asks first; cancelling changes nothing
    console.get_by_role("button", name="Casting vote: Chengdu").click()
    expect(console.locator("#casting-question")).to_have_text(
        "Give your casting vote to Chengdu? It breaks the tie and cannot be undone.")
    console.get_by_role("button", name="Cancel").click()
    expect(console.locator("#casting-confirm")).to_be_hidden()
    assert chair.get(f"/polls/{poll_id}")["result"]["status"] == "tied"

    console.get_by_role("button", name="Casting vote: Cuenca").click()
    console.get_by_role("button", name="Yes, my casting vote for Cuenca").click()
    expect(console.locator("#result .result-status")).to_have_text("Elected: Cuenca")
    expect(console.locator("#result .result-casting")).to_have_text(
        "The votes were tied; the chair's casting vote went to Cuenca.")
    result = chair.get(f"/polls/{poll_id}")["result"]
    assert (result["status"], result["winner"], result["casting_vote"]) == ("elected", cuenca, cuenca)
    assert result["counts"][str(chengdu)] == result["counts"][str(cuenca)] == 2  # the members' votes stay as cast
    decided = chair.get(f"/motions/{first['id']}")
    assert (decided["status"], decided["winner"]) == ("elected", cuenca)
    assert decided["resolution_number"] == result["resolution_number"]
    assert chair.get(f"/meetings/{meeting['id']}")["next_host_id"] == cuenca
    expect(console.locator("#casting")).to_be_hidden()
    expect(console.get_by_role("button", name="Open the next round")).to_be_hidden()

    # three to one: the members decided, and there is no tie to break
    poll_id = ballot(second, [chengdu, chengdu, chengdu, cuenca])
    console.get_by_role("button", name="Close the poll").click()
    console.get_by_role("button", name="Yes, close the poll").click()
    expect(console.locator("#result .result-status")).to_have_text("Elected: Chengdu")
    expect(console.locator("#casting")).to_be_hidden()
    assert chair.get(f"/polls/{poll_id}")["result"]["casting_vote"] is None
    assert not console.errors


def test_the_desk_says_how_the_memorandum_was_distributed(open_page, live_api):
    """Without SMTP every recipient is recorded only; the message names the queue too (with SMTP
    the rows wait there for the sender, and the desk used to say "0 recorded, 0 sent, 0 failed")."""
    desk = live_api(SECRETARIAT)
    meeting = _new_meeting(live_api, "EXCOM 2025 memorandum distribution")
    users = _user_ids(live_api)
    for email in (CHAIR, "almaty@excom.example.org"):
        desk.post(f"/meetings/{meeting['id']}/participants", {"user_id": users[email], "group": "excom_member"})
    desk.post(f"/meetings/{meeting['id']}/memorandum")
    page = open_page(SECRETARIAT, width=1280, height=1000, path=f"/meetings/{meeting['id']}/desk")
    page.get_by_role("button", name="Distribute to EXCOM members").click()
    expect(page.locator("#memo-confirm-yes")).to_have_text("Send to 2 people")  # asked first, naming how many
    page.click("#memo-confirm-yes")
    expect(page.locator("#memo-status")).to_have_text("Version 1: 2 recorded, 0 queued, 0 sent, 0 failed.")
    assert not page.errors


def test_the_russian_set_up_page_has_no_untranslated_text(open_page, live_api, meeting, data_strings):
    desk = live_api(SECRETARIAT)
    names = [m["name"] for m in desk.get("/members")] + [m["title"] for m in desk.get("/meetings")]
    for user in desk.get("/users"):
        names += [user["name"], user["affiliation"], user["title"]]
    for motion in desk.get(f"/meetings/{meeting['id']}/motions"):
        names += [motion["title"]] + [c["label"] for c in motion["candidates"]]
    page = open_page(SECRETARIAT, width=1280, height=1000, locale="ru-RU", path=f"/meetings/{meeting['id']}/setup")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#motion-list")).to_have_attribute("data-loaded", "true")
    for kind in ("general", "membership", "host_city", "logo", "statutes_amendment", "minutes_approval"):
        page.select_option("#sm-kind", kind)  # every kind's own fields, shown in turn
        assert_all_russian(page, data_strings + [n for n in names if n])
    assert not page.errors
