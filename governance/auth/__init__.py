"""Users, passwords, tokens and who is asking.

- `models`: User, AccessToken, one-time codes; `passwords`, `throttle` (sign-in limits),
  `sessions` (browser sessions that end and expire);
- `loading`: who is asking (Flask-Login's loaders, the session's epoch, access links);
- `operations`: sign in and out, password change and reset, access links; `letters` their
  e-mails; `api`: the routes (/api/v1/auth..., /users...).
"""


def init_app(app) -> None:
    """The auth API and Flask-Login's loaders (who is asking, on every request)."""
    from governance.auth import (
        loading,  # noqa: F401  (registers the Flask-Login loaders)
        models,  # noqa: F401  (tables)
    )
    from governance.auth.api import blp
    from governance.extensions import api
    api.register_blueprint(blp)
