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

from geo.data.paths import WGS84
from geo.data.schema import EVENTS

CURATED_COLUMNS: tuple[str, ...] = tuple(f.name for f in EVENTS)
# inter1/inter2 and the other ACLED coding columns are curated columns since issue 10
# (geo.data.schema.EVENTS): declared once, there, and derived below.
EXTRA_COLUMNS: tuple[str, ...] = ("dataset", "source_row", "fatalities_best")
IMPORTED_COLUMNS: tuple[str, ...] = CURATED_COLUMNS + EXTRA_COLUMNS

#: ``source_tier`` of imported events: neither a seed document nor related reporting.
IMPORTED_TIER = "imported"
#: ``dataset`` of the curated events when merged with imported ones.
CURATED_DATASET = "curated"

#: Declared kind of each curated field (:data:`geo.data.schema.EVENTS`) → kind of the stored column.
_FIELD_KINDS = {"int": "int", "float": "float", "date": "date", "list": "object", "str": "cat"}
#: Text that is mostly unique per event (``str`` fields stored as text, not categories).
TEXT_COLUMNS = ("event_id", "notes")
#: Enrichment columns (geo.spatial.enrich.enrich_events) that hold few distinct values.
ENRICH_CATEGORY_COLUMNS = (
    "join_admin1",
    "join_adm1_code",
    "join_country",
    "join_method",
    "border_line",
    "facing_admin1",
)


def _curated_kind(f) -> str:
    return "text" if f.name in TEXT_COLUMNS else _FIELD_KINDS[f.kind]


#: The declared schema: every column of a bundle's events and the one dtype it has, in the
#: curated frame once merged, in every stored dataset on write and on read. Merging is
#: then a concatenation of frames that already agree (``union_categoricals`` refuses text
#: categories of mixed dtypes: an all-empty column read back from Parquet has ``object``
#: categories, a filled one ``str``). Kinds: ``int`` Int64, ``float`` Float64, ``f64``
#: float64 (NaN), ``date`` datetime64[us], ``cat`` category of ``str``, ``text`` str,
#: ``bool`` boolean, ``object`` left as is (``source_ids`` tuples, ``geometry``).
#:
#: The curated columns (names and kinds, ``inter1``/``inter2`` and the other ACLED coding
#: columns included) are declared once, in :data:`geo.data.schema.EVENTS`, and derived here; only
#: the columns of imported datasets and of the join are declared in this module.
SCHEMA: dict[str, str] = {
    **{f.name: _curated_kind(f) for f in EVENTS},
    "dataset": "cat",
    "source_row": "int",
    "fatalities_best": "int",
    **{c: "cat" for c in ENRICH_CATEGORY_COLUMNS},
    "join_distance_km": "f64",
    "border_distance_km": "f64",
    "border_distance_detail_km": "f64",
    "admin1_mismatch": "bool",
    "geometry": "object",
}
INT_COLUMNS = tuple(c for c, k in SCHEMA.items() if k == "int")
FLOAT_COLUMNS = tuple(c for c, k in SCHEMA.items() if k == "float")
DATE_COLUMNS = tuple(c for c, k in SCHEMA.items() if k == "date")
#: Text with few distinct values per dataset.
CATEGORY_COLUMNS = tuple(c for c, k in SCHEMA.items() if k == "cat" and c not in ENRICH_CATEGORY_COLUMNS)
#: Columns every stored dataset must hold (``source_ids`` and ``geometry`` are rebuilt on read).
#: Declared columns a dataset written before they existed may lack: filled with NA when merged.
OPTIONAL_COLUMNS = ("actor1_acled", "actor2_acled", "civilian_targeting", "interaction")
STORED_COLUMNS: tuple[str, ...] = tuple(
    c for c in SCHEMA if c not in ("source_ids", "geometry", *OPTIONAL_COLUMNS)
)
_STR = pd.StringDtype(na_value=np.nan)
_DTYPES = {"int": "Int64", "float": "Float64", "f64": "float64", "bool": "boolean", "text": _STR}
DATE_DTYPE = "datetime64[us]"


class SchemaError(ValueError):
    """A column that cannot be cast to its declared dtype (the message names it)."""


