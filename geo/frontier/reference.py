"""Events, landmarks and facing provinces referenced to the border line (the page's service).

Which line: chainage is measured along the detailed WDB-II line
(``data/shapes/border_wdbii.geojson``, 1,203.5 km geodesic), because the
Natural Earth 1:10M line cuts the Panj's meanders and would shorten every
stretch (its 1,170 km put the same places 2–3 % nearer the west end). The
border *distances* of the rest of the app stay on the NE line
(:mod:`geo.spatial.enrich`); the corridor test here uses the distance to the WDB-II
line, the line the chainage is on (the two differ by at most 2.8 km).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.data.paths import DATA_DIR, METRIC_CRS, WGS84
from geo.data.problems import DataError, Problem, row_of
from geo.frontier.chainage import FrontierLine, chainage_table, frontier_line
from geo.spatial.polyindex import polygon_index
from geo.spatial.scope import FRONTIER_KM

#: Default corridor (km either side of the line): the frontier of every headline figure.
CORRIDOR_KM = FRONTIER_KM
SIDE_NAMES = {"TJ": "Tajik side", "AF": "Afghan side"}
LANDMARKS_CSV = "landmarks.csv"
_JOINED = ("within", "boundary", "nearest")


def event_ranges_input(events: pd.DataFrame) -> np.ndarray:
    """Uncertainty radius (km) of each event whose location is uncertain (``geo_precision`` > 1), else 0."""
    prec = pd.to_numeric(events.get("geo_precision", pd.Series(1, index=events.index)), errors="coerce")
    unc = pd.to_numeric(events.get("uncertainty_km", pd.Series(0.0, index=events.index)), errors="coerce")
    uncertain = (prec > 1).fillna(False).to_numpy(dtype=bool)
    return np.where(uncertain, unc.fillna(0.0).to_numpy(dtype=float), 0.0)


def event_sides(events: pd.DataFrame, geometric: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Side of the border of each event and how it was decided.

    The province join of :mod:`geo.spatial.enrich` wins (the side every other page
    shows): ``join_country`` of a point inside or matched to a province. A point
    outside every province (``join_method`` ``outside``) is in a third country:
    no side. Without join columns (hand-built frames), the side of the line.

    Returns
    -------
    side : Series (categorical)
        ``"TJ"``, ``"AF"`` or NA.
    basis : Series (categorical)
    """
    sides = ["TJ", "AF"]
    bases = [
        "left/right of the WDB-II line",
        "on or beyond an end of the line",
        "province join (Natural Earth admin-1)",
        "outside Tajikistan and Afghanistan",
        "not placed",
    ]
    geo_side = pd.Series(geometric, index=events.index).astype(object)
    # Codes, not strings: at a million events every string operation costs a second.
    side = np.select([geo_side.eq("TJ").to_numpy(bool), geo_side.eq("AF").to_numpy(bool)], [0, 1], -1)
    basis = np.where(side >= 0, 0, 1)
    if "join_country" in events and "join_method" in events:
        jc = events["join_country"].astype(object)
        jm = events["join_method"].astype(object)
        joined = jm.isin(_JOINED).to_numpy(bool)
        tj = (jc.eq("TJ").to_numpy(bool)) & joined
        af = (jc.eq("AF").to_numpy(bool)) & joined
        side = np.where(tj, 0, np.where(af, 1, side))
        basis = np.where(tj | af, 2, basis)
        third = jm.eq("outside").to_numpy(bool) | (jc.notna().to_numpy(bool) & ~jc.isin(sides).to_numpy(bool))
        side = np.where(third, -1, side)
        basis = np.where(third, 3, basis)
    if isinstance(events, gpd.GeoDataFrame):
        unplaced = (events.geometry.isna() | events.geometry.is_empty).to_numpy()
        side = np.where(unplaced, -1, side)
        basis = np.where(unplaced, 4, basis)
    return (
        pd.Series(pd.Categorical.from_codes(side, categories=sides), index=events.index),
        pd.Series(pd.Categorical.from_codes(basis, categories=bases), index=events.index),
    )


def reference_events(events: gpd.GeoDataFrame, line: FrontierLine) -> pd.DataFrame:
    """Chainage, range, distance and side of every event (indexed like ``events``).

    Columns: those of :func:`geo.frontier.chainage.chainage_table`, plus
    ``side`` and ``side_basis`` (:func:`event_sides`). Unplaced events have NaN
    chainage and ``range_basis`` "not placed"; nothing is dropped.
    """
    table = chainage_table(events.geometry, line, event_ranges_input(events))
    side, basis = event_sides(events, table["side_geometric"])
    table["side"] = side
    table["side_basis"] = basis
    return table


def in_corridor(refs: pd.DataFrame, max_km: float = CORRIDOR_KM) -> np.ndarray:
    """True for referenced events within ``max_km`` (geodesic km) of the line."""
    return (refs["border_km"] <= max_km).fillna(False).to_numpy(dtype=bool)


