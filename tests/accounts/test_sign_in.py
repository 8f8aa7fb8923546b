"""Signing in as OWASP ASVS level 2 asks: the same answer in the same work whether the account
exists, and failed sign-ins limited per account and per client address, the page /login and
the API counted together (governance.auth.throttle)."""
import hashlib
import ipaddress

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from governance.extensions import db
from tests.accounts.helpers import api_login, page_sign_in

WRONG = "not the password at all"


@pytest.fixture
def people(app, make):
    with app.app_context():
        make.user("Ann", email="ann@example.org")
        make.user("Ben", email="ben@example.org")
        linked = make.user("Lin", email="lin@example.org")
        linked.password_hash = None  # signs in by access links only
        db.session.commit()
    return {"ann": "ann@example.org", "ben": "ben@example.org", "linked": "lin@example.org"}


def _hashes_during(monkeypatch, call) -> int:
    """How many password hashes (PBKDF2, the tests' method) are computed during call()."""
    done = []
    real = hashlib.pbkdf2_hmac

    def counting(*args, **kwargs):
        done.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    answer = call()
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", real)
    return answer, len(done)


def test_an_unknown_address_costs_the_same_hashing_as_a_known_one(app, client, people, monkeypatch):
    """Timing told which accounts exist (124 ms against 5 ms): an unknown address, or an account
    without a password, now hashes the password once, as a wrong password does."""
    api_login(client, "warm-up@example.org", WRONG)  # the stand-in hash is made once per process
    answers = {}
    for who, email in (("known", people["ann"]), ("unknown", "nobody@example.org"),
                       ("no password", people["linked"])):
        answer, hashes = _hashes_during(monkeypatch, lambda email=email: api_login(client, email, WRONG))
        answers[who] = (answer.status_code, answer.get_json(), hashes)
    assert answers["known"] == answers["unknown"] == answers["no password"]
    assert answers["known"][2] == 1


def test_failed_sign_ins_on_the_page_and_the_api_count_together_per_account(app, client, people):
    """Five guesses on the page and five on the API, each from another address: the account's
    limit (10 a minute) is reached all the same, and both doors answer 429."""
    for n in range(5):
        assert page_sign_in(app.test_client(), people["ann"], WRONG, address=f"10.0.0.{n}").status_code == 401
        assert api_login(client, people["ann"], WRONG, address=f"10.0.1.{n}").status_code == 401
    refused = api_login(client, people["ann"], WRONG, address="10.0.2.1")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert set(refused.get_json()["error"]) == {"code", "message", "fields"}
    assert page_sign_in(app.test_client(), people["ann"], address="10.0.2.2").status_code == 429
    # even the right password waits: the guesser learns nothing; another account is not locked
    assert api_login(client, people["ann"], address="10.0.2.3").status_code == 429
    assert api_login(client, people["ben"], address="10.0.2.4").status_code == 200


def test_one_address_trying_many_accounts_is_stopped(app, client, people):
    app.config["EXCOM_LOGIN_ADDRESS_RATE_LIMIT"] = "6 per minute"
    for n in range(3):
        assert api_login(client, f"guess{n}@example.org", WRONG, address="192.0.2.7").status_code == 401
        assert page_sign_in(app.test_client(), f"other{n}@example.org", WRONG,
                            address="192.0.2.7").status_code == 401
    assert api_login(client, people["ben"], address="192.0.2.7").status_code == 429
    # from elsewhere the same account signs in
    assert api_login(client, people["ben"], address="192.0.2.8").status_code == 200


def test_addresses_of_one_ipv6_network_count_as_one_address(app, client, people):
    """Whoever has one IPv6 address has a /64 of them (2^64): a limit per exact address would
    let them spray passwords over many accounts from a new address at each try. One /64 is
    one client; an IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 address."""
    app.config["EXCOM_LOGIN_ADDRESS_RATE_LIMIT"] = "6 per minute"
    for n in range(6):
        assert api_login(client, f"guess{n}@example.org", WRONG,
                         address=f"2001:db8:1:2::{n + 1:x}").status_code == 401
    assert api_login(client, people["ben"], address="2001:db8:1:2:abcd::9").status_code == 429
    # another network signs in
    assert api_login(client, people["ben"], address="2001:db8:1:3::1").status_code == 200
    for n in range(6):
        assert api_login(client, f"more{n}@example.org", WRONG, address="192.0.2.9").status_code == 401
    assert api_login(client, people["ann"], address="::ffff:192.0.2.9").status_code == 429


@given(st.integers(0, 2**128 - 1), st.integers(0, 2**64 - 1), st.integers(0, 2**32 - 1))
@example(0, 0xFFFF_0000_0001, 1)  # the network ::/64 holds IPv4's ::ffff:0:0/96
def test_a_client_is_its_ipv4_address_or_its_ipv6_network(address, host, ipv4):
    from governance.auth.throttle import client_key
    here = ipaddress.IPv6Address(address)
    neighbour = ipaddress.IPv6Address((address >> 64 << 64) | host)
    if here.ipv4_mapped is None and neighbour.ipv4_mapped is None:  # ::ffff:0:0/96 is IPv4's
        assert client_key(str(here)) == client_key(str(neighbour)) == client_key(here.exploded)
        assert client_key(str(ipaddress.IPv6Address(address ^ (1 << 64)))) != client_key(str(here))
    four = ipaddress.IPv4Address(ipv4)
    assert client_key(str(four)) == client_key(f"::ffff:{four}") == str(four)
    assert client_key(None) == client_key("") == "unknown"
