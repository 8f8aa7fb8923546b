"""Sign-ins that really end: sign-out, password change and reset end every browser session and
login token of the person (a copied cookie included); login tokens and sessions expire when
idle and at an absolute limit; deactivation then reactivation revives nothing."""
from datetime import timedelta

import pytest
import time_machine

from governance.dbtypes import utcnow
from governance.extensions import db
from tests.accounts.helpers import api_login, csrf_of, me, page_sign_in, session_cookie, with_cookie
from tests.factories import PASSWORD

NEW = "lantern orchard seventeen"


@pytest.fixture
def ann(app, make):
    with app.app_context():
        user = make.user("Ann", email="ann@example.org")
        staff = make.user("Sam", email="sam@example.org", roles=["secretariat"])
        return {"id": user.id, "email": "ann@example.org", "staff": staff.id}


def _everywhere(app, ann):
    """Ann signed in on two browsers (cookies copied too) and with two login tokens."""
    first, second = app.test_client(), app.test_client()
    assert page_sign_in(first, ann["email"]).status_code == 302
    assert page_sign_in(second, ann["email"]).status_code == 302
    tokens = [api_login(app.test_client(), ann["email"]).get_json()["token"] for _ in range(2)]
    copies = [session_cookie(first), session_cookie(second)]
    assert all(me(b) == 200 for b in (first, second)) and all(me(app.test_client(), t) == 200 for t in tokens)
    return first, second, tokens, copies


def _all_ended(app, browsers, tokens, copies):
    assert [me(b) for b in browsers] == [401] * len(browsers)
    assert [me(app.test_client(), t) for t in tokens] == [401] * len(tokens)
    assert [me(with_cookie(app, c)) for c in copies] == [401] * len(copies)


def test_signing_out_on_the_page_ends_every_session_and_token_and_the_old_cookie(app, ann):
    first, second, tokens, copies = _everywhere(app, ann)
    page = first.get("/account").get_data(as_text=True)
    assert first.post("/logout", data={"csrf_token": csrf_of(page)}).status_code == 302
    _all_ended(app, [first, second], tokens, copies)
    # a new sign-in works as before
    assert api_login(app.test_client(), ann["email"]).status_code == 200


def test_signing_out_on_the_api_ends_the_browser_sessions_too(app, ann):
    first, second, tokens, copies = _everywhere(app, ann)
    assert app.test_client().post("/api/v1/auth/logout",
                                  headers={"Authorization": f"Bearer {tokens[0]}"}).status_code == 204
    _all_ended(app, [first, second], tokens, copies)


def test_a_password_change_ends_every_other_sign_in(app, ann):
    first, second, tokens, copies = _everywhere(app, ann)
    caller = app.test_client()
    bearer = {"Authorization": f"Bearer {tokens[0]}"}
    wrong = caller.post("/api/v1/auth/password", json={"current_password": "wrong guess here",
                                                       "new_password": NEW}, headers=bearer)
    assert wrong.status_code == 401 and wrong.get_json()["error"]["code"] == "bad_credentials"
    weak = caller.post("/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": "password1234"},
                       headers=bearer)
    assert weak.status_code == 422 and "new_password" in weak.get_json()["error"]["fields"]
    assert me(caller, tokens[0]) == 200  # refused changes end nothing
    changed = caller.post("/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": NEW},
                          headers=bearer)
    assert changed.status_code == 200
    _all_ended(app, [first, second], tokens, copies)
    assert me(caller, changed.get_json()["token"]) == 200  # the caller goes on with its new token
    assert api_login(app.test_client(), ann["email"]).status_code == 401
    assert api_login(app.test_client(), ann["email"], NEW).status_code == 200


def test_the_account_page_changes_the_password_and_keeps_only_this_browser(app, ann):
    first, second, tokens, copies = _everywhere(app, ann)
    page = first.get("/account").get_data(as_text=True)
    refused = first.post("/account", data={"csrf_token": csrf_of(page), "current_password": PASSWORD,
                                           "new_password": "12345678", "new_password_again": "12345678"})
    assert refused.status_code == 422 and "12 characters" in refused.get_data(as_text=True)
    answer = first.post("/account", data={"csrf_token": csrf_of(page), "current_password": PASSWORD,
                                          "new_password": NEW, "new_password_again": NEW})
    assert answer.status_code == 302
    assert me(first) == 200
    _all_ended(app, [second], tokens, copies)


