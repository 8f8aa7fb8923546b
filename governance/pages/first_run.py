"""The first run: on a database without any account, the page that names the organisation and
makes the first secretariat account, with the one-time key `excom init-db` printed.

A plain form (it works before any script loads), posted here and handed to the same operation
as POST /api/v1/first-run; once any account exists the page sends people to sign in.
"""
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from governance.auth import operations as auth_ops
from governance.auth import throttle
from governance.auth.loading import start_browser_session
from governance.auth.schemas import FirstRunIn
from governance.errors import ApiError
from governance.extensions import csrf, limiter
from governance.pages.organisation import time_zones
from governance.registry.models import Organisation
from governance.views import bp


def _body(form) -> dict:
    return {"key": form.get("key", "").strip(),
            "organisation": {"name": form.get("organisation_name", "").strip(),
                             "short_name": form.get("short_name", "").strip(),
                             "timezone": form.get("timezone", "").strip() or "UTC"},
            "account": {"name": form.get("name", "").strip(), "email": form.get("email", "").strip(),
                        "password": form.get("password", "")}}


def _problems(messages: dict, prefix: str = "") -> dict:
    flat = {}
    for name, value in messages.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_problems(value, f"{path}."))
        else:
            flat[path] = " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return flat


@bp.route("/first-run", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["EXCOM_LOGIN_RATE_LIMIT"], methods=["POST"],
               key_func=lambda: f"first-run:{throttle.client_address()}",
               deduct_when=lambda response: response.status_code == 401)
def first_run():
    if not auth_ops.installation_is_new():
        return redirect(url_for("pages.login"))
    problems, error, status = {}, None, 200
    values = request.form if request.method == "POST" else {}
    if request.method == "POST":
        csrf.protect()
        body = _body(request.form)
        if request.form.get("password") != request.form.get("password_again"):
            problems["account.password_again"] = str(_l("The two passwords differ."))
        try:
            args = FirstRunIn().load(body)
        except ValidationError as invalid:
            problems.update(_problems(invalid.normalized_messages()))
        if problems:
            status = 422
        else:
            try:
                user = auth_ops.set_up_installation(**args)
            except ApiError as refusal:
                error, status = refusal.message, refusal.status
            else:
                start_browser_session(user)
                return redirect(url_for("pages.organisation_settings", welcome=1))
    return render_template("first_run.html", organisation=Organisation.current(), problems=problems, error=error,
                           values=values, zones=time_zones()), status
