"""Geometry of the print renderer: extents, true-distance scale, rings, clipping, label boxes.

Everything is drawn in Web Mercator (EPSG:3857), the interactive map's
projection, so a snapshot lines up with the live map; distances (scale bar,
uncertainty rings) are geodesic on the WGS84 ellipsoid.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

from geo.render.print_text import map_label, text_width
from geo.scene.style import mpl
from geo.scene.view import FROM_MERC, MERC_M_PER_PX_Z0, PROJECTION, View, merc
from geo.spatial.threadcache import ThreadCache, frame_digest

#: The interactive map's usual size on a wide page (CSS px). A snapshot covers at
#: least this much ground around the view centre, widened to its own aspect ratio.
REFERENCE_VIEWPORT_PX = (1000, 560)
_GEOD = Geod(ellps="WGS84")
__all__ = ["FROM_MERC", "MERC_M_PER_PX_Z0", "merc"]


def view_extent(
    view: View, aspect: float, viewport_px: tuple[int, int] = REFERENCE_VIEWPORT_PX
) -> tuple[float, float, float, float]:
    """Web Mercator box (xmin, ymin, xmax, ymax, metres) of a map of ``aspect`` = width/height.

    The box is centred on the view and contains what an interactive map of
    ``viewport_px`` CSS pixels shows at the view's zoom, widened in one
    direction to the snapshot's aspect ratio.
    """
    m_per_px = MERC_M_PER_PX_Z0 / 2**view.zoom
    w, h = viewport_px[0] * m_per_px, viewport_px[1] * m_per_px
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = merc(view.longitude, view.latitude)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def ground_km_to_merc(lon: float, lat: float, km: float) -> float:
    """Web Mercator length (m) of a geodesic of ``km`` running east from (lon, lat).

    Mercator stretches distances by 1/cos(latitude); measuring the geodesic on
    the WGS84 ellipsoid and projecting its end point makes a scale bar that is
    true ground distance at (lon, lat).
    """
    lon2, lat2, _ = _GEOD.fwd(lon, lat, 90.0, km * 1000.0)
    x0, _ = merc(lon, lat)
    x1, _ = merc(lon2, lat)  # same latitude: the bar is drawn horizontally
    return abs(x1 - x0)


_NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000)


def scale_bar_km(extent: tuple[float, float, float, float], max_fraction: float = 0.22) -> tuple[int, float]:
    """Largest round distance (km) whose bar fits in ``max_fraction`` of the map width.

    Returns the distance and its length in Web Mercator metres at the map centre.
    """
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    lon, lat = FROM_MERC.transform(cx, cy)
    limit = (extent[2] - extent[0]) * max_fraction
    best = (_NICE_KM[0], ground_km_to_merc(lon, lat, _NICE_KM[0]))
    for km in _NICE_KM:
        length = ground_km_to_merc(lon, lat, km)
        if length <= limit:
            best = (km, length)
    return best


def geodesic_circle(lon: float, lat: float, radius_m: float, n: int = 96) -> np.ndarray:
    """Web Mercator ring (n × 2, metres) of the points ``radius_m`` from (lon, lat) on the ellipsoid."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    x, y = merc(lons, lats)
    return np.column_stack([x, y])


#: Reprojected geometry by content (:mod:`geo.spatial.threadcache`), not by id(): a recycled id
#: can never return another frame's shapes.
_PROJECTED: ThreadCache = ThreadCache(32)


