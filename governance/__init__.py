"""The governance core: app factory, registry, meetings, access policy, realtime hub."""
from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

# Flask and the app's parts are imported by create_app, not here: a child process of
# governance.apart imports this package (`python -m governance.apart`) only to build a
# document, and Flask's import was half of its start (0.15 of 0.3 s).
log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` wins over the EXCOM_* environment (tests use it)."""
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from governance import boundary, errors, transaction  # noqa: F401  (transaction: the after-commit hooks)
    from governance.config import load_config
    from governance.extensions import api, csrf, db, limiter, login_manager, migrate, socketio
    from governance.fields import IdConverter
    from governance.resources import resource_dir

    instance_path = (config or {}).get("EXCOM_INSTANCE_PATH") or os.environ.get("EXCOM_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path and os.path.abspath(instance_path),
                instance_relative_config=True, template_folder=str(resource_dir("templates")))
    app.config.from_mapping(load_config(app.instance_path, config))
    app.url_map.converters["int"] = IdConverter
    proxies = int(app.config.get("EXCOM_PROXIES", 0) or 0)
    if proxies:
        # Behind nginx: trust its X-Forwarded-For/-Proto/-Host (from that many hops only), so that
        # rate limits see each phone's address and HTTPS marks the session cookie Secure.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to wrap the WSGI app
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    # Each package composes itself: its tables, blueprints, pages, socket handlers and signal
    # receivers. The order is the order of the API document, and the order in which answers to
    # a signal are read (governance.signals.answers): governance's own packages first.
    for package in _packages():
        package.init_app(app)
    # After the packages: Flask-SocketIO copies its list of handlers onto each new server, so a
    # handler declared after the first socketio.init_app would land on that server only.
    socketio.init_app(
        app,
        async_mode=app.config["EXCOM_ASYNC_MODE"],
        message_queue=app.config.get("EXCOM_REDIS_URL"),
        # Redis pub/sub ignores database numbers: two installations sharing one Redis must have
        # channels of their own, or each would hear the other's rooms (meeting-1-members...).
        channel=app.config["EXCOM_REDIS_CHANNEL"],
        # None = same origin only (the pages are served by this app; behind a proxy its
        # X-Forwarded-Host counts). Not []: Engine.IO reads an empty list as "check nothing".
        cors_allowed_origins=app.config.get("EXCOM_CORS_ORIGINS"),
        # A process busy recording a burst of votes answers no ping for a while; a short
        # timeout would drop the very phones whose votes are queued (measured: docs/performance.md).
        ping_interval=25,
        ping_timeout=60,
    )
    errors.register_error_handlers(app)
    boundary.init_app(app)
    from governance import redact
    redact.install()
    return app


def _packages() -> list:
    """The packages of the platform, each with `init_app(app)`, in composition order."""
    import governance.audit as audit
    import governance.auth as auth
    import governance.documents as documents
    import governance.invitations as invitations
    import governance.mail as mail
    import governance.meetings as meetings
    import governance.pages as pages
    import governance.publication as publication
    import governance.registry as registry
    import governance.speakers as speakers
    import minutes
    import motions
    import voting
    from governance import realtime

    return [
        audit,          # the audit trail (its table)
        auth,           # users, tokens, who is asking; /api/v1/auth, /users
        registry,       # the organisation and its members
        meetings,       # meetings, sessions, agenda, participants; what depends on them
        documents,      # documents on agenda items
        speakers,       # the speakers' lists
        realtime,       # the Socket.IO hub: connect, join, rooms, the rights channel
        motions,        # motions and what adoption does
        voting,         # polls, ballots, the `vote` event
        minutes,        # notes, the memorandum, its approval and distribution
        invitations,    # invitations by e-mail, access links
        publication,    # closed-session decisions withheld until published
        mail,           # the general e-mail outbox
        pages,          # the server-rendered pages (one blueprint)
    ]


def start_services(app) -> list:
    """What `excom serve` runs: the realtime services at once (not on the first phone), and
    the outbox's sender when EXCOM_SMTP_URL is set. The composition root of services: it
    names packages above governance, as create_app does (governance.services: the lifecycle)."""
    from governance import services
    from governance.realtime import ConnectionWatch
    from voting.ballot_box import BallotBox
    from voting.progress import ProgressCoalescer

    for kind in (ConnectionWatch, BallotBox, ProgressCoalescer):
        kind.of(app)
    if app.config.get("EXCOM_SMTP_URL"):
        # one task sends every kind of message, woken after the commit that queued mail: the
        # general outbox's (password resets, invitations), then the memorandum's copies
        from governance.mail import GENERAL
        from governance.mail.outbox import start_sender
        from minutes.outbox import MEMORANDUM
        start_sender(app, GENERAL, MEMORANDUM)
    return services.running(app)
