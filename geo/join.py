"""Spatial join of event points to admin-1 provinces."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import require_crs
from geo.paths import METRIC_CRS

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
    require_crs(admin1, "admin1")
    # Containment is decided in the polygons' own CRS, where their edges are defined
    # (a shared edge reprojected to UTM bends between vertices); distances in UTM 42N.
    pts_native = events[["geometry"]].to_crs(admin1.crs)
    polys_native = admin1[["name", "adm1_code", "country", "geometry"]]
    pts = events[["geometry"]].to_crs(METRIC_CRS)
    polys = polys_native.to_crs(METRIC_CRS)
    out = pd.DataFrame(index=events.index, columns=JOIN_COLUMNS, dtype=object)
    out["join_method"] = "unplaced"
    out["join_distance_km"] = np.nan

    placed_mask = ~(pts.geometry.isna() | pts.geometry.is_empty)
    placed = pts[placed_mask]
    hits = gpd.sjoin(pts_native[placed_mask], polys_native, how="inner", predicate="intersects")
    if not hits.empty:
        # A point on an edge shared by two provinces hits both: prefer the curated
        # name when it is one of them, else the lowest code, so the result is stable.
        curated = events["admin1"].astype("string").str.casefold() if "admin1" in events else None
        hits["_pref"] = 1
        if curated is not None:
            hits["_pref"] = (hits["name"].str.casefold() != curated.reindex(hits.index)).astype(int)
        counts = hits.index.value_counts()
        hits = hits.sort_values(["_pref", "adm1_code"], kind="stable")
        first = hits[~hits.index.duplicated(keep="first")]
        out.loc[first.index, ["join_admin1", "join_adm1_code", "join_country"]] = first[
            ["name", "adm1_code", "country"]
        ].to_numpy()
        out.loc[first.index, "join_method"] = np.where(counts.reindex(first.index) > 1, "boundary", "within")
        out.loc[first.index, "join_distance_km"] = 0.0

    rest = placed.loc[placed.index.difference(hits.index)]
    if not rest.empty:
        near = gpd.sjoin_nearest(rest, polys, how="left", distance_col="_dist_m")
        near = near.sort_values(["_dist_m", "adm1_code"], kind="stable")
        near = near[~near.index.duplicated(keep="first")]
        dist_km = near["_dist_m"] / 1000.0
        ok = dist_km <= tolerance_km
        ok_idx = near.index[ok]
        out.loc[ok_idx, ["join_admin1", "join_adm1_code", "join_country"]] = near.loc[
            ok_idx, ["name", "adm1_code", "country"]
        ].to_numpy()
        out.loc[near.index, "join_method"] = np.where(ok, "nearest", "outside")
        out.loc[near.index, "join_distance_km"] = dist_km.round(3).to_numpy()

    out["join_distance_km"] = out["join_distance_km"].astype(float)
    if "admin1" in events:
        curated = events["admin1"].astype("string").replace("", pd.NA)
        joined = out["join_admin1"].astype("string")
        both = curated.notna() & joined.notna()
        mismatch = pd.Series(pd.NA, index=events.index, dtype="boolean")
        mismatch[both] = curated[both].str.casefold() != joined[both].str.casefold()
        out["admin1_mismatch"] = mismatch
    else:
        out["admin1_mismatch"] = pd.Series(pd.NA, index=events.index, dtype="boolean")
    return out
