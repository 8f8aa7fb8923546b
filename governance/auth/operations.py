"""Changes to users and tokens, sign-ins and their end, password change and reset, access
links, and the first run. Each flushes and writes its audit event; the boundary commits."""
import logging
import secrets
from datetime import timedelta
from functools import lru_cache
from typing import cast

from flask import current_app
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from governance.audit.operations import record
from governance.auth import throttle
from governance.auth.models import AccessToken, OneTimeCode, SetupToken, User, email_key, hash_token
from governance.auth.passwords import password_problems
from governance.dbtypes import utcnow
from governance.errors import ApiError, invalid
from governance.extensions import db
from governance.realtime import account_closed, rights_changed, token_revoked
from governance.registry.models import Member

DEFAULT_ACCESS_LINK_HOURS = 72   # from the desk's e-mail or printout to the delegate's first tap
DEFAULT_RESET_MINUTES = 60

_PUBLIC_FIELDS = ("name", "email", "title", "affiliation", "member_id", "roles", "active", "language")

log = logging.getLogger(__name__)


def _snapshot(user: User) -> dict:
    return {field: getattr(user, field) for field in _PUBLIC_FIELDS}


def _check_member(member_id: int | None) -> Member | None:
    """The member of that id (None for none), or 422."""
    member = db.session.get(Member, member_id) if member_id is not None else None
    if member_id is not None and member is None:
        raise invalid({"member_id": ["No member has this id."]})
    return member


def create_user(*, actor: User | None, name: str, email: str, password: str | None = None, title: str = "",
                affiliation: str = "", member_id: int | None = None, roles: list | None = None,
                password_rule: bool = True, language: str | None = None) -> User:
    """`password_rule=False` only for the demo loader, whose published password is below the
    rule on purpose (governance.auth.passwords). `language`: what the person reads ("en", "ru")."""
    email = email.strip().lower()
    if password and password_rule:
        require_good_password(password, (name, email))
    # compared as people read them (governance.names); the unique key settles two desks at once
    if db.session.scalar(db.select(User.id).where(User.email_key == email_key(email))) is not None:
        raise _email_taken()
    member = _check_member(member_id)
    # the member itself, not only its id: the session holds what it loaded only while it is
    # referenced, and the answer (UserOut) reads the member again
    user = User(name=name, email=email, title=title, affiliation=affiliation, member=member,
                roles=sorted(set(roles or [])), language=language)
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
    if "password" in changes:
        require_good_password(changes["password"], (user.name, user.email))
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
    if was_active != user.active or "password" in changes:
        # deactivation ends every sign-in and token; reactivation revives none of them; a
        # password set by the secretariat ends the sign-ins made with the old one
        end_all_sign_ins(user, actor=actor, reason="deactivated" if was_active and not user.active else
                         "reactivated" if user.active and not was_active else "password_set",
                         personal=was_active != user.active)
    if {"roles", "member_id", "password", "active"} & set(changes):
        rights_changed({user.id})  # every process re-checks this person's open connections
    return user


def require_good_password(password: str, inputs: tuple[str, ...] = ()) -> None:
    """422 on the password field when governance.auth.passwords refuses it."""
    problems = password_problems(password, inputs)
    if problems:
        raise invalid({"password": problems}, "This password is refused: " + " ".join(problems))


def _keep_one_secretariat() -> None:
    """Somebody must still be able to sign in and keep the installation: the last active
    secretariat account cannot be deactivated or lose its role."""
    others = [u for u in db.session.scalars(db.select(User).where(User.active.is_(True))) if u.is_secretariat]
    if not others:
        raise ApiError(409, "last_secretariat", "This is the last active secretariat account; make another one "
                                                "first, or nobody could keep the installation.")


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def authenticate(email: str, password: str, *, via: str) -> User:
    """The user behind these credentials, or 401 (429 when this account or address has failed
    too often: governance.auth.throttle). `via` says where (api, page) for the trail.

    The same answer, in the same time, whether the address is unknown or the password wrong:
    an unknown address (or an account without a password) costs one hash of the same method,
    so the time taken tells nothing about which accounts exist."""
    throttle.check_sign_in(email)
    user = db.session.scalar(db.select(User).where(User.email_key == email_key(email)))
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(current_app.config.get("EXCOM_PASSWORD_METHOD", "scrypt")), password)
        good = False
    else:
        good = user.check_password(password) and user.active
    if not good:
        throttle.sign_in_failed(email)
        raise ApiError(401, "bad_credentials", "The e-mail address or the password is wrong.")
    record("user.signed_in", actor=user, subject=user, after={"via": via})
    return user