def test_login_tokens_expire_when_idle_and_at_the_absolute_limit(app, ann):
    app.config.update(EXCOM_SESSION_IDLE_MINUTES=30, EXCOM_SESSION_MAX_HOURS=2)
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        idle = api_login(app.test_client(), ann["email"]).get_json()["token"]
        busy = api_login(app.test_client(), ann["email"]).get_json()["token"]
        browser = app.test_client()
        assert page_sign_in(browser, ann["email"]).status_code == 302
        clock.shift(timedelta(minutes=20))
        assert me(app.test_client(), busy) == 200 and me(browser) == 200
        clock.shift(timedelta(minutes=20))  # 40 minutes without use
        assert me(app.test_client(), idle) == 401
        # used every 20 minutes, the other token and the browser live on until the absolute limit
        for _ in range(3):
            assert me(app.test_client(), busy) == 200 and me(browser) == 200
            clock.shift(timedelta(minutes=20))
        assert me(app.test_client(), busy) == 200 and me(browser) == 200  # 1 h 40 min
        clock.shift(timedelta(minutes=21))
        assert me(app.test_client(), busy) == 401
        assert me(browser) == 401


def test_browser_sessions_expire_when_idle(app, ann):
    app.config.update(EXCOM_SESSION_IDLE_MINUTES=30)
    with time_machine.travel(utcnow(), tick=False) as clock:
        browser = app.test_client()
        assert page_sign_in(browser, ann["email"]).status_code == 302
        copy = session_cookie(browser)
        clock.shift(timedelta(minutes=31))
        assert me(browser) == 401 and me(with_cookie(app, copy)) == 401


def test_deactivation_and_reactivation_revive_no_old_token_or_session(app, ann, api):
    first, second, tokens, copies = _everywhere(app, ann)
    desk = api.as_user("sam@example.org")
    personal = desk.post(f"/users/{ann['id']}/token", json={"label": "kiosk"}).get_json()["token"]
    assert me(app.test_client(), personal) == 200
    assert desk.patch(f"/users/{ann['id']}", json={"active": False}).status_code == 200
    assert desk.patch(f"/users/{ann['id']}", json={"active": True}).status_code == 200
    _all_ended(app, [first, second], tokens + [personal], copies)
    assert api_login(app.test_client(), ann["email"]).status_code == 200


def test_a_person_or_the_secretariat_ends_all_sign_ins_at_once(app, ann, api):
    first, second, tokens, copies = _everywhere(app, ann)
    other = api.as_user("sam@example.org")
    assert other.delete(f"/users/{ann['id']}/sessions").get_json() == {"tokens_revoked": 2}
    _all_ended(app, [first, second], tokens, copies)
    with app.app_context():
        from governance.audit.models import AuditEvent
        events = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.subject_id == ann["id"],
                                                                        AuditEvent.subject_type == "User")).all()
        db.session.rollback()
    assert "user.signed_out_everywhere" in events


def test_a_browser_s_open_connection_elsewhere_ends_at_the_next_sweep(app, ann):
    """Signed out in another process: there only the database changed (no after-commit cut here),
    and this process's sweep cuts the browser's live connection all the same."""
    from governance.auth.models import User
    from governance.extensions import socketio
    from governance.realtime import ConnectionWatch
    browser = app.test_client()
    assert page_sign_in(browser, ann["email"]).status_code == 302
    phone = socketio.test_client(app, flask_test_client=browser)
    assert phone.is_connected()
    ConnectionWatch.of(app)._sweep_once()
    assert phone.is_connected()  # nothing changed yet: the sweep leaves it
    with app.app_context():
        user = db.session.get(User, ann["id"])
        user.session_epoch += 1  # what end_all_sign_ins wrote in the other process
        db.session.commit()
    ConnectionWatch.of(app)._sweep_once()
    assert not phone.is_connected()
