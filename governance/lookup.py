"""Load or 404, with API.md's error body (db.get_or_404 would answer Flask's own 404 page)."""
from governance.errors import not_found
from governance.extensions import db


def get_or_404(model, ident: int, what: str):
    thing = db.session.get(model, ident)
    if thing is None:
        raise not_found(what)
    return thing