def end_all_sign_ins(user: User, *, actor: User | None, reason: str, personal: bool = False) -> int:
    """End every browser session (a new session_epoch) and every login and access-link token
    of this person; with `personal`, their personal tokens too (deactivation). Unused codes
    (access links, password resets) are spent. Open connections of this process are cut after
    the commit; other processes cut token connections at their sweep, and refuse the next event
    of any ended session. Returns the number of tokens revoked."""
    now = utcnow()
    user.session_epoch = (user.session_epoch or 0) + 1
    kinds = ("login", "link", "personal") if personal else ("login", "link")
    tokens = db.session.scalars(db.select(AccessToken).where(
        AccessToken.user_id == user.id, AccessToken.revoked_at.is_(None), AccessToken.kind.in_(kinds))).all()
    for token in tokens:
        token.revoked_at = now
        token_revoked(token.token_hash)
    db.session.execute(db.update(OneTimeCode).where(OneTimeCode.user_id == user.id, OneTimeCode.used_at.is_(None))
                       .values(used_at=now))
    db.session.flush()
    account_closed(user.id)
    rights_changed({user.id})  # other processes re-check this person's connections at once, not at their sweep
    record("user.signed_out_everywhere", actor=actor, subject=user, after={"reason": reason, "tokens": len(tokens)})
    return len(tokens)


def sign_out(user: User) -> None:
    """Sign-out (page or API) ends every sign-in of the person, not only this one."""
    end_all_sign_ins(user, actor=user, reason="signed_out")


def change_password(user: User, current: str, new: str) -> None:
    """401 `bad_credentials` for a wrong current password (counted as a failed sign-in);
    422 for a refused new one. Ends every sign-in: the caller signs this one in again."""
    throttle.check_sign_in(user.email)
    if not user.check_password(current):
        throttle.sign_in_failed(user.email)
        raise ApiError(401, "bad_credentials", "The current password is wrong.", {"current_password": ["wrong"]})
    require_good_password(new, (user.name, user.email))
    user.set_password(new)
    record("user.password_changed", actor=user, subject=user, after={"via": "self"})
    end_all_sign_ins(user, actor=user, reason="password_changed")


def _new_code(purpose: str, user: User, *, lifetime: timedelta, actor: User | None = None,
              token: AccessToken | None = None) -> tuple[OneTimeCode, str]:
    code = secrets.token_urlsafe(24)
    row = OneTimeCode(purpose=purpose, user=user, code_hash=hash_token(code), token=token,
                      created_by_id=actor.id if actor else None, created_at=utcnow(), expires_at=utcnow() + lifetime)
    db.session.add(row)
    db.session.flush()
    return row, code


def _spend_code(purpose: str, code: str) -> OneTimeCode | None:
    """Spend a code once: of two requests with one code, the database lets one through."""
    now = utcnow()
    code_hash = hash_token(code or "")
    spent = cast(CursorResult, db.session.execute(db.update(OneTimeCode).where(
        OneTimeCode.code_hash == code_hash, OneTimeCode.purpose == purpose, OneTimeCode.used_at.is_(None),
        OneTimeCode.expires_at > now).values(used_at=now)))  # an UPDATE answers a cursor result
    if spent.rowcount != 1:
        return None
    return db.session.scalar(db.select(OneTimeCode).where(OneTimeCode.code_hash == code_hash)
                             .execution_options(populate_existing=True))


