"""Changes to the member registry."""
from sqlalchemy.exc import IntegrityError

from governance.audit.operations import record
from governance.errors import ApiError, invalid
from governance.extensions import db
from governance.names import name_key, tidy
from governance.registry.models import Member, Organisation

_FIELDS = ("name", "country", "category", "status", "excom", "office")


def snapshot(member: Member) -> dict:
    return {field: getattr(member, field) for field in _FIELDS}


def _name_taken(name: str) -> ApiError:
    return ApiError(409, "name_taken", f"A member is already called {tidy(name)} (names are compared as people "
                                       "read them: capitals, accents written either way and spaces aside).",
                    {"name": ["taken"]})


def _check_name_free(name: str, member: Member | None = None) -> None:
    """A name that reads like another member's is refused, here with a clear answer and in
    the database by the unique key (two desks at once)."""
    if not tidy(name):
        raise invalid({"name": ["A name cannot be only spaces."]})
    other = db.session.scalar(db.select(Member).where(Member.name_key == name_key(name)))
    if other is not None and other is not member:
        raise _name_taken(other.name)


def _flush_named(name: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same name from another desk a moment ago
        raise _name_taken(name) from None


def create_member(*, actor, **fields) -> Member:
    _check_name_free(fields["name"])
    member = Member(**fields)
    db.session.add(member)
    _flush_named(fields["name"])
    record("member.created", actor=actor, subject=member, after=snapshot(member))
    if member.is_voting:
        _board_changed()
    return member


def update_member(member: Member, changes: dict, *, actor, meeting=None, reason: str | None = None,
                  motion=None) -> Member:
    """Edit the registry. Motions that change a member's status come through here too, with
    the meeting, the motion and its resolution as the reason, so the trail (and the member's
    status history, registry.queries) tells which decision changed it."""
    if "name" in changes:
        _check_name_free(changes["name"], member)
    before = snapshot(member)
    for field, value in changes.items():
        setattr(member, field, value)
    _flush_named(member.name)
    after = snapshot(member)
    changed = {k for k in _FIELDS if before[k] != after[k]}
    if "status" in changed and motion is None:
        from governance import publication
        publication.superseded("member.status", member.id)  # the secretariat's own edit is public
    if changed & {"status", "excom"}:
        from governance.auth.models import User
        from governance.realtime import rights_changed
        rights_changed(db.session.scalars(db.select(User.id).where(User.member_id == member.id)))
        _board_changed()
    if changed:
        decision = ({"motion_id": motion.id, "resolution_number": motion.resolution_number}
                    if motion is not None else {})
        record("member.updated", actor=actor, meeting=meeting, subject=member,
               before={k: before[k] for k in changed},
               after={**{k: after[k] for k in changed}, **({"reason": reason} if reason else {}), **decision})
    return member


_ORGANISATION_FIELDS = ("name", "short_name", "languages", "timezone", "resolution_format")


def update_organisation(changes: dict, *, actor) -> Organisation:
    """Name, short name, page languages, default time zone, resolution numbers (fields of
    OrganisationPatch, already valid). The first run calls it too, before any account exists."""
    organisation = Organisation.ensure()
    before = {field: getattr(organisation, field) for field in _ORGANISATION_FIELDS}
    for field, value in changes.items():
        setattr(organisation, field, list(value) if field == "languages" else value)
    db.session.flush()
    after = {field: getattr(organisation, field) for field in _ORGANISATION_FIELDS}
    changed = [field for field in _ORGANISATION_FIELDS if before[field] != after[field]]
    if changed:
        record("organisation.updated", actor=actor, subject=organisation,
               before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return organisation


def _board_changed() -> None:
    """The board's voting members are every meeting's quorum base: the meetings still sitting
    hear their new quorum (after the commit, as every broadcast)."""
    from governance.meetings.operations import announce_quorum_of_sitting_meetings
    announce_quorum_of_sitting_meetings()
