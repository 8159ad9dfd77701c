"""What validation reports and the checks every table gets: :class:`Problem`, :class:`DataError`, and reading a table against its declared schema.

A problem names the file, the spreadsheet row (header = row 1), the field and
the offending value. :func:`check_table` reads one curated CSV, converts each
column to its declared type and lists every cell that does not fit; the
table-specific checks (:mod:`geo.data.check_events`, :mod:`geo.data.check_claims`,
:mod:`geo.data.check_sources`) and :func:`geo.data.validate.check_all` build on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from geo.data.schema import Field

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or one file, when ``row`` is None)."""

    file: str
    row: int | None
    field: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        shown = "" if self.value in (None, "") else f" (value: {self.value!r})"
        return f"{where}: {self.message}{shown}"


class DataError(ValueError):
    """Raised by loaders when validation finds problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} data problem(s):\n{lines}")


def row_of(index: int) -> int:
    """Spreadsheet row of a 0-based record index (row 1 is the header)."""
    return int(index) + 2


def read_csv_text(path: Path, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV keeping every cell as text, so typing errors are reported per cell."""
    if not path.is_file():
        return None, [Problem(file, None, None, None, f"file not found: {path}")]
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [Problem(file, None, None, None, f"not a readable UTF-8 CSV: {exc}")]
    return df, []


def _convert(value: str, spec: Field) -> tuple[object, str | None]:
    """Return the typed value of a non-empty cell, or an error message."""
    if spec.kind == "int":
        try:
            number = int(value)
        except ValueError:
            return None, "not a whole number"
    elif spec.kind == "float":
        try:
            number = float(value)
        except ValueError:
            return None, "not a number"
        if number != number:  # NaN slips through float()
            return None, "not a number"
    elif spec.kind == "date":
        # date.fromisoformat also takes "20251126"; curated files use the dashed form only.
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None, "not an ISO date (YYYY-MM-DD)"
        try:
            return date.fromisoformat(value), None
        except ValueError:
            return None, "not a calendar date"
    elif spec.kind == "list":
        items = [v.strip() for v in value.split(";") if v.strip()]
        if spec.choices is not None:
            bad = [i for i in items if i not in spec.choices]
            if bad:
                return None, f"unknown value(s) {bad}; allowed: {sorted(spec.choices)}"
        return items, None
    else:
        if spec.choices is not None and value not in spec.choices:
            return None, f"not one of {sorted(spec.choices)}"
        return value, None
    if spec.choices is not None and number not in spec.choices:
        return None, f"not one of {sorted(spec.choices)}"
    if spec.lo is not None and number < spec.lo or spec.hi is not None and number > spec.hi:
        return None, f"out of range [{spec.lo}, {spec.hi}]"
    return number, None


def check_table(df: pd.DataFrame, schema: tuple[Field, ...], file: str) -> tuple[list[dict], list[Problem]]:
    """Type-check every cell against ``schema``; return typed records and problems."""
    problems: list[Problem] = []
    missing = [f.name for f in schema if f.name not in df.columns]
    for name in missing:
        problems.append(Problem(file, 1, name, None, "required column is missing from the header"))
    if missing:
        return [], problems
    records: list[dict] = []
    for i, raw in enumerate(df.to_dict("records")):
        rec: dict = {}
        for spec in schema:
            value = str(raw[spec.name]).strip()
            if value == "":
                if spec.required:
                    problems.append(Problem(file, row_of(i), spec.name, value, "required value is empty"))
                rec[spec.name] = [] if spec.kind == "list" else None
                continue
            typed, err = _convert(value, spec)
            if err:
                problems.append(Problem(file, row_of(i), spec.name, value, err))
            rec[spec.name] = typed
        records.append(rec)
    return records, problems


def _unique(records: list[dict], key: str, file: str) -> list[Problem]:
    seen: dict[str, int] = {}
    out = []
    for i, r in enumerate(records):
        k = r.get(key)
        if k is None:
            continue
        if not ID_RE.match(str(k)):
            out.append(Problem(file, row_of(i), key, k, "ids use letters, digits, '.', '_' and '-' only"))
        if k in seen:
            out.append(Problem(file, row_of(i), key, k, f"duplicate id (first on row {row_of(seen[k])})"))
        else:
            seen[k] = i
    return out
