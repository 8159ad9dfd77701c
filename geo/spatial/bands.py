"""Distance bands either side of the border, for the border-sector map."""

from __future__ import annotations

import geopandas as gpd
import shapely

from geo.data.paths import METRIC_CRS, WGS84
from geo.spatial.crs import require_crs

DEFAULT_BANDS_KM = (5.0, 10.0, 20.0)


def border_bands(
    border: gpd.GeoDataFrame, bands_km: tuple[float, ...] = DEFAULT_BANDS_KM, simplify_m: float = 150.0
) -> gpd.GeoDataFrame:
    """Rings of equal distance from the border line (both sides).

    Buffers are built in UTM 42N (EPSG:32642) so a band of 5 km is 5 km on the
    ground; each ring is the buffer minus the previous one.

    Parameters
    ----------
    border : GeoDataFrame
        Border line(s), any CRS.
    bands_km : tuple of float
        Increasing outer distances in kilometres.
    simplify_m : float
        Simplification tolerance in metres, to keep the browser payload small.

    Returns
    -------
    GeoDataFrame
        Columns ``inner_km``, ``outer_km``, ``label``; EPSG:4326.
    """
    require_crs(border, "border")
    if list(bands_km) != sorted(bands_km) or not bands_km or bands_km[0] <= 0:
        raise ValueError(f"bands_km must be positive and increasing, got {bands_km}")
    line = shapely.union_all(border.to_crs(METRIC_CRS).geometry.to_numpy())
    rows, inner, prev = [], 0.0, None
    for outer in bands_km:
        buf = shapely.buffer(line, outer * 1000.0, quad_segs=8)
        ring = buf if prev is None else shapely.difference(buf, prev)
        rows.append(
            {
                "inner_km": inner,
                "outer_km": outer,
                "label": f"{inner:g}–{outer:g} km from the border",
                "geometry": shapely.simplify(ring, simplify_m),
            }
        )
        inner, prev = outer, buf
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS).to_crs(WGS84)
