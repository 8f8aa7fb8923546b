"""Whether an address has an account cannot be told from how a password reset is answered:
not from the answer (tests/accounts/test_password_reset.py) and not from its time. Everything
that depends on the account (looking it up, its code, its letter, the trail) is done after the
answer has been sent, so the work before the answer is the same statement for statement,
whoever is asked for (measured before: 13 ms for an account, 5 ms for none, on SQLite)."""
import re

import pytest
from sqlalchemy import event

from governance.extensions import db
from governance.mail.models import MailMessage


@pytest.fixture
def ann(app, make):
    with app.app_context():
        make.user("Ann", email="ann@example.org")
    return "ann@example.org"


def _statements_before_the_answer(app, send):
    """(SQL statements run until the answer is handed to the server, those run once it is done
    with it); parameters aside."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        answer = send()
        before = list(seen)
        answer.close()  # what a server does once the body is sent
        return answer, before, seen[len(before):]
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _mail(app):
    with app.app_context():
        rows = [(m.recipient, m.body) for m in db.session.scalars(db.select(MailMessage))]
        db.session.rollback()
    return rows


@pytest.mark.parametrize("where", ["api", "page"])
def test_a_reset_does_the_same_work_before_answering_whether_the_account_exists(app, ann, where):
    def ask(email):
        browser = app.test_client()
        if where == "api":
            return lambda: browser.post("/api/v1/auth/password-reset", json={"email": email}, buffered=False)
        form = browser.get("/password/forgot").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        return lambda: browser.post("/password/forgot", data={"email": email, "csrf_token": token}, buffered=False)

    known, known_before, known_after = _statements_before_the_answer(app, ask(ann))
    unknown, unknown_before, _ = _statements_before_the_answer(app, ask("nobody@example.org"))
    assert known.status_code == unknown.status_code
    assert known_before == unknown_before
    assert any("users" in statement for statement in known_after)  # the account is looked up afterwards
    [(to, body)] = _mail(app)  # and the letter is on its way
    assert to == ann and "/password/reset/" in body
