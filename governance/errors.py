"""Every error answers API.md's body: {"error": {"code", "message", "fields"}}.

Operations raise `ApiError` (or its named subclasses); handlers never build error bodies
themselves. Unknown routes, wrong methods, malformed JSON, oversized bodies and schema
failures all pass through `_http_error` so that no stack trace or HTML page leaks out.
"""
import logging

from flask import current_app, g, jsonify, render_template, request
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException, InternalServerError

from governance.refusal import ApiError as ApiError  # every module names it from here; defined apart from Flask

log = logging.getLogger(__name__)

# The key in `g` under which governance.boundary keeps a route's own 413 refusal (a callable
# -> ApiError) for the request being read; here so that errors need not import the boundary.
UPLOAD_REFUSAL = "excom_upload_limit"

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


def not_found(what: str = "thing") -> ApiError:
    return ApiError(404, "not_found", f"No such {what}.")


def forbidden(message: str = "You are not allowed to do this.") -> ApiError:
    return ApiError(403, "forbidden", message)


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, message)


def invalid(fields: dict, message: str = "The input does not fit the schema.") -> ApiError:
    return ApiError(422, "invalid", message, fields)


def _flatten_messages(messages) -> dict:
    """webargs nests schema errors under their location ({"json": {...}}); API.md wants fields."""
    if not isinstance(messages, dict):
        return {"_schema": [str(messages)]}
    if set(messages) <= {"json", "query", "form", "files", "headers", "path", "view_args"}:
        merged = {}
        for location_messages in messages.values():
            merged.update(_flatten_messages(location_messages))
        return merged
    flat = {}
    for field, problems in messages.items():
        if isinstance(problems, list):
            flat[str(field)] = [str(p) for p in problems]
        elif isinstance(problems, dict):
            # nested (e.g. quorum.rule) or list index errors: keep the path readable
            for sub, sub_problems in _flatten_messages(problems).items():
                flat[f"{field}.{sub}"] = sub_problems
        else:
            flat[str(field)] = [str(problems)]
    return flat


def _wants_html() -> bool:
    if request.path.startswith("/api/") or request.path.startswith("/socket.io"):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes[best] > request.accept_mimetypes["application/json"]


def error_response(error: ApiError):
    if _wants_html():
        try:
            html = render_template("error.html", error=error)
            return html, error.status
        except Exception:  # the pages may not be there (API-only install); JSON then
            log.debug("no error page template", exc_info=True)
    response = jsonify(error.body())
    response.status_code = error.status
    return response


def _http_error(exc: HTTPException):
    status = exc.code or 400
    code = _CODES.get(status, "error")
    fields = {}
    message = exc.description or code.replace("_", " ").capitalize()
    data = getattr(exc, "data", None) or {}
    if status == 422 and "messages" in data:
        fields = _flatten_messages(data["messages"])
        message = "The input does not fit the schema."
    elif status == 400 and "messages" in data:
        # webargs says 400 for a body that is not JSON at all
        message = "The request body is not valid JSON."
    elif status == 404:
        message = "No such thing here."
    elif status == 405:
        message = f"{request.method} is not allowed here."
    elif status == 413:
        # the route's own 413 (governance.boundary.upload_limit keeps it in g for this request)
        if (refusal := g.get(UPLOAD_REFUSAL)) is not None:
            return error_response(refusal())
        limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH")
        message = f"The upload or request body is too large: at most {_size(limit)}." if limit \
            else "The upload or request body is too large."
    response = error_response(ApiError(status, code, message, fields))
    if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response = current_app.make_response(response)
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _size(count: int) -> str:
    """A byte count as a person reads it: "8 MiB", "512 KiB", "100 bytes"."""
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


def _validation_error(exc: ValidationError):
    return error_response(invalid(_flatten_messages(exc.messages)))


def _unexpected(exc: Exception):
    # Never a stack trace to the caller; the log keeps it for us.
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(ApiError(InternalServerError.code, "internal_error",
                                   "Something went wrong on our side; nothing was changed."))


def register_error_handlers(app) -> None:
    """Called after flask-smorest's init_app, so that these handlers replace its own."""
    app.register_error_handler(ApiError, error_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(Exception, _unexpected)


class ErrorDetail(Schema):
    code = fields.Str(required=True, metadata={"description": "snake_case, e.g. no_quorum, already_voted"})
    message = fields.Str(required=True, metadata={"description": "a sentence for a person"})
    # marshmallow takes declared fields off the class, so this shadows Schema.fields only for the checker
    fields = fields.Dict(keys=fields.Str(), values=fields.List(fields.Str()),  # type: ignore[assignment]
                         metadata={"description": "input field → its problems (422)"})


class ErrorBody(Schema):
    """API.md's error body, as the OpenAPI document states it for every error response."""

    error = fields.Nested(ErrorDetail, required=True)
