"""What every importer shares: reading a CSV export robustly and row-level rejections.

Reading is done by Arrow's CSV reader, in blocks, single-threaded so that every
malformed record keeps its number. A record is numbered as a spreadsheet shows
it: the header is row 1, the first data record row 2 (blank lines are not
counted; a quoted value spanning two lines is one record). Every check is a
vectorised mask over a block; Python only loops over the rows that are rejected.
"""

from __future__ import annotations

import csv
import ctypes
import gc
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 - registers pa.compute
import pyarrow.csv as pacsv

#: What an importer accepts: a path, the bytes of an upload, or a binary stream.
Source = str | os.PathLike | bytes | BinaryIO

#: Bytes read to decide whether the input is CSV at all and to read its header.
HEAD_BYTES = 64 * 1024
#: Arrow reads this many bytes per block; one block is validated at a time (~40k ACLED rows).
BLOCK_BYTES = 16 << 20
#: ``NA`` is how ACLED writes a missing value; UCDP leaves the cell empty.
NULL_VALUES = ["", "NA"]
#: Columns of the rejection report.
REJECT_COLUMNS = ["row", "field", "value", "problem"]
#: Longest cell text quoted back in the rejection report.
MAX_VALUE_CHARS = 80

#: Leading bytes of common files that are not CSV, and what to call them.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel/Office document (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "an SQLite database (a GeoPackage is one)"),
    (b"PAR1", "a Parquet file"),
)


class NotCSVError(ValueError):
    """The input as a whole cannot be read as the expected CSV export (one message)."""


Progress = Callable[[float, str], None]


def _no_progress(_fraction: float, _message: str) -> None:
    return None


@dataclass
class ImportResult:
    """Normalised events of one file and everything that was rejected.

    ``events`` is a GeoDataFrame in EPSG:4326 with Panj Watch's event columns
    (see :data:`geo.importers.columns.IMPORTED_COLUMNS`), not yet enriched.
    ``rejects`` has one row per problem: ``row`` (spreadsheet row, header = 1),
    ``field``, ``value`` (the cell text, cut to 80 characters) and ``problem``.
    """

    fmt: str
    events: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    notes: list[str] = field(default_factory=list)


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


def _open(source: Source) -> BinaryIO:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source))
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb")  # noqa: SIM115 - the caller closes it
    source.seek(0)
    return source


def _size(source: Source) -> int:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    if isinstance(source, (str, os.PathLike)):
        return Path(source).stat().st_size
    pos = source.tell()
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(pos)
    return size


def _head_and_tail(source: Source, n: int = HEAD_BYTES) -> tuple[bytes, bytes]:
    stream = _open(source)
    try:
        head = stream.read(n)
        size = _size(source)
        stream.seek(max(0, size - 4096))
        tail = stream.read()
    finally:
        if isinstance(source, (str, os.PathLike)):
            stream.close()
    return head, tail


def _decode_head(head: bytes, label: str) -> str:
    if not head.strip():
        raise NotCSVError(f"The file is empty: a {label} CSV export needs a header row and data rows.")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise NotCSVError(
                f"This is not a CSV file: it looks like {what}. Export the data as CSV "
                f"(comma-separated, UTF-8) and upload that."
            )
    if b"\x00" in head:
        raise NotCSVError("This is not a CSV file: it contains binary data (NUL bytes). Upload a UTF-8 CSV export.")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is fine; anything earlier is not UTF-8.
        if len(head) == HEAD_BYTES and exc.start >= len(head) - 3:
            text = head[: exc.start].decode("utf-8")
        else:
            raise NotCSVError(
                f"This is not a UTF-8 text file (undecodable byte at offset {exc.start}). "
                f"Re-save the export as CSV UTF-8 and upload it again."
            ) from None
    return text.lstrip("\ufeff")


def _header(text: str, label: str) -> list[str]:
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        raise NotCSVError(f"This is not a CSV file: it looks like JSON. Download the {label} data as CSV.")
    if stripped[:1] == "<":
        raise NotCSVError(f"This is not a CSV file: it looks like HTML or XML. Download the {label} data as CSV.")
    first = next(csv.reader(io.StringIO(text)), [])
    return list(first)


