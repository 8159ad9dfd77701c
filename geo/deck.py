"""pydeck decks for the map pages, built by factory functions with explicit layer ids.

Everything here is deterministic (same inputs → same JSON), so decks can be
compared with committed snapshots. Text from data reaches a tooltip only through
the plain-text ``tip_*`` fields of a record, filled into the fixed HTML of
:data:`TOOLTIP`: Streamlit escapes each value as it fills the template; for
renderers that do not (pydeck's standalone bundle), :func:`escape_tooltips`
escapes them first.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from geo.provinces import digits_for, provinces_for_view
from geo.schema import GEO_PRECISION, TIME_PRECISION
from geo.text import DECK_PREFIX, INERT_MARK, deck_inert, html_escape

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
CATEGORY_COLOURS: dict[str, tuple[int, int, int]] = {
    "attack": (213, 94, 0),
    "clash": (204, 121, 167),
    "statement": (0, 114, 178),
    "visit": (0, 158, 115),
    "advisory": (230, 159, 0),
    "call": (86, 180, 233),
    "agreement": (240, 228, 66),
    "protest": (120, 120, 120),
    "other": (120, 120, 120),
}
#: Violent categories are drawn as filled discs; the rest as rings.
FILLED = frozenset({"attack", "clash"})
BORDER_COLOUR = (30, 30, 30)
RIVER_COLOUR = (60, 120, 200)
CLAIM_COLOUR = (120, 60, 140)
#: Sequential single-hue ramp (light → dark blue) for province shading.
SHADE_RAMP = [
    (239, 243, 255),
    (198, 219, 239),
    (158, 202, 225),
    (107, 174, 214),
    (49, 130, 189),
    (8, 81, 156),
]
COUNTRY_FILL = {"TJ": (245, 240, 230), "AF": (235, 238, 242)}
#: Fill of the neighbours' provinces, drawn as context around the frontier.
CONTEXT_FILL = (240, 240, 240)

LAYER_IDS = {
    "provinces": "provinces",
    "bands": "border-bands",
    "rivers": "rivers",
    "border": "border",
    "places": "places",
    "place-labels": "place-labels",
    "uncertainty": "uncertainty",
    "leaders": "event-leaders",
    "claims": "claim-links",
    "claim-origins": "claim-origins",
    "claim-labels": "claim-labels",
    "events": "events",
}


@dataclass(frozen=True)
class View:
    """Map centre (degrees) and zoom level (web-mercator)."""

    latitude: float
    longitude: float
    zoom: float

    def as_param(self) -> str:
        return f"{self.latitude:.4f},{self.longitude:.4f},{self.zoom:.2f}"


REGIONAL_VIEW = View(37.75, 70.2, 6.4)
SECTOR_VIEW = View(38.1, 70.35, 8.2)
#: Box of the Shamsiddin Shohin / Darvoz stretch: lon_min, lat_min, lon_max, lat_max.
SECTOR_BBOX = (69.4, 37.45, 71.4, 38.75)

_ESC = html_escape
#: pydeck turns every plain string argument into a JavaScript accessor expression
#: ("@@=pixels"); literal strings (units, fonts) must be wrapped to stay strings.
_LIT = pdk.types.String


def _round_coords(geom, ndigits: int = 4):
    # 4 decimals ≈ 11 m: below what the 1:10M shapes resolve, and it halves the payload.
    return shapely.set_precision(geom, 10**-ndigits) if geom is not None else geom


def _geojson(gdf: gpd.GeoDataFrame, props: list[str], ndigits: int = 4) -> dict:
    feats = []
    for rec, geom in zip(gdf[props].to_dict("records"), gdf.geometry, strict=True):
        g = _round_coords(geom, ndigits)
        feats.append({"type": "Feature", "properties": rec, "geometry": shapely.geometry.mapping(g)})
    return {"type": "FeatureCollection", "features": feats}


def _paths(gdf: gpd.GeoDataFrame, props: list[str], ndigits: int = 4) -> list[dict]:
    out = []
    for rec, geom in zip(gdf[props].to_dict("records"), gdf.geometry, strict=True):
        parts = geom.geoms if hasattr(geom, "geoms") else [geom]
        for part in parts:
            coords = np.round(np.asarray(part.coords)[:, :2], ndigits).tolist()
            out.append({**rec, "path": coords})
    return out


def _fmt_range(lo, hi) -> str:
    if pd.isna(lo):
        return "not reported"
    if pd.isna(hi) or hi == lo:
        return f"{int(lo)}"
    return f"{int(lo)}–{int(hi)}"


#: Plain-text tooltip fields every pickable record carries (empty strings allowed).
TIP_FIELDS = ("tip_title", "tip_1", "tip_2", "tip_3")


def event_tips(row) -> dict[str, str]:
    """Tooltip fields of an event, as plain text (never HTML)."""
    date = pd.Timestamp(row["event_date"]).strftime("%d %b %Y")
    prec = TIME_PRECISION.get(int(row["time_precision"]), "?")
    gprec = GEO_PRECISION.get(int(row["geo_precision"]), "?")
    unc = row.get("uncertainty_km")
    unc_txt = f", ±{float(unc):g} km" if pd.notna(unc) else ""
    return {
        "tip_title": str(row["location"]),
        "tip_1": f"{date} ({prec}) · {row['category']}",
        "tip_2": f"killed {_fmt_range(row['fatalities'], row['fatalities_high'])}, "
        f"injured {_fmt_range(row['injured'], row['injured_high'])}",
        "tip_3": f"place: {gprec}{unc_txt}",
    }


def escape_tooltips(spec: dict) -> dict:
    """Copy of a deck spec with every ``tip_*`` value HTML-escaped.

    For renderers that substitute template values raw into HTML (pydeck's
    standalone bundle); Streamlit escapes them itself and gets the plain spec.
    """
    out = json.loads(json.dumps(spec))
    for layer in out.get("layers", []):
        data = layer.get("data")
        if isinstance(data, list):
            for rec in data:
                if isinstance(rec, dict):
                    for k in TIP_FIELDS:
                        if k in rec:
                            rec[k] = _ESC(rec[k])
    return out


def event_radius_px(fatalities, injured) -> float:
    """Marker radius in pixels: area grows with the casualty count (low figures)."""
    n = (0 if pd.isna(fatalities) else int(fatalities)) + (0 if pd.isna(injured) else int(injured))
    return round(6.0 + 3.0 * math.sqrt(n), 2)


def metres_per_pixel(latitude: float, zoom: float) -> float:
    """Ground size of one screen pixel at ``zoom`` (web-mercator, 512-px tiles as deck.gl)."""
    return 40_075_016.686 * math.cos(math.radians(latitude)) / (512 * 2**zoom)


def event_records(events: gpd.GeoDataFrame, view: View, spread_px: float = 14.0) -> list[dict]:
    """One record per placed event, with co-located events spread on a small ring.

    Events that share a coordinate (both seed attacks are coded to the same
    district centre) are drawn ``spread_px`` pixels apart around the true point
    at the initial zoom, with a leader line back to it, so each stays visible
    and clickable. ``position`` is where the marker is drawn; ``true_position``
    is the coded coordinate.
    """
    placed = events[~(events.geometry.isna() | events.geometry.is_empty)]
    if placed.empty:
        return []
    lon = placed.geometry.x.round(5).to_numpy()
    lat = placed.geometry.y.round(5).to_numpy()
    key = pd.Series([f"{a:.5f},{b:.5f}" for a, b in zip(lon, lat, strict=True)], index=placed.index)
    rank = key.groupby(key).cumcount().to_numpy()
    size = key.map(key.value_counts()).to_numpy()
    step_m = spread_px * metres_per_pixel(view.latitude, view.zoom)
    angle = np.where(size > 1, 2 * np.pi * rank / np.maximum(size, 1) + np.pi / 2, 0.0)
    dist = np.where(size > 1, step_m, 0.0)
    dlat = dist * np.sin(angle) / 111_320.0
    dlon = dist * np.cos(angle) / (111_320.0 * np.cos(np.radians(lat)))
    records = []
    for i, (_, row) in enumerate(placed.iterrows()):
        cat = row["category"]
        colour = CATEGORY_COLOURS.get(cat, CATEGORY_COLOURS["other"])
        filled = cat in FILLED
        unc = row["uncertainty_km"]
        records.append(
            {
                "event_id": row["event_id"],
                "position": [round(float(lon[i] + dlon[i]), 5), round(float(lat[i] + dlat[i]), 5)],
                "true_position": [float(lon[i]), float(lat[i])],
                "displaced": bool(size[i] > 1),
                "fill": [*colour, 255] if filled else [255, 255, 255, 220],
                "line": [255, 255, 255, 255] if filled else [*colour, 255],
                "line_px": 1.5 if filled else 3.0,
                "radius_px": event_radius_px(row["fatalities"], row["injured"]),
                "uncertainty_m": 0.0 if pd.isna(unc) else float(unc) * 1000.0,
                "colour": [*colour, 255],
                **event_tips(row),
            }
        )
    return records


def province_layer(
    admin1: gpd.GeoDataFrame,
    shade: pd.Series | None = None,
    highlight: tuple[str, ...] = (),
    ndigits: int = 4,
) -> pdk.Layer:
    """Provinces: plain by country, or shaded by ``shade`` (values per ``adm1_code``).

    Provinces outside Tajikistan and Afghanistan (context) get a grey fill and a
    lighter outline unless shaded. ``ndigits``: decimals of the coordinates sent.
    """
    gdf = admin1[["adm1_code", "name", "country", "geometry"]].copy()
    fills = [list(COUNTRY_FILL.get(c, CONTEXT_FILL)) + [255] for c in gdf["country"]]
    if shade is not None:
        values = shade.reindex(gdf["adm1_code"]).fillna(0).to_numpy()
        top = max(float(values.max()), 1.0)
        idx = np.ceil(values / top * (len(SHADE_RAMP) - 1)).astype(int)
        fills = [list(SHADE_RAMP[k]) + [255] for k in idx]
    gdf["fill"] = fills
    context = ~gdf["country"].isin(list(COUNTRY_FILL)).to_numpy()
    gdf["line"] = [
        [200, 90, 0, 255] if n in highlight else [190, 190, 190, 255] if c else [150, 150, 150, 255]
        for n, c in zip(gdf["name"], context, strict=True)
    ]
    gdf["line_px"] = [
        3.0 if n in highlight else 0.6 if c else 0.8 for n, c in zip(gdf["name"], context, strict=True)
    ]
    return pdk.Layer(
        "GeoJsonLayer",
        id=LAYER_IDS["provinces"],
        data=_geojson(gdf, ["adm1_code", "name", "fill", "line", "line_px"], ndigits=ndigits),
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.line_px",
        line_width_units=_LIT("pixels"),
        pickable=False,
    )


def bands_layer(bands: gpd.GeoDataFrame) -> pdk.Layer:
    """Distance bands from the border, darker nearer the line."""
    gdf = bands.copy()
    alphas = np.linspace(90, 30, len(gdf)).round().astype(int)
    gdf["fill"] = [[230, 159, 0, int(a)] for a in alphas]
    return pdk.Layer(
        "GeoJsonLayer",
        id=LAYER_IDS["bands"],
        data=_geojson(gdf, ["label", "outer_km", "fill"]),
        stroked=False,
        filled=True,
        get_fill_color="properties.fill",
        pickable=False,
    )


def line_layer(gdf: gpd.GeoDataFrame, layer: str, colour, width_px: float) -> pdk.Layer:
    """A PathLayer of the lines in ``gdf`` (border or rivers)."""
    return pdk.Layer(
        "PathLayer",
        id=LAYER_IDS[layer],
        data=_paths(gdf, ["name"]),
        get_path="path",
        get_color=list(colour) + [255],
        get_width=width_px,
        width_units=_LIT("pixels"),
        pickable=False,
    )


def char_set(*texts: str) -> list[str]:
    """Characters a TextLayer must put in its font atlas (sorted, so the JSON is stable).

    deck.gl's default atlas is ASCII only; place names carry ŭ, ā, ī and dashes.
    Text that :func:`inert_data` will mark needs the mark in the atlas too.
    """
    chars = set("".join(texts)) | set(" -0123456789")
    if any(t.startswith(DECK_PREFIX) for t in texts):
        chars.add(INERT_MARK)
    return sorted(chars)


def label_layer(
    layer: str, records: list[dict], position: str, text: str, size: int, colour: list[int], offset: list[int]
) -> pdk.Layer:
    """Haloed text labels (SDF font) of ``records[text]`` at ``records[position]``, offset in pixels."""
    return pdk.Layer(
        "TextLayer",
        id=LAYER_IDS[layer],
        data=records,
        get_position=position,
        get_text=text,
        get_size=size,
        get_color=colour,
        get_pixel_offset=offset,
        font_family=_LIT("DejaVu Sans, Arial, sans-serif"),
        character_set=_LIT("".join(char_set(*(r[text] for r in records)))),
        outline_width=2,
        outline_color=[255, 255, 255, 255],
        font_settings={"sdf": True},
        pickable=False,
    )


def place_layers(places: gpd.GeoDataFrame) -> list[pdk.Layer]:
    """Reference places: a dot and a label each (names from data, drawn as text, not HTML)."""
    pts = places[~(places.geometry.isna() | places.geometry.is_empty)]
    pts = pts[pts["kind"].isin(["settlement", "capital"])]
    recs = [
        {"name": short, "position": [round(g.x, 4), round(g.y, 4)]}
        for short, g in zip(pts["name"].str.split(r" \(|,", regex=True).str[0], pts.geometry, strict=True)
    ]
    return [
        pdk.Layer(
            "ScatterplotLayer",
            id=LAYER_IDS["places"],
            data=recs,
            get_position="position",
            get_radius=3,
            radius_units=_LIT("pixels"),
            get_fill_color=[60, 60, 60, 255],
            pickable=False,
        ),
        label_layer("place-labels", recs, "position", "name", 13, [40, 40, 40, 255], [0, -12]),
    ]


def event_layers(records: list[dict], uncertainty: bool) -> list[pdk.Layer]:
    """Events (pickable), their leader lines and optionally uncertainty circles."""
    layers = []
    if uncertainty:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=LAYER_IDS["uncertainty"],
                data=[
                    {"position": r["true_position"], "radius": r["uncertainty_m"], "colour": r["colour"]}
                    for r in records
                    if r["uncertainty_m"] > 0
                ],
                get_position="position",
                get_radius="radius",
                radius_units=_LIT("meters"),
                filled=True,
                get_fill_color=[120, 120, 120, 25],
                stroked=True,
                get_line_color="colour",
                get_line_width=1.5,
                line_width_units=_LIT("pixels"),
                pickable=False,
            )
        )
    leaders = [{"path": [r["true_position"], r["position"]]} for r in records if r["displaced"]]
    layers.append(
        pdk.Layer(
            "PathLayer",
            id=LAYER_IDS["leaders"],
            data=leaders,
            get_path="path",
            get_color=[80, 80, 80, 200],
            get_width=1,
            width_units=_LIT("pixels"),
            pickable=False,
        )
    )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            id=LAYER_IDS["events"],
            data=records,
            opacity=1.0,  # deck.gl's default 0.8 washes the palette out
            get_position="position",
            get_radius="radius_px",
            radius_units=_LIT("pixels"),
            filled=True,
            stroked=True,
            get_fill_color="fill",
            get_line_color="line",
            get_line_width="line_px",
            line_width_units=_LIT("pixels"),
            pickable=True,
            auto_highlight=True,
        )
    )
    return layers


def claim_records(events: gpd.GeoDataFrame, claims: pd.DataFrame, places: gpd.GeoDataFrame) -> list[dict]:
    """One record per claim that names a point of origin: a link from origin to event."""
    with_origin = claims[claims["origin_place_id"] != ""]
    if with_origin.empty:
        return []
    ev = events.set_index("event_id")
    pl = places.set_index("place_id")
    out = []
    for c in with_origin.itertuples(index=False):
        if c.event_id not in ev.index or c.origin_place_id not in pl.index:
            continue
        eg, og = ev.loc[c.event_id, "geometry"], pl.loc[c.origin_place_id, "geometry"]
        if eg is None or og is None or eg.is_empty:
            continue
        who = f"{c.speaker}" + (f" ({c.speaker_body})" if c.speaker_body else "")
        origin_name = str(pl.loc[c.origin_place_id, "name"])
        out.append(
            {
                "event_id": c.event_id,
                "claim_id": c.claim_id,
                "path": [[round(og.x, 5), round(og.y, 5)], [round(eg.x, 5), round(eg.y, 5)]],
                "origin": [round(og.x, 5), round(og.y, 5)],
                "mid": [round((og.x + eg.x) / 2, 5), round((og.y + eg.y) / 2, 5)],
                "label": f"origin claimed by {who}",
                "tip_title": "Claimed point of origin",
                "tip_1": origin_name,
                "tip_2": f"claimed by {who}",
                "tip_3": "a claim, not an established fact",
            }
        )
    return out


def claim_layers(records: list[dict]) -> list[pdk.Layer]:
    """Dashed links from claimed origins to events, the origins, and who claims them."""
    return [
        pdk.Layer(
            "PathLayer",
            id=LAYER_IDS["claims"],
            data=records,
            get_path="path",
            get_color=list(CLAIM_COLOUR) + [230],
            get_width=2.5,
            width_units=_LIT("pixels"),
            get_dash_array=[6, 4],
            dash_justified=True,
            extensions=[{"@@type": "PathStyleExtension", "dash": True}],
            pickable=False,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id=LAYER_IDS["claim-origins"],
            data=records,
            get_position="origin",
            get_radius=7,
            radius_units=_LIT("pixels"),
            filled=True,
            get_fill_color=[255, 255, 255, 230],
            stroked=True,
            get_line_color=list(CLAIM_COLOUR) + [255],
            get_line_width=2.5,
            line_width_units=_LIT("pixels"),
            pickable=True,
        ),
        label_layer("claim-labels", records, "mid", "label", 12, list(CLAIM_COLOUR) + [255], [0, 12]),
    ]


TOOLTIP = {
    "html": "<b>{tip_title}</b><br/>{tip_1}<br/>{tip_2}<br/>{tip_3}",
    "style": {"backgroundColor": "white", "color": "#222", "fontSize": "12px", "border": "1px solid #999"},
}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact and key-sorted.

    pydeck pretty-prints (indent=2), which roughly doubles what Streamlit sends
    to the browser on every rerun; sorted keys also make snapshots stable.
    """

    def to_json(self) -> str:
        return json.dumps(
            json.loads(super().to_json()), separators=(",", ":"), sort_keys=True, ensure_ascii=False
        )


