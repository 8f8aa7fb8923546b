"""Who an answer is dumped for: what some Out schemas show depends on the reader (whether
they have voted in the poll, which of a closed session's effects they may know).

An API answer is dumped by flask-smorest after its handler returned, for the request's
signed-in caller; a Socket.IO payload is dumped here, for the person it goes to, or for
nobody in particular (a broadcast: None)."""
from typing import Any, TypedDict

from marshmallow import Schema
from marshmallow.experimental.context import Context


class _Reading(TypedDict):
    reader: Any  # a governance.auth.models.User, or None for a broadcast


_READING = Context[_Reading]


def dump_for(schema: Schema, obj, *, reader):
    """`schema.dump(obj)` as `reader` may read it (None: a broadcast, for nobody in particular)."""
    with _READING({"reader": reader}):
        return schema.dump(obj)


def reader():
    """The person the answer being dumped is for: the one dump_for names, else the request's
    signed-in caller; None for a broadcast."""
    reading = _READING.get(default=None)
    if reading is not None and "reader" in reading:
        return reading["reader"]
    from governance.auth.loading import current_reader
    return current_reader()
