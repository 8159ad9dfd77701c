"""What every layer builder shares: the frames a scene is built from (:class:`MapData`), the build context with the decisions made once (:class:`Ctx`: facing provinces, padded box, markers or bins), and the legend wording.

:mod:`geo.scene.build` fills a :class:`Ctx` once per scene; the builders in
:mod:`geo.scene.basemap` and :mod:`geo.scene.event_layers` only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from geo.scene import style as S
from geo.scene.model import BinPlan
from geo.scene.policy import binned_mask, bins_on
from geo.scene.view import SECTOR_BBOX, SECTOR_PAD_DEG, View, padded

LEGEND_TEXT = {
    "border": "Tajikistan–Afghanistan border (Natural Earth 1:10M)",
    "rivers": "Rivers (GSHHG / WDB-II)",
    "places": "Town · capital (GeoNames)",
    "uncertainty": "Uncertainty radius of a coded location (true km)",
    "claims": "Claimed point of origin — a claim, not a fact",
    "bands": "0–5 / 5–10 / 10–20 km from the border",
    "markers": "Marker area: killed + injured (low figures)",
}


@dataclass
class MapData:
    """The frames a scene is built from (EPSG:4326). ``bands`` is optional."""

    events: gpd.GeoDataFrame
    claims: pd.DataFrame
    admin1: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    bands: gpd.GeoDataFrame | None = None


@dataclass
class Ctx:
    """What the builders share: the data, the request, and the decisions made once."""

    data: MapData
    page: str
    view: View
    visible: tuple[str, ...]
    screen: bool
    shade: str
    shade_values: pd.Series | None
    bins: BinPlan | None
    markers_frame: gpd.GeoDataFrame
    facing: tuple[str, ...]
    pad: tuple[float, float, float, float] | None = None
    categories: list[str] = field(default_factory=list)
    #: What a builder could not draw, keyed by group: becomes a caveat of the scene (never silent).
    notes: dict[str, str] = field(default_factory=dict)

    def clip(self, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """``gdf`` clipped to the page's padded box on screen; whole in print (the renderer clips)."""
        if self.pad is None or not self.screen:
            return gdf
        clipped = gdf.clip(shapely.box(*self.pad))
        return clipped[~clipped.geometry.is_empty]


def facing_of(events: gpd.GeoDataFrame) -> tuple[str, ...]:
    """Afghan provinces facing the given events across the border (sorted names)."""
    return tuple(sorted({str(f) for f in events["facing_admin1"].dropna()}))


def sector_pad() -> tuple[float, float, float, float]:
    return padded(SECTOR_BBOX, SECTOR_PAD_DEG)


def plan_bins(placed: gpd.GeoDataFrame, n_selected: int, aggregate: bool, bbox) -> BinPlan | None:
    """The markers-versus-bins decision for a map of ``n_selected`` events (``None``: all markers).

    Above :data:`geo.scene.policy.MAP_MARKERS_MAX` selected events the imported
    ones are counted in hexagons (:func:`geo.scene.policy.binned_mask`), curated
    ones stay markers.
    """
    if not (aggregate and bins_on(n_selected)):
        return None
    return BinPlan(placed, binned_mask(placed, n_selected), bbox, S.CELL_PX)
