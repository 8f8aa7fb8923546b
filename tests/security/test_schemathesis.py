"""Hostile input: schemathesis generates requests from the app's own OpenAPI document
(/api/v1/openapi.json) and sends them in-process (WSGI), signed in as the secretariat (who may
reach every handler's deepest path) and again as an observer (who is refused most things).

Checked on every answer: no 5xx (`not_a_server_error`), the status is one the document lists,
the content type is the documented one, the body fits the documented schema, and every error
body is API.md's {"error": {"code", "message", "fields"}}.

Bounded: 15 examples per operation (10 as the observer), no shrinking, derandomized (the same run every time, so a
strict xfail cannot flicker): both runs take about 50 s of CPU (80 s wall on a busy two-core machine).

SQLite only: what is under test here is input handling (schemas, converters, handlers, error
pages), which is the same code on both databases; the access matrix and the rest of the
suite cover PostgreSQL. Fuzzing twice would double the time for no new path.

The run validates against the document exactly as the app publishes it: its error schema is
API.md's error body (governance.extensions.ExcomApi), and `test_the_schema_checks_bite` shows
that a document still describing flask-smorest's default error body fails the same answer.
"""
import copy
import tempfile
import traceback

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from governance import create_app
from governance.extensions import db
from tests.factories import wipe_database
from tests.security.scene import OBSERVER, SECRETARIAT, app_config, load_demo, migrate

API_MD_ERROR = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message", "fields"],
        "properties": {"code": {"type": "string", "pattern": "^[a-z_]+$"}, "message": {"type": "string"},
                       "fields": {"type": "object", "additionalProperties": {"type": "array",
                                                                             "items": {"type": "string"}}}}}},
}


def _published_document() -> dict:
    """The document as the app serves it (no database needed to describe the API)."""
    app = create_app({"TESTING": True, "EXCOM_DATABASE_URL": "sqlite://", "EXCOM_SECRET_KEY": "openapi",
                      "EXCOM_INSTANCE_PATH": tempfile.mkdtemp(prefix="excom-openapi-")})
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


PUBLISHED = _published_document()
schema = schemathesis.openapi.from_dict(copy.deepcopy(PUBLISHED))
# The error body flask-smorest documents by default ({code: int, status, message, errors}): a
# document still describing it must fail the checks (see test_the_schema_checks_bite).
SMOREST_DEFAULT_ERROR = {
    "type": "object", "additionalProperties": False,
    "properties": {"code": {"type": "integer"}, "status": {"type": "string"}, "message": {"type": "string"},
                   "errors": {"type": "object"}},
}


