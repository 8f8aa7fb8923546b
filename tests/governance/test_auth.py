"""Signing in: tokens for phones and scripts, cookies with CSRF for browsers, and a limit on guessing."""
import re

from tests.databases import ONE_DATABASE

DEMO_PASSWORD = "excom-demo"


def test_login_gives_a_token_that_works_until_logout(demo, client, api):
    response = client.post("/api/v1/auth/login", json={"email": "Seoul@Excom.Example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == "seoul@excom.example.org"
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(demo, client):
    wrong = client.post("/api/v1/auth/login", json={"email": "seoul@excom.example.org", "password": "guess"})
    unknown = client.post("/api/v1/auth/login", json={"email": "nobody@excom.example.org", "password": "guess"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_the_secretariat_issues_a_personal_token_and_revokes_it(demo, api, client):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    users = secretariat.get("/users").get_json()
    kampala = next(u for u in users if u["email"] == "kampala@excom.example.org")

    issued = secretariat.post(f"/users/{kampala['id']}/token", json={"label": "invitation link"})
    assert issued.status_code == 201
    token = issued.get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["name"] == "Dorothy Kisaka"

    listed = secretariat.get(f"/users/{kampala['id']}/tokens").get_json()
    assert [t["label"] for t in listed] == ["invitation link"]
    assert "token" not in listed[0] or listed[0]["token"] is None  # the secret is shown once only

    assert secretariat.delete(f"/tokens/{listed[0]['id']}").status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_only_the_secretariat_issues_tokens(demo, api):
    chair = api.as_user("seoul@excom.example.org", DEMO_PASSWORD)
    me = chair.get("/me").get_json()
    assert chair.post(f"/users/{me['id']}/token").status_code == 403


def test_login_attempts_are_rate_limited(app_config, demo, client):
    guesses = [client.post("/api/v1/auth/login", json={"email": "seoul@excom.example.org", "password": f"guess {n}"})
               for n in range(12)]
    statuses = [g.status_code for g in guesses]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    assert guesses[-1].get_json()["error"]["code"] == "too_many_requests"
    # even the right password waits now: the guesser cannot tell
    right = client.post("/api/v1/auth/login", json={"email": "seoul@excom.example.org", "password": DEMO_PASSWORD})
    assert right.status_code == 429
    # another account from the same desk is not locked out
    other = client.post("/api/v1/auth/login", json={"email": "almaty@excom.example.org", "password": DEMO_PASSWORD})
    assert other.status_code == 200


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_browser_signs_in_with_a_cookie_and_its_writes_need_the_csrf_token(demo, client):
    page = client.get("/login").get_data(as_text=True)
    refused = client.post("/login", data={"email": "secretary-general@excom.example.org", "password": DEMO_PASSWORD})
    assert refused.status_code == 400  # no CSRF token: not signed in

    signed_in = client.post("/login", data={"email": "secretary-general@excom.example.org",
                                            "password": DEMO_PASSWORD, "csrf_token": _csrf_token(page)})
    assert signed_in.status_code == 302
    assert client.get("/api/v1/me").get_json()["roles"] == ["secretariat"]

    forged = client.post("/api/v1/members", json={"name": "Atlantis"})
    assert forged.status_code == 400
    assert forged.get_json()["error"]["code"] == "bad_request"
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    allowed = client.post("/api/v1/members", json={"name": "Atlantis"}, headers={"X-CSRFToken": token})
    assert allowed.status_code == 201


@ONE_DATABASE
def test_pages_carry_security_headers(client):
    headers = client.get("/login").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Secure" not in headers.get("Set-Cookie", "")
    over_https = client.get("/login", base_url="https://localhost")
    assert "Secure" in over_https.headers["Set-Cookie"]


@ONE_DATABASE
def test_behind_a_proxy_https_cookies_are_secure(app_config):
    """With EXCOM_PROXIES=1 the app believes nginx's X-Forwarded-Proto (and only then)."""
    from governance import create_app
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                 "X-Forwarded-Host": "excom.example.org"}
    trusting = create_app({**app_config, "EXCOM_PROXIES": 1}).test_client()
    response = trusting.get("/login", headers=forwarded)
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    direct = create_app(app_config).test_client()
    response = direct.get("/login", headers=forwarded)
    assert "Secure" not in response.headers["Set-Cookie"]  # a client cannot claim HTTPS by a header
    assert "Strict-Transport-Security" not in response.headers
