"""The secretariat's own memorandum template (docxtpl in a sandbox): the played demo's memorandum
rendered through an uploaded letterhead, a preview, and every template that cannot be used refused
at upload with the reason, nothing kept."""
import io
import zipfile

import pytest
from docx import Document

from minutes.anchor import printed_head
from tests.minutes.test_builder import all_text
from tests.minutes.test_played_meeting import (  # noqa: F401
    DEMO_PASSWORD,
    OBSERVER,
    SECRETARIAT,
    played,
)

LETTERHEAD = [
    "WeGO SECRETARIAT LETTERHEAD · Seoul",
    "{{ organisation }} — {{ meeting_title }}",
    "{{ date }}, {{ venue }}. Chair: {{ chair.line }}. Version {{ version }} ({{ status }}).",
    "{{ edition_label }}",
    "{%p for group in attendance %}",
    "{{ group.label }} ({{ group.count }}): {% for person in group.people %}{{ person.line }}; {% endfor %}",
    "{%p endfor %}",
    "{%p for item in items %}",
    "ITEM {{ loop.index }}. {{ item.heading }}",
    "{%p for motion in item.motions %}",
    "Motion “{{ motion.title }}” moved by {{ motion.moved_by.name if motion.moved_by else '–' }}: {{ motion.outcome }}",
    "{%p endfor %}",
    "{%p endfor %}",
    "{%p for vote in results %}",
    ("VOTE {{ vote.item }} / {{ vote.round }}: {% for count in vote.counts %}{{ count.choice }} {{ count.votes }}; "
     "{% endfor %}{{ vote.threshold }} {{ vote.outcome }}"),
    "{%p endfor %}",
    "{%p for resolution in resolutions %}",
    "RESOLUTION {{ resolution.number }}: {{ resolution.title }}",
    "{%p endfor %}",
]


