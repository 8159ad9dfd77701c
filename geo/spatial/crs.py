"""CRS checks done up front, with a message that says what to do."""

from __future__ import annotations

import geopandas as gpd
from pyproj import CRS


def require_crs(gdf: gpd.GeoDataFrame, name: str, expected: str | None = None) -> None:
    """Raise ``ValueError`` if ``gdf`` has no CRS, or not ``expected`` when given.

    Parameters
    ----------
    gdf : GeoDataFrame
        Frame to check.
    name : str
        How to call the frame in the message (e.g. ``"events"``).
    expected : str, optional
        CRS the caller relies on, e.g. ``"EPSG:4326"``.
    """
    if gdf.crs is None:
        raise ValueError(f"{name} has no CRS; set one first (e.g. gdf.set_crs('EPSG:4326') for lon/lat data)")
    if expected is not None and not CRS.from_user_input(gdf.crs).equals(CRS.from_user_input(expected)):
        raise ValueError(f"{name} is in {gdf.crs.to_string()}, expected {expected}; reproject with to_crs()")
