"""Voting over Socket.IO: the `vote` event and the state a (re)joining phone needs.
(Progress counts, coalesced into a few broadcasts a second: voting.progress.)"""
import logging

from flask import current_app
from flask import session as socket_session

from governance import policy, realtime
from governance.auth.loading import LINK_TOKEN_KEY
from governance.extensions import db, socketio
from governance.reader import dump_for
from voting.queries import open_poll_in
from voting.schemas import PollOut

log = logging.getLogger(__name__)

def join_state(meeting, *, user) -> dict:
    """governance.signals.join_state_asked: the open poll this user may see, and whether they voted."""
    poll = open_poll_in(meeting.id)
    if poll is None or not policy.can_see_item(user, poll.motion.item):
        return {"poll": None, "voted": False}
    view = dump_for(PollOut(), poll, reader=user)
    return {"poll": view, "voted": view["voted"]}


@socketio.on("vote")
def _vote(data=None):
    """A phone votes. The vote goes into this process's ballot box, which records it with the
    others arriving at the same moment; the ack comes after the commit that holds it."""
    from voting.ballot_box import NOT_RECORDED, BallotBox, Slip

    data = data if isinstance(data, dict) else {}
    try:
        token_hash, user_id = realtime.connection_credentials()
    except Exception:  # a database that cannot answer must still give the phone an answer
        db.session.rollback()
        log.exception("could not check the credentials of a vote")
        return NOT_RECORDED.body()
    link = socket_session.get(LINK_TOKEN_KEY) if token_hash is None else None
    return BallotBox.of(current_app._get_current_object()).cast(  # type: ignore[attr-defined]  # a LocalProxy
        Slip(token_hash, user_id, data, link_token_id=link if isinstance(link, int) else None))
