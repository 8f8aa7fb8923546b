"""An assessment in the memorandum: the table of scores per subject (count, mean, median and
how many gave each score), the sheets received, the quorum, and for a named assessment each
member's sheet. A table, not a decision: no threshold, no result line. Made of the memorandum's
own parts (minutes.docx_parts) so that it looks like the rest of it."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from docx.shared import Cm

from minutes import wording
from minutes.docx_parts import TEXT_WIDTH, add_named_votes, add_row, caption, label_line, new_table, spacer
from minutes.phrasing import format_time, quorum_sentence
from minutes.record import AssessmentRecord
from minutes.wording import _


def _number(value) -> str:
    if value is None:
        return "–"
    if wording.current() == wording.DEFAULT:
        return str(value)
    from babel.numbers import format_decimal  # "3,5" in Russian
    return format_decimal(value, locale=wording.current())


def add_assessment(doc, assessment: AssessmentRecord, *, secret: bool, tz: ZoneInfo) -> None:
    heading = _("Scores from %(low)s to %(high)s", low=assessment.scale_min, high=assessment.scale_max)
    if assessment.taken_at:
        heading += _(" (sheets closed at %(time)s)", time=format_time(assessment.taken_at, tz))
    caption(doc, heading)
    widths = (Cm(5.6), Cm(1.8), Cm(1.8), Cm(1.8), TEXT_WIDTH - Cm(11.0))
    table = new_table(doc, (_("Subject"), _("Scores"), _("Mean"), _("Median"),
                            _("Scores given (score: members)")), widths, right_from=1)
    for row in assessment.subjects:
        given = ", ".join(f"{score}: {n}" for score, n in row.distribution)
        add_row(table, (row.name, str(row.count), _number(row.mean), _number(row.median), given),
                right_from=1)
    spacer(doc)
    label_line(doc, _("Sheets"), _("%(ballots)s received: %(scored)s scored, %(abstained)s abstained; "
                                   "%(eligible)s members eligible", ballots=assessment.ballots,
                                   scored=assessment.scored, abstained=assessment.abstentions,
                                   eligible=assessment.eligible))
    if assessment.quorum:
        label_line(doc, _("Quorum at this vote"), quorum_sentence(assessment.quorum))
    # A secret assessment never prints a member's sheet, whatever the record holds.
    if assessment.votes and not secret:
        add_named_votes(doc, "vote", assessment.votes)
