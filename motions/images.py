"""Candidate logos: PNG or SVG, small, and harmless.

A PNG is checked by its header (not its file name): a tiny file that declares an enormous
image (a decompression bomb) is refused before anything decodes it. An SVG is an XML
program: one that carries scripts, event handlers, external references or entity
declarations is refused rather than "cleaned", so what the members saw is what is stored.
"""
import hashlib
import re
import struct
import xml.etree.ElementTree as ElementTree

from governance.errors import ApiError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096
MAX_PIXELS = 16_000_000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data:(?!image/(png|jpeg|gif);))", re.I)


def _refuse(message: str) -> ApiError:
    return ApiError(422, "invalid_image", message, {"file": [message]})


def check_png(data: bytes) -> None:
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 33:
        raise _refuse("This is not a PNG image.")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or width * height > MAX_PIXELS:
        raise _refuse(f"The image is {width}×{height} pixels; at most {MAX_SIDE}×{MAX_SIDE} is accepted.")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def check_svg(data: bytes) -> None:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise _refuse("SVG files with DOCTYPE or entity declarations are not accepted.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise _refuse("This is not a well-formed SVG image.") from None
    if _local(root.tag) != "svg":
        raise _refuse("This is not an SVG image.")
    for element in root.iter():
        if _local(element.tag) in _SVG_FORBIDDEN_ELEMENTS:
            raise _refuse(f"SVG images with <{_local(element.tag)}> are not accepted: a logo carries no program.")
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                raise _refuse(f"SVG images with event handlers ({attribute}) are not accepted.")
            if attribute in ("href", "src") and not value.startswith("#") and not value.startswith("data:image/"):
                raise _refuse("SVG images that load other files are not accepted.")
            if _DANGEROUS_URL.search(value) or "url(" in value.lower() and "url(#" not in value.lower():
                raise _refuse("SVG images with script or external addresses are not accepted.")


def checked_image(data: bytes, mimetype: str) -> tuple[str, str]:
    """(mimetype, sha256) of an acceptable logo, or a refusal."""
    if len(data) > MAX_BYTES:
        raise ApiError(413, "too_large", f"A logo may be at most {MAX_BYTES // (1024 * 1024)} MiB.")
    if data.startswith(_PNG_SIGNATURE):
        check_png(data)
        kind = "image/png"
    elif mimetype == "image/svg+xml" or data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>"):
        check_svg(data)
        kind = "image/svg+xml"
    else:
        raise _refuse("A logo must be a PNG or an SVG image.")
    return kind, hashlib.sha256(data).hexdigest()
