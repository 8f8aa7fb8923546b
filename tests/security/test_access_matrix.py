"""Every /api/v1 route and every Socket.IO event, against every role, as governance/policy.py says.

The table below is the access policy written out: for each route (and, where it matters, for a
thing in the open and in the closed session) the status each role must get. A route that
is not in the table fails `test_every_api_route_is_classified`, so a new route has to be
classified before it ships.

Roles, on the EXCOM 2024 demo meeting (tests/security/scene.py):
  secretariat  secretary-general@…   prepares and records everything
  chair        seoul@…               chairs the meeting (and is Seoul's delegate)
  delegate     abu-dhabi@…           delegate of an active EXCOM member
  suspended    hebron@…              delegate of a member the secretariat suspended
  observer     yonhap@…              the press (observer_media)
  stranger     stranger@example.org  signed in, takes part in no meeting
  anonymous    –                     no credentials

Beyond the status, every answer to an outsider (suspended, observer, stranger, anonymous) is
searched for closed-session content: titles of the closed session and its items, the
closed motions' titles and texts, notes, logo labels (the scene marks each with "CLOSED-"),
and for the ids of closed items, motions and polls anywhere in a JSON answer. The DOCX
answers are read as text first. The stranger must not even learn the demo meeting's title.

Writes that succeed are built not to change what the next role sees: each role creates its
own things, writes the value already there, or, for calls that change a meeting for good
(opening or closing a poll, adjourning), gets a fresh scratch meeting with the same people
(a refused call changes nothing, so the refused roles share one).
"""
import io
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from docx import Document

from governance import create_app
from governance.extensions import socketio
from tests.factories import wipe_database
from tests.security.scene import (
    EXTERNAL_PDF,
    OUTSIDERS,
    PASSWORD,
    ROLES,
    Scene,
    app_config,
    load_demo,
    ok,
    png,
)
from voting.progress import ProgressCoalescer

_n = itertools.count(1)


def S(*codes):
    """Expected statuses in ROLES order: secretariat, chair, delegate, suspended, observer, stranger, anonymous."""
    assert len(codes) == len(ROLES)
    return dict(zip(ROLES, codes))


def PUBLIC(code=200):
    return S(code, code, code, code, code, code, code)


def SIGNED_IN(code=200):
    return S(code, code, code, code, code, code, 401)


def SECRETARIAT_ONLY(code):  # not tied to a meeting
    return S(code, 403, 403, 403, 403, 403, 401)


def SECRETARIAT_IN_MEETING(code):  # participants are refused, the stranger does not know the meeting
    return S(code, 403, 403, 403, 403, 404, 401)


def SECRETARIAT_IN_CLOSED(code):  # only who may see the closed session learns it exists
    return S(code, 403, 403, 404, 404, 404, 401)


def PARTICIPANTS(code=200):
    return S(code, code, code, code, code, 404, 401)


def CLOSED_READERS(code=200):
    return S(code, code, code, 404, 404, 404, 401)


def CHAIR_OPEN(code):
    return S(code, code, 403, 403, 403, 404, 401)


def CHAIR_CLOSED(code):
    return S(code, code, 403, 404, 404, 404, 401)


@dataclass
class Row:
    method: str
    rule: str
    expect: dict
    call: Callable  # (scene, role) -> {"args": {path params}, "json"|"form"|"query"|"token": ...}
    variant: str = ""
    spends: str = ""  # a scratch meeting key to throw away after a successful call
    xfail: str = ""

    @property
    def id(self):
        return f"{self.method} {self.rule.removeprefix('/api/v1')}" + (f" [{self.variant}]" if self.variant else "")


def _document_form(title):
    from governance.demo.documents import pdf
    return lambda: {"title": title, "file": (io.BytesIO(pdf(title, ["matrix"])), "paper.pdf", "application/pdf")}


def _fresh_document(s, item_id):
    response = s.client.post(f"/api/v1/items/{item_id}/documents", data=_document_form(f"Spare {next(_n)}")(),
                             headers={"Authorization": f"Bearer {s.desk.token}"}, content_type="multipart/form-data")
    return ok(response, 201)["id"]


def _cached(s, key, make):
    """Kept until `spends` throws it away (the scene's scratch cache): refused roles share one."""
    if key not in s._scratch:
        s._scratch[key] = make()
    return s._scratch[key]


def _added(s, item_id, user_id, kind="question"):
    """A request on the list for someone, put there by the desk."""
    return ok(s.desk.post(f"/items/{item_id}/speakers", {"kind": kind, "text": f"Asked {next(_n)}",
                                                          "user_id": user_id}), 201)["id"]


def _scratch_speaker(s, session, status):
    """A scratch meeting whose item in `session` is current, with the delegate on its list
    (waiting, or already speaking)."""
    meeting = s.scratch()
    item = meeting.items[session]
    ok(s.desk.post(f"/items/{item}/activate"))
    speaker = _added(s, item, s.user_ids["delegate"], kind="speech")
    if status == "speaking":
        ok(s.desk.post(f"/speakers/{speaker}/start"))
    return speaker


def _logo_form(label):
    return lambda: {"label": label, "file": (io.BytesIO(png()), "logo.png", "image/png")}


def _own_id(s, role):
    return s.user_ids.get(role, s.victim_id)


def _personal_token(s, user_id):
    return ok(s.desk.post(f"/users/{user_id}/token", {"label": "matrix"}), 201)["id"]


def _credentials(s, role):
    if role == "anonymous":
        return {"email": "nobody@example.org", "password": "not the password"}
    return {"email": s.emails[role], "password": s.passwords[role]}


def _csv(text):
    return lambda: {"file": (io.BytesIO(text.encode()), "list.csv", "text/csv")}


def _fresh_participant(s, role):
    """A guest added for this role alone, so that deleting it leaves the others' rows alone."""
    user_id = s.new_user()
    return ok(s.desk.post(f"/meetings/{s.meeting_id}/participants", {"user_id": user_id, "group": "guest"}), 201)["id"]


def _fresh_closed_logo(s, role):
    return s.upload_logo(s.closed_logo_motion["id"], f"CLOSED-LOGO to delete by {role}")["id"]


def _logo_back(s):
    """The organisation's logo again, before each role's attempt to remove it."""
    ok(s.client.put("/api/v1/organisation/logo", data={"file": (io.BytesIO(png()), "logo.png", "image/png")},
                    headers={"Authorization": f"Bearer {s.desk.token}"}, content_type="multipart/form-data"))
    return {}


def _letterhead() -> bytes:
    from tests.minutes.test_memorandum_template import LETTERHEAD, docx_with
    return docx_with(LETTERHEAD)


def _template_back(s):
    """The secretariat's memorandum template in place, before each role's attempt to read or remove it
    (uploaded again only when a removal took it: each upload renders the template to check it)."""
    there = s.client.get("/api/v1/organisation/memorandum-template",
                         headers={"Authorization": f"Bearer {s.desk.token}"})
    if there.status_code == 200:
        return {}
    ok(s.client.put("/api/v1/organisation/memorandum-template", data={"file": (io.BytesIO(_letterhead()),
                                                                                "letterhead.docx")},
                    headers={"Authorization": f"Bearer {s.desk.token}"}, content_type="multipart/form-data"))
    return {}


