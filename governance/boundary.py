"""The request boundary, as in Indico's RH: commit once when the handler succeeded, roll back
otherwise. Operations only flush; broadcasts wait for this commit (see realtime)."""
import json

from flask import current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy.exc import IntegrityError

from governance.auth.loading import check_csrf_for_cookie_writes
from governance.errors import ApiError, error_response
from governance.extensions import db
from governance.plain_text import NOT_TEXT

_JSON_TYPES = ("application/json",)
_UPLOAD_TYPES = ("multipart/form-data",)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

SECURITY_HEADERS = {
    # Every script and style comes from the app itself; no inline script is needed by the pages.
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # no-referrer, not same-origin: a page whose address carries a one-time code (an access
    # link, a password reset) must not hand it on, not even to our own scripts' requests
    "Referrer-Policy": "no-referrer",
}


_UPLOAD_LIMIT = "excom_upload_limit"
MULTIPART_ROOM = 256 * 1024  # the form's other fields and the multipart boundaries around the file


def upload_limit(limit, refusal):
    """A route taking larger uploads than MAX_CONTENT_LENGTH: `limit()` gives the file's bytes,
    `refusal()` the ApiError (413, stating the limit) for a body beyond it. Set on the request
    before its body is read (see _read_body_first)."""
    def mark(view):
        setattr(view, _UPLOAD_LIMIT, (limit, refusal))
        return view
    return mark


def upload_refusal():
    """The route's own 413 for a body beyond its limit, or None (errors.py asks)."""
    return g.get(_UPLOAD_LIMIT)


def _read_body_first() -> None:
    """Read the whole request body before anything touches the database.

    Under gevent, reading the body from the socket may yield to other greenlets. If that
    happened inside a transaction (the token check opens one), the greenlet would hold
    SQLite's write lock while parked, and the others would wait for it in SQLite's busy
    handler, a C-level sleep that stops the whole process: every request stalls for
    busy_timeout. Bodies are small (MAX_CONTENT_LENGTH), so reading them first costs nothing.
    """
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
        if (special := getattr(view, _UPLOAD_LIMIT, None)) is not None:
            request.max_content_length = special[0]() + MULTIPART_ROOM
            g.excom_upload_limit = special[1]
        if request.mimetype.startswith("multipart/") or request.mimetype == "application/x-www-form-urlencoded":
            request.form  # noqa: B018  (parses, and so reads, the body)
        else:
            request.get_data(cache=True)


def _check_api_body() -> None:
    """A write to the API carries JSON (or, for uploads, multipart); anything else is refused
    before a handler can misread it."""
    if not request.path.startswith("/api/") or request.method not in ("POST", "PUT", "PATCH"):
        return
    has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding") == "chunked"
    if has_body and request.mimetype not in _JSON_TYPES + _UPLOAD_TYPES:
        raise ApiError(415, "unsupported_media_type", "Send JSON, with Content-Type: application/json.")


# Characters no text field needs (governance.plain_text), refused at the door, for every field at once.
_NOT_TEXT = NOT_TEXT
CONTROL_CHARACTER = "Contains a control character; send plain text."

# Levels of arrays and objects a JSON body may nest: every schema needs three or four. Deeper
# input only costs recursion: "[" * 50000 made the parser raise RecursionError, a 500.
MOST_NESTED = 32
_WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _fields_with_control_characters(value, path: str = "") -> dict:
    found = {}
    if isinstance(value, str):
        if _NOT_TEXT.search(value):
            found[path or "_body"] = [CONTROL_CHARACTER]
    elif isinstance(value, dict):
        for key, item in value.items():
            found.update(_fields_with_control_characters(key, path or "_body"))
            found.update(_fields_with_control_characters(item, f"{path}.{key}" if path else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(_fields_with_control_characters(item, f"{path}.{index}" if path else str(index)))
    return found


def _nesting(value) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0, [] is 1);
    counted without recursion, and no further than one level past MOST_NESTED."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth > MOST_NESTED:
                break
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _json_body():
    """The JSON body, parsed once at the door so that no handler, rate limiter or schema meets
    what cannot be parsed safely: invalid JSON or JSON nested deeper than MOST_NESTED is a 400."""
    data = request.get_data(cache=True)
    if not data:
        return None
    too_deep = ApiError(400, "bad_request", f"The JSON body nests arrays and objects more than {MOST_NESTED} "
                                            "levels deep.")
    try:
        body = json.loads(data)
    except RecursionError:
        raise too_deep from None
    except ValueError:  # also a body that is not UTF-8
        raise ApiError(400, "bad_request", "The request body is not valid JSON.") from None
    if _nesting(body) > MOST_NESTED:
        raise too_deep
    return body


def _check_input() -> None:
    """Every piece of text a request carries, whatever its content type, before anything reads
    it: the query string (on every route), the route's own parts, form fields and file names
    (the pages' forms, multipart uploads) and JSON bodies. One refusal for all: 422 naming each
    field that holds a control character (see _NOT_TEXT), with API.md's body (an error page for
    a browser)."""
    found = {}
    for key, value in request.args.items(multi=True):
        found.update(_fields_with_control_characters(value, key))
        found.update(_fields_with_control_characters(key, "_query"))
    for key, value in (request.view_args or {}).items():
        found.update(_fields_with_control_characters(value, key))
    if request.method in _WRITES:
        if request.mimetype in _JSON_TYPES:
            found.update(_fields_with_control_characters(_json_body()))
        elif request.mimetype in _FORM_TYPES:
            for key, value in request.form.items(multi=True):
                found.update(_fields_with_control_characters(value, key))
                found.update(_fields_with_control_characters(key, "_form"))
            for key, upload in request.files.items(multi=True):
                found.update(_fields_with_control_characters(upload.filename or "", key))
                found.update(_fields_with_control_characters(key, "_form"))
    if found:
        raise ApiError(422, "invalid", "Text may not contain control characters.", found)


def _commit_once(response):
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return error_response(ApiError(409, "conflict", "Somebody changed this at the same moment; try again."))
    return response


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app) -> None:
    # before Flask-Limiter's and Flask-Login's hooks, which may read the body or the database
    first = app.before_request_funcs.setdefault(None, [])
    first[0:0] = [_read_body_first, _check_input]
    app.before_request(_check_api_body)
    app.before_request(check_csrf_for_cookie_writes)
    app.after_request(_commit_once)
    app.after_request(_security_headers)
    app.session_interface = _SessionOverHttpsIsSecure()


class _SessionOverHttpsIsSecure(SecureCookieSessionInterface):
    """Served over HTTPS (or behind a proxy that says so), the session cookie is marked
    Secure, so it never travels in clear; on plain http://127.0.0.1 it must not be."""

    def get_cookie_secure(self, app) -> bool:
        return request.is_secure or super().get_cookie_secure(app)
