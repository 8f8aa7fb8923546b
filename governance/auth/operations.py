"""Changes to users and tokens, and the first run. Each flushes and writes its audit event;
the boundary commits."""
import secrets
from typing import cast

from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError

from governance.audit.operations import record
from governance.auth.models import AccessToken, SetupToken, User, email_key, hash_token
from governance.dbtypes import utcnow
from governance.errors import ApiError, invalid
from governance.extensions import db
from governance.realtime import account_closed, token_revoked
from governance.registry.models import Member

_PUBLIC_FIELDS = ("name", "email", "title", "affiliation", "member_id", "roles", "active")


def _snapshot(user: User) -> dict:
    return {field: getattr(user, field) for field in _PUBLIC_FIELDS}


def _check_member(member_id: int | None) -> None:
    if member_id is not None and db.session.get(Member, member_id) is None:
        raise invalid({"member_id": ["No member has this id."]})


def create_user(*, actor: User | None, name: str, email: str, password: str | None = None, title: str = "",
                affiliation: str = "", member_id: int | None = None, roles: list | None = None) -> User:
    email = email.strip().lower()
    # compared as people read them (governance.names); the unique key settles two desks at once
    if db.session.scalar(db.select(User.id).where(User.email_key == email_key(email))) is not None:
        raise _email_taken()
    _check_member(member_id)
    user = User(name=name, email=email, title=title, affiliation=affiliation, member_id=member_id,
                roles=sorted(set(roles or [])))
    if password:
        user.set_password(password)
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise _email_taken() from None
    record("user.created", actor=actor, subject=user, after=_snapshot(user))
    return user


def _email_taken() -> ApiError:
    return ApiError(409, "email_taken", "Somebody already has this e-mail address (addresses are compared "
                                        "without regard to capitals or accents written either way).",
                    {"email": ["taken"]})


def update_user(user: User, changes: dict, *, actor: User) -> User:
    before = _snapshot(user)
    was_active = user.active
    if "member_id" in changes:
        _check_member(changes["member_id"])
    for field, value in changes.items():
        if field == "password":
            user.set_password(value)
        elif field == "roles":
            user.roles = sorted(set(value))
        else:
            setattr(user, field, value)
    db.session.flush()
    after = _snapshot(user)
    if "password" in changes:
        after["password"] = "changed"
    record("user.updated", actor=actor, subject=user, before=before, after=after)
    if before["active"] and "secretariat" in before["roles"] and not (user.active and user.is_secretariat):
        # after record(): it holds the trail's lock to the commit, so two desks removing the last
        # two secretariat accounts at once are judged one after the other, not both against the old state
        _keep_one_secretariat()
    if was_active and not user.active:
        account_closed(user.id)
    return user


def _keep_one_secretariat() -> None:
    """Somebody must still be able to sign in and keep the installation: the last active
    secretariat account cannot be deactivated or lose its role."""
    others = [u for u in db.session.scalars(db.select(User).where(User.active.is_(True))) if u.is_secretariat]
    if not others:
        raise ApiError(409, "last_secretariat", "This is the last active secretariat account; make another one "
                                                "first, or nobody could keep the installation.")


def authenticate(email: str, password: str, *, via: str) -> User:
    """The user behind these credentials, or 401. `via` says where (api, page) for the trail."""
    user = db.session.scalar(db.select(User).where(User.email_key == email_key(email)))
    # The same answer whether the address is unknown or the password wrong: no account probing.
    if user is None or not user.active or not user.check_password(password):
        raise ApiError(401, "bad_credentials", "The e-mail address or the password is wrong.")
    record("user.signed_in", actor=user, subject=user, after={"via": via})
    return user


def sign_in(email: str, password: str) -> tuple[User, str]:
    """API sign-in: the user and a new bearer token."""
    user = authenticate(email, password, via="api")
    _token, secret = AccessToken.issue(user, "login")
    db.session.flush()
    return user, secret


def issue_personal_token(user: User, *, actor: User, label: str = "") -> tuple[AccessToken, str]:
    token, secret = AccessToken.issue(user, "personal", created_by=actor, label=label)
    db.session.flush()
    record("token.issued", actor=actor, subject=token, after={"user_id": user.id, "kind": "personal", "label": label})
    return token, secret


def revoke_token(token: AccessToken, *, actor: User) -> AccessToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        record("token.revoked", actor=actor, subject=token, after={"user_id": token.user_id})
        token_revoked(token.token_hash)
    return token


# --- the first run: an empty database, a one-time key, the first secretariat account -------

def installation_is_new() -> bool:
    """No account yet: only the first-run page (with the key from `excom init-db`) can make one."""
    return db.session.scalar(db.select(User.id).limit(1)) is None


def issue_setup_key() -> str:
    """A fresh first-run key (only its hash is kept); any earlier unused key stops working."""
    db.session.execute(db.delete(SetupToken).where(SetupToken.used_at.is_(None)))
    secret = secrets.token_urlsafe(24)
    db.session.add(SetupToken(token_hash=hash_token(secret)))
    db.session.flush()
    record("installation.setup_key_issued", after={"by": "excom init-db"})
    return secret


def _spend_setup_key(secret: str) -> None:
    """Mark the key used, once: of two set-ups racing with one key, the database lets one through."""
    spent = cast(CursorResult, db.session.execute(  # an UPDATE answers a cursor result
        db.update(SetupToken).where(SetupToken.token_hash == hash_token(secret or ""), SetupToken.used_at.is_(None))
        .values(used_at=utcnow())))
    if spent.rowcount != 1:
        raise ApiError(401, "bad_setup_key", "This set-up key is wrong or was already used; "
                                             "`excom init-db` prints a new one.", {"key": ["wrong or used"]})


def set_up_installation(*, key: str, organisation: dict, account: dict) -> User:
    """The first run: name the organisation and make the first secretariat account.

    organisation: {"name", "short_name", "timezone", "languages"}; account: {"name", "email",
    "password"}. 409 `already_set_up` once any account exists; 401 `bad_setup_key` for a wrong or
    spent key. The caller commits (and signs the person in)."""
    from governance.registry import operations as registry_ops
    if not installation_is_new():
        raise ApiError(409, "already_set_up", "This installation is already set up; sign in instead.")
    _spend_setup_key(key)
    registry_ops.update_organisation(organisation, actor=None)
    user = create_user(actor=None, roles=["secretariat"], **account)
    record("installation.set_up", actor=user, subject=user, after={"organisation": organisation["name"]})
    return user
