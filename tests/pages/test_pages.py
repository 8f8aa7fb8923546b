"""The pages through Flask's test client (no browser), on SQLite and PostgreSQL: who may
open which page, what an observer's HTML holds, the languages, the access link."""
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.databases import ONE_DATABASE

DEMO_PASSWORD = "excom-demo"
CHAIR = "seoul@excom.example.org"
SECRETARIAT = "secretary-general@excom.example.org"
DELEGATE = "almaty@excom.example.org"
OBSERVER = "yonhap@excom.example.org"


def sign_in(client, email, password=DEMO_PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 302
    return client


def html(client, path, **headers):
    answer = client.get(path, headers={"Accept": "text/html", **headers})
    return answer.status_code, answer.get_data(as_text=True)


def test_the_russian_catalogue_translates_every_message():
    po = Path(__file__).resolve().parents[2] / "governance" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    untranslated = [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags)]
    assert not untranslated
    for message in catalog:  # every placeholder survives translation
        if message.id:
            assert sorted(re.findall(r"%\(\w+\)s", message.id)) == sorted(re.findall(r"%\(\w+\)s", message.string))
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = read_mo(handle)
    assert ({m.id: m.string for m in compiled if m.id} == {m.id: m.string for m in catalog if m.id}), \
        "the .mo is older than the .po: run pybabel compile -d governance/translations"


def test_meeting_pages_send_a_stranger_to_sign_in(demo, client):
    for page in ("", "/chair", "/desk", "/setup", "/screen"):
        answer = client.get(f"/meetings/{demo}{page}")
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/login?next=")


def test_the_landing_page_lists_a_person_s_own_meetings_and_none_to_an_anonymous_visitor(demo, app, api):
    """A meeting a person does not take part in does not exist for them, on the landing page too:
    an anonymous visitor learns of no meeting (not even whether there is one), a signed-in
    person sees the meetings they take part in."""
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    demo_meeting = desk.get(f"/meetings/{demo}").get_json()
    users = {u["email"]: u["id"] for u in desk.get("/users").get_json()}
    shared = desk.post("/meetings", json={"title": "Shared Regional Forum", "venue": "Hall of Many",
                                          "starts_at": "2025-05-01T09:00:00+00:00"}).get_json()
    assert desk.post(f"/meetings/{shared['id']}/participants",
                     json={"user_id": users[OBSERVER], "group": "observer_media"}).status_code == 201
    assert desk.post("/meetings", json={"title": "Private Budget Retreat", "venue": "Secret Villa",
                                        "starts_at": "2025-06-01T09:00:00+00:00"}).status_code == 201
    assert desk.post("/users", json={"name": "Nobody Special", "email": "nobody@example.org",
                                     "password": "correct horse battery"}).status_code == 201

    status, text = html(app.test_client(), "/")
    assert status == 200 and "Sign in" in text
    for secret in (demo_meeting["title"], demo_meeting["venue"], "Shared Regional Forum", "Private Budget Retreat",
                   "Secret Villa", "No meeting yet"):
        assert secret not in text, secret

    observer = sign_in(app.test_client(), OBSERVER)
    status, text = html(observer, "/")
    assert status == 200
    assert demo_meeting["title"] in text and "Shared Regional Forum" in text
    assert "Private Budget Retreat" not in text and "Secret Villa" not in text

    stranger = sign_in(app.test_client(), "nobody@example.org", "correct horse battery")
    status, text = html(stranger, "/")
    assert status == 200 and "No meeting yet" in text
    assert not [title for title in (demo_meeting["title"], "Shared Regional Forum", "Private Budget Retreat")
                if title in text]

    staff = sign_in(app.test_client(), SECRETARIAT)
    assert all(title in html(staff, "/")[1] for title in (demo_meeting["title"], "Private Budget Retreat"))


def test_each_person_gets_their_pages_and_no_other(demo, app):
    allowed = {
        CHAIR: {"": 200, "/chair": 200, "/desk": 403, "/setup": 403, "/screen": 200},
        SECRETARIAT: {"": 200, "/chair": 200, "/desk": 200, "/setup": 200, "/screen": 200},
        DELEGATE: {"": 200, "/chair": 403, "/desk": 403, "/setup": 403, "/screen": 200},
        OBSERVER: {"": 200, "/chair": 403, "/desk": 403, "/setup": 403, "/screen": 200},
    }
    for email, pages in allowed.items():
        client = sign_in(app.test_client(), email)
        for page, status in pages.items():
            assert html(client, f"/meetings/{demo}{page}")[0] == status, (email, page)
        assert html(client, "/meetings/999999")[0] == 404


