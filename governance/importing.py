"""Reading a table of members or of people row by row, before anything is stored. Pure: no
Flask, no database; the operations give it the table and the columns, and decide what each
valid row does (create, update, nothing) against what is stored.

A table's first row names its columns (any case, spaces or underscores: "Name", "e-mail",
"EXCOM"); columns it does not know are left aside and said so. Each later row is checked
on its own: every problem is reported against the file's line number (the header is line 1)
and the column, so that a person can fix the file and try again. Nothing is half-imported:
the caller stores the rows only when no row has a problem.
"""
import re
from dataclasses import dataclass, field

from governance.names import name_key
from governance.plain_text import has_control_character

TRUE_WORDS = {"yes", "y", "true", "1", "x", "да", "д"}
FALSE_WORDS = {"no", "n", "false", "0", "", "нет", "н"}
CONTROL_CHARACTER = "Contains a control character; write plain text."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Column:
    """One column a table may have. `headers`: the spellings accepted for it (compared after
    normalise()); `choices`: the allowed values (compared case-insensitively, stored as given
    here), and `aliases` other words for them (a Russian file says "город" for city);
    `kind`: text, flag (yes/no, да/нет) or email."""

    field: str
    headers: tuple[str, ...]
    required: bool = False
    choices: tuple[str, ...] | None = None
    max_length: int = 200
    kind: str = "text"
    aliases: tuple[tuple[str, str], ...] = ()


@dataclass
class RowPlan:
    line: int
    values: dict
    problems: dict = field(default_factory=dict)
    action: str = ""  # create / update / unchanged, or "error"; set by the caller for valid rows

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class TablePlan:
    rows: list[RowPlan]
    problems: list[str]       # about the whole file (a missing column)
    ignored_columns: list[str]

    @property
    def valid(self) -> bool:
        return not self.problems and all(row.valid for row in self.rows)


def normalise(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.casefold())


def _value(column: Column, text: str) -> tuple[object, str | None]:
    """(value, problem) of one cell."""
    if has_control_character(text):  # a file is input like any other (governance.boundary)
        return text, CONTROL_CHARACTER
    if len(text) > column.max_length:
        return text, f"At most {column.max_length} characters."
    if column.kind == "flag":
        word = text.casefold()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return text, "Write yes or no."
    if column.kind == "email" and text and not _EMAIL.match(text):
        return text, "Not an e-mail address."
    if column.choices is not None and text:
        for choice in column.choices:
            if choice.casefold() == text.casefold():
                return choice, None
        for word, choice in column.aliases:
            if word.casefold() == text.casefold():
                return choice, None
        return text, "One of: " + ", ".join(column.choices) + "."
    return text, None


def plan_table(table: list[list[str]], columns: tuple[Column, ...], key: str) -> TablePlan:
    """Check every row of `table` (header first) against `columns`; `key` names the column that
    identifies a row (a member's name, a person's e-mail): two rows with the same key are both
    refused. A cell left empty is absent from the row's values (the caller's default applies)."""
    header, *body = table if table else [[]]
    by_header = {normalise(spelling): column for column in columns for spelling in (column.field, *column.headers)}
    positions: dict[int, Column] = {}
    ignored, problems = [], []
    for index, title in enumerate(header):
        column = by_header.get(normalise(title))
        if column is None or column in positions.values():
            if title:
                ignored.append(title)
            continue
        positions[index] = column
    missing = [c.field for c in columns if c.required and c not in positions.values()]
    if missing:
        problems.append("The first row must name the column " + ", ".join(missing) + ".")
    rows: list[RowPlan] = []
    seen: dict[object, RowPlan] = {}
    for offset, cells in enumerate(body):
        row = RowPlan(line=offset + 2, values={})
        for field_name in missing:  # a row without a required column is never valid
            row.problems[field_name] = ["Required."]
        for index, column in positions.items():
            text = cells[index].strip() if index < len(cells) and cells[index] is not None else ""
            if not text:
                if column.required:
                    row.problems.setdefault(column.field, []).append("Required.")
                continue
            value, problem = _value(column, text)
            row.values[column.field] = value
            if problem:
                row.problems.setdefault(column.field, []).append(problem)
        identity = name_key(str(row.values.get(key, "")))  # as people read it: case, accents, spaces aside
        if identity:
            if identity in seen:
                row.problems.setdefault(key, []).append(f"Also on line {seen[identity].line}.")
                seen[identity].problems.setdefault(key, []).append(f"Also on line {row.line}.")
            else:
                seen[identity] = row
        rows.append(row)
    return TablePlan(rows=rows, problems=problems, ignored_columns=ignored)
