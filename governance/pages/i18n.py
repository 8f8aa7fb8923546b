"""English and Russian, the meeting's two languages (Flask-Babel).

The language is the one the person chose with the switch (a cookie), else the best match
of the browser's Accept-Language, else English. Times are shown in the meeting's time zone,
whatever the browser's.
"""
from datetime import datetime
from urllib.parse import urlsplit

from babel.dates import format_datetime as babel_format_datetime
from flask import redirect, request
from flask_babel import Babel, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from governance.views import bp

LANGUAGES = {"en": "English", "ru": "Русский"}
LANGUAGE_COOKIE = "excom_lang"

babel = Babel()


def offered_languages() -> dict[str, str]:
    """The languages the organisation offers (its settings), its default first."""
    from governance.registry.models import Organisation
    try:
        codes = [code for code in (Organisation.current().languages or []) if code in LANGUAGES]
    except SQLAlchemyError:  # the error page must still render when the database is what failed
        codes = []
    return {code: LANGUAGES[code] for code in codes or LANGUAGES}


def select_locale() -> str:
    offered = list(offered_languages())
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in offered:
        return chosen
    return request.accept_languages.best_match(offered, default=offered[0])


@bp.record_once
def _init_babel(state) -> None:
    app = state.app
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["meeting_time"] = meeting_time
    app.jinja_env.filters["date_time"] = organisation_time


def meeting_time(moment: datetime | None, meeting, pattern: str = "medium") -> str:
    """A moment in the meeting's time zone, in the page's language: "20 Sept 2024, 14:00"."""
    if moment is None:
        return ""
    patterns = {"time": "HH:mm", "date": "d MMMM y", "medium": "d MMMM y, HH:mm", "weekday": "EEEE d MMMM y"}
    return babel_format_datetime(moment, patterns.get(pattern, pattern), tzinfo=meeting.zone,
                                 locale=str(get_locale() or "en"))


def organisation_time(moment: datetime | None) -> str:
    """A moment outside any meeting (a registry change), in the organisation's time zone."""
    from zoneinfo import ZoneInfo

    from governance.registry.models import Organisation
    if moment is None:
        return ""
    return babel_format_datetime(moment, "d MMMM y, HH:mm", tzinfo=ZoneInfo(Organisation.current().timezone or "UTC"),
                                 locale=str(get_locale() or "en"))


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to somebody else's."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.route("/language/<code>")
def switch_language(code):
    response = redirect(_safe_next(request.args.get("next")))
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.app_context_processor
def _language_context():
    current = str(get_locale() or "en")
    return {"lang": current, "languages": offered_languages(), "safe_next": _safe_next}


