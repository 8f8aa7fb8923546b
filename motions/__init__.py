"""Motions: what the meeting is asked to decide, and what their adoption does.

- `models`: Motion, Candidate (hosts, logos), ExternalMemorandum; `operations`: putting,
  amending and deciding motions and applying what adoption does (the registry, the next host,
  the logo, the agenda lock); `amendment`, `scales`, `images`, `publishing`;
- `signals`: what motions tell the packages above (motion_adopted, motion_put_to_vote,
  motion_voted_asked, and the recount's effect_examined/state_examined);
- `effects`: adoptions compared with the audit trail (`excom audit recount`);
- `api`: /api/v1/motions..., /items/<id>/motions.
"""


def init_app(app) -> None:
    """The motions API, and what depends on a thing of a meeting as motions know it."""
    from governance.extensions import api
    from governance.meetings.signals import what_depends_on
    from governance.publication.signals import decided_since_asked
    from motions import models, operations, publishing  # noqa: F401  (models: tables)
    from motions.api import blp
    api.register_blueprint(blp)
    what_depends_on["item"].connect(operations.motions_of, weak=False)
    what_depends_on["participant"].connect(operations.moved_or_seconded, weak=False)
    what_depends_on["meeting"].connect(operations.approvals_of, weak=False)
    decided_since_asked.connect(publishing.decided_since, weak=False)