M = "/api/v1/meetings/<int:meeting_id>"
ROWS = [
    # --- sign in, users, tokens -------------------------------------------------------------
    Row("POST", "/api/v1/auth/login", S(200, 200, 200, 200, 200, 200, 401),
        lambda s, r: {"json": _credentials(s, r)}, "own credentials; anonymous: wrong ones"),
    Row("POST", "/api/v1/auth/logout", SIGNED_IN(204),
        lambda s, r: {"token": s.login(r) if r != "anonymous" else None}, "a fresh login token"),
    Row("POST", "/api/v1/auth/password", S(401, 401, 401, 401, 401, 401, 401),
        lambda s, r: {"json": {"current_password": "not the password", "new_password": PASSWORD}},
        "a wrong current password"),
    Row("POST", "/api/v1/auth/password-reset", PUBLIC(202),
        lambda s, r: {"json": {"email": f"nobody-{r}-{next(_n)}@example.org"}}, "public: the same for everyone"),
    Row("POST", "/api/v1/auth/password-reset/confirm", PUBLIC(400),
        lambda s, r: {"json": {"code": "not-a-code", "new_password": PASSWORD}}, "public: a wrong code"),
    Row("DELETE", "/api/v1/users/<int:user_id>/sessions", S(200, 404, 404, 404, 404, 404, 401),
        lambda s, r: {"args": {"user_id": s.victim_id}}, "someone else's"),
    Row("DELETE", "/api/v1/users/<int:user_id>/sessions", SIGNED_IN(200),
        lambda s, r: {"args": {"user_id": _own_id(s, r)}}, "their own (the roles' personal tokens stay)"),
    Row("POST", "/api/v1/users/<int:user_id>/access-link", SECRETARIAT_ONLY(201),
        lambda s, r: {"args": {"user_id": s.victim_id}, "json": {"label": f"by {r}"}}),
    Row("GET", "/api/v1/me", SIGNED_IN(200), lambda s, r: {}),
    Row("GET", "/api/v1/users", SECRETARIAT_ONLY(200), lambda s, r: {}),
    Row("POST", "/api/v1/users", SECRETARIAT_ONLY(201),
        lambda s, r: {"json": {"name": f"Made by {r}", "email": f"made-{r}-{next(_n)}@example.org",
                               "password": PASSWORD}}),
    Row("GET", "/api/v1/users/<int:user_id>", S(200, 404, 404, 404, 404, 404, 401),
        lambda s, r: {"args": {"user_id": s.victim_id}}, "someone else"),
    Row("GET", "/api/v1/users/<int:user_id>", SIGNED_IN(200),
        lambda s, r: {"args": {"user_id": _own_id(s, r)}}, "themself"),
    Row("PATCH", "/api/v1/users/<int:user_id>", SECRETARIAT_ONLY(200),
        lambda s, r: {"args": {"user_id": s.victim_id}, "json": {"title": "Observer"}}),
    Row("POST", "/api/v1/users/<int:user_id>/token", SECRETARIAT_ONLY(201),
        lambda s, r: {"args": {"user_id": s.victim_id}, "json": {"label": f"by {r}"}}),
    Row("GET", "/api/v1/users/<int:user_id>/tokens", SECRETARIAT_ONLY(200),
        lambda s, r: {"args": {"user_id": s.victim_id}}),
    Row("DELETE", "/api/v1/tokens/<int:token_id>", S(204, 404, 404, 404, 404, 404, 401),
        lambda s, r: {"args": {"token_id": _personal_token(s, s.victim_id)}}, "someone else's"),
    Row("DELETE", "/api/v1/tokens/<int:token_id>", SIGNED_IN(204),
        lambda s, r: {"args": {"token_id": _personal_token(s, _own_id(s, r))}}, "their own"),
    # --- the registry -----------------------------------------------------------------------
    Row("GET", "/api/v1/members", SIGNED_IN(200), lambda s, r: {}),
    Row("POST", "/api/v1/members", SECRETARIAT_ONLY(201),
        lambda s, r: {"json": {"name": f"Atlantis {next(_n)}", "category": "city"}}),
    Row("GET", "/api/v1/members/<int:member_id>", SIGNED_IN(200),
        lambda s, r: {"args": {"member_id": s.members["Kaohsiung"]}}),
    Row("PATCH", "/api/v1/members/<int:member_id>", SECRETARIAT_ONLY(200),
        lambda s, r: {"args": {"member_id": s.members["Kaohsiung"]}, "json": {"country": "Taiwan"}}),
    Row("GET", "/api/v1/organisation", PUBLIC(200), lambda s, r: {}, "public: the sign-in page shows it"),
    Row("GET", "/api/v1/organisation/logo", PUBLIC(200), lambda s, r: {}, "public: the elected logo"),
    Row("GET", "/api/v1/openapi.json", PUBLIC(200), lambda s, r: {}, "public: the API's own description"),
    # --- meetings, sessions, agenda ---------------------------------------------------------
    Row("GET", "/api/v1/meetings", SIGNED_IN(200), lambda s, r: {}, "each sees only their own"),
    Row("POST", "/api/v1/meetings", SECRETARIAT_ONLY(201),
        lambda s, r: {"json": {"title": f"Meeting by {r}", "starts_at": "2025-09-01T09:00:00+05:00"}}),
    Row("GET", M, PARTICIPANTS(), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("PATCH", M, SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {"venue": s.venue}}),
    Row("POST", M + "/adjourn", CHAIR_OPEN(200),
        lambda s, r: {"args": {"meeting_id": s.scratch("adjourn").meeting_id}}, "scratch meeting", spends="adjourn"),
    Row("GET", M + "/sessions", PARTICIPANTS(), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("POST", M + "/sessions", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {"title": f"Extra session by {r}",
                                                                     "kind": "open"}}),
    Row("POST", "/api/v1/sessions/<int:session_id>/items", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"session_id": s.open_session_id}, "json": {"title": f"Extra item by {r}"}},
        "open session"),
    Row("POST", "/api/v1/sessions/<int:session_id>/items", SECRETARIAT_IN_CLOSED(201),
        lambda s, r: {"args": {"session_id": s.closed_session_id}, "json": {"title": f"CLOSED-ITEM by {r}"}},
        "closed session"),
    Row("GET", "/api/v1/items/<int:item_id>", PARTICIPANTS(),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}}, "open session"),
    Row("GET", "/api/v1/items/<int:item_id>", CLOSED_READERS(),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}}, "closed session"),
    Row("PATCH", "/api/v1/items/<int:item_id>", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}, "json": {"number": s.open_item["number"]}},
        "open session"),
    Row("PATCH", "/api/v1/items/<int:item_id>", SECRETARIAT_IN_CLOSED(200),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}, "json": {"number": s.closed_item["number"]}},
        "closed session"),
    # in a meeting with no poll open: while one is, no role may change the item (409 poll_open)
    Row("POST", "/api/v1/items/<int:item_id>/activate", CHAIR_OPEN(200),
        lambda s, r: {"args": {"item_id": s.scratch("activate").items["open"]}}, "open session, no poll open"),
    Row("POST", "/api/v1/items/<int:item_id>/activate", CHAIR_CLOSED(200),
        lambda s, r: {"args": {"item_id": s.scratch("activate").items["closed"]}}, "closed session, no poll open"),
    # the scene's open poll is on the open item while the closed one is current: 409 poll_open
    Row("POST", "/api/v1/items/<int:item_id>/activate", CHAIR_OPEN(409),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}}, "another item while a poll is open"),
    # --- participants, attendance, quorum, audit --------------------------------------------
    Row("GET", M + "/participants", PARTICIPANTS(), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("POST", M + "/participants", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {"user_id": s.new_user(), "group": "guest"}}),
    Row("PATCH", "/api/v1/participants/<int:participant_id>", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"participant_id": s.victim_participant_id}, "json": {"excused": False}}),
    Row("POST", M + "/attendance", PARTICIPANTS(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {"user_id": _own_id(s, r), "mode": "in_person"}},
        "themself"),
    Row("POST", M + "/attendance", CHAIR_OPEN(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id},
                      "json": {"user_id": s.other_delegate_id, "mode": "in_person"}}, "someone else"),
    Row("GET", M + "/quorum", PARTICIPANTS(), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("GET", M + "/vote-record", S(403, 200, 200, 200, 403, 404, 401),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}}, "one's own member's (the polls one may see)"),
    Row("GET", M + "/vote-record", S(200, 403, 403, 403, 403, 404, 401),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "query": {"member_id": s.members["Kaohsiung"]}},
        "another member's"),
    Row("GET", M + "/audit", SECRETARIAT_IN_MEETING(200), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("POST", M + "/publish", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.scratch("publish").meeting_id}}, "scratch meeting", spends="publish"),
    # --- motions and logo candidates --------------------------------------------------------
    Row("POST", "/api/v1/items/<int:item_id>/motions", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}, "json": {"kind": "general", "title": f"By {r}"}},
        "open session"),
    Row("POST", "/api/v1/items/<int:item_id>/motions", SECRETARIAT_IN_CLOSED(201),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]},
                      "json": {"kind": "general", "title": f"CLOSED-MOTION by {r}"}}, "closed session"),
    Row("GET", "/api/v1/items/<int:item_id>/motions", PARTICIPANTS(),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}}, "open session"),
    Row("GET", "/api/v1/items/<int:item_id>/motions", CLOSED_READERS(),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}}, "closed session"),
    Row("POST", "/api/v1/motions/<int:motion_id>/logos", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"motion_id": s.upload_motion["id"]}, "form": _logo_form(f"Logo by {r}")},
        "open session"),
    Row("POST", "/api/v1/motions/<int:motion_id>/logos", SECRETARIAT_IN_CLOSED(201),
        lambda s, r: {"args": {"motion_id": s.closed_logo_motion["id"]}, "form": _logo_form(f"CLOSED-LOGO by {r}")},
        "closed session"),
    Row("GET", "/api/v1/logos/<int:candidate_id>", PARTICIPANTS(),
        lambda s, r: {"args": {"candidate_id": s.open_logo["id"]}}, "open session"),
    Row("GET", "/api/v1/logos/<int:candidate_id>", CLOSED_READERS(),
        lambda s, r: {"args": {"candidate_id": s.closed_logo["id"]}}, "closed session"),
    Row("GET", "/api/v1/logos/<int:candidate_id>/original", PARTICIPANTS(),
        lambda s, r: {"args": {"candidate_id": s.open_logo["id"]}}, "open session"),
    Row("GET", "/api/v1/logos/<int:candidate_id>/original", CLOSED_READERS(),
        lambda s, r: {"args": {"candidate_id": s.closed_logo["id"]}}, "closed session"),
    # --- memoranda held outside the platform (put to the closed session in the scene) ---------
    Row("POST", "/api/v1/external-memoranda", SECRETARIAT_ONLY(201),
        lambda s, r: {"form": lambda: {"title": f"Memorandum by {r}",
                                       "file": (io.BytesIO(EXTERNAL_PDF), "memo.pdf", "application/pdf")}}),
    Row("GET", "/api/v1/external-memoranda", SECRETARIAT_ONLY(200), lambda s, r: {}),
    Row("GET", "/api/v1/external-memoranda/<int:memorandum_id>", CLOSED_READERS(),
        lambda s, r: {"args": {"memorandum_id": s.closed_external["id"]}}, "put to the closed session"),
    Row("GET", "/api/v1/external-memoranda/<int:memorandum_id>/file", CLOSED_READERS(),
        lambda s, r: {"args": {"memorandum_id": s.closed_external["id"]}}, "put to the closed session"),
    # --- documents on agenda items ----------------------------------------------------------
    Row("POST", "/api/v1/items/<int:item_id>/documents", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}, "form": _document_form(f"Paper by {r}")},
        "open session"),
    Row("POST", "/api/v1/items/<int:item_id>/documents", SECRETARIAT_IN_CLOSED(201),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}, "form": _document_form(f"CLOSED-DOC by {r}")},
        "closed session"),
    Row("GET", "/api/v1/items/<int:item_id>/documents", PARTICIPANTS(),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}}, "open session"),
    Row("GET", "/api/v1/items/<int:item_id>/documents", CLOSED_READERS(),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}}, "closed session"),
    Row("GET", "/api/v1/documents/<int:document_id>", PARTICIPANTS(),
        lambda s, r: {"args": {"document_id": s.open_document["id"]}}, "open session: the annual report"),
    Row("GET", "/api/v1/documents/<int:document_id>", CLOSED_READERS(),
        lambda s, r: {"args": {"document_id": s.closed_document["id"]}}, "closed session: the financial report"),
    Row("DELETE", "/api/v1/documents/<int:document_id>", SECRETARIAT_IN_MEETING(204),
        lambda s, r: {"args": {"document_id": _cached(s, "doc-open", lambda: _fresh_document(s, s.open_item["id"]))}},
        "open session, a spare document", spends="doc-open"),
    Row("DELETE", "/api/v1/documents/<int:document_id>", SECRETARIAT_IN_CLOSED(204),
        lambda s, r: {"args": {"document_id": _cached(s, "doc-closed",
                                                      lambda: _fresh_document(s, s.closed_item["id"]))}},
        "closed session, a spare document", spends="doc-closed"),
    # --- the speakers' list -------------------------------------------------------------------
    Row("GET", "/api/v1/items/<int:item_id>/speakers", PARTICIPANTS(),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}}, "open session"),
    Row("GET", "/api/v1/items/<int:item_id>/speakers", CLOSED_READERS(),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}}, "closed session"),
    Row("POST", "/api/v1/items/<int:item_id>/speakers", S(201, 201, 201, 201, 201, 404, 401),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}, "json": {"kind": "question", "text": f"By {r}?"}},
        "themself, open session"),
    Row("POST", "/api/v1/items/<int:item_id>/speakers", S(201, 201, 201, 404, 404, 404, 401),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]},
                      "json": {"kind": "question", "text": f"CLOSED-QUESTION by {r}?"}}, "themself, closed session"),
    Row("POST", "/api/v1/items/<int:item_id>/speakers", CHAIR_OPEN(201),
        lambda s, r: {"args": {"item_id": s.open_item["id"]},
                      "json": {"kind": "question", "text": f"Added by {r}?",
                               "user_id": s.other_delegate_id if r == "chair" else s.victim_id}},
        "someone else, open session"),
    Row("POST", "/api/v1/items/<int:item_id>/speakers", CHAIR_CLOSED(201),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]},
                      "json": {"kind": "question", "text": f"CLOSED-ADDED by {r}?", "user_id": s.other_delegate_id}},
        "someone else, closed session"),
    Row("POST", "/api/v1/speakers/<int:speaker_id>/start", CHAIR_OPEN(200),
        lambda s, r: {"args": {"speaker_id": _cached(s, "start-open", lambda: _scratch_speaker(s, "open", "waiting"))}},
        "open session, scratch meeting", spends="start-open"),
    Row("POST", "/api/v1/speakers/<int:speaker_id>/start", CHAIR_CLOSED(200),
        lambda s, r: {"args": {"speaker_id": _cached(s, "start-closed",
                                                     lambda: _scratch_speaker(s, "closed", "waiting"))}},
        "closed session, scratch meeting", spends="start-closed"),
    Row("POST", "/api/v1/speakers/<int:speaker_id>/stop", CHAIR_OPEN(200),
        lambda s, r: {"args": {"speaker_id": _cached(s, "stop-open", lambda: _scratch_speaker(s, "open", "speaking"))}},
        "open session, scratch meeting", spends="stop-open"),
    Row("POST", "/api/v1/speakers/<int:speaker_id>/stop", CHAIR_CLOSED(200),
        lambda s, r: {"args": {"speaker_id": _cached(s, "stop-closed",
                                                     lambda: _scratch_speaker(s, "closed", "speaking"))}},
        "closed session, scratch meeting", spends="stop-closed"),
    Row("POST", "/api/v1/speakers/<int:speaker_id>/answered", CHAIR_OPEN(200),
        lambda s, r: {"args": {"speaker_id": _cached(s, "answer-open",
                                                     lambda: _added(s, s.open_item["id"], s.victim_id))}},
        "a question, open session", spends="answer-open"),
    Row("POST", "/api/v1/speakers/<int:speaker_id>/answered", CHAIR_CLOSED(200),
        lambda s, r: {"args": {"speaker_id": _cached(s, "answer-closed",
                                                     lambda: _added(s, s.closed_item["id"], s.other_delegate_id))}},
        "a question, closed session", spends="answer-closed"),
    Row("DELETE", "/api/v1/speakers/<int:speaker_id>", S(204, 204, 204, 204, 204, 404, 401),
        lambda s, r: {"args": {"speaker_id": _cached(s, "someone-else-s",
                                                     lambda: _added(s, s.open_item["id"], s.victim_id))
                               if r in ("stranger", "anonymous") else _added(s, s.open_item["id"], s.user_ids[r])}},
        "their own, open session (the stranger's and the anonymous': someone else's)"),
    Row("DELETE", "/api/v1/speakers/<int:speaker_id>", CHAIR_OPEN(204),
        lambda s, r: {"args": {"speaker_id": _cached(s, "withdraw-open",
                                                     lambda: _added(s, s.open_item["id"], s.other_delegate_id))}},
        "someone else's, open session", spends="withdraw-open"),
    Row("DELETE", "/api/v1/speakers/<int:speaker_id>", CHAIR_CLOSED(204),
        lambda s, r: {"args": {"speaker_id": _cached(s, "withdraw-closed", lambda: _added(
            s, s.closed_item["id"], s.other_delegate_id, kind="speech"))}},
        "someone else's, closed session", spends="withdraw-closed"),
    # --- motions' rounds, polls, votes, ballots ---------------------------------------------
    Row("GET", "/api/v1/motions/<int:motion_id>", PARTICIPANTS(),
        lambda s, r: {"args": {"motion_id": s.open_motion["id"]}}, "open session"),
    Row("GET", "/api/v1/motions/<int:motion_id>", CLOSED_READERS(),
        lambda s, r: {"args": {"motion_id": s.closed_motion["id"]}}, "closed session"),
    Row("GET", M + "/motions", PARTICIPANTS(), lambda s, r: {"args": {"meeting_id": s.meeting_id}},
        "outsiders get the open session's only"),
    Row("POST", "/api/v1/motions/<int:motion_id>/polls", CHAIR_OPEN(201),
        lambda s, r: {"args": {"motion_id": s.scratch("open-poll-open").motions["open"]}},
        "open session, scratch meeting", spends="open-poll-open"),
    Row("POST", "/api/v1/motions/<int:motion_id>/polls", CHAIR_CLOSED(201),
        lambda s, r: {"args": {"motion_id": s.scratch("open-poll-closed").motions["closed"]}},
        "closed session, scratch meeting", spends="open-poll-closed"),
    Row("GET", "/api/v1/polls/<int:poll_id>", PARTICIPANTS(),
        lambda s, r: {"args": {"poll_id": s.open_poll["id"]}}, "open session"),
    Row("GET", "/api/v1/polls/<int:poll_id>", CLOSED_READERS(),
        lambda s, r: {"args": {"poll_id": s.closed_poll["id"]}}, "closed session"),
    Row("GET", "/api/v1/polls/<int:poll_id>/turnout", CHAIR_OPEN(200),
        lambda s, r: {"args": {"poll_id": s.open_poll["id"]}}, "open session"),
    Row("GET", "/api/v1/polls/<int:poll_id>/turnout", CHAIR_CLOSED(200),
        lambda s, r: {"args": {"poll_id": s.closed_poll["id"]}}, "closed session"),
    # one vote per member: the chair (Seoul) and the delegate (Abu Dhabi) vote for different members
    Row("POST", "/api/v1/polls/<int:poll_id>/votes", S(403, 201, 201, 403, 403, 404, 401),
        lambda s, r: {"args": {"poll_id": s.open_poll["id"]}, "json": {"choice": "yes"}}, "open session, poll open"),
    # the poll is closed: who may see it learns that (409); to anyone else it does not exist
    Row("POST", "/api/v1/polls/<int:poll_id>/votes", S(409, 409, 409, 404, 404, 404, 401),
        lambda s, r: {"args": {"poll_id": s.closed_poll["id"]}, "json": {"choice": "yes"}},
        "closed session, poll closed"),
    # --- the desk's own calls (issue 17): first run, organisation, registry, corrections -----
    Row("GET", "/api/v1/first-run", PUBLIC(200), lambda s, r: {}, "public: whether set-up is still open"),
    Row("POST", "/api/v1/first-run", PUBLIC(409),
        lambda s, r: {"json": {"key": "anything", "organisation": {"name": "Take-over"},
                               "account": {"name": "Mallory", "email": f"mallory-{r}@example.org",
                                           "password": PASSWORD}}}, "accounts exist: closed to everyone"),
    Row("PATCH", "/api/v1/organisation", SECRETARIAT_ONLY(200),
        lambda s, r: {"json": {"resolution_format": "{reference}/R{n}"}}, "the value already there"),
    Row("PUT", "/api/v1/organisation/logo", SECRETARIAT_ONLY(200),
        lambda s, r: {"form": lambda: {"file": (io.BytesIO(png()), "logo.png", "image/png")}}),
    Row("DELETE", "/api/v1/organisation/logo", SECRETARIAT_ONLY(200),
        lambda s, r: _logo_back(s), "the logo put back before each role"),
    Row("GET", "/api/v1/members/<int:member_id>/history", SECRETARIAT_ONLY(200),
        lambda s, r: {"args": {"member_id": s.members["Hebron"]}}),
    Row("POST", "/api/v1/members/import/preview", SECRETARIAT_ONLY(200),
        lambda s, r: {"form": _csv(f"name,country\nPreviewed by {r},Nowhere\n")}),
    Row("POST", "/api/v1/members/import", SECRETARIAT_ONLY(200),
        lambda s, r: {"form": _csv(f"name,category\nImported by {r} {next(_n)},city\n")}),
    Row("GET", "/api/v1/members/export", SECRETARIAT_ONLY(200), lambda s, r: {"query": {"format": "xlsx"}}),
    Row("DELETE", M, SECRETARIAT_IN_MEETING(409), lambda s, r: {"args": {"meeting_id": s.meeting_id}},
        "it has happened: 409 in_use"),
    Row("POST", M + "/copy", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"meeting_id": s.meeting_id},
                      "json": {"title": f"Copy by {r}", "starts_at": "2025-09-01T09:00:00+05:00",
                               "sessions": False, "participants": False}}),
    Row("PATCH", "/api/v1/sessions/<int:session_id>", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"session_id": s.open_session_id}, "json": {"title": s.open_session_title}},
        "open session"),
    Row("PATCH", "/api/v1/sessions/<int:session_id>", SECRETARIAT_IN_CLOSED(200),
        lambda s, r: {"args": {"session_id": s.closed_session_id}, "json": {"title": s.closed_session_title}},
        "closed session"),
    Row("DELETE", "/api/v1/sessions/<int:session_id>", SECRETARIAT_IN_MEETING(409),
        lambda s, r: {"args": {"session_id": s.open_session_id}}, "open session, has items"),
    Row("DELETE", "/api/v1/sessions/<int:session_id>", SECRETARIAT_IN_CLOSED(409),
        lambda s, r: {"args": {"session_id": s.closed_session_id}}, "closed session, has items"),
    Row("DELETE", "/api/v1/items/<int:item_id>", SECRETARIAT_IN_MEETING(409),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}}, "open session, has motions"),
    Row("DELETE", "/api/v1/items/<int:item_id>", SECRETARIAT_IN_CLOSED(409),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}}, "closed session, has motions"),
    Row("DELETE", "/api/v1/participants/<int:participant_id>", SECRETARIAT_IN_MEETING(204),
        lambda s, r: {"args": {"participant_id": _fresh_participant(s, r)}}, "a guest added for each role"),
    Row("POST", M + "/apologies", PARTICIPANTS(200),
        lambda s, r: {"args": {"meeting_id": s.scratch("apologies").meeting_id}, "json": {"excused": False}},
        "themself, before the call to order"),
    Row("POST", M + "/participants/import/preview", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id},
                      "form": _csv(f"email,name\npreview-{r}@example.org,Preview\n")}),
    Row("POST", M + "/participants/import", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id},
                      "form": _csv(f"email,name,group\nimported-{r}-{next(_n)}@example.org,Imported,guest\n")}),
    Row("GET", M + "/participants/export", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "query": {"format": "csv"}}),
    Row("PATCH", "/api/v1/motions/<int:motion_id>", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"motion_id": s.open_motion["id"]}, "json": {"seconded_by_id": None}}, "open session"),
    Row("PATCH", "/api/v1/motions/<int:motion_id>", SECRETARIAT_IN_CLOSED(200),
        lambda s, r: {"args": {"motion_id": s.closed_motion["id"]}, "json": {"seconded_by_id": None}},
        "closed session"),
    Row("DELETE", "/api/v1/motions/<int:motion_id>", SECRETARIAT_IN_MEETING(409),
        lambda s, r: {"args": {"motion_id": s.open_motion["id"]}}, "open session, put to the vote"),
    Row("DELETE", "/api/v1/motions/<int:motion_id>", SECRETARIAT_IN_CLOSED(409),
        lambda s, r: {"args": {"motion_id": s.closed_motion["id"]}}, "closed session, decided"),
    Row("POST", "/api/v1/motions/<int:motion_id>/withdraw", SECRETARIAT_IN_MEETING(409),
        lambda s, r: {"args": {"motion_id": s.open_motion["id"]}}, "open session, its poll open"),
    Row("POST", "/api/v1/motions/<int:motion_id>/withdraw", SECRETARIAT_IN_CLOSED(409),
        lambda s, r: {"args": {"motion_id": s.closed_motion["id"]}}, "closed session, decided"),
    Row("PATCH", "/api/v1/logos/<int:candidate_id>", SECRETARIAT_IN_MEETING(409),
        lambda s, r: {"args": {"candidate_id": s.open_logo["id"]}, "json": {"label": "Blue logo"}},
        "open session, ballot decided"),
    Row("PATCH", "/api/v1/logos/<int:candidate_id>", SECRETARIAT_IN_CLOSED(200),
        lambda s, r: {"args": {"candidate_id": s.closed_logo["id"]}, "json": {"label": s.closed_logo["label"]}},
        "closed session, the label already there"),
    Row("DELETE", "/api/v1/logos/<int:candidate_id>", SECRETARIAT_IN_MEETING(409),
        lambda s, r: {"args": {"candidate_id": s.open_logo["id"]}}, "open session, ballot decided"),
    Row("DELETE", "/api/v1/logos/<int:candidate_id>", SECRETARIAT_IN_CLOSED(204),
        lambda s, r: {"args": {"candidate_id": _fresh_closed_logo(s, r)}}, "closed session, one uploaded per role"),
    Row("DELETE", M + "/polls", SECRETARIAT_IN_MEETING(409), lambda s, r: {"args": {"meeting_id": s.meeting_id}},
        "called to order: 409 meeting_started"),
    Row("POST", "/api/v1/polls/<int:poll_id>/close", CHAIR_OPEN(200),
        lambda s, r: {"args": {"poll_id": s.scratch("close-open", poll_in="open").polls["open"]}},
        "open session, scratch meeting", spends="close-open"),
    Row("POST", "/api/v1/polls/<int:poll_id>/close", CHAIR_CLOSED(200),
        lambda s, r: {"args": {"poll_id": s.scratch("close-closed", poll_in="closed").polls["closed"]}},
        "closed session, scratch meeting", spends="close-closed"),
    # the scene's closed polls are yes/no, not tied: who may run the meeting learns that (409 not_tied
    # or already_decided); the success path is tests/voting/test_casting_vote.py
    Row("POST", "/api/v1/polls/<int:poll_id>/casting-vote", CHAIR_OPEN(409),
        lambda s, r: {"args": {"poll_id": s.open_closed_poll["id"]}, "json": {"casting_vote": 1}},
        "open session, poll closed"),
    Row("POST", "/api/v1/polls/<int:poll_id>/casting-vote", CHAIR_CLOSED(409),
        lambda s, r: {"args": {"poll_id": s.closed_poll["id"]}, "json": {"casting_vote": 1}},
        "closed session, poll closed"),
    Row("GET", "/api/v1/polls/<int:poll_id>/ballots", PARTICIPANTS(),
        lambda s, r: {"args": {"poll_id": s.open_closed_poll["id"]}}, "open session, poll closed"),
    Row("GET", "/api/v1/polls/<int:poll_id>/ballots", PARTICIPANTS(409),
        lambda s, r: {"args": {"poll_id": s.open_poll["id"]}}, "open session, poll still open"),
    Row("GET", "/api/v1/polls/<int:poll_id>/ballots", CLOSED_READERS(),
        lambda s, r: {"args": {"poll_id": s.closed_poll["id"]}}, "closed session, poll closed"),
    # --- notes and the memorandum -----------------------------------------------------------
    Row("GET", "/api/v1/items/<int:item_id>/notes", PARTICIPANTS(),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}}, "open session"),
    Row("GET", "/api/v1/items/<int:item_id>/notes", CLOSED_READERS(),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}}, "closed session"),
    Row("PUT", "/api/v1/items/<int:item_id>/notes", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"item_id": s.open_item["id"]}, "json": {"text": f"Noted by {r}."}}, "open session"),
    Row("PUT", "/api/v1/items/<int:item_id>/notes", SECRETARIAT_IN_CLOSED(200),
        lambda s, r: {"args": {"item_id": s.closed_item["id"]}, "json": {"text": f"CLOSED-NOTE by {r}."}},
        "closed session"),
    Row("POST", M + "/memorandum", SECRETARIAT_IN_MEETING(201), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("GET", M + "/memorandum", PARTICIPANTS(), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("GET", M + "/memorandum.docx", S(200, 200, 200, 403, 403, 404, 401),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "query": {"edition": "full"}}, "full edition"),
    Row("GET", M + "/memorandum.docx", PARTICIPANTS(),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "query": {"edition": "public"}}, "public edition"),
    Row("POST", M + "/memorandum/distribute", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {"audience": "excom"}}),
    Row("GET", M + "/memorandum/recipients", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "query": {"audience": "all"}}),
    # the scene has no SMTP server: the secretariat's retry is refused as unavailable, after the access check
    Row("POST", M + "/memorandum/retry", SECRETARIAT_IN_MEETING(503),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {}}),
    # --- invitations ----------------------------------------------------------------------------
    Row("GET", M + "/invitations", SECRETARIAT_IN_MEETING(200), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    Row("POST", M + "/invitations", SECRETARIAT_IN_MEETING(201),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {"user_ids": [s.user_ids["secretariat"]]}}),
    Row("POST", M + "/invitations/revoke", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "json": {"user_ids": [s.user_ids["secretariat"]]}}),
    Row("GET", M + "/calendar.ics", PARTICIPANTS(), lambda s, r: {"args": {"meeting_id": s.meeting_id}}),
    # --- the secretariat's own memorandum template (issue 18) -----------------------------------
    Row("PUT", "/api/v1/organisation/memorandum-template", SECRETARIAT_ONLY(200),
        lambda s, r: {"form": lambda: {"file": (io.BytesIO(_letterhead()), "letterhead.docx")}}),
    Row("GET", "/api/v1/organisation/memorandum-template", SECRETARIAT_ONLY(200), lambda s, r: _template_back(s)),
    Row("GET", "/api/v1/organisation/memorandum-template.docx", SECRETARIAT_ONLY(200),
        lambda s, r: _template_back(s)),
    Row("GET", M + "/memorandum/preview.docx", SECRETARIAT_IN_MEETING(200),
        lambda s, r: {"args": {"meeting_id": s.meeting_id}, "query": {"edition": "full", "lang": "ru"}}),
    Row("DELETE", "/api/v1/organisation/memorandum-template", SECRETARIAT_ONLY(204),
        lambda s, r: _template_back(s), "the template put back before each role"),
]


