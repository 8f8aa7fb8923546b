"""`excom bench memorandum --named-polls`, the scene of issue 12 at a tiny size: three members
checked in, two closed named polls. It checks the figures' shape and that the memorandum it
built opens with both roll-calls in it, never how fast (the speed is the benchmark's figure)."""
import io

import pytest
from docx import Document

from tests.bench.running import bench

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]


def test_three_members_and_two_named_polls_build_a_memorandum_that_opens(tmp_path):
    # once, on the benchmark's own default database (SQLite): the subject is what the benchmark
    # prints, and both databases' requests are the suite's (tests/conftest.py)
    saved = tmp_path / "memorandum.docx"
    figures = bench("memorandum", "--notes", "0", "--voters", "3", "--named-polls", "2", "--probes", "0",
                    "--docx", str(saved))

    assert figures["build_status"] == 201 and figures["version"] == 1
    assert figures["build_again_status"] == 201 and figures["build_again_seconds"] > 0
    assert (figures["members_present"], figures["named_polls"], figures["database"]) == (3, 2, "sqlite")
    assert isinstance(figures["build_seconds"], float) and figures["build_seconds"] > 0
    assert figures["votes_during_build"] == {"sent": 0, "recorded": 0}  # the votes were all cast before
    assert {"server_cpu_seconds_during_build", "apart_cpu_seconds", "idle", "during_build"} <= set(figures)

    document = Document(io.BytesIO(saved.read_bytes()))
    text = [paragraph.text for paragraph in document.paragraphs]
    assert text.count("Named vote: how each member voted (3)") == 2
    roll_calls = [table for table in document.tables
                  if [cell.text for cell in table.rows[0].cells] == ["Member", "Voted by", "Vote"]]
    assert len(roll_calls) == 2
    assert all(len(table.rows) == 1 + 3 for table in roll_calls)
    assert {row.cells[1].text for table in roll_calls for row in table.rows[1:]} == \
        {"Delegate 00000", "Delegate 00001", "Delegate 00002"}