def usable_code(purpose: str, code: str) -> OneTimeCode | None:
    """The unspent, unexpired code (without spending it): for the page that asks for a click."""
    row = db.session.scalar(db.select(OneTimeCode).where(OneTimeCode.code_hash == hash_token(code or ""),
                                                         OneTimeCode.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row


def request_password_reset(email: str, *, language: str, link_for) -> None:
    """Queue a reset e-mail when an active account has this address; otherwise do nothing.
    The caller answers the same either way, and in the same time: everything that depends on
    the account (its lookup, the code, the letter, the trail) runs once the answer has been
    sent (`after_the_answer`), so the work before it is the same for any address. `link_for(code)`
    gives the absolute URL of the reset page. Limited per account and per address (throttle)."""
    throttle.count_request("reset-account", email_key(email), "EXCOM_PASSWORD_RESET_RATE_LIMIT", "3 per hour",
                           "Too many password resets asked for lately; wait a while.")
    throttle.count_request("reset-address", throttle.client_address(), "EXCOM_PASSWORD_RESET_ADDRESS_RATE_LIMIT",
                           "20 per hour", "Too many password resets asked for lately; wait a while.")
    prefix = link_for("")  # the request's address is known now, not after the answer
    after_the_answer(lambda: _queue_password_reset(email, language, lambda code: prefix + code))


def after_the_answer(work) -> None:
    """Run `work` in its own transaction once the server is done sending this request's answer
    (WSGI's close), so that its duration never shows in the answer's time. A failure is logged."""
    from flask import after_this_request
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy

    def run() -> None:
        with app.app_context():
            try:
                work()
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("work after the answer failed")

    @after_this_request
    def _later(response):
        response.call_on_close(run)
        return response


def _queue_password_reset(email: str, language: str, link_for) -> None:
    user = db.session.scalar(db.select(User).where(User.email_key == email_key(email)))
    if user is None or not user.active:
        return
    minutes = float(current_app.config.get("EXCOM_PASSWORD_RESET_MINUTES") or DEFAULT_RESET_MINUTES)
    _row, code = _new_code("password_reset", user, lifetime=timedelta(minutes=minutes))
    from governance import mail
    from governance.auth.letters import password_reset_letter
    subject, text = password_reset_letter(user, link_for(code), minutes=int(minutes), language=language)
    mail.queue(user.email, subject, text, language, kind="password_reset", secret=True)
    record("user.password_reset_requested", subject=user, after={"expires_in_minutes": int(minutes)})


def confirm_password_reset(code: str, new: str) -> User:
    """Set a new password with a reset code (once, before it expires): 400 `bad_code`
    otherwise; 422 for a refused password (the code is then not spent). Ends every sign-in."""
    row = usable_code("password_reset", code)
    if row is None:
        raise _bad_code()
    require_good_password(new, (row.user.name, row.user.email))
    row = _spend_code("password_reset", code)
    if row is None:
        raise _bad_code()
    user = row.user
    user.set_password(new)
    record("user.password_changed", actor=user, subject=user, after={"via": "reset"})
    end_all_sign_ins(user, actor=user, reason="password_reset")
    return user


def _bad_code() -> ApiError:
    return ApiError(400, "bad_code", "This code is wrong, was already used or has expired; ask for a new one.",
                    {"code": ["wrong, used or expired"]})


def issue_access_link(user: User, *, actor: User, label: str = "",
                      usable_until=None) -> tuple[OneTimeCode, str]:
    """A personal access link: a one-time code (EXCOM_ACCESS_LINK_HOURS, or up to
    `usable_until` when that is later: an invitation sent weeks before its meeting) that, on
    first use, signs a browser in with a session resting on the link's own token (never shown
    to anyone): revoking that token (DELETE /tokens/{id}) ends the session."""
    token, _never_shown = AccessToken.issue(user, "link", created_by=actor, label=label)
    db.session.flush()
    hours = float(current_app.config.get("EXCOM_ACCESS_LINK_HOURS") or DEFAULT_ACCESS_LINK_HOURS)
    lifetime = timedelta(hours=hours)
    if usable_until is not None:
        lifetime = max(lifetime, usable_until - utcnow())
    row, code = _new_code("access_link", user, lifetime=lifetime, actor=actor, token=token)
    record("token.issued", actor=actor, subject=token,
           after={"user_id": user.id, "kind": "link", "label": label, "expires_at": row.expires_at.isoformat()})
    return row, code


def exchange_access_link(code: str) -> AccessToken | None:
    """Spend an access link's code: the token the browser session will rest on, or None when
    the code is wrong, used, expired, or its token revoked."""
    row = usable_code("access_link", code)
    if row is None or row.token is None or not row.token.usable:
        return None
    row = _spend_code("access_link", code)
    if row is None:
        return None
    record("user.signed_in", actor=row.user, subject=row.user, after={"via": "link", "token_id": row.token_id})
    return row.token


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
