"""What happens after a commit, said where it is caused.

An operation that must do something once its work is committed (tell the phones, wake the mail
sender, remove a file nobody refers to any more) says so at the call site, as Indico's request
handler queues its e-mail until the commit:

    on_commit(storage.forget, document.sha256)          # after this transaction commits
    on_commit(sender_wake, key="outbox.wake")           # once per commit, however often asked

If the transaction rolls back instead, everything it asked for is forgotten (`on_rollback`
callbacks run then). The hooks are the app's own session's (`db.session`), registered here once
on its session factory: no listener on SQLAlchemy's Session class, so no other session of the
process (a tool's, a library's) runs them.

Order: callbacks run in the order they were asked for, except that those asked with
`first=True` run before the rest (the connection watch moves a suspended delegate out of a room
before that commit's broadcasts go out). A callback that raises is logged and the others still
run: the commit stands whatever happens after it.

`remembered(name)` is a dictionary that lives as long as the current transaction (a cache of
what that transaction has read, such as a person's participation), emptied when it ends.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from governance.extensions import db

log = logging.getLogger(__name__)

_BEFORE_COMMIT = "excom_before_commit"
_AFTER_COMMIT = "excom_after_commit"
_AFTER_ROLLBACK = "excom_after_rollback"
_REMEMBERED = "excom_remembered"


def _queue(session: Session, name: str, fn: Callable, args: tuple, key: Any, first: bool) -> None:
    queue: dict = session.info.setdefault(name, {})
    key = object() if key is None else key
    if key in queue:  # asked already in this transaction under this key: once is enough
        return
    if first:
        session.info[name] = {key: (fn, args), **queue}
    else:
        queue[key] = (fn, args)


def on_commit(fn: Callable[..., object], *args: object, key: Any = None, first: bool = False) -> None:
    """Run `fn(*args)` after the current transaction of `db.session` commits; never if it rolls
    back. Asked again with the same `key` in the same transaction, it still runs once."""
    _queue(db.session(), _AFTER_COMMIT, fn, args, key, first)


def before_commit(fn: Callable[..., object], *args: object, key: Any = None) -> None:
    """Run `fn(*args)` just before the current transaction commits, inside it (it may read;
    an exception it raises stops the commit). Asked again with the same `key`, it runs once."""
    _queue(db.session(), _BEFORE_COMMIT, fn, args, key, False)


def on_rollback(fn: Callable[..., object], *args: object, key: Any = None) -> None:
    """Run `fn(*args)` if the current transaction rolls back; never if it commits."""
    _queue(db.session(), _AFTER_ROLLBACK, fn, args, key, False)


def remembered(name: str) -> dict:
    """A dictionary kept for the rest of the current transaction of `db.session`."""
    return db.session().info.setdefault(_REMEMBERED, {}).setdefault(name, {})


def _run(session: Session, name: str) -> None:
    for fn, args in session.info.pop(name, {}).values():
        try:
            fn(*args)
        except Exception:  # the commit (or rollback) is done; one failed effect must not stop the others
            log.exception("%s failed after the transaction ended", getattr(fn, "__qualname__", fn))


def _before_commit(session: Session) -> None:
    for fn, args in session.info.pop(_BEFORE_COMMIT, {}).values():
        fn(*args)  # part of the transaction: a failure here is the commit's failure


def _after_commit(session: Session) -> None:
    session.info.pop(_AFTER_ROLLBACK, None)
    _run(session, _AFTER_COMMIT)


def _after_rollback(session: Session) -> None:
    session.info.pop(_BEFORE_COMMIT, None)
    session.info.pop(_AFTER_COMMIT, None)
    _run(session, _AFTER_ROLLBACK)


def _transaction_ended(session: Session, transaction) -> None:
    if transaction.parent is None:  # the next transaction may see what another one changed meanwhile
        session.info.pop(_REMEMBERED, None)


_factory = db.session.session_factory
event.listen(_factory, "before_commit", _before_commit)
event.listen(_factory, "after_commit", _after_commit)
event.listen(_factory, "after_rollback", _after_rollback)
event.listen(_factory, "after_transaction_end", _transaction_ended)
