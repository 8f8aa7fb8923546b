"""What a document really is, judged from its bytes: never from its name or the browser's word.

Accepted: PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG (the board pack: reports, accounts, slides,
pictures). Pure functions, no Flask: `identify(data)` answers a `FileType` or raises `Refused`
with a sentence for a person.

- PDF: the `%PDF-` header and an `%%EOF` near the end (a truncated upload is refused).
- DOCX, XLSX, PPTX (Office Open XML, ECMA-376) are zip packages: the package's
  `[Content_Types].xml` must declare the main part of that format and the part must be there;
  macro-enabled packages (.docm, .xlsm, .pptm, a vbaProject part) are refused.
- ODT (OpenDocument, ISO/IEC 26300): a zip whose first entry is `mimetype`, stored uncompressed,
  holding `application/vnd.oasis.opendocument.text`.
- Zip bombs are refused from the central directory before anything is inflated (too many
  entries, too much declared content, an entry that claims an absurd compression ratio), and the
  few bytes we do inflate are read with a cap, so a directory that lies changes nothing.
- PNG and JPEG are decoded with Pillow, after their declared size is checked against a pixel
  budget (a decompression bomb is refused before it is decoded).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_CONTENT = 300 * 1024 * 1024  # declared uncompressed bytes of the whole package
MAX_ZIP_RATIO = 200  # uncompressed / compressed for one entry (text XML reaches ~20-50)
MAX_MANIFEST = 1024 * 1024  # the bytes of [Content_Types].xml or mimetype we read at most
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photograph; beyond is a bomb or a mistake
MAX_IMAGE_SIDE = 20_000


@dataclass(frozen=True)
class FileType:
    name: str  # what a person calls it: "PDF", "DOCX"
    content_type: str
    extension: str  # with its dot


PDF = FileType("PDF", "application/pdf", ".pdf")
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = FileType("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx")
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text", ".odt")
PNG = FileType("PNG", "image/png", ".png")
JPEG = FileType("JPEG", "image/jpeg", ".jpg")
ACCEPTED = (PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG)
ACCEPTED_NAMES = ", ".join(kind.name for kind in ACCEPTED)

# the main part's content type, as [Content_Types].xml declares it (ECMA-376 Part 1, 11.3, 12.3, 13.3)
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_MACRO_TYPES = ("macroEnabled", "vbaProject", "vbaData")
_OVERRIDE = re.compile(rb"<Override\b[^>]*>", re.DOTALL)
_ATTRIBUTE = re.compile(rb'(\w+)\s*=\s*["\']([^"\']*)["\']')


class Refused(ValueError):
    """Not a document we take; the message says why, for a person."""


def identify(data: bytes) -> FileType:
    if data.startswith(b"%PDF-"):
        return _pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _zip_package(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _image(data, "PNG")
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        _image(data, "JPEG")
        return JPEG
    raise Refused(f"This file is not one of the accepted types ({ACCEPTED_NAMES}).")


def _pdf(data: bytes) -> FileType:
    if not re.match(rb"%PDF-[12]\.\d", data[:8]):
        raise Refused("This PDF has no valid version header.")
    if b"%%EOF" not in data[-2048:]:
        raise Refused("This PDF is incomplete (it has no end-of-file marker): upload it again.")
    return PDF


def _zip_package(data: bytes) -> FileType:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Refused("This file looks like an Office document but its package is damaged.") from None
    _not_a_bomb(entries)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" in names:
        return _ooxml(package, names)
    if entries and entries[0].filename == "mimetype":
        return _opendocument(package, entries[0])
    raise Refused(f"This zip file is not an Office document of an accepted type ({ACCEPTED_NAMES}).")


def _not_a_bomb(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise Refused(f"This package holds {len(entries)} files; at most {MAX_ZIP_ENTRIES} are accepted.")
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_ZIP_CONTENT:
        raise Refused(f"This package unpacks to {declared // (1024 * 1024)} MiB; "
                      f"at most {MAX_ZIP_CONTENT // (1024 * 1024)} MiB is accepted.")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
            raise Refused("This package is compressed beyond any real document (a zip bomb?): not accepted.")


def _read_capped(package: zipfile.ZipFile, name: str) -> bytes:
    try:
        with package.open(name) as member:
            content = member.read(MAX_MANIFEST + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError, OSError, EOFError):
        # RuntimeError: encrypted; NotImplementedError: an unknown compression method
        raise Refused("This package is damaged, encrypted or compressed in an unknown way.") from None
    if len(content) > MAX_MANIFEST:
        raise Refused("This package's description is too large to be a real document's.")
    return content


def _ooxml(package: zipfile.ZipFile, names: set[str]) -> FileType:
    manifest = _read_capped(package, "[Content_Types].xml")
    if b"<!DOCTYPE" in manifest.upper() or b"<!ENTITY" in manifest.upper():
        raise Refused("This package's description declares entities: not accepted.")
    if any(marker.encode() in manifest for marker in _MACRO_TYPES) or any(
            name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused("Documents with macros are not accepted: save it as .docx, .xlsx or .pptx.")
    for override in _OVERRIDE.findall(manifest):
        attributes = {key.decode(): value.decode("utf-8", "replace") for key, value in _ATTRIBUTE.findall(override)}
        kind = _OOXML_MAIN.get(attributes.get("ContentType", ""))
        if kind is not None:
            part = attributes.get("PartName", "").lstrip("/")
            if part not in names:
                raise Refused(f"This {kind.name} package lacks its main part ({part or 'unnamed'}).")
            return kind
    raise Refused(f"This Office package is not a document of an accepted type ({ACCEPTED_NAMES}).")


def _opendocument(package: zipfile.ZipFile, first: zipfile.ZipInfo) -> FileType:
    if first.compress_type != zipfile.ZIP_STORED:
        raise Refused("This OpenDocument file is damaged (its mimetype entry is compressed).")
    mimetype = _read_capped(package, "mimetype").strip()
    if mimetype != ODT.content_type.encode():
        raise Refused(f"Of the OpenDocument formats only text documents (ODT) are accepted, "
                      f"not {mimetype.decode('ascii', 'replace')[:80]}.")
    if "content.xml" not in {entry.filename for entry in package.infolist()}:
        raise Refused("This OpenDocument file lacks its content.")
    return ODT


def _image(data: bytes, expected: str) -> None:
    """Decode the picture with Pillow, after its declared size is checked (not trusted before)."""
    import warnings

    from PIL import Image, UnidentifiedImageError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    raise Refused(f"This file claims to be {expected} but is not.")
                width, height = image.size
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
                    raise Refused(f"The picture is {width}×{height} pixels; "
                                  f"at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels are accepted.")
                image.load()  # decodes every pixel: a damaged or truncated picture fails here
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, MemoryError):
        raise Refused(f"This {expected} picture is damaged or cannot be decoded.") from None
