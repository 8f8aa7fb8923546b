"""Limits on guessing and on noise, kept in Flask-Limiter's storage (memory, or Redis when
EXCOM_REDIS_URL is set, so that every `excom serve` process counts together).

Failed sign-ins are counted twice, separately: per account (EXCOM_LOGIN_RATE_LIMIT), so that
an account cannot be guessed at from many addresses, and per client address
(EXCOM_LOGIN_ADDRESS_RATE_LIMIT), so that one address cannot try many accounts. The page
(/login) and the API (POST /api/v1/auth/login) count in the same buckets. Once a bucket is
full, the answer is 429 before the password is even looked at, so a full bucket tells
nothing about the password. A hall behind one NAT shares an address: its limit is higher.
An IPv6 client is counted by its /64 network (`client_key`).
"""
from __future__ import annotations

import ipaddress

from flask import current_app, request
from limits import parse_many

from governance.auth.models import email_key
from governance.errors import ApiError
from governance.extensions import limiter

DEFAULT_ADDRESS_LIMIT = "30 per minute;300 per hour"
DEFAULT_SELF_CHECKIN_LIMIT = "5 per minute;30 per hour"


def _limits(setting: str, default: str):
    return parse_many(current_app.config.get(setting) or default)


def _full(items, key: str) -> bool:
    return any(not limiter.limiter.test(item, key) for item in items)


def _hit(items, key: str) -> None:
    for item in items:
        limiter.limiter.hit(item, key)


def _too_many(what: str) -> ApiError:
    return ApiError(429, "too_many_requests", what)


def _sign_in_buckets(email: str):
    return ((_limits("EXCOM_LOGIN_RATE_LIMIT", "10 per minute;50 per hour"), f"login-account:{email_key(email)}"),
            (_limits("EXCOM_LOGIN_ADDRESS_RATE_LIMIT", DEFAULT_ADDRESS_LIMIT),
             f"login-address:{client_address()}"))


def check_sign_in(email: str) -> None:
    """429 when this account or this address has failed too often lately."""
    if not limiter.enabled:
        return
    if any(_full(items, key) for items, key in _sign_in_buckets(email)):
        raise _too_many("Too many failed sign-ins for this account or from this address; wait a few minutes.")


def sign_in_failed(email: str) -> None:
    if limiter.enabled:
        for items, key in _sign_in_buckets(email):
            _hit(items, key)


def count_request(kind: str, key: str, setting: str, default: str, message: str) -> None:
    """Count one request in `kind:key`'s bucket; 429 with `message` once it is full (the
    request is then refused before it does anything)."""
    if not limiter.enabled:
        return
    items = _limits(setting, default)
    bucket = f"{kind}:{key}"
    if _full(items, bucket):
        raise _too_many(message)
    _hit(items, bucket)


def self_check_in(user_id: int, meeting_id: int) -> None:
    """A person checking themself in or out: a few times a minute is plenty; refused ones
    are neither recorded nor broadcast (this runs before the operation)."""
    count_request("self-check-in", f"{meeting_id}:{user_id}", "EXCOM_SELF_CHECKIN_RATE_LIMIT",
                  DEFAULT_SELF_CHECKIN_LIMIT, "You changed your check-in too often just now; wait a minute.")


def self_apologies(user_id: int, meeting_id: int) -> None:
    """A person sending and taking back their apologies: each is an audit row, so the same
    limit as one's own check-in (its own bucket)."""
    count_request("self-apologies", f"{meeting_id}:{user_id}", "EXCOM_SELF_CHECKIN_RATE_LIMIT",
                  DEFAULT_SELF_CHECKIN_LIMIT, "You changed your apologies too often just now; wait a minute.")


def client_address() -> str:
    """The client as the limits count it (`client_key` of the request's address)."""
    return client_key(request.remote_addr)


def client_key(address: str | None) -> str:
    """One key per client: an IPv4 address as it is; an IPv6 address by its /64 network,
    since whoever holds one IPv6 address holds the 2^64 of its network (RFC 6177) and could
    take a new one at each try; an IPv4 address written as IPv6 (`::ffff:192.0.2.9`) is that
    IPv4 address. Anything else (a Unix socket's empty address) as it comes."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])  # a zone id (fe80::1%eth0) is no part of it
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
