"""Test helpers: factories that build registry and meeting objects through the operations,
and a small API client that signs in the way a phone or a script does."""
from datetime import UTC, datetime
from itertools import count

from governance.auth import operations as auth_ops
from governance.extensions import db
from governance.meetings import operations as meeting_ops
from governance.registry import operations as registry_ops

PASSWORD = "correct horse battery"
_serial = count(1)


class Factories:
    def member(self, name=None, *, status="active", excom=True, category="city", **extra):
        member = registry_ops.create_member(actor=None, name=name or f"City {next(_serial)}", country="",
                                            category=category, status=status, excom=excom,
                                            office=extra.get("office"))
        db.session.commit()
        return member

    def user(self, name=None, *, member=None, roles=(), email=None, **extra):
        serial = next(_serial)
        user = auth_ops.create_user(actor=None, name=name or f"Person {serial}",
                                    email=email or f"person{serial}@example.org", password=PASSWORD,
                                    title=extra.get("title", ""), affiliation=extra.get("affiliation", ""),
                                    member_id=member.id if member else None, roles=list(roles))
        db.session.commit()
        return user

    def meeting(self, title="Test meeting", *, quorum=None, sessions=(("Open session", "open"),
                                                                       ("Closed session", "closed"))):
        meeting = meeting_ops.create_meeting(
            actor=None, title=title, venue="Hall", timezone="Asia/Almaty",
            starts_at=datetime(2024, 9, 20, 9, 0, tzinfo=UTC),
            quorum=quorum or {"rule": "majority", "count": None})
        for title_, kind in sessions:
            session = meeting_ops.add_session(meeting, actor=None, title=title_, kind=kind)
            meeting_ops.add_item(session, actor=None, title=f"{title_}: first item", kind="procedural")
        db.session.commit()
        return meeting

    def participant(self, meeting, user, group="excom_member", chair=False):
        participant = meeting_ops.add_participant(meeting, actor=None, user_id=user.id, group=group, chair=chair)
        db.session.commit()
        return participant

    def delegate(self, meeting, member_name=None, **member_fields):
        """A member with one delegate taking part in the meeting as excom_member."""
        member = self.member(member_name, **member_fields)
        user = self.user(member=member)
        self.participant(meeting, user)
        return user


def wipe_database(app) -> None:
    """Leave the database empty for the next test (DELETE, children first: faster than
    recreating the schema, and the migrations stay as they ran once)."""
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


class ApiClient:
    """Calls /api/v1 with a bearer token, as phones and scripts do."""

    def __init__(self, client, token=None):
        self.client = client
        self.token = token

    def as_user(self, email, password=PASSWORD) -> "ApiClient":
        response = self.client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return ApiClient(self.client, response.get_json()["token"])

    def _headers(self, headers=None):
        merged = dict(headers or {})
        if self.token:
            merged["Authorization"] = f"Bearer {self.token}"
        return merged

    def get(self, path, **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(f"/api/v1{path}", json=json, headers=self._headers(kwargs.pop("headers", None)),
                                **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.client.patch(f"/api/v1{path}", json=json, headers=self._headers(kwargs.pop("headers", None)),
                                 **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.client.put(f"/api/v1{path}", json=json, headers=self._headers(kwargs.pop("headers", None)),
                               **kwargs)

    def delete(self, path, **kwargs):
        return self.client.delete(f"/api/v1{path}", headers=self._headers(kwargs.pop("headers", None)), **kwargs)
