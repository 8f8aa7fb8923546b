"""Build the meeting memorandum (minutes) as a Word document.

`build_memorandum(record)` turns a `minutes.record.Memorandum` into DOCX
bytes with python-docx. The layout follows minutes as a secretariat signs and
sends them (Robert's Rules): title block, attendance, quorum, the previous
memorandum, the agenda as adopted, the proceedings item by item with every
motion and vote, the resolutions, and signature blocks.

Two editions:
- "full": everything in the record.
- "public": the open session only. The builder filters the record itself
  (`public_view`) before anything is laid out, so nothing from a closed
  session can reach the document even if the caller forgot to filter.

Word features are real ones, so the document behaves like one made by hand:
heading styles (the navigation pane shows the agenda), table styles, header
and footer on every page, and PAGE/NUMPAGES fields for "Page X of Y".
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from minutes import wording
from minutes.docx_parts import (
    FONT,
    GREY,
    MARGIN,
    NAVY,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PLAIN_STYLE,
    TEXT_WIDTH,
    CellText,
    add_audit_head,
    add_field,
    add_named_votes,
    add_row,
    add_rows,
    border,
    caption,
    label_line,
    new_table,
    no_borders,
    person_runs,
    spacer,
    styled_paragraph,
    styled_run,
    text_run,
    write_person,
)
from minutes.phrasing import (
    ATTENDANCE_GROUPS,
    EDITIONS,
    POLL_OUTCOMES,
    SPEAKER_KINDS,
    SPEAKER_MODES,
    Edition,
    annex_numbers,
    format_date,
    format_moment,
    format_person,
    format_size,
    format_span,
    format_time,
    item_heading,
    motion_outcome,
    public_view,
    quorum_sentence,
    share_of_cast,
    speaker_time,
    utc_offset,
    voting_method,
)
from minutes.record import (
    Amendment,
    Attendance,
    ItemRecord,
    Logo,
    Memorandum,
    MotionRecord,
    Person,
    PollRecord,
    SessionRecord,
    UnwritableText,
    unwritable_text,
)
from minutes.wording import Phrase, _, say

log = logging.getLogger(__name__)


DEFAULT_LOGO_PATH = Path(__file__).with_name("assets") / "default-logo.png"

DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)


# --- entry point -------------------------------------------------------------


def edition_key(edition: str, language: str = wording.DEFAULT) -> str:
    """How a built document is named among the editions: "full", "public" (English, as ever),
    "full_ru", "public_ru"; the audit event records each as `<key>_sha256`."""
    return edition if language == wording.DEFAULT else f"{edition}_{language}"


def build_editions(record: Memorandum, languages: Sequence[str] = wording.LANGUAGES,
                   template: bytes | None = None) -> dict[str, bytes]:
    """Every edition of the memorandum of `record` in every language, from this one record:
    {"full": DOCX, "public": DOCX, "full_ru": DOCX, "public_ru": DOCX} (edition_key). With
    `template` (the secretariat's own .docx, minutes.template) they are rendered through it.
    Raises UnwritableText naming each text that a document cannot hold."""
    _check_writable(record)  # once for all the editions: it reads every text of the record
    documents = {}
    for language in languages:
        shared = SharedBlocks()  # the full and the public edition of one language: see SharedBlocks
        for edition in EDITIONS:
            documents[edition_key(edition, language)] = _build_checked(record, edition, language, template, shared)
    return documents


def build_memorandum(record: Memorandum, *, edition: Edition = "full", language: str = wording.DEFAULT,
                     template: bytes | None = None) -> bytes:
    """Return the memorandum of `record` as DOCX bytes, in the given edition and language
    (every fixed text, date and number; minutes.wording). Raises UnwritableText naming each
    text that a document cannot hold (see minutes.record)."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")
    _check_writable(record)
    return _build_checked(record, edition, language, template)


def warm_up() -> None:
    """Read ahead what every build reads first (the child process waiting for a build does,
    governance.apart): the blank document, each language's catalogue, and babel's locale data
    for each (dates, numbers, the names of time zones), ~60 ms of a first build's CPU."""
    _blank()
    for language in wording.LANGUAGES:
        with wording.speaking(language):
            _("Date")
            _city_of("Europe/London")
            wording.date(datetime(2024, 9, 20, tzinfo=UTC), UTC)
            wording.number(1.5, 1)


def _check_writable(record: Memorandum) -> None:
    problems = unwritable_text(record)
    if problems:
        raise UnwritableText(problems)


def _build_checked(record: Memorandum, edition: Edition, language: str, template: bytes | None,
                   shared: SharedBlocks | None = None) -> bytes:
    """build_memorandum, once the record is known to hold only writable text; with `shared`,
    the blocks another edition of this language made from the same parts of `record` are taken
    from it (SharedBlocks)."""
    shown = public_view(record) if edition == "public" else record
    with wording.speaking(language):
        if template is not None:
            from minutes.template import render_template  # docxtpl: only for a secretariat's template
            return render_template(template, shown, edition)
        return _build_layout(shown, edition, shared)


