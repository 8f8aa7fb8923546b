"""What an operation asks to happen after its commit happens after the commit, once, in order,
and never after a rollback (governance.transaction)."""
import pytest

from governance import transaction
from governance.extensions import db
from governance.registry.models import Member

pytestmark = pytest.mark.both_databases  # commits, rollbacks and savepoints


def _member(name):
    db.session.add(Member(name=name, country="", category="city", status="active", excom=False))


def test_after_the_commit_and_never_after_a_rollback(app):
    happened = []
    with app.app_context():
        _member("Almaty")
        transaction.on_commit(happened.append, "told the phones")
        transaction.on_rollback(happened.append, "undone")
        assert happened == []  # nothing before the commit
        db.session.commit()
        assert happened == ["told the phones"]

        _member("Cuenca")
        transaction.on_commit(happened.append, "told the phones again")
        transaction.on_rollback(happened.append, "undone")
        db.session.rollback()
        db.session.commit()  # a later commit does not run what the rolled-back transaction asked for
    assert happened == ["told the phones", "undone"]


def test_once_per_key_first_things_first_and_one_failure_stops_nothing(app):
    happened = []

    def broken():
        raise RuntimeError("the mail server is down")
    with app.app_context():
        _member("Abuja")
        transaction.on_commit(happened.append, "broadcast")
        transaction.on_commit(broken)
        for _ in range(3):
            transaction.on_commit(happened.append, "wake the sender", key="outbox.wake")
        transaction.on_commit(happened.append, "move the suspended delegate out", first=True)
        db.session.commit()
    assert happened == ["move the suspended delegate out", "broadcast", "wake the sender"]


def test_what_a_transaction_remembers_ends_with_it(app):
    with app.app_context():
        transaction.remembered("participation")["Abuja"] = "delegate"
        assert transaction.remembered("participation") == {"Abuja": "delegate"}
        db.session.commit()
        assert transaction.remembered("participation") == {}
