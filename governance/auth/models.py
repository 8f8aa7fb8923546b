import functools
import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, bindparam
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from governance.auth import sessions
from governance.dbtypes import UTCDateTime, utcnow
from governance.extensions import Model, db
from governance.names import name_key
from governance.registry.models import Member

ROLES = ("secretariat",)
READING_LANGUAGES = ("en", "ru")  # the meeting's languages; users.language is one of them or NULL


class User(UserMixin, Model):
    """A person who signs in: a delegate, the secretariat, an observer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # the address as people read it (governance.names): unique, so one person, one address
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    title: Mapped[str] = mapped_column(String(300), default="")
    # Where the person comes from when it is not a member (an observer city, a newspaper).
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    roles: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    # the language the person reads ("en", "ru"); None: the organisation's first language. The
    # memorandum is distributed to them in it.
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The generation of this person's sign-ins: each browser session carries the value it was
    # made under and is void once it changes (sign-out, password change or reset, deactivation
    # or reactivation: governance.auth.operations.end_all_sign_ins).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    member: Mapped[Member | None] = relationship()

    @validates("email")
    def _keep_email_key(self, _key, value: str) -> str:
        value = value.strip().lower()
        self.email_key = email_key(value)
        return value

    def set_password(self, password: str) -> None:
        # scrypt by default; tests choose a cheaper method through the app config
        method = current_app.config.get("EXCOM_PASSWORD_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        return check_password_hash(self.password_hash, password)

    @property
    def is_secretariat(self) -> bool:
        return "secretariat" in (self.roles or [])

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def display_name(self) -> str:
        """As the online-participation rule of the meeting asks: "Full name (affiliation)"."""
        affiliation = self.member.name if self.member else self.affiliation
        return f"{self.name} ({affiliation})" if affiliation else self.name

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def email_key(address: str) -> str:
    """How two e-mail addresses are compared: as names are (NFC, case folded, no spaces)."""
    return name_key(address)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessToken(Model):
    """A bearer token: from a login, or a personal one issued by the secretariat.

    Only its SHA-256 is stored, so a copy of the database gives nobody a way in; revoking
    sets `revoked_at`, and every request and live connection checks it.
    """

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # login | personal
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # login tokens expire when idle and at an absolute limit (governance.auth.sessions);
    # written at most once a minute, not on every request
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @classmethod
    def issue(cls, user: User, kind: str, created_by: User | None = None, label: str = "") -> tuple["AccessToken", str]:
        secret = secrets.token_urlsafe(32)
        token = cls(user=user, token_hash=hash_token(secret), kind=kind, label=label,
                    created_by_id=created_by.id if created_by else None)
        db.session.add(token)
        return token, secret

    @property
    def usable(self) -> bool:
        return token_usable(self.revoked_at, self.user, self.kind, self.created_at, self.last_used_at)

    def expired(self, now: datetime | None = None) -> bool:
        return token_expired(self.kind, self.created_at, self.last_used_at, now)

    def touch(self) -> None:
        now = utcnow()
        if self.kind == "login" and sessions.needs_touch(now, self.last_used_at):
            self.last_used_at = now

    @classmethod
    def find(cls, secret: str) -> "AccessToken | None":
        """The usable token behind a secret (its last use noted), else None."""
        token = db.session.scalar(_token_by_hash(), {"token_hash": hash_token(secret)})
        if token is None or not token.usable:
            return None
        token.touch()
        return token

    @classmethod
    def find_user(cls, secret: str) -> User | None:
        token = cls.find(secret)
        return token.user if token is not None else None

    @classmethod
    def usable_by_hash(cls, token_hashes) -> dict[str, tuple[User, str, int]]:
        """Many usable tokens at once (a batch of votes): token hash -> (its user with the
        member, the token's kind, its id). The token's own columns are read as plain values,
        not as AccessToken objects: a batch of 500 votes built 500 of them only to read three
        fields (a third of the writer's ORM objects). Usable as `usable` says (token_usable)."""
        rows = db.session.execute(
            db.select(User, cls.token_hash, cls.kind, cls.id, cls.revoked_at, cls.created_at, cls.last_used_at)
            .join(cls, cls.user_id == User.id).where(cls.token_hash.in_(set(token_hashes)))
            .options(joinedload(User.member)))
        now = utcnow()
        return {token_hash: (user, kind, token_id)
                for user, token_hash, kind, token_id, revoked_at, created_at, last_used_at in rows
                if token_usable(revoked_at, user, kind, created_at, last_used_at, now)}


def token_usable(revoked_at: datetime | None, user: User, kind: str, created_at: datetime,
                 last_used_at: datetime | None, now: datetime | None = None) -> bool:
    """Not revoked, its account active, not expired: one token object's `usable`, or a row's."""
    return revoked_at is None and user.active and not token_expired(kind, created_at, last_used_at, now)


def token_expired(kind: str, created_at: datetime, last_used_at: datetime | None,
                  now: datetime | None = None) -> bool:
    """A login token ends when idle or old (governance.auth.sessions); a personal or link
    token lasts until revoked (the secretariat issued it for a purpose and ends it)."""
    if kind != "login":
        return False
    idle, absolute = sessions.limits()
    return not sessions.still_fresh(now or utcnow(), created_at, last_used_at, idle, absolute)


@functools.cache
def _token_by_hash():
    """The token with its user and member in one query (every request and every event on a
    connection asks this first), built once: building it anew cost about as much as running it."""
    return (db.select(AccessToken).where(AccessToken.token_hash == bindparam("token_hash", type_=String))
            .options(joinedload(AccessToken.user).joinedload(User.member)))


class SetupToken(Model):
    """The one-time key of the first-run page, printed by `excom init-db` while the database
    holds no account. Only its SHA-256 is kept; it is spent by the set-up it allows, and a
    newer key (the next `excom init-db`) replaces any older one."""

    __tablename__ = "setup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


CODE_PURPOSES = ("access_link", "password_reset")


class OneTimeCode(Model):
    """A code sent to a person once: an access link's (exchanged for a browser session resting
    on the link's token) or a password reset's. Only its SHA-256 is kept; it is spent by its
    first use (an UPDATE that only one request can win) and useless after `expires_at`."""

    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # an access link's session rests on this token: revoking it ends the session
    token_id: Mapped[int | None] = mapped_column(ForeignKey("access_tokens.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    token: Mapped[AccessToken | None] = relationship()
