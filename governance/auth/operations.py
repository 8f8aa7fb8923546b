"""Changes to users and tokens. Each flushes and writes its audit event; the boundary commits."""
from governance.audit.operations import record
from sqlalchemy.exc import IntegrityError

from governance.auth.models import AccessToken, User, email_key
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
    if was_active and not user.active:
        account_closed(user.id)
    return user


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
