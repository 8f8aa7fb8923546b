"""Shapes shared by every package's schemas and routes."""
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from marshmallow import ValidationError, fields, missing, validate
from werkzeug.routing import IntegerConverter

# Ids are PostgreSQL `integer`s: anything larger cannot name a row, and must be a 404 or a
# 422, never a database overflow.
MAX_ID = 2**31 - 1

F = TypeVar("F", bound=fields.Field)


def id_or_none(value) -> int | None:
    """`value` if it can name a row: a JSON integer (not a boolean) between 1 and MAX_ID. For
    ids that arrive outside a schema (Socket.IO events); None is answered as "no such thing"."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return None
    return value


def Id(**kwargs) -> fields.Int:  # noqa: N802 (reads like a field class in a schema)
    return fields.Int(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: positive and within range, or the route does not match (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def known_timezone(name: str) -> None:
    """A validator: an IANA time zone name such as Asia/Almaty."""
    try:
        ZoneInfo(name)
    except Exception as error:  # ZoneInfoNotFoundError, ValueError for "../x" and the like
        raise ValidationError("Not a time zone name such as Asia/Almaty.") from error


def derived(field: F, of: Callable[[Any], Any]) -> F:
    """`field` with its value computed from the dumped object by `of(obj)` instead of read from
    an attribute: what a Out schema needs to dump an ORM object whose answer shows a value the
    object does not hold (the rounds of a motion, the brief of a poll's motion). Unlike
    fields.Method, the OpenAPI document describes it as `field` (a nested schema, a list of
    one...). `of` returns marshmallow.missing to leave the key out of that answer."""
    def computed(obj, attr, accessor=None, default=missing):
        return of(obj)

    field.get_value = computed  # type: ignore[method-assign]  # per field instance, by design
    return field
