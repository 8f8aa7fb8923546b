"""The organisation and its member registry.

- `models`: Organisation (name, logo, numbering pattern), Member (category, status);
- `operations`: every change (audited), `importing`: the members' spreadsheet, `queries`:
  lists; `api`: /api/v1/organisation, /members.
"""


def init_app(app) -> None:
    """The registry's API."""
    from governance.extensions import api
    from governance.registry import models  # noqa: F401  (tables)
    from governance.registry.api import blp
    api.register_blueprint(blp)
