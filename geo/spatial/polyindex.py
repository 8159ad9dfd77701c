"""Province polygons prepared once for point-in-polygon and nearest-province queries.

Why not ``gpd.sjoin(points, polygons)`` and ``gpd.sjoin_nearest``: with a few
large polygons (the 106 shipped provinces have up to 1,800 vertices each) and many points,
both spend their time in unprepared point-in-polygon and point-to-polygon
distance tests, one polygon vertex list per candidate pair. Measured on 100,000
distinct points (``bench/bench_scale.py``): ``sjoin(points, polygons)`` 0.63 s
against 0.10 s with the polygons as the *query* side, where GEOS prepares them,
and ``sjoin_nearest`` 40 µs per point against ~2 µs for a prepared outline.

Everything here is built from the polygons' content and cached on it (per
thread: see :func:`polygon_index`), so a second call with the same provinces
(each chunk of an import) reuses the prepared geometries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod, Transformer

from geo.data.paths import METRIC_CRS, WGS84
from geo.spatial.crs import require_crs
from geo.spatial.threadcache import ThreadCache, frame_digest

#: Two provinces closer than this to a point than the nearest one (metres, UTM 42N)
#: count as tied for "nearest"; the lowest ``adm1_code`` wins. A tie only happens
#: at a shared vertex, where GEOS's nearest-point arithmetic differs by nanometres.
TIE_M = 1.0
_GEOD = Geod(ellps="WGS84")
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)


@dataclass(frozen=True, eq=False)
class PolygonIndex:
    """Provinces sorted by ``adm1_code``, in their own CRS and in UTM 42N (prepared).

    Attributes
    ----------
    crs : pyproj.CRS
        CRS of ``native`` (the polygons' own; containment is decided there).
    names, codes, countries : ndarray of object
        Per polygon, in ``adm1_code`` order.
    native : ndarray of Polygon
        Polygons in ``crs``.
    metric : ndarray of Polygon
        The same, reprojected to EPSG:32642 and prepared.
    bounds : ndarray, shape (n, 4)
        ``metric`` bounds in metres.
    """

    crs: object
    names: np.ndarray
    codes: np.ndarray
    countries: np.ndarray
    native: np.ndarray
    metric: np.ndarray
    bounds: np.ndarray
    _outlines: dict = field(default_factory=dict, repr=False)

    def containing(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs ``(point position, polygon position)`` where the point intersects the
        polygon (inside or on its edge), ``points`` in :attr:`crs`; sorted by point."""
        if len(points) == 0 or len(self.native) == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        # The tree holds the points and the polygons are the queries: GEOS prepares the
        # query geometry, so each polygon's edges are indexed once instead of per point.
        poly_pos, point_pos = shapely.STRtree(points).query(self.native, predicate="intersects")
        order = np.lexsort((poly_pos, point_pos))
        return point_pos[order], poly_pos[order]

    def _outline(self, country):
        key = _country_key(country)
        if key not in self._outlines:
            keep = self._mask(country)
            outline = shapely.boundary(shapely.union_all(self.metric[keep])) if keep.any() else None
            if outline is not None:
                shapely.prepare(outline)
            self._outlines[key] = outline
        return self._outlines[key]

    def nearest(
        self, points_m: np.ndarray, country=None, max_m: float = np.inf
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest polygon to each point and its geodesic distance, in metres.

        The nearest point is found in EPSG:32642 (UTM 42N); the distance to it is
        then measured on the WGS84 ellipsoid (``pyproj.Geod``), so points far from
        the zone (Iran, Xinjiang: several % of scale error in UTM 42N) get a true
        distance.

        Parameters
        ----------
        points_m : ndarray of Point
            Points in EPSG:32642, none empty.
        country : str or collection of str, optional
            Only polygons of this country, or of these countries (ISO alpha-2).
        max_m : float
            Points farther than this (geodesic metres) from every candidate polygon
            get position -1 (their distance is still returned).

        Returns
        -------
        position : ndarray of int
            Polygon position (-1: none within ``max_m``, or no polygon of ``country``);
            ties within :data:`TIE_M` go to the lowest ``adm1_code``.
        distance_m : ndarray of float
            Geodesic distance to the nearest polygon (0 inside one; inf when there
            is no polygon of ``country``).
        """
        n = len(points_m)
        pos = np.full(n, -1, dtype=np.intp)
        outline = self._outline(country)
        if n == 0 or outline is None:
            return pos, np.full(n, np.inf)
        # Distance to the set = distance to the outline of its union (0 inside): one
        # prepared geometry, so one indexed nearest-point search per point.
        inside = np.zeros(n, bool)
        pairs = self.containing_metric(points_m, country)
        inside[pairs[0]] = True
        lines = shapely.shortest_line(outline, points_m)
        dist = np.where(inside, 0.0, shapely.length(lines))
        geodesic = np.where(inside, 0.0, _geodesic_m(lines))
        x, y = shapely.get_x(points_m), shapely.get_y(points_m)
        open_ = geodesic <= max_m
        for i in np.flatnonzero(self._mask(country)):
            x0, y0, x1, y1 = self.bounds[i]
            box_d = np.hypot(
                np.maximum(np.maximum(x0 - x, 0), x - x1), np.maximum(np.maximum(y0 - y, 0), y - y1)
            )
            cand = np.flatnonzero(open_ & (box_d <= dist + TIE_M))
            if len(cand) == 0:
                continue
            hit = cand[shapely.dwithin(self.metric[i], points_m[cand], dist[cand] + TIE_M)]
            pos[hit] = i
            open_[hit] = False  # polygons come in adm1_code order: the first tie wins
        return pos, geodesic

    def containing_metric(self, points_m: np.ndarray, country) -> tuple[np.ndarray, np.ndarray]:
        """Like :meth:`containing`, for points in EPSG:32642 and one or more countries' polygons."""
        keep = np.flatnonzero(self._mask(country))
        if len(points_m) == 0 or len(keep) == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        poly_pos, point_pos = shapely.STRtree(points_m).query(self.metric[keep], predicate="intersects")
        return point_pos, keep[poly_pos]

    def _mask(self, country) -> np.ndarray:
        if country is None:
            return np.ones(len(self.metric), bool)
        return np.isin(self.countries, list(_country_key(country)))

    def has_country(self, country: str) -> bool:
        """True when at least one polygon belongs to ``country`` (ISO alpha-2)."""
        return bool((self.countries == country).any())


def _country_key(country) -> tuple | None:
    """``None``, or the sorted tuple of country codes (a str is one code)."""
    if country is None:
        return None
    return (country,) if isinstance(country, str) else tuple(sorted(country))


def _geodesic_m(lines: np.ndarray) -> np.ndarray:
    """Geodesic length (WGS84 ellipsoid, metres) of two-point lines given in EPSG:32642."""
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    lon0, lat0 = _TO_WGS84.transform(ends[:, 0, 0], ends[:, 0, 1])
    lon1, lat1 = _TO_WGS84.transform(ends[:, 1, 0], ends[:, 1, 1])
    return np.asarray(_GEOD.inv(lon0, lat0, lon1, lat1)[2], dtype=float)


#: Each thread keeps its own indexes (:mod:`geo.spatial.threadcache`: GEOS prepared geometries
#: are not thread-safe); a build costs ~20 ms.
_INDEXES: ThreadCache = ThreadCache(8)


def polygon_index(admin1: gpd.GeoDataFrame) -> PolygonIndex:
    """The :class:`PolygonIndex` of ``admin1``, cached per thread on its content (CRS, geometry, labels).

    Parameters
    ----------
    admin1 : GeoDataFrame
        Polygons with ``name``, ``adm1_code`` and ``country`` columns, any CRS.
    """
    require_crs(admin1, "admin1")
    frame = admin1[["name", "adm1_code", "country", "geometry"]]
    key = frame_digest(frame, ("name", "adm1_code", "country"))
    return _INDEXES.get(key, lambda: _build(frame))


def _build(frame: gpd.GeoDataFrame) -> PolygonIndex:
    frame = frame.sort_values("adm1_code", kind="stable")
    metric = frame.geometry.to_crs(METRIC_CRS).to_numpy().copy()
    shapely.prepare(metric)
    return PolygonIndex(
        crs=frame.crs,
        names=frame["name"].to_numpy(dtype=object),
        codes=frame["adm1_code"].to_numpy(dtype=object),
        countries=frame["country"].to_numpy(dtype=object),
        native=frame.geometry.to_numpy().copy(),
        metric=metric,
        bounds=shapely.bounds(metric),
    )