def docx_with(lines: list[str], table: bool = True) -> bytes:
    """A Word document holding `lines` as paragraphs, and a table whose row repeats per resolution."""
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=3, cols=2)
        grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "Number", "Resolution"
        grid.rows[1].cells[0].text = "{%tr for r in resolutions %}"
        grid.rows[2].cells[0].text, grid.rows[2].cells[1].text = "{{ r.number }}", "{{ r.text }}"
        extra = grid.add_row()
        extra.cells[0].text = "{%tr endfor %}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "letterhead.docx"):
    return client.client.put("/api/v1/organisation/memorandum-template", headers=client._headers(),
                             data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_played_memorandum_renders_through_the_secretariat_s_template(api, played):  # noqa: F811
    meeting_id, _ = played
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    assert staff.get("/organisation/memorandum-template").status_code == 404  # the built-in layout
    answer = upload(staff, docx_with(LETTERHEAD))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["filename"] == "letterhead.docx" and len(answer.get_json()["sha256"]) == 64
    assert staff.get("/organisation/memorandum-template").get_json()["sha256"] == answer.get_json()["sha256"]

    built = staff.post(f"/meetings/{meeting_id}/memorandum")
    assert built.status_code == 201, built.get_json()
    version = built.get_json()["version"]
    full = all_text(staff.get(f"/meetings/{meeting_id}/memorandum.docx?version={version}").data)
    assert "WeGO SECRETARIAT LETTERHEAD · Seoul" in full and "WeGO Executive Committee Meeting 2024" in full
    assert "20 September 2024" in full and "EXCOM members present in person (10):" in full
    assert "Omar Al Nuaimi (Abu Dhabi)" in full and "Jung Sook Park (WeGO Secretariat)" in full
    assert "ITEM 1. " in full and "VOTE " in full and "Required: " in full
    assert "RESOLUTION EXCOM 2024/R8" in full
    document = Document(io.BytesIO(staff.get(f"/meetings/{meeting_id}/memorandum.docx?version={version}").data))
    assert [row.cells[0].text for row in document.tables[0].rows][1:3] == ["EXCOM 2024/R1", "EXCOM 2024/R2"]
    # the anchor is printed though the template left it out
    assert printed_head(staff.get(f"/meetings/{meeting_id}/memorandum.docx?version={version}").data) is not None

    russian = all_text(staff.get(f"/meetings/{meeting_id}/memorandum.docx?version={version}&lang=ru").data)
    assert "WeGO SECRETARIAT LETTERHEAD · Seoul" in russian  # the letterhead's own words stay
    assert "Члены Исполкома, присутствующие очно (10):" in russian and "Требуется: " in russian

    public = all_text(staff.get(f"/meetings/{meeting_id}/memorandum.docx?version={version}&edition=public").data)
    assert "Public edition: the open session only." in public
    full_items = {line for line in full.splitlines() if line.startswith("ITEM ")}
    public_items = {line for line in public.splitlines() if line.startswith("ITEM ")}
    assert public_items < full_items and "Adoption of the Agenda" not in public

    preview = staff.get(f"/meetings/{meeting_id}/memorandum/preview.docx?lang=ru&edition=public")
    assert preview.status_code == 200 and preview.headers["Content-Language"] == "ru"
    assert "WeGO SECRETARIAT LETTERHEAD · Seoul" in all_text(preview.data)
    assert len(staff.get(f"/meetings/{meeting_id}/memorandum").get_json()) == version  # the preview kept nothing

    assert staff.delete("/organisation/memorandum-template").status_code == 204
    assert staff.get("/organisation/memorandum-template").status_code == 404
    again = staff.post(f"/meetings/{meeting_id}/memorandum").get_json()["version"]
    text = all_text(staff.get(f"/meetings/{meeting_id}/memorandum.docx?version={again}").data)
    assert "LETTERHEAD" not in text and "Attendance" in text  # the built-in layout again
    assert staff.delete("/organisation/memorandum-template").status_code == 404


def _bomb() -> bytes:
    """A DOCX whose document.xml declares an entity expanding a billionfold."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                                                    for i in range(8))
    source = io.BytesIO(docx_with(["{{ organisation }}"], table=False))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for part in old.infolist():
            data = old.read(part)
            if part.filename == "word/document.xml":
                data = data.replace(b"?>", f"?><!DOCTYPE w:document [{entities}]>".encode(), 1)
                data = data.replace(b"{{ organisation }}", b"&i;")
            new.writestr(part, data)
    return out.getvalue()


@pytest.mark.parametrize("data, says", [
    (docx_with(["{{ meeting_title "]), "does not render"),
    (docx_with(["{% for item in items %}{{ item.title }}"]), "does not render"),
    (docx_with(["{{ meeting_titel }}"]), "meeting_titel"),
    (docx_with(["{{ chair.nickname }}"]), "nickname"),
    (docx_with(["{{ organisation.__class__.__mro__ }}"]), "__class__"),
    (docx_with(["{{ organisation.upper() }}"]), "upper"),
    (docx_with(["{{ ''.__class__ }}"]), "__class__"),
    (docx_with(["{% for i in range(10) %}x{% endfor %}"]), "range"),
    (docx_with(["{{ organisation * 1000 }}"]), "“*”"),
    (docx_with(["{{ organisation|center(1000000000) }}"]), "center"),
    (docx_with(["{{ cycler }}"]), "cycler"),
    (docx_with([("{% for a in attendance %}{% for b in attendance %}{% for c in attendance %}{% for d in attendance %}"
                 "{% for e in attendance %}{% for f in attendance %}x{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
                 "{% endfor %}{% endfor %}")]), "loops more than"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a DOCX"),
    (b"PK\x03\x04" + b"\x00" * 64, "damaged"),
    (_bomb(), "document type or entities"),
], ids=["syntax", "unclosed-loop", "undefined", "undefined-key", "dunder", "method", "literal-dunder", "range",
        "repeat", "filter", "global", "loop-budget", "png", "broken-zip", "entity-bomb"])
def test_a_template_that_cannot_be_used_is_refused_with_the_reason_and_nothing_is_kept(api, played, data, says):  # noqa: F811
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    answer = upload(staff, data)
    assert answer.status_code == 422, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == "invalid" and says in error["fields"]["file"][0], error
    assert says in error["message"]
    assert staff.get("/organisation/memorandum-template").status_code == 404


def test_only_the_secretariat_sets_the_template_and_the_size_is_bounded(api, played):  # noqa: F811
    meeting_id, _ = played
    observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    assert upload(observer, docx_with(LETTERHEAD)).status_code == 403
    assert observer.get(f"/meetings/{meeting_id}/memorandum/preview.docx").status_code in (403, 404)
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    too_large = upload(staff, b"PK\x03\x04" + b"\x00" * (6 * 1024 * 1024))
    assert too_large.status_code == 413 and "5 MiB" in too_large.get_json()["error"]["message"]
    missing = staff.client.put("/api/v1/organisation/memorandum-template", headers=staff._headers(),
                               data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.get_json()["error"]["fields"]
    assert staff.get("/organisation/memorandum-template").status_code == 404
