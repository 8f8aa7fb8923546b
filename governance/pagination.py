"""Long lists (members, people, participants, the audit trail) come a page at a time.

flask-smorest's pagination: `?page=N&page_size=M` (M up to the route's maximum), the rows of
that page as the body and the total in the `X-Pagination` header (JSON: total, total_pages,
first_page, last_page, page, previous_page, next_page). A route that lists a SELECT pages in the
database (`PagedSelect`: one COUNT and one LIMIT/OFFSET query), so a registry of 10,000 rows
costs one page's worth of rows, not 10,000.
"""
from __future__ import annotations

from flask_smorest import Page
from marshmallow.validate import Range
from sqlalchemy import func, select

from governance.extensions import db
from governance.fields import MAX_ID

PAGE_SIZE = 100  # rows of a page the client did not size
MAX_PAGE_SIZE = 1000


class PagedSelect(Page):
    """A page of a SQLAlchemy `select()` of ORM rows, which must have an ORDER BY (stable pages)."""

    @property
    def items(self):
        params = self.page_params
        return db.session.scalars(self.collection.limit(params.page_size).offset(params.first_item)).all()

    @property
    def item_count(self):
        return db.session.scalar(select(func.count()).select_from(self.collection.order_by(None).subquery()))


def paginate(blp, pager: type[Page] = PagedSelect, *, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE):
    """flask-smorest's `blp.paginate`, with `page` bounded as every integer the API takes is
    (governance.fields.MAX_ID): `?page=10**30` is a 422 naming `page`, not an OFFSET no database
    can hold. (flask-smorest builds its parameters' schema inside `paginate` and offers no hook:
    the bound is added to the `page` field of the schema it made for this route.)"""
    decorate = blp.paginate(pager, page_size=page_size, max_page_size=max_page_size)

    def bounded(view):
        wrapper = decorate(view)
        page = wrapper._apidoc["pagination"]["parameters"]["schema"]._declared_fields["page"]
        page.validators = [*page.validators, Range(max=MAX_ID)]
        return wrapper
    return bounded
