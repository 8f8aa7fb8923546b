"""The speakers' list of each agenda item: requests to speak (in the room or online), points of
order, and written questions (the program book's "Q&A function" for the online members)."""


def init_app(app) -> None:
    """The speakers' list API."""
    from governance.extensions import api
    from governance.speakers import models  # noqa: F401  (tables)
    from governance.speakers.api import blp
    api.register_blueprint(blp)
