"""Password reset by e-mail: the same answer whether or not the address has an account; a
one-time code that expires; a new password that passes the rule; every sign-in of the person
ended (API and pages). Requests for a reset are sent `buffered=True`: as a server does, the answer
is sent and closed, and the work that depends on the account runs then (test_reset_enumeration.py)."""
import re
from datetime import timedelta

import pytest
import time_machine

from governance.dbtypes import utcnow
from governance.extensions import db
from governance.mail.models import MailMessage
from tests.accounts.helpers import api_login, csrf_of, me, page_sign_in, session_cookie, with_cookie

NEW = "lantern orchard seventeen"


@pytest.fixture
def ann(app, make):
    with app.app_context():
        make.user("Ann", email="ann@example.org")
    return "ann@example.org"


def _mail(app):
    with app.app_context():
        rows = [(m.recipient, m.kind, m.subject, m.body) for m in db.session.scalars(db.select(MailMessage))]
        db.session.rollback()
    return rows


def _code(app) -> str:
    [(_to, _kind, _subject, body)] = _mail(app)
    return re.search(r"/password/reset/([\w-]+)", body).group(1)


def test_asking_for_a_reset_answers_the_same_whether_the_account_exists(app, client, ann):
    known = client.post("/api/v1/auth/password-reset", json={"email": ann}, buffered=True)
    unknown = client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"}, buffered=True)
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json()
    assert [(to, kind) for to, kind, _s, _b in _mail(app)] == [(ann, "password_reset")]
    # the pages too: the same text for both
    pages = []
    for email in (ann, "nobody@example.org"):
        browser = app.test_client()
        form = browser.get("/password/forgot").get_data(as_text=True)
        answer = browser.post("/password/forgot", data={"email": email, "csrf_token": csrf_of(form)}, buffered=True)
        assert answer.status_code == 200
        pages.append(re.sub(r'content="[^"]+"', "", answer.get_data(as_text=True)))  # the CSRF meta differs
    assert pages[0] == pages[1] and "on its way" in pages[0]
    assert len(_mail(app)) == 2


def test_a_reset_sets_the_password_once_and_ends_every_sign_in(app, client, ann):
    browser = app.test_client()
    assert page_sign_in(browser, ann).status_code == 302
    copy = session_cookie(browser)
    token = api_login(client, ann).get_json()["token"]
    client.post("/api/v1/auth/password-reset", json={"email": ann}, buffered=True)
    code = _code(app)
    weak = client.post("/api/v1/auth/password-reset/confirm", json={"code": code, "new_password": "qwertyuiop12"})
    assert weak.status_code == 422
    done = client.post("/api/v1/auth/password-reset/confirm", json={"code": code, "new_password": NEW})
    assert done.status_code == 204
    assert me(browser) == 401 and me(with_cookie(app, copy)) == 401 and me(client, token) == 401
    assert api_login(client, ann, NEW).status_code == 200
    again = client.post("/api/v1/auth/password-reset/confirm", json={"code": code, "new_password": NEW + " again"})
    assert again.status_code == 400 and again.get_json()["error"]["code"] == "bad_code"
    with app.app_context():
        from governance.auth.models import OneTimeCode
        assert not db.session.scalar(db.select(db.func.count()).select_from(OneTimeCode)
                                     .where(OneTimeCode.code_hash == code))  # only its hash is kept
        db.session.rollback()


def test_a_reset_code_expires(app, client, ann):
    with time_machine.travel(utcnow(), tick=False) as clock:
        client.post("/api/v1/auth/password-reset", json={"email": ann}, buffered=True)
        code = _code(app)
        clock.shift(timedelta(minutes=61))
        late = client.post("/api/v1/auth/password-reset/confirm", json={"code": code, "new_password": NEW})
        assert late.status_code == 400
        assert app.test_client().get(f"/password/reset/{code}").status_code == 404


def test_the_reset_pages_set_a_new_password(app, client, ann):
    browser = app.test_client()
    form = browser.get("/password/forgot").get_data(as_text=True)
    browser.post("/password/forgot", data={"email": ann, "csrf_token": csrf_of(form)}, buffered=True)
    code = _code(app)
    page = browser.get(f"/password/reset/{code}")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    csrf = csrf_of(page.get_data(as_text=True))
    differ = browser.post(f"/password/reset/{code}", data={"csrf_token": csrf, "new_password": NEW,
                                                          "new_password_again": NEW + "x"})
    assert differ.status_code == 422
    answer = browser.post(f"/password/reset/{code}", data={"csrf_token": csrf, "new_password": NEW,
                                                          "new_password_again": NEW})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert api_login(client, ann, NEW).status_code == 200
    assert browser.get(f"/password/reset/{code}").status_code == 404


def test_the_reset_mail_is_in_the_readers_language(app, client, ann):
    client.post("/api/v1/auth/password-reset", json={"email": ann}, buffered=True, headers={"Accept-Language": "ru"})
    [(_to, _kind, subject, body)] = _mail(app)
    assert "сброс пароля" in subject.lower() and "/password/reset/" in body


def test_asking_for_resets_over_and_over_is_limited(app, client, ann):
    answers = [client.post("/api/v1/auth/password-reset", json={"email": ann}, buffered=True).status_code
               for _ in range(4)]
    assert answers == [202, 202, 202, 429]
    assert len(_mail(app)) == 3
