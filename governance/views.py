"""Server-rendered pages: the landing page and signing in and out here; the meeting pages
(delegate, chair, secretariat, observer, screen) and the languages in governance.pages,
which add their routes to this same blueprint."""
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from governance import policy
from governance.auth import operations as auth_ops
from governance.auth.loading import forget_link_login, remember_link_login
from governance.auth.models import AccessToken, hash_token
from governance.errors import ApiError
from governance.extensions import csrf, db, limiter
from governance.meetings.models import Meeting
from governance.registry.models import Organisation

bp = Blueprint("pages", __name__)


@bp.route("/")
def index():
    """The landing page: to someone signed in, the meetings they take part in (the secretariat:
    all); to an anonymous visitor, none at all, not even whether there are any (a meeting a
    person does not take part in does not exist for them)."""
    user = current_user if current_user.is_authenticated else None
    meetings = []
    if user is not None:
        meetings = [meeting for meeting in db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc()))
                    if policy.can_see_meeting(user, meeting)]
    entries = [{"meeting": meeting,
                "can_run": policy.can_run_meeting(user, meeting),
                "can_prepare": policy.can_prepare(user),
                "can_vote": policy.is_voting_delegate(user, meeting)}
               for meeting in meetings]
    if (len(entries) == 1 and not (entries[0]["can_run"] or entries[0]["can_prepare"])
            and entries[0]["meeting"].adjourned_at is None):
        # a delegate or an observer with one meeting: straight to it, one tap less on the phone
        return redirect(url_for("pages.meeting_page", meeting_id=entries[0]["meeting"].id))
    return render_template("index.html", organisation=Organisation.current(), entries=entries,
                           can_prepare=user is not None and policy.can_prepare(user),
                           first_run=user is None and auth_ops.installation_is_new())


def _login_page_key() -> str:
    return f"login:{request.remote_addr}:{request.form.get('email', '').strip().lower()}"


def _after_login() -> str:
    from governance.pages.i18n import _safe_next
    return _safe_next(request.values.get("next")) if request.values.get("next") else url_for("pages.index")


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
            forget_link_login()
            return redirect(_after_login())
    status = 401 if error else 200
    return render_template("login.html", organisation=Organisation.current(), error=error,
                           next=request.values.get("next", ""), first_run=auth_ops.installation_is_new()), status


@bp.route("/login/link/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["GET", "POST"])
def login_link(token):
    """A personal access link from the secretariat. Opening it asks for one click (a POST
    with the CSRF token), so that nobody can sign somebody in by planting the link in a page."""
    user = AccessToken.find_user(token)
    if user is None:
        return render_template("login.html", organisation=Organisation.current(), next="",
                               error=None, link_invalid=True), 404
    if request.method == "POST":
        csrf.protect()
        login_user(user)
        # the session lasts as long as the link: revoking the token ends it (governance.auth.loading)
        link_token = db.session.scalar(db.select(AccessToken).where(AccessToken.token_hash == hash_token(token)))
        remember_link_login(link_token)
        from governance.invitations.operations import link_opened
        link_opened(link_token.id)  # the invitation desk shows who has opened their link
        return redirect(url_for("pages.index"))
    return render_template("login_link.html", organisation=Organisation.current(), person=user, token=token)


@bp.route("/logout", methods=["POST"])
def logout():
    csrf.protect()
    logout_user()
    forget_link_login()
    return redirect(url_for("pages.login"))


@bp.app_context_processor
def _signed_in():
    return {"signed_in_user": current_user if current_user.is_authenticated else None}


# The meeting pages, the secretariat's pages and the languages add their routes to `bp`
# (imported last: they import it).
from governance.pages import calendar, first_run, i18n, meeting, organisation, registry, setup  # noqa: E402,F401
from governance.pages import after_meeting, invitations  # noqa: E402,F401
