"""The installation's own address, for links that leave it (e-mails, printed QR sheets, .ics).

EXCOM_PUBLIC_URL when set (e.g. `https://excom.example.org`): a link carrying a one-time code
(an invitation, a password reset) must never follow the Host header of the request that
caused it, which a client forges at will and the proxy passes on (`$host`), nor the internal
address the desk happened to use. Without the setting (a laptop, tests): the address the
request came to."""
from flask import current_app, request


def public_url(path: str = "") -> str:
    """`path` ("/login/link/…") made absolute on the public address; no trailing slash doubled."""
    base = current_app.config.get("EXCOM_PUBLIC_URL") or request.url_root
    return base.rstrip("/") + path
