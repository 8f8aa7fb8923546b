"""A new installation, from an empty database to the first secretariat account, without the
demo: the one-time key of `excom init-db`, the first-run page and route, `excom create-user`,
and the demo refused beside real data."""
import re

import pytest

from governance.auth.models import SetupToken, User
from governance.cli import main
from governance.extensions import db
from governance.registry.models import Organisation
from tests.factories import PASSWORD

pytestmark = pytest.mark.both_databases  # a new installation: SQLite by default, PostgreSQL in production

SETUP = {"organisation": {"name": "Association of Hill Towns", "short_name": "AHT", "timezone": "Europe/Rome"},
         "account": {"name": "Ada Secretary", "email": "ada@hill-towns.example.org", "password": PASSWORD}}


def _key(runner) -> str:
    result = runner.invoke(main, ["init-db"])
    assert result.exit_code == 0, result.output
    return re.search(r"one-time key:\n\s+(\S+)", result.output).group(1)


def _csrf(text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def test_the_key_of_init_db_sets_up_the_installation_once(app, runner, client):
    key = _key(runner)
    with app.app_context():  # only the key's hash is kept
        assert db.session.scalar(db.select(SetupToken.token_hash)) != key
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
    assert client.get("/api/v1/first-run").get_json() == {"open": True}

    wrong = client.post("/api/v1/first-run", json={**SETUP, "key": key + "x"})
    assert wrong.status_code == 401 and wrong.get_json()["error"]["code"] == "bad_setup_key"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0

    done = client.post("/api/v1/first-run", json={**SETUP, "key": key})
    assert done.status_code == 201, done.get_json()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {done.get_json()['token']}"}).get_json()
    assert (me["email"], me["roles"]) == ("ada@hill-towns.example.org", ["secretariat"])
    organisation = client.get("/api/v1/organisation").get_json()
    assert (organisation["name"], organisation["short_name"], organisation["timezone"]) == (
        "Association of Hill Towns", "AHT", "Europe/Rome")

    again = client.post("/api/v1/first-run", json={**SETUP, "key": key,
                                                   "account": {**SETUP["account"], "email": "eve@example.org"}})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_set_up"
    assert client.get("/api/v1/first-run").get_json() == {"open": False}
    assert client.get("/first-run").headers["Location"] == "/login"
    with app.app_context():
        assert db.session.scalar(db.select(SetupToken.used_at)) is not None
    assert _key_line_absent(runner)


def _key_line_absent(runner) -> bool:
    """Once there is an account, init-db prints no key any more."""
    result = runner.invoke(main, ["init-db"])
    return result.exit_code == 0 and "one-time key" not in result.output


def test_only_the_newest_key_counts_and_a_spent_key_never_again(app, runner, client):
    older, newer = _key(runner), _key(runner)
    assert client.post("/api/v1/first-run", json={**SETUP, "key": older}).status_code == 401
    assert client.post("/api/v1/first-run", json={**SETUP, "key": newer}).status_code == 201
    with app.app_context():  # even with every account gone, the spent key stays spent
        db.session.execute(db.delete(User))
        db.session.commit()
    assert client.post("/api/v1/first-run", json={**SETUP, "key": newer}).status_code == 401


def test_bad_set_up_input_is_refused_and_spends_no_key(app, runner, client):
    key = _key(runner)
    for body in ({**SETUP, "key": key, "account": {**SETUP["account"], "password": "short"}},
                 {**SETUP, "key": key, "organisation": {**SETUP["organisation"], "timezone": "Mars/Olympus"}},
                 {**SETUP, "key": key, "organisation": {"short_name": "no name"}},
                 {"key": key}):
        answer = client.post("/api/v1/first-run", json=body)
        assert answer.status_code == 422, body
        assert set(answer.get_json()["error"]) == {"code", "message", "fields"}
    assert client.post("/api/v1/first-run", json={**SETUP, "key": key}).status_code == 201


def test_the_first_run_page_makes_the_account_and_signs_it_in(app, runner):
    key = _key(runner)
    browser = app.test_client()
    start = browser.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/first-run"' in start
    page = browser.get("/first-run").get_data(as_text=True)
    form = {"csrf_token": _csrf(page), "key": key, "organisation_name": "Association of Hill Towns",
            "short_name": "AHT", "timezone": "Europe/Rome", "name": "Ada Secretary",
            "email": "ada@hill-towns.example.org", "password": PASSWORD, "password_again": PASSWORD + "!"}
    differ = browser.post("/first-run", data=form)
    assert differ.status_code == 422 and "The two passwords differ." in differ.get_data(as_text=True)
    assert browser.post("/first-run", data={**form, "password_again": PASSWORD, "csrf_token": ""}).status_code == 400
    done = browser.post("/first-run", data={**form, "password_again": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/organisation?welcome=1"
    settings = browser.get("/organisation?welcome=1").get_data(as_text=True)
    assert "Association of Hill Towns" in settings and "The installation is set up" in settings
    assert browser.get("/api/v1/me").get_json()["roles"] == ["secretariat"]


def test_excom_create_user_makes_accounts_for_scripts(app, runner, api, make):
    made = runner.invoke(main, ["create-user", "--name", "Ada Secretary", "--email", "Ada@Example.org",
                                "--role", "secretariat", "--password", PASSWORD])
    assert made.exit_code == 0, made.output
    assert api.as_user("ada@example.org").get("/me").get_json()["roles"] == ["secretariat"]
    with app.app_context():
        make.member("Perugia", excom=True)
    delegate = runner.invoke(main, ["create-user", "--name", "Pia", "--email", "pia@example.org",
                                    "--member", "Perugia", "--no-password"])
    assert delegate.exit_code == 0, delegate.output
    with app.app_context():
        pia = db.session.scalar(db.select(User).where(User.email == "pia@example.org"))
        assert (pia.member.name, pia.roles, pia.password_hash) == ("Perugia", [], None)
    for args, said in ((["--email", "ada@example.org", "--password", PASSWORD], "already has this e-mail"),
                       (["--email", "bob@example.org", "--member", "Atlantis", "--no-password"], "no member"),
                       (["--email", "not-an-address", "--no-password"], "email"),
                       (["--email", "bob@example.org", "--password", "short"], "password")):
        refused = runner.invoke(main, ["create-user", "--name", "Bob", *args])
        assert refused.exit_code != 0 and said in refused.output.lower(), refused.output


def test_the_demo_is_never_mixed_into_real_data(app, runner, make):
    with app.app_context():
        make.meeting("General Assembly 2025")
    refused = runner.invoke(main, ["demo"])
    assert refused.exit_code == 1 and "other meetings (General Assembly 2025)" in refused.output
    skipped = runner.invoke(main, ["demo", "--if-fresh"])
    assert skipped.exit_code == 0 and "demo not loaded" in skipped.output
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "seoul@excom.example.org")) is None
        assert Organisation.current().name != "WeGO"
        db.session.remove()


def test_the_demo_is_refused_beside_a_real_account(app, runner, client):
    client.post("/api/v1/first-run", json={**SETUP, "key": _key(runner)})
    refused = runner.invoke(main, ["demo"])
    assert refused.exit_code == 1 and "ada@hill-towns.example.org" in refused.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
