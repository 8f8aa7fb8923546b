"""/api/v1: sign in, who am I, users and their tokens."""
from flask import current_app

from governance import policy
from governance.addresses import public_url
from governance.auth import operations, throttle
from governance.auth.loading import signed_in_user
from governance.auth.models import AccessToken, User
from governance.auth.schemas import (
    AccessLinkOut,
    FirstRunIn,
    FirstRunState,
    LoginIn,
    LoginOut,
    MeOut,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    PasswordResetOut,
    SignedOutOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from governance.errors import ErrorBody
from governance.extensions import Blueprint, db, limiter
from governance.lookup import get_or_404, require_secretariat, visible
from governance.pagination import paginate

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign in, users and access tokens")


def _login_limit() -> str:
    return current_app.config["EXCOM_LOGIN_RATE_LIMIT"]


TOO_MANY = "too many failed sign-ins lately for this account (EXCOM_LOGIN_RATE_LIMIT) or from this address " \
           "(EXCOM_LOGIN_ADDRESS_RATE_LIMIT), counted together with the page /login"


def _secretariat():
    user = signed_in_user()
    require_secretariat(user, "manage users")
    return user


@blp.route("/auth/login", methods=["POST"])
@blp.arguments(LoginIn)
@blp.response(200, LoginOut)
@blp.alt_response(401, schema=ErrorBody, description="`bad_credentials`: the same for an unknown address")
@blp.alt_response(429, schema=ErrorBody, description=TOO_MANY)
def login(args):
    """A login token: it ends after EXCOM_SESSION_IDLE_MINUTES unused, EXCOM_SESSION_MAX_HOURS
    after the sign-in, and when the person signs out anywhere or their password changes."""
    user, token = operations.sign_in(args["email"], args["password"])
    return {"token": token, "user": user}


@blp.route("/first-run")
@blp.response(200, FirstRunState)
def first_run_state():
    """Whether the installation still waits for its first run (no account yet)."""
    return {"open": operations.installation_is_new()}


@blp.route("/first-run", methods=["POST"])
@limiter.limit(_login_limit, key_func=lambda: f"first-run:{throttle.client_address()}",
               deduct_when=lambda response: response.status_code == 401)
@blp.arguments(FirstRunIn)
@blp.response(201, LoginOut)
def first_run(args):
    """The first run: with the one-time key `excom init-db` printed, name the organisation and
    make the first secretariat account; answers a bearer token for it. 401 `bad_setup_key`,
    409 `already_set_up` once any account exists."""
    user = operations.set_up_installation(**args)
    _token, secret = AccessToken.issue(user, "login")
    return {"token": secret, "user": user}


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
def logout():
    """Ends every sign-in of the caller: all their login tokens and browser sessions (personal
    tokens issued by the secretariat stay until revoked)."""
    operations.sign_out(signed_in_user())


@blp.route("/auth/password", methods=["POST"])
@blp.arguments(PasswordChangeIn)
@blp.response(200, LoginOut)
@blp.alt_response(401, schema=ErrorBody, description="`bad_credentials`: the current password is wrong")
@blp.alt_response(429, schema=ErrorBody, description=TOO_MANY)
def change_password(args):
    """Change one's own password. Every sign-in of the person ends (tokens, browser sessions);
    the answer carries a new login token for the caller to go on with."""
    user = signed_in_user()
    operations.change_password(user, args["current_password"], args["new_password"])
    _token, secret = AccessToken.issue(user, "login")
    return {"token": secret, "user": user}


@blp.route("/auth/password-reset", methods=["POST"])
@blp.arguments(PasswordResetIn)
@blp.response(202, PasswordResetOut)
@blp.alt_response(429, schema=ErrorBody, description="too many resets asked for this address or from this client")
def request_password_reset(args):
    """Ask for a password reset e-mail. The answer is the same whether or not an account has
    this address; when one has, it gets a link with a one-time code (EXCOM_PASSWORD_RESET_MINUTES)."""
    from flask_babel import get_locale
    operations.request_password_reset(args["email"], language=str(get_locale() or "en"), link_for=reset_link)
    return {"message": RESET_ANSWER}


RESET_ANSWER = "If an account has this address, a message with a link to choose a new password is on its way."


def reset_link(code: str) -> str:
    """The reset page's absolute address: EXCOM_PUBLIC_URL when set (so that a forged Host
    header cannot send the code elsewhere), else the address this request came to."""
    return public_url(f"/password/reset/{code}")


@blp.route("/auth/password-reset/confirm", methods=["POST"])
@blp.arguments(PasswordResetConfirmIn)
@blp.response(204)
@blp.alt_response(400, schema=ErrorBody, description="`bad_code`: wrong, already used or expired")
def confirm_password_reset(args):
    """Set a new password with the code from the reset e-mail (once). Every sign-in of the
    person ends; sign in again with the new password."""
    operations.confirm_password_reset(args["code"], args["new_password"])


def _sees_account(user, target) -> bool:
    """Whose account a person may look up: their own; the secretariat everyone's."""
    return policy.can_prepare(user) or user.id == target.id


@blp.route("/users/<int:user_id>/sessions", methods=["DELETE"])
@blp.response(200, SignedOutOut)
def end_sessions(user_id):
    """Sign a person out everywhere (themself, or anyone for the secretariat): every browser
    session, login token and access link of theirs ends."""
    actor = signed_in_user()
    target = visible(db.session.get(User, user_id), "user", user=actor, sees=_sees_account)
    return {"tokens_revoked": operations.end_all_sign_ins(target, actor=actor, reason="ended_by_request")}


@blp.route("/me")
@blp.response(200, MeOut)
def me():
    return signed_in_user()


@blp.route("/users")
@blp.response(200, UserOut(many=True))
@paginate(blp)
def list_users():
    _secretariat()
    return db.select(User).order_by(User.name, User.id)


@blp.route("/users", methods=["POST"])
@blp.arguments(UserIn)
@blp.response(201, UserOut)
def create_user(args):
    actor = _secretariat()
    return operations.create_user(actor=actor, **args)


@blp.route("/users/<int:user_id>")
@blp.response(200, UserOut)
def get_user(user_id):
    return visible(db.session.get(User, user_id), "user", user=signed_in_user(), sees=_sees_account)


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserPatch)
@blp.response(200, UserOut)
def update_user(changes, user_id):
    actor = _secretariat()
    target = get_or_404(User, user_id, "user")
    return operations.update_user(target, changes, actor=actor)


