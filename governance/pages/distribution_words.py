"""The desk's words for the memorandum's distribution (governance/static/js/memorandum.js):
each copy's state, the confirmation that lists the recipients, the retry of failures."""
from flask_babel import lazy_gettext as _l

DISTRIBUTION_MESSAGES = {
    "copy_recorded": _l("recorded (no e-mail)"),
    "copy_queued": _l("queued"),
    "copy_sent": _l("sent"),
    "copy_failed": _l("failed"),
    "copy_failed_because": _l("failed: %(reason)s"),
    "copies_of": _l("Copies of version %(n)s:"),
    "edition_full": _l("full edition"),
    "edition_public": _l("public edition"),
    "retry_failed": _l("Send the %(n)s failed again"),
    "retry_queued": _l("Version %(version)s: %(n)s queued again."),
    "confirm_distribution": _l("Send version %(version)s of the memorandum to %(n)s people?"),
    "send_to_n": _l("Send to %(n)s people"),
    "cancel": _l("Cancel"),
}
