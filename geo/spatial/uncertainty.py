"""Location uncertainty that tells the truth: what a radius covers, and border distance as a range.

An event coded above ACLED ``geo_precision`` 1 is somewhere inside its uncertainty
area, not at the coded point. Two things follow, both computed here and nowhere else:

* **Coverage.** A ``location_basis`` that says its radius "covers the district's Panj
  frontage" must be true: the circle must contain that stretch of the border. No
  district polygon exists in any registry package, so a district's frontage is
  defined by a documented rule (:data:`FRONTAGE_RULES`): the part of the border
  inside the district's province that is nearer the district centre than the
  centre of each neighbouring district on the border (a Voronoi split between
  GeoNames district centres, the only district geometry the project has).
* **Border distance as a range.** ``border_km_min`` / ``border_km_max`` are the least
  and greatest distance to the border of any point of the uncertainty area: the
  disk of radius ``uncertainty_km`` around the coded point, clipped to the
  country the event is on (a Tajik site is not in Afghanistan). The coded point's
  own distance (``border_distance_km``) is only a secondary figure.
  :func:`border_range_text` is the one formatter every output uses.

All lengths are metres in UTM 42N (EPSG:32642), reported in kilometres; the region
lies inside that zone, where its scale error is below 0.1 %.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.data.paths import METRIC_CRS, WGS84

_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)

#: Angles and rings of the polar grid that samples each uncertainty disk (plus its centre).
#: 72 directions x 8 rings: at a 100 km radius neighbouring samples are under 9 km apart on
#: the rim, and border distance changes by at most that spacing between them.
_ANGLES = 72
_RINGS = 8


@dataclass(frozen=True)
class FrontageRule:
    """How a district's stretch of border is defined, from shipped geometry only.

    Parameters
    ----------
    province : str
        ``adm1_code`` of the province the district lies in (``data/shapes/admin1.geojson``).
    neighbours : tuple of str
        ``place_id`` of the centres of the neighbouring districts on the border
        (``data/places.csv``); the frontage is the border nearer this district's
        centre than each of them.
    """

    province: str
    neighbours: tuple[str, ...]


#: District centre place_id -> rule. Shamsiddin Shohin (centre Shŭrobod) is Khatlon's easternmost
#: district on the Panj: Hamadoni (centre Moskva) lies west along the river, Darvoz (centre
#: Qalaikhumb, Gorno-Badakhshan) east, beyond the Khatlon / Gorno-Badakhshan boundary.
FRONTAGE_RULES: dict[str, FrontageRule] = {
    "shurobod": FrontageRule("TJK-367", ("moskva-hamadoni", "qalaikhumb")),
}

#: A basis that states what its radius covers, in a form the validator can check.
COVERAGE_RE = re.compile(r"(?P<km>\d+(?:\.\d+)?) km covers the district's Panj frontage")


def _xy(lon: float, lat: float) -> tuple[float, float]:
    x, y = _TO_METRIC.transform(lon, lat)
    return float(x), float(y)


def _nearer_than(centre: tuple[float, float], other: tuple[float, float], far: float = 2e6):
    """Half-plane (as a large polygon, metres) of points nearer ``centre`` than ``other``."""
    (cx, cy), (ox, oy) = centre, other
    mx, my = (cx + ox) / 2, (cy + oy) / 2
    dx, dy = ox - cx, oy - cy
    n = math.hypot(dx, dy)
    ux, uy = dx / n, dy / n  # towards ``other``
    px, py = -uy * far, ux * far  # along the bisector
    bx, by = -ux * far, -uy * far  # away from ``other``
    return shapely.Polygon(
        [(mx + px, my + py), (mx - px, my - py), (mx - px + bx, my - py + by), (mx + px + bx, my + py + by)]
    )


def district_frontage(
    centre_lonlat: tuple[float, float],
    neighbour_lonlats: list[tuple[float, float]],
    province: gpd.GeoDataFrame,
    border: gpd.GeoDataFrame,
):
    """The stretch of border a district faces, by the rule of :class:`FrontageRule`.

    Parameters
    ----------
    centre_lonlat : (float, float)
        District centre, lon/lat (EPSG:4326).
    neighbour_lonlats : list of (float, float)
        Centres of the neighbouring districts on the border, lon/lat.
    province : GeoDataFrame
        The district's province polygon(s), any CRS.
    border : GeoDataFrame
        The border line(s), any CRS.

    Returns
    -------
    shapely geometry
        (Multi)LineString in EPSG:32642 metres; empty if the rule selects nothing.
    """
    centre = _xy(*centre_lonlat)
    line = shapely.union_all(border.to_crs(METRIC_CRS).geometry.to_numpy())
    # 1 m of slack: the province outline and the border line share vertices only to 5 decimals.
    poly = shapely.union_all(province.to_crs(METRIC_CRS).geometry.to_numpy()).buffer(1.0)
    out = shapely.intersection(line, poly)
    for nb in neighbour_lonlats:
        out = shapely.intersection(out, _nearer_than(centre, _xy(*nb)))
    return out


def reach_km(centre_lonlat: tuple[float, float], geom) -> tuple[float, float]:
    """Least and greatest distance (km, EPSG:32642) from a lon/lat point to a metric geometry."""
    cx, cy = _xy(*centre_lonlat)
    coords = shapely.get_coordinates(geom)
    if len(coords) == 0:
        return float("nan"), float("nan")
    far = float(np.hypot(coords[:, 0] - cx, coords[:, 1] - cy).max()) / 1000.0
    near = float(shapely.distance(shapely.Point(cx, cy), geom)) / 1000.0
    return near, far


def _disk_offsets() -> tuple[np.ndarray, np.ndarray]:
    ang = np.linspace(0.0, 2 * np.pi, _ANGLES, endpoint=False)
    rings = np.arange(1, _RINGS + 1) / _RINGS
    ux = np.concatenate([[0.0], np.outer(rings, np.cos(ang)).ravel()])
    uy = np.concatenate([[0.0], np.outer(rings, np.sin(ang)).ravel()])
    return ux, uy


def border_km_range(
    events: gpd.GeoDataFrame,
    border: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame | None = None,
    side: pd.Series | None = None,
) -> pd.DataFrame:
    """Least and greatest border distance over each event's uncertainty area, in km.

    Parameters
    ----------
    events : GeoDataFrame
        Points (any CRS) with ``geo_precision`` and ``uncertainty_km`` (km).
    border : GeoDataFrame
        The border line(s), any CRS.
    admin1 : GeoDataFrame, optional
        Provinces with ``country`` (``TJ``/``AF``): the disk is clipped to the
        event's side of the border, when ``side`` is given too.
    side : Series of str, optional
        ``TJ`` or ``AF`` per event (NA: no clipping).

    Returns
    -------
    DataFrame
        ``border_km_min`` and ``border_km_max`` (float, NaN for events coded at
        precision 1, without coordinates or without a radius), indexed like ``events``.
        Distances are planar in EPSG:32642; the disk is sampled on a polar grid
        (:data:`_ANGLES` x :data:`_RINGS`), once per distinct (point, radius, side).
    """
    n = len(events)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    pts = events.geometry.to_crs(METRIC_CRS)
    radius = pd.to_numeric(events["uncertainty_km"], errors="coerce").astype(float).to_numpy()
    prec = pd.to_numeric(events["geo_precision"], errors="coerce").astype(float).to_numpy()
    has = ~(pts.isna() | pts.is_empty).to_numpy()
    todo = has & (prec > 1) & np.isfinite(radius) & (radius > 0)
    if not todo.any():
        return pd.DataFrame({"border_km_min": lo, "border_km_max": hi}, index=events.index)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    x[has] = shapely.get_x(pts.to_numpy()[has])
    y[has] = shapely.get_y(pts.to_numpy()[has])
    if side is None:
        sides = pd.Series("", index=events.index)
    else:
        sides = side.reindex(events.index).astype("string").fillna("")
    key = pd.DataFrame({"x": x.round(1), "y": y.round(1), "r": radius, "s": sides.to_numpy()})[todo]
    codes = key.groupby(["x", "y", "r", "s"], sort=False).ngroup().to_numpy()
    _, first = np.unique(codes, return_index=True)
    uniq = key.iloc[first]

    line = shapely.union_all(border.to_crs(METRIC_CRS).geometry.to_numpy())
    segs = _segments(line)
    tree = shapely.STRtree(segs)
    ux, uy = _disk_offsets()
    side_polys = {}
    if admin1 is not None:
        a = admin1.to_crs(METRIC_CRS)
        for code in ("TJ", "AF"):
            geom = shapely.union_all(a[a["country"] == code].geometry.to_numpy())
            shapely.prepare(geom)
            side_polys[code] = geom
    centres = shapely.points(uniq["x"].to_numpy(), uniq["y"].to_numpy())
    _, dcentre = tree.query_nearest(centres, return_distance=True, all_matches=False)
    u_lo = np.maximum(0.0, dcentre / 1000.0 - uniq["r"].to_numpy())
    u_hi = np.empty(len(uniq))
    for i, (cx, cy, r, s) in enumerate(uniq.itertuples(index=False)):
        sx, sy = cx + ux * r * 1000.0, cy + uy * r * 1000.0
        keep = np.ones(len(sx), dtype=bool)
        if s in side_polys:
            keep = shapely.contains_xy(side_polys[s], sx, sy)
            keep[0] = True  # the coded point itself is on its side by definition
        _, d = tree.query_nearest(shapely.points(sx[keep], sy[keep]), return_distance=True, all_matches=False)
        u_hi[i] = float(d.max()) / 1000.0
    rows = np.flatnonzero(todo)
    lo[rows] = u_lo[codes]
    hi[rows] = u_hi[codes]
    return pd.DataFrame({"border_km_min": lo.round(1), "border_km_max": hi.round(1)}, index=events.index)


def _segments(line) -> np.ndarray:
    """The line's straight segments as an array of 2-point LineStrings (for nearest queries)."""
    parts = shapely.get_parts(line)
    out = []
    for part in parts:
        c = shapely.get_coordinates(part)
        out.append(shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1)))
    return np.concatenate(out)


