"""What the documents of an agenda item tell the packages above them (blinker; receivers are
connected in the receiving package's `init_app`).

- `document_deleting` (sender: the ItemDocument): a receiver that must keep the document
  raises an ApiError (minutes: 409 when an approved memorandum lists it as an annex); the
  deletion then does not happen.
"""
from blinker import Namespace

_signals = Namespace()

document_deleting = _signals.signal("document-deleting")
