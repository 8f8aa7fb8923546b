"""Real files of every accepted type, and hostile ones, made in code for the tests."""
import io
import zipfile

from governance.demo.documents import financial_report, pdf


def a_pdf(text="Hello") -> bytes:
    return pdf("A test document", [text])


def a_docx() -> bytes:
    return financial_report()


def an_xlsx() -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    book.active["A1"] = "Budget"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes]], stored_first=False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            package.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def _content_types(main_type: str, part: str) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/' + part.encode() + b'" ContentType="' + main_type.encode() + b'"/></Types>')


def a_pptx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return _zip([("[Content_Types].xml", _content_types(main, "ppt/presentation.xml")),
                 ("ppt/presentation.xml", b"<p:presentation xmlns:p='urn:x'/>")])


def a_docm() -> bytes:
    main = "application/vnd.ms-word.document.macroEnabled.main+xml"
    return _zip([("[Content_Types].xml", _content_types(main, "word/document.xml")),
                 ("word/document.xml", b"<w:document xmlns:w='urn:x'/>"), ("word/vbaProject.bin", b"\0" * 64)])


def an_odt(mimetype=b"application/vnd.oasis.opendocument.text") -> bytes:
    return _zip([("mimetype", mimetype), ("content.xml", b"<office:document-content xmlns:office='urn:x'/>")],
                stored_first=True)


def a_picture(kind="PNG", side=8) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (side, side), (200, 30, 30)).save(out, kind)
    return out.getvalue()


def a_png_bomb() -> bytes:
    """A few hundred bytes that declare a 30000 × 30000 picture."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def a_zip_bomb() -> bytes:
    """A DOCX-shaped package whose one part inflates 1000-fold (50 MiB of zeros)."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _content_types(main, "word/document.xml"))
        package.writestr("word/document.xml", b"<w:document xmlns:w='urn:x'/>")
        package.writestr("word/media/zeros.bin", b"\0" * (50 * 1024 * 1024), compress_type=zipfile.ZIP_DEFLATED,
                         compresslevel=9)
    return out.getvalue()


def a_lying_zip() -> bytes:
    """A package whose central directory understates [Content_Types].xml's size: the reader must
    not trust it (the part inflates to 8 MiB)."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    manifest = _content_types(main, "word/document.xml") + b" " * (8 * 1024 * 1024)
    data = _zip([("[Content_Types].xml", manifest), ("word/document.xml", b"<w/>")])
    return data.replace(len(manifest).to_bytes(4, "little"), (4096).to_bytes(4, "little"))
