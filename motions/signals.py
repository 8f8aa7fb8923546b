"""What motions tell the packages above them (blinker signals; receivers are connected in the
receiving package's `init_app`, never at import).

Each signal's sender is the motion's kind ("minutes_approval", ...), so a package connects
for the kinds it cares about: `motion_adopted.connect(fn, sender="minutes_approval")`.
"""
from blinker import Namespace

from governance.signals import answers  # noqa: F401  (how senders read the receivers' answers)

_signals = Namespace()

motion_adopted = _signals.signal("motion-adopted", doc="""
A motion was adopted or elected (motions.operations.decide_motion), in the same transaction as
its result: receivers apply what adoption of that kind also does. kwargs: motion, actor.
An ApiError raised by a receiver refuses the whole result.""")

motion_put_to_vote = _signals.signal("motion-put-to-vote", doc="""
A poll on the motion is about to open (motions.operations.put_to_vote): receivers fix what the
members are asked (e.g. which memorandum version). kwargs: motion, actor. An ApiError refuses
the poll.""")

motion_voted_asked = _signals.signal("motion-voted-asked", doc="""
Asked (sender: the motion itself) whether the motion has been put to the vote (has a poll),
or with open_only=True whether a poll on it is open now: voting answers True or False.
Motions sits below voting and may not read its tables. kwargs: open_only.""")

effect_examined = _signals.signal("effect-examined", doc="""
`excom audit recount` examines an adopted motion's effect (motions.effects): receivers for the
kind answer a list of problems (str). kwargs: motion, trail.""")

state_examined = _signals.signal("state-examined", doc="""
`excom audit recount` compares the state kept by packages above motions with the trail:
receivers answer a list of governance.audit.trail.Finding. kwargs: trail.""")

trail_actions_asked = _signals.signal("trail-actions-asked", doc="""
Which audit actions the receivers of effect_examined/state_examined read (Trail.load):
receivers answer an iterable of action names.""")