def test_an_observers_pages_hold_nothing_of_the_closed_session(demo, app, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    meeting = desk.get(f"/meetings/{demo}").get_json()
    closed = [s for s in meeting["sessions"] if s["kind"] == "closed"][0]
    chair = api.as_user(CHAIR, DEMO_PASSWORD)
    assert chair.post(f"/items/{closed['items'][2]['id']}/activate").status_code == 200
    client = sign_in(app.test_client(), OBSERVER)
    for page in ("", "/screen"):
        status, text = html(client, f"/meetings/{demo}{page}")
        assert status == 200
        assert closed["title"] not in text
        for item in closed["items"]:
            assert item["title"] not in text
        assert f'"current_item_id": {closed["items"][2]["id"]}' not in text
    member = sign_in(app.test_client(), DELEGATE)
    assert closed["items"][2]["title"] in html(member, f"/meetings/{demo}")[1]


def test_the_language_follows_the_browser_and_the_switch(demo, app):
    client = sign_in(app.test_client(), DELEGATE)
    assert '<html lang="ru">' in html(client, f"/meetings/{demo}", **{"Accept-Language": "ru-RU,ru;q=0.9"})[1]
    assert '<html lang="en">' in html(client, f"/meetings/{demo}", **{"Accept-Language": "de-DE"})[1]
    switched = client.get(f"/language/ru?next=/meetings/{demo}")
    assert switched.status_code == 302 and switched.headers["Location"] == f"/meetings/{demo}"
    text = html(client, f"/meetings/{demo}", **{"Accept-Language": "en"})[1]
    assert '<html lang="ru">' in text and "Повестка дня" in text
    # times in the meeting's zone (Almaty, UTC+5): the open session starts at 14:00 there
    assert "14:00" in text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "evil"])
@ONE_DATABASE
def test_the_language_switch_is_no_open_redirect(client, target):
    answer = client.get("/language/en", query_string={"next": target})
    assert answer.headers["Location"] == "/"


def test_sign_in_returns_to_the_page_asked_for_but_never_elsewhere(demo, app):
    for target, landing in (("https://evil.example/", "/"), (f"/meetings/{demo}", f"/meetings/{demo}")):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = client.post("/login", data={"email": DELEGATE, "password": DEMO_PASSWORD, "csrf_token": token,
                                             "next": target})
        assert answer.headers["Location"] == landing


def test_a_personal_access_link_signs_in_after_one_click(demo, app, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    people = desk.get(f"/meetings/{demo}/participants").get_json()
    cuenca = next(p for p in people if p["affiliation"] == "Cuenca")
    link = desk.post(f"/users/{cuenca['user_id']}/access-link", json={}).get_json()
    assert link["url"] == f"/login/link/{link['code']}"
    client = app.test_client()
    status, text = html(client, link["url"])
    assert status == 200 and cuenca["name"] in text
    assert client.get("/api/v1/me").status_code == 401  # opening the link alone signs nobody in
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    assert client.post(link["url"]).status_code == 400  # no CSRF token
    assert client.post(link["url"], data={"csrf_token": csrf}).status_code == 302
    assert client.get("/api/v1/me").get_json()["id"] == cuenca["user_id"]
    assert html(app.test_client(), "/login/link/not-a-token")[0] == 404


def test_pages_carry_no_inline_script_or_style(demo, app):
    client = sign_in(app.test_client(), SECRETARIAT)
    for page in ("", "/chair", "/desk", "/setup", "/screen"):
        text = html(client, f"/meetings/{demo}{page}")[1]
        assert " style=" not in text
        assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", text)
        assert re.search(r'<meta name="csrf-token" content="[^"]+">', text)
    assert client.get("/static/vendor/socket.io.min.js").status_code == 200


def _open_access_link(app, url):
    client = app.test_client()
    text = html(client, url)[1]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    assert client.post(url, data={"csrf_token": csrf}).status_code == 302
    return client


def test_a_session_from_an_access_link_ends_when_the_link_is_revoked(demo, app, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    people = desk.get(f"/meetings/{demo}/participants").get_json()
    cuenca = next(p for p in people if p["affiliation"] == "Cuenca")
    lost = desk.post(f"/users/{cuenca['user_id']}/access-link", json={"label": "lost phone"}).get_json()
    kept = desk.post(f"/users/{cuenca['user_id']}/access-link", json={"label": "laptop"}).get_json()
    lost_phone, laptop = _open_access_link(app, lost["url"]), _open_access_link(app, kept["url"])
    cuenca_email = desk.get(f"/users/{cuenca['user_id']}").get_json()["email"]
    by_password = sign_in(app.test_client(), cuenca_email)
    for browser in (lost_phone, laptop, by_password):
        assert browser.get("/api/v1/me").get_json()["id"] == cuenca["user_id"]

    assert desk.delete(f"/tokens/{lost['id']}").status_code == 204

    # the phone that signed in with the revoked link is signed out, on the pages and on the API
    assert lost_phone.get("/api/v1/me").status_code == 401
    answer = lost_phone.get(f"/meetings/{demo}")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next=")
    # her other link and her password session are other credentials: they go on
    assert laptop.get("/api/v1/me").status_code == 200
    assert by_password.get("/api/v1/me").status_code == 200
    # signing in with the password on the lost phone gives a session that no longer rests on the link
    assert sign_in(lost_phone, cuenca_email).get("/api/v1/me").status_code == 200


def test_a_session_from_an_access_link_ends_when_the_person_is_deactivated(demo, app, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    people = desk.get(f"/meetings/{demo}/participants").get_json()
    hebron = next(p for p in people if p["affiliation"] == "Hebron")
    link = desk.post(f"/users/{hebron['user_id']}/access-link", json={}).get_json()
    browser = _open_access_link(app, link["url"])
    assert browser.get("/api/v1/me").status_code == 200
    assert desk.patch(f"/users/{hebron['user_id']}", json={"active": False}).status_code == 200
    assert browser.get("/api/v1/me").status_code == 401
    assert browser.get(f"/meetings/{demo}").status_code == 302