def api_md_error_body(ctx, response, case):
    """API.md: every 4xx/5xx answer is {"error": {"code", "message", "fields"}}, never HTML."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except Exception:
        raise AssertionError(f"{response.status_code} answer is not JSON: {response.text[:200]!r}") from None
    error = body.get("error") if isinstance(body, dict) else None
    if not (isinstance(error, dict) and set(body) == {"error"} and isinstance(error.get("code"), str)
            and isinstance(error.get("message"), str) and isinstance(error.get("fields"), dict)):
        raise AssertionError(f"{response.status_code} error body is not API.md's: {body!r}")
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          api_md_error_body]


class Fuzz:
    def __init__(self, app):
        self.app = app
        self.tokens = {}
        self.unchecked: set[str] = set()  # people whose account a case may have changed since

    def bearer(self, email: str) -> dict:
        """Credentials for the next case. An earlier case may have revoked the token (logout,
        DELETE /tokens/{id}), deactivated an account or taken the secretariat's role away
        (PATCH /users/{id}): undo that first, so that each operation's run does not depend on
        which operations ran before it (and a strict xfail cannot flicker)."""
        if email in self.tokens and email not in self.unchecked:
            return {"Authorization": f"Bearer {self.tokens[email]}"}
        self.unchecked.discard(email)
        from governance.auth import operations as auth_ops
        from governance.auth.models import AccessToken, User
        with self.app.app_context():
            changed = False
            for user in db.session.scalars(db.select(User).where(User.active.is_(False))):
                user.active, changed = True, True
            user = db.session.scalar(db.select(User).where(User.email == email))
            if email == SECRETARIAT and not user.is_secretariat:
                user.roles, changed = ["secretariat"], True
            secret = self.tokens.get(email)
            if changed:
                db.session.flush()
            if secret is None or AccessToken.find_user(secret) is None:
                _, secret = auth_ops.issue_personal_token(user, actor=None, label="schemathesis")
                self.tokens[email], changed = secret, True
            if changed:
                db.session.commit()
            db.session.remove()
        return {"Authorization": f"Bearer {secret}"}

    def call(self, case, email: str):
        """The case sent with `email`'s credentials. Only a write that succeeded can have changed
        an account (a refused request changes nothing: API.md); the accounts are checked again
        before the next case after one (a check is three queries: a fifth of the fuzzer's time
        when it ran before every case). A request that raised may have committed before it did:
        checked again too, so that one failure does not leave later cases signed out."""
        try:
            response = case.call(app=self.app, headers=self.bearer(email))
        except BaseException:
            self.unchecked.update(self.tokens)
            raise
        if case.method.upper() not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            self.unchecked.update(self.tokens)
        return response


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory):
    directory = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{directory / 'excom.sqlite3'}"
    migrate(url, str(directory / "migrate"))
    app = create_app({**app_config(url, str(directory / "instance")),
                      # the fuzzer's logins must not wait for the rate limit between examples
                      "EXCOM_LOGIN_RATE_LIMIT": "10000 per minute",
                      "EXCOM_LOGIN_ADDRESS_RATE_LIMIT": "10000 per minute",
                      # mail is queued, never sent (no sender runs here): without an SMTP server,
                      # retrying a distribution is a documented 503, which the checks would call a
                      # server error whenever an earlier case happened to build a memorandum
                      "EXCOM_SMTP_URL": "smtp://127.0.0.1:9"})
    load_demo(app)
    # the demo's people: the fuzzer's ids (mostly small integers) land on real things too
    yield Fuzz(app)
    wipe_database(app)


FUZZ_SETTINGS = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_the_secretariat(case, fuzz):
    response = fuzz.call(case, SECRETARIAT)
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@settings(FUZZ_SETTINGS, max_examples=10)  # refused at the door almost everywhere: fewer examples suffice
def test_fuzz_as_an_observer(case, fuzz):
    response = fuzz.call(case, OBSERVER)
    case.validate_response(response, checks=CHECKS)


def test_the_published_error_schema_is_api_md_s():
    default_error = PUBLISHED["components"]["responses"]["DEFAULT_ERROR"]
    name = default_error["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    published = PUBLISHED["components"]["schemas"][name]
    assert published["required"] == ["error"]
    detail = PUBLISHED["components"]["schemas"][published["properties"]["error"]["$ref"].rsplit("/", 1)[-1]]
    assert set(detail["properties"]) == set(API_MD_ERROR["properties"]["error"]["properties"])



def _case(document, path, method, **parameters):
    return document[path][method].Case(**parameters)


def test_the_schema_checks_bite(fuzz):
    """Not vacuous: the same 404 that passes against the published document fails against a
    copy whose error schema is flask-smorest's default (what the document said before)."""
    wrong = copy.deepcopy(PUBLISHED)
    name = wrong["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"]["schema"]["$ref"]
    wrong["components"]["schemas"][name.rsplit("/", 1)[-1]] = SMOREST_DEFAULT_ERROR
    for document, should_pass in ((schema, True), (schemathesis.openapi.from_dict(wrong), False)):
        case = _case(document, "/api/v1/members/{member_id}", "GET", path_parameters={"member_id": 99999})
        response = case.call(app=fuzz.app, headers=fuzz.bearer(SECRETARIAT))
        assert response.status_code == 404
        if should_pass:
            case.validate_response(response, checks=CHECKS)
        else:
            with pytest.raises(BaseException) as failure:  # schemathesis raises a FailureGroup
                case.validate_response(response, checks=[response_schema_conformance])
            assert "violates schema" in "".join(traceback.format_exception(failure.value))


def test_the_logo_routes_document_their_images(app):
    from governance.registry.models import Organisation
    from tests.security.scene import png
    with app.app_context():
        organisation = Organisation.ensure()
        organisation.logo, organisation.logo_mimetype = png(), "image/png"
        db.session.commit()
        db.session.remove()
    case = _case(schema, "/api/v1/organisation/logo", "GET")
    response = case.call(app=app)
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    case.validate_response(response, checks=CHECKS)
