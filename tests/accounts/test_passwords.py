"""Passwords of 12+ characters, refused when common or guessable (zxcvbn, offline); the
demo keeps its published password (governance.auth.passwords)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.auth.passwords import MIN_LENGTH, password_problems
from tests.accounts.helpers import api_login
from tests.databases import ONE_DATABASE

COMMON = ["password", "12345678", "password1234", "qwertyuiop12", "123456789012", "iloveyou1234",
          "aaaaaaaaaaaa", "Password2024!"]


@given(st.text(max_size=MIN_LENGTH - 1))
@settings(max_examples=200)
def test_anything_shorter_than_twelve_characters_is_refused(password):
    assert password_problems(password)


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused(password):
    assert password_problems(password)


@pytest.mark.parametrize("password", ["correct horse battery", "lantern orchard seventeen", "x7#Lq!v9Zp2@mWc"])
def test_a_few_unrelated_words_or_a_random_string_pass(password):
    assert password_problems(password) == []


def test_the_persons_own_name_and_address_do_not_make_a_password():
    assert password_problems("annabelle.kowalczyk", ("Annabelle Kowalczyk", "annabelle.kowalczyk@example.org"))


@ONE_DATABASE
def test_the_api_refuses_weak_passwords_with_the_reason(app, make, api):
    with app.app_context():
        make.user("Sam", email="sam@example.org", roles=["secretariat"])
    desk = api.as_user("sam@example.org")
    for password in ("password", "12345678", "password1234"):
        answer = desk.post("/users", json={"name": "Pat", "email": "pat@example.org", "password": password})
        assert answer.status_code == 422, password
        assert answer.get_json()["error"]["fields"]["password"]
    made = desk.post("/users", json={"name": "Pat", "email": "pat@example.org", "password": "lantern orchard 17"})
    assert made.status_code == 201
    patched = desk.patch(f"/users/{made.get_json()['id']}", json={"password": "12345678"})
    assert patched.status_code == 422


def test_the_demo_keeps_its_published_password(demo, client):
    assert password_problems("excom-demo")  # below the rule, on purpose
    assert api_login(client, "seoul@excom.example.org", "excom-demo").status_code == 200
