"""build_editions builds the full and public editions of a language together, the second taking
the blocks both show from the first (minutes.builder.SharedBlocks): each document must still be,
part by part, the one build_memorandum makes for that edition and language alone."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from minutes.builder import build_editions, build_memorandum, edition_key
from minutes.phrasing import EDITIONS
from minutes.record import DocumentRecord, Memorandum, PublishedDecision, Quorum
from minutes.wording import LANGUAGES
from tests.minutes.sample_record import assembly_record, sample_record


def parts(data: bytes) -> dict[str, bytes]:
    """The package's parts by name, in the package's order (the ZIP entries' dates aside)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def paper(number: int) -> DocumentRecord:
    return DocumentRecord(f"Paper {number}", f"paper-{number}.pdf", "application/pdf", 1000 * number,
                          f"{number:064x}")


def with_annexes_numbered_apart() -> Memorandum:
    """Annexes on open items around a closed item of the open session: the public edition numbers
    them over what it shows (Annex 2 there is Annex 4 in the full edition)."""
    record = sample_record()
    open_session = record.sessions[0]
    items = list(open_session.items)
    items[0] = replace(items[0], documents=(paper(1),))
    items[1] = replace(items[1], closed=True, documents=(paper(2), paper(3)))
    items[2] = replace(items[2], documents=(paper(4),))
    return replace(record, sessions=(replace(open_session, items=tuple(items)), *record.sessions[1:]))


RECORDS = {
    "sample": sample_record,
    "published decisions": lambda: sample_record(published_decisions=(
        PublishedDecision("Membership fee use for 2025", "adopted", "EXCOM 2024/R6"),
        PublishedDecision("Host city of the EXCOM Meeting 2025", "elected", None, "Makati"))),
    "annexes numbered apart": with_annexes_numbered_apart,
    "assembly": lambda: assembly_record(40),
    "attendance as the public knows it": lambda: sample_record(
        public_attendance=replace(sample_record().attendance, members_online=()),
        public_quorum_at_opening=Quorum(voting_members=12, present=10, required=7, quorate=True)),
}


@pytest.mark.parametrize("name", RECORDS)
def test_each_edition_is_the_one_built_alone(name):
    record = RECORDS[name]()
    together = build_editions(record)
    assert set(together) == {edition_key(edition, language) for language in LANGUAGES for edition in EDITIONS}
    for language in LANGUAGES:
        for edition in EDITIONS:
            alone = build_memorandum(record, edition=edition, language=language)
            assert parts(together[edition_key(edition, language)]) == parts(alone), (edition, language)


def test_the_public_edition_keeps_its_own_annex_numbers():
    """The case where the editions may not share an item: its annex is numbered apart."""
    together = build_editions(with_annexes_numbered_apart())
    full, public = (parts(together[edition])["word/document.xml"].decode() for edition in ("full", "public"))
    assert "Annex 4 – Paper 4" in full and "Paper 2" in full
    assert "Annex 2 – Paper 4" in public and "Paper 2" not in public
