"""Server-rendered pages. The full set (delegate, chair, secretariat, observer, screen) is
built on this blueprint; here the landing page and signing in and out."""
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from governance.auth import operations as auth_ops
from governance.errors import ApiError
from governance.extensions import csrf, db, limiter
from governance.meetings.models import Meeting
from governance.registry.models import Organisation

bp = Blueprint("pages", __name__)


@bp.route("/")
def index():
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc())).all()
    return render_template("index.html", organisation=Organisation.current(), meetings=meetings)


def _login_page_key() -> str:
    return f"login:{request.remote_addr}:{request.form.get('email', '').strip().lower()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["EXCOM_LOGIN_RATE_LIMIT"], key_func=_login_page_key,
               methods=["POST"], deduct_when=lambda response: response.status_code == 401)
def login():
    error = None
    if request.method == "POST":
        csrf.protect()
        try:
            user = auth_ops.authenticate(request.form.get("email", ""), request.form.get("password", ""), via="page")
        except ApiError as refusal:
            error = refusal.message
        else:
            login_user(user)
            return redirect(url_for("pages.index"))
    status = 401 if error else 200
    return render_template("login.html", organisation=Organisation.current(), error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    csrf.protect()
    logout_user()
    return redirect(url_for("pages.login"))


@bp.app_context_processor
def _signed_in():
    return {"signed_in_user": current_user if current_user.is_authenticated else None}