# --- the scene, once per database --------------------------------------------------------------

@pytest.fixture(scope="module")
def scene(database_url, tmp_path_factory):
    """One demo scene per database for the whole module (building it takes a few seconds;
    the rows are written not to disturb each other). Never mixed with the `app` fixture,
    whose teardown wipes the database."""
    instance = str(tmp_path_factory.mktemp("security-matrix"))
    app = create_app(app_config(database_url, instance))
    scene = Scene(app, load_demo(app))
    yield scene
    wipe_database(app)


# --- checks on one answer ----------------------------------------------------------------------

def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def _closed_ids_in(value, closed_ids, found, path="$"):
    if isinstance(value, dict):
        for key, sub in value.items():
            if key in closed_ids and isinstance(sub, int) and sub in closed_ids[key]:
                found.append(f"{path}.{key}={sub}")
            if key == "kind" and sub == "closed" and "items" in value:
                found.append(f"{path}: a closed session")
            _closed_ids_in(sub, closed_ids, found, f"{path}.{key}")
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _closed_ids_in(sub, closed_ids, found, f"{path}[{index}]")
    return found


def readable_text(response) -> str:
    data = response.get_data()
    if data[:2] == b"PK":  # a DOCX: read what a person would read
        return _docx_text(data)
    return data.decode("utf-8", "replace")


