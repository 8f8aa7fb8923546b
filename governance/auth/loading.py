"""Who is asking: a bearer token (scripts, phones, the API) or a browser session cookie.

A browser session holds the person's session_epoch at sign-in and the times of sign-in and
last use: it is void once the epoch has moved on (sign-out anywhere, password change or reset,
deactivation) or past the idle and absolute limits (governance.auth.sessions), and a void
session is cleared, so the cookie stops working, also on this very request.

A browser signed in through a personal access link carries that token's id in its session
(LINK_TOKEN_KEY): the session is worth no more than the link, so it ends when the
secretariat revokes the token, as a bearer call with the same token would.
"""
from datetime import UTC, datetime

from flask import g, request, session
from flask_login import current_user, login_user

from governance.auth import sessions
from governance.auth.models import AccessToken, User
from governance.dbtypes import utcnow
from governance.errors import ApiError
from governance.extensions import csrf, db, login_manager
from governance.fields import id_or_none

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
LINK_TOKEN_KEY = "excom_link_token"
EPOCH_KEY, SINCE_KEY, SEEN_KEY = "excom_epoch", "excom_since", "excom_seen"


@login_manager.user_loader
def _load_from_cookie(user_id: str):
    # signed by us, but an id all the same: ASCII digits within range (str.isdigit takes "²")
    found_id = id_or_none(int(user_id)) if user_id.isascii() and user_id.isdigit() and len(user_id) <= 10 else None
    if found_id is None:
        return None
    user = db.session.get(User, found_id)
    if user is None or not user.active or not _session_still_valid(user):
        forget_sign_in()
        return None
    if LINK_TOKEN_KEY in session and not _link_still_valid(session[LINK_TOKEN_KEY], user):
        forget_sign_in()
        return None
    return user


def _moment(value) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, (int, float)) else None


def _session_still_valid(user: User) -> bool:
    """Made under the person's current epoch, and neither idle nor too old; touches last use
    (at most once a minute: each touch re-sends the cookie)."""
    since, seen = _moment(session.get(SINCE_KEY)), _moment(session.get(SEEN_KEY))
    if session.get(EPOCH_KEY) != user.session_epoch or since is None:
        return False
    now = utcnow()
    idle, absolute = sessions.limits()
    if not sessions.still_fresh(now, since, seen, idle, absolute):
        return False
    if sessions.needs_touch(now, seen):
        session[SEEN_KEY] = now.timestamp()
    return True


def forget_sign_in() -> None:
    """Take the sign-in out of this browser's session (the answer sends the cookie without it);
    the rest (the CSRF token of a form being filled in) stays."""
    for key in ("_user_id", "_fresh", "_id", "_remember", EPOCH_KEY, SINCE_KEY, SEEN_KEY, LINK_TOKEN_KEY):
        session.pop(key, None)


def start_browser_session(user: User, link_token: AccessToken | None = None) -> None:
    """Sign this browser in (a fresh session: nothing of an earlier one carries over), under
    the person's current epoch; with `link_token`, resting on that access link's token."""
    session.clear()
    login_user(user)
    now = utcnow().timestamp()
    session[EPOCH_KEY], session[SINCE_KEY], session[SEEN_KEY] = user.session_epoch, now, now
    if link_token is not None:
        session[LINK_TOKEN_KEY] = link_token.id


def _link_still_valid(token_id, user: User) -> bool:
    """The access link this browser signed in with is still the user's and not revoked."""
    if id_or_none(token_id) is None:
        return False
    token = db.session.get(AccessToken, token_id)
    return token is not None and token.user_id == user.id and token.revoked_at is None


@login_manager.request_loader
def _load_from_token(req):
    header = req.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    token = AccessToken.find(secret.strip())
    if token is None:
        return None
    g.auth_token = secret.strip()
    g.auth_token_row = token
    return token.user


def current_credential() -> tuple[str, int | None]:
    """Through which credential this request is made: (token kind, token id) for a bearer
    token, ("link", token id) for a browser session resting on an access link, else
    ("session", None) for a password sign-in's browser."""
    token = g.get("auth_token_row")
    if token is not None:
        return token.kind, token.id
    link = session.get(LINK_TOKEN_KEY)
    if id_or_none(link) is not None:
        return "link", link
    return "session", None


@login_manager.unauthorized_handler
def _unauthorized():
    raise ApiError(401, "unauthorized", "Sign in first: send a bearer token or a session cookie.")


def signed_in_user() -> User:
    """The caller, or 401. Browsers' writes must also carry their CSRF token."""
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", "Sign in first: send a bearer token or a session cookie.")
    return current_user._get_current_object()


def current_reader() -> User | None:
    """The caller when signed in, else None (anonymous readers of public things: the logo)."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def check_csrf_for_cookie_writes() -> None:
    """A cookie rides along with any cross-site form; a bearer header does not. So only
    cookie-authenticated writes need a CSRF token (the pages send it in X-CSRFToken)."""
    if request.method in WRITE_METHODS and current_user.is_authenticated and "auth_token" not in g:
        csrf.protect()