def canonical(name: str) -> str:
    """Column name as the importers compare them: trimmed, lower case, BOM removed."""
    return name.replace("\ufeff", "").strip().lower()


@dataclass
class CSVBlocks:
    """A CSV export opened for block-wise reading.

    Attributes
    ----------
    columns : list of str
        Canonical column names (after :func:`canonical` and the format's aliases).
    bad_records : list of tuple
        ``(row, expected_fields, actual_fields, text)`` for every record with the
        wrong number of fields (a truncated line, or a stray separator).
    truncated_tail : bool
        True when the file ends inside a quoted value (cut off mid-record).
    """

    source: Source
    raw_names: list[str]
    columns: list[str]
    size: int
    truncated_tail: bool
    bad_records: list[tuple[int, int, int, str]] = field(default_factory=list)

    def blocks(self, progress: Progress = _no_progress) -> Iterator[pd.DataFrame]:
        """Yield the good records as DataFrames of text (``None`` for missing), in file order."""

        def on_invalid(row: pacsv.InvalidRow) -> str:
            self.bad_records.append((int(row.number or -1), row.expected_columns, row.actual_columns, row.text))
            return "skip"

        stream = _open(self.source)
        counted = _CountingReader(stream)
        try:
            reader = pacsv.open_csv(
                counted,
                read_options=pacsv.ReadOptions(
                    use_threads=False, block_size=BLOCK_BYTES, skip_rows=1, column_names=self.raw_names
                ),
                parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in self.raw_names},
                    null_values=NULL_VALUES,
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            for batch in reader:
                df = batch.to_pandas()
                df.columns = self.columns
                progress(min(counted.read_bytes / max(self.size, 1), 1.0), "reading")
                yield df
        except pa.ArrowInvalid as exc:
            raise NotCSVError(f"The file cannot be parsed as CSV: {exc}") from None
        finally:
            if isinstance(self.source, (str, os.PathLike)):
                stream.close()


class _CountingReader(io.RawIOBase):
    """A read-only stream that counts bytes handed to Arrow (for the progress bar)."""

    def __init__(self, inner: BinaryIO):
        self.inner = inner
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.inner.read(len(b))
        n = len(data)
        b[:n] = data
        self.read_bytes += n
        return n


def open_csv(
    source: Source,
    label: str,
    aliases: dict[str, str],
    required: tuple[str, ...],
    any_of: tuple[tuple[str, ...], ...] = (),
    other_formats: dict[str, tuple[str, ...]] | None = None,
) -> CSVBlocks:
    """Check that ``source`` is a CSV export of the expected kind and open it.

    Parameters
    ----------
    source : path, bytes or binary stream
    label : str
        Format name for messages (``"ACLED"``, ``"UCDP GED"``).
    aliases : dict
        Old column name → current name (after lower-casing).
    required : tuple of str
        Columns that must be present (after aliasing).
    any_of : tuple of tuples
        Groups of which at least one column must be present (e.g. an id column).
    other_formats : dict, optional
        Format label → its tell-tale columns, to say "this looks like a UCDP file".

    Raises
    ------
    NotCSVError
        With one message when the input is empty, binary, not UTF-8, JSON/HTML,
        or lacks the format's columns.
    """
    head, tail = _head_and_tail(source)
    text = _decode_head(head, label)
    raw = _header(text, label)
    names = [aliases.get(canonical(n), canonical(n)) for n in raw]
    present = set(names)
    missing = [c for c in required if c not in present]
    missing += [" or ".join(group) for group in any_of if not present.intersection(group)]
    if missing:
        for other, tell in (other_formats or {}).items():
            if set(tell) <= present:
                article = "an" if other[:1] in "AEIOU" else "a"
                raise NotCSVError(f"This looks like {article} {other} export, not {label}: choose the {other} format.")
        if len(raw) <= 1:
            raise NotCSVError(
                f"This is not a comma-separated {label} export: the first line has no commas "
                f"({text.splitlines()[0][:60]!r}…)."
            )
        article = "an" if label[:1] in "AEIOU" else "a"
        raise NotCSVError(
            f"This is not {article} {label} CSV export: missing column(s) {', '.join(missing)} "
            f"(the header has: {', '.join(n for n in names[:12])}{'…' if len(names) > 12 else ''})."
        )
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise NotCSVError(f"The header names column(s) {', '.join(dupes)} more than once; fix the header and retry.")
    # Unique raw names for Arrow (it refuses duplicates, and aliases may collide with raw spellings).
    raw_names = [f"c{i}" for i in range(len(raw))]
    return CSVBlocks(
        source=source,
        raw_names=raw_names,
        columns=names,
        size=_size(source),
        truncated_tail=_ends_inside_quotes(tail),
    )


