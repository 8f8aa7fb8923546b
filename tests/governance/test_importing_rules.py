"""Reading tables row by row (governance.importing, pure) and the files they come in
(governance.spreadsheets): worked cases and properties."""
import io
import zipfile

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from governance import importing, spreadsheets

COLUMNS = (
    importing.Column("name", ("member", "название"), required=True),
    importing.Column("status", (), choices=("applicant", "active"), aliases=(("действующий", "active"),)),
    importing.Column("excom", (), kind="flag"),
    importing.Column("email", ("e-mail",), kind="email"),
)


def test_every_problem_is_reported_by_line_and_column():
    plan = importing.plan_table([
        ["Name", "STATUS", "Excom", "E-mail", "Notes"],
        ["Seoul", "Active", "yes", "seoul@example.org", "ignored"],
        ["", "active", "", "", ""],
        ["Almaty", "asleep", "perhaps", "not-an-address", ""],
        ["seoul", "действующий", "да", "", ""],
    ], COLUMNS, key="name")
    assert plan.ignored_columns == ["Notes"] and plan.problems == []
    lines = {row.line: row for row in plan.rows}
    assert lines[2].values == {"name": "Seoul", "status": "active", "excom": True, "email": "seoul@example.org"}
    assert lines[2].problems == {"name": ["Also on line 5."]}
    assert lines[3].problems == {"name": ["Required."]}
    assert lines[4].problems == {"status": ["One of: applicant, active."], "excom": ["Write yes or no."],
                                 "email": ["Not an e-mail address."]}
    assert lines[5].values["status"] == "active" and lines[5].values["excom"] is True
    assert not plan.valid


def test_a_table_without_its_required_column_is_refused_whole():
    plan = importing.plan_table([["country"], ["Korea"]], COLUMNS, key="name")
    assert plan.problems == ["The first row must name the column name."] and not plan.valid


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(table=st.lists(st.lists(CELL, max_size=6), max_size=8))
def test_any_table_gets_a_plan_never_an_error(table):
    plan = importing.plan_table(table, COLUMNS, key="name")
    assert len(plan.rows) == max(len(table) - 1, 0)
    assert [row.line for row in plan.rows] == list(range(2, len(plan.rows) + 2))
    for row in plan.rows:
        assert set(row.values) <= {c.field for c in COLUMNS}
        if row.valid:  # what the caller may rely on: every required value is there
            assert row.values.get("name")


@given(names=st.lists(st.text(alphabet="abcXYZ ", min_size=1, max_size=5).map(str.strip).filter(bool), max_size=8))
def test_duplicate_names_are_refused_whatever_their_case(names):
    plan = importing.plan_table([["name"], *[[n] for n in names]], COLUMNS, key="name")
    folded = [n.casefold() for n in names]
    for row, name in zip(plan.rows, folded):
        assert ("name" in row.problems) == (folded.count(name) > 1)


@settings(max_examples=40, deadline=None)
@example(rows=[["", "", '"']])  # the sniffer took the quote for a quoting rule and read '""'
@given(rows=st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=15)
                              .map(str.strip), min_size=3, max_size=3), max_size=6))
def test_what_is_exported_reads_back_the_same(rows):
    header = ["name", "country", "office"]
    kept = [row for row in rows if any(row)]
    for write in (spreadsheets.write_csv, spreadsheets.write_xlsx):
        read = spreadsheets.read_table(write(header, rows))
        assert read[0] == header
        padded = [r + [""] * (3 - len(r)) for r in read[1:]]
        expected = [[("'" + c if write is spreadsheets.write_csv and c.startswith(("=", "+", "-", "@")) else c)
                     for c in row] for row in kept]
        assert padded == expected


def test_exported_cells_are_never_formulas():
    xlsx = spreadsheets.write_xlsx(["name"], [["=HYPERLINK(\"http://evil.example\")"], ["+1"]])
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert spreadsheets.write_csv(["name"], [["=1+2"], ["@SUM(A1)"]]).decode("utf-8-sig").splitlines()[1:] == [
        "'=1+2", "'@SUM(A1)"]


def _zip(entries: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("data, says", [
    (b"", "empty"),
    (b"\xff\xfe\x00\x00garbage\x00", "not a CSV or XLSX"),
    (_zip({"hello.txt": "not a workbook"}), "not a readable XLSX"),
    (_zip({"big.xml": b"\x00" * (65 * 1024 * 1024)}), "unpacks to too much"),   # a zip bomb, small on the wire
    (b"PK\x03\x04" + b"\x00" * 100, "not a readable XLSX"),
    ("name\n" + "x\n" * 5002, "more than 5000 rows"),
    (",".join(["c"] * 41) + "\n", "more than 40 columns"),
    (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MiB"),
])
def test_unreadable_files_fail_with_a_reason(data, says):
    data = data.encode() if isinstance(data, str) else data
    with pytest.raises(spreadsheets.TableProblem) as refusal:
        spreadsheets.read_table(data)
    assert says in str(refusal.value)


def test_an_xlsx_with_an_entity_bomb_is_refused_by_the_parser():
    from openpyxl import Workbook
    book = io.BytesIO()
    Workbook().save(book)
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
              b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    parts["xl/worksheets/sheet1.xml"] = laughs
    with pytest.raises(spreadsheets.TableProblem):
        spreadsheets.read_table(_zip(parts))
