"""Server-rendered pages: the landing page and signing in and out here; the meeting pages
(delegate, chair, secretariat, observer, screen) and the languages in governance.pages,
which add their routes to this same blueprint."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from governance import policy
from governance.auth import operations as auth_ops
from governance.auth.loading import forget_sign_in, start_browser_session
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
        meetings = [seen for seen in db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc()))
                    if policy.can_see_meeting(user, seen)]
    entries = [{"meeting": seen,
                "can_run": policy.can_run_meeting(user, seen),
                "can_prepare": policy.can_prepare(user),
                "can_vote": policy.is_voting_delegate(user, seen)}
               for seen in meetings]
    if (len(entries) == 1 and not (entries[0]["can_run"] or entries[0]["can_prepare"])
            and entries[0]["meeting"].adjourned_at is None):
        # a delegate or an observer with one meeting: straight to it, one tap less on the phone
        return redirect(url_for("pages.meeting_page", meeting_id=entries[0]["meeting"].id))
    return render_template("index.html", organisation=Organisation.current(), entries=entries,
                           can_prepare=user is not None and policy.can_prepare(user),
                           first_run=user is None and auth_ops.installation_is_new())


def _after_login() -> str:
    from governance.pages.i18n import _safe_next
    return _safe_next(request.values.get("next")) if request.values.get("next") else url_for("pages.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Failed sign-ins here and on the API count together (governance.auth.throttle): 429."""
    error, status = None, 200
    if request.method == "POST":
        csrf.protect()
        try:
            user = auth_ops.authenticate(request.form.get("email", ""), request.form.get("password", ""), via="page")
        except ApiError as refusal:
            error, status = refusal.message, refusal.status
        else:
            start_browser_session(user)
            return redirect(_after_login())
    return render_template("login.html", organisation=Organisation.current(), error=error,
                           next=request.values.get("next", ""), first_run=auth_ops.installation_is_new()), status


@bp.route("/login/link/<code>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["GET", "POST"])
def login_link(code):
    """A personal access link from the secretariat: a one-time code. Opening it asks for one
    click (a POST with the CSRF token), so that nobody can sign somebody in by planting the link
    in a page, and a mail scanner fetching the link spends nothing. The click spends the code
    and signs this browser in with a session resting on the link's token (revoking that token
    ends it); after that the link is useless. The code never reaches a log (governance.serve)
    nor a Referer (Referrer-Policy: no-referrer on every page)."""
    invalid = render_template("login.html", organisation=Organisation.current(), next="", error=None,
                              link_invalid=True), 404
    row = auth_ops.usable_code("access_link", code)
    if row is None:
        return invalid
    if request.method == "POST":
        csrf.protect()
        token = auth_ops.exchange_access_link(code)
        if token is None:
            return invalid
        start_browser_session(token.user, link_token=token)
        from governance.invitations.operations import link_opened
        link_opened(token.id)  # the invitation desk shows who has opened their link
        return redirect(url_for("pages.index"))
    return render_template("login_link.html", organisation=Organisation.current(), person=row.user, code=code)


@bp.route("/logout", methods=["POST"])
def logout():
    """Signing out ends every sign-in of the person: each browser session, each login token."""
    csrf.protect()
    if current_user.is_authenticated:
        auth_ops.sign_out(current_user._get_current_object())
    forget_sign_in()
    return redirect(url_for("pages.login"))


@bp.app_context_processor
def _signed_in():
    return {"signed_in_user": current_user if current_user.is_authenticated else None}


# The meeting pages, the secretariat's pages and the languages add their routes to `bp`
# (imported last: they import it).
from governance.pages import (  # noqa: E402,F401  # noqa: E402,F401
    account,
    after_meeting,
    calendar,
    first_run,
    i18n,
    invitations,
    meeting,
    organisation,
    registry,
    setup,
)
