"""Documents on agenda items: the board pack (annual report, financial report, ...).

Visible exactly as their item is; stored on disk, content-addressed (governance.documents.storage);
their type judged from their content (governance.documents.filetypes), never from their name.
"""


def init_app(app) -> None:
    """The documents' API. (Who may keep a document from deletion: governance.documents.signals.)"""
    from governance.documents import models  # noqa: F401  (tables)
    from governance.documents.api import blp
    from governance.extensions import api
    api.register_blueprint(blp)
