"""After the meeting, on a delegate's or an observer's meeting page: the decisions this person
may see (a closed-session item's only for who may see the closed session: governance.policy),
and each memorandum edition distributed to them, to download. And the page where a voter
checks a receipt against a closed poll's published ballots.

motions, voting and minutes sit above governance: imported inside the functions, as
create_app composes the packages.
"""
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from governance import lookup, policy
from governance.extensions import db
from governance.pages.blueprint import bp
from governance.registry.models import Organisation

OUTCOMES = {
    "adopted": _l("adopted"), "rejected": _l("rejected"), "elected": _l("elected"), "withdrawn": _l("withdrawn"),
    "pending": _l("not decided"),
}
CHOICES = {"yes": _l("Yes"), "no": _l("No"), "abstain": _l("Abstain")}


def _labels(motion) -> dict[str, str]:
    """What each value on the ballot stands for: a host city's member id, a logo's candidate id."""
    return {str(candidate.value): candidate.label for candidate in motion.candidates}


def choice_text(motion, choice) -> str:
    """A stored ballot's choice as a person reads it: Yes, a city, a ranking "A > B > C"."""
    if isinstance(choice, str) and choice in CHOICES:
        return str(CHOICES[choice])
    labels = _labels(motion)
    if isinstance(choice, list):
        return " > ".join(labels.get(str(value), str(value)) for value in choice)
    return labels.get(str(choice), str(choice))


def _counts_text(motion, result: dict) -> str:
    """"Yes 9 · No 2 · Abstain 1", or per candidate for an election (the last round's count)."""
    counts = result.get("counts") or (result.get("rounds") or [{}])[-1].get("counts") or {}
    parts = [f"{choice_text(motion, key)} {value}" for key, value in counts.items() if key != "abstain"]
    if "abstain" in counts or result.get("abstain") is not None:
        parts.append(f"{CHOICES['abstain']} {counts.get('abstain', result.get('abstain', 0))}")
    return " · ".join(parts)


def decisions(user, meeting) -> list[dict]:
    """The meeting's motions this person may see, agenda order, each with its outcome and the
    count of its deciding poll. Shape: [{"item", "title", "resolution", "outcome", "status",
    "elected", "counts", "polls": [{"id", "round", "secret"}]}]."""
    from motions.models import Motion
    from voting.models import Poll, PollStatus

    order = {item.id: position for position, item in enumerate(meeting.agenda())}
    motions = [motion for motion in db.session.scalars(select(Motion).where(Motion.meeting_id == meeting.id))
               if policy.can_see_item(user, motion.item)]
    motions.sort(key=lambda motion: (order.get(motion.item_id, 0), motion.id))
    answer = []
    for motion in motions:
        polls = list(db.session.scalars(select(Poll)
                                        .where(Poll.motion_id == motion.id, Poll.status == PollStatus.CLOSED)
                                        .order_by(Poll.round, Poll.id)))
        last = (polls[-1].result or {}) if polls else {}
        item = motion.item
        answer.append({
            "item": f"{item.number} {item.title}".strip() if item.number else item.title,
            "title": motion.title, "resolution": motion.resolution_number, "status": motion.status,
            "outcome": str(OUTCOMES.get(motion.status, motion.status)),
            "elected": motion.winner.label if motion.winner is not None else None,
            "counts": _counts_text(motion, last) if last else "",
            "polls": [{"id": poll.id, "round": poll.round, "secret": poll.secret} for poll in polls],
        })
    return answer


def memoranda(user, meeting) -> list[dict]:
    """Each memorandum version distributed to this person (whether the e-mail reached them or
    not: the page is where they find it either way), with the edition they were given.
    Shape: [{"version", "status", "edition", "url"}], newest first."""
    from minutes.models import Distribution, MemorandumVersion

    rows = db.session.execute(
        select(MemorandumVersion.version, MemorandumVersion.status, Distribution.edition)
        .join(Distribution, Distribution.version_id == MemorandumVersion.id)
        .where(MemorandumVersion.meeting_id == meeting.id, Distribution.user_id == user.id)
        .order_by(MemorandumVersion.version.desc())).all()
    answer = []
    for version, status, edition in rows:
        # the full edition as long as this person may still read it (rights change: the policy decides now)
        if edition == "full" and not policy.can_see_closed_session(user, meeting):
            edition = "public"
        answer.append({"version": version, "status": status, "edition": edition,
                       "url": f"/api/v1/meetings/{meeting.id}/memorandum.docx?version={version}&edition={edition}"})
    return answer


def after_meeting(user, meeting) -> dict | None:
    """What the meeting page adds once the meeting is adjourned; None before."""
    if meeting.adjourned_at is None:
        return None
    return {"decisions": decisions(user, meeting), "memoranda": memoranda(user, meeting)}


@bp.route("/polls/<int:poll_id>/ballots")
def published_ballots(poll_id):
    """The published ballots of a closed poll, and a box to check one's receipt against them.

    The check runs in the browser (governance/static/js/receipt.js): the receipt is never sent
    to the server, so no log line ties a signed-in person to a receipt, and through the list to
    how they voted in a secret ballot. The list itself is what GET /api/v1/polls/{id}/ballots
    publishes, to the same people (who may see the poll's item)."""
    from governance.pages.common import page_not_found
    from governance.pages.common import signed_in_or_login as _signed_in_or_login
    from voting.models import Ballot

    if (login := _signed_in_or_login()) is not None:
        return login
    poll = lookup.visible_poll(poll_id, user=current_user, hidden=page_not_found)[0]
    motion, meeting = poll.motion, poll.motion.meeting
    ballots = []
    if not poll.is_open:
        from governance.registry.models import Member
        members = {member.id: member.name for member in db.session.scalars(select(Member))}
        from voting.operations import readable_choice
        for ballot in db.session.scalars(select(Ballot).where(Ballot.poll_id == poll.id).order_by(Ballot.receipt)):
            ballots.append({"receipt": ballot.receipt,
                            "choice": choice_text(motion, readable_choice(poll, ballot.choice)),
                            "member": members.get(ballot.member_id) if ballot.member_id else None})
    page_data = {"user_id": current_user.id, "poll_id": poll.id, "meeting_id": meeting.id}
    return render_template("ballots.html", organisation=Organisation.current(), meeting=meeting, poll=poll,
                           motion=motion, ballots=ballots, page_data=page_data,
                           named=not poll.secret, closed=not poll.is_open)
