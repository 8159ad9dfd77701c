"""The live map's decks: :func:`regional_deck` and :func:`sector_deck` from frames.

Both build the page's :class:`geo.scene.model.Scene` (:func:`geo.scene.build.compose_scene`)
and draw it with the deck renderer (:mod:`geo.render.deck`); nothing about
what the map shows is decided here. Pages that have a bundle build the scene
themselves (:func:`geo.scene.build.build_scene`) and pass it to
:func:`geo.render.deck.draw`, so the legend comes from the same scene. The names
re-exported below are the ones callers of this module use.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely

from geo.render.deck import (
    TOOLTIP,
    CompactDeck,
    _polygons,
    char_set,
    deck_layer_ids,
    draw,
    escape_tooltips,
    inert_data,
    marker_data,
)
from geo.scene.build import compose_scene
from geo.scene.context import MapData
from geo.scene.model import SceneLayer
from geo.scene.records import TIP_FIELDS, claim_records, event_tips, marker_records
from geo.scene.request import LAYER_IDS, REGIONAL_LAYERS, SECTOR_LAYERS, MapRequest
from geo.scene.style import (
    BORDER_COLOUR,
    CATEGORY_COLOURS,
    CLAIM_COLOUR,
    CONTEXT_FILL,
    COUNTRY_FILL,
    FILLED,
    RIVER_COLOUR,
    SHADE_RAMP,
    event_radius_px,
)
from geo.scene.view import REGIONAL_VIEW, SECTOR_BBOX, SECTOR_VIEW, View, metres_per_pixel

__all__ = [
    "BORDER_COLOUR",
    "CATEGORY_COLOURS",
    "CLAIM_COLOUR",
    "CONTEXT_FILL",
    "COUNTRY_FILL",
    "CompactDeck",
    "FILLED",
    "LAYER_IDS",
    "REGIONAL_LAYERS",
    "REGIONAL_VIEW",
    "RIVER_COLOUR",
    "SECTOR_BBOX",
    "SECTOR_LAYERS",
    "SECTOR_VIEW",
    "SHADE_RAMP",
    "TIP_FIELDS",
    "TOOLTIP",
    "View",
    "char_set",
    "claim_records",
    "clip_to_bbox",
    "deck_layer_ids",
    "escape_tooltips",
    "event_radius_px",
    "event_records",
    "event_tips",
    "inert_data",
    "metres_per_pixel",
    "province_layer",
    "regional_deck",
    "sector_deck",
]

_NO_CLAIMS = pd.DataFrame(columns=["claim_id", "event_id", "origin_place_id", "speaker", "speaker_body"])


def event_records(events: gpd.GeoDataFrame, view: View, spread_px: float | None = None) -> list[dict]:
    """Deck records of the placed ``events`` (co-located ones ``spread_px`` apart at ``view``'s zoom)."""
    return marker_data(marker_records(events), view, spread_px)


def province_layer(admin1: gpd.GeoDataFrame, ndigits: int = 4) -> pdk.Layer:
    """The provinces layer of already-chosen shapes (plain fills by country), as the regional deck draws it."""
    context = ~admin1["country"].isin(list(COUNTRY_FILL)).to_numpy()
    paint = pd.DataFrame(
        {
            "fill": [list(COUNTRY_FILL.get(c, CONTEXT_FILL)) + [255] for c in admin1["country"]],
            "line": [[190, 190, 190, 255] if c else [150, 150, 150, 255] for c in context],
            "line_px": [0.6 if c else 0.8 for c in context],
        },
        index=admin1.index,
    )
    style = {"props": ["adm1_code", "name"], "fill": "fill", "line": "line", "line_width": "line_px"}
    return _polygons(
        SceneLayer("provinces", "provinces", "polygons", admin1, style, ndigits=ndigits, paint=paint), None
    )


def regional_deck(
    events: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame,
    border: gpd.GeoDataFrame,
    rivers: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    view: View = REGIONAL_VIEW,
    layers: tuple[str, ...] = REGIONAL_LAYERS,
    shade: pd.Series | None = None,
    basemap: bool = False,
    aggregate: bool = True,
) -> pdk.Deck:
    """The regional map: provinces (optionally shaded), border, rivers, places, events.

    Parameters
    ----------
    events : GeoDataFrame
        The filtered events (EPSG:4326); unplaced ones are skipped.
    shade : Series, optional
        Value per ``adm1_code`` (e.g. incident count) to shade provinces by.
    layers : tuple of str
        Layer groups to draw (``"uncertainty"`` adds radii).
    basemap : bool
        Opt in to an online basemap (Carto tiles); off keeps the page offline.
    aggregate : bool
        Above :data:`geo.scene.policy.MAP_MARKERS_MAX` events, draw hexagon bins
        (layer ``event-bins``) with curated events as markers on top.
    """
    data = MapData(events, _NO_CLAIMS, admin1, border, rivers, places)
    req = MapRequest(page="regional", layers=tuple(layers), view=view, aggregate=aggregate)
    return draw(compose_scene(data, req, shade_values=shade), basemap=basemap)


def clip_to_bbox(gdf: gpd.GeoDataFrame, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Clip lon/lat shapes to ``bbox`` (lon_min, lat_min, lon_max, lat_max), dropping empties."""
    clipped = gdf.clip(shapely.box(*bbox))
    return clipped[~clipped.geometry.is_empty]


def sector_deck(
    events: gpd.GeoDataFrame,
    claims: pd.DataFrame,
    admin1: gpd.GeoDataFrame,
    border: gpd.GeoDataFrame,
    rivers: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    bands: gpd.GeoDataFrame,
    view: View = SECTOR_VIEW,
    layers: tuple[str, ...] = SECTOR_LAYERS,
    basemap: bool = False,
    aggregate: bool = True,
) -> pdk.Deck:
    """The Shamsiddin Shohin / Darvoz border-sector map.

    Shapes are clipped to the padded :data:`SECTOR_BBOX`; the Afghan provinces
    facing the shown events are outlined; claimed points of origin are drawn as
    claims. Above the markers threshold events in the box are hexagon bins.
    """
    data = MapData(events, claims, admin1, border, rivers, places, bands=bands)
    req = MapRequest(page="sector", layers=tuple(layers), view=view, aggregate=aggregate)
    return draw(compose_scene(data, req), basemap=basemap)