class SharedBlocks:
    """The body's blocks one edition made from a part of the record, for the next edition in
    the same language, which shows the same part: the full and the public edition share every
    item of the open session and, most often, the attendance (a memorandum of 200 members and 20
    named votes: 4,000 rows of roll-calls and 200 of attendance). The second edition takes the
    first one's copy instead of building it again, half the CPU of those tables.

    A part is known by the record's own objects (`id()`: public_view keeps the items and the
    attendance it shows, and the record lives for the whole build) and by whatever else its
    blocks say (the annex numbers of an item's documents, which the public edition counts over
    what it shows). Each copy is handed out once: a third edition would build the part again.
    A copy, not the first document's own blocks moved once it is saved: moving them out of that
    big tree into the next took lxml 3.4 billion instructions for this scene (valgrind), more
    than the whole rest of the build; copying them, 0.1 billion."""

    def __init__(self) -> None:
        self._blocks: dict[tuple, list] = {}

    def add(self, doc: _AppendingDocument, key: tuple, build: Callable[[], object]) -> None:
        """Append the blocks of the part known by `key`: those kept for it, or `build()`'s (which
        appends them to `doc`), a copy of which is then kept."""
        kept = self._blocks.pop(key, None)
        if kept is not None:
            for block in kept:
                doc._append(block)
            return
        body = doc.element.body
        after = 0 if doc._end is None else 1  # the section properties stay last (_AppendingDocument)
        start = len(body) - after
        build()
        self._blocks[key] = [copy.deepcopy(block) for block in body[start:len(body) - after]]


def preview(data: bytes | None, record: Memorandum, edition: str, language: str) -> bytes:
    """The memorandum of `record` as it would be built now, through the secretariat's template
    `data` (or the built-in layout when None); `edition` "public" or anything else for "full"."""
    return build_memorandum(record, edition="public" if edition == "public" else "full", language=language,
                            template=data)


def _build_layout(shown: Memorandum, edition: Edition, shared: SharedBlocks | None = None) -> bytes:
    """The built-in layout, in the current language; `shared`: see SharedBlocks."""
    tz = ZoneInfo(shown.timezone)

    doc = _new_document()
    _set_core_properties(doc, shown, edition)
    _add_header(doc, shown)
    _add_footer(doc, shown, edition)
    _add_title_block(doc, shown, tz, edition)
    _add_shared(doc, shared, ("attendance", id(shown.attendance)), lambda: _add_attendance(doc, shown.attendance))
    _add_quorum(doc, shown)
    _add_previous_minutes(doc, shown)
    _add_agenda(doc, shown.sessions, tz)
    annexes = annex_numbers(shown)
    for session in shown.sessions:
        _add_session(doc, session, tz, annexes, shared)
    _add_resolutions(doc, shown)
    if edition == "public":
        _add_published_decisions(doc, shown)
    _add_annexes(doc, shown, annexes)
    _add_signatures(doc, shown)
    add_audit_head(doc, shown)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- wording -----------------------------------------------------------------


def _city_of(tz_name: str) -> str:
    """The zone's city in the build's language (CLDR: "Almaty", "Алматы"), else its name's last part."""
    if wording.current() != wording.DEFAULT:
        try:
            from babel.dates import get_timezone_location
            return get_timezone_location(tz_name, locale=wording.current(), return_city=True)
        except (LookupError, ValueError):
            pass
    return tz_name.rsplit("/", 1)[-1].replace("_", " ")


# --- document, styles, properties --------------------------------------------


class _AppendingDocument(DocxDocument):
    """The document, with paragraphs, headings and tables appended in constant time.

    python-docx puts each new block before the body's closing `w:sectPr`, which it finds by
    scanning every child of the body: each append costs the length of the document so far,
    and a note of 100,000 characters (33,334 paragraphs) took 20 s to build. Here `w:sectPr`
    is found once and each block goes straight before it (lxml's addprevious), as the table
    rows are added (see docx_parts.add_row). Cells, headers and footers keep python-docx's own methods.
    """

    def __init__(self, document: DocxDocument, style_ids: dict[tuple, str | None] | None = None):
        super().__init__(document.element, document.part)
        self._end = document.element.body.sectPr
        self._width: Length | None = None  # the text width: python-docx's _block_width searches the whole body
        # python-docx looks a style's name up in the 360 kB of styles each time (~1 ms): each id
        # once, and once for every copy of the same blank when it hands its own dict over
        self._style_ids: dict[tuple, str | None] = {} if style_ids is None else style_ids
        self.new_tables: dict[tuple, CT_Tbl] = {}  # new_table's, before their first row: copied when alike

    def _append(self, block):
        if self._end is None:
            self.element.body.append(block)
        else:
            self._end.addprevious(block)
        return block

    def add_paragraph(self, text: str = "", style=None) -> Paragraph:
        paragraph = Paragraph(self._append(OxmlElement("w:p")), self._body)
        if text:
            text_run(paragraph, text)
        if style is not None:
            paragraph._p.style = self._style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        return paragraph

    def add_heading(self, text: str = "", level: int = 1) -> Paragraph:
        return self.add_paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def add_table(self, rows: int, cols: int, style=None) -> Table:
        if self._width is None:
            self._width = self._block_width
        table = Table(self._append(CT_Tbl.new_tbl(rows, cols, self._width)), self._body)
        table._tbl.tblStyle_val = self._style_id(style, WD_STYLE_TYPE.TABLE)
        return table

    def _style_id(self, style, kind) -> str | None:
        if (style, kind) not in self._style_ids:
            self._style_ids[(style, kind)] = self.part.get_style_id(style, kind)
        return self._style_ids[(style, kind)]


