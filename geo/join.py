"""Spatial join of event points to admin-1 provinces."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import require_crs
from geo.paths import METRIC_CRS
from geo.polyindex import polygon_index

#: Points outside every polygon are matched to the nearest province within this
#: distance (km). Natural Earth 1:10M runs up to ~12 km off the detailed WDB-II
#: line on the Farkhor reach and a median 0.3 km elsewhere, so a river-bank point
#: can fall just outside its province; 10 km catches those without reaching across
#: to genuinely outside places (Kabul is ~60 km beyond the clipped polygons).
DEFAULT_TOLERANCE_KM = 10.0

JOIN_COLUMNS = [
    "join_admin1",
    "join_adm1_code",
    "join_country",
    "join_method",
    "join_distance_km",
    "admin1_mismatch",
]


def join_admin1(
    events: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, tolerance_km: float = DEFAULT_TOLERANCE_KM
) -> pd.DataFrame:
    """Find the admin-1 province of every event point; never drop a row.

    Parameters
    ----------
    events : GeoDataFrame
        Points (rows with empty geometry are allowed: "not placed"), any CRS,
        with an optional ``admin1`` column of curated province names.
    admin1 : GeoDataFrame
        Province polygons with ``name``, ``adm1_code`` and ``country`` columns.
    tolerance_km : float
        Largest distance, in kilometres (measured in EPSG:32642), at which a
        point outside every polygon is matched to the nearest one.

    Returns
    -------
    DataFrame
        Indexed like ``events``, with columns ``join_admin1``, ``join_adm1_code``,
        ``join_country``, ``join_method`` (``within``, ``boundary`` — on an edge
        shared by two provinces, ``nearest`` — outside but within tolerance,
        ``outside`` — beyond tolerance, ``unplaced`` — no coordinates),
        ``join_distance_km`` (0 inside) and ``admin1_mismatch`` (True when the
        joined name differs from the curated ``admin1``; NA when either is missing).
    """
    require_crs(events, "events")
    index = polygon_index(admin1)
    n = len(events)
    names = np.full(n, None, dtype=object)
    codes = np.full(n, None, dtype=object)
    countries = np.full(n, None, dtype=object)
    method = np.full(n, "unplaced", dtype=object)
    distance = np.full(n, np.nan)

    geoms = events.geometry
    placed = np.flatnonzero(~(geoms.isna() | geoms.is_empty).to_numpy())
    # Containment is decided in the polygons' own CRS, where their edges are defined
    # (a shared edge reprojected to UTM bends between vertices); distances in UTM 42N.
    native = geoms.iloc[placed].to_crs(index.crs).to_numpy()
    point_pos, poly_pos = index.containing(native)
    hits = np.bincount(point_pos, minlength=len(placed))
    if len(point_pos):
        # A point on an edge shared by two provinces hits both: prefer the curated
        # name when it is one of them, else the lowest code (polygons are in code order).
        pref = np.zeros(len(point_pos), dtype=np.int8)
        shared = hits[point_pos] > 1
        if shared.any() and "admin1" in events:
            curated = _fold(events["admin1"].iloc[placed[point_pos[shared]]])
            joined = _fold(pd.Series(index.names[poly_pos[shared]]))
            pref[shared] = (curated.to_numpy() != joined.to_numpy()).astype(np.int8)
        order = np.lexsort((poly_pos, pref, point_pos))
        first = order[np.r_[True, point_pos[order][1:] != point_pos[order][:-1]]]
        rows, polys = placed[point_pos[first]], poly_pos[first]
        names[rows], codes[rows], countries[rows] = (
            index.names[polys],
            index.codes[polys],
            index.countries[polys],
        )
        method[rows] = np.where(hits[point_pos[first]] > 1, "boundary", "within")
        distance[rows] = 0.0

    rest = placed[hits == 0]
    if len(rest):
        metric = geoms.iloc[rest].to_crs(METRIC_CRS).to_numpy()
        pos, dist_m = index.nearest(metric, max_m=tolerance_km * 1000.0)
        ok = pos >= 0
        rows, polys = rest[ok], pos[ok]
        names[rows], codes[rows], countries[rows] = (
            index.names[polys],
            index.codes[polys],
            index.countries[polys],
        )
        method[rest] = np.where(ok, "nearest", "outside")
        distance[rest] = np.round(dist_m / 1000.0, 3)

    out = pd.DataFrame(
        {
            "join_admin1": names,
            "join_adm1_code": codes,
            "join_country": countries,
            "join_method": method,
            "join_distance_km": distance,
        },
        index=events.index,
    )
    mismatch = pd.Series(pd.NA, index=events.index, dtype="boolean")
    if "admin1" in events:
        curated = events["admin1"].astype("string").replace("", pd.NA)
        joined = out["join_admin1"].astype("string")
        both = (curated.notna() & joined.notna()).to_numpy()
        mismatch[both] = _fold(curated[both]).to_numpy() != _fold(joined[both]).to_numpy()
    out["admin1_mismatch"] = mismatch
    return out


def _fold(values: pd.Series) -> pd.Series:
    """Casefolded strings, folding each distinct value once (100k rows share a few dozen names)."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    folded = np.array([u.casefold() for u in uniques] + [None], dtype=object)
    return pd.Series(folded[codes], index=values.index)
