"""The pieces of Word the memorandum is made of: its font, colours and page, styled paragraphs
and runs, "Label: value" lines, captions, fixed-width tables with a repeated header row, fields
(PAGE, NUMPAGES), borders, the named-vote table and the audit head under the signatures.

Shared by the built-in layout (minutes.builder), an assessment's table (minutes.assessment_docx)
and a secretariat's template (minutes.template), none of which imports another for them.
Lengths are python-docx's EMU (`docx.shared.Cm`), sizes points, colours `RGBColor` or hex text."""
from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape as xml_escape

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree  # type: ignore[import-untyped]  # python-docx's own XML library

from minutes.phrasing import format_person, verify_command
from minutes.record import Memorandum, NamedVote, Person
from minutes.wording import _, say

# Arial rather than the template's Calibri: every Word has it, and LibreOffice
# maps it to the metric-compatible Liberation Sans, so the PDF looks the same
# on a CI box. It covers Cyrillic, Turkish and Portuguese letters.
FONT = "Arial"
NAVY = RGBColor(0x1F, 0x3A, 0x68)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADING_FILL = "DCE6F2"  # the pale blue of Accent 1, for Table Grid heading rows
GRID_STYLE = "Light Grid Accent 1"  # data tables: attendance, counts, votes
PLAIN_STYLE = "Table Grid"  # the quorum table, the resolutions
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4: the association is international
MARGIN = Cm(2.2)
TEXT_WIDTH = Cm(21.0 - 2 * 2.2)

# Schema order (ECMA-376) of the siblings that must follow what we insert.
PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                  "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                  "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                  "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                  "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                  "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                       "w:tblDescription", "w:tblPrChange")


def styled_paragraph(container, text: str = "", *, style: str | None = None, bold: bool = False,
                     italic: bool = False, size: float | None = None,
                     color: RGBColor | None = None) -> Paragraph:
    paragraph = container.add_paragraph(style=style)
    if text:
        styled_run(paragraph, text, bold=bold, italic=italic, size=size, color=color)
    return paragraph


def styled_run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
               size: float | None = None, color: RGBColor | None = None) -> Run:
    """paragraph.add_run(text) with its font set as python-docx sets it (bold, italic, color and
    size in the schema's order), made from its XML: python-docx's setters took a quarter of the
    time of a memorandum of 20 polls."""
    r = parse_xml(f"<w:p {nsdecls('w')}>{run_xml(text, run_properties(bold, italic, size, color))}</w:p>")[0]
    paragraph._p.append(r)
    return Run(r, paragraph)


def run_properties(bold: bool = False, italic: bool = False, size: float | None = None,
                   color: RGBColor | None = None) -> str:
    """The <w:rPr>'s content python-docx's font setters write, in the schema's order."""
    return "".join((
        "<w:b/>" if bold else "",  # only when set: python-docx writes no <w:rPr> otherwise
        "<w:i/>" if italic else "",
        f'<w:color w:val="{color}"/>' if color is not None else "",
        f'<w:sz w:val="{int(Pt(size).pt * 2)}"/>' if size else ""))


def paragraph_of(container, properties: str, runs: str) -> Paragraph:
    """container.add_paragraph() made from its XML: `properties` the <w:pPr>'s content (as
    python-docx's paragraph_format setters write it, in the schema's order), `runs` its runs
    (run_xml). One parse instead of a setter's search for its place at each property: the
    captions, "Label: value" lines and spacers of 20 polls took a tenth of a build."""
    made = container.add_paragraph()
    properties = f"<w:pPr>{properties}</w:pPr>" if properties else ""
    p = parse_xml(f"<w:p {nsdecls('w')}>{properties}{runs}</w:p>")
    made._p.getparent().replace(made._p, p)
    return Paragraph(p, made._parent)


def _twips(points: float) -> int:
    """A length in points as python-docx writes it in w:spacing (twentieths of a point)."""
    return Pt(points).twips


def text_run(paragraph: Paragraph, text: str) -> Run:
    """paragraph.add_run(text), without python-docx clearing the run it has just made (an XPath
    query per run: a third of the time of a long note). Tabs and newlines become w:tab, w:br."""
    return styled_run(paragraph, text)


def label_line(container, label: str, value: str, *, keep_with_next: bool = False) -> Paragraph:
    """ "Label: value" with the label in bold, one fact per line."""
    keep = "<w:keepNext/>" if keep_with_next else '<w:keepNext w:val="0"/>'  # python-docx's False
    return paragraph_of(container, f'{keep}<w:spacing w:after="{_twips(1)}"/>',
                        run_xml(f"{label}: ", run_properties(bold=True)) + run_xml(value))


