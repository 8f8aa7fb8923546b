"""Bad input of every kind gets a 4xx with API.md's error body, and nothing changes."""
import io
import json

import pytest

import tests.motions.test_motions_api
from tests.databases import ONE_DATABASE

DEMO_PASSWORD = "excom-demo"


def _state(secretariat, meeting_id):
    """What a careful secretariat would compare: registry, meeting, people, and the trail."""
    return (secretariat.get("/members").get_json(), secretariat.get(f"/meetings/{meeting_id}").get_json(),
            secretariat.get(f"/meetings/{meeting_id}/participants").get_json(),
            secretariat.get(f"/meetings/{meeting_id}/audit").get_json(), secretariat.get("/users").get_json())


def _assert_error_body(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"].replace("_", "").isalpha() and body["error"]["code"].islower()
    assert body["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


def _malformed_calls(meeting_id, item_id, user_id):
    raw = {"Content-Type": "application/json"}
    return [
        # (method, path, kwargs, expected status, expected code)
        ("post", "/members", {"data": "{not json", "headers": raw}, 400, "bad_request"),
        ("post", "/members", {"data": "", "headers": raw}, 422, "invalid"),  # no body: name is missing
        ("post", "/members", {"json": []}, 422, "invalid"),
        ("post", "/members", {"json": "Atlantis"}, 422, "invalid"),
        ("post", "/members", {"json": {}}, 422, "invalid"),
        ("post", "/members", {"json": {"name": "Atlantis", "category": "planet"}}, 422, "invalid"),
        ("post", "/members", {"json": {"name": "Atlantis", "status": "emperor"}}, 422, "invalid"),
        ("post", "/members", {"json": {"name": "Atlantis", "excom": "perhaps"}}, 422, "invalid"),
        ("post", "/members", {"json": {"name": "Atlantis", "unexpected": 1}}, 422, "invalid"),
        ("post", "/members", {"json": {"name": "x" * 5000}}, 422, "invalid"),
        ("post", "/members", {"json": {"name": "Seoul"}}, 409, "name_taken"),
        ("post", "/members",
         {"data": "name=Atlantis", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
         415, "unsupported_media_type"),
        ("post", "/members", {"data": "<member/>", "headers": {"Content-Type": "application/xml"}},
         415, "unsupported_media_type"),
        ("post", "/members", {"data": json.dumps({"name": "A" * 9_000_000}), "headers": raw}, 413, "too_large"),
        ("patch", "/members/999999", {"json": {"status": "active"}}, 404, "not_found"),
        ("patch", "/members/1", {"json": {"status": None}}, 422, "invalid"),
        ("get", "/members/0", {}, 404, "not_found"),
        ("get", "/members/not-a-number", {}, 404, "not_found"),
        ("get", "/members/99999999999999999999999", {}, 404, "not_found"),
        ("delete", "/members", {}, 405, "method_not_allowed"),
        ("put", f"/meetings/{meeting_id}", {"json": {}}, 405, "method_not_allowed"),
        ("get", "/no/such/route", {}, 404, "not_found"),
        ("post", "/meetings", {"json": {"title": "X", "starts_at": "yesterday"}}, 422, "invalid"),
        ("post", "/meetings", {"json": {"title": "X", "starts_at": "2025-01-01T10:00:00"}}, 422, "invalid"),
        ("post", "/meetings", {"json": {"title": "X", "starts_at": "2025-01-01T10:00:00+00:00",
                                        "timezone": "Mars/Olympus"}}, 422, "invalid"),
        ("post", "/meetings", {"json": {"title": "X", "starts_at": "2025-01-01T10:00:00+00:00",
                                        "timezone": "../../etc/passwd"}}, 422, "invalid"),
        ("post", "/meetings", {"json": {"title": "X", "starts_at": "2025-01-01T10:00:00+00:00",
                                        "quorum": {"rule": "count"}}}, 422, "invalid"),
        ("post", "/meetings", {"json": {"title": "X", "starts_at": "2025-01-01T10:00:00+00:00",
                                        "quorum": {"rule": "count", "count": -3}}}, 422, "invalid"),
        ("post", f"/meetings/{meeting_id}/sessions", {"json": {"title": "S", "kind": "secret"}}, 422, "invalid"),
        ("post", f"/meetings/{meeting_id}/sessions",
         {"json": {"title": "S", "kind": "open", "starts_at": "2024-09-20T15:00:00+05:00",
                   "ends_at": "2024-09-20T14:00:00+05:00"}}, 422, "invalid"),
        ("post", f"/meetings/{meeting_id}/participants", {"json": {"user_id": 999999, "group": "guest"}},
         422, "invalid"),
        ("post", f"/meetings/{meeting_id}/participants", {"json": {"user_id": "1", "group": "guest"}},
         422, "invalid"),
        ("post", f"/meetings/{meeting_id}/participants", {"json": {"user_id": user_id, "group": "guest"}},
         409, "already_participant"),
        ("post", f"/meetings/{meeting_id}/attendance", {"json": {"user_id": 999999}}, 422, "invalid"),
        ("post", f"/meetings/{meeting_id}/attendance", {"json": {"user_id": user_id, "mode": "telepathy"}},
         422, "invalid"),
        ("post", "/meetings/999999/attendance", {"json": {"user_id": user_id}}, 404, "not_found"),
        ("patch", f"/items/{item_id}", {"json": {"kind": "coronation"}}, 422, "invalid"),
        ("patch", f"/items/{item_id}", {"json": {"position": 1.5}}, 422, "invalid"),
        ("post", "/items/999999/activate", {}, 404, "not_found"),
        ("post", "/users", {"json": {"name": "X", "email": "not-an-address", "password": "long enough pw"}},
         422, "invalid"),
        ("post", "/users", {"json": {"name": "X", "email": "x@example.org", "password": "short"}}, 422, "invalid"),
        ("post", "/users", {"json": {"name": "X", "email": "seoul@excom.example.org", "password": "long enough pw"}},
         409, "email_taken"),
        ("post", "/users", {"json": {"name": "X", "email": "x@example.org", "roles": ["emperor"]}}, 422, "invalid"),
        ("post", "/users/999999/token", {}, 404, "not_found"),
        ("delete", "/tokens/999999", {}, 404, "not_found"),
    ]


def test_malformed_input_of_many_kinds_is_refused_with_the_error_body_and_changes_nothing(demo, api, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    meeting = secretariat.get(f"/meetings/{demo}").get_json()
    item_id = meeting["sessions"][0]["items"][0]["id"]
    user_id = secretariat.get("/me").get_json()["id"]
    before = _state(secretariat, demo)

    for method, path, kwargs, status, code in _malformed_calls(demo, item_id, user_id):
        response = getattr(secretariat, method)(path, **kwargs)
        error = _assert_error_body(response, status)
        assert error["code"] == code, (method, path, error)

    assert _state(secretariat, demo) == before


def test_schema_errors_say_which_field(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    error = _assert_error_body(secretariat.post("/members", json={"category": "planet"}), 422)
    assert set(error["fields"]) == {"name", "category"}
    error = _assert_error_body(secretariat.post("/meetings", json={
        "title": "X", "starts_at": "2025-01-01T10:00:00+00:00", "quorum": {"rule": "count"}}), 422)
    assert "quorum.count" in error["fields"]


def test_text_with_control_characters_is_refused_before_it_can_break_the_memorandum(demo, api):
    """A title with a NUL or a form feed cannot go into a DOCX (XML) or a PostgreSQL text column:
    it is refused at the door with the field named, and the memorandum still builds."""
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    title = secretariat.get(f"/meetings/{demo}").get_json()["title"]
    error = _assert_error_body(secretariat.patch(f"/meetings/{demo}", json={"title": "EXCOM\x0c2024\x00"}), 422)
    assert error["fields"] == {"title": ["Contains a control character; send plain text."]}
    error = _assert_error_body(secretariat.post("/meetings", json={
        "title": "X", "starts_at": "2025-01-01T10:00:00+00:00", "quorum": {"rule": "count", "\ud800": 1}}), 422)
    assert list(error["fields"]) == ["quorum"]
    assert secretariat.get(f"/meetings/{demo}").get_json()["title"] == title
    ok = secretariat.patch(f"/meetings/{demo}", json={"title": "EXCOM 2024\tAlmaty\nsecond line"})
    assert ok.status_code == 200, ok.get_json()
    assert secretariat.post(f"/meetings/{demo}/memorandum").status_code == 201


@pytest.mark.parametrize("path", ["/nowhere", "/api/v2/members", "/api/v1/", "/api/v1/meetings/1/nothing"])
@ONE_DATABASE
def test_unknown_routes_answer_json(client, path):
    _assert_error_body(client.get(path), 404)


@ONE_DATABASE
def test_a_browser_gets_a_page_for_an_unknown_page(client):
    response = client.get("/nowhere", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_refused_write_leaves_no_audit_event(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    trail = secretariat.get(f"/meetings/{demo}/audit").get_json()
    chair = api.as_user("seoul@excom.example.org", DEMO_PASSWORD)
    assert chair.post("/members", json={"name": "Atlantis"}).status_code == 403
    assert secretariat.get(f"/meetings/{demo}/audit").get_json() == trail
    assert "Atlantis" not in json.dumps(secretariat.get("/members").get_json())


DEEP_BODIES = ["[" * 50000, "[" * 5000 + "]" * 5000, '{"a":' * 40 + "1" + "}" * 40,
               '{"name": ' + "[" * 33 + "]" * 33 + "}"]


def _every_write(app, meeting_id):
    """(method, path) of every route that takes a body, with ids that exist where it matters."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {name: (meeting_id if "int" in type(converter).__name__.lower() or name.endswith("_id") else "x")
                  for name, converter in rule._converters.items()}
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            yield method, path


def test_deeply_nested_json_is_a_400_on_every_route_and_changes_nothing(demo, api, app):
    """A parser's recursion is not a way to make a 500: "[" * 50000 (and valid JSON nested past
    32 levels) answers 400 with API.md's body, wherever it is sent, signed in or not."""
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    before = _state(secretariat, demo)
    writes = list(_every_write(app, demo))
    assert len(writes) > 20 and ("POST", "/api/v1/auth/login") in writes and ("POST", "/login") in writes
    for method, path in writes:
        for body in DEEP_BODIES:
            for headers in (secretariat._headers(), {}):
                response = secretariat.client.open(path, method=method, data=body, headers={
                    **headers, "Content-Type": "application/json"})
                error = _assert_error_body(response, 400)
                assert error["code"] == "bad_request", (method, path)
    assert _state(secretariat, demo) == before
    shallow = secretariat.post("/members", json={"name": "Atlantis", "unexpected": [[[[1]]]]})
    assert shallow.status_code == 422  # nested, but within bounds: the schema answers


def test_control_characters_are_refused_whatever_the_content_type(demo, api, app, client):
    """The refusal JSON bodies get also covers multipart fields and file names, the pages' form
    posts, query strings and the route's own parts: one check at the door, naming the field."""
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    item_id = secretariat.get(f"/meetings/{demo}").get_json()["sessions"][0]["items"][0]["id"]
    motion = secretariat.post(f"/items/{item_id}/motions", json={"kind": "logo", "title": "Logo"}).get_json()
    before = _state(secretariat, demo)
    png = tests.motions.test_motions_api.png()

    def upload(label, filename="logo.png"):
        return secretariat.post(f"/motions/{motion['id']}/logos", json=None, content_type="multipart/form-data",
                                data={"file": (io.BytesIO(png), filename, "image/png"), "label": label})

    cases = [
        (upload("Blue\x0bwave"), {"label"}),
        (upload("Blue wave", "logo\x00.png"), {"file"}),
        (secretariat.get(f"/meetings/{demo}/memorandum.docx?edition=public%0B"), {"edition"}),
        (secretariat.get(f"/meetings/{demo}?lang%07=en"), {"_query"}),
        (client.get("/language/en?next=/meetings%00"), {"next"}),
        (client.post("/login", data={"email": "seoul@excom.example.org\x1b", "password": "excom-demo"}), {"email"}),
        (client.get("/login/link/abc%01def"), {"code"}),
    ]
    for response, fields in cases:
        error = _assert_error_body(response, 422)
        assert set(error["fields"]) == fields, error
        assert error["fields"][next(iter(fields))] == ["Contains a control character; send plain text."]
    assert _state(secretariat, demo) == before
    assert secretariat.get(f"/motions/{motion['id']}").get_json()["candidates"] == []
    assert upload("Blue wave\ttab\nnewline").status_code == 201  # tab and newline are text
    assert secretariat.post(f"/meetings/{demo}/memorandum").status_code == 201


def _integers(schema, schemas, path=""):
    """(place, schema) of every integer in a documented body or parameter, $refs followed."""
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    kinds = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
    if "integer" in kinds:
        yield path, schema
    for name, inner in (schema.get("properties") or {}).items():
        yield from _integers(inner, schemas, f"{path}.{name}")
    if "items" in schema:
        yield from _integers(schema["items"], schemas, f"{path}[]")


def test_every_integer_the_api_takes_is_bounded(client):
    """Ids and counts in JSON bodies and query strings: each has a maximum no database integer
    overflows on (ids at MAX_ID), so 10**30 is a 422 naming the field, never a 500. Route ids
    are bounded by their converter (404); Socket.IO ids in tests/voting/test_live.py."""
    from governance.fields import MAX_ID
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    found = []
    for route, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            places = [(f"{parameter['in']} {parameter['name']}", parameter.get("schema", {}))
                      for parameter in operation.get("parameters", []) if parameter["in"] != "path"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                places += [(f"body{place}", schema) for place, schema in _integers(content["schema"], schemas)]
            for place, schema in places:
                if schema.get("type") == "integer" or "integer" in (schema.get("type") or []):
                    found.append((method, route, place))
                    assert 0 <= schema.get("minimum", -1) and schema.get("maximum", MAX_ID + 1) <= MAX_ID, \
                        (method, route, place, schema)
    assert ("post", "/api/v1/polls/{poll_id}/casting-vote", "body.casting_vote") in found
    assert ("get", "/api/v1/meetings/{meeting_id}/memorandum.docx", "query version") in found


def test_ids_out_of_range_in_bodies_and_query_strings_are_refused(demo, api):
    secretariat = api.as_user("secretary-general@excom.example.org", DEMO_PASSWORD)
    for huge in (10**30, 2**63, 2**31):
        error = _assert_error_body(secretariat.post(f"/meetings/{demo}/participants",
                                                    json={"user_id": huge, "group": "guest"}), 422)
        assert list(error["fields"]) == ["user_id"]
        error = _assert_error_body(secretariat.get(f"/meetings/{demo}/memorandum.docx?version={huge}"), 422)
        assert list(error["fields"]) == ["version"]
        _assert_error_body(secretariat.post(f"/polls/{huge}/casting-vote", json={"casting_vote": 1}), 404)
        _assert_error_body(secretariat.post("/polls/1/casting-vote", json={"casting_vote": huge}), 422)