def _new_document() -> _AppendingDocument:
    """A copy of the blank memorandum: python-docx's template on A4 with the memorandum's styles.
    Copying it takes a quarter of the time of reading the template and restyling it, which each
    of a build's four documents did (~15 ms each)."""
    with _blank_lock:  # lxml's copy of a tree that another thread copies too: one at a time
        return _AppendingDocument(copy.deepcopy(_blank()), _blank_style_ids)


_blank_lock = threading.Lock()
_blank_style_ids: dict[tuple, str | None] = {}  # (style name, kind): its id in the blank, which no build changes


@functools.cache
def _blank() -> DocxDocument:
    """Made once per process and never changed (only copied): nothing in it may hold a part of
    its XML apart from the part's own root, or a copy would hold a piece cut off from the copy's
    tree (python-docx's Document makes its body's proxy when asked, which a blank never is)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    _restyle(doc)
    return doc


def _restyle(doc: DocxDocument) -> None:
    """Sober fonts and sizes; the template's theme fonts would not survive PDF."""
    for style in doc.styles:
        if style.type != WD_STYLE_TYPE.LIST:
            _force_font(style.element)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    sizes = {"Title": 20, "Subtitle": 12, "Heading 1": 14, "Heading 2": 11.5, "Heading 3": 10.5}
    for name, size in sizes.items():
        font = doc.styles[name].font
        font.size, font.color.rgb = Pt(size), NAVY
    doc.styles["Subtitle"].font.italic = False
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(18)
    doc.styles["Heading 2"].paragraph_format.space_before = Pt(12)
    doc.styles["Heading 3"].paragraph_format.space_before = Pt(8)
    doc.styles["Quote"].font.color.rgb = GREY


def _force_font(style_element) -> None:
    """Set FONT on a style, dropping theme-font references that would win over it."""
    fonts = style_element.get_or_add_rPr().get_or_add_rFonts()
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _set_core_properties(doc: DocxDocument, record: Memorandum, edition: Edition) -> None:
    props = doc.core_properties
    suffix = _(" (public edition)") if edition == "public" else ""
    props.title = _("Memorandum – %(title)s", title=record.meeting_title) + suffix
    props.subject = record.organisation_name
    props.author = props.last_modified_by = record.generated_by
    # python-docx writes the value with a "Z" as given: hand it naive UTC.
    stamp = record.generated_at.astimezone(UTC).replace(tzinfo=None)
    props.created = props.modified = stamp
    props.revision = record.version
    props.category = _("Memorandum")
    props.keywords = ""
    # stamp_approved changes the status word in place: it is said as the header's mark is
    props.comments = _("Version %(n)s, %(status)s", n=record.version, status=_(record.status))
    props.language = wording.current()


# --- small layout helpers ----------------------------------------------------


