"""Where documents' bytes live: on disk, named by their SHA-256 (content-addressed).

`<EXCOM_DOCUMENTS_PATH>/ab/cd/abcd…` (default: the instance folder's `documents/`). The same
bytes uploaded twice are stored once; a file is written to a temporary name in its final folder,
flushed to disk and renamed into place (atomic on POSIX), so a reader never sees half a file and
a crash leaves at most a stray temporary file. Several `excom serve` processes must share this
folder (a network or shared volume) as they share the database.

Pure file work, no database: the operations decide when to write and when to forget.
"""
import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app

_HEX = frozenset("0123456789abcdef")


def root() -> Path:
    configured = current_app.config.get("EXCOM_DOCUMENTS_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "documents"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(digest: str, base: Path | None = None) -> Path:
    """The file of a SHA-256 hex digest; anything else is refused (no path can be smuggled in)."""
    if len(digest) != 64 or not set(digest) <= _HEX:
        raise ValueError(f"not a SHA-256 hex digest: {digest!r}")
    return (base or root()) / digest[:2] / digest[2:4] / digest


def store(data: bytes, base: Path | None = None) -> str:
    """Keep `data` under its digest (once) and answer the digest."""
    digest = sha256(data)
    target = path_of(digest, base)
    if target.exists() and target.stat().st_size == len(data):
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return digest


def _sync_folder(folder: Path) -> None:
    """The rename itself survives a power cut only once the folder is flushed too."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def read(digest: str, base: Path | None = None) -> bytes | None:
    try:
        return path_of(digest, base).read_bytes()
    except FileNotFoundError:
        return None


def forget(digest: str, base: Path | None = None) -> None:
    path_of(digest, base).unlink(missing_ok=True)
