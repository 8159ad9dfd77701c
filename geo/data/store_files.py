"""Store files: what a dataset's Parquet metadata must say, the GeoParquet table a dataset is
written as (``_to_arrow``), the checks a file passes before any page sees it, one-line messages
for operating-system failures, and the formula-safe rejects CSV.

Used by :mod:`geo.data.store` (which re-exports the public names); kept apart so each module stays short.
"""

from __future__ import annotations

import errno
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from geo.data.columns import SCHEMA, STORED_COLUMNS

STORE_ENV = "PANJWATCH_STORE"
META_KEY = b"panjwatch"
SCHEMA_VERSION = 1
_NUMBER_RE = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_COUNT_KEYS = ("rows", "rejected", "duplicates", "flagged")
_TEXT_KEYS = ("format", "source_name", "source_sha256", "imported_at", "shapes_version")


class StoreError(ValueError):
    """A store operation that cannot be done as asked (bad name, exists, not found, disk full …)."""


def os_message(exc: OSError, what: str) -> str:
    """One line for an operating-system failure while ``what`` (no traceback, no errno number)."""
    where = exc.filename or ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{what}: the disk is full ({where}); free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what}: no permission to write in {where} (read-only folder?); set {STORE_ENV} to a writable folder"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) or isinstance(exc, (NotADirectoryError, FileExistsError)):
        return f"{what}: the store path {where} is a file, not a folder; set {STORE_ENV} to a folder"
    return f"{what}: {exc.strerror or exc} ({where})"


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: ``geo.export.tables.neutralise_cell``, numbers kept as numbers."""
    from geo.export.tables import neutralise_cell

    if isinstance(value, str) and _NUMBER_RE.fullmatch(value.strip()):
        return value
    return neutralise_cell(value)


def short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


@dataclass(frozen=True)
class DatasetInfo:
    """What the store knows about one dataset (from its Parquet metadata)."""

    name: str
    fmt: str
    source_name: str
    source_sha256: str
    imported_at: str
    rows: int
    rejected: int
    duplicates: int
    shapes_version: str
    path: Path
    #: Rows kept with a warning (UCDP estimates out of order …); 0 in datasets written before it was counted.
    flagged: int = 0

    def as_row(self) -> dict:
        """A display row (no path)."""
        return {
            "dataset": self.name,
            "format": self.fmt,
            "events": self.rows,
            "rejected rows": self.rejected,
            "flagged rows (kept)": self.flagged,
            "possible duplicates": self.duplicates,
            "source file": self.source_name,
            "imported (UTC)": self.imported_at,
        }


def read_info(p: Path) -> tuple[DatasetInfo | None, str | None]:
    """The dataset's metadata, or ``None`` and why it cannot be used."""
    try:
        md = pq.read_metadata(p)
        schema = md.schema.to_arrow_schema()
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, never raised
        return None, f"not a readable Parquet file ({short(exc)})"
    meta = schema.metadata or {}
    if META_KEY not in meta:
        return None, "a Parquet file without Panj Watch metadata (not written by panjwatch import)"
    try:
        m = json.loads(meta[META_KEY])
    except ValueError:
        return None, "its Panj Watch metadata is not valid JSON"
    if not isinstance(m, dict):
        return None, "its Panj Watch metadata is not a JSON object"
    if m.get("schema") != SCHEMA_VERSION:
        return None, (
            f"written with store schema {m.get('schema')!r}, this version reads schema {SCHEMA_VERSION}: "
            "delete it and import the source file again"
        )
    for key in _COUNT_KEYS:
        v = m.get(key, 0)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            return None, f"its metadata field {key!r} is {str(v)[:40]!r}, not a count"
    for key in _TEXT_KEYS:
        if not isinstance(m.get(key, ""), str):
            return None, f"its metadata field {key!r} is not text"
    missing = [c for c in STORED_COLUMNS if c not in schema.names]
    if missing:
        return None, f"column(s) missing: {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}"
    wrong = [
        f"{c!r} is {schema.field(c).type}, not {_KIND_WORDS[kind]}"
        for c, kind in SCHEMA.items()
        if c in schema.names and kind in _ARROW_OK and not _ARROW_OK[kind](_value_type(schema.field(c).type))
    ]
    if wrong:
        return None, "column(s) of the wrong type: " + "; ".join(wrong[:4])
    if md.num_rows != m.get("rows", 0):
        return (
            None,
            f"it holds {md.num_rows:,} rows but its metadata says {m.get('rows', 0):,} (truncated or altered)",
        )
    info = DatasetInfo(
        name=p.stem,
        fmt=m.get("format", "?"),
        source_name=m.get("source_name", ""),
        source_sha256=m.get("source_sha256", ""),
        imported_at=m.get("imported_at", ""),
        rows=m.get("rows", 0),
        rejected=m.get("rejected", 0),
        duplicates=m.get("duplicates", 0),
        flagged=m.get("flagged", 0),
        shapes_version=m.get("shapes_version", ""),
        path=p,
    )
    return info, None


