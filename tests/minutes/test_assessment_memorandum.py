"""An assessment in the memorandum: the table per subject (count, mean, median, scores given),
the sheets received, and each member's sheet only when the assessment was named."""
import io

import pytest
from docx import Document

from tests.voting.scene import CITIES, Room

AGENDA_1 = "Review of 2024 WeGO Secretariat Annual Report"
AGENDA_5 = "Annual Assessment of WeGO Regional Offices"


def sheet(*scores):
    return {"scores": {str(i): score for i, score in enumerate(scores)}}


@pytest.fixture
def room(demo, api):
    room = Room(api, demo)
    room.check_in(*CITIES)
    return room


def _memorandum(room, edition="full"):
    built = room.desk.post(f"/meetings/{room.meeting_id}/memorandum")
    assert built.status_code == 201, built.get_json()
    answer = room.desk.get(f"/meetings/{room.meeting_id}/memorandum.docx?edition={edition}")
    assert answer.status_code == 200
    doc = Document(io.BytesIO(answer.data))
    rows = [tuple(cell.text for cell in row.cells) for table in doc.tables for row in table.rows]
    return [p.text for p in doc.paragraphs], rows


def test_the_table_of_a_named_assessment_and_each_members_sheet_are_printed(room):
    motion = room.motion(AGENDA_1, kind="assessment", title="Quality of the annual report",
                         subjects=["Clarity", "Completeness"], scale={"min": 0, "max": 10})
    poll = room.open_poll(motion["id"]).get_json()
    for city, scores in (("Seoul", (8, 6)), ("Almaty", (9, 7)), ("Abuja", (7, 7))):
        assert room.vote(poll["id"], city, sheet(*scores)).status_code == 201
    assert room.vote(poll["id"], "Cuenca", "abstain").status_code == 201
    room.close(poll["id"])
    paragraphs, rows = _memorandum(room)
    assert "Motion: Quality of the annual report" in paragraphs
    assert any(p.startswith("Scores from 0 to 10") for p in paragraphs)
    assert ("Clarity", "3", "8", "8", "0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 1, 8: 1, 9: 1, 10: 0") in rows
    assert ("Completeness", "3", "6.67", "7",
            "0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1, 7: 2, 8: 0, 9: 0, 10: 0") in rows
    assert "Sheets: 4 received: 3 scored, 1 abstained; 12 members eligible" in paragraphs
    assert "Outcome: The scores were recorded." in paragraphs
    # the named sheets, member by member
    assert any(row[0] == "Seoul" and row[-1] == "Clarity: 8; Completeness: 6" for row in rows)
    assert any(row[0] == "Cuenca" and row[-1] == "abstained" for row in rows)
    # an open-session assessment is in the public edition too
    paragraphs, rows = _memorandum(room, "public")
    assert ("Clarity", "3", "8", "8", "0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 1, 8: 1, 9: 1, 10: 0") in rows


def test_a_secret_assessment_prints_the_table_and_no_sheet(room):
    item = room.closed_items[AGENDA_5]
    motion = next(m for m in room.desk.get(f"/items/{item}/motions").get_json() if m["kind"] == "assessment")
    poll = room.open_poll(motion["id"]).get_json()
    for city, scores in (("Seoul", (5, 4, 4, 3, 4, 5)), ("Almaty", (4, 4, 3, 4, 5, 5))):
        assert room.vote(poll["id"], city, sheet(*scores)).status_code == 201
    room.close(poll["id"])
    paragraphs, rows = _memorandum(room)
    assert ("Central Asia (Almaty)", "2", "5", "5", "1: 0, 2: 0, 3: 0, 4: 0, 5: 2") in rows
    assert not any(p.startswith("Named vote") for p in paragraphs)
    assert not any(row[0] in ("Seoul", "Almaty") and "East Asia" in row[-1] for row in rows)
    # a closed-session assessment stays out of the public edition
    paragraphs, rows = _memorandum(room, "public")
    assert not any(row[0] == "Central Asia (Almaty)" for row in rows)
