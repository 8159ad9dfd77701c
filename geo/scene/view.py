"""Map views and the Web Mercator arithmetic every renderer shares.

deck.gl's MapView, the print snapshot and the offline HTML are all drawn in
Web Mercator (EPSG:3857); sizes on screen are CSS pixels of a 512-px world at
zoom 0, as deck.gl computes them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pyproj import Transformer

#: CRS every map is drawn in: the interactive map's (deck.gl MapView) projection.
PROJECTION = "EPSG:3857"
TO_MERC = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
FROM_MERC = Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)
#: Web Mercator metres per CSS pixel at zoom 0 (512-px world, as deck.gl).
MERC_M_PER_PX_Z0 = 2 * math.pi * 6_378_137.0 / 512
#: Web Mercator (deck.gl's MapView) stops at ±85.0511°, not at the poles.
MAX_LATITUDE = 85.0511
MAX_ZOOM = 20.0
#: The view rule as every message states it (links, the CLI's ``--view``, a request's problems).
VIEW_RULE = f"use lat,lon,zoom, e.g. 37.8,70.0,7; latitude within ±{MAX_LATITUDE}, longitude ±180, zoom 0 to {MAX_ZOOM:g}"
#: ASCII decimals only: ``float`` also reads "inf", "1e3", "1_0" and Arabic-Indic digits.
_NUMBER = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,10})?")


@dataclass(frozen=True)
class View:
    """Map centre (degrees) and zoom level (web-mercator)."""

    latitude: float
    longitude: float
    zoom: float

    def as_param(self) -> str:
        return f"{self.latitude:.4f},{self.longitude:.4f},{self.zoom:.2f}"

    def in_range(self) -> bool:
        """Latitude within ±:data:`MAX_LATITUDE`, longitude ±180, zoom 0 to :data:`MAX_ZOOM`."""
        return (
            -MAX_LATITUDE <= self.latitude <= MAX_LATITUDE
            and -180 <= self.longitude <= 180
            and 0 <= self.zoom <= MAX_ZOOM
        )

    def problems(self) -> list[str]:
        """Why the view cannot be drawn (empty when it can)."""
        return [] if self.in_range() else [f"view {self.as_param()} is out of range ({VIEW_RULE})"]


def parse_view(text: str) -> View | None:
    """``"lat,lon,zoom"`` (decimal degrees, web-mercator zoom) → :class:`View`, or ``None``.

    The one view parser (links' ``view`` and ``panjwatch snapshot --view``): ASCII
    decimals only, and in range (:meth:`View.in_range`).
    """
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 3 or not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    view = View(*(float(p) for p in parts))
    return view if view.in_range() else None


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
