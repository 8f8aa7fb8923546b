"""Files kept in the instance folder, by their SHA-256, and what kind of document a file is.

A file is stored once under `<instance>/files/<first two hex digits>/<sha256>`: the same
bytes uploaded twice are one file, a file's name can never be chosen by an uploader, and a
row that names a digest can be checked against the bytes. A write goes to a temporary name
and is renamed into place, so a reader never sees half a file. A transaction that rolls
back after the write leaves the file behind; it is harmless (nothing names it) and the same
upload later finds it there.

The kind of a document is judged from its bytes, never from its name or the browser's word:
a PDF starts with `%PDF-` and ends with `%%EOF`; a DOCX is a ZIP package whose content types
name WordprocessingML's main document (ISO/IEC 29500-2, Open Packaging Conventions). A
macro-enabled document (.docm) is refused; the package is only listed, never extracted, so a
ZIP bomb costs nothing.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXTENSIONS = {PDF: "pdf", DOCX: "docx"}
_LARGEST_CONTENT_TYPES = 256 * 1024  # [Content_Types].xml of a real document is a few kB
_MOST_PARTS = 5000


class NotADocument(ValueError):
    """The bytes are not one of the kinds asked for; the message says why, for a person."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sniff_document(data: bytes, kinds: tuple[str, ...] = (PDF, DOCX)) -> Sniffed:
    """What `data` is among `kinds` (PDF, DOCX), or NotADocument."""
    if not data:
        raise NotADocument("The file is empty.")
    if PDF in kinds and data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise NotADocument("The PDF is cut short (it has no end-of-file mark).")
        return Sniffed(PDF, "pdf")
    if DOCX in kinds and data.startswith(b"PK\x03\x04"):
        _check_docx(data)
        return Sniffed(DOCX, "docx")
    wanted = " or ".join(EXTENSIONS[kind].upper() for kind in kinds)
    raise NotADocument(f"The file is not a {wanted} document.")


def _check_docx(data: bytes) -> None:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
        if len(parts) > _MOST_PARTS:
            raise NotADocument("The DOCX package holds too many parts.")
        names = {part.filename: part for part in parts}
        types = names.get("[Content_Types].xml")
        if types is None or "word/document.xml" not in names:
            raise NotADocument("The file is a ZIP archive, not a Word document.")
        if types.file_size > _LARGEST_CONTENT_TYPES:
            raise NotADocument("The DOCX package's content types are implausibly large.")
        content_types = package.read(types)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, RuntimeError, NotImplementedError):
        raise NotADocument("The DOCX package is damaged.") from None
    if b"macroEnabled" in content_types:
        raise NotADocument("Documents with macros (.docm) are not accepted; save it as .docx.")
    if DOCX_MAIN not in content_types:
        raise NotADocument("The file is an Office package, but not a Word document.")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _root() -> Path:
    return Path(current_app.instance_path) / "files"


def path_of(digest: str) -> Path:
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"not a SHA-256 digest: {digest!r}")
    return _root() / digest[:2] / digest


def store(data: bytes) -> str:
    """Keep `data` in the instance folder; answers its SHA-256 (the name it is kept under)."""
    digest = sha256(data)
    target = path_of(digest)
    if target.exists() and target.stat().st_size == len(data):
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def read(digest: str) -> bytes:
    """The stored bytes; OSError if the file is missing, ValueError if they no longer match."""
    data = path_of(digest).read_bytes()
    if sha256(data) != digest:
        raise ValueError(f"the stored file {digest} no longer has its digest")
    return data
