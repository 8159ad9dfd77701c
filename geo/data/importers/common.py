"""What every importer shares: the result type, row-level rejections and strict number
reading (the read loop built on them is :func:`geo.data.importers.readloop.read_events`).

Every check is a vectorised mask over a block; Python only loops over the rows
that are rejected. Values the app cannot hold are rejected here, per row, with a
reason — never at render time:

* whole numbers are digits (an optional sign, an optional ``.0`` a spreadsheet
  adds); ``0x10``, ``1e20``, ``NaN`` and anything beyond 15 digits are refused;
* counts have a stated bound (:data:`MAX_COUNT` deaths in one event);
* dates lie in the range :data:`geo.data.importers.dates.DATE_MIN`–``DATE_MAX``;
* cells longer than :data:`MAX_CELL_CHARS` (a spreadsheet cell's limit) or
  holding NUL bytes are refused.

Invariant of every import: rows read = rows imported + rows rejected; every
rejection names its row (spreadsheet numbering, header = 1) and field.
"""

from __future__ import annotations

import ctypes
import gc
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.data.importers.textsafe import terminal_safe as terminal_safe  # re-exported for the CLI and tests

#: What an importer accepts: a path, the bytes of an upload, or a binary stream.
Source = str | os.PathLike | bytes | BinaryIO

#: Columns of the rejection report.
REJECT_COLUMNS = ["row", "field", "value", "problem"]
#: Longest cell text quoted back in the rejection report.
MAX_VALUE_CHARS = 80
#: Longest cell accepted (Excel's limit for one cell); longer ones reject their row.
MAX_CELL_CHARS = 32_767
#: Most deaths (or injured) accepted for one event: above the deadliest single events on record.
MAX_COUNT = 1_000_000
#: Reads of at least this many records hand freed memory back to the system afterwards
#: (a full garbage collection costs a fixed ~0.1 s: not worth it for small files).
LARGE_READ = 50_000
#: Digits a whole number may have (int64 holds 18; 15 keeps every value exact as a float too).
MAX_DIGITS = 15

_INT_RE = r"^[+-]?[0-9]+(\.0*)?$"
_FLOAT_RE = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"


class NotCSVError(ValueError):
    """The input as a whole cannot be read as the expected CSV export (one message)."""


Progress = Callable[[float, str], None]


def no_progress(_fraction: float, _message: str) -> None:
    return None


@dataclass
class ImportResult:
    """Normalised events of one file, everything that was rejected, and what was flagged.

    ``events`` is a GeoDataFrame in EPSG:4326 with Panj Watch's event columns
    (see :data:`geo.data.columns.IMPORTED_COLUMNS`), not yet enriched.
    ``rejects`` has one row per problem: ``row`` (spreadsheet row, header = 1),
    ``field``, ``value`` (the cell text, cut to 80 characters) and ``problem``.
    ``flags`` has the same columns for rows that were kept with a warning (UCDP
    estimates out of order). ``notes`` are sentences for the import report (date
    formats chosen, columns the file lacks, container read).
    """

    fmt: str
    events: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    notes: list[str] = field(default_factory=list)
    flags: pd.DataFrame = field(default_factory=lambda: empty_report())


def empty_report() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in REJECT_COLUMNS})


def release_memory() -> None:
    """Give freed memory back to the system after a large read.

    Arrow's allocator and glibc's malloc both keep freed blocks for reuse; after
    reading a million rows that is several hundred megabytes of resident memory
    nobody uses. ``malloc_trim`` exists on glibc only, hence the guard.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def source_name(source: Source) -> str:
    """A short label for ``source`` (the file name, or ``upload``)."""
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return str(getattr(source, "name", "") or "upload")


def open_source(source: Source) -> BinaryIO:
    """A binary stream at the start of ``source`` (the caller closes it when it is a path)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source))
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb")  # noqa: SIM115 - the caller closes it
    source.seek(0)
    return source


