"""Keeping a secret ballot secret in the database itself.

Ballots and participations are written in the same transaction (so that a vote is either
wholly counted or not at all), which leaves traces of arrival order: the physical order of
rows, and on PostgreSQL the transaction id (xmin) each row carries. When a secret poll
closes, its ballots are deleted and written again in a shuffled order in the closing
transaction: afterwards every ballot has the same xmin, and their order says nothing.
"""
import secrets

from sqlalchemy import delete, insert, select

from governance.extensions import db
from voting.models import Ballot

_shuffler = secrets.SystemRandom()


def new_receipt() -> str:
    return secrets.token_hex(8)  # 64 random bits: unguessable, short enough to read out


def shuffle_in_place(rows: list) -> None:
    _shuffler.shuffle(rows)


def shuffle_ballots(poll_id: int) -> list[tuple[str, str]]:
    stored = db.session.execute(select(Ballot.receipt, Ballot.choice).where(Ballot.poll_id == poll_id)).all()
    rows = [(receipt, choice) for receipt, choice in stored]
    shuffle_in_place(rows)
    db.session.execute(delete(Ballot).where(Ballot.poll_id == poll_id))
    if rows:
        db.session.execute(insert(Ballot), [{"poll_id": poll_id, "receipt": r, "choice": c} for r, c in rows])
    return rows
