"""Opening a CSV export: encoding, separator, header names, and block-wise reading.

Reading is done by Arrow's CSV reader, in blocks, single-threaded so that every
malformed record keeps its number. A record is numbered as a spreadsheet shows
it: the header is row 1, the first data record row 2. Blank lines are not rows
(Arrow skips them; so does every spreadsheet's CSV import with "skip empty
rows"); a quoted value spanning two lines is one record, in the header too.

Layouts handled here rather than in the formats:

* header names compared case-insensitively, trimmed, spaces as ``_``, a BOM
  removed; the format's aliases (old names) and names cut to the 10 characters
  of a DBF/shapefile table (``GEO_PRECIS`` → ``geo_precision``);
* unnamed columns (a pandas index written by ``to_csv``) and any column order;
* every record one field longer than the header, the extra field empty (UCDP's
  website download ends every line with a comma);
* UTF-16 with a byte-order mark (re-encoded); ``;`` or tab as the separator
  when the header has no commas.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from geo.data.importers.common import (
    MAX_CELL_CHARS,
    NotCSVError,
    Progress,
    Rejects,
    Source,
    no_progress,
    open_source,
    source_size,
)

#: Bytes read to decide whether the input is CSV at all and to read its header.
HEAD_BYTES = 64 * 1024
#: Arrow reads this many bytes per block; one block is validated at a time (~40k ACLED rows).
BLOCK_BYTES = 16 << 20
#: ``NA`` is how ACLED writes a missing value; UCDP leaves the cell empty.
NULL_VALUES = ["", "NA"]
#: DBF (shapefile attribute table) field names are cut to this many characters.
DBF_NAME_CHARS = 10
#: Records of the head sampled to spot a trailing empty field on every line.
SAMPLE_RECORDS = 200

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


def canonical(name: str) -> str:
    """Column name as the importers compare them: trimmed, lower case, BOM removed, spaces as ``_``."""
    return "_".join(name.replace("\ufeff", "").strip().lower().split())


def _head_and_tail(source: Source, n: int = HEAD_BYTES) -> tuple[bytes, bytes]:
    stream = open_source(source)
    try:
        head = stream.read(n)
        size = source_size(source)
        stream.seek(max(0, size - 4096))
        tail = stream.read()
    finally:
        if isinstance(source, (str, os.PathLike)):
            stream.close()
    return head, tail


def transcode_utf16(source: Source) -> Source:
    """UTF-16 text with a byte-order mark → UTF-8 bytes; any other source unchanged."""
    head, _ = _head_and_tail(source, 4)
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.startswith(b"\xff\xfe\x00\x00"):
        return source
    stream = open_source(source)
    try:
        data = stream.read()
    finally:
        if isinstance(source, (str, os.PathLike)):
            stream.close()
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotCSVError(
            f"The file starts as UTF-16 text but is not valid UTF-16 (at byte {exc.start})."
        ) from None


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
        zeros = head[1::2].count(0) + head[0::2].count(0)
        if zeros >= len(head) // 3:
            raise NotCSVError(
                "This looks like UTF-16 text without a byte-order mark (every other byte is NUL): "
                "re-save the export as CSV UTF-8 and upload it again."
            )
        raise NotCSVError(
            "This is not a CSV file: it contains binary data (NUL bytes). Upload a UTF-8 CSV export."
        )
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is fine; anything earlier is not UTF-8.
        if len(head) == HEAD_BYTES and exc.start >= len(head) - 3:
            text = head[: exc.start].decode("utf-8")
        else:
            raise NotCSVError(
                f"This is not a UTF-8 text file (undecodable byte 0x{head[exc.start]:02X} at offset {exc.start}; "
                f"Latin-1 or Windows-1252 perhaps). Re-save the export as CSV UTF-8 and upload it again."
            ) from None
    return text.lstrip("\ufeff")


def _records(text: str, delimiter: str, limit: int) -> tuple[list[list[str]], bool]:
    """The first ``limit`` records of ``text`` (quote-aware, any line end) and whether parsing broke."""
    out: list[list[str]] = []
    try:
        for rec in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False):
            out.append(rec)
            if len(out) >= limit:
                break
    except csv.Error:
        return out, True
    return out, False


def _header(text: str, label: str) -> tuple[list[str], str, list[list[str]]]:
    """Header names, separator and a sample of the records that follow."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        raise NotCSVError(f"This is not a CSV file: it looks like JSON. Download the {label} data as CSV.")
    if stripped[:1] == "<":
        raise NotCSVError(
            f"This is not a CSV file: it looks like HTML or XML. Download the {label} data as CSV."
        )
    text = text.lstrip("\r\n")  # Arrow skips blank lines before the header too
    best: tuple[list[list[str]], str] = ([], ",")
    for delimiter in (",", ";", "\t"):
        recs, _broken = _records(text, delimiter, SAMPLE_RECORDS + 1)
        if recs and len(recs[0]) > 1:
            best = (recs, delimiter)
            break
    recs, delimiter = best
    if not recs:
        recs, _ = _records(text, ",", SAMPLE_RECORDS + 1)
    header = recs[0] if recs else []
    # The last record of a 64 KB sample may be cut; do not judge the layout by it.
    return header, delimiter, recs[1:-1] if len(recs) > 2 else recs[1:]