@blp.route("/users/<int:user_id>/token", methods=["POST"])
@blp.arguments(TokenIn, required=False)
@blp.response(201, TokenOut)
def issue_token(args, user_id):
    actor = _secretariat()
    target = get_or_404(User, user_id, "user")
    token, secret = operations.issue_personal_token(target, actor=actor, label=(args or {}).get("label", ""))
    return {"id": token.id, "kind": token.kind, "label": token.label, "created_at": token.created_at,
            "revoked_at": None, "token": secret}


@blp.route("/users/<int:user_id>/access-link", methods=["POST"])
@blp.arguments(TokenIn, required=False)
@blp.response(201, AccessLinkOut)
def issue_access_link(args, user_id):
    """A personal access link for that person: its one-time code signs one browser in on first
    use (within EXCOM_ACCESS_LINK_HOURS), then is useless. The session rests on the link's
    token: DELETE /tokens/{id} ends it."""
    actor = _secretariat()
    target = get_or_404(User, user_id, "user")
    row, code = operations.issue_access_link(target, actor=actor, label=(args or {}).get("label", ""))
    assert row.token is not None  # an access link's code rests on its token
    return {"id": row.token_id, "url": f"/login/link/{code}", "code": code, "label": row.token.label,
            "expires_at": row.expires_at}


@blp.route("/users/<int:user_id>/tokens")
@blp.response(200, TokenOut(many=True))
def list_tokens(user_id):
    _secretariat()
    get_or_404(User, user_id, "user")
    return db.session.scalars(db.select(AccessToken).where(AccessToken.user_id == user_id)
                              .order_by(AccessToken.id)).all()


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
def revoke_token(token_id):
    actor = signed_in_user()
    # People may revoke their own tokens; the secretariat anyone's.
    token = visible(db.session.get(AccessToken, token_id), "token", user=actor,
                    sees=lambda user, token: policy.can_prepare(user) or token.user_id == user.id)
    operations.revoke_token(token, actor=actor)

