"""An assembly's long lists come a page at a time, with the total in the X-Pagination header:
the registry of 10,000 members is read one page per request, and a client reads them all by
following next_page."""
import json

import pytest

from governance.extensions import db
from governance.registry import operations as registry_ops
from tests.governance.test_errors import _assert_error_body

pytestmark = pytest.mark.both_databases  # counting, ordering and paging done in SQL

DEMO_PASSWORD = "excom-demo"
SECRETARIAT = "secretary-general@excom.example.org"


def _registry_of(app, cities: int) -> None:
    with app.app_context():
        for number in range(cities):
            registry_ops.create_member(actor=None, name=f"City {number:05}", country="", category="city",
                                       status="active", excom=False, office=None)
        db.session.commit()


def test_the_secretariat_reads_a_long_registry_page_by_page(app, demo, api):
    _registry_of(app, 250)
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    first = desk.get("/members")
    info = json.loads(first.headers["X-Pagination"])
    total = info["total"]
    assert total >= 250 and len(first.get_json()) == 100 and info["next_page"] == 2
    names, page = [], 1
    while page:
        answer = desk.get("/members", query_string={"page": page, "page_size": 100})
        names += [member["name"] for member in answer.get_json()]
        page = json.loads(answer.headers["X-Pagination"]).get("next_page")
    assert len(names) == total == len(set(names)) and names == sorted(names)


def test_a_page_out_of_range_is_refused_by_name(demo, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    for path in ("/members", "/users", f"/meetings/{demo}/audit", f"/meetings/{demo}/participants"):
        for query, field in (({"page": 10**30}, "page"), ({"page": 0}, "page"), ({"page_size": 5000}, "page_size")):
            error = _assert_error_body(desk.get(path, query_string=query), 422)
            assert field in json.dumps(error["fields"]), (path, query, error)


def test_a_meeting_s_participants_come_whole_by_default(demo, api):
    desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    answer = desk.get(f"/meetings/{demo}/participants")
    assert len(answer.get_json()) == json.loads(answer.headers["X-Pagination"])["total"] == 27
