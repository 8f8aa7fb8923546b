"""Who is asking: a bearer token (scripts, phones, the API) or a browser session cookie.

A browser signed in through a personal access link carries that token's id in its session
(LINK_TOKEN_KEY): the session is worth no more than the link, so it ends when the
secretariat revokes the token, as a bearer call with the same token would.
"""
from flask import g, request, session
from flask_login import current_user

from governance.auth.models import AccessToken, User
from governance.errors import ApiError
from governance.extensions import csrf, db, login_manager
from governance.fields import id_or_none

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
LINK_TOKEN_KEY = "excom_link_token"


@login_manager.user_loader
def _load_from_cookie(user_id: str):
    # signed by us, but an id all the same: ASCII digits within range (str.isdigit takes "²")
    found_id = id_or_none(int(user_id)) if user_id.isascii() and user_id.isdigit() and len(user_id) <= 10 else None
    if found_id is None:
        return None
    user = db.session.get(User, found_id)
    if user is None or not user.active:
        return None
    if LINK_TOKEN_KEY in session and not _link_still_valid(session[LINK_TOKEN_KEY], user):
        return None
    return user


def _link_still_valid(token_id, user: User) -> bool:
    """The access link this browser signed in with is still the user's and not revoked."""
    if id_or_none(token_id) is None:
        return False
    token = db.session.get(AccessToken, token_id)
    return token is not None and token.user_id == user.id and token.revoked_at is None


def remember_link_login(token: AccessToken) -> None:
    """After login_user() through an access link: tie the session to that token."""
    session[LINK_TOKEN_KEY] = token.id


def forget_link_login() -> None:
    """After a password sign-in or a sign-out: the session no longer rests on a link."""
    session.pop(LINK_TOKEN_KEY, None)


@login_manager.request_loader
def _load_from_token(req):
    header = req.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    user = AccessToken.find_user(secret.strip())
    if user is not None:
        g.auth_token = secret.strip()
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    raise ApiError(401, "unauthorized", "Sign in first: send a bearer token or a session cookie.")


def signed_in_user() -> User:
    """The caller, or 401. Browsers' writes must also carry their CSRF token."""
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", "Sign in first: send a bearer token or a session cookie.")
    return current_user._get_current_object()


def check_csrf_for_cookie_writes() -> None:
    """A cookie rides along with any cross-site form; a bearer header does not. So only
    cookie-authenticated writes need a CSRF token (the pages send it in X-CSRFToken)."""
    if request.method in WRITE_METHODS and current_user.is_authenticated and "auth_token" not in g:
        csrf.protect()
