"""An assessment in the memorandum: the table of scores per subject (count, mean, median and
how many gave each score), the sheets received, the quorum, and for a named assessment each
member's sheet. A table, not a decision: no threshold, no result line. Uses the builder's own
table and paragraph helpers so that it looks like the rest of the memorandum."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from docx.shared import Cm

from minutes import builder
from minutes.record import AssessmentRecord


def _number(value) -> str:
    return "–" if value is None else str(value)


def add_assessment(doc, assessment: AssessmentRecord, *, secret: bool, tz: ZoneInfo) -> None:
    heading = f"Scores from {assessment.scale_min} to {assessment.scale_max}"
    if assessment.taken_at:
        heading += f" (sheets closed at {builder.format_time(assessment.taken_at, tz)})"
    builder._caption(doc, heading)
    widths = (Cm(5.6), Cm(1.8), Cm(1.8), Cm(1.8), builder.TEXT_WIDTH - Cm(11.0))
    table = builder._new_table(doc, ("Subject", "Scores", "Mean", "Median", "Scores given (score: members)"),
                               widths, right_from=1)
    for row in assessment.subjects:
        given = ", ".join(f"{score}: {n}" for score, n in row.distribution)
        builder._add_row(table, (row.name, str(row.count), _number(row.mean), _number(row.median), given),
                         right_from=1)
    builder._spacer(doc)
    builder._label_line(doc, "Sheets", f"{assessment.ballots} received: {assessment.scored} scored, "
                                       f"{assessment.abstentions} abstained; {assessment.eligible} members eligible")
    if assessment.quorum:
        builder._label_line(doc, "Quorum at this vote", builder._quorum_sentence(assessment.quorum))
    # A secret assessment never prints a member's sheet, whatever the record holds.
    if assessment.votes and not secret:
        builder._add_named_votes(doc, "vote", assessment.votes)
