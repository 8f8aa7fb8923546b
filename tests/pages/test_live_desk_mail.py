"""The desk's e-mail in a real browser against a real `excom serve` whose SMTP server is at
first unreachable (a port where nobody listens) and then comes up there (aiosmtpd): the
memorandum's distribution asks for confirmation with the list of recipients, shows every
copy failing with the server's reason, still shows it after a reload, and sends the failures
again when asked; a secret vote's receipt checked on a phone against the published ballots;
invitations sent to a group in Russian, a link opened on a 360 px phone and seen opened on
the desk, then revoked."""
import re

import pytest
import requests

pytest.importorskip("playwright", reason="browser tests need Playwright for Python (pip install -e '.[test]')")
from playwright.sync_api import expect  # noqa: E402

from tests.minutes.conftest import RecordingHandler  # noqa: E402
from tests.pages.conftest import DEMO_PASSWORD, SECRETARIAT, _free_port, serving  # noqa: E402

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory, request):
    """(base URL, SMTP port) of `excom serve` with the demo, its mail going to a port where
    nobody listens yet."""
    smtp_port = _free_port()
    with serving(tmp_path_factory.mktemp("mail-instance"), request, [["init-db"], ["demo"]],
                 EXCOM_SECRET_KEY="mail-test", EXCOM_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
                 EXCOM_MAIL_FROM="secretariat@excom.example.org") as (base, _outputs):
        yield base, smtp_port


@pytest.fixture
def desk_page(browser, mail_server):
    base, _port = mail_server
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB", base_url=base)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto("/login")
    page.fill("#email", SECRETARIAT)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/")
    yield page
    context.close()


def _meeting_id(base) -> int:
    token = requests.post(f"{base}/api/v1/auth/login", json={"email": SECRETARIAT, "password": DEMO_PASSWORD},
                          timeout=30).json()["token"]
    meetings = requests.get(f"{base}/api/v1/meetings", headers={"Authorization": f"Bearer {token}"},
                            timeout=30).json()
    return min(m["id"] for m in meetings)


def test_distribution_is_confirmed_its_failures_stay_on_the_desk_and_are_sent_again(desk_page, mail_server):
    from aiosmtpd.controller import Controller

    base, smtp_port = mail_server
    page = desk_page
    page.goto(f"/meetings/{_meeting_id(base)}/desk")
    page.click("#memo-build")
    expect(page.locator('#memo-versions tr[data-version="1"]')).to_be_visible()

    # "Distribute" lists the recipients first; nothing is sent until that list is confirmed
    page.click("#memo-send-excom")
    confirm = page.locator("#memo-confirm")
    expect(confirm).to_be_visible()
    expect(confirm.locator("li[data-email='seoul@excom.example.org']")).to_contain_text("full edition")
    recipients = confirm.locator("li").count()
    assert recipients > 5
    expect(page.locator("#memo-confirm-yes")).to_have_text(f"Send to {recipients} people")
    expect(page.locator('[data-copies="1"]')).to_have_count(0)
    page.click("#memo-confirm-yes")
    expect(confirm).to_be_hidden()

    # nobody listens on the mail port: every copy fails, with the reason, as the sender reports it
    copies = page.locator('[data-copies="1"] li')
    expect(copies).to_have_count(recipients)
    expect(page.locator('[data-copies="1"] li[data-state="failed"]')).to_have_count(recipients)
    expect(copies.first).to_contain_text("ConnectionRefusedError")

    # a reload (another desk, the next morning) shows the same
    page.reload()
    expect(page.locator('[data-copies="1"] li[data-state="failed"]')).to_have_count(recipients)
    expect(page.locator('[data-copies="1"] li').first).to_contain_text("failed: ConnectionRefusedError")

    # the mail server comes up; the failures are sent again, and only they
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        page.click('[data-retry="1"]')
        expect(page.locator('[data-copies="1"] li[data-state="sent"]')).to_have_count(recipients)
        expect(page.locator('[data-retry="1"]')).to_have_count(0)
        assert len(handler.messages) == recipients
        _address, mail = handler.messages[0]
        assert mail["Date"] and mail["Message-ID"].endswith("@excom.example.org>")
        page.reload()
        expect(page.locator('[data-copies="1"] li[data-state="sent"]')).to_have_count(recipients)
    finally:
        controller.stop()

    # to everyone: those who have theirs are listed as such, and only the others are sent to
    page.click("#memo-send-all")
    expect(page.locator("#memo-confirm li[data-will-send='false']")).to_have_count(recipients)
    expect(page.locator("#memo-confirm li[data-will-send='false']").first).to_contain_text("sent")
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#memo-confirm")).to_be_hidden()
    assert page.errors == []


