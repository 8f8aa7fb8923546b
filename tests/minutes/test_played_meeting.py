"""`excom demo --play`, then the memorandum of the played meeting read back with python-docx
(and LibreOffice): every present person, every item in order, every note, every result with
its counts and threshold, the resolutions, real headings and tables; the public edition
without the closed session; the full edition refused to observers."""
import io
import shutil
import subprocess

import pytest
from docx import Document

from governance.extensions import db
from minutes.builder import item_heading
from tests.minutes.test_builder import all_text

DEMO_PASSWORD = "excom-demo"
SECRETARIAT = "secretary-general@excom.example.org"
OBSERVER = "yonhap@excom.example.org"
MEMBER = "abu-dhabi@excom.example.org"


@pytest.fixture
def played(app, runner):
    """The demo played through by `excom demo --play`: into the test's base database once per
    run (tests/databases.py), or now when the test commits. (meeting id, what the command said)"""
    from governance.cli import main
    output = app.config.get("TEST_DATABASE_OUTPUT", "")
    if app.config["TEST_DATABASE"] != "played":
        result = runner.invoke(main, ["demo", "--play"])
        assert result.exit_code == 0, result.output
        output = result.output
    assert "played; memorandum version 1" in output
    with app.app_context():
        from governance.meetings.models import Meeting
        return db.session.scalar(db.select(Meeting.id)), output


def _facts(app, meeting_id):
    """What the database says happened: the source every assertion checks against."""
    from governance.meetings.models import Meeting
    from minutes.collect import newest_notes
    from motions.models import Motion
    from voting.models import Poll
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        items = [(item.id, item_heading(item), item.closed) for item in meeting.agenda()]
        notes = newest_notes(meeting)
        people = [p.user.name for p in meeting.participants]
        # in agenda order (the demo prepares Agenda 5's assessment when it loads, before the others)
        order = {item_id: position for position, (item_id, _, _) in enumerate(items)}
        motions = sorted(db.session.scalars(db.select(Motion).where(Motion.meeting_id == meeting_id)),
                         key=lambda m: (order[m.item_id], m.id))
        motions = [(m.title, m.item.closed, m.resolution_number, m.status) for m in motions]
        # polls decided by a majority or a ballot; the assessment's table is checked on its own
        polls = [(p.motion.item.closed, p.result, [(c.value, c.label) for c in p.motion.candidates])
                 for p in db.session.scalars(db.select(Poll).where(Poll.meeting_id == meeting_id,
                                                                    Poll.method != "assessment").order_by(Poll.id))]
        return items, notes, people, motions, polls


def _paragraphs(doc):
    return [p.text for p in doc.paragraphs]


def _rows(doc):
    return [tuple(cell.text for cell in row.cells) for table in doc.tables for row in table.rows]


