"""The secretariat's own pages through Flask's test client (no browser), on SQLite and
PostgreSQL: who may open them, that they hold no inline script or style, and that they speak
the organisation's languages."""
import re

from tests.pages.test_pages import CHAIR, DELEGATE, OBSERVER, SECRETARIAT, html, sign_in

PAGES = ("/meetings", "/members", "/people", "/organisation")


def test_only_the_secretariat_opens_the_registry_pages(demo, app, api):
    desk = api.as_user(SECRETARIAT, "excom-demo")
    member = desk.get("/members").get_json()[0]["id"]
    person = desk.get("/users").get_json()[0]["id"]
    pages = PAGES + (f"/members/{member}", f"/people/{person}")
    for page in pages:
        answer = app.test_client().get(page)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next="), page
    for email in (CHAIR, DELEGATE, OBSERVER):
        client = sign_in(app.test_client(), email)
        assert [html(client, page)[0] for page in pages] == [403] * len(pages), email
    client = sign_in(app.test_client(), SECRETARIAT)
    for page in pages:
        status, text = html(client, page)
        assert status == 200, page
        assert " style=" not in text
        assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", text)
    assert html(client, "/members/999999")[0] == 404 and html(client, "/people/999999")[0] == 404


def test_a_member_s_page_shows_which_decision_changed_its_status(demo, app, api):
    desk = api.as_user(SECRETARIAT, "excom-demo")
    members = {m["name"]: m["id"] for m in desk.get("/members").get_json()}
    assert desk.patch(f"/members/{members['Hebron']}", json={"status": "suspended"}).status_code == 200
    client = sign_in(app.test_client(), SECRETARIAT)
    text = html(client, f"/members/{members['Hebron']}")[1]
    assert "Entered in the registry" in text and "Edited by the secretariat" in text
    assert re.search(r"active\s*→\s*<strong>suspended</strong>", text)


def test_the_pages_offer_only_the_organisation_s_languages(demo, app, api):
    desk = api.as_user(SECRETARIAT, "excom-demo")
    client = sign_in(app.test_client(), DELEGATE)
    assert '<html lang="ru">' in html(client, "/login", **{"Accept-Language": "ru"})[1]
    assert desk.patch("/organisation", json={"languages": ["en"]}).status_code == 200
    text = html(client, "/login", **{"Accept-Language": "ru"})[1]
    assert '<html lang="en">' in text and "Русский" not in text
    client.get("/language/ru?next=/")  # a remembered choice no longer offered falls back too
    assert '<html lang="en">' in html(client, "/login")[1]
    assert desk.patch("/organisation", json={"languages": ["ru", "en"]}).status_code == 200
    assert '<html lang="ru">' in html(sign_in(app.test_client(), DELEGATE), "/login", **{"Accept-Language": "de"})[1]
