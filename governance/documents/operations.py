"""Every change to an item's documents: attach (upload) and delete.

Each operation flushes, appends its audit event and queues its broadcast; the request boundary
commits. The bytes are written to disk before the row that names them is inserted, so a row
never points at a file that is not there; a file whose row was rolled back is only a stray
copy under its own digest. A deleted document's file goes after the commit, and only when no
other document holds the same bytes.
"""
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from flask import current_app
from sqlalchemy import func, select

from governance.audit.operations import record
from governance.dbtypes import utcnow
from governance.documents import filetypes, storage
from governance.documents.models import ItemDocument
from governance.documents.signals import document_deleting
from governance.errors import ApiError
from governance.extensions import db
from governance.meetings.models import AgendaItem
from governance.realtime import announce
from governance.signals import answers
from governance.transaction import on_commit

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def max_bytes() -> int:
    return int(current_app.config.get("EXCOM_DOCUMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def describe_size(size: int) -> str:
    """ "25 MiB", "512 KiB": the limit as the 413 states it."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{max(size // 1024, 1)} KiB"


def too_large(size: int | None = None) -> ApiError:
    limit = describe_size(max_bytes())
    what = f"This file is {describe_size(size)}; " if size else "This file is too large; "
    return ApiError(413, "too_large", f"{what}a document may be at most {limit}.", {"file": [f"at most {limit}"]})


def safe_filename(name: str, kind: filetypes.FileType) -> str:
    """The uploaded name without folders or control characters, ending in its real type's
    extension ("report.exe" that is a PDF becomes "report.exe.pdf")."""
    name = unicodedata.normalize("NFC", PurePath((name or "").replace("\\", "/")).name)
    name = _UNSAFE.sub("_", name).strip(" .") or "document"
    stem, dot, extension = name.rpartition(".")
    acceptable = {kind.extension} | ({".jpeg"} if kind is filetypes.JPEG else set())
    if not dot or f".{extension.lower()}" not in acceptable:
        stem, extension = name, kind.extension.lstrip(".")
    stem = stem[: 255 - len(extension) - 1]
    return f"{stem}.{extension}"


def _snapshot(document: ItemDocument) -> dict:
    return {"item_id": document.item_id, "title": document.title, "filename": document.filename,
            "content_type": document.content_type, "size": document.size, "sha256": document.sha256}


@dataclass(frozen=True)
class StoredFile:
    """A file checked and kept on disk, not yet recorded on an item."""

    filename: str
    content_type: str
    size: int
    sha256: str


def check_and_store(data: bytes, filename: str) -> StoredFile:
    """Judge the bytes and keep them on disk (no database: call it outside a transaction, so that
    neither the decoding nor the fsync holds SQLite's lock).

    Errors: 413 too_large (over EXCOM_DOCUMENT_MAX_BYTES), 422 invalid_document (not an
    accepted type, damaged, a zip bomb, macros)."""
    if len(data) > max_bytes():
        raise too_large(len(data))
    if not data:
        raise ApiError(422, "invalid_document", "The file is empty.", {"file": ["empty"]})
    try:
        kind = filetypes.identify(data)
    except filetypes.Refused as refusal:
        raise ApiError(422, "invalid_document", str(refusal), {"file": [str(refusal)]}) from None
    digest = storage.store(data)  # before the row: a row never names a missing file
    return StoredFile(safe_filename(filename, kind), kind.content_type, len(data), digest)


def attach_document(item: AgendaItem, *, actor, title: str, stored: StoredFile | None = None,
                    filename: str = "", data: bytes | None = None) -> ItemDocument:
    """Record a document on the item: a file already `stored`, or `data` checked and stored now."""
    if stored is None:
        stored = check_and_store(data or b"", filename)
    document = ItemDocument(item_id=item.id, title=title, filename=stored.filename,
                            content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
                            uploaded_by_id=getattr(actor, "id", None), created_at=utcnow())
    db.session.add(document)
    db.session.flush()
    record("document.attached", actor=actor, meeting=item.meeting, subject=document, after=_snapshot(document))
    announce_documents(item)
    return document


def delete_document(document: ItemDocument, *, actor) -> None:
    """Remove a document from its item. 409 kept_with_minutes when an approved memorandum lists it."""
    # a package may keep it (minutes: a document an approved memorandum lists): ApiError
    answers(document_deleting, document)
    item = document.item
    before = _snapshot(document)
    others = db.session.scalar(select(func.count()).select_from(ItemDocument).where(
        ItemDocument.sha256 == document.sha256, ItemDocument.id != document.id))
    db.session.delete(document)
    db.session.flush()
    db.session.expire(item, ["documents"])
    record("document.deleted", actor=actor, meeting=item.meeting, subject=document, before=before)
    if not others:
        on_commit(_forget_file, document.sha256, key=("document.forget", document.sha256))
    announce_documents(item)


def documents_payload(item: AgendaItem) -> dict:
    from governance.documents.schemas import DocumentOut
    return {"item_id": item.id, "documents": DocumentOut(many=True).dump(item.documents)}


def announce_documents(item: AgendaItem) -> None:
    """`documents.changed` to those who may see the item: a closed item's to the members only."""
    announce("documents.changed", documents_payload(item), meeting_id=item.meeting.id,
             audience="closed" if item.closed else "open")


def _forget_file(digest: str) -> None:
    """After the commit that deleted its last document: the file goes too (content-addressed)."""
    try:
        storage.forget(digest, storage.root())
    except OSError:  # the row is gone; a stray file costs disk, not correctness
        log.exception("could not remove the file of deleted document %s", digest)
