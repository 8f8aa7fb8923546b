"""Logo candidates: PNG, JPEG or SVG, small, and decoded before they are trusted.

A PNG or a JPEG is decoded in full with Pillow: what cannot be decoded (a truncated file, a
PNG that is only its signature and header, a file whose name lies) is refused here, not in the
middle of a memorandum build later. A file whose header declares a huge image (a decompression
bomb) is refused before anything decodes it.

An SVG is a program for a renderer. It is drawn once, here, into a PNG (CairoSVG, with no
network and no file access: only data: images inside the file are read), and that picture is
what members see on their phones and what the memorandum prints; the original is kept beside
it and served only as a download (motions.api). So what an SVG could do when opened by a
browser no longer matters; the checks below still refuse what is plainly not a drawing
(scripts, event handlers, references to other files, DTDs) so that the uploader hears of it.
"""
import base64
import binascii
import hashlib
import io
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from PIL import Image, UnidentifiedImageError

from governance.refusal import ApiError  # not governance.errors: no Flask in a build's child process

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096
MAX_PIXELS = 16_000_000
PICTURE_SIDE = 1024  # an SVG is drawn with its longer side this many pixels long
PICTURES = {"PNG": "image/png", "JPEG": "image/jpeg"}
_SVG_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data:(?!image/(png|jpeg|gif);))", re.I)
# what Pillow raises on a damaged file, depending on where the damage is
_UNDECODABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, Image.DecompressionBombError)


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed: the original bytes and their kind and SHA-256, and the picture
    shown in its place (a PNG drawn from an SVG; None when the original is itself a picture)."""
    data: bytes
    mimetype: str
    sha256: str
    picture: bytes | None = None


def _refuse(message: str) -> ApiError:
    return ApiError(422, "invalid_image", message, {"file": [message]})


def picture_kind(data: bytes) -> str | None:
    """"image/png" or "image/jpeg" when Pillow decodes `data` in full as one of them within
    MAX_SIDE and MAX_PIXELS; None otherwise. For what was stored before uploads were decoded."""
    try:
        return _decoded(data)
    except ApiError:
        return None


def _decoded(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data), formats=tuple(PICTURES)) as image:
            width, height = image.size
            if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or width * height > MAX_PIXELS:
                raise _refuse(f"The image is {width}×{height} pixels; at most {MAX_SIDE}×{MAX_SIDE} "
                              f"({MAX_PIXELS // 1_000_000} million pixels) is accepted.")
            image.load()  # every pixel: a truncated or damaged file fails here, not in a build
            assert image.format is not None  # opened with formats=PICTURES: one of them
            return PICTURES[image.format]
    except UnidentifiedImageError:
        if data.startswith((b"\x89PNG", b"\xff\xd8\xff")):
            raise _refuse("This image cannot be decoded: the file is damaged or incomplete.") from None
        raise _refuse("A logo must be a PNG, JPEG or SVG image.") from None
    except Image.DecompressionBombError:
        raise _refuse(f"The image declares more than {MAX_PIXELS // 1_000_000} million pixels.") from None
    except _UNDECODABLE:
        raise _refuse("This image cannot be decoded: the file is damaged or incomplete.") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def check_svg(data: bytes) -> None:
    """Refuse what is plainly not a drawing, so that the uploader hears of it. Not the
    protection (that is drawing it into a PNG): a filter of SVG can always be bypassed."""
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


def _nothing_outside(url: str, resource_type: str) -> bytes:
    """CairoSVG's fetcher: a data: URL inside the file is decoded here; anything else (http:,
    file:, a relative path) is an empty drawing. Nothing is fetched, no file is read."""
    if url.startswith("data:") and "," in url:
        meta, _, payload = url[5:].partition(",")
        try:
            return base64.b64decode(payload, validate=False) if meta.endswith(";base64") \
                else unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            pass
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


class _Measured(Exception):
    def __init__(self, width: float, height: float):
        super().__init__(width, height)
        self.width, self.height = width, height


def draw_svg(data: bytes) -> bytes:
    """The SVG drawn into a PNG whose longer side is PICTURE_SIDE pixels. The size the SVG
    declares is only read (a surface of the declared size is never made: 100000×100000 would
    be 40 GB); DTD entities and external files are refused by CairoSVG's safe parser, and
    every URL goes to _nothing_outside."""
    from cairosvg.surface import (
        PNGSurface,  # imported when needed: it loads the cairo library
    )

    class Measuring(PNGSurface):
        def _create_surface(self, width, height):
            raise _Measured(width, height)

    try:
        try:
            Measuring.convert(bytestring=data, url_fetcher=_nothing_outside, unsafe=False)
            raise _refuse("This SVG image could not be measured.")
        except _Measured as measured:
            width, height = measured.width, measured.height
        if not (width > 0 and height > 0) or max(width, height) / min(width, height) > 50:
            raise _refuse("An SVG logo needs a width and a height (or a viewBox), neither 50 times the other.")
        scale = PICTURE_SIDE / max(width, height)
        return PNGSurface.convert(bytestring=data, url_fetcher=_nothing_outside, unsafe=False,
                                  output_width=max(1, round(width * scale)),
                                  output_height=max(1, round(height * scale)))
    except ApiError:
        raise
    except Exception:  # noqa: BLE001 (the parser's and the renderer's refusals have no common class)
        raise _refuse("This SVG image cannot be drawn.") from None


def checked_image(data: bytes, mimetype: str) -> CheckedImage:
    """The upload as a CheckedImage, or a refusal: 413 over MAX_BYTES, 422 `invalid_image`
    naming `file` for anything that is not a decodable PNG or JPEG or a drawable SVG."""
    if len(data) > MAX_BYTES:
        raise ApiError(413, "too_large", f"A logo may be at most {MAX_BYTES // (1024 * 1024)} MiB; "
                                         f"this one is {len(data) / (1024 * 1024):.1f} MiB.")
    digest = hashlib.sha256(data).hexdigest()
    start = data.lstrip()[:5]
    if mimetype == "image/svg+xml" or start in (b"<?xml", b"<svg ", b"<svg>") or data.startswith(b"\xef\xbb\xbf"):
        check_svg(data)
        picture = draw_svg(data)
        _decoded(picture)
        return CheckedImage(data, "image/svg+xml", digest, picture)
    return CheckedImage(data, _decoded(data), digest)
