"""The words documents.js and speakers.js show, translated on the server (see i18n.JS_MESSAGES)."""
from flask_babel import lazy_gettext as _l

AGENDA_MESSAGES = {
    "remove_document": _l("Remove %(title)s"),
    "document_sending": _l("Sending the document…"),
    "document_attached": _l("Attached: %(title)s"),
    "point_of_order": _l("Point of order"),
    "question": _l("Question in writing"),
    "floor_time": _l("%(elapsed)s of %(limit)s"),
    "floor_nobody": _l("Nobody has the floor."),
    "give_floor": _l("Give the floor"),
    "answered": _l("Answered"),
    "you_have_the_floor": _l("You have the floor."),
    "your_place": _l("You are number %(n)s in the queue."),
}
