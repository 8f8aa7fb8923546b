"""Minutes: the secretary's notes, the memorandum (built, versioned, approved, distributed)
and the archive.

- `models`; `operations`: notes, versions, approval (inside a `minutes_approval` motion's
  adoption), distribution; `collect` + `builder` (+ `assessment_docx`, `template`): the .docx, made of
  `docx_parts` (Word's pieces) and `phrasing` (the memorandum's sentences);
  `outbox`: the memorandum's distribution by e-mail; `archive`: the archive and its checker;
  `examine`, `examine_record`: versions and the rows the memorandum is built from compared
  with the audit trail (`excom audit recount`);
- `api`: /api/v1/meetings/<id>/memorandum..., /items/<id>/notes.
"""


def init_app(app) -> None:
    """The minutes API and what minutes do when others act: approve the memorandum a
    `minutes_approval` motion names (adopted), fix the version put to the vote, keep an
    approved memorandum's annexes, answer the recount, and say what depends on a meeting's
    things and when its record is closed."""
    from governance.documents.signals import document_deleting
    from governance.extensions import api
    from governance.meetings.signals import record_closed_asked, what_depends_on
    from minutes import examine, examine_record, models, operations  # noqa: F401  (models: tables)
    from minutes.api import blp
    from motions.signals import effect_examined, motion_adopted, motion_put_to_vote, state_examined, trail_actions_asked
    api.register_blueprint(blp)
    motion_adopted.connect(operations.approve_from_motion, sender="minutes_approval", weak=False)
    motion_put_to_vote.connect(operations.fix_version_put_to_vote, sender="minutes_approval", weak=False)
    document_deleting.connect(operations.keep_annexes_of_approved_minutes, weak=False)
    effect_examined.connect(examine.examine_approval, sender="minutes_approval", weak=False)
    state_examined.connect(examine.examine_versions, weak=False)
    state_examined.connect(examine_record.examine_record, weak=False)
    trail_actions_asked.connect(examine.actions_read, weak=False)
    record_closed_asked.connect(operations.approved_memorandum, weak=False)
    what_depends_on["item"].connect(operations.notes_of, weak=False)
    what_depends_on["meeting"].connect(operations.minutes_of, weak=False)
