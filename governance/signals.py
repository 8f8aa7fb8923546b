"""Signals of the governance core (blinker, as Flask and Indico use them), and how a sender
reads its receivers' answers. Receivers are connected in the receiving package's
`init_app(app)` (see governance.create_app), never at import time.

Signals of a package live in its own `signals.py` (motions.signals,
governance.documents.signals, governance.meetings.signals); this module holds the realtime
hub's.
"""
from blinker import Namespace, Signal
from blinker._utilities import make_id

_signals = Namespace()

join_state_asked = _signals.signal("join-state-asked", doc="""
A phone (re)joins a meeting's rooms (governance.realtime): receivers answer a dict merged into
the join answer's state, e.g. voting: {"poll": ..., "voted": bool}. kwargs: user; sender: the
meeting.""")


def answers(signal: Signal, sender=None, **kwargs) -> list:
    """The receivers' answers, in the order they were connected (the order of the packages in
    governance.create_app: blinker itself calls receivers in no promised order), so that
    refusals and reports read the same on every run. A receiver's exception (e.g. an ApiError
    refusing) propagates to the sender."""
    position = {receiver_id: n for n, receiver_id in enumerate(signal.receivers)}
    receivers = sorted(signal.receivers_for(sender), key=lambda fn: position.get(make_id(fn), len(position)))
    return [receiver(sender, **kwargs) for receiver in receivers]