def _notes(doc: _AppendingDocument, text: str) -> None:
    """Paragraphs separated by blank lines; single newlines stay line breaks; tabs stay tabs.

    A note may hold 100,000 characters, as tens of thousands of paragraphs: they are written
    as one piece of WordprocessingML, parsed once by lxml and appended (python-docx's own
    paragraph-and-run calls cost ~0.1 ms each, seconds for such a note)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        lines = [line.strip() for line in block.strip().split("\n")]
        runs = [f"<w:r>{_run_text_xml(line)}{'<w:br/>' if index < len(lines) - 1 else ''}</w:r>"
                for index, line in enumerate(lines)]
        paragraphs.append(f"<w:p>{''.join(runs)}</w:p>")
    if paragraphs:
        for paragraph in parse_xml(f"<w:body {nsdecls('w')}>{''.join(paragraphs)}</w:body>"):
            doc._append(paragraph)


def _run_text_xml(text: str) -> str:
    """A run's content as python-docx's run.text would write it: text, and w:tab for a tab."""
    pieces = [f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t>' if piece else ""
              for piece in text.split("\t")]
    return "<w:tab/>".join(pieces)


# --- header and footer -------------------------------------------------------


def _add_header(doc: DocxDocument, record: Memorandum) -> None:
    """Logo, organisation name and (for drafts) DRAFT, above a rule, on every page."""
    header = doc.sections[0].header
    widths = (Cm(1.6), TEXT_WIDTH - Cm(4.6), Cm(3.0))
    table = header.add_table(rows=1, cols=3, width=TEXT_WIDTH)
    table.autofit = False
    no_borders(table)
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths):
        column.width = cell.width = Emu(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    logo_cell, name_cell, status_cell = table.rows[0].cells
    if record.logo is not None:
        run = logo_cell.paragraphs[0].add_run()
        try:
            run.add_picture(io.BytesIO(_logo_picture(record.logo)), height=Cm(1.2))
        except Exception:  # python-docx reading the image: never a reason to fail the build
            log.warning("the logo could not be placed; the default logo stands in", exc_info=True)
            run.add_picture(str(DEFAULT_LOGO_PATH), height=Cm(1.2))
    styled_run(name_cell.paragraphs[0], record.organisation_name, bold=True, size=10.5, color=NAVY)
    styled_run(name_cell.add_paragraph(), record.meeting_title, size=8.5, color=GREY)
    if record.status == "draft":
        status = status_cell.paragraphs[0]
        status.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        styled_run(status, _("DRAFT"), bold=True, size=16, color=DRAFT_RED)
    # The header's own first paragraph becomes the rule under the table.
    rule = header.paragraphs[0]
    table._tbl.addnext(rule._p)
    rule.paragraph_format.space_after = Pt(0)
    border(rule, "bottom")


def _logo_picture(logo: Logo) -> bytes:
    """The logo's bytes if they decode in full as a PNG or JPEG (Pillow); an SVG drawn into a
    PNG; the default logo otherwise. Uploads are checked, but a logo stored before they were
    (a PNG cut after its header once made every build fail) must not stop the memorandum."""
    from motions.images import (  # Pillow and cairo: only when a build runs
        draw_svg,
        picture_kind,
    )

    if logo.mime == "image/svg+xml":
        try:
            return draw_svg(logo.data)
        except Exception:  # noqa: BLE001 (a refusal of the drawing: the default stands in)
            log.warning("the SVG logo could not be drawn; the default logo stands in")
    elif picture_kind(logo.data) == logo.mime:
        return logo.data
    else:
        log.warning("the logo does not decode as %s; the default logo stands in", logo.mime)
    return DEFAULT_LOGO_PATH.read_bytes()


def _add_footer(doc: DocxDocument, record: Memorandum, edition: Edition) -> None:
    """Which document this is on the left, "Page X of Y" (live fields) on the right."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    # The template's Footer style has tab stops for US Letter; use Normal and
    # one right tab at the margin so "Page X of Y" sits flush right on A4.
    paragraph.style = doc.styles["Normal"]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    border(paragraph, "top", size=4, color="A6A6A6")
    edition_note = _(" · public edition") if edition == "public" else ""
    styled_run(paragraph, _("Memorandum, version %(n)s", n=record.version) + f"{edition_note}\t", size=8, color=GREY)
    styled_run(paragraph, _("Page "), size=8, color=GREY)
    add_field(paragraph, "PAGE", size=8, color=GREY)
    styled_run(paragraph, _(" of "), size=8, color=GREY)
    add_field(paragraph, "NUMPAGES", size=8, color=GREY)


# --- title block -------------------------------------------------------------


def _add_title_block(doc: DocxDocument, record: Memorandum, tz: ZoneInfo, edition: Edition) -> None:
    styled_paragraph(doc, say(record.meeting_kind).upper(), bold=True, size=9, color=GREY)
    doc.add_paragraph(record.meeting_title, style="Title")
    subtitle = _("Memorandum of the meeting")
    if edition == "public":
        subtitle += _(" – public edition")
    doc.add_paragraph(subtitle, style="Subtitle")

    table = new_table(doc, ("", ""), (Cm(4.2), TEXT_WIDTH - Cm(4.2)), style=None)
    table._tbl.remove(table.rows[0]._tr)  # a fact sheet needs no column headings
    no_borders(table)
    for label, value in _title_facts(record, tz, edition):
        row = add_row(table, (label, value))
        row.cells[0].paragraphs[0].runs[0].bold = True
        row.cells[0].paragraphs[0].runs[0].font.color.rgb = NAVY
    styled_paragraph(doc)
    _add_opening_sentence(doc, record, tz)


def _title_facts(record: Memorandum, tz: ZoneInfo, edition: Edition) -> list[tuple[str, str]]:
    status = _("draft, not yet approved") if record.status == "draft" else _("approved")
    facts = [
        (_("Date"), format_date(record.opened_at, tz)),
        (_("Venue"), record.venue),
        (_("Called to order"), format_moment(record.opened_at, tz)),
        (_("Adjourned"), format_moment(record.adjourned_at, tz) if record.adjourned_at else "–"),
        (_("Chair"), format_person(record.chair) if record.chair else "–"),
        (_("Secretary"), format_person(record.secretary) if record.secretary else "–"),
        (_("Version"), f"{record.version} ({status})"),
    ]
    if edition == "public":
        facts.append((_("Edition"), _("Public edition: the open session only. "
                                      "Closed-session business is not included.")))
    facts.append((_("Prepared"), _("%(moment)s by %(author)s", moment=format_moment(record.generated_at, tz),
                                   author=say(record.generated_by))))
    return facts