def inert_data(obj):
    """Layer data with every string (value or key) deck.gl would read as code made inert.

    The JSON converter walks layer ``data`` too, so an imported place called
    ``@@=x()`` would be compiled as an expression and ``@@#ZZZ`` looked up as a
    constant (the map then fails to draw). Such strings get
    :data:`geo.text.INERT_MARK` in front (:func:`geo.text.deck_inert`); everything
    else, numbers and coordinate lists included, is returned as is (same objects
    when nothing changes).
    """
    if isinstance(obj, str):
        return deck_inert(obj)
    if isinstance(obj, dict):
        # GeoJSON "coordinates" come from shapely (numbers only) and are most of the data.
        return {
            (deck_inert(k) if isinstance(k, str) else k): v if k == "coordinates" else inert_data(v)
            for k, v in obj.items()
        }
    if isinstance(obj, (list, tuple)):
        # Paths and colours: skip lists of numbers without a call per item.
        if obj and isinstance(obj[0], (int, float)) and all(isinstance(v, (int, float)) for v in obj):
            return obj
        return type(obj)(inert_data(v) for v in obj)
    return obj


def _deck(layers: list[pdk.Layer], view: View, basemap: bool = False) -> pdk.Deck:
    # No basemap unless asked for: the default page must not make one request off the machine.
    # With map_provider=None, pydeck's default map_style is a sentinel Streamlit reads as
    # "no basemap"; map_style=None instead makes Streamlit fall back to Carto tiles.
    style = {"map_provider": "carto", "map_style": "light"} if basemap else {"map_provider": None}
    # Every deck factory (and so the offline HTML export) ends here: the one place data
    # text is made inert for deck.gl's JSON converter.
    for layer in layers:
        if isinstance(layer.data, (list, dict)):
            layer.data = inert_data(layer.data)
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=view.latitude, longitude=view.longitude, zoom=view.zoom),
        tooltip=TOOLTIP,
        views=[pdk.View(type="MapView", controller=True)],
        **style,
    )


