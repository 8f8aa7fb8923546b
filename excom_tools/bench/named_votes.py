"""The memorandum benchmark's scene of issue 12: K closed named polls in which every checked-in
delegate voted (200 members and 20 polls in the issue), so that the memorandum lists K tables of
N named votes each beside the attendance of N members.

Set up in this process through the app's own operations (open_poll, cast_votes, close_poll), as
live_vote.populate sets up the meeting: the set-up is not what is measured, and 4,000 votes
through HTTP would take minutes."""
import time
from pathlib import Path

from excom_tools.bench.live_vote import CHOICES


def add_named_polls(database_url: str, instance: Path, secret: str, meeting_id: int, item_id: int,
                    polls: int) -> float:
    """K motions on the item `item_id`, each put to a named vote where every delegate taking part
    as `excom_member` votes (choices rotating yes/no/abstain), then closed by the chair.
    Answers the seconds the set-up took."""
    from sqlalchemy import select

    from governance import create_app
    from governance.auth.models import User
    from governance.extensions import db
    from governance.meetings.models import AgendaItem, Participant
    from motions import operations as motion_ops
    from voting import operations as voting_ops

    started = time.perf_counter()
    app = create_app({"EXCOM_DATABASE_URL": database_url, "EXCOM_INSTANCE_PATH": str(instance),
                      "EXCOM_SECRET_KEY": secret, "EXCOM_REDIS_URL": None, "EXCOM_ASYNC_MODE": "threading"})
    with app.app_context():
        item = db.session.get_one(AgendaItem, item_id)
        chair = db.session.scalar(select(User).join(Participant, Participant.user_id == User.id)
                                  .where(Participant.meeting_id == meeting_id, Participant.chair.is_(True)))
        delegates = list(db.session.scalars(
            select(User).join(Participant, Participant.user_id == User.id)
            .where(Participant.meeting_id == meeting_id, Participant.group == "excom_member").order_by(User.id)))
        for number in range(polls):
            motion = motion_ops.create_motion(item, actor=chair, kind="general", title=f"Named vote {number + 1}",
                                              text=f"That the benchmark's motion {number + 1} be adopted.")
            poll = voting_ops.open_poll(motion, actor=chair)
            voting_ops.cast_votes(poll, [(delegate, CHOICES[(index + number) % len(CHOICES)])
                                         for index, delegate in enumerate(delegates)])
            voting_ops.close_poll(poll, actor=chair)
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return time.perf_counter() - started