def test_the_memorandum_of_the_played_meeting_holds_the_whole_meeting(app, api, played):
    meeting_id, output = played
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    response = staff.get(f"/meetings/{meeting_id}/memorandum.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    paragraphs, rows = _paragraphs(doc), _rows(doc)
    body = "\n".join(paragraphs + [cell for row in rows for cell in row])
    items, notes, people, motions, polls = _facts(app, meeting_id)

    # everyone took part and is in an attendance table, as "Full name (affiliation), title"
    assert len(people) == 27
    person_cells = {row[1] for row in rows if len(row) == 2}
    for name in people:
        assert any(cell.startswith(f"{name} (") for cell in person_cells), name
    assert "EXCOM members present in person (10)" in paragraphs
    assert "EXCOM members present online (2)" in paragraphs

    # every item as a Heading 2, in agenda order; sessions and sections as Heading 1
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == [heading for _, heading, _ in items]
    heading_1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heading_1 == ["Attendance", "Quorum", "Memorandum of the previous meeting", "Agenda as adopted",
                         "WeGO EXCOM Meeting (Open Session)", "WeGO EXCOM Meeting (Closed Session)",
                         "Resolutions", "Annexes", "Signatures"]
    motion_headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert motion_headings == [f"Motion: {title}" for title, *_ in motions]

    # every note, paragraph by paragraph
    assert len(notes) == len(items)
    for text in notes.values():
        for block in text.split("\n\n"):
            assert block.strip() in paragraphs, block

    # every result: its counts per choice, its threshold, its outcome
    assert len(polls) == 10  # eight yes/no motions, the host-city ballot's two rounds, the logo
    for _, result, candidates in polls:
        labels = {str(value): label for value, label in candidates}
        # the threshold in the words the screens use, the counts in one vocabulary
        assert f"Required: {result['threshold_text']}. Abstentions are not votes cast." in paragraphs
        assert ("Ballots", str(result["ballots"]), "") in rows
        for choice, votes in result["counts"].items():
            if choice == "abstain":
                assert ("Abstentions", str(votes), "") in rows
            else:
                label = labels.get(choice, choice.capitalize())
                assert any(row[:2] == (label, str(votes)) for row in rows), (label, votes)
        assert ("Votes cast", str(result["cast"]), "") in rows
    assert "Result: Makati elected." in paragraphs and "Result: Globe elected." in paragraphs
    # Agenda 5: the regional offices' table of scores, not a result
    assert "Scores from 1 to 5" in " ".join(paragraphs)
    offices = [row for row in rows if len(row) == 5 and row[0].startswith("East Asia (Chengdu)")]
    assert offices == [("East Asia (Chengdu)", "11", "4.18", "4", "1: 0, 2: 0, 3: 1, 4: 7, 5: 3")]
    assert "Outcome: The scores were recorded." in paragraphs
    assert "Result: Rejected." in paragraphs  # the statutes amendment missed two-thirds
    assert "Required: two-thirds of votes cast: yes at least twice no. Abstentions are not votes cast." in paragraphs
    # the amendment as the members saw it: both texts and the changes marked
    changes = next(p for p in doc.paragraphs if "or online; a member attending online" in p.text
                   and any(run.font.underline for run in p.runs))
    inserted = "".join(run.text for run in changes.runs if run.font.underline)
    assert inserted == " or online; a member attending online counts towards the quorum and votes"
    # the previous memorandum, approved from the file the members read
    previous = paragraphs[paragraphs.index("Memorandum of the previous meeting") + 1]
    assert previous.startswith("“Memorandum of the WeGO EXCOM Meeting 2023, as circulated by the Secretariat”, "
                               "held outside the platform (file WeGO_EXCOM_2023_memorandum.docx, SHA-256 ")
    assert previous.endswith(") was approved (Resolution EXCOM 2024/R7).")
    # named votes list every member; secret ballots never do
    assert sum(p.startswith("Named vote: how each member voted (12)") for p in paragraphs) == 6
    assert "Named vote: how each member voted (11)" in paragraphs  # Hebron had left
    assert not any("Named vote, round" in p for p in paragraphs)

    # resolutions numbered in order; the next host; the quorum at the opening and every vote
    numbers = [number for _, _, number, _ in motions if number]
    assert numbers == [f"EXCOM 2024/R{n}" for n in range(1, 9)]
    resolution_rows = [row for row in rows if row[0].startswith("EXCOM 2024/R")]
    assert [row[0] for row in resolution_rows] == numbers
    assert "Host city of EXCOM 2025: Makati" in paragraphs
    quorum_rows = [row for row in rows if len(row) == 5 and row[0] != "When" and row[4] in ("yes", "no")]
    assert quorum_rows[0] == ("Opening of the meeting", "12", "12", "7", "yes")
    assert len(quorum_rows) == 1 + len(polls)
    assert ("Agenda 9, Vote", "12", "11", "7", "yes") in quorum_rows

    # real styles: tables in the template's styles, the adopted logo in the header
    assert {t.style.name for t in doc.tables} >= {"Light Grid Accent 1", "Table Grid"}
    from excom_tools.demo_play import logo_globe
    header_images = [rel.target_part.blob for rel in doc.sections[0].header.part.rels.values()
                     if "image" in rel.reltype]
    assert header_images == [logo_globe()]
    assert "DRAFT" in all_text(response.data)
    assert "Chair" in body and "Hong-seok Koo" in body and "Jung Sook Park" in body


def _documents(app, meeting_id):
    from governance.documents.models import ItemDocument
    from governance.meetings.models import AgendaItem, MeetingSession
    with app.app_context():
        rows = db.session.execute(db.select(ItemDocument.title, ItemDocument.filename, ItemDocument.sha256,
                                            MeetingSession.kind)
                                  .join(AgendaItem, AgendaItem.id == ItemDocument.item_id)
                                  .join(MeetingSession, MeetingSession.id == AgendaItem.session_id)
                                  .where(MeetingSession.meeting_id == meeting_id).order_by(ItemDocument.id)).all()
    return [tuple(row) for row in rows]


def test_each_edition_lists_its_annexes_with_their_sha256_and_who_spoke(app, api, played):
    meeting_id, _ = played
    documents = _documents(app, meeting_id)
    assert [(title, kind) for title, _, _, kind in documents] == [
        ("2024 WeGO Secretariat Annual Report", "open"), ("2024 Financial Report", "closed")]
    staff, observer = api.as_user(SECRETARIAT, DEMO_PASSWORD), api.as_user(OBSERVER, DEMO_PASSWORD)
    for client, edition, shown in ((staff, "full", documents), (observer, "public", documents[:1])):
        doc = Document(io.BytesIO(client.get(f"/meetings/{meeting_id}/memorandum.docx?edition={edition}").data))
        rows, paragraphs = _rows(doc), _paragraphs(doc)
        annexes = [row for row in rows if len(row) == 3 and row[0].isdigit() and len(row[2]) == 64]
        assert [(row[0], row[2]) for row in annexes] == [(str(n), sha) for n, (_, _, sha, _) in
                                                          enumerate(shown, start=1)], edition
        assert all(title in row[1] and filename in row[1] for row, (title, filename, _, _) in zip(annexes, shown))
        assert "Documents: Annex 1 – 2024 WeGO Secretariat Annual Report." in paragraphs
        assert ("Documents: Annex 2 – 2024 Financial Report." in paragraphs) is (edition == "full")
        # who spoke on Agenda 1, in order, in the room or online, and the question asked in writing
        speakers = [row for row in rows if len(row) == 4 and row[0].isdigit()]
        assert [(row[1].split(" (")[0], row[2]) for row in speakers][:2] == [
            ("João Lucas Melonio", "online"), ("İnan Güney", "in the room")]
        assert any("Will the 2025 training programmes be open to observer cities?" in p and "(answered)" in p
                   for p in paragraphs)
        closed_question = any("broken down by region" in p for p in paragraphs)
        assert closed_question is (edition == "full")
        assert any(row[2] == "point of order, in the room" for row in speakers) is (edition == "full")


def test_the_public_edition_holds_nothing_of_the_closed_session(app, api, played):
    meeting_id, _ = played
    items, notes, _, motions, polls = _facts(app, meeting_id)
    observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    refused = observer.get(f"/meetings/{meeting_id}/memorandum.docx")
    assert refused.status_code == 403
    response = observer.get(f"/meetings/{meeting_id}/memorandum.docx?edition=public")
    assert response.status_code == 200
    text = all_text(response.data)  # every part: body, header, footer, properties
    for item_id, heading, closed in items:
        title = heading.split(" – ")[-1]
        if closed:
            assert title not in text, title
            for block in notes[item_id].split("\n\n"):
                assert block not in text
        else:
            assert title in text
    for title, closed, number, _ in motions:
        assert (title in text) is not closed, title
        if number:
            assert (number in text) is not closed, number
    assert "Closed Session" not in text and "EXCOM 2023" not in text
    assert "Makati" in text and "Globe" in text
    member = api.as_user(MEMBER, DEMO_PASSWORD)
    assert member.get(f"/meetings/{meeting_id}/memorandum.docx").status_code == 200


def test_playing_twice_changes_nothing(app, api, played, runner):
    from governance.cli import main
    meeting_id, _ = played
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    audit = staff.get(f"/meetings/{meeting_id}/audit").get_json()
    again = runner.invoke(main, ["demo", "--play"])
    assert again.exit_code == 0 and "already played, nothing changed" in again.output
    assert staff.get(f"/meetings/{meeting_id}/audit").get_json() == audit
    assert [v["version"] for v in staff.get(f"/meetings/{meeting_id}/memorandum").get_json()] == [1]
    with app.app_context():
        from governance.registry.models import Member
        statuses = dict(db.session.execute(db.select(Member.name, Member.status)
                                           .where(Member.name.in_(["Cali", "Kaohsiung"]))).all())
    assert statuses == {"Cali": "active", "Kaohsiung": "active"}


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")
def test_libreoffice_opens_the_played_memorandum_and_the_attendance_is_in_the_pdf(app, api, played, tmp_path):
    meeting_id, _ = played
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    docx = tmp_path / "memorandum.docx"
    docx.write_bytes(staff.get(f"/meetings/{meeting_id}/memorandum.docx").data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "memorandum.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Attendance" in text and "EXCOM members present in person (10)" in text
    for name in ("Omar Al Nuaimi (Abu Dhabi)", "Tayseer Hasan (Hebron)", "Seong Dohyeon (Yonhap News)",
                 "Jung Sook Park (WeGO Secretariat)"):
        assert name in text, name
    assert "EXCOM 2024/R8" in text and "Page 1 of" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                       check=True, capture_output=True, timeout=60)
        assert list(tmp_path.glob("page*.png"))


def test_the_played_meeting_s_trail_verifies_and_every_poll_recounts(played, runner, tmp_path):
    """The play runs on Almaty's clock (+05:00): its events are hashed as UTC, as stored
    (the trail used to be called broken at event 88). Its archive verifies offline too."""
    from governance.cli import main
    from tests.minutes.test_archive import verify_offline
    verify = runner.invoke(main, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    assert "audit trail intact" in verify.output and "scheme 1" not in verify.output
    recount = runner.invoke(main, ["audit", "recount"])
    assert recount.exit_code == 0, recount.output
    assert "recount holds for all 11 closed polls" in recount.output
    archive = runner.invoke(main, ["archive", str(played[0]), str(tmp_path / "excom-2024.zip")])
    assert archive.exit_code == 0, archive.output
    code, output = verify_offline(tmp_path / "excom-2024.zip")
    assert code == 0 and "11 closed polls recounted" in output, output


def test_the_played_meeting_happens_on_its_own_day_in_order(app, played):
    """The play's clock reaches every timestamp, column defaults included: each poll is opened
    and then closed on the days of the meeting, and the trail of the votes never goes back."""
    from governance.audit.models import AuditEvent
    from governance.meetings.models import Meeting
    from voting.models import Poll
    meeting_id, _ = played
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        polls = db.session.scalars(db.select(Poll)).all()
        assert polls
        for poll in polls:
            assert meeting.starts_at.date() <= poll.opened_at.date() <= poll.closed_at.date(), poll.id
            assert (poll.closed_at - meeting.starts_at).days < 2, poll.id
        times = db.session.scalars(db.select(AuditEvent.created_at).where(AuditEvent.action.like("poll.%"))
                                   .order_by(AuditEvent.seq)).all()
        assert times == sorted(times)
