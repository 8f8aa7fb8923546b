"""Column types shared by every package."""
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from governance import clock


class UTCDateTime(TypeDecorator):
    """Aware datetimes stored as UTC.

    SQLite keeps no offset, so values are normalised to naive UTC on the way in and given
    back their UTC offset on the way out; PostgreSQL gets the same naive UTC value, so both
    databases hold identical data.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Now, aware, in UTC: governance.clock's, so that a stand-in clock reaches column defaults too."""
    return clock.now()
