"""The order of the speakers' list: pure rules, no Flask, no database.

Sources:
- A point of order "takes precedence over any pending question" and may be raised at once
  (Robert's Rules of Order Newly Revised, 12th ed., 23:2-5): points of order go to the head of
  the queue, among themselves first come, first served.
- "No member can speak a second time to the same question as long as any member who has not
  spoken to it wishes to" (RONR 43:8(a)): a request to speak from someone who has already spoken
  on the item waits behind the requests of those who have not.
- Otherwise, in the order the requests were made (OpenSlides' and Antragsgrün's lists of speakers).
  Written questions queue with the speeches (the chair reads or gives the floor to them in turn).

And the limits that keep one person from flooding the list (the program book's online rules ask
members to use the chat or the Q&A function, not to hold the floor): at most one waiting request
to speak and one waiting point of order per person and item, at most MAX_WAITING_QUESTIONS
waiting written questions.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

MAX_WAITING_QUESTIONS = 3


@dataclass(frozen=True)
class Entry:
    """What the rules need of one row of the list."""

    id: int
    user_id: int
    kind: str  # speech / question / point_of_order
    status: str  # waiting / speaking / done / withdrawn
    requested_at: datetime
    started_at: datetime | None = None


def has_spoken(entries: Iterable[Entry]) -> set[int]:
    """Who has had the floor on this item already (a speech started, whether finished or not)."""
    return {e.user_id for e in entries if e.kind == "speech" and e.started_at is not None
            and e.status in ("speaking", "done")}


def queue_order(entries: Iterable[Entry]) -> list[Entry]:
    """The waiting entries, in the order the chair gives them the floor."""
    entries = list(entries)
    spoken = has_spoken(entries)

    def key(entry: Entry):
        precedence = 0 if entry.kind == "point_of_order" else 1
        second_time = 1 if entry.kind == "speech" and entry.user_id in spoken else 0
        return (precedence, second_time, entry.requested_at, entry.id)
    return sorted((e for e in entries if e.status == "waiting"), key=key)


def list_order(entries: Iterable[Entry]) -> list[Entry]:
    """The whole list as shown: who speaks now, then the queue, then the finished entries oldest first."""
    entries = list(entries)
    speaking = sorted((e for e in entries if e.status == "speaking"),
                      key=lambda e: (e.started_at or e.requested_at, e.id))
    finished = sorted((e for e in entries if e.status in ("done", "withdrawn")),
                      key=lambda e: (e.started_at or e.requested_at, e.id))
    return speaking + queue_order(entries) + finished


def refusal(entries: Iterable[Entry], user_id: int, kind: str) -> str | None:
    """Why this person may not add a request of this kind to the item's list now, or None.

    "already_waiting": a request to speak (or a point of order) of theirs is still waiting;
    "too_many_questions": MAX_WAITING_QUESTIONS written questions of theirs are still waiting."""
    waiting = [e for e in entries if e.user_id == user_id and e.status == "waiting" and e.kind == kind]
    if kind == "question":
        return "too_many_questions" if len(waiting) >= MAX_WAITING_QUESTIONS else None
    return "already_waiting" if waiting else None


def elapsed_seconds(started_at: datetime, now: datetime) -> int:
    """Whole seconds on the floor (never negative: clocks of two servers may differ slightly)."""
    return max(int((now - started_at).total_seconds()), 0)
