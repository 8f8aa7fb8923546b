"""How long a sign-in lasts (OWASP ASVS 4.0 V3.3): a login token and a browser session both
end after EXCOM_SESSION_IDLE_MINUTES without use and EXCOM_SESSION_MAX_HOURS after the
sign-in, whatever happens in between; and all of a person's end at once when they sign out,
change or reset their password, or their account is deactivated (User.session_epoch).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

DEFAULT_IDLE_MINUTES = 480   # a meeting day's lunch and coffee breaks, not a night
DEFAULT_MAX_HOURS = 24       # one meeting day; sign in again the next morning
TOUCH_EVERY = timedelta(minutes=1)  # how often last use is written (not on every request)


def limits() -> tuple[timedelta, timedelta]:
    """(idle, absolute) from the settings."""
    config = current_app.config
    idle = float(config.get("EXCOM_SESSION_IDLE_MINUTES") or DEFAULT_IDLE_MINUTES)
    absolute = float(config.get("EXCOM_SESSION_MAX_HOURS") or DEFAULT_MAX_HOURS)
    return timedelta(minutes=idle), timedelta(hours=absolute)


def still_fresh(now: datetime, signed_in_at: datetime, last_used_at: datetime | None,
                idle: timedelta, absolute: timedelta) -> bool:
    """Whether a sign-in made at `signed_in_at` and last used at `last_used_at` (None: never
    since) still holds at `now`. A clock that went backwards counts as no time passed."""
    last = max(signed_in_at, last_used_at or signed_in_at)
    return now - signed_in_at < absolute and now - last < idle


def needs_touch(now: datetime, last_used_at: datetime | None) -> bool:
    return last_used_at is None or now - last_used_at >= TOUCH_EVERY
