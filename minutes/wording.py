"""The memorandum's words in one of the meeting's languages (English, Russian).

Pure: Babel and the project's gettext catalogue (governance/translations), no Flask, so a build
apart from the server (governance.apart, a child process) translates as well as one in a request.

- `_("Attendance")` translates a fixed text now, into the language of the build under way
  (`speaking("ru")`, a context variable: the builder's functions keep their signatures).
- `N_("Round %(n)s (tie-break)", n=2)` is a `Phrase`: a str that reads as the English text (what
  the record has always held, and what English tests compare), remembering its message id and
  parameters so that a build in another language can say it in that language (`say`). The
  record (minutes.record) is collected once, and both languages are built from it.
- Dates and numbers come from Babel's CLDR data: "20 September 2024" / "20 сентября 2024 г.",
  "45.5 %" / "45,5 %". strftime would follow the server's locale, not the reader's.

Both `_` and `N_` are gettext keywords pybabel extracts by default (babel.cfg lists minutes/).
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
from datetime import datetime, tzinfo
from pathlib import Path

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LANGUAGES = ("en", "ru")
DEFAULT = "en"
CATALOGUE = Path(__file__).resolve().parent.parent / "governance" / "translations"

_current = contextvars.ContextVar("memorandum_language", default=DEFAULT)


@functools.cache
def _translations(language: str) -> NullTranslations:
    if language == DEFAULT:
        return NullTranslations()  # the message ids are the English text
    return Translations.load(str(CATALOGUE), [language], domain="messages")


def current() -> str:
    return _current.get()


@contextlib.contextmanager
def speaking(language: str):
    """Everything said inside is said in `language` (one of LANGUAGES; ValueError otherwise)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    token = _current.set(language)
    try:
        yield language
    finally:
        _current.reset(token)


def _(message: str, **params) -> str:
    """`message` in the current language, with %(name)s parameters filled in (each said too)."""
    text = _translations(current()).gettext(message)
    return text % {name: say(value) for name, value in params.items()} if params else text


def ngettext(singular: str, plural: str, n: int, **params) -> str:
    text = _translations(current()).ngettext(singular, plural, n)
    return text % {"n": n, **{name: say(value) for name, value in params.items()}}


class Phrase(str):
    """A fixed text of the record, kept translatable: reads as its English, says itself in any
    language. Pickles (the build runs apart) and compares as the English string it is."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params):
        english = msgid % {name: str(value) for name, value in params.items()} if params else msgid
        self = super().__new__(cls, english)
        self.msgid, self.params = msgid, params
        return self

    def __reduce__(self):
        return (_phrase, (self.msgid, self.params))

    def said(self) -> str:
        return _(self.msgid, **self.params)


def _phrase(msgid: str, params: dict) -> Phrase:
    return Phrase(msgid, **params)


def N_(message: str, **params) -> Phrase:
    return Phrase(message, **params)


def say(value) -> str:
    """A record's text in the current language: a Phrase translated, anything else as it is."""
    if isinstance(value, Phrase):
        return value.said()
    return value if isinstance(value, str) else str(value)


# --- dates and numbers ------------------------------------------------------------------

def date(moment: datetime, tz: tzinfo) -> str:
    """ "20 September 2024" / "20 сентября 2024 г." in the meeting's time zone."""
    local = moment.astimezone(tz).date()
    if current() == DEFAULT:
        return _babel_date(local, "d MMMM y", locale="en")
    return _babel_date(local, "long", locale=current())


def number(value: float, decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=current())
