"""The scene the security tests play on: the EXCOM 2024 demo meeting with every role signed in,
a suspended member, quorum, motions and polls in both sessions, logo candidates, notes and a
memorandum version; plus throw-away "scratch" meetings (the same people in the same roles) for
calls that change a meeting for good (opening or closing a poll, adjourning).

Everything is built through the public API, as the secretariat would, so the scene also
exercises the routes it relies on.
"""
import io
import itertools
import struct
import zlib
from datetime import UTC
from types import SimpleNamespace

from flask_migrate import upgrade

import governance.realtime  # noqa: F401
import voting.live  # noqa: F401
from governance import create_app
from governance.extensions import db
from tests.factories import ApiClient

# The two imports above register the Socket.IO handlers (connect, join, vote) before any app
# exists. Imported later, inside create_app (after socketio.init_app), they reach only the
# first app's server; every app created after it in the same process would have no handlers
# (see test_socket_handlers_survive_a_second_app in test_access_matrix.py).

DEMO_PASSWORD = "excom-demo"
PASSWORD = "correct horse battery"
SECRETARIAT = "secretary-general@excom.example.org"
CHAIR = "seoul@excom.example.org"
DELEGATE = "abu-dhabi@excom.example.org"
SUSPENDED = "hebron@excom.example.org"  # Hebron's membership is suspended by the scene
OBSERVER = "yonhap@excom.example.org"  # the press
STRANGER = "stranger@example.org"  # signed in, takes part in nothing
VICTIM = "citynet@excom.example.org"  # an observer whose account others try to touch
OTHER_DELEGATE = "kampala@excom.example.org"

ROLES = ("secretariat", "chair", "delegate", "suspended", "observer", "stranger", "anonymous")
# who must never read anything of the closed session
OUTSIDERS = ("suspended", "observer", "stranger", "anonymous")

_serial = itertools.count(1)


EXTERNAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(side: int = 1) -> bytes:
    """A real, tiny PNG (grey pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80" * side for _ in range(side))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def app_config(database_url: str, instance: str) -> dict:
    return {"TESTING": True, "EXCOM_DATABASE_URL": database_url, "EXCOM_INSTANCE_PATH": instance,
            "EXCOM_SECRET_KEY": "test-secret", "EXCOM_DEMO_PASSWORD": DEMO_PASSWORD,
            "EXCOM_PASSWORD_METHOD": "pbkdf2:sha256:1000"}


def migrate(database_url: str, instance: str) -> None:
    app = create_app(app_config(database_url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def load_demo(app) -> int:
    from governance.cli import main
    from governance.meetings.models import Meeting
    result = app.test_cli_runner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        meeting_id = db.session.scalar(db.select(Meeting.id))
        db.session.remove()
    return meeting_id


def ok(response, status=None):
    expected = (status,) if status else (200, 201, 204)
    assert response.status_code in expected, (response.status_code, response.get_data(as_text=True)[:500])
    return response.get_json(silent=True)


class Scene:
    """The demo meeting, prepared for the access matrix. Attributes are ids and markers."""

    def __init__(self, app, meeting_id: int):
        self.app = app
        self.client = app.test_client()
        self.api = ApiClient(self.client)
        self.meeting_id = meeting_id
        desk = self.desk = self.api.as_user(SECRETARIAT, DEMO_PASSWORD)

        # the stranger: an account that takes part in no meeting
        self.stranger_id = ok(desk.post("/users", {"name": "Stranger Danger", "email": STRANGER,
                                                   "password": PASSWORD}), 201)["id"]
        self.emails = {"secretariat": SECRETARIAT, "chair": CHAIR, "delegate": DELEGATE, "suspended": SUSPENDED,
                       "observer": OBSERVER, "stranger": STRANGER}
        self.passwords = {role: (PASSWORD if role == "stranger" else DEMO_PASSWORD) for role in self.emails}
        # each role holds a personal token, which signing out (a row of the matrix) leaves alone:
        # a sign-out ends every login token of its person, and would end the role's own
        signed_in = {role: self.api.as_user(email, self.passwords[role]) for role, email in self.emails.items()}
        ids = {role: ok(c.get("/me"))["id"] for role, c in signed_in.items()}
        self.clients = {role: ApiClient(self.client, ok(desk.post(f"/users/{ids[role]}/token",
                                                                  {"label": f"access matrix: {role}"}), 201)["token"])
                        for role in signed_in}
        desk = self.desk = self.clients["secretariat"]
        self.clients["anonymous"] = ApiClient(self.client)
        self.tokens = {role: c.token for role, c in self.clients.items()}
        self.user_ids = {role: ok(c.get("/me"))["id"] for role, c in self.clients.items() if role != "anonymous"}

        users = {u["email"]: u["id"] for u in ok(desk.get("/users"))}
        self.victim_id = users[VICTIM]
        self.other_delegate_id = users[OTHER_DELEGATE]
        members = {m["name"]: m for m in ok(desk.get("/members"))}
        self.members = {name: m["id"] for name, m in members.items()}
        ok(desk.patch(f"/members/{self.members['Hebron']}", {"status": "suspended"}))

        participants = ok(desk.get(f"/meetings/{meeting_id}/participants"))
        self.participant_ids = {p["user_id"]: p["id"] for p in participants}
        self.victim_participant_id = self.participant_ids[self.victim_id]
        for p in participants:  # every EXCOM delegate, the suspended one too, is in the room
            if p["group"] == "excom_member":
                ok(desk.post(f"/meetings/{meeting_id}/attendance", {"user_id": p["user_id"], "mode": "in_person"}))

        meeting = ok(desk.get(f"/meetings/{meeting_id}"))
        self.meeting_title, self.venue = meeting["title"], meeting["venue"]
        open_session, closed_session = meeting["sessions"]
        assert (open_session["kind"], closed_session["kind"]) == ("open", "closed")
        self.open_session_id, self.closed_session_id = open_session["id"], closed_session["id"]
        self.open_session_title, self.closed_session_title = open_session["title"], closed_session["title"]
        self.open_items = {i["title"]: i for i in open_session["items"]}
        self.closed_items = {i["title"]: i for i in closed_session["items"]}
        self.open_item = self.open_items["Review of 2024 WeGO Secretariat Annual Report"]
        self.closed_item = self.closed_items["Approval of Membership Fee Use for 2025"]

        chair = self.clients["chair"]
        delegates = {city: self.api.as_user(email, DEMO_PASSWORD) for city, email in
                     (("Almaty", "almaty@excom.example.org"), ("Chengdu", "chengdu@excom.example.org"))}

        # the closed session: a motion voted and closed
        self.closed_motion = ok(desk.post(f"/items/{self.closed_item['id']}/motions", {
            "kind": "general", "title": "CLOSED-MOTION: spend the reserve on the secret project",
            "text": "CLOSED-TEXT: the reserve is 1.2 million"}), 201)
        self.closed_poll = ok(chair.post(f"/motions/{self.closed_motion['id']}/polls"), 201)
        for client in delegates.values():
            ok(client.post(f"/polls/{self.closed_poll['id']}/votes", {"choice": "yes"}), 201)
        ok(chair.post(f"/polls/{self.closed_poll['id']}/close"))

        # the open session: a logo ballot decided (so that the organisation has a logo) ...
        logo_item = self.open_items["Approval of New WeGO Logo"]
        logo_motion = ok(desk.post(f"/items/{logo_item['id']}/motions", {"kind": "logo", "title": "New logo"}), 201)
        self.open_logo = self.upload_logo(logo_motion["id"], "Blue logo")
        self.upload_logo(logo_motion["id"], "Green logo")
        logo_poll = ok(chair.post(f"/motions/{logo_motion['id']}/polls"), 201)
        for client in delegates.values():
            ok(client.post(f"/polls/{logo_poll['id']}/votes", {"choice": self.open_logo["value"]}), 201)
        assert ok(chair.post(f"/polls/{logo_poll['id']}/close"))["result"]["status"] == "elected"
        # ... a motion voted and closed, and one whose poll stays open
        self.open_closed_motion = ok(desk.post(f"/items/{self.open_item['id']}/motions", {
            "kind": "general", "title": "Note the annual report"}), 201)
        self.open_closed_poll = ok(chair.post(f"/motions/{self.open_closed_motion['id']}/polls"), 201)
        ok(delegates["Almaty"].post(f"/polls/{self.open_closed_poll['id']}/votes", {"choice": "yes"}), 201)
        ok(chair.post(f"/polls/{self.open_closed_poll['id']}/close"))
        # the closed session on the screen: made current before the last poll opens (no item
        # changes while a poll is open)
        ok(chair.post(f"/items/{self.closed_items['Annual Assessment of WeGO Regional Offices']['id']}/activate"))
        self.open_motion = ok(desk.post(f"/items/{self.open_item['id']}/motions", {
            "kind": "general", "title": "Thank the Secretariat for its report"}), 201)
        self.open_poll = ok(chair.post(f"/motions/{self.open_motion['id']}/polls"), 201)

        # logo motions still taking candidates: one in each session
        self.upload_motion = ok(desk.post(f"/items/{logo_item['id']}/motions",
                                          {"kind": "logo", "title": "Logo for the 2025 summit"}), 201)
        self.closed_logo_motion = ok(desk.post(f"/items/{self.closed_item['id']}/motions",
                                               {"kind": "logo", "title": "CLOSED-LOGO-MOTION: mascot"}), 201)
        self.closed_logo = self.upload_logo(self.closed_logo_motion["id"], "CLOSED-LOGO-LABEL: the secret mascot")

        # the previous meeting's memorandum, held outside the platform, put to the closed session
        self.closed_external = ok(self.client.post(
            "/api/v1/external-memoranda",
            data={"title": "CLOSED-MEMORANDUM of EXCOM 2023",
                  "file": (io.BytesIO(EXTERNAL_PDF), "excom-2023.pdf", "application/pdf")},
            headers={"Authorization": f"Bearer {desk.token}"}, content_type="multipart/form-data"), 201)
        memorandum_item = self.closed_items["Review of Meeting Memorandum of WeGO EXCOM 2023"]
        self.closed_approval_motion = ok(desk.post(f"/items/{memorandum_item['id']}/motions", {
            "kind": "minutes_approval", "title": "CLOSED-APPROVAL of the 2023 memorandum",
            "external_memorandum_id": self.closed_external["id"]}), 201)

        # notes in both sessions and a memorandum version
        ok(desk.put(f"/items/{self.open_item['id']}/notes", {"text": "The report was presented."}))
        ok(desk.put(f"/items/{self.closed_item['id']}/notes", {"text": "CLOSED-NOTE: the auditors were worried."}))
        ok(desk.post(f"/meetings/{meeting_id}/memorandum"), 201)

        # the demo's board pack: the annual report (open session) and the financial report (closed)
        self.open_document = ok(desk.get(f"/items/{self.open_item['id']}/documents"))[0]
        financial = self.closed_items["Review of 2024 Financial Report"]
        self.closed_document = ok(desk.get(f"/items/{financial['id']}/documents"))[0]

        # what an outsider must never read, in any answer
        self.closed_markers = [closed_session["title"], *self.closed_items, "CLOSED-",
                               self.closed_document["title"], self.closed_document["filename"],
                               self.closed_document["sha256"]]
        self.closed_ids = {
            "session_id": {self.closed_session_id},
            "item_id": {i["id"] for i in self.closed_items.values()},
            "motion_id": {self.closed_motion["id"], self.closed_logo_motion["id"], self.closed_approval_motion["id"]},
            "external_memorandum_id": {self.closed_external["id"]},
            "poll_id": {self.closed_poll["id"]},
        }
        # and what a stranger must not read either: that the meeting exists at all
        self.meeting_markers = [self.meeting_title, *self.open_items]
        self._scratch = {}

    # --- helpers ----------------------------------------------------------------------------

    def upload_logo(self, motion_id: int, label: str) -> dict:
        response = self.client.post(f"/api/v1/motions/{motion_id}/logos",
                                    data={"label": label, "file": (io.BytesIO(png()), "logo.png", "image/png")},
                                    headers={"Authorization": f"Bearer {self.desk.token}"},
                                    content_type="multipart/form-data")
        return ok(response, 201)

    def new_user(self, **fields) -> int:
        n = next(_serial)
        body = {"name": f"Person {n}", "email": f"person{n}@example.org", "password": PASSWORD, **fields}
        return ok(self.desk.post("/users", body), 201)["id"]

    def login(self, role: str) -> str:
        return self.api.as_user(self.emails[role], self.passwords[role]).token

    def scratch(self, key: str = "", poll_in: str | None = None) -> SimpleNamespace:
        """A small meeting with the same people in the same roles (chair and delegate checked in,
        quorum of one), a motion in each session and optionally a poll open in one of them.
        Cached under `key` until `spend(key)`: a refused call changes nothing, so the roles that
        are refused share one; each role that succeeds gets a fresh one."""
        if key and key in self._scratch:
            return self._scratch[key]
        from datetime import datetime

        from governance.auth.models import User
        from governance.meetings import operations as meetings
        from motions.operations import create_motion
        from voting.operations import open_poll
        # built through the operations in one transaction (one commit, not thirty): fast on both databases
        with self.app.app_context():
            desk = db.session.get(User, self.user_ids["secretariat"])
            meeting = meetings.create_meeting(actor=desk, title=f"Scratch meeting {next(_serial)}", venue="Hall",
                                              timezone="UTC", starts_at=datetime(2025, 3, 1, 9, tzinfo=UTC),
                                              quorum={"rule": "count", "count": 1})
            sessions, items, motions, polls = {}, {}, {}, {}
            for kind, title in (("open", "Scratch open"), ("closed", "CLOSED-SCRATCH")):
                sessions[kind] = meetings.add_session(meeting, actor=desk, title=f"{title} session", kind=kind)
                items[kind] = meetings.add_item(sessions[kind], actor=desk, title=f"{title} item", kind="motion")
                motions[kind] = create_motion(items[kind], actor=desk, kind="general", title=f"{title} motion")
            for role, group in (("chair", "excom_member"), ("delegate", "excom_member"),
                                ("suspended", "excom_member"), ("observer", "observer_media"),
                                ("secretariat", "secretariat")):
                meetings.add_participant(meeting, actor=desk, user_id=self.user_ids[role], group=group,
                                         chair=role == "chair")
            for role in ("chair", "delegate", "suspended"):
                meetings.record_attendance(meeting, actor=desk, user_id=self.user_ids[role], mode="online",
                                           present=True)
            if poll_in:
                polls[poll_in] = open_poll(motions[poll_in], actor=desk)
            db.session.flush()
            scratch = SimpleNamespace(meeting_id=meeting.id, sessions={k: v.id for k, v in sessions.items()},
                                      items={k: v.id for k, v in items.items()},
                                      motions={k: v.id for k, v in motions.items()},
                                      polls={k: v.id for k, v in polls.items()})
            db.session.commit()
            db.session.remove()
        if key:
            self._scratch[key] = scratch
        return scratch

    def spend(self, key: str) -> None:
        self._scratch.pop(key, None)
