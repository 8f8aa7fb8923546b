"""What publication asks the packages above it (blinker; receivers connected in their
`init_app`, answers read with governance.signals.answers).

- `decided_since_asked` (sender: the meeting; kwargs: moment, an aware UTC datetime): whether
  a decision of the meeting was taken after `moment` (motions answers), so that publishing
  again with nothing new changes nothing.
"""
from blinker import Namespace

_signals = Namespace()

decided_since_asked = _signals.signal("decided-since-asked")