def corridor_counts(refs: pd.DataFrame, max_km: float = CORRIDOR_KM) -> dict[str, int]:
    """How many events are in the corridor, farther out, and not placed (they add up)."""
    placed = refs["border_km"].notna()
    near = in_corridor(refs, max_km)
    return {
        "in_corridor": int(near.sum()),
        "farther": int((placed & ~near).sum()),
        "unplaced": int((~placed).sum()),
    }


# --------------------------------------------------------------------------- landmarks


def load_landmarks(
    line: FrontierLine,
    places: pd.DataFrame,
    data_dir: Path | str = DATA_DIR,
) -> pd.DataFrame:
    """Landmarks of ``data/landmarks.csv`` with their chainage on ``line``.

    Coordinates come from ``place_id`` (``data/places.csv``), else ``geonameid``
    (``data/shapes/places_geonames.geojson``), else the row's own
    ``latitude``/``longitude`` (with its ``basis``).

    Returns
    -------
    DataFrame
        ``landmark_id``, ``label``, ``lon``, ``lat``, ``chainage_km``, ``border_km``, ``basis``,
        in chainage order.

    Raises
    ------
    DataError
        Naming the file, row and field of every landmark that cannot be placed.
    """
    data_dir = Path(data_dir)
    label = f"data/{LANDMARKS_CSV}"
    path = data_dir / LANDMARKS_CSV
    if not path.is_file():
        raise DataError([Problem(label, None, None, None, f"file not found: {path}")])
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    needed = ["landmark_id", "label", "place_id", "geonameid", "latitude", "longitude", "basis"]
    missing = [c for c in needed if c not in rows.columns]
    if missing:
        raise DataError([Problem(label, None, c, None, "required column is missing") for c in missing])
    by_place = places.set_index("place_id") if "place_id" in places else pd.DataFrame()
    geonames = None
    problems: list[Problem] = []
    lon = np.full(len(rows), np.nan)
    lat = np.full(len(rows), np.nan)
    for i, r in rows.iterrows():
        row = row_of(i)
        if r["place_id"]:
            if r["place_id"] not in by_place.index or by_place.loc[r["place_id"], "geometry"] is None:
                problems.append(
                    Problem(label, row, "place_id", r["place_id"], "not a placed row of data/places.csv")
                )
                continue
            g = by_place.loc[r["place_id"], "geometry"]
            lon[i], lat[i] = g.x, g.y
        elif r["geonameid"]:
            if geonames is None:
                geonames = gpd.read_file(data_dir / "shapes" / "places_geonames.geojson", engine="pyogrio")
                geonames = geonames.set_index(geonames["geonameid"].astype(int).astype(str))
            if r["geonameid"] not in geonames.index:
                problems.append(
                    Problem(
                        label, row, "geonameid", r["geonameid"], "not in data/shapes/places_geonames.geojson"
                    )
                )
                continue
            g = geonames.loc[r["geonameid"], "geometry"]
            lon[i], lat[i] = g.x, g.y
        else:
            try:
                la, lo = float(r["latitude"]), float(r["longitude"])
            except ValueError:
                problems.append(
                    Problem(
                        label,
                        row,
                        "latitude",
                        r["latitude"],
                        "give place_id, geonameid or latitude/longitude",
                    )
                )
                continue
            if not (-90 <= la <= 90 and -180 <= lo <= 180):
                problems.append(Problem(label, row, "latitude", r["latitude"], "coordinates out of range"))
                continue
            if not r["basis"].strip():
                problems.append(
                    Problem(label, row, "basis", "", "explicit coordinates need a basis (source)")
                )
                continue
            lon[i], lat[i] = lo, la
    if problems:
        raise DataError(problems)
    pts = gpd.GeoSeries.from_xy(lon, lat, crs=WGS84)
    table = chainage_table(pts, line)
    out = pd.DataFrame(
        {
            "landmark_id": rows["landmark_id"],
            "label": rows["label"],
            "lon": lon,
            "lat": lat,
            "chainage_km": table["chainage_km"].to_numpy(),
            "border_km": table["border_km"].to_numpy(),
            "basis": rows["basis"],
        }
    )
    return out.sort_values("chainage_km", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- facing provinces


def facing_stretches(line: FrontierLine, admin1: gpd.GeoDataFrame, step_km: float = 1.0) -> pd.DataFrame:
    """Which Tajik and which Afghan province face each stretch of the line.

    The line is sampled every ``step_km`` of chainage; each sample takes the
    nearest province of each country (NE admin-1, distances in EPSG:32642), and
    consecutive samples with the same province merge into one stretch.

    Returns
    -------
    DataFrame
        ``country``, ``name``, ``lo_km``, ``hi_km`` (chainage), in country then chainage order.
    """
    km = np.arange(0.0, line.length_km + step_km, step_km)
    km[-1] = min(km[-1], line.length_km)
    s = line.metres_at(km)
    pts = shapely.line_interpolate_point(line.metric, s)
    index = polygon_index(admin1)
    rows = []
    for country in (line.left, line.right):
        pos, _ = index.nearest(pts, country=country)
        names = np.where(pos >= 0, index.names[np.maximum(pos, 0)], None)
        start = 0
        for j in range(1, len(km) + 1):
            if j == len(km) or names[j] != names[start]:
                if names[start] is not None:
                    lo = km[start] if start == 0 else (km[start - 1] + km[start]) / 2
                    hi = km[j - 1] if j == len(km) else (km[j - 1] + km[j]) / 2
                    rows.append({"country": country, "name": str(names[start]), "lo_km": lo, "hi_km": hi})
                start = j
    return pd.DataFrame(rows, columns=["country", "name", "lo_km", "hi_km"])


def province_at(stretches: pd.DataFrame, country: str, km: float) -> str | None:
    """Name of the ``country`` province facing chainage ``km`` (None off the line)."""
    part = stretches[
        (stretches["country"] == country) & (stretches["lo_km"] <= km) & (stretches["hi_km"] >= km)
    ]
    return None if part.empty else str(part["name"].iloc[0])


def nearest_landmark(landmarks: pd.DataFrame, km: float) -> tuple[str, float]:
    """Label of the landmark nearest chainage ``km`` and the distance to it along the line (km)."""
    d = (landmarks["chainage_km"] - km).abs()
    i = int(d.idxmin())
    return str(landmarks.loc[i, "label"]), float(d.loc[i])


# --------------------------------------------------------------------------- bundle-level


@dataclass
class Frontier:
    """Everything the frontier page needs that does not depend on the filters."""

    line: FrontierLine
    refs: pd.DataFrame  #: :func:`reference_events` of every event of the bundle
    landmarks: pd.DataFrame
    facing: pd.DataFrame


def build_frontier(
    events: gpd.GeoDataFrame,
    border_detail: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame,
    places: pd.DataFrame,
    data_dir: Path | str = DATA_DIR,
) -> Frontier:
    """Reference every event, the landmarks and the facing provinces to the WDB-II line."""
    line = frontier_line(border_detail, name="WDB-II")
    return Frontier(
        line=line,
        refs=reference_events(events, line),
        landmarks=load_landmarks(line, places, data_dir),
        facing=facing_stretches(line, admin1),
    )


def metric_points(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points in EPSG:32642 from lon/lat arrays (helper for tests and the bench)."""
    return gpd.GeoSeries.from_xy(lon, lat, crs=WGS84).to_crs(METRIC_CRS).to_numpy()


#: Columns of :func:`frontier_events`.
FRONTIER_COLUMNS = [
    "event_id",
    "event_date",
    "date_last",
    "category",
    "location",
    "dataset",
    "source_tier",
    "casualties",
    "casualties_high",
    "chainage_km",
    "chainage_lo_km",
    "chainage_hi_km",
    "border_km",
    "side",
    "side_basis",
    "range_basis",
    "beyond_end",
]


def frontier_events(events: pd.DataFrame, refs: pd.DataFrame, max_km: float = CORRIDOR_KM) -> pd.DataFrame:
    """The selected events within ``max_km`` of the line, with their chainage (date, id order).

    Parameters
    ----------
    events : DataFrame
        A selection (``geo.query.selection.select(...).events``), indexed like the bundle.
    refs : DataFrame
        :func:`reference_events` of the bundle (or of ``events``).
    max_km : float
        Corridor half-width, geodesic km to the WDB-II line.

    Returns
    -------
    DataFrame
        :data:`FRONTIER_COLUMNS`; ``casualties`` is killed + injured (low figures),
        ``date_last`` the last possible day (month-precision events span their month).
    """
    from geo.query.filters import event_span
    from geo.render.timeline.text import casualty_totals

    r = refs.reindex(events.index)
    keep = in_corridor(r, max_km)
    ev = events[keep]
    r = r[keep]
    start, end = event_span(ev)
    low, high = casualty_totals(ev)
    out = pd.DataFrame(
        {
            "event_id": ev["event_id"].astype(str),
            "event_date": start,
            "date_last": end,
            "category": ev["category"].astype(str),
            "location": ev["location"].astype(str) if "location" in ev else "",
            "dataset": ev["dataset"].astype(str) if "dataset" in ev else "curated",
            "source_tier": ev["source_tier"].astype(str) if "source_tier" in ev else "",
            "casualties": low.to_numpy(),
            "casualties_high": high.to_numpy(),
        },
        index=ev.index,
    )
    for col in FRONTIER_COLUMNS[FRONTIER_COLUMNS.index("chainage_km") :]:
        out[col] = r[col]
    return out[FRONTIER_COLUMNS]
