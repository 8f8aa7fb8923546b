"""The registry kept from the desk: members imported from CSV and XLSX (previewed row by row,
then all or nothing), exported, their status history; accounts and roles."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import PASSWORD
from tests.voting.scene import CITIES, Room

MEMBERSHIP_ITEM = ("Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership "
                   "since EXCOM Meeting 2023")


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send(client, path, data, name):
    return client.post(path, json=None, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


GOOD = [["Name", "Country", "Category", "Status", "EXCOM", "Office"],
        ["Bogotá", "Colombia", "city", "applicant", "no", None],
        ["Kaohsiung", "Chinese Taipei", "City", "Active", "no", None],   # known: its status changes
        ["Seoul", "Republic of Korea", "city", "active", "yes", "President"]]


def test_a_preview_shows_each_row_and_stores_nothing(room):
    members_before = room.desk.get("/members").get_json()
    answer = send(room.desk, "/members/import/preview", xlsx(GOOD), "members.xlsx")
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    assert report["valid"] and report["counts"] == {"create": 1, "update": 1, "unchanged": 1}
    assert [(r["line"], r["action"]) for r in report["rows"]] == [(2, "create"), (3, "update"), (4, "unchanged")]
    assert room.desk.get("/members").get_json() == members_before


def test_an_import_with_one_bad_row_stores_nothing_and_says_where(room):
    rows = GOOD + [["Atlantis", "", "island", "sunk", "maybe", None], ["Bogota", "", "", "", "", ""],
                   ["bogotá", "Colombia", "", "", "", ""]]
    members_before = room.desk.get("/members").get_json()
    for path in ("/members/import/preview", "/members/import"):
        answer = send(room.desk, path, xlsx(rows), "members.xlsx")
        if path.endswith("preview"):
            rows_seen = {r["line"]: r for r in answer.get_json()["rows"]}
            assert rows_seen[5]["problems"] == {"category": ["One of: city, institution, corporate."],
                                                "status": ["One of: applicant, active, suspended, withdrawn, "
                                                           "terminated."],
                                                "excom": ["Write yes or no."]}
            assert rows_seen[2]["problems"] == {"name": ["Also on line 7."]}  # Bogotá twice, whatever the case
            assert rows_seen[6]["action"] == "create"  # "Bogota" without the accent is another name
        else:
            assert answer.status_code == 422
            error = answer.get_json()["error"]
            assert error["code"] == "import_invalid" and "3 row(s) have problems" in error["message"]
            assert error["fields"]["5.status"] and error["fields"]["7.name"] == ["Also on line 2."]
    assert room.desk.get("/members").get_json() == members_before


def test_the_import_stores_every_row_and_the_trail_says_a_file_did(room):
    answer = send(room.desk, "/members/import", xlsx(GOOD), "members.xlsx")
    assert answer.status_code == 200, answer.get_json()
    members = {m["name"]: m for m in room.desk.get("/members").get_json()}
    assert (members["Bogotá"]["status"], members["Bogotá"]["country"], members["Bogotá"]["excom"]) == (
        "applicant", "Colombia", False)
    assert members["Kaohsiung"]["status"] == "active"
    history = room.desk.get(f"/members/{members['Kaohsiung']['id']}/history").get_json()
    assert [(h["source"], h["status_before"], h["status"]) for h in history] == [
        ("entry", None, "applicant"), ("import", "applicant", "active")]
    assert history[1]["reason"] == "imported from members.xlsx" and history[1]["by"] == "Jung Sook Park"


def test_a_russian_csv_from_excel_is_read(room):
    text = "Название;Страна;Категория;Статус;Исполком\nБишкек;Кыргызстан;город;действующий;да\n"
    for encoding in ("cp1251", "utf-8-sig"):
        answer = send(room.desk, "/members/import/preview", text.encode(encoding), "члены.csv")
        [row] = answer.get_json()["rows"]
        assert row["values"] == {"name": "Бишкек", "country": "Кыргызстан", "category": "city", "status": "active",
                                 "excom": True}, encoding


@pytest.mark.parametrize("data, says", [
    (b"", "The file is empty."),
    (b"country\nKorea\n", "The first row must name the column name."),
    (b"PK\x03\x04garbage", "This is not a readable XLSX (Excel) workbook."),
])
def test_an_unusable_file_is_refused_as_a_whole(room, data, says):
    for path in ("/members/import/preview", "/members/import"):
        answer = send(room.desk, path, data, "x.csv")
        assert answer.status_code in (200, 422)
        body = answer.get_json()
        text = body["problems"][0] if answer.status_code == 200 else body["error"]["message"]
        assert says in text
        if answer.status_code == 200:
            assert body["valid"] is False
    assert room.desk.post("/members/import", json={"file": "x"}).status_code in (415, 422)
    assert room.delegate("Almaty").post("/members/import/preview", json=None, data={"file": (io.BytesIO(b"name\nX"),
                                        "x.csv")}, content_type="multipart/form-data").status_code == 403


def test_the_export_reads_back_as_an_import_that_changes_nothing(room):
    exported = room.desk.get("/members/export", query_string={"format": "xlsx"})
    assert exported.status_code == 200 and exported.headers["Content-Disposition"].endswith("members.xlsx")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    assert [c.value for c in sheet[1]] == ["name", "country", "category", "status", "excom", "office"]
    assert sheet.max_row == len(room.desk.get("/members").get_json()) + 1
    report = send(room.desk, "/members/import/preview", exported.data, "members.xlsx").get_json()
    assert report["valid"] and set(report["counts"]) == {"unchanged"}
    csv = room.desk.get("/members/export", query_string={"format": "csv"})
    assert csv.mimetype == "text/csv" and csv.data.startswith(b"\xef\xbb\xbf")
    report = send(room.desk, "/members/import/preview", csv.data, "members.csv").get_json()
    assert set(report["counts"]) == {"unchanged"}


def test_a_name_that_looks_like_a_formula_is_exported_as_text(room):
    assert room.desk.post("/members", json={"name": "=HYPERLINK(\"http://evil.example\",\"Click\")"}).status_code == 201
    csv = room.desk.get("/members/export", query_string={"format": "csv"}).data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    sheet = load_workbook(io.BytesIO(room.desk.get("/members/export", query_string={"format": "xlsx"}).data)).active
    cell = next(c for c in sheet["A"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # text, never evaluated


def test_the_status_history_names_the_decision_that_changed_it(room):
    room.check_in(*CITIES)
    motion = room.motion(MEMBERSHIP_ITEM, kind="membership", member_id=room.members["Cali"],
                         action="admit", title="Admission of Cali")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        room.vote(poll["id"], city, "yes")
    number = room.close(poll["id"])["resolution_number"]
    history = room.desk.get(f"/members/{room.members['Cali']}/history").get_json()
    assert [(h["source"], h["status"]) for h in history] == [("entry", "applicant"), ("decision", "active")]
    assert (history[1]["motion_id"], history[1]["resolution_number"], history[1]["meeting_id"]) == (
        motion["id"], number, room.meeting_id)
    assert room.delegate("Almaty").get(f"/members/{room.members['Cali']}/history").status_code == 403


def test_accounts_and_roles_from_the_desk_keep_one_secretariat(room, api):
    desk = room.desk
    me = desk.get("/me").get_json()
    deputy = desk.post("/users", json={"name": "Deputy", "email": "deputy@example.org", "password": PASSWORD,
                                       "roles": ["secretariat"]}).get_json()
    assert desk.patch(f"/users/{deputy['id']}", json={"active": False}).status_code == 200
    last = desk.patch(f"/users/{me['id']}", json={"roles": []})
    assert last.status_code == 409 and last.get_json()["error"]["code"] == "last_secretariat"
    assert desk.patch(f"/users/{me['id']}", json={"active": False}).status_code == 409
    assert desk.get("/me").get_json()["roles"] == ["secretariat"]
    assert desk.patch(f"/users/{deputy['id']}", json={"active": True}).status_code == 200
    assert desk.patch(f"/users/{me['id']}", json={"roles": []}).status_code == 200  # now somebody else keeps it
    assert desk.get("/users").status_code == 403
    assert api.as_user("deputy@example.org").get("/users").status_code == 200


@pytest.mark.parametrize("character", ["\x0b", "\x1b", "\ufffe"])
def test_an_imported_cell_with_a_control_character_is_refused_naming_it(room, character):
    """A file is a content type too: a name with a vertical tab, once stored, broke every build of
    the memorandum that prints it. Each such cell is a problem of its row, by line and column, in
    the preview and in the import (a file holding a NUL is no CSV at all: 422 unreadable_file)."""
    members_before = room.desk.get("/members").get_json()
    csv = f"Name,Country,Category\nBogotá,Colom{character}bia,city\nCa{character}li,Colombia,city\n".encode()
    preview = send(room.desk, "/members/import/preview", csv, "members.csv")
    assert preview.status_code == 200, preview.get_json()
    rows = {r["line"]: r["problems"] for r in preview.get_json()["rows"]}
    assert rows == {2: {"country": ["Contains a control character; write plain text."]},
                    3: {"name": ["Contains a control character; write plain text."]}}
    refused = send(room.desk, "/members/import", csv, "members.csv")
    assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {"2.country", "3.name"}
    participants = send(room.desk, f"/meetings/{room.meeting_id}/participants/import",
                        f"email,name\nnew@cali.example.org,Ana{character} Cali\n".encode(), "delegates.csv")
    assert participants.status_code == 422 and set(participants.get_json()["error"]["fields"]) == {"2.name"}
    assert room.desk.get("/members").get_json() == members_before
    nul = send(room.desk, "/members/import", b"Name\nCa\x00li\n", "members.csv")
    assert nul.status_code == 422 and nul.get_json()["error"]["code"] == "unreadable_file"
    assert room.desk.get("/members").get_json() == members_before
