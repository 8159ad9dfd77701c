"""Provinces as the map draws them: coarser than the join layer, and only what the view needs.

``data/shapes/admin1.geojson`` is the *join* layer: every province of Tajikistan,
Afghanistan and their neighbours at Natural Earth 10m detail (~35k vertices,
0.7 MB), because containment and distances must not move with the zoom. A map
shows far less: at the regional view (zoom 6.4) a pixel is ~1.5 km, so most of
those vertices land on the same pixel, and tessellating them costs the browser
seconds (issue 13). The drawing layer is therefore derived from the join layer:

* simplified as one coverage (``shapely.coverage_simplify``) so that shared
  edges, national borders included, stay shared — no slivers or gaps between
  neighbours — with a tolerance of about one pixel at the zoom it is drawn at;
* the frontier countries (Tajikistan and Afghanistan, ``frontier``) whole, and
  the neighbours clipped to a frame around them (greyed context).

Simplifying the 106 provinces takes ~30 ms; the result is cached on the
polygons' content and the tolerance (plain geometries, not prepared ones, so
one copy is safe to share between Streamlit's session threads).
"""

from __future__ import annotations

import math
import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.spatial.threadcache import frame_digest

#: Coverage-simplification levels, degrees (Visvalingam–Whyatt: a vertex goes when its
#: triangle is under tolerance²). A view gets the coarsest level not above one pixel.
TOLERANCES_DEG = (0.02, 0.01, 0.005, 0.002)
#: Countries drawn whole; the rest are context, clipped to :func:`context_bbox`.
FRONTIER = ("TJ", "AF")
#: Context drawn around the frontier's bounds, degrees on each side: the regional view
#: at zoom 6.4 on a 1920 px wide screen spans ~26 degrees of longitude.
CONTEXT_PAD_DEG = 1.5

_CACHE: dict[tuple, gpd.GeoDataFrame] = {}
_LOCK = threading.Lock()


def pixel_deg(zoom: float) -> float:
    """Width of one screen pixel in degrees of longitude at a web-mercator ``zoom``
    (256 px tiles: the world is 256 · 2^zoom px wide, at every latitude)."""
    return 360.0 / (256.0 * 2.0**zoom)


def tolerance_for(zoom: float) -> float:
    """The coarsest level of :data:`TOLERANCES_DEG` within one and a half pixels at ``zoom``.

    Regional view (zoom 6.4, a pixel ~0.017 deg): 0.02; sector view (8.2): 0.005.
    """
    fitting = [t for t in TOLERANCES_DEG if t <= 1.5 * pixel_deg(zoom)]
    return fitting[0] if fitting else TOLERANCES_DEG[-1]


def digits_for(zoom: float, latitude: float = 37.5) -> int:
    """Decimals of coordinates whose rounding (half a unit) stays within half a pixel at
    ``zoom``; the pixel is the shorter, north-south one, cos(latitude) of its width (2 to 5)."""
    px = pixel_deg(zoom) * math.cos(math.radians(latitude))
    return int(min(5, max(2, math.ceil(-math.log10(px)))))


