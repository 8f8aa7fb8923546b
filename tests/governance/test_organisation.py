"""The organisation's settings through the API: name, languages, time zone (new meetings start
from it), the pattern of resolution numbers (used when a motion is adopted), and the logo
(checked as logo candidates are)."""
import io

import pytest

from tests.motions.test_motions_api import CLEAN_SVG, png, png_bomb
from tests.voting.scene import CITIES, Room


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def test_the_secretariat_changes_the_settings_and_everyone_reads_them(room, client):
    answer = room.desk.patch("/organisation", json={"name": "World Smart Sustainable Cities Organization",
                                                    "short_name": "WeGO", "languages": ["ru", "en"],
                                                    "timezone": "Asia/Seoul",
                                                    "resolution_format": "{short_name} {year}/{n}"})
    assert answer.status_code == 200, answer.get_json()
    public = client.get("/api/v1/organisation").get_json()
    assert (public["short_name"], public["languages"], public["timezone"], public["resolution_format"]) == (
        "WeGO", ["ru", "en"], "Asia/Seoul", "{short_name} {year}/{n}")
    assert room.delegate("Almaty").patch("/organisation", json={"short_name": "X"}).status_code == 403
    assert client.patch("/api/v1/organisation", json={"short_name": "X"}).status_code == 401
    assert client.get("/api/v1/organisation").get_json()["short_name"] == "WeGO"


@pytest.mark.parametrize("body, field", [
    ({"resolution_format": "{reference}/R"}, "resolution_format"),
    ({"resolution_format": "R{__class__}{n}"}, "resolution_format"),
    ({"languages": []}, "languages"),
    ({"languages": ["en", "en"]}, "languages"),
    ({"languages": ["de"]}, "languages.0"),
    ({"timezone": "Europe/Atlantis"}, "timezone"),
    ({"name": ""}, "name"),
])
def test_bad_settings_are_refused_and_change_nothing(room, client, body, field):
    before = client.get("/api/v1/organisation").get_json()
    answer = room.desk.patch("/organisation", json=body)
    assert answer.status_code == 422 and field in answer.get_json()["error"]["fields"], answer.get_json()
    assert client.get("/api/v1/organisation").get_json() == before


def test_adopted_motions_are_numbered_in_the_organisation_s_pattern(room):
    room.check_in(*CITIES)
    item = "Review of 2024 WeGO Secretariat Annual Report"

    def adopt(title):
        motion = room.motion(item, kind="general", title=title)
        poll = room.open_poll(motion["id"]).get_json()
        for city in CITIES:
            room.vote(poll["id"], city, "yes")
        return room.close(poll["id"])["resolution_number"]

    assert adopt("Before any setting") == "EXCOM 2024/R1"  # the default: "{reference}/R{n}"
    assert room.desk.patch("/organisation", json={"short_name": "WeGO",
                                                  "resolution_format": "{short_name}-{year}-{n}"}).status_code == 200
    assert adopt("Note the report") == "WeGO-2024-2"
    # a pattern changed mid-meeting that would repeat a number given before skips it
    assert room.desk.patch("/organisation", json={"resolution_format": "4{n}"}).status_code == 200
    assert adopt("Thank the Secretariat") == "43"
    assert room.desk.patch("/organisation", json={"resolution_format": "{n}3"}).status_code == 200
    assert adopt("A fourth") == "53"  # the fourth would be "43", given already


def test_a_new_meeting_starts_in_the_organisation_s_time_zone(room):
    room.desk.patch("/organisation", json={"timezone": "America/Bogota"})
    made = room.desk.post("/meetings", json={"title": "Cali 2025", "starts_at": "2025-09-01T09:00:00-05:00"})
    assert made.status_code == 201 and made.get_json()["timezone"] == "America/Bogota"
    own = room.desk.post("/meetings", json={"title": "Seoul 2026", "timezone": "Asia/Seoul",
                                            "starts_at": "2026-09-01T09:00:00+09:00"})
    assert own.get_json()["timezone"] == "Asia/Seoul"


def _put_logo(room, data, mimetype, name="logo"):
    return room.desk.put("/organisation/logo", json=None, data={"file": (io.BytesIO(data), name, mimetype)},
                         content_type="multipart/form-data")


def test_the_secretariat_uploads_and_removes_the_logo(room, client):
    picture = png(20, 10)
    assert _put_logo(room, picture, "image/png").get_json()["has_logo"] is True
    served = client.get("/api/v1/organisation/logo")
    assert (served.status_code, served.mimetype, served.data) == (200, "image/png", picture)
    assert _put_logo(room, CLEAN_SVG, "image/svg+xml").status_code == 200
    # an SVG is drawn into a PNG on upload; the PNG is what is shown (motions.images)
    assert client.get("/api/v1/organisation/logo").mimetype == "image/png"
    assert room.desk.delete("/organisation/logo").get_json()["has_logo"] is False
    assert client.get("/api/v1/organisation/logo").status_code == 404


@pytest.mark.parametrize("data, mimetype, status", [
    (CLEAN_SVG.replace(b"<circle", b"<script>alert(1)</script><circle"), "image/svg+xml", 422),
    (png_bomb(), "image/png", 422),
    (b"GIF89a" + b"\x00" * 20, "image/gif", 422),
    (png() + b"\x00" * (3 * 1024 * 1024), "image/png", 413),
])
def test_a_hostile_logo_is_refused_and_the_old_one_stays(room, client, data, mimetype, status):
    picture = png(8, 8)
    _put_logo(room, picture, "image/png")
    answer = _put_logo(room, data, mimetype)
    assert answer.status_code == status and set(answer.get_json()["error"]) == {"code", "message", "fields"}
    assert client.get("/api/v1/organisation/logo").data == picture
    assert room.delegate("Almaty").put("/organisation/logo", json=None,
                                       data={"file": (io.BytesIO(picture), "x.png", "image/png")},
                                       content_type="multipart/form-data").status_code == 403
