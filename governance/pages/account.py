"""A person's own account: change the password (/account), and reset a forgotten one by
e-mail (/password/forgot, then /password/reset/<code> from the message).

Plain forms posted here and handed to the same operations as the API. The forgotten-password
page answers the same whether or not an account has the address. The reset page's code is in
its path: governance.serve keeps it out of the log, and no page sends a Referer.
"""
from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from governance.auth import operations as auth_ops
from governance.auth.api import reset_link
from governance.auth.loading import start_browser_session
from governance.errors import ApiError
from governance.extensions import csrf
from governance.pages.meeting import _signed_in_or_login
from governance.registry.models import Organisation
from governance.views import bp


def _two_passwords(problems: dict) -> str | None:
    new = request.form.get("new_password", "")
    if new != request.form.get("new_password_again", ""):
        problems["new_password_again"] = str(_l("The two passwords differ."))
        return None
    return new


@bp.route("/account", methods=["GET", "POST"])
def account():
    """Change one's own password: every other sign-in of the person ends; this browser goes on
    with a fresh session."""
    if (login := _signed_in_or_login()) is not None:
        return login
    user = current_user._get_current_object()
    problems: dict[str, str] = {}
    error, status, done = None, 200, request.args.get("changed") == "1"
    if request.method == "POST":
        csrf.protect()
        new = _two_passwords(problems)
        if new is not None:
            try:
                auth_ops.change_password(user, request.form.get("current_password", ""), new)
            except ApiError as refusal:
                status = refusal.status
                if refusal.code == "bad_credentials":
                    problems["current_password"] = str(_l("The current password is wrong."))
                elif refusal.code == "too_many_requests":
                    error = str(_l("Too many wrong passwords lately; wait a few minutes."))
                else:  # the password rule's reasons, already in the page's language
                    problems["new_password"] = " ".join(refusal.fields.get("password", [])) or refusal.message
            else:
                start_browser_session(user)
                return redirect(url_for("pages.account", changed=1))
        status = status if status != 200 else 422
    return render_template("account.html", organisation=Organisation.current(), person=user, problems=problems,
                           error=error, done=done), status


@bp.route("/password/forgot", methods=["GET", "POST"])
def password_forgot():
    sent, error, status = False, None, 200
    if request.method == "POST":
        csrf.protect()
        email = request.form.get("email", "").strip()
        try:
            if "@" in email and len(email) <= 254:
                auth_ops.request_password_reset(email, language=str(get_locale() or "en"), link_for=reset_link)
            sent = True
        except ApiError as refusal:
            error, status = refusal.message, refusal.status
    return render_template("password_forgot.html", organisation=Organisation.current(), sent=sent,
                           error=error), status


@bp.route("/password/reset/<code>", methods=["GET", "POST"])
def password_reset(code):
    if auth_ops.usable_code("password_reset", code) is None:
        return render_template("password_reset.html", organisation=Organisation.current(), invalid=True,
                               problems={}, error=None), 404
    problems: dict[str, str] = {}
    error, status = None, 200
    if request.method == "POST":
        csrf.protect()
        new = _two_passwords(problems)
        if new is not None:
            try:
                auth_ops.confirm_password_reset(code, new)
            except ApiError as refusal:
                status = refusal.status
                if refusal.code == "bad_code":
                    error = str(_l("This link is not valid any more: it was used already or has expired."))
                else:  # the password rule's reasons, already in the page's language
                    problems["new_password"] = " ".join(refusal.fields.get("password", [])) or refusal.message
            else:
                return redirect(url_for("pages.login", reset=1))
        status = status if status != 200 else 422
    return render_template("password_reset.html", organisation=Organisation.current(), invalid=False,
                           problems=problems, error=error), status
