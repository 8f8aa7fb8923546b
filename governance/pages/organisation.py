"""The organisation's settings page (secretariat): name, short name, logo, the page languages,
the time zone new meetings start from, and the pattern of resolution numbers.

Rendered with what is stored; its script saves through PATCH /api/v1/organisation and
PUT/DELETE /api/v1/organisation/logo, so the rules and refusals are the API's.
"""
from zoneinfo import available_timezones

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from governance import policy
from governance.extensions import db
from governance.meetings.models import Meeting
from governance.pages.blueprint import bp
from governance.pages.common import signed_in_or_login as _signed_in_or_login
from governance.pages.i18n import LANGUAGES, js_messages
from governance.registry.models import Organisation

ORGANISATION_MESSAGES = {
    "saved": _l("Saved."),
    "logo_saved": _l("The logo is uploaded."),
    "logo_removed": _l("The logo is removed."),
    "choose_file": _l("Choose an image file first."),
    "example_number": _l("For example: %(number)s"),
}


def time_zones() -> list[str]:
    """The IANA zones a person would pick (Europe/Paris, not Etc/GMT+3 or SystemV/...)."""
    return sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))


def secretariat_page():
    """None when the signed-in person is the secretariat; else the login redirect (or 403)."""
    if (login := _signed_in_or_login()) is not None:
        return login
    if not policy.can_prepare(current_user):
        abort(403)
    return None


@bp.route("/organisation")
def organisation_settings():
    if (refusal := secretariat_page()) is not None:
        return refusal
    organisation = Organisation.current()
    newest = db.session.scalar(db.select(Meeting).order_by(Meeting.starts_at.desc()).limit(1))
    example = {"reference": newest.reference if newest else "EXCOM 2024",
               "year": newest.local(newest.starts_at).year if newest else 2024, "n": 3}
    messages = {**js_messages(), **{key: str(text) for key, text in ORGANISATION_MESSAGES.items()}}
    data = {"messages": messages, "example": example, "has_logo": organisation.logo is not None}
    return render_template("organisation.html", organisation=organisation, page_data=data, zones=time_zones(),
                           all_languages=LANGUAGES, welcome=request.args.get("welcome") == "1")
