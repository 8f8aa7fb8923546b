"""The memorandum in Russian as well as English, from the same record: the played demo's Russian
editions hold no fixed English text (compared with the English build's), LibreOffice reads them,
the trail hashes every document, and each recipient is sent their account's language."""
import io
import re
import shutil
import subprocess
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from docx import Document

from governance.extensions import db
from minutes.anchor import printed_head
from minutes.wording import Phrase
from tests.factories import PASSWORD
from tests.minutes.test_builder import all_text
from tests.minutes.test_played_meeting import (  # noqa: F401
    DEMO_PASSWORD,
    OBSERVER,
    SECRETARIAT,
    played,
)

MINUTES = Path(__file__).resolve().parents[2] / "minutes"
SAME_IN_EVERY_LANGUAGE = {"SHA-256"}


def _fixed_fragments() -> set[str]:
    """Every piece of fixed English the memorandum's code can print: each message of minutes/
    (what `_` and `N_` mark), cut at its %(name)s parameters, the pieces that hold a word."""
    pieces = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(MINUTES), method_map=[("**.py", "python")]):
        for text in (message if isinstance(message, tuple) else (message,)):
            for piece in re.split(r"%\(\w+\)s", text or ""):
                piece = piece.strip(" ,.;:–·()“”")
                if re.search(r"[A-Za-z]{2,}", piece) and piece not in SAME_IN_EVERY_LANGUAGE:
                    pieces.add(piece)
    return pieces


def _plain(text: str) -> str:
    """Babel writes "2024 г." with a narrow no-break space, as Russian typography wants."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _count(text: str, piece: str) -> int:
    start = r"\b" if piece[:1].isalnum() else ""
    end = r"\b" if piece[-1:].isalnum() else ""
    return len(re.findall(start + re.escape(piece) + end, text))


def _data_text(value) -> list[str]:
    """The record's own data (names, titles, notes): the texts that are not fixed wording."""
    if isinstance(value, Phrase):
        return [text for parameter in value.params.values() for text in _data_text(parameter)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for part in value for text in _data_text(part)]
    if is_dataclass(value) and not isinstance(value, type):
        return [text for field in fields(value) for text in _data_text(getattr(value, field.name))]
    return []


def _played_record(app, meeting_id):
    from governance.meetings.models import Meeting
    from minutes.collect import collect
    with app.app_context():
        record = collect(db.session.get(Meeting, meeting_id), version=1, status="draft", generated_by="x")
        db.session.rollback()
        return record


