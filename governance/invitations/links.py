"""The one place an invitation gets its personal access link.

The link carries a one-time code (governance.auth.operations.issue_access_link): its first
click signs a browser in with a session resting on the link's token, then the link is useless.
The code is usable until the meeting's first day is over (or EXCOM_ACCESS_LINK_HOURS, when
that is later): an invitation goes out weeks ahead. Revoking the token ends the session.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from governance.auth import operations as auth_ops
from governance.auth.models import AccessToken, User

AFTER_THE_START = timedelta(days=1)


def issue_link(user: User, *, actor: User, label: str,
               starts_at: datetime | None = None) -> tuple[AccessToken, str]:
    """(the token the link signs in with, the link's path "/login/link/<code>"). Flushes;
    audited by the auth operation ("token.issued"). `starts_at`: the meeting's start."""
    row, code = auth_ops.issue_access_link(user, actor=actor, label=label,
                                           usable_until=starts_at + AFTER_THE_START if starts_at else None)
    assert row.token is not None  # an access link's code rests on its token
    return row.token, f"/login/link/{code}"
