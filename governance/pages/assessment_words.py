"""The words of assessments on the pages (the phone's sheet, the table of scores), for the
scripts; merged into governance.pages.i18n.js_messages."""
from flask_babel import lazy_gettext as _l

ASSESSMENT_MESSAGES = {
    "score_help": _l("Score every subject from %(min)s to %(max)s, then send the whole sheet."),
    "scores_missing": _l("Subjects still to score: %(n)s"),
    "submit_scores": _l("Send my scores"),
    "rule_assessment": _l("Each subject is scored from %(min)s to %(max)s; the result is a table of scores."),
    "scores_recorded": _l("Scores recorded"),
    "status_recorded": _l("recorded"),
    "scores_caption": _l("Scores from %(min)s to %(max)s"),
    "subject_col": _l("Subject"),
    "count_col": _l("Scores"),
    "mean_col": _l("Mean"),
    "median_col": _l("Median"),
    "distribution_col": _l("Scores given"),
    "assessed_subjects": _l("Scored from %(min)s to %(max)s: %(names)s"),
    "sheets_line": _l("Sheets: %(ballots)s · Scored: %(cast)s · Abstentions: %(abstain)s · %(eligible)s eligible"),
}
