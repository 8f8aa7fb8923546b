"""Tables in and out: a CSV or XLSX file read as rows of text, and rows written as CSV or XLSX.

No Flask, no database. Reading is bounded (bytes, rows, columns, the XLSX's unpacked size) so
that a hostile file fails alone with a TableProblem; openpyxl parses with defusedxml, so entity
tricks in the XML are refused by the parser. Writing neutralises cells that a spreadsheet would
run as a formula (=, +, -, @ first: OWASP's "CSV injection").
"""
import csv
import io
import zipfile
from datetime import date, datetime

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40
MAX_CELL = 2000
MAX_UNPACKED = 64 * 1024 * 1024  # all parts of an XLSX together, once unzipped

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableProblem(ValueError):
    """Why a file cannot be read as a table: a sentence for a person."""


def read_table(data: bytes, filename: str = "") -> list[list[str]]:
    """The file's rows (the first one its header), each a list of stripped strings, empty rows
    left out. XLSX is recognised by its content (a ZIP), anything else is read as CSV."""
    if len(data) > MAX_BYTES:
        raise TableProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MiB.")
    if not data.strip():
        raise TableProblem("The file is empty.")
    rows = _read_xlsx(data) if data[:4] == b"PK\x03\x04" else _read_csv(data)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise TableProblem("The file holds no rows.")
    return rows


def _check_shape(rows: int, columns: int) -> None:
    if rows > MAX_ROWS + 1:
        raise TableProblem(f"The file has more than {MAX_ROWS} rows; split it.")
    if columns > MAX_COLUMNS:
        raise TableProblem(f"The file has more than {MAX_COLUMNS} columns.")


def _decode(data: bytes) -> str:
    # Excel saves "CSV UTF-8" with a BOM, and plain "CSV" in the Windows code page: Cyrillic is cp1251
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableProblem("The CSV file is not text in UTF-8; save it as “CSV UTF-8”.")


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise TableProblem("This is not a CSV or XLSX file.")
    sample = text[:8192]
    # Only the delimiter is guessed (Excel writes ";" where "," is the decimal comma): the sniffer's
    # guesses about quoting misread cells holding quotes, and every spreadsheet quotes as Excel does
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter):
            rows.append([cell.strip() for cell in row])
            _check_shape(len(rows), len(row))
    except csv.Error as error:
        raise TableProblem(f"The CSV file cannot be read: {error}.") from None
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise TableProblem("The XLSX file unpacks to too much data.")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableProblem:
        raise
    except Exception:  # a damaged ZIP, a ZIP that is no workbook, XML the parser refuses...
        raise TableProblem("This is not a readable XLSX (Excel) workbook.") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableProblem("The workbook has no sheet.")
        rows = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            row = [_cell_text(value) for value in values]
            while row and not row[-1]:
                row.pop()
            rows.append(row)
            _check_shape(len(rows), len(row))
        return rows
    except TableProblem:
        raise
    except Exception:
        raise TableProblem("This is not a readable XLSX (Excel) workbook.") from None
    finally:
        workbook.close()


def _safe(value) -> str | int | bool:
    """A CSV cell as text a spreadsheet shows and never evaluates (a leading apostrophe)."""
    if value is None:
        return ""
    if isinstance(value, (bool, int)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a BOM, so that Excel reads Cyrillic and accents right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["yes" if v is True else "no" if v is False else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(header: list[str], rows: list[list], title: str = "Sheet") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["yes" if v is True else "no" if v is False else "" if v is None else v for v in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl takes "=..." for a formula: it is a name, kept as text
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