def _add_opening_sentence(doc: DocxDocument, record: Memorandum, tz: ZoneInfo) -> None:
    """The classic first paragraph of minutes: who, when, where, who presided."""
    if isinstance(record.meeting_kind, Phrase) and record.meeting_kind.msgid == "Executive Committee meeting":
        # its own sentence: Russian names the kind of meeting as the subject, not in brackets
        text = _("The Executive Committee meeting of the %(organisation)s was held on %(date)s at %(venue)s.",
                 organisation=record.organisation_name, date=format_date(record.opened_at, tz), venue=record.venue)
        _finish_opening_sentence(doc, record, tz, text)
        return
    kind = say(record.meeting_kind)
    words = kind.split()
    # "Regular meeting of ..." reads "the regular meeting"; "Executive Committee meeting" keeps its capitals
    if len(words) < 2 or words[1][:1].islower():
        kind = kind[:1].lower() + kind[1:]
    text = _("The %(kind)s of the %(organisation)s was held on %(date)s at %(venue)s.", kind=kind,
             organisation=record.organisation_name, date=format_date(record.opened_at, tz), venue=record.venue)
    _finish_opening_sentence(doc, record, tz, text)


def _finish_opening_sentence(doc: DocxDocument, record: Memorandum, tz: ZoneInfo, text: str) -> None:
    if record.chair:
        text += _(" The Chair, %(name)s, called the meeting to order at %(time)s", name=record.chair.name,
                  time=format_time(record.opened_at, tz))
        text += _("; the Secretary, %(name)s, was present.", name=record.secretary.name) if record.secretary \
            else "."
    text += _(" All times are local time in %(city)s (%(offset)s).", city=_city_of(record.timezone),
              offset=utc_offset(record.opened_at, tz))
    doc.add_paragraph(text)


# --- attendance and quorum ---------------------------------------------------


def _add_attendance(doc: DocxDocument, attendance: Attendance) -> None:
    doc.add_heading(_("Attendance"), level=1)
    groups = [(name, say(label), short, getattr(attendance, name)) for name, label, short in ATTENDANCE_GROUPS]
    members = groups[:4]
    summary = ", ".join(f"{len(people)} {say(short)}" for _name, _label, short, people in members)
    total = sum(len(people) for *_rest, people in members)
    doc.add_paragraph(_("EXCOM members: %(total)s (%(summary)s).", total=total, summary=summary))
    for name, label, _short, people in groups:
        if name == "guests" and not people:
            continue  # an optional group: most meetings have none
        _add_people_table(doc, label, people)


def _add_people_table(doc: DocxDocument, label: str, people: Sequence[Person]) -> None:
    caption(doc, f"{label} ({len(people)})")
    if not people:
        styled_paragraph(doc, _("None."), italic=True, color=GREY)
        return
    table = new_table(doc, (_("No."), _("Name (affiliation), title")), (Cm(1.2), TEXT_WIDTH - Cm(1.2)))
    # the empty run first: the cell's first run was once written empty, and the document stays the same
    add_rows(table, ((str(number), (("", False), *person_runs(person)))
                     for number, person in enumerate(people, start=1)))
    spacer(doc)


def _iter_polls(sessions: Iterable[SessionRecord]) -> Iterable[tuple[ItemRecord, MotionRecord, PollRecord]]:
    for session in sessions:
        for item in session.items:
            for motion in item.motions:
                for poll in motion.polls:
                    yield item, motion, poll


def _add_quorum(doc: DocxDocument, record: Memorandum) -> None:
    """One table: the quorum at the opening, then at every vote shown."""
    rows = []
    if record.quorum_at_opening:
        rows.append((_("Opening of the meeting"), record.quorum_at_opening))
    for item, motion, poll in _iter_polls(record.sessions):
        if poll.quorum:
            what = item.number or item.title
            if len(item.motions) > 1:  # several motions under one item: say which
                what += f", {motion.title}"
            rows.append((f"{what}, {say(poll.round_label)}", poll.quorum))
    if not rows:
        return
    doc.add_heading(_("Quorum"), level=1)
    widths = (TEXT_WIDTH - Cm(11.0), Cm(3.2), Cm(2.4), Cm(2.6), Cm(2.8))
    table = new_table(doc, (_("When"), _("Voting members"), _("Present"), _("Required"), _("Quorate")), widths,
                      style=PLAIN_STYLE, right_from=1)
    for when, quorum in rows:
        add_row(table, (when, str(quorum.voting_members), str(quorum.present),
                        str(quorum.required), _("yes") if quorum.quorate else _("NO")), right_from=1)
    spacer(doc)


def _add_previous_minutes(doc: DocxDocument, record: Memorandum) -> None:
    if record.previous_minutes is None:
        return
    doc.add_heading(_("Memorandum of the previous meeting"), level=1)
    doc.add_paragraph(say(record.previous_minutes.action))


# --- agenda ------------------------------------------------------------------


def _session_line(session: SessionRecord, tz: ZoneInfo) -> str:
    kind = _("Open session") if session.kind == "open" else _("Closed session")
    return f"{kind} · {format_span(session.starts_at, session.ends_at, tz)} · {session.venue}"