def simplified(admin1: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """``admin1`` coverage-simplified at ``tolerance`` degrees, cached on content.

    Parameters
    ----------
    admin1 : GeoDataFrame
        Provinces in EPSG:4326 forming a coverage (no overlaps; shared edges with
        the same vertices), as shipped.
    tolerance : float
        Degrees (see :data:`TOLERANCES_DEG`).

    Returns
    -------
    GeoDataFrame
        Same rows and columns; do not modify it (it is shared).
    """
    key = (_digest(admin1), float(tolerance))
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    geoms = admin1.geometry.to_numpy()
    if shapely.coverage_is_valid(geoms):
        simple = shapely.coverage_simplify(geoms, tolerance)
    else:  # not a coverage (a hand-built test frame): each polygon on its own, topology kept
        simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out = admin1.copy()
    out["geometry"] = simple
    _remember(key, out)
    return out


def _digest(admin1: gpd.GeoDataFrame) -> str:
    return frame_digest(admin1, ("adm1_code", "name", "country"))


def _remember(key: tuple, value: gpd.GeoDataFrame) -> None:
    with _LOCK:
        while len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = value


def context_bbox(admin1: gpd.GeoDataFrame, pad: float = CONTEXT_PAD_DEG) -> tuple[float, float, float, float]:
    """Bounds of the frontier countries' provinces widened by ``pad`` degrees (lon/lat)."""
    frontier = admin1[admin1["country"].isin(FRONTIER)]
    src = frontier if len(frontier) else admin1
    x0, y0, x1, y1 = src.total_bounds
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def provinces_for_view(
    admin1: gpd.GeoDataFrame,
    zoom: float,
    bbox: tuple[float, float, float, float] | None = None,
    dissolve_context: bool = False,
    keep: frozenset[str] = frozenset(),
) -> gpd.GeoDataFrame:
    """The provinces a map at ``zoom`` draws: simplified to a pixel, neighbours clipped.

    Parameters
    ----------
    admin1 : GeoDataFrame
        The join layer (EPSG:4326) with ``adm1_code``, ``name`` and ``country``.
    zoom : float
        Web-mercator zoom the map opens at.
    bbox : tuple of float, optional
        (lon_min, lat_min, lon_max, lat_max) to clip *everything* to (a sector
        map); by default the frontier is drawn whole and the neighbours are
        clipped to :func:`context_bbox`.
    dissolve_context : bool
        Draw each neighbour country as one greyed shape (``adm1_code`` = its
        ISO3 code, ``name`` = its name) instead of its provinces: the shared
        edges of polygons are sent twice, so this halves what the context costs.
    keep : frozenset of str
        ``adm1_code`` s of neighbour provinces drawn as provinces even when the
        rest is dissolved (those a shaded map colours).

    Returns
    -------
    GeoDataFrame
        Provinces (and dissolved countries) with non-empty geometry, frontier
        first, in ``admin1``'s row order. Shared: do not modify it.
    """
    tolerance = tolerance_for(zoom)
    keep = frozenset(keep)
    key = (_digest(admin1), tolerance, bbox, dissolve_context, keep)
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    simple = simplified(admin1, tolerance)
    frontier = simple["country"].isin(FRONTIER).to_numpy()
    parts = [simple[frontier]]
    context = simple[~frontier]
    if dissolve_context and len(context):
        kept = context["adm1_code"].isin(keep).to_numpy()
        parts += [context[kept], _dissolved(context[~kept])]
    else:
        parts.append(context)
    out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=admin1.crs)
    box = shapely.box(*(bbox if bbox is not None else context_bbox(admin1)))
    clip = np.ones(len(out), bool) if bbox is not None else ~out["country"].isin(FRONTIER).to_numpy()
    geoms = out.geometry.to_numpy().copy()
    # intersection, not clip_by_rect: the latter may return invalid polygons.
    geoms[clip] = shapely.intersection(geoms[clip], box)
    out["geometry"] = _polygonal(geoms)
    out = out[~shapely.is_empty(out.geometry.to_numpy())].reset_index(drop=True)
    _remember(key, out)
    return out


def _dissolved(context: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per country of ``context``: its provinces' union, named after the country."""
    rows = []
    for country, group in context.groupby("country", sort=True):
        geoms = group.geometry.to_numpy()
        union = (
            shapely.coverage_union_all(geoms)
            if shapely.coverage_is_valid(geoms)
            else shapely.union_all(geoms)
        )
        first = group.iloc[0]
        rows.append(
            {
                "adm1_code": str(first.get("adm0_a3", country)),
                "name": str(first.get("country_name", country)),
                "country": country,
                "geometry": union,
            }
        )
    return gpd.GeoDataFrame(rows, crs=context.crs)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Only the polygon parts (clipping along an edge can leave lines); empty if none."""
    out = geoms.copy()
    for i, g in enumerate(geoms):
        if g is None or g.geom_type in ("Polygon", "MultiPolygon"):
            continue
        parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and not p.is_empty]
        out[i] = shapely.MultiPolygon(parts) if parts else shapely.Polygon()
    return out
