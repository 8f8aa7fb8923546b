"""Reading back the audit head a memorandum printed (minutes.docx_parts.add_audit_head)."""
import io
import re

from docx import Document

_PRINTED = re.compile(r"excom audit verify --head (\d+):([0-9a-f]{64})")


def printed_head(docx: bytes) -> tuple[int, str] | None:
    """(seq, hash) printed in a memorandum's DOCX, or None (built before heads were printed).

    Raises ValueError when the bytes are not a DOCX."""
    try:
        document = Document(io.BytesIO(docx))
    except Exception as error:  # noqa: BLE001 - python-docx raises several kinds for a broken file
        raise ValueError(f"not a DOCX document: {error}") from None
    for paragraph in reversed(document.paragraphs):
        match = _PRINTED.search(paragraph.text)
        if match:
            return int(match.group(1)), match.group(2)
    return None
