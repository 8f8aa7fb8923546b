"""Questions governance.meetings asks the packages above it (blinker signals; receivers are
connected in each package's `init_app`, answers read in connection order with
governance.signals.answers).

- `what_depends_on[kind]` (kind: meeting, session, item, participant; sender: the thing):
  receivers answer phrases like ["2 motions (Admission of Cali, ...)"] naming what would be
  lost or orphaned if the thing were deleted (governance.meetings.dependents).
- `record_closed_asked` (sender: the meeting): receivers answer why the meeting's record is
  closed (its memorandum approved) or None; minutes work stops then.
- `poll_under_way_asked` (sender: the meeting): voting answers the id of the poll open in
  that meeting, or None; the meeting refuses to move on or adjourn while one is.
"""
from blinker import Namespace

_signals = Namespace()

KINDS = ("meeting", "session", "item", "participant")
what_depends_on = {kind: _signals.signal(f"what-depends-on-{kind}") for kind in KINDS}
record_closed_asked = _signals.signal("record-closed-asked")
poll_under_way_asked = _signals.signal("poll-under-way-asked")