def _ends_inside_quotes(tail: bytes) -> bool:
    """True when the last line (with no newline after it) leaves a quote open."""
    if not tail or tail.endswith((b"\n", b"\r")):
        return False
    last = tail.rsplit(b"\n", 1)[-1]
    return last.count(b'"') % 2 == 1


def record_rows(n_good: int, bad_rows: list[int]) -> np.ndarray:
    """Spreadsheet row number of each good record, given the rows that were skipped."""
    total = n_good + len(bad_rows)
    rows = np.arange(2, 2 + total, dtype=np.int64)
    if bad_rows:
        rows = rows[~np.isin(rows, np.asarray(bad_rows, dtype=np.int64))]
    return rows[:n_good]


class Rejects:
    """Accumulates rejected rows, keyed by position among the good records until numbered."""

    def __init__(self) -> None:
        self._by_pos: list[pd.DataFrame] = []
        self._by_row: list[pd.DataFrame] = []

    def add(self, pos: np.ndarray, field_name: str, values: pd.Series | None, problem: str | pd.Series) -> None:
        """Reject the records at ``pos`` (global positions among good records)."""
        if len(pos) == 0:
            return
        vals = (
            values.astype("string").fillna("").str.slice(0, MAX_VALUE_CHARS).to_numpy(dtype=object)
            if values is not None
            else np.full(len(pos), "", dtype=object)
        )
        probs = problem.to_numpy(dtype=object) if isinstance(problem, pd.Series) else np.full(len(pos), problem, dtype=object)
        self._by_pos.append(pd.DataFrame({"pos": pos, "field": field_name, "value": vals, "problem": probs}))

    def add_rows(self, rows: list[int], field_name: str, values: list[str], problems: list[str]) -> None:
        """Reject records already known by spreadsheet row number."""
        if rows:
            vals = [v[:MAX_VALUE_CHARS] for v in values]
            self._by_row.append(pd.DataFrame({"row": rows, "field": field_name, "value": vals, "problem": problems}))

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
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in REJECT_COLUMNS})
        out = pd.concat(parts, ignore_index=True)[REJECT_COLUMNS]
        out["row"] = out["row"].astype("int64")
        return out.sort_values(["row", "field"], kind="stable", ignore_index=True)


def bad_record_rejects(blocks: CSVBlocks, rejects: Rejects) -> None:
    """Turn the records Arrow skipped into rejections (truncated or malformed lines)."""
    rows, values, problems = [], [], []
    for row, expected, actual, text in blocks.bad_records:
        rows.append(row)
        values.append(text.replace("\n", "⏎"))
        if actual < expected:
            problems.append(f"truncated line: {actual} of {expected} fields")
        else:
            problems.append(f"malformed line: {actual} fields, expected {expected} (an unquoted comma?)")
    rejects.add_rows(rows, "(line)", values, problems)


def _arrow_cast(s: pd.Series, typ: pa.DataType) -> pd.Series | None:
    """Fast path: Arrow casts a whole clean text column at C speed; ``None`` if any cell is not a number."""
    try:
        arr = pa.compute.cast(pa.compute.utf8_trim_whitespace(pa.array(s, type=pa.large_string())), typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=s.index)


