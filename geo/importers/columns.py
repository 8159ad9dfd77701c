"""The event columns an imported dataset carries, their dtypes, and dtype-safe concatenation.

Imported events have every column of the curated ``events`` table (so every page,
filter and export works on them unchanged) plus a few of their own:

============== ========= =====================================================
column         dtype     meaning
============== ========= =====================================================
dataset        category  the store label of the dataset (``"curated"`` for ours)
source_row     Int64     row of the source file (spreadsheet numbering, header = 1)
inter1/inter2  category  ACLED actor types (codes mapped to labels); empty for UCDP
fatalities_best Int64    UCDP ``best`` estimate; NA for ACLED and curated events
============== ========= =====================================================

Repeated text (types, actors, places, bases) is stored as ``category``: one
million events then cost tens of megabytes per text column instead of hundreds.
Categoricals of text are still text to pandas (``is_string_dtype`` is true), so
exports neutralise them like any other text column.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from geo.paths import WGS84
from geo.schema import EVENTS

CURATED_COLUMNS: tuple[str, ...] = tuple(f.name for f in EVENTS)
EXTRA_COLUMNS: tuple[str, ...] = ("dataset", "source_row", "inter1", "inter2", "fatalities_best")
IMPORTED_COLUMNS: tuple[str, ...] = CURATED_COLUMNS + EXTRA_COLUMNS

#: ``source_tier`` of imported events: neither a seed document nor related reporting.
IMPORTED_TIER = "imported"
#: ``dataset`` of the curated events when merged with imported ones.
CURATED_DATASET = "curated"

INT_COLUMNS = ("year", "time_precision", "geo_precision", "fatalities", "fatalities_high", "injured",
               "injured_high", "fatalities_best", "source_row")
FLOAT_COLUMNS = ("latitude", "longitude", "uncertainty_km")
DATE_COLUMNS = ("event_date", "date_end")
#: Text with few distinct values per dataset.
CATEGORY_COLUMNS = (
    "date_basis", "category", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
    "assoc_actor_2", "country", "admin1", "admin2", "location", "location_basis", "place_id", "source",
    "source_tier", "casualty_basis", "dataset", "inter1", "inter2",
)
#: Text that is mostly unique per event.
TEXT_COLUMNS = ("event_id", "notes")
#: Enrichment columns (geo.enrich.enrich_events) that hold few distinct values.
ENRICH_CATEGORY_COLUMNS = ("join_admin1", "join_adm1_code", "join_country", "join_method", "border_line", "facing_admin1")


def set_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Cast the imported columns to their dtypes (returns a new frame)."""
    out = df.copy(deep=False)
    for c in INT_COLUMNS:
        if c in out:
            out[c] = out[c].astype("Int64")
    for c in FLOAT_COLUMNS:
        if c in out:
            out[c] = out[c].astype("Float64")
    for c in DATE_COLUMNS:
        if c in out:
            out[c] = pd.to_datetime(out[c]).astype("datetime64[us]")
    for c in CATEGORY_COLUMNS:
        if c in out and not isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype("str").astype("category")
    for c in TEXT_COLUMNS:
        if c in out:
            out[c] = out[c].astype("str")
    return out


def to_geodataframe(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Points from ``longitude``/``latitude`` (EPSG:4326) and an empty ``source_ids`` per event."""
    out = set_dtypes(df) if len(df.columns) > 2 else df.copy()
    # One shared empty tuple: imported events cite no catalogue source, and it costs one pointer each.
    out["source_ids"] = pd.Series([()] * len(out), index=out.index, dtype=object)
    out = out[[c for c in IMPORTED_COLUMNS if c in out] + [c for c in out.columns if c not in IMPORTED_COLUMNS]]
    geom = shared_points(out["longitude"].to_numpy(dtype=float), out["latitude"].to_numpy(dtype=float))
    return gpd.GeoDataFrame(out, geometry=geom, crs=WGS84)


def shared_points(lon: np.ndarray, lat: np.ndarray) -> gpd.array.GeometryArray:
    """Points (EPSG:4326) from coordinates, one shapely object per distinct coordinate pair.

    ACLED and UCDP code events to a gazetteer of places: a million events sit on
    a few thousand points. Shapely geometries are immutable, so events at the same
    place can share one object: ~300 MB less per million events.
    """
    codes, uniques = pd.factorize(lon + 1j * lat)
    pts = np.asarray(gpd.points_from_xy(uniques.real, uniques.imag), dtype=object)
    return gpd.array.from_shapely(pts[codes], crs=WGS84)


def concat_frames(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames keeping categoricals categorical (union of the categories).

    ``pd.concat`` turns a categorical column into ``object`` as soon as two parts
    have different categories, which at a million rows would multiply memory.
    Columns missing from a part are filled with NA of the right dtype.
    """
    parts = [p for p in parts if p is not None]
    if not parts:
        return pd.DataFrame()
    if len(parts) == 1:
        return parts[0]
    columns = list(dict.fromkeys(c for p in parts for c in p.columns))
    cat_cols = [c for c in columns if any(isinstance(p[c].dtype, pd.CategoricalDtype) for p in parts if c in p)]
    base = pd.concat([p.drop(columns=[c for c in cat_cols if c in p]) for p in parts], ignore_index=False)
    for c in cat_cols:
        cats = []
        for p in parts:
            s = p[c] if c in p else pd.Series(pd.NA, index=p.index, dtype="str")
            if not isinstance(s.dtype, pd.CategoricalDtype):
                s = s.astype("str").astype("category")
            cats.append(s.array)
        base[c] = union_categoricals(cats, ignore_order=True)
    out = base[columns]
    if isinstance(parts[0], gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=parts[0].geometry.name, crs=parts[0].crs)
    return out


def rows_mask(n: int, positions: np.ndarray) -> np.ndarray:
    """Boolean mask of length ``n`` that is True at ``positions``."""
    mask = np.zeros(n, dtype=bool)
    mask[positions] = True
    return mask
