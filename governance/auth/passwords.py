"""What a password must be (OWASP ASVS 4.0 level 2, V2.1): at least 12 characters (2.1.1),
at most 200 (we hash what we take), and not a common or guessable one (2.1.7), judged by
zxcvbn's offline estimate (its lists of common passwords, names, words and keyboard patterns
ship with the package: nothing goes over the network).

The demo loader (`excom demo`) keeps its published password "excom-demo" and does not pass
through this rule: its accounts exist to be signed into by anyone trying the platform.
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask import has_request_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's score 3: "safely unguessable: moderate protection from offline slow-hash scenario"
# (at least 10^8 guesses); 0-2 are its common, predictable and easily guessed passwords.
MIN_SCORE = 3


def password_problems(password: str, inputs: tuple[str, ...] = ()) -> list[str]:
    """Why this password is refused ([] when it is acceptable), in the request's language
    (English outside a request). `inputs`: the person's own name and address, which must not
    make up the password."""
    if len(password) < MIN_LENGTH:
        return [_say("At least %(count)s characters.", count=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_say("At most %(count)s characters.", count=MAX_LENGTH)]
    words = sorted({part for given in inputs if given
                    for part in (given.lower(), *re.split(r"[\s@.+_-]+", given.lower())) if len(part) > 2},
                   key=len, reverse=True)
    if _only_own_words(password, words) or _score(password, tuple(words)) < MIN_SCORE:
        return [_say("Too common or too easy to guess; a few unrelated words make a good password.")]
    return []


def _only_own_words(password: str, words: list[str]) -> bool:
    """Made of the person's own name and address with little else (zxcvbn scores
    "annabelle.kowalczyk" as strong: it counts the dot as a random character)."""
    rest = password.lower()
    for word in words:
        rest = rest.replace(word, "")
    return bool(words) and len(re.sub(r"[\W_]+", "", rest)) < 4


def _say(message: str, **values) -> str:
    """In the request's language; in English outside a request (the CLI, property tests)."""
    return gettext(message, **values) if has_request_context() else message % values


# for pybabel's extraction (gettext above is called with a variable)
_MESSAGES = (_l("At least %(count)s characters."), _l("At most %(count)s characters."),
             _l("Too common or too easy to guess; a few unrelated words make a good password."))


@lru_cache(maxsize=256)
def _score(password: str, inputs: tuple[str, ...]) -> int:
    from zxcvbn import zxcvbn
    # zxcvbn is slow beyond 100 characters and learns nothing from the rest
    return zxcvbn(password[:100], user_inputs=list(inputs))["score"]


def check_password(password: str) -> None:
    """A marshmallow validator: 422 with the reason on the password field."""
    problems = password_problems(password)
    if problems:
        raise ValidationError(problems)