def _trailing_fields(n_names: int, sample: list[list[str]]) -> int:
    """Extra empty fields every sampled record carries past the header (UCDP web download: 1)."""
    longer = [r for r in sample if len(r) > n_names and not any(v.strip() for v in r[n_names:])]
    if not sample or len(longer) * 2 < len(sample):
        return 0
    return min(len(r) for r in longer) - n_names


def resolve_names(raw: list[str], aliases: dict[str, str], known: tuple[str, ...]) -> list[str]:
    """Canonical, aliased, un-truncated, unique column names for the header ``raw``."""
    known_all = set(known) | set(aliases)
    names: list[str] = []
    for i, name in enumerate(raw):
        c = canonical(name)
        if not c or c.startswith("unnamed:"):
            names.append(f"_unnamed_{i}")
            continue
        if c not in known_all and len(c) == DBF_NAME_CHARS:
            # A DBF field cut to 10 characters: the first known name it starts, not yet taken.
            cands = sorted(k for k in known_all if k.startswith(c) and aliases.get(k, k) not in names)
            if cands:
                c = cands[0]
        names.append(aliases.get(c, c))
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}__{seen[n]}")
    return out


@dataclass
class CSVBlocks:
    """A CSV export opened for block-wise reading.

    Attributes
    ----------
    columns : list of str
        Canonical column names (after :func:`canonical`, the aliases, DBF names).
    bad_records : list of tuple
        ``(row, expected_fields, actual_fields, text)`` for every record with the
        wrong number of fields (a truncated line, or a stray separator).
    truncated_tail : bool
        True when the file ends inside a quoted value (cut off mid-record).
    """

    source: Source
    raw_header: list[str]
    columns: list[str]
    size: int
    truncated_tail: bool
    delimiter: str = ","
    trailing: int = 0
    bad_records: list[tuple[int, int, int, str]] = field(default_factory=list)

    def blocks(self, rejects: Rejects, progress: Progress = no_progress) -> Iterator[pd.DataFrame]:
        """Yield the good records as DataFrames of text (``None`` for missing), in file order.

        The index of each frame is the record's position among all good records.
        Cells no import should keep (NUL bytes, longer than a spreadsheet cell, a
        line break that swallowed whole records after an unbalanced quote) are
        recorded in ``rejects``.
        """
        n_cols = len(self.columns)
        raw_names = [f"c{i}" for i in range(n_cols)]

        def on_invalid(row: pacsv.InvalidRow) -> str:
            if row.number != 1:  # the header itself, when every record has a trailing field
                self.bad_records.append(
                    (int(row.number or -1), row.expected_columns, row.actual_columns, row.text)
                )
            return "skip"

        stream = open_source(self.source)
        counted = _CountingReader(stream)
        pos0 = 0
        first = True
        try:
            reader = pacsv.open_csv(
                counted,
                read_options=pacsv.ReadOptions(
                    use_threads=False, block_size=BLOCK_BYTES, column_names=raw_names
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter, invalid_row_handler=on_invalid, newlines_in_values=True
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() for c in raw_names},
                    null_values=NULL_VALUES,
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            for batch in reader:
                if first:
                    first = False
                    if not self.trailing:
                        batch = batch.slice(1)  # the header record
                if batch.num_rows == 0:
                    continue
                self._check_cells(batch, pos0, rejects)
                df = batch.to_pandas()
                df.columns = self.columns
                df.index = pd.RangeIndex(pos0, pos0 + len(df))
                pos0 += len(df)
                progress(min(counted.read_bytes / max(self.size, 1), 1.0), "reading")
                yield df
        except pa.ArrowInvalid as exc:
            msg = str(exc)
            if "UTF8" in msg or "utf8" in msg.lower():
                raise NotCSVError(
                    f"The file is not UTF-8 text throughout (after record {pos0 + 1:,}: {msg[:120]}). "
                    "Re-save the export as CSV UTF-8 and import it again."
                ) from None
            raise NotCSVError(f"The file cannot be parsed as CSV: {msg[:200]}") from None
        finally:
            if isinstance(self.source, (str, os.PathLike)):
                stream.close()

    def _check_cells(self, batch: pa.RecordBatch, pos0: int, rejects: Rejects) -> None:
        n_cols = len(self.columns)
        sep = self.delimiter
        for j, arr in enumerate(batch.columns):
            name = self.columns[j]
            if name.startswith("_unnamed_") and n_cols > 1 and j >= n_cols - self.trailing:
                continue
            # Cheap tests first: the value buffer holds every cell's bytes back to back.
            data = arr.buffers()[2]
            raw = data.to_pybytes() if data is not None else b""
            odd_bytes = b"\n" in raw or b"\r" in raw or b"\x00" in raw
            longest = pc.max(pc.binary_length(arr)).as_py() or 0
            if not odd_bytes and longest <= MAX_CELL_CHARS:
                continue
            odd = pc.match_substring_regex(arr, "[\x00\n\r]")
            long_ = pc.greater(pc.binary_length(arr), MAX_CELL_CHARS)
            flag = pc.or_(pc.fill_null(odd, False), pc.fill_null(long_, False))
            if not pc.any(flag).as_py():
                continue
            idx = np.flatnonzero(flag.to_numpy(zero_copy_only=False))
            for i in idx:
                text = arr[int(i)].as_py()
                pos = np.array([pos0 + int(i)])
                value = pd.Series([text])
                if "\x00" in text:
                    rejects.add(pos, name, value, "contains a NUL byte (binary data, not text)")
                elif len(text) > MAX_CELL_CHARS:
                    rejects.add(
                        pos,
                        name,
                        value,
                        f"longer than {MAX_CELL_CHARS:,} characters (a spreadsheet cell's limit)",
                    )
                else:
                    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                    if sum(line.count(sep) for line in lines[1:]) >= max(2, (n_cols - 1) // 2):
                        rejects.add(
                            pos,
                            name,
                            value,
                            f'an unbalanced quote (") made this cell run over {len(lines) - 1} more line(s) '
                            "of the file, which look like rows of their own; fix the quote and import again",
                        )


class _CountingReader(io.RawIOBase):
    """A read-only stream that counts bytes handed to Arrow (for the progress bar)."""

    def __init__(self, inner):
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
    known: tuple[str, ...] = (),
    reads: tuple[str, ...] = (),
) -> CSVBlocks:
    """Check that ``source`` is a CSV export of the expected kind and open it.

    Parameters
    ----------
    source : path, bytes or binary stream
    label : str
        Format name for messages (``"ACLED"``, ``"UCDP GED"``).
    aliases : dict
        Old column name → current name (after :func:`canonical`).
    required : tuple of str
        Columns that must be present (after aliasing).
    any_of : tuple of tuples
        Groups of which at least one column must be present (e.g. an id column).
    other_formats : dict, optional
        Format label → its tell-tale columns, to say "this looks like a UCDP file".
    known : tuple of str
        Every column name of the format (to undo DBF truncation).
    reads : tuple of str
        Columns the format reads: naming one twice is an error; other repeats are ignored.

    Raises
    ------
    NotCSVError
        With one message when the input is empty, binary, not UTF-8, JSON/HTML,
        has no coordinates, or lacks the format's columns.
    """
    head, tail = _head_and_tail(source)
    text = _decode_head(head, label)
    raw, delimiter, sample = _header(text, label)
    names = resolve_names(raw, aliases, known + required)
    present = set(names)
    article = "an" if label[:1] in "AEIOU" else "a"
    missing = [c for c in required if c not in present]
    missing += [" or ".join(group) for group in any_of if not present.intersection(group)]
    if missing:
        for other, tell in (other_formats or {}).items():
            if set(tell) <= present:
                art = "an" if other[:1] in "AEIOU" else "a"
                raise NotCSVError(
                    f"This looks like {art} {other} export, not {label}: choose the {other} format."
                )
        if len(raw) <= 1:
            first = text.splitlines()[0][:60] if text.splitlines() else ""
            raise NotCSVError(
                f"This is not a comma-separated {label} export: the first line has no commas ({first!r}…)."
            )
        shown = ", ".join(n.strip()[:40] for n in raw[:12] if n.strip()) + ("…" if len(raw) > 12 else "")
        if ("latitude" not in present or "longitude" not in present) and len(present & set(known)) >= 2:
            kind = ""
            if {"events", "month"} & present or "events" in present:
                kind = " It looks like a table of counts (such as ACLED Explorer's events by province and month)."
            raise NotCSVError(
                f"This file has no coordinates (no latitude and longitude columns), so its events cannot be "
                f"placed on the map; it has: {shown}.{kind} Download event-level {label} data instead."
            )
        raise NotCSVError(
            f"This is not {article} {label} CSV export: missing column(s) {', '.join(missing)} "
            f"(the header has: {shown})."
        )
    dupes = sorted({n.split("__")[0] for n in names if "__" in n and n.split("__")[0] in set(reads)})
    if dupes:
        raise NotCSVError(
            f"The header names column(s) {', '.join(dupes)} more than once; fix the header and retry."
        )
    trailing = _trailing_fields(len(raw), sample)
    columns = names + [f"_unnamed_{len(raw) + k}" for k in range(trailing)]
    return CSVBlocks(
        source=source,
        raw_header=raw,
        columns=columns,
        size=source_size(source),
        truncated_tail=_ends_inside_quotes(tail),
        delimiter=delimiter,
        trailing=trailing,
    )


def _ends_inside_quotes(tail: bytes) -> bool:
    """True when the last line (with no newline after it) leaves a quote open."""
    if not tail or tail.endswith((b"\n", b"\r")):
        return False
    last = tail.rsplit(b"\n", 1)[-1]
    return last.count(b'"') % 2 == 1


def bad_record_rejects(blocks: CSVBlocks, rejects: Rejects) -> None:
    """Turn the records Arrow skipped into rejections (truncated or malformed lines)."""
    rows, values, problems = [], [], []
    header_sep = blocks.delimiter
    for row, expected, actual, text in blocks.bad_records:
        rows.append(row)
        values.append(text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎"))
        extra_lines = text.count("\n") + text.replace("\r\n", "").count("\r")
        if not text.strip():
            problem = "empty row (only spaces)"
        elif actual < expected:
            problem = f"truncated line: {actual} of {expected} fields"
            other = next((s for s in (";", "\t", ",") if s != header_sep and s in text), None)
            if actual == 1 and other:
                problem += f" (this line seems separated by {other!r}, the header by {header_sep!r})"
        else:
            problem = f"malformed line: {actual} fields, expected {expected} (an unquoted separator?)"
        if extra_lines:
            problem += (
                f'; an unbalanced quote (") made it run over {extra_lines} more line(s) of the file, '
                "read into this row instead of as rows of their own"
            )
        problems.append(problem)
    rejects.add_rows(rows, "(line)", values, problems)
