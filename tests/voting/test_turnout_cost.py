"""The chair's count ("7 of 9 present have voted") is asked four times a second during a burst of
live votes, with the whole server waiting for it: its cost must grow with the assembly, not with
the assembly squared."""
import pytest
from sqlalchemy import insert

from governance.auth.models import User
from governance.extensions import db
from governance.meetings.models import Attendance, Participant
from governance.registry.models import Member
from motions import operations as motion_ops
from voting import operations as voting_ops
from voting.queries import turnout


def _assembly_voting(make, size: int):
    """A meeting of `size` member cities, each with one delegate checked in, and a poll open."""
    meeting = make.meeting(title=f"Assembly of {size}")
    chair = make.user(roles=["secretariat"])
    first = db.session.scalar(db.select(db.func.coalesce(db.func.max(Member.id), 0))) + 1
    members = [{"id": first + n, "name": f"City {size}-{n}", "name_key": f"city {size}-{n}", "status": "active",
                "excom": True} for n in range(size)]
    db.session.execute(insert(Member), members)
    first_user = db.session.scalar(db.select(db.func.coalesce(db.func.max(User.id), 0))) + 1
    db.session.execute(insert(User), [
        {"id": first_user + n, "name": f"Delegate {size}-{n}", "email": f"d{size}-{n}@example.org",
         "email_key": f"d{size}-{n}@example.org", "member_id": member["id"], "roles": []}
        for n, member in enumerate(members)])
    user_ids = range(first_user, first_user + size)
    db.session.execute(insert(Participant), [
        {"meeting_id": meeting.id, "user_id": user_id, "group": "excom_member"} for user_id in user_ids])
    db.session.execute(insert(Attendance), [
        {"meeting_id": meeting.id, "user_id": user_id, "mode": "in_person", "checked_in_at": meeting.starts_at}
        for user_id in user_ids])
    motion = motion_ops.create_motion(meeting.sessions[0].items[0], actor=chair, kind="general", title="To agree")
    poll = voting_ops.open_poll(motion, actor=chair)
    db.session.commit()
    return poll


def _steps_of_turnout(poll) -> tuple[dict, int]:
    """The turnout and how many SQLite virtual-machine steps (in hundreds) its queries took."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    raw = db.session.connection().connection.dbapi_connection
    raw.set_progress_handler(count, 100)
    try:
        view = turnout(poll)
    finally:
        raw.set_progress_handler(None, 100)
    return view, steps


# SQLite: its planner chose the quadratic plan, and its progress handler counts the steps
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_count_of_present_voters_grows_with_the_assembly_not_its_square(app, make):
    with app.app_context():
        small_view, small_steps = _steps_of_turnout(_assembly_voting(make, 150))
        large_view, large_steps = _steps_of_turnout(_assembly_voting(make, 600))

    assert (small_view["present"], small_view["ballots"]) == (150, 0)
    assert (large_view["present"], large_view["ballots"]) == (600, 0)
    # four times the members: about four times the work (sixteen times when each eligible member
    # walked every open stay of the meeting)
    assert large_steps < 6 * small_steps, (small_steps, large_steps)
