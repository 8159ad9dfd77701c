"""Map views and the Web Mercator arithmetic every renderer shares.

deck.gl's MapView, the print snapshot and the offline HTML are all drawn in
Web Mercator (EPSG:3857); sizes on screen are CSS pixels of a 512-px world at
zoom 0, as deck.gl computes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Transformer

#: CRS every map is drawn in: the interactive map's (deck.gl MapView) projection.
PROJECTION = "EPSG:3857"
TO_MERC = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
FROM_MERC = Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)
#: Web Mercator metres per CSS pixel at zoom 0 (512-px world, as deck.gl).
MERC_M_PER_PX_Z0 = 2 * math.pi * 6_378_137.0 / 512


@dataclass(frozen=True)
class View:
    """Map centre (degrees) and zoom level (web-mercator)."""

    latitude: float
    longitude: float
    zoom: float

    def as_param(self) -> str:
        return f"{self.latitude:.4f},{self.longitude:.4f},{self.zoom:.2f}"

    def problems(self) -> list[str]:
        """Why the view cannot be drawn (empty when it can)."""
        if -85 < self.latitude < 85 and -180 <= self.longitude <= 180 and 0 <= self.zoom <= 20:
            return []
        return [f"view {self.as_param()} is out of range (lat ±85, lon ±180, zoom 0–20)"]


REGIONAL_VIEW = View(37.75, 70.2, 6.4)
SECTOR_VIEW = View(38.1, 70.35, 8.2)
#: Box of the Shamsiddin Shohin / Darvoz stretch: lon_min, lat_min, lon_max, lat_max.
SECTOR_BBOX = (69.4, 37.45, 71.4, 38.75)
#: The sector map's shapes and bins reach this far (degrees) beyond :data:`SECTOR_BBOX`.
SECTOR_PAD_DEG = 0.5


def padded(bbox: tuple[float, float, float, float], pad: float) -> tuple[float, float, float, float]:
    """``bbox`` (lon_min, lat_min, lon_max, lat_max) grown by ``pad`` degrees on every side."""
    return (bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad)


def metres_per_pixel(latitude: float, zoom: float) -> float:
    """Ground size of one screen pixel at ``zoom`` (web-mercator, 512-px tiles as deck.gl)."""
    return 40_075_016.686 * math.cos(math.radians(latitude)) / (512 * 2**zoom)


def merc(lon, lat):
    """Lon/lat (EPSG:4326, degrees) → Web Mercator (EPSG:3857, metres)."""
    return TO_MERC.transform(lon, lat)