def str_categorical(s: pd.Series) -> pd.Series:
    """``s`` as a categorical whose categories are sorted ``str`` (NA stays NA).

    Already-categorical columns only have their (few) categories recast, not their rows.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        if cats.dtype == _STR:
            return s
        new = pd.Index(cats.astype(_STR), dtype=_STR)
        if new.is_unique and not new.hasnans:
            return pd.Series(
                pd.Categorical.from_codes(s.cat.codes.to_numpy(), dtype=pd.CategoricalDtype(new)),
                index=s.index,
                name=s.name,
            )
    codes, uniques = pd.factorize(s.astype(_STR), sort=True)
    dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=_STR))
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=s.index, name=s.name)


def _cast(s: pd.Series, kind: str) -> pd.Series:
    if kind == "cat":
        return str_categorical(s)
    if kind == "date":
        if s.dtype == DATE_DTYPE:
            return s
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        out = pd.to_datetime(s)
        if getattr(out.dtype, "tz", None) is not None:
            raise SchemaError(f"column {s.name!r}: dates with a time zone")
        return out.astype(DATE_DTYPE)
    if kind == "object":
        return s
    dtype = _DTYPES[kind]
    if s.dtype == dtype:
        return s
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if kind == "f64" and isinstance(s.dtype, pd.api.extensions.ExtensionDtype):
        return pd.Series(s.to_numpy(dtype="float64", na_value=np.nan), index=s.index, name=s.name)
    return s.astype(dtype)


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Cast every column of the declared :data:`SCHEMA` that ``df`` has to its dtype.

    Returns a shallow copy (columns already of the right dtype are shared, not
    copied); other columns are left as they are.

    Raises
    ------
    SchemaError
        A column whose values cannot take its dtype (the message names the column).
    """
    out = df.copy(deep=False)
    for c, kind in SCHEMA.items():
        if c not in out:
            continue
        try:
            cast = _cast(out[c], kind)
        except SchemaError:
            raise
        except (TypeError, ValueError, OverflowError, pd.errors.OutOfBoundsDatetime) as exc:
            raise SchemaError(f"column {c!r} cannot be read as {kind}: {str(exc)[:120]}") from None
        if cast is not out[c]:
            out[c] = cast
    return out


def set_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Cast the imported columns to their declared dtypes (returns a new frame)."""
    return conform(df)


def to_geodataframe(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Points from ``longitude``/``latitude`` (EPSG:4326) and an empty ``source_ids`` per event."""
    out = set_dtypes(df) if len(df.columns) > 2 else df.copy()
    # One shared empty tuple: imported events cite no catalogue source, and it costs one pointer each.
    out["source_ids"] = pd.Series([()] * len(out), index=out.index, dtype=object)
    out = out[
        [c for c in IMPORTED_COLUMNS if c in out] + [c for c in out.columns if c not in IMPORTED_COLUMNS]
    ]
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
    cat_cols = [
        c for c in columns if any(isinstance(p[c].dtype, pd.CategoricalDtype) for p in parts if c in p)
    ]
    # A column some parts lack is filled with NA of the dtype the others agree on, so an Int64
    # column stays Int64 (pd.concat would make it object next to the missing part).
    dtypes = {}
    for c in columns:
        if c in cat_cols:
            continue
        seen = {str(p[c].dtype): p[c].dtype for p in parts if c in p}
        dtype = next(iter(seen.values())) if len(seen) == 1 else None
        # NumPy ints and bools cannot hold NA; geometry is filled by pandas itself.
        if dtype is not None and not isinstance(dtype, gpd.array.GeometryDtype) and dtype.kind not in "iub":
            dtypes[c] = dtype
    plain = []
    for p in parts:
        missing = {c: pd.Series(index=p.index, dtype=dtypes[c]) for c in dtypes if c not in p}
        plain.append(p.drop(columns=[c for c in cat_cols if c in p]).assign(**missing))
    base = pd.concat(plain, ignore_index=False)
    del plain
    for c in cat_cols:
        cats = []
        for p in parts:
            s = p[c] if c in p else pd.Series(np.nan, index=p.index, dtype=_STR)
            # Every part's categories as ``str``: frames that skipped conform() still merge.
            cats.append(str_categorical(s).array)
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
