"""Distances to the Tajik–Afghan border and the province facing a point across it."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer

from geo.data.paths import METRIC_CRS, WGS84
from geo.spatial.crs import require_crs
from geo.spatial.polyindex import polygon_index
from geo.spatial.scope import FRONTIER_KM
from geo.spatial.threadcache import ThreadCache, frame_digest

_GEOD = Geod(ellps="WGS84")
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)

#: Beyond this distance (km) a point does not "face" anything across the border: the frontier's
#: own distance (:data:`geo.spatial.scope.FRONTIER_KM`, whose docstring says why 50 km), declared
#: there so the command line's filter options can name it without loading GeoPandas.
FACING_MAX_KM = FRONTIER_KM


#: Prepared border lines in UTM 42N, per thread (:mod:`geo.spatial.threadcache`).
_LINES: ThreadCache = ThreadCache(8)


def _prepared_line(border: gpd.GeoDataFrame):
    """The border as one prepared (Multi)LineString in EPSG:32642, built once per content."""

    def build():
        line = shapely.union_all(border.to_crs(METRIC_CRS).geometry.to_numpy())
        # Prepared, GEOS indexes the line's segments once; each nearest-point search is
        # then a tree walk, not a scan of its ~2,000 vertices.
        shapely.prepare(line)
        return line

    return _LINES.get(frame_digest(border), build)


def border_distance_km(points: gpd.GeoDataFrame, border: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic distance from each point to the border line, in kilometres.

    The nearest point on the line is found in UTM 42N (EPSG:32642), where the
    region sits, then the distance to it is measured on the WGS84 ellipsoid with
    ``pyproj.Geod``, so points far from the zone (e.g. Beijing) still get a true
    distance, never degrees taken as kilometres.

    Parameters
    ----------
    points : GeoDataFrame
        Points in any CRS; empty or missing geometries give NaN.
    border : GeoDataFrame
        The border as one or more (Multi)LineStrings, any CRS.

    Returns
    -------
    Series of float
        Kilometres, indexed like ``points``.
    """
    require_crs(points, "points")
    require_crs(border, "border")
    line = _prepared_line(border)
    pts = points.geometry.to_crs(METRIC_CRS)
    valid = ~(pts.isna() | pts.is_empty).to_numpy()
    out = np.full(len(points), np.nan)
    if valid.any():
        nearest = shapely.get_coordinates(shapely.shortest_line(line, pts.to_numpy()[valid])).reshape(
            -1, 2, 2
        )
        lon0, lat0 = _TO_WGS84.transform(nearest[:, 0, 0], nearest[:, 0, 1])
        lon1, lat1 = _TO_WGS84.transform(nearest[:, 1, 0], nearest[:, 1, 1])
        _, _, metres = _GEOD.inv(lon0, lat0, lon1, lat1)
        out[valid] = np.asarray(metres) / 1000.0
    return pd.Series(out, index=points.index, name="border_distance_km")


def facing_admin1(
    points: gpd.GeoDataFrame,
    side: pd.Series,
    admin1: gpd.GeoDataFrame,
    distance_km: pd.Series,
    max_km: float = FACING_MAX_KM,
) -> pd.Series:
    """Nearest province on the other side of the border from each point.

    Parameters
    ----------
    points : GeoDataFrame
        Event points, any CRS.
    side : Series of str
        Country code (``"TJ"`` or ``"AF"``) of the side each point is on; other
        values or NA give NA.
    admin1 : GeoDataFrame
        Provinces with ``name`` and ``country`` (``TJ``/``AF``).
    distance_km : Series of float
        Border distance of each point (km); points farther than ``max_km`` face
        nothing and give NA.
    max_km : float
        Largest border distance, in km, at which "facing" is meaningful.

    Returns
    -------
    Series of str
        Province name across the border, indexed like ``points``.
    """
    require_crs(points, "points")
    require_crs(admin1, "admin1")
    index = polygon_index(admin1)
    out = np.full(len(points), None, dtype=object)
    pts = points.geometry.to_crs(METRIC_CRS).to_numpy()
    near_border = (distance_km.reindex(points.index) <= max_km).fillna(False).to_numpy(dtype=bool)
    side = side.reindex(points.index).astype("string")
    for here, there in (("TJ", "AF"), ("AF", "TJ")):
        # NA sides (a point in a third country, outside every province) face nothing.
        rows = np.flatnonzero(near_border & (side == here).fillna(False).to_numpy(dtype=bool))
        if len(rows):
            pos, _ = index.nearest(pts[rows], country=there)
            out[rows[pos >= 0]] = index.names[pos[pos >= 0]]
    return pd.Series(out, index=points.index, name="facing_admin1").astype("string")