def _add_agenda(doc: DocxDocument, sessions: Sequence[SessionRecord], tz: ZoneInfo) -> None:
    """The agenda as adopted, numbered per session (numbers typed, not list fields,
    so that each session restarts at 1 in every word processor)."""
    doc.add_heading(_("Agenda as adopted"), level=1)
    for session in sessions:
        caption(doc, session.title)
        line = styled_paragraph(doc, _session_line(session, tz), italic=True, size=9, color=GREY)
        line.paragraph_format.keep_with_next = True
        for number, item in enumerate(session.items, start=1):
            paragraph = doc.add_paragraph(f"{number}.\t{item_heading(item)}")
            fmt = paragraph.paragraph_format
            fmt.left_indent, fmt.first_line_indent = Cm(1.0), Cm(-1.0)
            fmt.tab_stops.add_tab_stop(Cm(1.0))
            fmt.space_after = Pt(2)


# --- proceedings -------------------------------------------------------------


def _add_shared(doc: _AppendingDocument, shared: SharedBlocks | None, key: tuple,
                build: Callable[[], object]) -> None:
    if shared is None:
        build()
    else:
        shared.add(doc, key, build)


def _add_session(doc: _AppendingDocument, session: SessionRecord, tz: ZoneInfo,
                 annexes: dict[int, int] | None = None, shared: SharedBlocks | None = None) -> None:
    doc.add_heading(session.title, level=1)
    line = styled_paragraph(doc, _session_line(session, tz), italic=True, color=GREY)
    line.paragraph_format.keep_with_next = True
    numbers = annexes or {}
    for item in session.items:
        key = ("item", id(item), tuple(numbers.get(id(document)) for document in item.documents))
        _add_shared(doc, shared, key, functools.partial(_add_item, doc, item, tz, numbers))


def _add_item(doc: _AppendingDocument, item: ItemRecord, tz: ZoneInfo, annexes: dict[int, int] | None = None) -> None:
    doc.add_heading(item_heading(item), level=2)
    if item.closed:
        styled_paragraph(doc, _("Taken in closed session."), italic=True, color=GREY)
    if item.notes:
        _notes(doc, item.notes)
    _add_item_documents(doc, item, annexes or {})
    _add_item_speakers(doc, item, tz)
    for motion in item.motions:
        _add_motion(doc, motion, tz)


def _add_motion(doc: DocxDocument, motion: MotionRecord, tz: ZoneInfo) -> None:
    doc.add_heading(_("Motion: %(title)s", title=motion.title), level=3)
    quote = doc.add_paragraph(style="Quote")
    quote.paragraph_format.keep_with_next = True
    styled_run(quote, f"“{motion.text}”")
    facts = [(_("Kind"), say(motion.kind)), (_("Majority required"), say(motion.majority)),
             (_("Voting"), voting_method(motion))]
    if motion.seconded_by:
        facts.insert(0, (_("Seconded by"), format_person(motion.seconded_by)))
    if motion.moved_by:
        facts.insert(0, (_("Moved by"), format_person(motion.moved_by)))
    for label, value in facts:
        label_line(doc, label, value, keep_with_next=True)
    if motion.amendment is not None:
        _add_amendment(doc, motion.amendment)
    for poll in motion.polls:
        _add_poll(doc, poll, secret=motion.secret, tz=tz)
    if motion.assessment is not None:
        from minutes.assessment_docx import add_assessment  # the table of an assessment's scores
        add_assessment(doc, motion.assessment, secret=motion.secret, tz=tz)
    _add_motion_outcome(doc, motion)


DELETED_RED = RGBColor(0xA0, 0x10, 0x10)
INSERTED_BLUE = RGBColor(0x10, 0x40, 0xA0)


def _add_amendment(doc: DocxDocument, amendment: Amendment) -> None:
    """The current and the proposed text, then the proposed text with the changes marked as a
    reader of minutes expects them: deleted words struck through, inserted words underlined."""
    for label, text in ((_("Current text"), amendment.current), (_("Proposed text"), amendment.proposed)):
        label_line(doc, label, "", keep_with_next=True)
        quote = doc.add_paragraph(style="Quote")
        quote.paragraph_format.keep_with_next = True
        styled_run(quote, f"“{text}”")
    label_line(doc, _("Changes"), _("struck through: deleted; underlined: inserted"), keep_with_next=True)
    marked = doc.add_paragraph(style="Quote")
    for op, text in amendment.changes:
        run = styled_run(marked, text)
        if op == "delete":
            run.font.strike = True
            run.font.color.rgb = DELETED_RED
        elif op == "insert":
            run.font.underline = True
            run.font.color.rgb = INSERTED_BLUE


def _add_poll(doc: DocxDocument, poll: PollRecord, *, secret: bool, tz: ZoneInfo) -> None:
    heading = say(poll.round_label)
    if poll.taken_at:
        heading += _(" (vote taken at %(time)s)", time=format_time(poll.taken_at, tz))
    caption(doc, heading)
    _add_counts_table(doc, poll)
    doc.add_paragraph(say(poll.threshold_text))
    if poll.quorum:
        label_line(doc, _("Quorum at this vote"), quorum_sentence(poll.quorum))
    result = say(POLL_OUTCOMES[poll.outcome])
    if poll.outcome == "elected" and poll.elected:
        result = _("%(name)s elected", name=poll.elected)
    label_line(doc, _("Result"), result + ".")
    if poll.note:
        styled_paragraph(doc, say(poll.note), italic=True)
    # A secret ballot never prints individual votes, whatever the record holds.
    if poll.votes and not secret:
        add_named_votes(doc, say(poll.round_label), poll.votes, single=poll.round_label == "Vote")