def _km(v: float) -> str:
    return f"{v:.0f}" if v >= 10 or v == 0 else f"{v:.1f}"


def border_range_text(lo, hi, point=None, line: str = "", short: bool = False) -> str:
    """The one way every output states a border distance.

    Parameters
    ----------
    lo, hi : float or NA
        ``border_km_min`` / ``border_km_max`` (km). NA for precision-1 points.
    point : float or NA
        ``border_distance_km`` of the coded point (km).
    line : str
        Which border line the figures use, appended in brackets when given.
    short : bool
        The printed key's form: ``"0–45 km from the border"`` (the range only, no line, no
        coded point) or ``"11.5 km from the border"``.

    Returns
    -------
    str
        ``"0–45 km from the border over the uncertainty area (coded point 11.5 km)"``, or
        ``"11.5 km from the border"`` for a point coded at site level; ``""`` if nothing is known.
    """
    tail = f" ({line})" if line else ""
    if short:
        if pd.notna(lo) and pd.notna(hi):
            return f"{_km(float(lo))}–{_km(float(hi))} km from the border"
        return f"{float(point):,.1f} km from the border" if point is not None and pd.notna(point) else ""
    if pd.notna(lo) and pd.notna(hi):
        sec = f"; coded point {float(point):.1f} km" if point is not None and pd.notna(point) else ""
        return f"{_km(float(lo))}–{_km(float(hi))} km from the border over the uncertainty area{tail}{sec}"
    if point is not None and pd.notna(point):
        return f"{float(point):,.1f} km from the border{tail}"
    return ""


