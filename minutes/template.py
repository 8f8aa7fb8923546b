"""The secretariat's own Word template for the memorandum (docxtpl), rendered in a sandbox.

A secretariat signs minutes on its own letterhead: it uploads a .docx holding Jinja tags
(docxtpl: `{{ meeting_title }}`, `{%tr for person in group.people %}` …), and every memorandum is
rendered through it instead of the built-in layout (minutes.builder), in each edition and language.

What a template can do is bounded, because whoever uploads it is not whoever runs the server:
- it is decoded first (`check_package`): a real DOCX (governance.files), a bounded ZIP (parts,
  unpacked size, ratio), every XML part parsed by defusedxml (no DTD, no entity), so that a zip
  bomb or an entity bomb is a 422, not a hung or dead process;
- it renders in `MemorandumSandbox`, a Jinja SandboxedEnvironment that allows no attribute of any
  object (only the keys of the documented dictionaries, and `loop`'s counters), no globals
  (`range`, `lipsum`, …), only filters that cannot blow up (no `center(10**9)`), no `*`, `**` or `%`
  on text, and a budget of loop steps; undefined names fail (StrictUndefined);
- the values are plain dicts, lists, strings, numbers: the record already said in the build's
  language (minutes.wording), the public edition already without the closed session.
- the audit trail's head is printed even if the template leaves it out (the anchor,
  docs/security.md).

The variables (also in the OpenAPI description of PUT /organisation/memorandum-template) are
VARIABLES below; `sample_context` fills every one of them and every loop at least once, so a
template that fails on any of them is refused at upload (`check_template`).
"""
from __future__ import annotations

import io
import zipfile
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import StrictUndefined, TemplateError
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from minutes import phrasing, wording
from minutes.record import Memorandum, Person, Quorum
from minutes.wording import _, say

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_PARTS = 1000
MAX_UNPACKED = 40 * 1024 * 1024
MAX_PART = 10 * 1024 * 1024
MAX_RATIO = 200  # an XML part compresses well; a bomb compresses a thousandfold
MAX_LOOP_STEPS = 200_000

VARIABLES = {
    "organisation": "the organisation's name",
    "meeting_title, meeting_kind, venue, timezone": "the meeting",
    "date, called_to_order, adjourned, prepared": "dates and times in the meeting's time zone, in the language",
    "chair, secretary, secretary_general": "a person: {name, affiliation, title, line} or none",
    "version, status, edition, edition_label, language": "which document this is",
    "attendance": "groups: [{key, label, count, people: [person]}]; members_summary: the line of counts",
    "quorum_at_opening": "{voting_members, present, required, quorate, sentence} or none",
    "previous_minutes": "what was done with the previous memorandum, or empty",
    "sessions": "[{title, kind, kind_label, time, venue, items}]",
    "items": "every item: [{number, title, heading, session, closed, notes, paragraphs, documents, speakers, "
             "motions}]",
    "motions (in an item)": "[{title, text, kind, majority, moved_by, seconded_by, voting, outcome, "
                            "resolution_number, note, results}]",
    "results": "every vote: [{item, motion, round, taken_at, counts: [{choice, votes, share}], cast, abstentions, "
               "ballots, eligible, threshold, outcome, quorum, note, votes: [{member, choice, cast_by}]}]",
    "resolutions": "[{number, title, text}]",
    "next_host": "{city, meeting} or none",
    "annexes": "[{number, title, filename, size, sha256, item}]",
    "audit_head": "{seq, hash, line}: the trail's head at the build (printed anyway if left out)",
}

# Filters whose output is bounded by their input: no width, padding or repetition arguments.
SAFE_FILTERS = ("abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
                "float", "groupby", "int", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
                "rejectattr", "reverse", "round", "select", "selectattr", "slice", "sort", "string", "striptags",
                "sum", "title", "trim", "truncate", "unique", "upper", "wordcount")
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth",
                             "depth0", "previtem", "nextitem", "cycle", "changed"})


class TemplateRefused(ValueError):
    """The template cannot be used; the message says why, for a person."""


