"""After the meeting (issue 17), through Flask's test client on both databases, on the demo
played through (`excom demo --play`): a delegate's and an observer's meeting page list the
decisions each may see (the closed session's only for who may see it) and the memorandum
edition distributed to them; a closed poll's published ballots are a page, where a voter's
receipt is found."""
import re

from tests.minutes.test_played_meeting import played  # noqa: F401  (fixture)
from tests.pages.test_pages import DELEGATE, OBSERVER, SECRETARIAT, html, sign_in

CLOSED_MOTIONS = ("Use of the membership fees for 2025", "Amendment of the Statutes on online participation")
OPEN_MOTIONS = ("Receipt of the 2024 Secretariat Annual Report", "Election of the host city of the EXCOM Meeting 2025")


def _after(text: str) -> str:
    match = re.search(r'<section class="card after-meeting".*?</section>', text, re.S)
    assert match, "no after-meeting section"
    return match.group(0)


def test_before_the_adjournment_the_page_shows_no_decisions(demo, app):
    text = html(sign_in(app.test_client(), DELEGATE), f"/meetings/{demo}")[1]
    assert "after-meeting" not in text and "Decisions of the meeting" not in text


def test_each_sees_the_decisions_they_may_see(played, app):  # noqa: F811
    meeting, _output = played
    delegate = _after(html(sign_in(app.test_client(), DELEGATE), f"/meetings/{meeting}")[1])
    observer = _after(html(sign_in(app.test_client(), OBSERVER), f"/meetings/{meeting}")[1])
    for title in OPEN_MOTIONS:
        assert title in delegate and title in observer, title
    for title in CLOSED_MOTIONS:
        assert title in delegate and title not in observer, title
    # the host city's election, with who was elected and the count of its deciding round
    election = re.search(r'<li class="decision".*?Election of the host city.*?</li>', observer, re.S).group(0)
    assert "Elected: " in election and "elected" in election
    assert re.search(r"Abstain \d+", election)
    assert "Receipt of the 2024 Secretariat Annual Report" in delegate
    assert re.search(r"Yes \d+ · No \d+ · Abstain \d+", delegate)


def test_each_downloads_the_edition_distributed_to_them(played, app, api):  # noqa: F811
    meeting, _output = played
    delegate_page, observer_page = sign_in(app.test_client(), DELEGATE), sign_in(app.test_client(), OBSERVER)
    assert "The memorandum has not been sent to you yet." in _after(html(observer_page, f"/meetings/{meeting}")[1])

    desk = api.as_user(SECRETARIAT, "excom-demo")
    assert desk.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).status_code == 200

    links = {}
    for who, client in (("delegate", delegate_page), ("observer", observer_page)):
        section = _after(html(client, f"/meetings/{meeting}")[1])
        [link] = re.findall(r'href="(/api/v1/meetings/\d+/memorandum\.docx[^"]*)"', section)
        links[who] = link.replace("&amp;", "&")
        assert "version 1" in section and "draft" in section
    assert links["delegate"].endswith("version=1&edition=full")
    assert links["observer"].endswith("version=1&edition=public")
    for who, client in (("delegate", delegate_page), ("observer", observer_page)):
        answer = client.get(links[who])
        assert answer.status_code == 200 and answer.data[:2] == b"PK", who
    assert observer_page.get(links["delegate"]).status_code == 403  # the full edition is not theirs


def test_a_closed_poll_s_ballots_are_a_page_with_each_receipt(played, app, api):  # noqa: F811
    meeting, _output = played
    desk = api.as_user(SECRETARIAT, "excom-demo")
    motions = {m["title"]: m for m in desk.get(f"/meetings/{meeting}/motions").get_json()}
    election = motions["Election of the host city of the EXCOM Meeting 2025"]
    poll_id = election["rounds"][-1]["poll_id"]
    published = desk.get(f"/polls/{poll_id}/ballots").get_json()
    assert published

    observer = sign_in(app.test_client(), OBSERVER)
    status, text = html(observer, f"/polls/{poll_id}/ballots")
    assert status == 200
    rows = re.findall(r'<tr data-receipt="([^"]+)"><td><code>[^<]+</code></td><td>([^<]*)</td></tr>', text)
    assert sorted(receipt for receipt, _choice in rows) == sorted(b["receipt"] for b in published)
    assert "secret ballot: no ballot names its voter" in text and "<th scope=\"col\">Member</th>" not in text
    assert {choice for _receipt, choice in rows} - {"Abstain"}  # candidates by name, not by number
    assert not any(choice.isdigit() for _receipt, choice in rows)
    assert 'id="receipt-form"' in text
    # the meeting page links each deciding poll's ballots
    assert f"/polls/{poll_id}/ballots" in html(observer, f"/meetings/{meeting}")[1]

    # a closed-session poll does not exist for the observer; a stranger is sent to sign in
    fees = motions["Use of the membership fees for 2025"]["rounds"][-1]["poll_id"]
    assert html(observer, f"/polls/{fees}/ballots")[0] == 404
    assert html(sign_in(app.test_client(), DELEGATE), f"/polls/{fees}/ballots")[0] == 200
    assert html(observer, "/polls/999999/ballots")[0] == 404
    assert app.test_client().get(f"/polls/{poll_id}/ballots").status_code == 302