def source_size(source: Source) -> int:
    """Size of ``source`` in bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    if isinstance(source, (str, os.PathLike)):
        return Path(source).stat().st_size
    pos = source.tell()
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(pos)
    return size


def record_rows(n_good: int, bad_rows: list[int]) -> np.ndarray:
    """Spreadsheet row number of each good record, given the rows that were skipped."""
    total = n_good + len(bad_rows)
    rows = np.arange(2, 2 + total, dtype=np.int64)
    if bad_rows:
        rows = rows[~np.isin(rows, np.asarray(bad_rows, dtype=np.int64))]
    return rows[:n_good]


class Rejects:
    """Accumulates rejected (or flagged) rows, keyed by position among the good records until numbered."""

    def __init__(self) -> None:
        self._by_pos: list[pd.DataFrame] = []
        self._by_row: list[pd.DataFrame] = []

    def add(
        self, pos: np.ndarray, field_name: str, values: pd.Series | None, problem: str | pd.Series
    ) -> None:
        """Reject the records at ``pos`` (global positions among good records)."""
        pos = np.asarray(pos)
        if len(pos) == 0:
            return
        vals = (
            values.astype("string").fillna("").str.slice(0, MAX_VALUE_CHARS).to_numpy(dtype=object)
            if values is not None
            else np.full(len(pos), "", dtype=object)
        )
        probs = (
            problem.to_numpy(dtype=object)
            if isinstance(problem, pd.Series)
            else np.full(len(pos), problem, dtype=object)
        )
        self._by_pos.append(pd.DataFrame({"pos": pos, "field": field_name, "value": vals, "problem": probs}))

    def add_rows(self, rows: list[int], field_name: str, values: list[str], problems: list[str]) -> None:
        """Reject records already known by spreadsheet row number."""
        if rows:
            vals = [v[:MAX_VALUE_CHARS] for v in values]
            self._by_row.append(
                pd.DataFrame({"row": rows, "field": field_name, "value": vals, "problem": problems})
            )

    def rejected_positions(self) -> np.ndarray:
        if not self._by_pos:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate([p["pos"].to_numpy() for p in self._by_pos]))

    def frame(self, rows: np.ndarray) -> pd.DataFrame:
        """The report, numbered with ``rows`` (row number of each good record), sorted by row."""
        parts = list(self._by_row)
        for p in self._by_pos:
            q = p.drop(columns="pos")
            q.insert(0, "row", rows[p["pos"].to_numpy()])
            parts.append(q)
        if not parts:
            return empty_report()
        out = pd.concat(parts, ignore_index=True)[REJECT_COLUMNS]
        out["row"] = out["row"].astype("int64")
        return out.sort_values(["row", "field"], kind="stable", ignore_index=True)


def _text_array(s: pd.Series) -> pa.Array:
    try:
        arr = pa.array(s, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array(s.astype("string").astype(object).where(s.notna(), None), type=pa.large_string())
    return pc.utf8_trim_whitespace(arr)


def to_int(s: pd.Series, lo: int | None = None, hi: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Text → nullable Int64; the mask marks cells that are present but not a whole number in ``lo``–``hi``.

    Only decimal digits are numbers (with a sign, and a ``.0`` tail that a
    spreadsheet may add): ``0x10``, ``1e3``, ``NaN`` and numbers of more than
    :data:`MAX_DIGITS` digits are refused rather than read as something else.
    """
    arr = _text_array(s)
    ok = pc.fill_null(pc.match_substring_regex(arr, _INT_RE), False)
    digits = pc.replace_substring_regex(arr, r"\.0*$", "")
    ok = pc.and_(
        ok,
        pc.less_equal(
            pc.fill_null(pc.utf8_length(pc.replace_substring_regex(digits, "^[+-]", "")), 0), MAX_DIGITS
        ),
    )
    clean = pc.if_else(ok, digits, pa.scalar(None, pa.large_string()))
    val = pd.Series(pc.cast(clean, pa.int64()).to_numpy(zero_copy_only=False), index=s.index).astype("Int64")
    present = pd.Series(pc.is_valid(arr).to_numpy(zero_copy_only=False), index=s.index) & pd.Series(
        pc.greater(pc.fill_null(pc.utf8_length(arr), 0), 0).to_numpy(zero_copy_only=False), index=s.index
    )
    bad = present & val.isna()
    if lo is not None:
        bad |= (val < lo).fillna(False)
    if hi is not None:
        bad |= (val > hi).fillna(False)
    return val.where(~bad), bad.astype(bool)


def to_float(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text → float64; the mask marks cells that are present but not finite decimal numbers."""
    arr = _text_array(s)
    ok = pc.fill_null(pc.match_substring_regex(arr, _FLOAT_RE), False)
    clean = pc.if_else(ok, arr, pa.scalar(None, pa.large_string()))
    num = pd.Series(pc.cast(clean, pa.float64()).to_numpy(zero_copy_only=False), index=s.index).astype(
        "float64"
    )
    present = pd.Series(
        pc.fill_null(pc.greater(pc.utf8_length(arr), 0), False).to_numpy(zero_copy_only=False), index=s.index
    )
    bad = present & ~np.isfinite(num)
    return num.where(~bad), bad.astype(bool)


def tidy_categories(s: pd.Series, fn: Callable[[pd.Series], pd.Series] | None = None) -> pd.Series:
    """``s`` as a categorical of trimmed text ("" → missing), ``fn`` applied to the distinct values only.

    A column of a million cells holds a few thousand distinct values: cleaning
    those and mapping back by code costs a fraction of cleaning every cell.
    """
    cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
    values = pd.Series(cat.cat.categories.astype(str), dtype="string").str.strip().replace("", pd.NA)
    if fn is not None:
        values = fn(values)
    new_codes, uniques = pd.factorize(values)
    codes = cat.cat.codes.to_numpy()
    if len(new_codes):
        out = np.where(codes >= 0, new_codes[np.maximum(codes, 0)], -1)
    else:
        out = np.full(len(codes), -1)
    categories = pd.Index(uniques.astype(str), dtype=object)
    return pd.Series(pd.Categorical.from_codes(out, categories=categories), index=s.index)


def clean_text(s: pd.Series) -> pd.Series:
    """Trimmed text with missing values as ``""`` (how the curated data stores them)."""
    return s.astype("string").str.strip().fillna("").astype("str")