def projected(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` in Web Mercator (EPSG:3857); the reprojected geometry is cached on its content."""
    # The shapes are loaded once per app session; reprojecting them on every
    # snapshot would cost more than drawing them. Only the geometry is cached: the
    # attributes are always the frame's own.
    geoms = _PROJECTED.get(frame_digest(gdf), lambda: gdf.geometry.to_crs(PROJECTION).to_numpy())
    name = gdf.geometry.name
    out = gpd.GeoDataFrame(
        gdf.drop(columns=name), geometry=gpd.GeoSeries(geoms, index=gdf.index), crs=PROJECTION
    )
    return out.rename_geometry(name) if name != "geometry" else out


def clip_to_extent(gdf: gpd.GeoDataFrame, extent, pad: float = 0.05) -> gpd.GeoDataFrame:
    """``gdf`` (any CRS) in EPSG:3857 clipped to ``extent`` grown by ``pad`` of its size; index kept."""
    w, h = extent[2] - extent[0], extent[3] - extent[1]
    box = (extent[0] - pad * w, extent[1] - pad * h, extent[2] + pad * w, extent[3] + pad * h)
    proj = projected(gdf)
    # Sorted so layers keep their file order (stable drawing order, stable bytes).
    hits = proj.iloc[np.sort(proj.sindex.query(shapely.box(*box)))] if len(proj) else proj
    clipped = hits.set_geometry(shapely.clip_by_rect(hits.geometry.to_numpy(), *box))
    return clipped[~(clipped.geometry.is_empty | clipped.geometry.isna())]


def line_segments(geoms) -> list[np.ndarray]:
    """Coordinate arrays (n × 2) of every line part, or polygon exterior, of ``geoms``."""
    out = []
    for g in geoms:
        for part in getattr(g, "geoms", [g]):
            if part.geom_type == "LineString" and not part.is_empty:
                out.append(np.asarray(part.coords)[:, :2])
            elif hasattr(part, "exterior"):
                out.append(np.asarray(part.exterior.coords)[:, :2])
    return out


def rgb(c, alpha: float | None = None):
    """matplotlib RGBA of a 0–255 colour (:func:`geo.scene.style.mpl`)."""
    return mpl(c, alpha)


def graticule_step(span_deg: float) -> float:
    for step in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if span_deg / step <= 8:
            return step
    return 20.0


def deg_label(v: float, pos: str, neg: str) -> str:
    txt = f"{abs(v):.2f}".rstrip("0").rstrip(".")
    return f"{txt}°{pos if v >= 0 else neg}"


class Labeller:
    """Places labels without overlaps, in priority order, in points from the map's lower-left corner."""

    def __init__(self, extent, m_per_pt: float, box_pt: tuple[float, float]):
        self.x0, self.y0 = extent[0], extent[1]
        self.m = m_per_pt
        self.w, self.h = box_pt
        self.boxes: list[tuple[float, float, float, float]] = []

    def pt(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.x0) / self.m, (y - self.y0) / self.m

    def block(self, box: tuple[float, float, float, float]) -> None:
        self.boxes.append(box)

    def block_circle(self, x: float, y: float, r_pt: float) -> None:
        px, py = self.pt(x, y)
        self.boxes.append((px - r_pt, py - r_pt, px + r_pt, py + r_pt))

    def free(self, box) -> bool:
        if box[0] < 1 or box[1] < 1 or box[2] > self.w - 1 or box[3] > self.h - 1:
            return False
        return not any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in self.boxes
        )

    def place(self, x: float, y: float, text: str, size: float, style: str, candidates, force: bool = False):
        """First candidate (dx, dy, ha, va) in points whose text box is free; ``None`` if none is."""
        tw, th = text_width(map_label(text), size, style) * 1.05 + 2, size * 1.25
        px, py = self.pt(x, y)
        for dx, dy, ha, va in candidates:
            left = px + dx - {"left": 0, "center": tw / 2, "right": tw}[ha]
            bottom = py + dy - {"bottom": 0, "center": th / 2, "top": th}[va]
            box = (left, bottom, left + tw, bottom + th)
            if self.free(box):
                self.boxes.append(box)
                return dx, dy, ha, va
        if force and candidates:
            return candidates[0]
        return None


def around(gap: float, r: float = 0.0):
    """Label positions around a point: above, right, left, below, then the diagonals."""
    d = r + gap
    return [
        (0, d, "center", "bottom"),
        (d, 0, "left", "center"),
        (-d, 0, "right", "center"),
        (0, -d, "center", "top"),
        (d * 0.8, d * 0.8, "left", "bottom"),
        (-d * 0.8, d * 0.8, "right", "bottom"),
        (d * 0.8, -d * 0.8, "left", "top"),
        (-d * 0.8, -d * 0.8, "right", "top"),
    ]
