"""Helpers of the accounts tests: browsers signing in through the page, cookies copied."""
import re

from tests.factories import PASSWORD


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def page_sign_in(client, email, password=PASSWORD, *, address="127.0.0.1"):
    """Sign `client` in through /login; returns the answer."""
    page = client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(page)},
                       environ_base={"REMOTE_ADDR": address})


def api_login(client, email, password=PASSWORD, *, address="127.0.0.1"):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value):
    """A new browser holding a copy of a session cookie (as a thief, or a back-up, would)."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def me(client, token=None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/me", headers=headers).status_code