def test_a_delegate_checks_the_receipt_of_a_secret_vote_against_the_published_ballots(browser, mail_server):
    from tests.pages.conftest import CHAIR, DELEGATE, Api

    base, _port = mail_server
    meeting_id = _meeting_id(base)
    desk, chair = Api(base, SECRETARIAT), Api(base, CHAIR)
    for person in desk.get(f"/meetings/{meeting_id}/participants"):  # a quorum in the room
        if person["group"] == "excom_member":
            desk.post(f"/meetings/{meeting_id}/attendance", {"user_id": person["user_id"], "mode": "in_person"})
    item = desk.get(f"/meetings/{meeting_id}")["sessions"][0]["items"][0]["id"]
    chair.post(f"/items/{item}/activate")
    motion = desk.post(f"/items/{item}/motions", {"kind": "general", "title": "To thank the host city",
                                                  "majority": "simple", "secret": True})

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB", base_url=base)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    try:
        phone.goto(f"/login?next=/meetings/{meeting_id}")
        phone.fill("#email", DELEGATE)
        phone.fill("#password", DEMO_PASSWORD)
        phone.click("form.card button[type=submit]")
        phone.wait_for_url(f"**/meetings/{meeting_id}")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
        poll = chair.post(f"/motions/{motion['id']}/polls")
        phone.click('.choice[data-choice="no"]')
        phone.click("#confirm-yes")
        expect(phone.locator("#receipt")).not_to_be_empty()
        receipt = phone.locator("#receipt").inner_text()
        # the link to check it carries the receipt in its fragment, which the browser never sends
        link = phone.locator("#receipt-check")
        expect(link).to_have_attribute("href", f"/polls/{poll['id']}/ballots#receipt={receipt}")
        chair.post(f"/polls/{poll['id']}/close")
        expect(phone.locator("#poll")).to_have_class(re.compile("is-closed"))
        link.click()
        phone.wait_for_url(f"**/polls/{poll['id']}/ballots#receipt={receipt}")
        expect(phone.locator("#receipt-found")).to_have_text("Found: your ballot is in the list, as cast: No")
        expect(phone.locator(f'tr[data-receipt="{receipt}"]')).to_have_class(re.compile("is-mine"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

        # opened without the fragment, the page takes the receipt this phone kept when it voted
        phone.goto(f"/polls/{poll['id']}/ballots")
        expect(phone.locator("#receipt-code")).to_have_value(receipt)
        expect(phone.locator("#receipt-found")).to_be_visible()
        # a mistyped code is not found, and says what to do
        phone.fill("#receipt-code", receipt[:-1] + ("x" if receipt[-1] != "x" else "y"))
        phone.get_by_role("button", name="Check my receipt").click()
        expect(phone.locator("#receipt-missing")).to_be_visible()
        expect(phone.locator("#receipt-found")).to_be_hidden()
        assert errors == []
    finally:
        context.close()


def test_invitations_go_out_are_seen_opened_and_are_revoked(browser, desk_page, mail_server):
    from aiosmtpd.controller import Controller

    from tests.pages.conftest import OBSERVER

    base, smtp_port = mail_server
    meeting_id = _meeting_id(base)
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    page = desk_page
    try:
        page.goto(f"/meetings/{meeting_id}/desk")
        page.get_by_role("link", name="Invitations").click()
        page.wait_for_url(f"**/meetings/{meeting_id}/invitations")
        media = page.locator('#invitees tr[data-group="observer_media"]')
        count = media.count()
        assert count >= 1
        expect(page.locator('#invitees tr[data-state="none"]')).to_have_count(
            page.locator("#invitees tbody tr").count())

        # to the press, in Russian, after a confirmation that lists them
        page.select_option("#invite-group", "observer_media")
        page.select_option("#invite-language", "ru")
        page.click("#invite-send")
        expect(page.locator("#invite-confirm li")).to_have_count(count)
        expect(page.locator("#invite-question")).to_have_text(f"Send a personal link by e-mail to {count} people?")
        page.click("#invite-yes")
        expect(page.locator('#invitees tr[data-group="observer_media"][data-state="sent"]')).to_have_count(count)
        expect(page.locator('#invitees tr[data-state="sent"]')).to_have_count(count)
        mails = [message for address, message in handler.messages if address == OBSERVER]
        assert len(mails) == 1 and mails[0]["Subject"].startswith("Приглашение: ")
        link = re.search(r"http://\S+/login/link/\S+", mails[0].get_body(("plain",)).get_content()).group(0)
        [calendar] = list(mails[0].iter_attachments())
        assert calendar.get_content_type() == "text/calendar"

        # the journalist opens it on a phone
        context = browser.new_context(viewport={"width": 360, "height": 780}, locale="ru-RU")
        context.set_default_timeout(20_000)
        phone = context.new_page()
        phone.goto(link)
        phone.locator("form.card button[type=submit]").click()
        phone.wait_for_url(f"**/meetings/{meeting_id}")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360

        # the desk sees it opened, without a reload
        row = page.locator(f'#invitees tr[data-email="{OBSERVER}"]')
        expect(row.locator("[data-opened] time")).to_have_count(1)

        # revoked: the link and the phone's session end
        row.locator("[data-revoke]").click()
        page.get_by_role("button", name="Yes, revoke").click()
        expect(page.locator(f'#invitees tr[data-email="{OBSERVER}"] [data-revoke]')).to_have_count(0)
        expect(page.locator(f'#invitees tr[data-email="{OBSERVER}"] [data-live]')).to_have_text("Links that work: 0")
        phone.reload()
        phone.wait_for_url("**/login**")
        assert phone.goto(link).status == 404  # the link no longer signs anybody in
        context.close()
        assert page.errors == []
    finally:
        controller.stop()
