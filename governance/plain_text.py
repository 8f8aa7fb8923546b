"""What plain text may hold, whatever carried it in (a JSON body, a form, a query string, a
cell of an imported file). Pure: no Flask, no database.

Refused: the C0 controls other than tab, newline and carriage return, lone surrogates and the
two non-characters U+FFFE and U+FFFF. XML (the DOCX memorandum) cannot hold them and
PostgreSQL refuses NUL; no name, title or note needs them.
"""
import re

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_control_character(text: str) -> bool:
    return NOT_TEXT.search(text) is not None
