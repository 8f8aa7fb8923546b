"""Voting: polls on motions, ballots, results and their recount.

- `models`: Poll, Participation (who voted), Ballot (what; secret ballots unlinked);
- `operations`: opening, casting, closing, run-offs; `ballot_box` records a burst of votes
  from the phones in few commits; `live`: the `vote` socket event and progress counts;
- pure rules: `tally`, `majority`, `choices`, `secrecy`, `seal`; `results`, `recount`
  (`excom audit recount`), `vote_record`, `rehearsal` (clearing test polls);
- `api`: /api/v1/polls..., /motions/<id>/polls.
"""


def init_app(app) -> None:
    """The voting API, the `vote` socket handler (before socketio.init_app: see
    governance.create_app), what a joining phone must know of the open poll, whether a motion
    was put to the vote, which poll of a meeting is under way, and what depends on a meeting's
    things as voting knows it."""
    from governance.extensions import api
    from governance.meetings.signals import poll_under_way_asked, what_depends_on
    from governance.signals import join_state_asked
    from motions.signals import motion_voted_asked
    from voting import live, models, queries, rehearsal  # noqa: F401  (live: the `vote` handler; models: tables)
    from voting.api import blp
    api.register_blueprint(blp)
    join_state_asked.connect(live.join_state, weak=False)
    motion_voted_asked.connect(queries.has_polls, weak=False)
    poll_under_way_asked.connect(queries.poll_under_way, weak=False)
    what_depends_on["meeting"].connect(rehearsal.polls_of, weak=False)
    what_depends_on["participant"].connect(rehearsal.votes_by, weak=False)
