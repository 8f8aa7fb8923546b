"""Personal access links carry a one-time code: spent by the first sign-in, useless after it
or after EXCOM_ACCESS_LINK_HOURS; no page sends a Referer; no log line carries a code or a
token (governance.redact)."""
import logging
from datetime import timedelta

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from governance.dbtypes import utcnow
from governance.extensions import db
from governance.redact import RedactedRequestLog, RedactingFilter, redact
from tests.accounts.helpers import csrf_of, me


@pytest.fixture
def link(app, make, api):
    with app.app_context():
        make.user("Sam", email="sam@example.org", roles=["secretariat"])
        ann = make.user("Ann", email="ann@example.org")
        ann_id = ann.id
    desk = api.as_user("sam@example.org")
    answer = desk.post(f"/users/{ann_id}/access-link", json={"label": "invitation"})
    assert answer.status_code == 201
    return {**answer.get_json(), "user_id": ann_id, "desk": desk}


def _open(app, url):
    browser = app.test_client()
    page = browser.get(url)
    if page.status_code != 200:
        return browser, page.status_code
    return browser, browser.post(url, data={"csrf_token": csrf_of(page.get_data(as_text=True))}).status_code


def test_an_access_link_signs_in_once_then_is_useless(app, link):
    first, status = _open(app, link["url"])
    assert status == 302 and me(first) == 200
    second, status = _open(app, link["url"])
    assert status == 404 and me(second) == 401
    # the code is no bearer token either
    assert me(app.test_client(), link["code"]) == 401
    with app.app_context():
        from governance.auth.models import AccessToken, OneTimeCode
        stored = [*db.session.scalars(db.select(OneTimeCode.code_hash)), *db.session.scalars(
            db.select(AccessToken.token_hash))]
        db.session.rollback()
    assert link["code"] not in stored  # only hashes are kept


def test_an_unused_access_link_expires(app, link):
    with time_machine.travel(utcnow() + timedelta(hours=73), tick=False):
        browser, status = _open(app, link["url"])
        assert status == 404 and me(browser) == 401


def test_revoking_the_link_ends_the_session_it_gave(app, link):
    browser, _ = _open(app, link["url"])
    assert link["desk"].delete(f"/tokens/{link['id']}").status_code == 204
    assert me(browser) == 401


def test_no_page_sends_a_referer(app, link, client):
    for path in (link["url"], "/login", "/", "/password/forgot"):
        assert client.get(path).headers["Referrer-Policy"] == "no-referrer", path


def test_forms_work_over_https_without_a_referer(app, link):
    """Browsers send no Referer under no-referrer: the CSRF check must not ask for one (Flask-WTF
    does over HTTPS unless told otherwise), or nobody could sign in behind nginx."""
    browser = app.test_client()
    page = browser.get(link["url"], base_url="https://localhost").get_data(as_text=True)
    answer = browser.post(link["url"], data={"csrf_token": csrf_of(page)}, base_url="https://localhost")
    assert answer.status_code == 302
    assert browser.get("/api/v1/me", base_url="https://localhost").status_code == 200


CODE = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=8, max_size=64)


@given(code=CODE, prefix=st.sampled_from(["/login/link/", "/password/reset/", "//login//link/", "/password/reset//"]),
       tail=st.sampled_from(["", "/", "?next=/x", "#top", " HTTP/1.1"]))
def test_a_log_line_never_carries_a_code_in_a_path(code, prefix, tail):
    line = f'10.0.0.1 - - [30/Nov/2026 01:00:00] "GET {prefix}{code}{tail}" 200 512 0.01'
    assert code not in redact(line)


@given(code=CODE, name=st.sampled_from(["token", "code", "access_token", "key", "reset_code", "Token"]))
def test_a_log_line_never_carries_a_token_in_a_query(code, name):
    line = f'"GET /socket.io/?EIO=4&transport=polling&{name}={code}&t=1 HTTP/1.1" 200'
    assert code not in redact(line)
    assert "transport=polling" in redact(line)  # the rest stays readable


def test_the_request_logs_pass_through_the_redaction(app, link, caplog):
    """gevent's access log (excom serve, EXCOM_ACCESS_LOG=1) formats each line with the
    handler's format_request; Werkzeug's goes through its logger."""
    class PlainHandler:
        def format_request(self):
            return f'127.0.0.1 - - [now] "GET {link["url"]} HTTP/1.1" 302 0 0.001'

    class Handler(RedactedRequestLog, PlainHandler):
        pass

    assert link["code"] not in Handler().format_request()
    assert "/login/link/[redacted]" in Handler().format_request()
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, RedactingFilter) for f in logger.filters)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('%s - - [%s] "%s" %s -', "127.0.0.1", "now", f"GET {link['url']} HTTP/1.1", 302)
    assert caplog.records and all(link["code"] not in r.getMessage() for r in caplog.records)