def caption(doc: DocxDocument, text: str) -> Paragraph:
    """A bold line introducing a table, kept on the same page as the table."""
    return paragraph_of(doc, f'<w:keepNext/><w:spacing w:before="{_twips(10)}" w:after="{_twips(3)}"/>',
                        run_xml(text, run_properties(bold=True, color=NAVY)) if text else "")


def spacer(doc: DocxDocument, points: float = 4) -> None:
    """An empty small paragraph: Word glues consecutive tables together otherwise."""
    paragraph_of(doc, f'<w:spacing w:after="0" w:line="{_twips(points)}" w:lineRule="exact"/>', "")


def set_row_flag(row: _Row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def new_table(doc: DocxDocument, headings: Sequence[str], widths: Sequence[int],
              style: str | None = GRID_STYLE, right_from: int | None = None) -> Table:
    """A fixed-width table with a header row repeated on every page.

    A table like one made before in this document (20 roll-calls have the same header) is a
    copy of that one: python-docx takes a millisecond to make each. (The document keeps them in
    `new_tables` when it has one: minutes.builder's.)"""
    made = getattr(doc, "new_tables", None)
    key = (tuple(headings), tuple(widths), style, right_from)
    if made is not None and key in made:
        return Table(doc._append(copy.deepcopy(made[key])), doc._body)  # type: ignore[attr-defined]
    table = _made_table(doc, headings, widths, style, right_from)
    if made is not None:
        made[key] = copy.deepcopy(table._tbl)
    return table


def _made_table(doc: DocxDocument, headings: Sequence[str], widths: Sequence[int], style: str | None,
                right_from: int | None) -> Table:
    table = doc.add_table(rows=1, cols=len(headings), style=style)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    # Widths go on the grid (LibreOffice reads it) before rows are added, so
    # that add_row() copies them into every new cell (Word reads those).
    for column, width in zip(table.columns, widths):
        column.width = Emu(width)
    header = table.rows[0]
    for index, (cell, width, heading) in enumerate(zip(header.cells, widths, headings)):
        cell.width = Emu(width)
        paragraph = cell.paragraphs[0]
        styled_run(paragraph, heading, bold=True)
        if right_from is not None and index >= right_from:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if style == PLAIN_STYLE:  # Table Grid has no heading look of its own
        for cell in header.cells:
            shade(cell, HEADING_FILL)
    set_row_flag(header, "w:tblHeader")
    set_row_flag(header, "w:cantSplit")
    return table


def shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), value)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *TCPR_AFTER_SHD)


# A cell: its text in one run (bold as the row is), or its runs as (text, bold) pairs.
CellText = str | Sequence[tuple[str, bool]]


def add_row(table: Table, values: Sequence[CellText], *, bold: bool = False,
            right_from: int | None = None) -> _Row:
    """Append one row (see add_rows); answers it, for cells that hold more than text."""
    add_rows(table, (values,), bold=bold, right_from=right_from)
    return _Row(table._tbl.tr_lst[-1], table)


def add_rows(table: Table, rows: Iterable[Sequence[CellText]], *, bold: bool = False,
             right_from: int | None = None) -> None:
    """Append rows, each cell's text in one run (bold if `bold`), right-aligned from column
    `right_from`, the row kept on one page.

    The rows are the XML python-docx's add_row and add_run would make, written as one string
    and parsed once: python-docx builds a cell in ~0.2 ms, and a memorandum of 200 members and
    20 named votes has 17,000 rows in its four documents. The row's frame (cell widths, the
    alignment, cantSplit) is python-docx's own, made once per table shape (_row_frame)."""
    frame = _row_frame(table, right_from)
    texts = []
    for values in rows:
        cells = [_cell_runs_xml(value, bold) for value in values]
        texts.append("".join(part + (cells[index] if index < len(cells) else "")
                             for index, part in enumerate(frame[:-1])) + frame[-1])
    if texts:
        for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(texts)}</w:tbl>"):
            table._tbl.append(tr)


_ROW_MARK = "\u2063row-cell-{}\u2063"  # an invisible separator: never in a cell's own text
_row_frames: dict[tuple, list[str]] = {}


