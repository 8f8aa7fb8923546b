"""Who is asking: a bearer token (scripts, phones, the API) or a browser session cookie."""
from flask import g, request
from flask_login import current_user

from governance.auth.models import AccessToken, User
from governance.errors import ApiError
from governance.extensions import csrf, db, login_manager

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@login_manager.user_loader
def _load_from_cookie(user_id: str):
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


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
