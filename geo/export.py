"""Data exports: CSV safe for spreadsheets, GeoJSON, with provenance."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

#: A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Only strings are touched: numbers (e.g. a longitude of -70.1) stay numbers.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV (UTF-8) of ``df`` with every text cell neutralised against formula injection."""
    flat = flat_table(df)
    for col in flat.columns:
        if flat[col].dtype == object or pd.api.types.is_string_dtype(flat[col]):
            flat[col] = flat[col].map(neutralise_cell)
    # RFC 4180 line ends: with "\n" alone, a cell holding a bare CR would go unquoted and a
    # spreadsheet would split the row there, turning the rest into a live cell.
    return flat.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_geojson_bytes(gdf: gpd.GeoDataFrame, provenance: str) -> bytes:
    """RFC 7946 GeoJSON (lon/lat) with a top-level ``provenance`` member.

    Rows without a geometry are kept with ``"geometry": null`` so nothing is lost.
    """
    flat = flat_table(gdf)
    out = gpd.GeoDataFrame(flat, geometry=gdf.geometry.values, crs=gdf.crs).to_crs("EPSG:4326")
    doc = json.loads(out.to_json(na="null", show_bbox=False, drop_id=True))
    doc["provenance"] = provenance
    return json.dumps(doc, ensure_ascii=False, indent=None).encode("utf-8")