# The words the page scripts show, translated on the server and handed to them as JSON
# (the Content-Security-Policy allows no inline script, but a JSON data block is not script).
JS_MESSAGES = {
    "connecting": _l("Connecting…"),
    "online": _l("Live"),
    "offline": _l("Connection lost. Reconnecting…"),
    "signed_out": _l("Your session has ended. Please sign in again."),
    "no_current_item": _l("No item is under discussion right now."),
    "current_item": _l("Now"),
    "poll_open": _l("Voting is open"),
    "poll_closed": _l("Voting is closed"),
    "round": _l("Round %(n)s"),
    "secret_ballot": _l("Secret ballot"),
    "named_vote": _l("Named vote"),
    "choose": _l("Choose one option"),
    "rank_help": _l("Tap the candidates in order of preference. Your first choice first."),
    "your_ranking": _l("Your ranking"),
    "ranking_empty": _l("Nobody ranked yet."),
    "add_to_ranking": _l("Rank %(name)s"),
    "move_up": _l("Move up"),
    "remove": _l("Remove"),
    "submit_ranking": _l("Vote with this ranking"),
    "confirm_question": _l("Your vote: %(choice)s. Is this right?"),
    "confirm": _l("Confirm my vote"),
    "change": _l("Change"),
    "sending": _l("Sending your vote…"),
    "recorded": _l("Your vote was recorded."),
    "receipt": _l("Receipt"),
    "receipt_help": _l("Keep this code: you can find it in the published list of ballots."),
    "already_voted": _l("You have already voted in this poll."),
    "not_eligible": _l("You are following this poll; you do not vote in it."),
    "vote_failed": _l("Your vote was not recorded: %(reason)s"),
    "waiting_result": _l("Waiting for the chair to close the poll."),
    # one vocabulary of counts on every screen (and in the memorandum): ballots are every
    # ballot; votes cast are yes and no (or the votes for candidates); abstentions are neither
    "turnout": _l("%(voted)s of %(present)s present have voted; %(eligible)s eligible"),
    "ballots_of_eligible": _l("%(n)s ballots; %(eligible)s eligible"),
    "ballots_n": _l("%(n)s ballots"),
    "counts_line": _l("Ballots: %(ballots)s · Votes cast: %(cast)s · Abstentions: %(abstain)s"),
    "exhausted_n": _l("Exhausted ballots: %(n)s"),
    "eligible_n": _l("Eligible: %(n)s"),
    "abstentions_not_cast": _l("Abstentions are not votes cast."),
    "needs": _l("Needs: %(rule)s"),
    "rule_simple": _l("Simple majority of votes cast: more yes than no"),
    "rule_two_thirds": _l("Two-thirds of votes cast: yes at least twice no"),
    "rule_absolute_present": _l("More than half of the voting members present"),
    "rule_absolute_all": _l("More than half of all %(members)s voting members: at least %(n)s yes"),
    "rule_two_thirds_present": _l("Two-thirds of the voting members present"),
    "rule_unanimous_present": _l("Every voting member present votes yes"),
    "rule_exhaustive": _l("More than half of the votes cast; otherwise the candidate with the fewest votes is "
                          "eliminated and another round follows"),
    "rule_irv": _l("Rank the candidates: more than half of the ballots still counting elects; the candidate with "
                   "the fewest is eliminated, round by round"),
    "threshold_absolute_present": _l("More than half of the %(present)s voting members present: at least %(n)s yes"),
    "threshold_two_thirds_present": _l("Two-thirds of the %(present)s voting members present: at least %(n)s yes"),
    "threshold_unanimous_present": _l("Every voting member present (%(present)s) votes yes: at least %(n)s yes"),
    "threshold_exhaustive": _l("More than half of the %(cast)s votes cast: at least %(n)s"),
    "threshold_tie_break": _l("Tie-break round: the candidate with the fewest votes is eliminated"),
    "threshold_irv": _l("More than half of the %(counting)s ballots still counting in round %(round)s: "
                        "at least %(n)s"),
    "rounds_heading": _l("The count, round by round"),
    "round_col": _l("Round"),
    "counting_col": _l("Still counting"),
    "needed_col": _l("Needed"),
    "exhausted_col": _l("Exhausted"),
    "outcome_col": _l("Outcome"),
    "irv_round": _l("Round %(n)s"),
    "irv_level": _l("Level for last place: %(names)s."),
    "irv_casting": _l("The chair's casting vote kept %(names)s."),
    "irv_eliminated": _l("Eliminated: %(names)s."),
    "tied_nothing_counted": _l("No vote counted for any candidate: the round is held again"),
    "casting_hint": _l("The candidates are level. You may break the tie with your casting vote, or open the round "
                       "again."),
    "casting_hint_irv": _l("These candidates are level for last place and the earlier rounds do not separate them. "
                           "Your casting vote keeps one of them in the count; or open the vote again."),
    "approves_version": _l("Put to the vote: %(title)s, version %(version)s"),
    "member_change_admit": _l("If adopted, %(member)s is admitted as a member."),
    "member_change_withdraw": _l("If adopted, %(member)s is recorded as withdrawn from membership."),
    "member_change_suspend": _l("If adopted, the membership of %(member)s is suspended."),
    "member_change_terminate": _l("If adopted, the membership of %(member)s is terminated."),
    "member_change_reinstate": _l("If adopted, %(member)s is reinstated as a member."),
    "approves_external": _l("Put to the vote: %(title)s (held outside the platform, file %(filename)s)"),
    "current_text": _l("Current text"),
    "proposed_text": _l("Proposed text"),
    "changes_marked": _l("The changes (struck through: deleted; underlined: inserted)"),
    "close_confirm": _l("Close the poll now? %(voted)s of %(present)s present voting members have voted "
                        "(%(eligible)s eligible). The result takes effect at once."),
    "waiting_for": _l("Not voted yet: %(names)s"),
    "everyone_voted": _l("Everyone present has voted."),
    "item_locked_by_poll": _l("A vote is under way: close the poll first."),
    "no_quorum_to_vote": _l("No quorum: a poll can be opened once enough voting members are present."),
    "check_in_needed": _l("You are not checked in. Say you are here, then vote."),
    "i_am_here": _l("I am here (online)"),
    "checked_in": _l("You are checked in (online)."),
    "result": _l("Result"),
    "adopted": _l("Adopted"),
    "rejected": _l("Rejected"),
    "elected": _l("Elected: %(name)s"),
    "runoff": _l("No majority: another round is needed"),
    "void": _l("Void: no quorum"),
    "tied": _l("Tied: the chair may give a casting vote, or the vote is held again"),
    "tied_between": _l("Level: %(names)s. The round can be held again."),
    "casting_vote_for": _l("Casting vote: %(name)s"),
    "casting_confirm": _l("Give your casting vote to %(name)s? It breaks the tie and cannot be undone."),
    "casting_yes": _l("Yes, my casting vote for %(name)s"),
    "casting_vote_given": _l("The votes were tied; the chair's casting vote went to %(name)s."),
    "quorate": _l("Quorate"),
    "quorum_numbers": _l("%(present)s of %(total)s voting members present; %(required)s needed"),
    "not_quorate": _l("Not quorate"),
    "yes": _l("Yes"),
    "no": _l("No"),
    "abstain": _l("Abstain"),
    "votes": _l("votes"),
    "next_round_candidates": _l("Next round: %(names)s"),
    "adjourned": _l("The meeting is adjourned."),
    "present": _l("Present"),
    "absent": _l("Absent"),
    "in_person": _l("In the room"),
    "online_mode": _l("Online"),
    "check_in_person": _l("In person"),
    "check_in_online": _l("Online"),
    "check_out": _l("Check out"),
    "open_poll": _l("Open a poll"),
    "next_round": _l("Open the next round"),
    "close_poll": _l("Close the poll"),
    "no_motions": _l("No motion on this item."),
    "motions_unavailable": _l("Motions are not available on this server yet."),
    "error": _l("Something went wrong: %(reason)s"),
    "make_current": _l("Make current"),
    "is_current": _l("Current item"),
    "no_match": _l("Nobody matches this search."),
    "status_open": _l("open"),
    "status_closed": _l("closed"),
    "status_draft": _l("draft"),
    "status_adopted": _l("adopted"),
    "status_rejected": _l("rejected"),
    "status_elected": _l("elected"),
    "status_runoff": _l("run-off"),
    "status_void": _l("void"),
    "status_pending": _l("pending"),
    "status_tied": _l("tied"),
    "status_withdrawn": _l("withdrawn"),
    "status_approved": _l("approved"),
    "notes_saved": _l("Saved: revision %(n)s"),
    "notes_revision": _l("Revision %(n)s by %(author)s"),
    "motion_put": _l("The motion is on the item; the chair can open the poll."),
    "memo_built": _l("Version %(n)s built."),
    "memo_distributed": _l(
        "Version %(n)s: %(recorded)s recorded, %(queued)s queued, %(sent)s sent, %(failed)s failed."),
    "memo_none": _l("No version yet."),
    "full_edition": _l("Full"),
    "access_link_label": _l("Access link from the check-in desk"),
    "public_edition": _l("Public"),
}


def js_messages() -> dict:
    from governance.pages.agenda_words import AGENDA_MESSAGES
    from governance.pages.assessment_words import ASSESSMENT_MESSAGES
    return {key: str(text) for key, text in {**JS_MESSAGES, **AGENDA_MESSAGES, **ASSESSMENT_MESSAGES}.items()}
