"""The demo meeting's board pack, made in code: the 2024 Secretariat Annual Report (a PDF, for
Agenda 1, open session) and the 2024 Financial Report (a Word document, for Agenda 6, closed
session). Small, valid files a reader opens; their figures are illustrative, not WeGO's."""
from __future__ import annotations

import io
from datetime import UTC, datetime

ILLUSTRATIVE = "Illustrative figures made for the demo; not the organisation's real report."


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF 1.4 with a title and lines of text in Helvetica (WinAnsi: Latin text only),
    with a correct cross-reference table, so that any reader opens it without repairing it."""
    content = ["BT", "/F1 18 Tf", "56 780 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf", "0 -30 Td", "16 TL"]
    for line in lines:
        content.append(f"({_pdf_text(line)}) Tj T*")
    content.append("ET")
    stream = "\n".join(content).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
         b"/Contents 5 0 R >>"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + _pdf_text(title).encode("latin-1") + b") /Producer (EXCOM demo) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def annual_report() -> bytes:
    return pdf("WeGO Secretariat Annual Report 2024", [
        "World Smart Sustainable Cities Organization (WeGO)",
        "",
        "1. Membership: 12 EXCOM members; new members Cali and Kaohsiung awaiting admission.",
        "2. Regional offices: East Asia (Chengdu), Mediterranean (Beyoglu), Africa (Abuja),",
        "   Latin America (Cuenca), Middle East & North Africa (Abu Dhabi), Central Asia (Almaty).",
        "3. Capacity building: 6 training programmes, 240 city officials trained.",
        "4. Knowledge: Smart City Solution Guides, 3 new volumes.",
        "5. Events: Smart Sustainable Cities Awards; Smart City Summit & Expo.",
        "",
        ILLUSTRATIVE,
    ])


def financial_report() -> bytes:
    """A Word document with the statement as a real table (python-docx)."""
    from docx import Document
    document = Document()
    document.core_properties.title = "WeGO Financial Report 2024"
    document.core_properties.author = "WeGO Secretariat"
    stamp = datetime(2024, 9, 1, tzinfo=UTC).replace(tzinfo=None)
    document.core_properties.created = document.core_properties.modified = stamp
    document.add_heading("WeGO Financial Report 2024", level=1)
    document.add_paragraph("Statement of income and expenditure, 1 January – 31 August 2024 (USD).")
    rows = [("Membership fees", "412,000"), ("Project grants", "268,500"), ("Other income", "19,200"),
            ("Programmes and projects", "(398,700)"), ("Regional offices", "(121,000)"),
            ("Secretariat operations", "(142,300)"), ("Balance", "37,700")]
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Line", "Amount"
    for label, amount in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, amount
    document.add_paragraph(ILLUSTRATIVE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# (agenda number, document title, file name, maker)
DEMO_DOCUMENTS = (
    ("Agenda 1", "2024 WeGO Secretariat Annual Report", "wego-annual-report-2024.pdf", annual_report),
    ("Agenda 6", "2024 Financial Report", "wego-financial-report-2024.docx", financial_report),
)