def _value_type(t: pa.DataType) -> pa.DataType:
    return t.value_type if pa.types.is_dictionary(t) else t


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)


def _is_number(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_null(t)


#: Arrow types each declared kind can be read from (cast by conform() on read).
_ARROW_OK = {
    "int": lambda t: pa.types.is_integer(t) or pa.types.is_null(t),
    "float": _is_number,
    "f64": _is_number,
    "date": lambda t: pa.types.is_timestamp(t) or pa.types.is_date(t) or pa.types.is_null(t),
    "cat": _is_text,
    "text": _is_text,
    "bool": lambda t: pa.types.is_boolean(t) or pa.types.is_null(t),
}
_KIND_WORDS = {
    "int": "whole numbers",
    "float": "numbers",
    "f64": "numbers",
    "date": "dates",
    "cat": "text",
    "text": "text",
    "bool": "true/false",
}


def check_frame(name: str, df: pd.DataFrame, rows: int) -> None:
    """Refuse a frame the pages could not show correctly (the message says why)."""
    problem = None
    ids = df["event_id"]
    if len(df) != rows:
        problem = f"it holds {len(df):,} rows but its metadata says {rows:,}"
    elif ids.isna().any() or not ids.str.startswith(f"{name}:").all():
        problem = f"some event ids do not start with '{name}:'"
    elif not ids.is_unique:
        problem = "some event ids are repeated"
    else:
        lat, lon = df["latitude"], df["longitude"]
        if (
            lat.isna().any()
            or lon.isna().any()
            or not (lat.abs() <= 90).all()
            or not (lon.abs() <= 180).all()
        ):
            problem = "some events have no valid coordinates"
        elif df["event_date"].isna().any():
            problem = "some events have no date"
    if problem:
        raise StoreError(f"dataset {name} is set aside: {problem}")


#: ``status`` of a row in a dataset's report: not imported, or imported with a warning.
REJECTED, FLAGGED = "rejected", "kept, flagged"
REPORT_COLUMNS = ("row", "field", "value", "problem", "status")


def report_with_status(rejects: pd.DataFrame | None, flags: pd.DataFrame | None) -> pd.DataFrame:
    """Rejected and flagged rows in one report (``status`` says which), sorted by row."""
    parts = [
        df.assign(status=status)
        for df, status in ((rejects, REJECTED), (flags, FLAGGED))
        if df is not None and not df.empty
    ]
    if not parts:
        return pd.DataFrame(columns=list(REPORT_COLUMNS))
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["row", "status"], kind="stable", ignore_index=True)


def write_rejects(rejects: pd.DataFrame, path: Path) -> None:
    """The rejection report as CSV, every text cell formula-safe (numbers stay numbers)."""
    out = rejects.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    with open(path, "wb") as f:
        f.write(out.to_csv(index=False, lineterminator="\r\n").encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())


def _to_arrow(gdf: gpd.GeoDataFrame, meta: dict) -> pa.Table:
    """GeoParquet 1.0 table (WKB points, pandas dtypes kept) with our metadata attached."""
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    df["geometry"] = shapely.to_wkb(gdf.geometry.values)
    table = pa.Table.from_pandas(df, preserve_index=False)
    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {"encoding": "WKB", "geometry_types": ["Point"], "crs": gdf.crs.to_json_dict()}
        },
    }
    extra = {b"geo": json.dumps(geo).encode(), META_KEY: json.dumps(meta).encode()}
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