def leaks(scene, role, response) -> list[str]:
    """What of the closed session (or, for a stranger, of the meeting) this answer gives away."""
    if role not in OUTSIDERS:
        return []
    text = readable_text(response)
    markers = list(scene.closed_markers) + (scene.meeting_markers if role in ("stranger", "anonymous") else [])
    found = [f"text {marker!r}" for marker in markers if marker in text]
    body = response.get_json(silent=True)
    if body is not None:
        _closed_ids_in(body, scene.closed_ids, found)
    return found


def error_body_problem(response) -> str | None:
    """API.md: every error is {"error": {"code", "message", "fields"}}."""
    body = response.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"error"} or not isinstance(body["error"], dict):
        return f"not an API.md error body: {response.get_data(as_text=True)[:200]!r}"
    error = body["error"]
    if not (isinstance(error.get("code"), str) and isinstance(error.get("message"), str)
            and isinstance(error.get("fields"), dict)):
        return f"error body lacks code/message/fields: {error!r}"
    return None


def call(scene, row, role):
    spec = row.call(scene, role)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(spec["args"][m.group(1)]), row.rule)
    adapter = scene.app.url_map.bind("localhost")
    endpoint, _ = adapter.match(path, method=row.method)
    assert adapter.map._rules_by_endpoint[endpoint][0].rule == row.rule, (path, endpoint)
    token = spec["token"] if "token" in spec else scene.tokens[role]
    kwargs = {"headers": {"Authorization": f"Bearer {token}"} if token else {}}
    if "json" in spec:
        kwargs["json"] = spec["json"]
    if "form" in spec:
        kwargs["data"], kwargs["content_type"] = spec["form"](), "multipart/form-data"
    if "query" in spec:
        kwargs["query_string"] = spec["query"]
    return scene.client.open(path, method=row.method, **kwargs)