def _add_counts_table(doc: DocxDocument, poll: PollRecord) -> None:
    """The counts in the words every screen uses: the choices, then votes cast (yes and no, or
    the votes for candidates), abstentions, exhausted ballots (instant runoff), and ballots,
    which is all of them; then the members eligible."""
    widths = (Cm(7.0), Cm(2.4), Cm(4.2))
    table = new_table(doc, (_("Choice"), _("Votes"), _("Share of votes cast")), widths, right_from=1)
    rows: list[Sequence[CellText]] = [(say(count.choice), str(count.votes), share_of_cast(count.votes, poll.cast))
                                      for count in poll.counts]
    rows.append([((text, True),) for text in (_("Votes cast"), str(poll.cast), "")])  # in bold
    rows.append((_("Abstentions"), str(poll.abstentions), ""))
    if poll.exhausted is not None:
        rows.append((_("Exhausted ballots"), str(poll.exhausted), ""))
    ballots = poll.ballots if poll.ballots is not None else poll.cast + poll.abstentions + (poll.exhausted or 0)
    rows.append((_("Ballots"), str(ballots), ""))
    rows.append((_("Members eligible to vote"), str(poll.eligible), ""))
    add_rows(table, rows, right_from=1)  # one parse for the table's rows
    spacer(doc)


def _add_motion_outcome(doc: DocxDocument, motion: MotionRecord) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(4)
    styled_run(paragraph, _("Outcome: "), bold=True)
    styled_run(paragraph, motion_outcome(motion), bold=True)
    if not motion.polls and motion.outcome in ("adopted", "rejected"):
        styled_run(paragraph, _(" No formal vote was taken."))
    if motion.resolution_number:
        styled_run(paragraph, _(" Resolution %(number)s.", number=motion.resolution_number), bold=True, color=NAVY)
    if motion.note:
        styled_paragraph(doc, say(motion.note), italic=True)


# --- documents (annexes) and the speakers' list --------------------------------


def _add_item_documents(doc: DocxDocument, item: ItemRecord, annexes: dict[int, int]) -> None:
    if not item.documents:
        return
    paragraph = doc.add_paragraph()
    styled_run(paragraph, _("Documents: "), bold=True)
    styled_run(paragraph, "; ".join(_("Annex %(n)s – %(title)s", n=annexes.get(id(d), "?"), title=d.title)
                                    for d in item.documents) + ".")


def _add_item_speakers(doc: DocxDocument, item: ItemRecord, tz: ZoneInfo) -> None:
    """Who took the floor, in order, and the questions asked in writing."""
    spoke = [s for s in item.speakers if s.started_at is not None]
    asked = [s for s in item.speakers if s.kind == "question" and s.text]
    if spoke:
        caption(doc, _("Speakers (%(n)s)", n=len(spoke)))
        table = new_table(doc, (_("No."), _("Speaker"), _("How"), _("Time")),
                          (Cm(1.2), TEXT_WIDTH - Cm(9.4), Cm(4.0), Cm(4.2)))
        for number, speaker in enumerate(spoke, start=1):
            how = ", ".join(say(part) for part in (SPEAKER_KINDS.get(speaker.kind, speaker.kind),
                                                  SPEAKER_MODES.get(speaker.mode, speaker.mode)) if part)
            row = add_row(table, (str(number), "", how, speaker_time(speaker, tz)))
            write_person(row.cells[1], speaker.person)
        spacer(doc)
    if asked:
        caption(doc, _("Questions asked in writing (%(n)s)", n=len(asked)))
        for question in asked:
            paragraph = doc.add_paragraph(style="List Bullet")
            styled_run(paragraph, format_person(question.person), bold=True)
            styled_run(paragraph, f": “{question.text}”")
            styled_run(paragraph, _(" (answered)") if question.answered else _(" (not answered at the meeting)"),
                       italic=True, color=GREY)


def _add_annexes(doc: DocxDocument, record: Memorandum, annexes: dict[int, int]) -> None:
    """Every document of the items shown, with the SHA-256 that identifies its bytes."""
    listed = [(item, document) for session in record.sessions for item in session.items
              for document in item.documents]
    if not listed:
        return
    doc.add_heading(_("Annexes"), level=1)
    doc.add_paragraph(_("The documents laid before the meeting. Each is identified by the SHA-256 digest of "
                        "its file: a copy whose digest differs is not the document the meeting had."))
    table = new_table(doc, (_("Annex"), _("Document"), "SHA-256"), (Cm(1.6), TEXT_WIDTH - Cm(11.2), Cm(9.6)),
                      style=PLAIN_STYLE)
    for item, document in listed:
        row = add_row(table, (str(annexes.get(id(document), "")), "", ""))
        cell = row.cells[1].paragraphs[0]
        styled_run(cell, document.title, bold=True)
        details = row.cells[1].add_paragraph()
        styled_run(details, f"{document.filename}, {format_size(document.size)}; {item_heading(item)}", size=8,
                   color=GREY)
        styled_run(row.cells[2].paragraphs[0], document.sha256, size=7.5).font.name = "Courier New"
    spacer(doc)