def row_border_text(e, line: str = "", short: bool = False) -> str:
    """:func:`border_range_text` for one event row (a Series or dict); imported rows without
    the range columns get the triangle-inequality bounds ``max(0, d - r)`` to ``d + r``."""
    lo, hi = e.get("border_km_min"), e.get("border_km_max")
    point = e.get("border_distance_km")
    prec, r = e.get("geo_precision"), e.get("uncertainty_km")
    if (lo is None or pd.isna(lo)) and point is not None and pd.notna(point):
        if prec is not None and pd.notna(prec) and int(prec) > 1 and r is not None and pd.notna(r):
            lo, hi = max(0.0, float(point) - float(r)), float(point) + float(r)
    return border_range_text(lo, hi, point, line, short=short)


def coverage_problem(
    event: dict, places: dict[str, dict], admin1: gpd.GeoDataFrame, border: gpd.GeoDataFrame
):
    """Why an event's ``location_basis`` overstates what its radius covers, or ``None``.

    Checked where the rule can be checked: the basis says "<N> km covers the district's
    Panj frontage" and the event's ``place_id`` has a :data:`FRONTAGE_RULES` entry.
    The stated N must be the ``uncertainty_km``, and the circle of that radius around
    the coded point must contain the whole frontage (every vertex within the radius).

    Parameters
    ----------
    event : dict
        Typed event record (``location_basis``, ``place_id``, ``latitude``,
        ``longitude``, ``uncertainty_km``).
    places : dict of str to dict
        Typed place records by ``place_id``.
    admin1, border : GeoDataFrame
        The shipped provinces (with ``adm1_code``) and border line.

    Returns
    -------
    (str, str) or None
        The field to blame and a message for the validator.
    """
    m = COVERAGE_RE.search(event.get("location_basis") or "")
    if not m:
        return None
    stated = float(m.group("km"))
    radius = event.get("uncertainty_km")
    if radius is None or abs(stated - float(radius)) > 1e-9:
        return "uncertainty_km", f"location_basis states {stated:g} km but uncertainty_km is {radius}"
    rule = FRONTAGE_RULES.get(event.get("place_id") or "")
    if rule is None:
        return "location_basis", (
            f"claims to cover a district's frontage, but place '{event.get('place_id')}' has no frontage "
            "rule (geo.spatial.uncertainty.FRONTAGE_RULES), so the claim cannot be checked"
        )
    nbs = [places.get(p) for p in rule.neighbours]
    if any(p is None or p.get("latitude") is None for p in nbs):
        return (
            "place_id",
            f"frontage rule names neighbours {rule.neighbours} that are not placed in places.csv",
        )
    province = admin1[admin1["adm1_code"] == rule.province]
    frontage = district_frontage(
        (event["longitude"], event["latitude"]),
        [(p["longitude"], p["latitude"]) for p in nbs],
        province,
        border,
    )
    near, far = reach_km((event["longitude"], event["latitude"]), frontage)
    if not far <= float(radius):
        return "location_basis", (
            f"a {float(radius):g} km circle does not contain the frontage it claims to cover: that frontage "
            f"({shapely.length(frontage) / 1000:.0f} km of border) lies {near:.1f}–{far:.1f} km from the point"
        )
    return None