def check_row(scene, row) -> list[str]:
    problems = []
    for role in ROLES:
        response = call(scene, row, role)
        status, expected = response.status_code, row.expect[role]
        if status != expected:
            problems.append(f"{role}: {status} (expected {expected}) {response.get_data(as_text=True)[:160]!r}")
        if status >= 400 and (problem := error_body_problem(response)):
            problems.append(f"{role}: {problem}")
        for leak in leaks(scene, role, response):
            problems.append(f"{role}: closed-session content in the answer: {leak}")
        if 200 <= status < 300 and row.spends:
            scene.spend(row.spends)
    return problems


def _param(row):
    marks = [pytest.mark.xfail(strict=True, reason=row.xfail)] if row.xfail else []
    return pytest.param(row, id=row.id, marks=marks)


# --- the tests ---------------------------------------------------------------------------------

def test_every_api_route_is_classified(scene):
    """A route in the app that the table does not list fails here: classify it first."""
    routes = {(method, rule.rule) for rule in scene.app.url_map.iter_rules() if rule.rule.startswith("/api/v1")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    table = {(row.method, row.rule) for row in ROWS}
    assert not routes - table, f"routes missing from the access table: {sorted(routes - table)}"
    assert not table - routes, f"rows for routes that no longer exist: {sorted(table - routes)}"
    assert all(set(row.expect) == set(ROLES) for row in ROWS)


@pytest.mark.parametrize("row", [_param(row) for row in ROWS])
def test_route_against_every_role(scene, row):
    problems = check_row(scene, row)
    assert not problems, f"{row.id}:\n  " + "\n  ".join(problems)


def test_the_scene_is_what_the_table_assumes(scene):
    """Guards against a vacuous matrix: the closed item is the current one, the observer is told
    nothing of it, the delegate is, and the public memorandum really is a document."""
    desk, observer, delegate = (scene.clients[r] for r in ("secretariat", "observer", "delegate"))
    # the scene made the closed item current before its last poll opened; while that poll is
    # open, the item cannot change (so the rows that change it use a meeting of their own)
    refused = scene.clients["chair"].post(f"/items/{scene.open_item['id']}/activate")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "poll_open")
    current = scene.closed_items["Annual Assessment of WeGO Regional Offices"]["id"]
    assert ok(delegate.get(f"/meetings/{scene.meeting_id}"))["current_item"]["id"] == current
    seen = ok(observer.get(f"/meetings/{scene.meeting_id}"))
    assert seen["current_item"] is None and {x["kind"] for x in seen["sessions"]} == {"open"}
    assert [m["id"] for m in ok(observer.get(f"/meetings/{scene.meeting_id}/motions"))] == sorted(
        m["id"] for m in ok(desk.get(f"/meetings/{scene.meeting_id}/motions"))
        if m["item_id"] not in scene.closed_ids["item_id"])
    full = desk.get(f"/meetings/{scene.meeting_id}/memorandum.docx", query_string={"edition": "full"})
    public = observer.get(f"/meetings/{scene.meeting_id}/memorandum.docx", query_string={"edition": "public"})
    assert "Annual Assessment of WeGO Regional Offices" in readable_text(full)
    assert "Review of 2024 WeGO Secretariat Annual Report" in readable_text(public)
    suspended = ok(scene.clients["suspended"].get("/me"))
    assert suspended["member"]["status"] == "suspended"


