"""Spatial join of event points to admin-1 provinces.

A point inside a province is joined to it, whatever country the event names. A
point outside every province is matched to the nearest province *of its own
country* (the event's ``country``, resolved by :func:`geo.data.names.country_codes`)
within a tolerance, so a Pakistani event in Bajaur never lands in Kunar; an
event whose country has no shipped province, or that is beyond the tolerance,
stays unjoined and :func:`outside_reason` says why.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.names import country_codes, country_label, names_match, province_keys
from geo.data.paths import METRIC_CRS
from geo.spatial.crs import require_crs
from geo.spatial.polyindex import polygon_index

#: Points outside every polygon are matched to the nearest province of their country
#: within this distance (km, geodesic). Natural Earth 1:10M runs up to ~12 km off the
#: detailed WDB-II line on the Farkhor reach and a median 0.3 km elsewhere, so a
#: river-bank point can fall just outside its province (or a coastal one in the sea);
#: 10 km catches those without reaching far.
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
        with optional ``admin1`` (province name as the source gives it) and
        ``country`` (name or ISO code; ``;`` separates several) columns.
    admin1 : GeoDataFrame
        Province polygons with ``name``, ``adm1_code`` and ``country`` (ISO
        alpha-2) columns; ``name_ne`` and ``gn_name`` count as names when present.
    tolerance_km : float
        Largest geodesic distance, in kilometres, at which a point outside every
        polygon is matched to the nearest province of its own country (of any
        country when the event names none).

    Returns
    -------
    DataFrame
        Indexed like ``events``, with columns ``join_admin1``, ``join_adm1_code``,
        ``join_country``, ``join_method`` (``within``, ``boundary`` — on an edge
        shared by two provinces, ``nearest`` — outside but within tolerance,
        ``outside`` — beyond tolerance or no province of the event's country,
        ``unplaced`` — no coordinates), ``join_distance_km`` (0 inside; for
        ``nearest`` and ``outside``, the geodesic distance to the nearest province
        of the event's country, NaN when that country has no shipped province) and
        ``admin1_mismatch`` (True when the source's ``admin1`` does not name the
        joined province, compared through :func:`geo.data.names.name_key` and the
        aliases; NA when either is missing).
    """
    require_crs(events, "events")
    index = polygon_index(admin1)
    n = len(events)
    names = np.full(n, None, dtype=object)
    codes = np.full(n, None, dtype=object)
    countries = np.full(n, None, dtype=object)
    method = np.full(n, "unplaced", dtype=object)
    distance = np.full(n, np.nan)
    keys = province_keys(admin1) if "admin1" in events else {}

    geoms = events.geometry
    placed = np.flatnonzero(~(geoms.isna() | geoms.is_empty).to_numpy())
    # Containment is decided in the polygons' own CRS, where their edges are defined
    # (a shared edge reprojected to UTM bends between vertices); distances in UTM 42N.
    native = geoms.iloc[placed].to_crs(index.crs).to_numpy()
    point_pos, poly_pos = index.containing(native)
    hits = np.bincount(point_pos, minlength=len(placed))
    if len(point_pos):
        # A point on an edge shared by two provinces hits both: prefer the one the
        # source names when it is one of them, else the lowest code (polygons are in code order).
        pref = np.zeros(len(point_pos), dtype=np.int8)
        shared = hits[point_pos] > 1
        if shared.any() and "admin1" in events:
            given = events["admin1"].iloc[placed[point_pos[shared]]].astype("string").fillna("")
            named = names_match(given, pd.Series(index.codes[poly_pos[shared]], index=given.index), keys)
            pref[shared] = (~named.to_numpy()).astype(np.int8)
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
        method[rest] = "outside"
        metric = geoms.iloc[rest].to_crs(METRIC_CRS).to_numpy()
        own = _own_countries(events, rest)
        for value in pd.unique(own):
            group = np.flatnonzero(own == value)
            wanted = None if value == "" else tuple(c for c in value.split(";") if index.has_country(c))
            if wanted == ():
                continue  # no province of that country is shipped: outside, distance NaN
            pos, dist_m = index.nearest(metric[group], country=wanted, max_m=tolerance_km * 1000.0)
            ok = pos >= 0
            rows, polys = rest[group[ok]], pos[ok]
            names[rows], codes[rows], countries[rows] = (
                index.names[polys],
                index.codes[polys],
                index.countries[polys],
            )
            method[rows] = "nearest"
            distance[rest[group]] = np.round(dist_m / 1000.0, 3)

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
        given = events["admin1"].astype("string").str.strip().replace("", pd.NA)
        both = (given.notna() & out["join_adm1_code"].notna()).to_numpy()
        mismatch[both] = ~names_match(given[both], out.loc[both, "join_adm1_code"], keys).to_numpy()
    out["admin1_mismatch"] = mismatch
    return out


def _own_countries(events: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """ISO alpha-2 code(s) of the country each of ``rows`` names, ``""`` when it names none."""
    if "country" not in events:
        return np.full(len(rows), "", dtype=object)
    codes = country_codes(events["country"].iloc[rows])
    return codes.fillna("").to_numpy(dtype=object)


def outside_reason(country, distance_km: float, tolerance_km: float = DEFAULT_TOLERANCE_KM) -> str:
    """Why an event with ``join_method == "outside"`` is not joined, in words.

    Parameters
    ----------
    country : str or NA
        The event's ``country`` as given (name or code).
    distance_km : float
        Its ``join_distance_km`` (NaN: the country has no shipped province).
    tolerance_km : float
        The tolerance the join used, km.
    """
    given = "" if pd.isna(country) else str(country).strip()
    label = country_label(country_codes(pd.Series([given])).fillna("").iloc[0]) if given else ""
    if given and pd.isna(distance_km):
        return f"{label} has no shipped provinces"
    where = f"any shipped province of {label}" if given else "every shipped province"
    return f"{distance_km:,.0f} km from {where} (more than {tolerance_km:g} km)"