def to_int(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text → nullable Int64; the mask marks cells that are present but not whole numbers."""
    fast = _arrow_cast(s, pa.int64())
    if fast is not None:
        return fast.astype("Int64"), pd.Series(False, index=s.index)
    num = pd.to_numeric(s, errors="coerce")
    bad = s.notna() & (num.isna() | (num % 1 != 0))
    out = num.where(~bad).round().astype("Int64")
    return out, bad.fillna(True).astype(bool)


def to_float(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text → float64; the mask marks cells that are present but not numbers."""
    fast = _arrow_cast(s, pa.float64())
    num = fast.astype("float64") if fast is not None else pd.to_numeric(s, errors="coerce").astype("float64")
    bad = s.notna() & ~np.isfinite(num)
    return num.where(~bad), bad.astype(bool)


def parse_dates(s: pd.Series, formats: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """Text → datetime64, trying each ``strptime`` format on what is still unparsed.

    Returns the parsed dates (NaT where missing or unparseable) and a mask of the
    cells that are present but match none of the formats.
    """
    text = s.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    todo = text.notna()
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[ok[ok].index] = parsed[ok].astype("datetime64[us]")
        todo.loc[ok[ok].index] = False
    return out, todo.astype(bool)


def clean_text(s: pd.Series) -> pd.Series:
    """Trimmed text with missing values as ``""`` (how the curated data stores them)."""
    return s.astype("string").str.strip().fillna("").astype("str")


#: ``normalise(block, rejects, dataset)`` → normalised frame indexed like ``block`` (global
#: positions), with rejections recorded in ``rejects`` by position.
Normaliser = Callable[[pd.DataFrame, Rejects, str], pd.DataFrame]


def read_events(
    source: Source,
    *,
    fmt: str,
    label: str,
    aliases: dict[str, str],
    required: tuple[str, ...],
    any_of: tuple[tuple[str, ...], ...],
    other_formats: dict[str, tuple[str, ...]],
    normalise: Normaliser,
    dataset: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a CSV export block by block, normalise it and collect row-level rejections.

    Rows the normaliser rejects, records with the wrong number of fields, a last
    record cut off inside a quoted value and repeated event ids (the first one
    wins) are reported; every other row is kept.
    """
    from geo.importers.columns import concat_frames, rows_mask, set_dtypes, to_geodataframe

    progress = progress or _no_progress
    blocks = open_csv(source, label, aliases, required, any_of, other_formats)
    rejects = Rejects()
    parts: list[pd.DataFrame] = []
    pos0 = 0
    for df in blocks.blocks(progress):
        df.index = pd.RangeIndex(pos0, pos0 + len(df))
        # Categories per block keep peak memory near the size of the result, not of the text.
        parts.append(set_dtypes(normalise(df, rejects, dataset)))
        pos0 += len(df)
        del df
    bad_record_rejects(blocks, rejects)
    rows = record_rows(pos0, [r[0] for r in blocks.bad_records])
    notes: list[str] = []
    last_row = pos0 + len(blocks.bad_records) + 1
    if blocks.truncated_tail and pos0 and last_row not in {r[0] for r in blocks.bad_records}:
        # The cut record still had every field (the cut fell in the last one), so Arrow kept it.
        rejects.add(np.array([pos0 - 1]), "(line)", None, "truncated line: the file ends inside a quoted value")
    if not parts:
        empty = to_geodataframe(pd.DataFrame(columns=["latitude", "longitude"]))
        return ImportResult(fmt, empty, rejects.frame(rows), rows_read=len(blocks.bad_records), notes=notes)
    events = concat_frames(parts)
    events["source_row"] = rows[events.index.to_numpy()]
    keep = ~rows_mask(pos0, rejects.rejected_positions())
    ids = events["event_id"].where(keep)
    dup = ids.duplicated(keep="first") & ids.notna()
    if dup.any():
        first_row = events.loc[keep].drop_duplicates("event_id").set_index("event_id")["source_row"]
        dup_ids = events.loc[dup, "event_id"]
        rejects.add(
            events.index[dup].to_numpy(),
            "event id",
            dup_ids.str.split(":", n=1).str[-1],
            "duplicate event id in this file (first at row " + dup_ids.map(first_row).astype(str) + ")",
        )
        keep &= ~dup.to_numpy()
    events = events[keep]
    del parts
    result = ImportResult(fmt, to_geodataframe(events), rejects.frame(rows), rows_read=pos0 + len(blocks.bad_records),
                          notes=notes)
    release_memory()
    return result
