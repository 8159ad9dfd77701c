"""The frontier page's map: the regional deck plus the chosen stretch of border, outlined."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk

from geo.frontier.chainage import FrontierLine, stretch_mask
from geo.render import mapdecks as D

STRETCH_LAYER = "frontier-stretch"
STRETCH_COLOUR = [31, 78, 121]
MAP_LAYERS = ("provinces", "rivers", "border", "places", "events")


def stretch_view(line: FrontierLine, lo_km: float, hi_km: float) -> D.View:
    """A view centred on the stretch, zoomed so that it fits a ~800 px wide map."""
    path = line.stretch(lo_km, hi_km)
    lons = [p[0] for p in path]
    lats = [p[1] for p in path]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.3, 0.05)
    zoom = max(5.5, min(10.0, math.log2(360.0 / span) + 0.6))
    return D.View(
        round((min(lats) + max(lats)) / 2, 4), round((min(lons) + max(lons)) / 2, 4), round(zoom, 2)
    )


def frontier_deck(
    events: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame,
    border_detail: gpd.GeoDataFrame,
    rivers: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    line: FrontierLine,
    stretch: tuple[float, float] | None,
    view: D.View = D.REGIONAL_VIEW,
    basemap: bool = False,
) -> pdk.Deck:
    """The regional deck (WDB-II border, the events given) with the stretch drawn over the border.

    Parameters
    ----------
    events : GeoDataFrame
        Events to draw (EPSG:4326): the page passes the ones in the chosen stretch.
    stretch : (float, float), optional
        Chainage range (km) to outline; ``None`` draws no stretch.
    """
    deck = D.regional_deck(
        events, admin1, border_detail, rivers, places, view=view, layers=MAP_LAYERS, basemap=basemap
    )
    if stretch is not None:
        lo, hi = sorted(stretch)
        ids = [layer.id for layer in deck.layers]
        # Above the border, under the places and events: the outline must not hide what it selects.
        at = ids.index(D.LAYER_IDS["border"]) + 1 if D.LAYER_IDS["border"] in ids else 0
        deck.layers.insert(
            at,
            pdk.Layer(
                "PathLayer",
                id=STRETCH_LAYER,
                data=[{"name": f"km {lo:,.0f}–{hi:,.0f}", "path": line.stretch(lo, hi)}],
                get_path="path",
                get_color=STRETCH_COLOUR + [200],
                get_width=9,
                width_units=pdk.types.String("pixels"),
                cap_rounded=True,
                joint_rounded=True,
                pickable=False,
            ),
        )
    return deck


def in_stretch(frontier: pd.DataFrame, stretch: tuple[float, float] | None) -> pd.Series:
    """True for frontier events whose chainage range overlaps the stretch (all True without one)."""
    if stretch is None:
        return pd.Series(True, index=frontier.index)
    # The filter's rule; these events are already in the page's corridor.
    return pd.Series(stretch_mask(frontier, *stretch, max_km=np.inf), index=frontier.index)