class _Budget:
    def __init__(self, steps: int):
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise SecurityError(f"the template loops more than {MAX_LOOP_STEPS} times")


class _Counted(list):
    """A list whose every iteration step spends the render's budget: nested loops cannot run away."""

    budget: _Budget

    def __iter__(self):
        for value in super().__iter__():
            self.budget.spend()
            yield value


class MemorandumSandbox(SandboxedEnvironment):
    """Jinja's sandbox, narrowed: the keys of dictionaries and `loop`'s counters, nothing else."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self.globals.clear()
        self.filters = {name: self.filters[name] for name in SAFE_FILTERS if name in self.filters}

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict):
            return obj[attribute] if attribute in obj else self.undefined(obj=obj, name=attribute)
        if isinstance(obj, LoopContext) and attribute in LOOP_ATTRIBUTES:
            return getattr(obj, attribute)
        raise SecurityError(f"“{attribute}” of a {type(obj).__name__} is not available to a template")

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, dict):
            return obj[argument] if argument in obj else self.undefined(obj=obj, name=str(argument))
        if isinstance(obj, (list, tuple, str)) and isinstance(argument, (int, slice)):
            try:
                return obj[argument]
            except IndexError:
                return self.undefined(obj=obj, name=str(argument))
        if isinstance(argument, str):
            return self.getattr(obj, argument)
        raise SecurityError(f"a {type(obj).__name__} cannot be indexed by a template")

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("“**” is not available to a template")
        if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
            raise SecurityError(f"“{operator}” on text or lists is not available to a template")
        return super().call_binop(context, operator, left, right)


# --- the values a template sees ------------------------------------------------------------

def _person(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {"name": person.name, "affiliation": person.affiliation, "title": person.title,
            "line": phrasing.format_person(person)}


def _quorum(quorum: Quorum | None) -> dict | None:
    if quorum is None:
        return None
    return {"voting_members": quorum.voting_members, "present": quorum.present, "required": quorum.required,
            "quorate": quorum.quorate, "sentence": phrasing.quorum_sentence(quorum)}


def template_context(record: Memorandum, edition: str) -> dict:
    """The documented variables of `record` (already the edition's view), said in the current
    language (minutes.wording). Plain data only."""
    tz = ZoneInfo(record.timezone)
    annexes = phrasing.annex_numbers(record)
    groups = [{"key": name, "label": say(label), "count": len(getattr(record.attendance, name)),
               "people": [_person(p) for p in getattr(record.attendance, name)]}
              for name, label, _short in phrasing.ATTENDANCE_GROUPS]
    summary = ", ".join(f"{group['count']} {say(short)}" for group, (_n, _l, short)
                        in zip(groups[:4], phrasing.ATTENDANCE_GROUPS[:4]))
    results, items, sessions = [], [], []
    for session in record.sessions:
        session_items = []
        for item in session.items:
            motions = []
            for motion in item.motions:
                votes = []
                for poll in motion.polls:
                    ballots = poll.ballots if poll.ballots is not None else \
                        poll.cast + poll.abstentions + (poll.exhausted or 0)
                    outcome = say(phrasing.POLL_OUTCOMES[poll.outcome])
                    if poll.outcome == "elected" and poll.elected:
                        outcome = _("%(name)s elected", name=poll.elected)
                    vote = {
                        "item": phrasing.item_heading(item), "motion": motion.title, "round": say(poll.round_label),
                        "taken_at": phrasing.format_time(poll.taken_at, tz) if poll.taken_at else "",
                        "counts": [{"choice": say(c.choice), "votes": c.votes,
                                    "share": phrasing.share_of_cast(c.votes, poll.cast)} for c in poll.counts],
                        "cast": poll.cast, "abstentions": poll.abstentions, "ballots": ballots,
                        "exhausted": poll.exhausted, "eligible": poll.eligible, "threshold": say(poll.threshold_text),
                        "outcome": outcome, "quorum": _quorum(poll.quorum), "note": say(poll.note or ""),
                        "votes": [] if motion.secret else [{"member": v.member, "choice": say(v.choice),
                                                            "cast_by": v.cast_by} for v in poll.votes],
                    }
                    votes.append(vote)
                    results.append(vote)
                motions.append({
                    "title": motion.title, "text": motion.text, "kind": say(motion.kind),
                    "majority": say(motion.majority), "moved_by": _person(motion.moved_by),
                    "seconded_by": _person(motion.seconded_by), "voting": phrasing.voting_method(motion),
                    "outcome": phrasing.motion_outcome(motion), "resolution_number": motion.resolution_number or "",
                    "note": say(motion.note or ""), "results": votes})
            paragraphs = [block.strip() for block in item.notes.split("\n\n") if block.strip()]
            entry = {
                "number": item.number or "", "title": item.title, "heading": phrasing.item_heading(item),
                "session": session.title, "closed": item.closed or session.kind == "closed", "notes": item.notes,
                "paragraphs": paragraphs, "motions": motions,
                "documents": [{"annex": annexes.get(id(d), ""), "title": d.title, "filename": d.filename,
                               "size": phrasing.format_size(d.size), "sha256": d.sha256} for d in item.documents],
                "speakers": [{"person": _person(s.person), "kind": say(phrasing.SPEAKER_KINDS.get(s.kind, s.kind)),
                              "mode": say(phrasing.SPEAKER_MODES.get(s.mode, s.mode)),
                              "time": phrasing.speaker_time(s, tz), "question": s.text, "answered": s.answered}
                             for s in item.speakers],
            }
            session_items.append(entry)
            items.append(entry)
        sessions.append({"title": session.title, "kind": session.kind,
                         "kind_label": _("Open session") if session.kind == "open" else _("Closed session"),
                         "time": phrasing.format_span(session.starts_at, session.ends_at, tz), "venue": session.venue,
                         "items": session_items})
    head = record.audit_head
    return {
        "organisation": record.organisation_name, "meeting_title": record.meeting_title,
        "meeting_kind": say(record.meeting_kind), "venue": record.venue, "timezone": record.timezone,
        "date": phrasing.format_date(record.opened_at, tz),
        "called_to_order": phrasing.format_moment(record.opened_at, tz),
        "adjourned": phrasing.format_moment(record.adjourned_at, tz) if record.adjourned_at else "",
        "prepared": phrasing.format_moment(record.generated_at, tz), "prepared_by": say(record.generated_by),
        "chair": _person(record.chair), "secretary": _person(record.secretary),
        "secretary_general": _person(record.secretary_general),
        "version": record.version,
        "status": _("draft, not yet approved") if record.status == "draft" else _("approved"),
        "edition": edition, "edition_label": _("Public edition: the open session only. Closed-session business is "
                                               "not included.") if edition == "public" else "",
        "language": wording.current(),
        "attendance": groups, "members_summary": summary, "quorum_at_opening": _quorum(record.quorum_at_opening),
        "previous_minutes": say(record.previous_minutes.action) if record.previous_minutes else "",
        "sessions": sessions, "items": items, "results": results,
        "resolutions": [{"number": r.number, "title": r.title, "text": say(r.text)} for r in record.resolutions],
        "next_host": {"city": record.next_host.city, "meeting": record.next_host.meeting or _("the next meeting")}
        if record.next_host else None,
        "annexes": [{"number": annexes.get(id(d), ""), "title": d.title, "filename": d.filename,
                     "size": phrasing.format_size(d.size), "sha256": d.sha256, "item": phrasing.item_heading(item)}
                    for session in record.sessions for item in session.items for d in item.documents],
        "audit_head": {"seq": head.seq, "hash": head.hash,
                       "line": _("event %(seq)s, SHA-256 %(hash)s. ", seq=head.seq, hash=head.hash)
                       + _("Check: %(command)s", command=phrasing.verify_command(head))}
        if head else None,
    }


def _counted(value: Any, budget: _Budget) -> Any:
    """The context with every list counting its iterations against one budget."""
    if isinstance(value, dict):
        return {key: _counted(item, budget) for key, item in value.items()}
    if isinstance(value, list):
        counted = _Counted(_counted(item, budget) for item in value)
        counted.budget = budget
        return counted
    return value


# --- rendering ----------------------------------------------------------------------------

def render_template(template: bytes, record: Memorandum, edition: str) -> bytes:
    """`record` (the edition's view) rendered through `template`, in the current language.
    Raises TemplateRefused with a sentence saying what failed (and where, when Jinja knows)."""
    from docxtpl import DocxTemplate
    try:
        document = DocxTemplate(io.BytesIO(template))
        context = _counted(template_context(record, edition), _Budget(MAX_LOOP_STEPS))
        environment = MemorandumSandbox()
        undeclared = document.get_undeclared_template_variables(environment, context)
        if undeclared:
            raise TemplateRefused(f"The template uses names it is not given: {', '.join(sorted(undeclared))}.")
        document.render(context, jinja_env=environment, autoescape=True)
        _print_head(document.docx, record)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    except TemplateRefused:
        raise
    except SecurityError as error:
        raise TemplateRefused(f"The template does something a memorandum template may not: {error}") from None
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f" (line {line} of its XML)" if line else ""
        raise TemplateRefused(f"The template does not render{where}: {error.message or error}") from None
    except (RecursionError, MemoryError):
        raise TemplateRefused("The template does not render: it nests too deeply.") from None
    except Exception as error:  # noqa: BLE001 (docxtpl and lxml raise many kinds on a broken template)
        raise TemplateRefused(f"The template does not render: {type(error).__name__}: {error}"[:500]) from None


def _print_head(document, record: Memorandum) -> None:
    """The trail's head under the rest, unless the template printed it (the anchor must be there)."""
    head = record.audit_head
    if head is None:
        return
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    if any(head.hash in text for text in texts):
        return
    from minutes.docx_parts import add_audit_head
    add_audit_head(document, record)


# --- checking an upload --------------------------------------------------------------------

def check_package(data: bytes) -> None:
    """A DOCX whose ZIP and XML are safe to hand to docxtpl; TemplateRefused otherwise."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    from governance.files import DOCX, NotADocument, sniff_document
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateRefused(f"The template is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB.")
    try:
        sniff_document(data, (DOCX,))
    except NotADocument as error:
        raise TemplateRefused(str(error)) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS:
                raise TemplateRefused("The DOCX package holds too many parts.")
            if sum(part.file_size for part in parts) > MAX_UNPACKED:
                raise TemplateRefused("The DOCX package unpacks to more than "
                                      f"{MAX_UNPACKED // (1024 * 1024)} MiB.")
            for part in parts:
                if part.flag_bits & 0x1:
                    raise TemplateRefused("The DOCX package is encrypted.")
                if part.file_size > MAX_PART or (part.compress_size and part.file_size / part.compress_size > MAX_RATIO
                                                 and part.file_size > 1024 * 1024):
                    raise TemplateRefused(f"The part {part.filename} of the DOCX package is implausibly large.")
                if part.filename.endswith((".xml", ".rels")):
                    fromstring(package.read(part), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except TemplateRefused:
        raise
    except DefusedXmlException:
        raise TemplateRefused("The DOCX package holds XML with a document type or entities; a Word document "
                              "has none.") from None
    except ParseError:
        raise TemplateRefused("The DOCX package holds XML that does not parse.") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, RuntimeError, NotImplementedError,
            ValueError):
        raise TemplateRefused("The DOCX package is damaged.") from None


def check_template(data: bytes) -> None:
    """Refuse a template that is not a safe DOCX or that fails to render the sample memorandum
    (every variable and every loop used at least once), in each edition and language."""
    from minutes.template_sample import sample_memorandum
    check_package(data)
    record = sample_memorandum()
    for language in wording.LANGUAGES:
        with wording.speaking(language):
            for edition in phrasing.EDITIONS:
                render_template(data, phrasing.public_view(record) if edition == "public" else record, edition)

