"""Names compared as people read them: a pure rule, no Flask, no database.

"São Paulo" typed on a Mac (an "a" followed by a combining tilde, NFD) and on Windows
("ã", NFC), "SÃO PAULO", and "São  Paulo" with two spaces all print the same on a ballot;
the registry must see them as one name, or two members could appear identically before the
voters. Two spellings are the same name when their keys are equal:

    key = NFC(casefold(NFC(text))), with every run of white space made one space, trimmed.

(Unicode Standard Annex #15 for the normalisation forms; `str.casefold` is Unicode's full
case folding, so "STRASSE" and "straße" meet. NFC is applied again after folding because
folding can leave a string that is no longer composed.) The key is stored beside the name
in a column with a unique index, so the database refuses a duplicate even when two desks
send it at once. E-mail addresses are keyed the same way.
"""
import unicodedata


def tidy(text: str) -> str:
    """The name as it is kept and printed: composed (NFC), white space collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_key(text: str) -> str:
    """The form two names are compared in (see the module docstring)."""
    folded = unicodedata.normalize("NFC", tidy(text)).casefold()
    return " ".join(unicodedata.normalize("NFC", folded).split())
