"""The changes a statutes amendment makes, word by word: a pure rule (standard library only).

A member voting on an amendment must see what changes, not two paragraphs to compare by
eye (the practice of parliaments' "track changes" and of Robert's Rules' motions to amend:
strike out these words, insert those). `changes(current, proposed)` answers the two texts
as one sequence of segments, each kept, deleted or inserted, computed with difflib on words
(white space and punctuation are tokens of their own, so a changed comma is one change and
spacing survives). Reading the kept and deleted segments gives the current text back; the
kept and inserted ones give the proposed text: nothing is lost, nothing added.

The segments are plain text. Whoever shows them (the pages with `textContent` and <del>/<ins>
elements, the memorandum with struck-through and underlined runs) never interprets them as
markup, so an amendment cannot inject HTML anywhere.
"""
from __future__ import annotations

import difflib
import re

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Words, runs of white space and single punctuation marks; joined, they are `text`."""
    return _TOKENS.findall(text)


def changes(current: str, proposed: str) -> list[dict]:
    """[{"op": "equal" | "delete" | "insert", "text": str}, ...] turning `current` into
    `proposed`; adjacent segments of the same kind are merged, empty ones dropped, and a
    deletion comes before the insertion that replaces it."""
    old, new = tokens(current or ""), tokens(proposed or "")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[dict] = []

    def add(op: str, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if segments and segments[-1]["op"] == op:
            segments[-1]["text"] += text
        else:
            segments.append({"op": op, "text": text})

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(EQUAL, old[i1:i2])
        else:  # replace, delete, insert
            add(DELETE, old[i1:i2])
            add(INSERT, new[j1:j2])
    return segments


def side(segments: list[dict], which: str) -> str:
    """The current (`which="current"`) or proposed text read back from the segments."""
    keep = {"current": (EQUAL, DELETE), "proposed": (EQUAL, INSERT)}[which]
    return "".join(segment["text"] for segment in segments if segment["op"] in keep)
