"""Configuration from the EXCOM_* environment variables of API.md.

`create_app(config)` takes a mapping that wins over the environment, which is how tests
point an app at their own database.
"""
import os
import secrets
from pathlib import Path

DEFAULTS = {
    "EXCOM_DEMO_PASSWORD": "excom-demo",
    "EXCOM_REDIS_URL": None,
    "EXCOM_REDIS_CHANNEL": "excom",
    "EXCOM_SMTP_URL": None,
    # Flask-SocketIO's async mode is chosen explicitly: "threading" for tests and tools that
    # run in-process, "gevent" for `excom serve` (see governance/serve.py).
    "EXCOM_ASYNC_MODE": "threading",
    "EXCOM_LOGIN_RATE_LIMIT": "10 per minute;50 per hour",  # failed sign-ins per account
    # accounts (docs/security.md, "Accounts and sessions"; governance/auth/throttle.py, sessions.py)
    "EXCOM_LOGIN_ADDRESS_RATE_LIMIT": "30 per minute;300 per hour",  # failed sign-ins per client address
    "EXCOM_SESSION_IDLE_MINUTES": 480,
    "EXCOM_SESSION_MAX_HOURS": 24,
    "EXCOM_ACCESS_LINK_HOURS": 72,
    "EXCOM_PASSWORD_RESET_MINUTES": 60,
    "EXCOM_PASSWORD_RESET_RATE_LIMIT": "3 per hour",
    "EXCOM_PASSWORD_RESET_ADDRESS_RATE_LIMIT": "20 per hour",
    "EXCOM_SELF_CHECKIN_RATE_LIMIT": "5 per minute;30 per hour",
}


def _secret_key(instance: Path) -> str:
    """A random key made once per instance and kept there, so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str, overrides: dict | None) -> dict:
    overrides = dict(overrides or {})
    env = {key: os.environ[key] for key in os.environ if key.startswith("EXCOM_")}
    settings = {**DEFAULTS, **env, **overrides}
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    database_url = settings.get("EXCOM_DATABASE_URL") or f"sqlite:///{instance / 'excom.sqlite3'}"
    secret_key = settings.get("EXCOM_SECRET_KEY") or _secret_key(instance)
    config = {
        **settings,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        # 8 MiB: the largest thing anyone uploads is a candidate logo.
        "MAX_CONTENT_LENGTH": int(settings.get("EXCOM_MAX_CONTENT_LENGTH", 8 * 1024 * 1024)),
        "API_TITLE": "EXCOM governance platform",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        # API.md's error body replaces flask-smorest's, and the spec documents it.
        "API_SPEC_OPTIONS": {"info": {"description": "See API.md: the outside contract of the platform."}},
        "WTF_CSRF_CHECK_DEFAULT": False,  # checked in auth for cookie-authenticated writes only
        # Flask-WTF's extra check over HTTPS wants a same-origin Referer, which no browser sends
        # under our Referrer-Policy: no-referrer (pages whose address carries a one-time code must
        # not hand it on). The CSRF token itself and SameSite=Lax cookies protect the writes.
        "WTF_CSRF_SSL_STRICT": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "RATELIMIT_STORAGE_URI": settings.get("EXCOM_REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "JSON_SORT_KEYS": False,
    }
    # Any plain Flask key given by a test wins as well (TESTING, RATELIMIT_ENABLED...).
    config.update({k: v for k, v in overrides.items() if not k.startswith("EXCOM_")})
    return config