REGIONAL_LAYERS = ("provinces", "rivers", "border", "places", "events")
SECTOR_LAYERS = ("provinces", "bands", "rivers", "border", "places", "uncertainty", "claims", "events")


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
        Which of ``REGIONAL_LAYERS`` to draw (``"uncertainty"`` adds radii).
    basemap : bool
        Opt in to an online basemap (Carto tiles); off keeps the page offline.
    aggregate : bool
        Above ``geo.aggregate.AGGREGATE_THRESHOLD`` events, draw hexagon bins
        (layer ``event-bins``) with curated events as markers on top.
    """
    out: list[pdk.Layer] = []
    if "provinces" in layers:
        # Neighbours are drawn as greyed countries, but for the provinces a shade colours.
        shaded = frozenset() if shade is None else frozenset(shade.index[shade.to_numpy() > 0].astype(str))
        drawn = provinces_for_view(admin1, view.zoom, dissolve_context=True, keep=shaded)
        out.append(province_layer(drawn, shade=shade, ndigits=digits_for(view.zoom)))
    if "rivers" in layers:
        out.append(line_layer(rivers, "rivers", RIVER_COLOUR, 1.5))
    if "border" in layers:
        out.append(line_layer(border, "border", BORDER_COLOUR, 2.5))
    if "places" in layers:
        out += place_layers(places)
    if "events" in layers:
        from geo.aggregate import AGGREGATE_THRESHOLD, aggregated_event_layers  # builds on this module

        if aggregate and len(events) > AGGREGATE_THRESHOLD:
            out += aggregated_event_layers(events, view, uncertainty="uncertainty" in layers)
        else:
            out += event_layers(event_records(events, view), uncertainty="uncertainty" in layers)
    return _deck(out, view, basemap)


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

    Shapes are clipped to :data:`SECTOR_BBOX`; the Afghan provinces facing the
    shown events are outlined; claimed points of origin are drawn as claims.
    With ``aggregate`` and more than ``geo.aggregate.AGGREGATE_THRESHOLD``
    events, events in the padded box are drawn as hexagon bins (``event-bins``).
    """
    box = SECTOR_BBOX
    pad = (box[0] - 0.5, box[1] - 0.5, box[2] + 0.5, box[3] + 0.5)
    facing = tuple(sorted({str(f) for f in events["facing_admin1"].dropna()}))
    out: list[pdk.Layer] = []
    if "provinces" in layers:
        drawn = provinces_for_view(admin1, view.zoom, bbox=pad)
        out.append(province_layer(drawn, highlight=facing, ndigits=digits_for(view.zoom)))
    if "bands" in layers:
        out.append(bands_layer(clip_to_bbox(bands, pad)))
    if "rivers" in layers:
        out.append(line_layer(clip_to_bbox(rivers, pad), "rivers", RIVER_COLOUR, 2.0))
    if "border" in layers:
        out.append(line_layer(clip_to_bbox(border, pad), "border", BORDER_COLOUR, 3.0))
    if "places" in layers:
        in_box = places.cx[pad[0] : pad[2], pad[1] : pad[3]]
        out += place_layers(in_box)
    if "claims" in layers:
        out += claim_layers(claim_records(events, claims, places))
    if "events" in layers:
        from geo.aggregate import AGGREGATE_THRESHOLD, aggregated_event_layers  # builds on this module

        if aggregate and len(events) > AGGREGATE_THRESHOLD:
            out += aggregated_event_layers(events, view, uncertainty="uncertainty" in layers, bbox=pad)
        else:
            out += event_layers(event_records(events, view), uncertainty="uncertainty" in layers)
    return _deck(out, view, basemap)


def deck_layer_ids(spec: dict) -> list[str]:
    """Layer ids of a deck spec (``json.loads(deck.to_json())``), in draw order."""
    return [layer["id"] for layer in spec.get("layers", [])]