@pytest.mark.parametrize("edition", ["full", "public"])
def test_the_russian_memorandum_has_no_untranslated_english_fixed_text(app, api, played, edition):  # noqa: F811
    meeting_id, _ = played
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    english = staff.get(f"/meetings/{meeting_id}/memorandum.docx?edition={edition}")
    russian = staff.get(f"/meetings/{meeting_id}/memorandum.docx?edition={edition}&lang=ru")
    assert english.status_code == russian.status_code == 200
    assert russian.headers["Content-Language"] == "ru" and russian.data != english.data
    assert russian.headers["Content-Disposition"].endswith("-ru.docx")
    en_text, ru_text = _plain(all_text(english.data)), _plain(all_text(russian.data))
    data = "\n".join(_data_text(_played_record(app, meeting_id)))

    untranslated = []
    for piece in sorted(_fixed_fragments()):
        in_english = _count(en_text, piece)
        if in_english == 0:
            continue  # not printed by this meeting
        in_russian = _count(ru_text, piece)
        # printed as fixed text in English, still there as often in Russian: unless the meeting's
        # own data (a title, a name) says those words, it was not translated
        if in_russian >= in_english and not _count(data, piece):
            untranslated.append((piece, in_english, in_russian))
    assert not untranslated, untranslated

    document = Document(io.BytesIO(russian.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Присутствующие", "Кворум"] and "Подписи" in headings
    assert "20 сентября 2024 г." in ru_text and "20 September 2024" in en_text
    assert "Members eligible to vote" in en_text and "Членов с правом голоса" in ru_text
    assert "Required: " in en_text and "Требуется: " in ru_text  # the majority phrases, translated
    assert document.core_properties.language == "ru"
    # the same record: the same people, items, resolutions and the same audit head
    assert printed_head(russian.data) == printed_head(english.data) is not None
    for name in ("Omar Al Nuaimi (Abu Dhabi)", "Jung Sook Park (WeGO Secretariat)"):
        assert name in ru_text and name in en_text
    if edition == "full":
        assert "EXCOM 2024/R8" in ru_text


def test_every_document_of_a_version_is_hashed_in_the_trail_and_the_language_is_checked(app, api, played):  # noqa: F811
    from hashlib import sha256
    meeting_id, _ = played
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    built = staff.post(f"/meetings/{meeting_id}/memorandum")
    assert built.status_code == 201, built.get_json()
    assert built.get_json()["languages"] == ["en", "ru"]
    version = built.get_json()["version"]
    events = [e for e in staff.get(f"/meetings/{meeting_id}/audit?page_size=1000").get_json()
              if e["action"] == "memorandum.built" and e["after"]["version"] == version]
    recorded = events[-1]["after"]
    for edition in ("full", "public"):
        for lang, key in (("en", edition), ("ru", f"{edition}_ru")):
            data = staff.get(f"/meetings/{meeting_id}/memorandum.docx?edition={edition}&lang={lang}"
                             f"&version={version}").data
            assert sha256(data).hexdigest() == recorded[f"{key}_sha256"], key
    refused = staff.get(f"/meetings/{meeting_id}/memorandum.docx?lang=de")
    assert refused.status_code == 422 and "lang" in refused.get_json()["error"]["fields"]
    observer = api.as_user(OBSERVER, DEMO_PASSWORD)
    assert observer.get(f"/meetings/{meeting_id}/memorandum.docx?lang=ru").status_code == 403
    assert observer.get(f"/meetings/{meeting_id}/memorandum.docx?edition=public&lang=ru").status_code == 200


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed")
def test_libreoffice_opens_the_russian_memorandum(api, played, tmp_path):  # noqa: F811
    meeting_id, _ = played
    staff = api.as_user(SECRETARIAT, DEMO_PASSWORD)
    docx = tmp_path / "memorandum-ru.docx"
    docx.write_bytes(staff.get(f"/meetings/{meeting_id}/memorandum.docx?lang=ru").data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "memorandum-ru.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    text = _plain(text)
    assert "Присутствующие" in text and "Члены Исполкома, присутствующие очно (10)" in text
    assert "Резолюции" in text and "Подписи" in text and "Страница 1 из" in text
    assert "20 сентября 2024 г." in text and "EXCOM 2024/R8" in text
    for english in ("Attendance", "Resolutions", "Signatures", "Page 1 of", "September"):
        assert english not in text, english


def test_each_recipient_is_sent_the_language_of_their_account(app, api, runner, small_meeting, smtp_server):
    from governance.auth.models import User
    from governance.cli import main
    app.config["EXCOM_SMTP_URL"] = smtp_server.url
    meeting = small_meeting["meeting"]
    staff = api.as_user(small_meeting["staff"], PASSWORD)
    with app.app_context():
        chair_id = db.session.scalar(db.select(User.id).where(User.email == small_meeting["chair"]))
    changed = staff.patch(f"/users/{chair_id}", json={"language": "ru"})
    assert changed.status_code == 200 and changed.get_json()["language"] == "ru"
    assert staff.patch(f"/users/{chair_id}", json={"language": "fr"}).status_code == 422
    staff.post(f"/meetings/{meeting}/memorandum")
    body = staff.post(f"/meetings/{meeting}/memorandum/distribute", json={"audience": "all"}).get_json()
    languages = {r["email"]: r["language"] for r in body["recipients"]}
    assert languages[small_meeting["chair"]] == "ru"
    assert {lang for email, lang in languages.items() if email != small_meeting["chair"]} == {"en"}
    sent = runner.invoke(main, ["minutes", "send"])
    assert sent.exit_code == 0, sent.output

    russian, english = smtp_server.to(small_meeting["chair"])[0], smtp_server.to(small_meeting["online"])[0]
    assert russian["Subject"].startswith("Меморандум") and russian["Content-Language"] == "ru"
    assert english["Subject"].startswith("Memorandum")
    (attachment,) = list(russian.iter_attachments())
    assert attachment.get_filename().endswith("-v1-ru.docx")
    assert attachment.get_content() == staff.get(f"/meetings/{meeting}/memorandum.docx?lang=ru").data
    assert "Присутствующие" in all_text(attachment.get_content())
    (attachment,) = list(english.iter_attachments())
    assert attachment.get_content() == staff.get(f"/meetings/{meeting}/memorandum.docx").data


def test_the_approval_is_stamped_on_the_russian_editions_too():
    from minutes.builder import build_memorandum, stamp_approved
    from tests.minutes.sample_record import sample_record
    draft = build_memorandum(sample_record(), language="ru")
    assert "ПРОЕКТ" in all_text(draft)
    approved = stamp_approved(draft, "утверждён 20 сентября 2025 г.", "ru")
    text = all_text(approved)
    assert "УТВЕРЖДЁН" in text and "ПРОЕКТ" not in text and "утверждён 20 сентября 2025 г." in text


def test_a_record_s_phrases_survive_the_trip_to_the_build_process():
    """The API builds apart (governance.apart: the record pickled to a child process): a Phrase
    must arrive still translatable, not as its English string."""
    import pickle

    from minutes.builder import build_memorandum
    from minutes.template_sample import sample_memorandum
    from minutes.wording import N_, say, speaking
    phrase = N_("Required: %(rule)s. Abstentions are not votes cast.", rule=N_("two-thirds of the votes cast"))
    travelled = pickle.loads(pickle.dumps(phrase))
    assert isinstance(travelled, Phrase) and travelled == phrase == (
        "Required: two-thirds of the votes cast. Abstentions are not votes cast.")
    with speaking("ru"):
        assert say(travelled) == ("Требуется: две трети поданных голосов. "
                                  "Воздержавшиеся не считаются поданными голосами.")
    record = sample_memorandum()
    assert all_text(build_memorandum(pickle.loads(pickle.dumps(record)), language="ru")) == \
        all_text(build_memorandum(record, language="ru"))


def test_a_changed_russian_edition_is_found_by_the_recount(app, played, runner):  # noqa: F811
    """The Russian documents are record like the English ones: a writer who swaps one is caught."""
    from governance.cli import main
    from minutes.models import MemorandumVersion
    meeting_id, _ = played
    with app.app_context():
        version = db.session.scalar(db.select(MemorandumVersion).where(MemorandumVersion.meeting_id == meeting_id))
        version.public_docx_ru = version.public_docx  # the English edition passed off as the Russian one
        db.session.commit()
    result = runner.invoke(main, ["audit", "recount"])
    assert result.exit_code == 1, result.output
    assert "its public edition in Russian is not the document whose SHA-256 the audit trail recorded" in result.output
