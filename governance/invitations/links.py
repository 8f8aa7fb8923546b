"""The one place an invitation gets its personal access link.

Today the platform's link is a personal bearer token (governance.auth.operations.
issue_personal_token) shown once in the URL /login/link/{token}. When the link becomes a
one-time code exchanged for a session (h13-accounts: issue_access_link, whose code row holds
the token the session rests on), only this function changes: it must answer the AccessToken
that revoking ends, and the path of the link.
"""
from __future__ import annotations

from governance.auth import operations as auth_ops
from governance.auth.models import AccessToken, User


def issue_link(user: User, *, actor: User, label: str) -> tuple[AccessToken, str]:
    """(the token the link signs in with, the link's path "/login/link/..."). Flushes; audited
    by the auth operation ("token.issued")."""
    token, secret = auth_ops.issue_personal_token(user, actor=actor, label=label)
    return token, f"/login/link/{secret}"
