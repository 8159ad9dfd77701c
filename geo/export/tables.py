"""Data exports: CSV safe for spreadsheets, GeoJSON, with provenance."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import geopandas as gpd
import numpy as np
import pandas as pd

#: A spreadsheet treats a cell starting with one of these as a formula (or, for tab, CR
#: and LF, may strip them and read what follows): ASCII and the full-width forms
#: Excel's East Asian input accepts.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: A formula may hide behind leading spaces (LibreOffice's "trim spaces" import).
_FORMULA_RE = re.compile(r"[\s\u00a0\u3000]*[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]")
#: A plain number in text ("-70.5", "+3", "1e-3"): a spreadsheet reads it as that number
#: and runs nothing, so it stays as it is.
_NUMBER_RE = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
#: Rows per chunk when writing a CSV (bounds the extra memory of a large export).
CSV_CHUNK_ROWS = 50_000


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Only strings are touched: numbers (e.g. a longitude of -70.1) stay numbers, and
    so does text that is just a number (``"-12"``). A formula behind leading
    whitespace or starting with a full-width ``＝`` is caught too.
    """
    if isinstance(value, str) and _FORMULA_RE.match(value) and not _NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


def neutralise_column(s: pd.Series) -> pd.Series:
    """:func:`neutralise_cell` on every text cell of ``s`` (non-strings untouched).

    Vectorised on the first characters, so only the few candidate cells go
    through the exact Python check: at a million rows a per-cell regex on
    every text column is most of the export's time.
    """
    if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
        return s
    try:  # .str gives NA for the non-strings of an object column; raises if there are none
        head = s.str.slice(0, 64)
        stripped = head.str.lstrip()
        cand = head.str.slice(0, 1).isin(_FORMULA_START) | stripped.str.slice(0, 1).isin(_FORMULA_START)
        # All whitespace in the first 64 characters: let the exact check look further.
        cand |= (stripped == "") & (s.str.len() > 64)
    except AttributeError:
        return s
    pos = np.flatnonzero(cand.fillna(False).to_numpy(dtype=bool))
    if not len(pos):
        return s
    # Positions, not labels: an index with repeated labels must not spread a fix to other rows.
    values = s.to_numpy(dtype=object)
    fixes = {int(p): neutralise_cell(values[p]) for p in pos}
    fixes = {p: v for p, v in fixes.items() if v is not values[p]}
    if not fixes:
        return s
    out = values.copy()  # the caller's frame is not changed
    out[list(fixes)] = list(fixes.values())
    return pd.Series(out, index=s.index, name=s.name, dtype=object)


def flat_table(df: pd.DataFrame) -> pd.DataFrame:
    """Drop geometry and turn list/tuple and date cells into plain text."""
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object and s.map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = s.map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d")
    return out


def write_csv(
    df: pd.DataFrame,
    fh: BinaryIO,
    chunk_rows: int = CSV_CHUNK_ROWS,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Write ``df`` as UTF-8 CSV to the binary file ``fh``, every text cell neutralised.

    Rows are flattened and neutralised ``chunk_rows`` at a time, so the extra
    memory is one chunk, not a second copy of the whole table. ``progress`` is called
    with the share of rows written (0–1) after each chunk.
    """
    for start in range(0, max(len(df), 1), chunk_rows):
        if progress is not None:
            progress(min(start / max(len(df), 1), 1.0))
        flat = flat_table(df.iloc[start : start + chunk_rows])
        for col in flat.columns:
            flat[col] = neutralise_column(flat[col])
        # RFC 4180 line ends: with "\n" alone, a cell holding a bare CR would go unquoted and a
        # spreadsheet would split the row there, turning the rest into a live cell.
        flat.to_csv(fh, index=False, header=start == 0, lineterminator="\r\n", encoding="utf-8", mode="wb")


def write_csv_gz(df: pd.DataFrame, path: Path, progress: Callable[[float], None] | None = None) -> int:
    """Write ``df`` as gzip-compressed CSV (:func:`write_csv`) to ``path``, chunk by chunk.

    For selections too large to hold as one file in memory: the rows stream through the
    compressor to disk (a million events: ~650 MB of CSV, a tenth of that compressed). The
    file appears under ``path`` only when complete (written beside it, then renamed).

    Returns
    -------
    int
        Bytes written (compressed).
    """
    tmp = path.with_name(path.name + ".part")
    # mtime 0 and no file name in the header: the same rows give the same bytes.
    with (
        open(tmp, "wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz,
    ):
        write_csv(df, gz, progress=progress)
    os.replace(tmp, path)
    if progress is not None:
        progress(1.0)
    return path.stat().st_size


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV (UTF-8) of ``df`` with every text cell neutralised against formula injection.

    Built in chunks into one buffer (:func:`write_csv`); ``getvalue`` hands that
    buffer over without a copy, so the file is held in memory once.
    """
    buf = io.BytesIO()
    write_csv(df, buf)
    return buf.getvalue()


def to_geojson_bytes(gdf: gpd.GeoDataFrame, provenance: str) -> bytes:
    """RFC 7946 GeoJSON (lon/lat) with a top-level ``provenance`` member.

    Rows without a geometry are kept with ``"geometry": null`` so nothing is lost.
    """
    flat = flat_table(gdf)
    out = gpd.GeoDataFrame(flat, geometry=gdf.geometry.values, crs=gdf.crs).to_crs("EPSG:4326")
    doc = json.loads(out.to_json(na="null", show_bbox=False, drop_id=True))
    doc["provenance"] = provenance
    return json.dumps(doc, ensure_ascii=False, indent=None).encode("utf-8")
