"""The append-only, hash-chained audit trail.

- `models`: AuditEvent; `operations.record`: the one way to append an event (in the caller's
  transaction); `chain`: the hash chain and its key; `trail`: reading it back (recount).
"""


def init_app(app) -> None:
    """Only its table: every package records through `operations.record`."""
    from governance.audit import models  # noqa: F401
