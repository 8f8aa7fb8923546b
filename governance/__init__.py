"""The governance core: app factory, registry, meetings, access policy, realtime hub."""
import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from governance.fields import IdConverter
from governance.resources import resource_dir

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` wins over the EXCOM_* environment (tests use it)."""
    from governance import boundary, errors, transaction  # noqa: F401  (transaction: the after-commit hooks)
    from governance.config import load_config
    from governance.extensions import api, csrf, db, limiter, login_manager, migrate, socketio

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
    # Handlers must exist before init_app: Flask-SocketIO copies its list of handlers onto each
    # new server, but a handler declared after the first init_app lands on that server only.
    _register_socket_handlers()
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

    _register_models()
    _register_blueprints(app)
    errors.register_error_handlers(app)
    boundary.init_app(app)
    from governance import redact
    redact.install()
    return app


def _register_models() -> None:
    """Import every table so that the metadata (and Alembic) sees the whole schema."""
    import governance.audit.models  # noqa: F401
    import governance.auth.models  # noqa: F401
    import governance.documents.models  # noqa: F401
    import governance.invitations.models  # noqa: F401
    import governance.mail.models  # noqa: F401
    import governance.meetings.models  # noqa: F401
    import governance.publication.models  # noqa: F401
    import governance.registry.models  # noqa: F401
    import governance.speakers.models  # noqa: F401
    import minutes.models  # noqa: F401
    import motions.models  # noqa: F401
    import voting.models  # noqa: F401


def _register_socket_handlers() -> None:
    import governance.realtime  # noqa: F401  (connect, disconnect, join)
    import voting.live  # noqa: F401  (vote, and the open poll in the join state)


def _register_blueprints(app: Flask) -> None:
    from governance import views
    from governance.auth import loading  # noqa: F401  (registers the Flask-Login loaders)
    from governance.auth.api import blp as auth_api
    from governance.documents.api import blp as documents_api
    from governance.extensions import api
    from governance.invitations.api import blp as invitations_api
    from governance.meetings.api import blp as meetings_api
    from governance.registry.api import blp as registry_api
    from governance.speakers.api import blp as speakers_api
    from minutes.api import blp as minutes_api
    from motions.api import blp as motions_api
    from voting.api import blp as voting_api

    for blueprint in (auth_api, registry_api, meetings_api, documents_api, speakers_api, motions_api, voting_api,
                      minutes_api, invitations_api):
        api.register_blueprint(blueprint)
    app.register_blueprint(views.bp)