# --- Socket.IO -----------------------------------------------------------------------------------

SOCKET_JOIN = S("ok", "ok", "ok", "ok", "ok", "not_found", "refused")
SOCKET_VOTE = {
    "open": S("forbidden", "ok", "ok", "forbidden", "forbidden", "not_found", "refused"),
    "closed": S("forbidden", "ok", "ok", "not_found", "not_found", "not_found", "refused"),
}


def test_socket_handlers_are_those_of_this_app(scene):
    assert {"connect", "join", "vote"} <= set(socketio.server.handlers["/"])


def test_socket_handlers_survive_a_second_app(tmp_path):
    import subprocess
    import sys
    script = (
        "from governance import create_app\n"
        "from governance.extensions import socketio\n"
        "config = lambda: {'TESTING': True, 'EXCOM_DATABASE_URL': 'sqlite://', 'EXCOM_SECRET_KEY': 'x',"
        f" 'EXCOM_INSTANCE_PATH': {str(tmp_path)!r}}}\n"
        "create_app(config())\n"
        "app = create_app(config())\n"
        "print(sorted(socketio.server.handlers.get('/', {})))\n"
        "client = socketio.test_client(app)\n"
        "print('anonymous connected' if client.is_connected() else 'anonymous refused')\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60).stdout
    assert "'connect'" in out and "'vote'" in out and "anonymous refused" in out, out


def connect(scene, role):
    token = scene.tokens.get(role)
    return socketio.test_client(scene.app, auth={"token": token} if token else None)


def outcome(ack) -> str:
    if isinstance(ack, dict) and ack.get("ok"):
        return "ok"
    assert isinstance(ack, dict) and set(ack["error"]) == {"code", "message", "fields"}, ack
    return ack["error"]["code"]


def test_socket_connections_need_valid_credentials(scene):
    assert not socketio.test_client(scene.app).is_connected()
    assert not socketio.test_client(scene.app, auth={"token": "not-a-token"}).is_connected()
    assert not socketio.test_client(scene.app, auth={"token": ""}).is_connected()
    revoked = scene.login("observer")
    ok(scene.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {revoked}"}), 204)
    assert not socketio.test_client(scene.app, auth={"token": revoked}).is_connected()


@pytest.mark.parametrize("session", ["open", "closed"])
def test_socket_join_and_vote_against_every_role(scene, session):
    meeting = scene.scratch(poll_in=session)
    problems = []
    for role in ROLES:
        client = connect(scene, role)
        if not client.is_connected():
            joined = voted = "refused"
            demo_join = "refused"
        else:
            demo_join = outcome(client.emit("join", {"meeting_id": scene.meeting_id}, callback=True))
            joined = outcome(client.emit("join", {"meeting_id": meeting.meeting_id}, callback=True))
            voted = outcome(client.emit("vote", {"poll_id": meeting.polls[session], "choice": "yes"}, callback=True))
            heard = json.dumps(client.get_received(), default=str)
            if role in OUTSIDERS:
                leaked = [m for m in scene.closed_markers if m in heard]
                if leaked:
                    problems.append(f"{role} heard closed-session content: {leaked}")
            client.disconnect()
        for what, got, expected in (("join demo", demo_join, SOCKET_JOIN[role]),
                                    ("join", joined, SOCKET_JOIN[role]),
                                    ("vote", voted, SOCKET_VOTE[session][role])):
            if got != expected:
                problems.append(f"{role} {what}: {got} (expected {expected})")
    assert not problems, "\n".join(problems)


def _heard(client) -> list[tuple[str, dict]]:
    return [(packet["name"], packet["args"][0] if packet["args"] else None) for packet in client.get_received()]


def test_observers_hear_nothing_of_the_closed_session(scene):
    """Everyone joins a meeting; the chair moves through the closed session (current item, a
    poll opened, a vote, the poll closed, a memorandum built) and then through the open one.
    Who may not see the closed session hears of the open session only."""
    meeting = scene.scratch()
    clients = {}
    for role in ROLES[:-1]:
        clients[role] = connect(scene, role)
        assert clients[role].is_connected()
        clients[role].emit("join", {"meeting_id": meeting.meeting_id}, callback=True)
        clients[role].get_received()
    desk, chair, delegate = (scene.clients[r] for r in ("secretariat", "chair", "delegate"))

    ok(chair.post(f"/items/{meeting.items['closed']}/activate"))
    poll = ok(chair.post(f"/motions/{meeting.motions['closed']}/polls"), 201)
    ok(delegate.post(f"/polls/{poll['id']}/votes", {"choice": "yes"}), 201)
    ProgressCoalescer.of(scene.app).flush()  # the coalesced count goes out now, as at the next tick
    ok(chair.post(f"/polls/{poll['id']}/close"))
    ok(desk.post(f"/meetings/{meeting.meeting_id}/memorandum"), 201)
    ok(chair.post(f"/items/{meeting.items['open']}/activate"))
    open_poll = ok(chair.post(f"/motions/{meeting.motions['open']}/polls"), 201)
    ok(chair.post(f"/polls/{open_poll['id']}/close"))

    heard = {role: _heard(client) for role, client in clients.items()}
    for client in clients.values():
        client.disconnect()

    closed_poll_events = [(name, data) for name, data in heard["delegate"]
                          if name.startswith("poll.") and (data.get("poll_id") == poll["id"]
                                                           or (data.get("poll") or {}).get("id") == poll["id"])]
    for role in ("secretariat", "chair", "delegate"):  # the members hear the closed session
        names = [name for name, _ in heard[role]]
        assert "poll.opened" in names and "poll.closed" in names, (role, names)
        assert any(name == "agenda.current" and data["item"] and data["item"]["id"] == meeting.items["closed"]
                   for name, data in heard[role]), role
    # (poll.progress is not required here: voting.progress's flusher serves the first app of the process only)
    assert {name for name, _ in closed_poll_events} >= {"poll.opened", "poll.closed"}
    for role in ("suspended", "observer"):
        text = json.dumps(heard[role], default=str)
        assert not [m for m in scene.closed_markers if m in text], (role, heard[role])
        assert not _closed_ids_in([data for _, data in heard[role]],
                                  {"item_id": {meeting.items["closed"]}, "motion_id": {meeting.motions["closed"]},
                                   "poll_id": {poll["id"]}}, [])
        assert all((d.get("poll") or {}).get("id") != poll["id"] and d.get("poll_id") != poll["id"]
                   and (d.get("item") or {}).get("id") != meeting.items["closed"] for _, d in heard[role]), role
        names = [name for name, _ in heard[role]]
        # ... and they do hear the open session: the check above is not vacuous
        assert names.count("poll.opened") == 1 and names.count("poll.closed") == 1, (role, names)
        assert ("agenda.current", {"meeting_id": meeting.meeting_id, "item": None}) in heard[role]
    assert heard["stranger"] == []


def test_a_member_suspended_after_joining_hears_no_more_of_the_closed_session(scene, monkeypatch):
    """Once the suspension has been answered, its delegate's open connection hears the meeting
    as an observer does, on a machine too busy to run any background work in time: the process
    that suspends moves the connection itself, before it answers (docs/security.md)."""
    from governance.realtime import ConnectionWatch
    late = []  # background tasks (the reassess after a commit) and the sweep, held until the end
    monkeypatch.setattr(socketio, "start_background_task", lambda target, *args: late.append((target, args)))
    monkeypatch.setattr(ConnectionWatch, "_sweep_once", lambda self: None)

    desk, chair = scene.desk, scene.clients["chair"]
    member = ok(desk.post("/members", {"name": f"Gotham {next(_n)}", "category": "city", "status": "active",
                                       "excom": True}), 201)
    email = f"gotham-{next(_n)}@example.org"
    user = ok(desk.post("/users", {"name": "Gotham delegate", "email": email, "password": PASSWORD,
                                   "member_id": member["id"]}), 201)
    meeting = scene.scratch()
    ok(desk.post(f"/meetings/{meeting.meeting_id}/participants", {"user_id": user["id"], "group": "excom_member"}),
       201)
    token = scene.api.as_user(email, PASSWORD).token
    client = socketio.test_client(scene.app, auth={"token": token})
    assert outcome(client.emit("join", {"meeting_id": meeting.meeting_id}, callback=True)) == "ok"
    client.get_received()

    ok(desk.patch(f"/members/{member['id']}", {"status": "suspended"}))
    bearer = {"Authorization": f"Bearer {token}"}
    assert scene.client.get(f"/api/v1/items/{meeting.items['closed']}", headers=bearer).status_code == 404
    ok(chair.post(f"/items/{meeting.items['closed']}/activate"))
    heard = _heard(client)
    assert client.is_connected()
    client.disconnect()
    assert "CLOSED-SCRATCH item" not in json.dumps(heard, default=str)
    assert ("agenda.current", {"meeting_id": meeting.meeting_id, "item": None}) in heard  # what observers hear
    monkeypatch.undo()
    for target, args in late:  # the machine is free again
        socketio.start_background_task(target, *args)


def test_a_deactivated_account_is_cut_off_before_the_deactivation_is_answered(scene, monkeypatch):
    """The secretariat closes an account whose phone is listening to the meeting: that process
    cuts the connection itself before it answers, with no sweep to help (docs/security.md)."""
    from governance.realtime import ConnectionWatch
    monkeypatch.setattr(ConnectionWatch, "_sweep_once", lambda self: None)

    desk = scene.desk
    email = f"leaving-{next(_n)}@example.org"
    user = ok(desk.post("/users", {"name": "Leaving delegate", "email": email, "password": PASSWORD}), 201)
    meeting = scene.scratch()
    ok(desk.post(f"/meetings/{meeting.meeting_id}/participants",
                 {"user_id": user["id"], "group": "observer_media"}), 201)
    client = socketio.test_client(scene.app, auth={"token": scene.api.as_user(email, PASSWORD).token})
    assert outcome(client.emit("join", {"meeting_id": meeting.meeting_id}, callback=True)) == "ok"

    ok(desk.patch(f"/users/{user['id']}", {"active": False}))
    assert not client.is_connected()
