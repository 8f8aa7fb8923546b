"""/api/v1: sign in, who am I, users and their tokens."""
from flask import current_app, g, request
from flask_smorest import Blueprint

from governance import policy
from governance.auth import operations
from governance.auth.loading import signed_in_user
from governance.auth.models import AccessToken, User, hash_token
from governance.auth.schemas import (
    FirstRunIn,
    FirstRunState,
    LoginIn,
    LoginOut,
    MeOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from governance.errors import not_found
from governance.extensions import db, limiter
from governance.lookup import get_or_404, require_secretariat
from governance.meetings.models import Participant
from governance.pagination import paginate

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign in, users and access tokens")


def _login_limit() -> str:
    return current_app.config["EXCOM_LOGIN_RATE_LIMIT"]


def _login_key() -> str:
    """Failed attempts are counted per address and per account, so one guesser cannot lock
    out a whole hall behind one NAT, nor spread guesses for one account over many addresses."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"login:{request.remote_addr}:{str(email).strip().lower()}"


def _secretariat():
    user = signed_in_user()
    require_secretariat(user, "manage users")
    return user


@blp.route("/auth/login", methods=["POST"])
@limiter.limit(_login_limit, key_func=_login_key, deduct_when=lambda response: response.status_code == 401)
@blp.arguments(LoginIn)
@blp.response(200, LoginOut)
def login(args):
    user, token = operations.sign_in(args["email"], args["password"])
    return {"token": token, "user": user}


@blp.route("/first-run")
@blp.response(200, FirstRunState)
def first_run_state():
    """Whether the installation still waits for its first run (no account yet)."""
    return {"open": operations.installation_is_new()}


@blp.route("/first-run", methods=["POST"])
@limiter.limit(_login_limit, key_func=lambda: f"first-run:{request.remote_addr}",
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
    user = signed_in_user()
    secret = g.get("auth_token")
    if secret:
        token = db.session.scalar(db.select(AccessToken).where(AccessToken.token_hash == hash_token(secret)))
        if token is not None and token.kind == "login":
            operations.revoke_token(token, actor=user)


@blp.route("/me")
@blp.response(200, MeOut)
def me():
    user = signed_in_user()
    participations = db.session.scalars(db.select(Participant).where(Participant.user_id == user.id)).all()
    meetings = [{"meeting_id": p.meeting_id, "title": p.meeting.title, "group": p.group, "chair": p.chair}
                for p in participations]
    return {**UserOut().dump(user), "meetings": meetings}


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
    user = signed_in_user()
    target = db.session.get(User, user_id)
    if target is None or not (policy.can_prepare(user) or user.id == user_id):
        raise not_found("user")
    return target


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
    token = db.session.get(AccessToken, token_id)
    # People may revoke their own tokens; the secretariat anyone's.
    if token is None or not (policy.can_prepare(actor) or token.user_id == actor.id):
        raise not_found("token")
    operations.revoke_token(token, actor=actor)

