"""Linear referencing along the border: chainage (km from the west end), side, and ranges.

The border is one LineString, oriented west → east (Uzbekistan tripoint first,
China tripoint last), held in UTM 42N (EPSG:32642). A point's nearest position
on it is found in metres (GEOS's indexed nearest point on the prepared line,
then the segment under that point from an STRtree of the segments, then the
exact projection onto it: the same answer as Shapely's ``line_locate_point``,
~20× faster because the segments are indexed), and that
metric position is converted to **geodesic** kilometres with a table of the
cumulative WGS84 length at every vertex (``pyproj.Geod.line_lengths``),
interpolated between vertices. So chainage is measured on the ellipsoid along
the line, never degrees as km and never UTM scale error (up to ~0.1 % here).

Side: the line runs west → east with Tajikistan on its left (north) the whole
way (up the Amu Darya, the Panj round the Darvoz bend, up the Pamir river), so
left of the direction of travel is Tajik. The sign comes from the cross
product with the nearest segment; where the nearest point is a vertex, the sum
of the two segments' left normals decides (the point lies in their normal
cone). Points whose nearest position is an end of the line and that lie beyond
it get no geometric side (they are in a third country or beyond a tripoint).

Uncertain points get a chainage *range*: the part of the border inside their
uncertainty circle (metric, EPSG:32642), from the first to the last chainage
of that part. The circle is intersected with each segment exactly (a quadratic
per segment), which is what clipping the line by ``point.buffer(r)`` gives,
without the buffer's polygonal approximation. Only the first and the last
stretch touched matter, so the circle is first tested against runs of
:data:`CHUNK_SEGMENTS` segments (an STRtree of runs: ~20× fewer pairs than one
of segments for a 100 km circle) and solved on the segments of those two runs.

Prepared geometries and trees are built per thread: GEOS prepared geometry is
not thread-safe (libgeos/geos#825) and Streamlit sessions are threads.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from pyproj import Geod, Transformer

from geo.data.paths import METRIC_CRS, WGS84
from geo.spatial.crs import require_crs
from geo.spatial.scope import FRONTIER_KM
from geo.spatial.threadcache import ThreadCache, array_digest

_GEOD = Geod(ellps="WGS84")
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)
#: Points handled per batch in the range step: bounds the (point, segment) pair arrays.
RANGE_CHUNK = 20_000
#: A projection this close (metres) to a vertex counts as at the vertex.
_AT_VERTEX_M = 1e-6
#: Segments per run in the range step's coarse index.
CHUNK_SEGMENTS = 32
#: Search radius (metres) for the segment under a nearest point found by GEOS.
_ON_LINE_M = 1e-4
#: Segment indexes of a frontier line, per thread, by its coordinates (:mod:`geo.spatial.threadcache`).
_INDEXES: ThreadCache = ThreadCache(8)


@dataclass(frozen=True, eq=False)
class FrontierLine:
    """The border as a west → east LineString with its chainage tables.

    Attributes
    ----------
    metric : LineString
        The line in EPSG:32642 (metres), first vertex at the west end.
    coords : ndarray, shape (n, 2)
        Its vertices (metres).
    cum_m : ndarray, shape (n,)
        Planar distance along ``metric`` at each vertex (metres).
    cum_km : ndarray, shape (n,)
        Geodesic (WGS84) distance along the line at each vertex (km).
    left, right : str
        Country code on the left / right of the direction of travel.
    name : str
        Which border line this is (for captions).
    """

    metric: shapely.LineString
    coords: np.ndarray
    cum_m: np.ndarray
    cum_km: np.ndarray
    left: str
    right: str
    name: str

    @property
    def length_km(self) -> float:
        """Geodesic length of the line (km)."""
        return float(self.cum_km[-1])

    def km_at(self, s_m: np.ndarray) -> np.ndarray:
        """Geodesic chainage (km) of planar positions ``s_m`` (metres along ``metric``)."""
        return np.interp(s_m, self.cum_m, self.cum_km)

    def metres_at(self, km: np.ndarray) -> np.ndarray:
        """Planar position (metres along ``metric``) of geodesic chainages ``km``."""
        return np.interp(km, self.cum_km, self.cum_m)

    def stretch(self, lo_km: float, hi_km: float) -> list[list[float]]:
        """The border between two chainages as ``[[lon, lat], …]`` (WGS84), for a map path."""
        lo, hi = sorted((float(lo_km), float(hi_km)))
        a, b = self.metres_at(np.array([max(lo, 0.0), min(hi, self.length_km)]))
        part = shapely.ops.substring(self.metric, a, b)
        xy = shapely.get_coordinates(part)
        lon, lat = _TO_WGS84.transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([lon, lat]), 5).tolist()

    def point_at(self, km: float) -> tuple[float, float]:
        """(lon, lat) of the border point at chainage ``km``."""
        p = self.metric.interpolate(float(self.metres_at(np.array([km]))[0]))
        lon, lat = _TO_WGS84.transform(p.x, p.y)
        return float(lon), float(lat)


def frontier_line(
    border: gpd.GeoDataFrame, name: str = "", left: str = "TJ", right: str = "AF"
) -> FrontierLine:
    """Build the chainage line from a border GeoDataFrame.

    Parameters
    ----------
    border : GeoDataFrame
        The border as one or more (Multi)LineStrings, any CRS; the parts must
        merge (``shapely.line_merge``) into one continuous LineString.
    name : str
        Which line this is, for captions (default: the first feature's ``name``).
    left, right : str
        Country codes on the left and right of the west → east direction.

    Returns
    -------
    FrontierLine

    Raises
    ------
    ValueError
        When the parts do not merge into one LineString (a gap or a fork).
    """
    require_crs(border, "border")
    if border.empty:
        raise ValueError("border: no line given")
    merged = shapely.line_merge(shapely.union_all(border.to_crs(METRIC_CRS).geometry.to_numpy()))
    if merged.geom_type != "LineString":
        n = len(getattr(merged, "geoms", []))
        raise ValueError(
            f"border: the line parts do not merge into one continuous LineString ({merged.geom_type} "
            f"of {n} parts): chainage needs a single line from one tripoint to the other"
        )
    xy = shapely.get_coordinates(merged)
    lon, lat = _TO_WGS84.transform(xy[:, 0], xy[:, 1])
    if lon[0] > lon[-1]:
        # West → east, so chainage 0 is the Uzbekistan tripoint whichever way the file runs.
        xy, lon, lat = xy[::-1].copy(), lon[::-1], lat[::-1]
    seg_m = np.hypot(np.diff(xy[:, 0]), np.diff(xy[:, 1]))
    keep = np.concatenate([[True], seg_m > 0])  # repeated vertices would give 0-length segments
    xy, lon, lat = xy[keep], np.asarray(lon)[keep], np.asarray(lat)[keep]
    seg_m = np.hypot(np.diff(xy[:, 0]), np.diff(xy[:, 1]))
    seg_km = np.asarray(_GEOD.line_lengths(lon, lat)) / 1000.0
    cum_m = np.concatenate([[0.0], np.cumsum(seg_m)])
    cum_km = np.concatenate([[0.0], np.cumsum(seg_km)])
    if not name:
        name = str(border["name"].iloc[0]) if "name" in border else "border"
    return FrontierLine(
        metric=shapely.LineString(xy),
        coords=xy,
        cum_m=cum_m,
        cum_km=cum_km,
        left=left,
        right=right,
        name=name,
    )


@dataclass(frozen=True, eq=False)
class _Index:
    prepared: shapely.LineString  #: the metric line, prepared (this thread only)
    segments: shapely.STRtree  #: one entry per segment, in order
    runs: shapely.STRtree  #: one entry per run of CHUNK_SEGMENTS segments
    run_start: np.ndarray  #: first segment of each run


def _index(line: FrontierLine) -> _Index:
    def build() -> _Index:
        c = line.coords
        nseg = len(c) - 1
        prepared = shapely.LineString(c)
        shapely.prepare(prepared)
        starts = np.arange(0, nseg, CHUNK_SEGMENTS)
        runs = np.array([shapely.LineString(c[a : min(a + CHUNK_SEGMENTS, nseg) + 1]) for a in starts])
        segments = shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1))
        return _Index(prepared, shapely.STRtree(segments), shapely.STRtree(runs), starts)

    return _INDEXES.get(array_digest(line.coords), build)


def _segment_under(index: _Index, qx: np.ndarray, qy: np.ndarray) -> np.ndarray:
    """Index of the (first) segment each on-line point lies on."""
    p_idx, seg = index.segments.query(shapely.points(qx, qy), predicate="dwithin", distance=_ON_LINE_M)
    out = np.full(len(qx), -1, dtype=np.intp)
    # Reverse order so the lowest segment index is written last and wins at shared vertices.
    order = np.lexsort((-seg, p_idx))[::-1]
    out[p_idx[order]] = seg[order]
    missing = np.flatnonzero(out < 0)
    if len(missing):  # rounding put the point a hair off the line: ask the tree for the nearest
        _, near = index.segments.query_nearest(shapely.points(qx[missing], qy[missing]), all_matches=False)
        out[missing] = near
    return out


@dataclass(frozen=True)
class Located:
    """Nearest positions on the line for arrays of points (EPSG:32642)."""

    s_m: np.ndarray  #: planar position along the line (metres)
    qx: np.ndarray  #: nearest point on the line (metres)
    qy: np.ndarray
    side: np.ndarray  #: +1 left, -1 right, 0 on the line or beyond an end
    beyond: np.ndarray  #: "west", "east" or "" (the point lies past an end of the line)


def locate(line: FrontierLine, x: np.ndarray, y: np.ndarray) -> Located:
    """Nearest position on ``line`` of each point ``(x, y)`` (metres, EPSG:32642); vectorised."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n == 0:
        e = np.empty(0)
        return Located(e, e, e, np.empty(0, int), np.empty(0, object))
    index = _index(line)
    nearest = shapely.get_coordinates(shapely.shortest_line(index.prepared, shapely.points(x, y)))
    nearest = nearest.reshape(-1, 2, 2)[:, 0]
    seg = _segment_under(index, nearest[:, 0], nearest[:, 1])
    c = line.coords
    ax, ay = c[seg, 0], c[seg, 1]
    dx, dy = c[seg + 1, 0] - ax, c[seg + 1, 1] - ay
    seg_len = np.hypot(dx, dy)
    t_raw = ((x - ax) * dx + (y - ay) * dy) / (seg_len * seg_len)
    t = np.clip(t_raw, 0.0, 1.0)
    qx, qy = ax + t * dx, ay + t * dy
    s_m = line.cum_m[seg] + t * seg_len
    vx, vy = x - qx, y - qy
    # Left normal of each segment, unit length: (-dy, dx) / len.
    nx, ny = -dy / seg_len, dx / seg_len
    last = len(c) - 2
    at_start = t * seg_len <= _AT_VERTEX_M
    at_end = (1.0 - t) * seg_len <= _AT_VERTEX_M
    # At an inner vertex the neighbouring segment's normal joins in (pseudo-normal).
    nb = np.where(at_start, seg - 1, np.where(at_end, seg + 1, seg))
    nb = np.clip(nb, 0, last)
    bdx = c[nb + 1, 0] - c[nb, 0]
    bdy = c[nb + 1, 1] - c[nb, 1]
    blen = np.hypot(bdx, bdy)
    use_nb = nb != seg
    mx = nx + np.where(use_nb, -bdy / blen, 0.0)
    my = ny + np.where(use_nb, bdx / blen, 0.0)
    side = np.sign(vx * mx + vy * my).astype(int)
    beyond = np.full(n, "", dtype=object)
    beyond[(seg == 0) & (t_raw < 0) & at_start] = "west"
    beyond[(seg == last) & (t_raw > 1) & at_end] = "east"
    side[beyond != ""] = 0
    return Located(s_m=s_m, qx=qx, qy=qy, side=side, beyond=beyond)


def circle_ranges(
    line: FrontierLine, x: np.ndarray, y: np.ndarray, r_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First and last planar position (metres along the line) of the line inside each circle.

    Parameters
    ----------
    x, y : ndarray
        Circle centres in EPSG:32642 (metres).
    r_m : ndarray
        Radii (metres); circles with ``r_m <= 0`` or that miss the line give NaN.

    Returns
    -------
    lo_m, hi_m : ndarray
        Positions along ``line.metric`` (metres), NaN where the circle misses the line.
    """
    x, y, r_m = (np.asarray(a, dtype=float) for a in (x, y, r_m))
    lo = np.full(len(x), np.nan)
    hi = np.full(len(x), np.nan)
    todo = np.flatnonzero(r_m > 0)
    c = line.coords
    nseg = len(c) - 1
    index = _index(line)
    offsets = np.arange(CHUNK_SEGMENTS)
    for start in range(0, len(todo), RANGE_CHUNK):
        rows = todo[start : start + RANGE_CHUNK]
        px, py, r = x[rows], y[rows], r_m[rows]
        p_idx, run = index.runs.query(shapely.points(px, py), predicate="dwithin", distance=r)
        if len(p_idx) == 0:
            continue
        frame = pd.DataFrame({"p": p_idx, "run": run}).groupby("p", sort=False)["run"].agg(["min", "max"])
        hit = frame.index.to_numpy()
        for which, pick in (("min", np.nanmin), ("max", np.nanmax)):
            seg = index.run_start[frame[which].to_numpy()][:, None] + offsets[None, :]
            real = seg < nseg
            seg = np.minimum(seg, nseg - 1)
            ax, ay = c[seg, 0], c[seg, 1]
            dx, dy = c[seg + 1, 0] - ax, c[seg + 1, 1] - ay
            fx, fy = ax - px[hit][:, None], ay - py[hit][:, None]
            a = dx * dx + dy * dy
            b = 2.0 * (fx * dx + fy * dy)
            cc = fx * fx + fy * fy - (r[hit] ** 2)[:, None]
            disc = b * b - 4.0 * a * cc
            root = np.sqrt(np.maximum(disc, 0.0))
            t0 = (-b - root) / (2.0 * a)
            t1 = (-b + root) / (2.0 * a)
            meets = real & (disc >= 0) & (t1 >= 0) & (t0 <= 1)
            seg_len = np.sqrt(a)
            if which == "min":
                s_at = np.where(meets, line.cum_m[seg] + np.clip(t0, 0, 1) * seg_len, np.nan)
            else:
                s_at = np.where(meets, line.cum_m[seg] + np.clip(t1, 0, 1) * seg_len, np.nan)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: a tangent circle
                found = pick(s_at, axis=1)
            target = lo if which == "min" else hi
            target[rows[hit]] = found
    return lo, hi


def _distinct_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first row of each distinct row, code of every row) of a float array, shape (n, k).

    Hash-based (pandas), ~5× faster than ``np.unique(axis=0)``'s sort at a million rows;
    a hash collision is caught by the check below and answered by the sort.
    """
    hashes = pd.util.hash_pandas_object(pd.DataFrame(key), index=False).to_numpy()
    codes, uniques = pd.factorize(hashes)
    first = np.empty(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # reversed, so the first occurrence wins
    if not np.array_equal(key[first][codes], key, equal_nan=True):
        _, first, codes = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return first, np.asarray(codes).ravel()


#: Values of ``range_basis`` (in code order).
RANGE_BASES = (
    "point",
    "border inside the uncertainty circle",
    "uncertainty circle misses the border: nearest point only",
    "not placed",
)

#: Columns of :func:`chainage_table`.
CHAINAGE_COLUMNS = [
    "chainage_km",
    "chainage_lo_km",
    "chainage_hi_km",
    "border_km",
    "side_geometric",
    "beyond_end",
    "range_basis",
]


def chainage_table(
    points: gpd.GeoSeries | gpd.GeoDataFrame,
    line: FrontierLine,
    uncertainty_km: pd.Series | np.ndarray | None = None,
) -> pd.DataFrame:
    """Chainage, distance, geometric side and chainage range of each point.

    Parameters
    ----------
    points : GeoSeries or GeoDataFrame
        Points, any CRS; missing or empty geometries give NaN / NA.
    line : FrontierLine
        From :func:`frontier_line`.
    uncertainty_km : array-like, optional
        Radius (km) of each point's uncertainty area; NaN or ≤ 0 means exact.
        Give it only for points whose location is uncertain (e.g. ACLED
        ``geo_precision`` > 1).

    Returns
    -------
    DataFrame indexed like ``points``
        ``chainage_km`` (geodesic km from the west end of the nearest point),
        ``chainage_lo_km`` / ``chainage_hi_km`` (the range from the uncertainty
        circle; equal to ``chainage_km`` for exact points and for circles that
        miss the line), ``border_km`` (geodesic distance to the line, km),
        ``side_geometric`` (``line.left`` / ``line.right``, NA on the line or
        beyond an end), ``beyond_end`` (``"west"``/``"east"``/NA) and
        ``range_basis`` (how the range was found).
    """
    require_crs(points, "points")
    geoms = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    n = len(geoms)
    nums = {
        col: np.full(n, np.nan) for col in ("chainage_km", "chainage_lo_km", "chainage_hi_km", "border_km")
    }
    # Text columns as categoricals built from codes: a million Python strings would cost seconds.
    side = np.full(n, -1, dtype=np.int8)
    beyond = np.full(n, -1, dtype=np.int8)
    basis = np.full(n, RANGE_BASES.index("not placed"), dtype=np.int8)
    metric = geoms.to_crs(METRIC_CRS)
    valid = ~(metric.isna() | metric.is_empty).to_numpy()
    radius = (
        np.zeros(n)
        if uncertainty_km is None
        else np.nan_to_num(
            pd.to_numeric(pd.Series(np.asarray(uncertainty_km, dtype=object)), errors="coerce").to_numpy(
                dtype=float
            ),
            nan=0.0,
        )
    )
    if valid.any():
        g = metric.to_numpy()[valid]
        x, y, r = shapely.get_x(g), shapely.get_y(g), radius[valid] * 1000.0
        # Imported events are coded to a gazetteer: many share a point, so work on distinct ones.
        first, inverse = _distinct_rows(np.column_stack([x, y, r]))
        ux, uy, ur = x[first], y[first], r[first]
        loc = locate(line, ux, uy)
        lon0, lat0 = _TO_WGS84.transform(ux, uy)
        lon1, lat1 = _TO_WGS84.transform(loc.qx, loc.qy)
        _, _, dist_m = _GEOD.inv(lon0, lat0, lon1, lat1)
        lo_m, hi_m = circle_ranges(line, ux, uy, ur)
        km = line.km_at(loc.s_m)
        has_range = np.isfinite(lo_m) & np.isfinite(hi_m)
        lo_km = np.where(has_range, line.km_at(np.nan_to_num(lo_m)), km)
        hi_km = np.where(has_range, line.km_at(np.nan_to_num(hi_m)), km)
        u_side = np.where(loc.side > 0, 0, np.where(loc.side < 0, 1, -1))
        u_beyond = np.where(loc.beyond == "west", 0, np.where(loc.beyond == "east", 1, -1))
        u_basis = np.where(ur <= 0, 0, np.where(has_range, 1, 2))
        for col, vals in (
            ("chainage_km", km),
            ("chainage_lo_km", lo_km),
            ("chainage_hi_km", hi_km),
            ("border_km", np.asarray(dist_m) / 1000.0),
        ):
            nums[col][valid] = vals[inverse]
        side[valid] = u_side[inverse]
        beyond[valid] = u_beyond[inverse]
        basis[valid] = u_basis[inverse]
    out = pd.DataFrame(nums, index=geoms.index)
    out["side_geometric"] = pd.Categorical.from_codes(side, categories=[line.left, line.right])
    out["beyond_end"] = pd.Categorical.from_codes(beyond, categories=["west", "east"])
    out["range_basis"] = pd.Categorical.from_codes(basis, categories=list(RANGE_BASES))
    return out[CHAINAGE_COLUMNS]


def stretch_mask(
    refs: pd.DataFrame, km_from: float | None, km_to: float | None, max_km: float | None = None
) -> np.ndarray:
    """True for events in the border stretch ``km_from``–``km_to`` (either end open).

    An event is in it when it lies within ``max_km`` (default
    :data:`geo.spatial.scope.FRONTIER_KM`, geodesic km) of the line and its chainage
    range — the stretch its uncertainty circle reaches, or its one point — overlaps
    the stretch. The one rule the filter, the Frontier page and its map use.

    Parameters
    ----------
    refs : DataFrame
        ``chainage_lo_km``, ``chainage_hi_km``, ``border_km`` (NaN for unplaced events).
    km_from, km_to : float or None
        km from the Uzbekistan tripoint (west); ``None`` leaves that end open.
    """
    limit = FRONTIER_KM if max_km is None else max_km
    lo = refs["chainage_lo_km"].to_numpy(dtype=float, na_value=np.nan)
    hi = refs["chainage_hi_km"].to_numpy(dtype=float, na_value=np.nan)
    near = refs["border_km"].to_numpy(dtype=float, na_value=np.nan) <= limit
    a = -np.inf if km_from is None else float(km_from)
    b = np.inf if km_to is None else float(km_to)
    a, b = min(a, b), max(a, b)
    return near & (hi >= a) & (lo <= b)
