"""Secrets out of log lines: one-time codes travel in page addresses (an access link
/login/link/<code>, a password reset /password/reset/<code>), and a careless client may put a
token in a query string (?token=...). Every line the request logs write (gevent's pywsgi under
`excom serve` with EXCOM_ACCESS_LOG, Werkzeug's under `flask run`, our own error log) passes
through `redact` first. nginx writes its own log: docs/nginx/excom.conf redacts the same paths.
"""
import logging
import re

REDACTED = "[redacted]"
# the code is whatever follows the route's prefix up to the next separator; slashes doubled
# on the way (Werkzeug merges them before routing) count as one
_SECRET_PATH = re.compile(r"(/+(?:login/+link|password/+reset)/+)[^/?#\s\"]+", re.IGNORECASE)
_SECRET_QUERY = re.compile(r"([?&;](?:[\w.-]*(?:token|code|key|secret|password)[\w.-]*)=)[^&;#\s\"]*",
                           re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with the codes of secret paths and the values of secret-looking query
    parameters replaced by [redacted]; all else as it was."""
    return _SECRET_QUERY.sub(r"\1" + REDACTED, _SECRET_PATH.sub(r"\1" + REDACTED, text))


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's formatted message (and drops its args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactedRequestLog:
    """Mixed into gevent's WSGIHandler (governance.serve): its access log line, redacted."""

    def format_request(self):
        return redact(super().format_request())  # type: ignore[misc]  # a mixin: WSGIHandler has it


def install() -> None:
    """Redact the request logs of Werkzeug's server and our own error log (idempotent)."""
    for name in ("werkzeug", "governance.errors"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
