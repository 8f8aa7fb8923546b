"""The invitation e-mail, in the recipient's language (the pages' catalogue, governance/
translations): the meeting, when and where, the sessions and items this person may see, and
their personal link, which is theirs alone."""
from __future__ import annotations

from babel.dates import format_datetime
from flask_babel import force_locale, gettext

from governance.registry.models import PAGE_LANGUAGES, Organisation


def recipient_language(user, requested: str | None = None) -> str:
    """The language to write to `user` in: the one asked for, else the person's own (a
    `language` of the account, where the platform keeps one), else the organisation's first."""
    organisation = Organisation.current()
    offered = list(organisation.languages or PAGE_LANGUAGES)
    for choice in (requested, getattr(user, "language", None), offered[0] if offered else None):
        if choice and choice in PAGE_LANGUAGES:
            return choice
    return "en"


def _when(meeting, moment, language: str) -> str:
    return format_datetime(moment, "medium", tzinfo=meeting.zone, locale=language) if moment else ""


def invitation_letter(*, user, meeting, sessions, link: str, language: str, organisation: str) -> tuple[str, str]:
    """(subject, text) of the invitation to `meeting` for `user`, in `language`. `sessions`:
    those the person may see, in order. The times are the meeting's local times, named by zone."""
    with force_locale(language):
        subject = gettext("Invitation: %(meeting)s", meeting=meeting.title)
        lines = [gettext("Dear %(name)s,", name=user.name), "",
                 gettext("You are invited to %(meeting)s, %(venue)s, from %(when)s (%(zone)s).",
                         meeting=meeting.title, venue=meeting.venue, when=_when(meeting, meeting.starts_at, language),
                         zone=meeting.timezone), ""]
        lines.append(gettext("Agenda"))
        for session in sessions:
            when = _when(meeting, session.starts_at, language)
            lines.append(f"{session.title}" + (f" ({when})" if when else ""))
            for item in session.items:
                lines.append(f"  {item.number} {item.title}".rstrip() if item.number else f"  {item.title}")
        lines += ["", gettext("Your personal link to the meeting's pages (follow the meeting, vote, read the "
                              "documents; it is yours alone, do not pass it on):"), link, "",
                  gettext("The attached calendar file holds the sessions."), "", organisation]
    return subject, "\n".join(lines) + "\n"