# --- resolutions and signatures ----------------------------------------------


def _add_resolutions(doc: DocxDocument, record: Memorandum) -> None:
    doc.add_heading(_("Resolutions"), level=1)
    if record.resolutions:
        table = new_table(doc, (_("Number"), _("Resolution")), (Cm(3.4), TEXT_WIDTH - Cm(3.4)),
                          style=PLAIN_STYLE)
        for resolution in record.resolutions:
            row = add_row(table, (resolution.number, ""))
            row.cells[0].paragraphs[0].runs[0].bold = True
            styled_run(row.cells[1].paragraphs[0], resolution.title, bold=True)
            row.cells[1].add_paragraph(say(resolution.text))
        spacer(doc)
    else:
        styled_paragraph(doc, _("No resolutions were adopted."), italic=True)
    if record.next_host:
        meeting = record.next_host.meeting or _("the next meeting")
        label_line(doc, _("Host city of %(meeting)s", meeting=meeting), record.next_host.city)


def _add_signatures(doc: DocxDocument, record: Memorandum) -> None:
    """Chair and Secretary General sign side by side; blank names stay fillable.

    One table row per line of the block (role, signature, name, title, date),
    so the two blocks stay aligned however long either title is.
    """
    heading = doc.add_heading(_("Signatures"), level=1)
    heading.paragraph_format.keep_with_next = True
    intro = doc.add_paragraph(_("Certified as a correct record of the meeting."))
    intro.paragraph_format.keep_with_next = True
    signers = ((_("Chair"), record.chair), (_("Secretary General"), record.secretary_general))
    table = new_table(doc, [role.upper() for role, _ in signers], (TEXT_WIDTH // 2,) * 2, style=None)
    no_borders(table)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].runs[0].font.color.rgb = NAVY
    lines = _signature_lines([person for _role, person in signers])
    for index, (values, bold, space_before) in enumerate(lines):
        row = add_row(table, values, bold=bold)
        for cell in row.cells:
            fmt = cell.paragraphs[0].paragraph_format
            fmt.space_before = Pt(space_before)
            fmt.keep_with_next = index < len(lines) - 1  # the block never splits over pages
    for cell in table.rows[0].cells:
        cell.paragraphs[0].paragraph_format.keep_with_next = True


def _signature_lines(people: Sequence[Person | None]) -> list[tuple[list[str], bool, float]]:
    """(texts per signer, bold, space before in points) for each line of the blocks."""
    return [
        (["_" * 34 for _p in people], False, 36),  # room above the line for the signature
        ([p.name if p else _("Name: ") + "_" * 26 for p in people], True, 2),
        ([p.title if p else "" for p in people], False, 0),
        ([_("Date: ") + "_" * 20 for _p in people], False, 12),
    ]


def _add_published_decisions(doc: DocxDocument, record: Memorandum) -> None:
    """The public edition: each closed-session decision the secretariat has published, by its
    number, the motion as worded and its outcome (governance.publication); nothing else of
    the closed session."""
    if not record.published_decisions:
        return
    doc.add_heading("Decisions of the closed session", level=1)
    table = new_table(doc, ("Number", "Motion", "Outcome"), (Cm(3.4), TEXT_WIDTH - Cm(6.4), Cm(3.0)),
                      style=PLAIN_STYLE)
    for decision in record.published_decisions:
        outcome = f"{decision.outcome}: {decision.winner}" if decision.winner else decision.outcome
        add_row(table, (decision.number or "—", decision.title, outcome))
    spacer(doc)


# --- approval ----------------------------------------------------------------


APPROVED_GREEN = RGBColor(0x1E, 0x6B, 0x34)


def stamp_approved(data: bytes, wording_text: str, language: str = wording.DEFAULT) -> bytes:
    """The same document with its draft marks turned into the approval (`wording_text`, already
    in `language`: the language the document was built in).

    Only the header's DRAFT mark, the "Version" line of the title block and the
    document properties change; every other word stays as circulated, so what was
    approved is what the members read. A secretariat's own template has no such marks unless it
    printed them from its variables: its properties change."""
    with wording.speaking(language):
        draft_mark, approved_mark, version_label = _("DRAFT"), _("APPROVED"), _("Version")
        draft_word, approved_word = _("draft"), _("approved")
    doc = Document(io.BytesIO(data))
    for section in doc.sections:
        for table in section.header.tables:
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            if run.text == draft_mark:
                                run.text = approved_mark
                                run.font.size = Pt(12)
                                run.font.color.rgb = APPROVED_GREEN
    for table in doc.tables[:1]:  # the title block's fact sheet
        for row in table.rows:
            cells = row.cells
            if len(cells) == 2 and cells[0].text == version_label and draft_word in cells[1].text:
                runs = cells[1].paragraphs[0].runs
                number = cells[1].text.split(" ", 1)[0]
                runs[0].text = f"{number} ({wording_text})"
                for extra in runs[1:]:
                    extra.text = ""
    doc.core_properties.comments = doc.core_properties.comments.replace(draft_word, approved_word)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