def _row_frame(table: Table, right_from: int | None) -> list[str]:
    """A row of `table` as python-docx makes it, without its cells' runs: the XML around them,
    in pieces (the runs of cell i go between piece i and piece i + 1)."""
    widths = tuple(column.get(qn("w:w")) for column in table._tbl.tblGrid.gridCol_lst)
    key = (widths, right_from)
    if key not in _row_frames:
        row = table.add_row()
        for index, cell in enumerate(row.cells):
            paragraph = cell.paragraphs[0]
            text_run(paragraph, _ROW_MARK.format(index))
            if right_from is not None and index >= right_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_row_flag(row, "w:cantSplit")
        text = etree.tostring(row._tr, encoding="unicode")
        table._tbl.remove(row._tr)
        text = re.sub(r"^<w:tr [^>]*>", "<w:tr>", text)  # the namespace is the wrapper's
        pieces = re.split(r"<w:r><w:t>\u2063row-cell-\d+\u2063</w:t></w:r>", text)
        if len(pieces) != len(widths) + 1:
            raise AssertionError(f"unexpected row XML from python-docx: {text}")
        _row_frames[key] = pieces
    return _row_frames[key]


def _cell_runs_xml(value: CellText, bold: bool) -> str:
    runs = ((value, bold),) if isinstance(value, str) else value
    return "".join(run_xml(text, "<w:b/>" if strong else "") for text, strong in runs)


@functools.lru_cache(maxsize=8192)  # a named vote repeats each member's name and choice in every poll
def run_xml(text: str, properties: str = "") -> str:
    """<w:r> as python-docx's add_run(text) makes it, with `properties` (the <w:rPr>'s content):
    tabs become w:tab, line ends w:br, and a piece of text with spaces at either end keeps
    them (xml:space)."""
    content = []
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            content.append(f"<w:t{space}>{xml_escape(piece)}</w:t>")
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{''.join(content)}</w:r>"


def write_person(cell: _Cell, person: Person) -> None:
    """The person's line with the name in bold; the text is format_person()."""
    paragraph = cell.paragraphs[0]
    for text, bold in person_runs(person):
        styled_run(paragraph, text, bold=bold)


def person_runs(person: Person) -> list[tuple[str, bool]]:
    """(text, bold) of the person's line: the name in bold, then the rest of format_person()."""
    name = person.name or person.affiliation
    rest = format_person(person)[len(name):]
    return [(name, True), (rest, False)] if rest else [(name, True)]


def add_field(paragraph: Paragraph, instruction: str, *, size: float | None = None,
              color: RGBColor | None = None) -> None:
    """A real Word field (PAGE, NUMPAGES): begin, instruction, separate, result, end."""
    def char_run(kind: str) -> None:
        run = styled_run(paragraph, "", size=size, color=color)
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char_run("begin")
    run = styled_run(paragraph, "", size=size, color=color)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char_run("separate")
    styled_run(paragraph, "1", size=size, color=color)  # shown until the viewer updates the field
    char_run("end")


def border(paragraph: Paragraph, side: str, *, size: int = 6, color: str = "1F3A68") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # Word rejects a document whose pPr children are out of schema order.
        ppr.insert_element_before(borders, *PPR_AFTER_PBDR)
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"),
                       ("w:color", color)):
        line.set(qn(key), value)
    borders.append(line)


def no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "nil")
        borders.append(line)
    tbl_pr.insert_element_before(borders, *TBLPR_AFTER_BORDERS)


def add_named_votes(doc: DocxDocument, round_label: str, votes: Sequence[NamedVote], *,
                    single: bool = False) -> None:
    when = "" if single or round_label.lower() == "vote" else f", {round_label.lower()}"
    caption(doc, _("Named vote%(when)s: how each member voted (%(n)s)", when=when, n=len(votes)))
    with_voter = any(vote.cast_by for vote in votes)
    headings: tuple[str, ...]
    widths: tuple[int, ...]
    if with_voter:
        headings, widths = (_("Member"), _("Voted by"), _("Vote")), (Cm(6.0), TEXT_WIDTH - Cm(9.0), Cm(3.0))
    else:
        headings, widths = (_("Member"), _("Vote")), (Cm(9.0), Cm(4.0))
    table = new_table(doc, headings, widths)
    add_rows(table, ((vote.member, vote.cast_by, say(vote.choice)) if with_voter else (vote.member, say(vote.choice))
                     for vote in votes))
    spacer(doc)


def add_audit_head(doc: DocxDocument, record: Memorandum) -> None:
    """The audit trail's head at this build, under the signatures, in both editions: a copy of
    the document outside the database anchors the trail (`excom audit verify --head`)."""
    if record.audit_head is None:
        return
    head = record.audit_head
    paragraph = styled_paragraph(doc, _("Audit trail at this build: "), size=7.5, color=GREY)
    paragraph.paragraph_format.space_before = Pt(18)
    styled_run(paragraph, _("event %(seq)s, SHA-256 %(hash)s. ", seq=head.seq, hash=head.hash), size=7.5, color=GREY)
    styled_run(paragraph, _("Check: %(command)s", command=verify_command(head)), size=7.5, color=GREY)
