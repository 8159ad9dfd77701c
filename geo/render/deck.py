"""The deck renderer: a :class:`~geo.scene.model.Scene` as a pydeck Deck with explicit layer ids.

Everything here is deterministic (same scene → same JSON), so decks can be
compared with committed snapshots. Text from data reaches a tooltip only through
the plain-text ``tip_*`` fields of a record, filled into the fixed HTML of
:data:`TOOLTIP`: Streamlit escapes each value as it fills the template; for
renderers that do not (pydeck's standalone bundle), :func:`escape_tooltips`
escapes them first. Every string in layer data is made inert for deck.gl's
JSON converter (:func:`inert_data`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pydeck as pdk
import shapely

from geo.report.text import DECK_PREFIX, INERT_MARK, deck_inert, html_escape
from geo.scene import style as S
from geo.scene.model import Scene, SceneLayer
from geo.scene.records import TIP_FIELDS, spread
from geo.scene.view import View, metres_per_pixel

#: pydeck turns every plain string argument into a JavaScript accessor expression
#: ("@@=pixels"); literal strings (units, fonts) must be wrapped to stay strings.
_LIT = pdk.types.String

TOOLTIP = {
    "html": "<b>{tip_title}</b><br/>{tip_1}<br/>{tip_2}<br/>{tip_3}",
    "style": {"backgroundColor": "white", "color": "#222", "fontSize": "12px", "border": "1px solid #999"},
}


def _round_coords(geom, ndigits: int = 4):
    # 4 decimals ≈ 11 m: below what the 1:10M shapes resolve, and it halves the payload.
    return shapely.set_precision(geom, 10**-ndigits) if geom is not None else geom


def geojson(gdf: gpd.GeoDataFrame, props: list[str], ndigits: int = 4) -> dict:
    """A FeatureCollection of ``gdf`` with ``props`` as properties, coordinates to ``ndigits`` decimals."""
    feats = []
    for rec, geom in zip(gdf[props].to_dict("records"), gdf.geometry, strict=True):
        g = _round_coords(geom, ndigits)
        feats.append({"type": "Feature", "properties": rec, "geometry": shapely.geometry.mapping(g)})
    return {"type": "FeatureCollection", "features": feats}


def paths(gdf: gpd.GeoDataFrame, props: list[str], ndigits: int = 4) -> list[dict]:
    """One ``{**props, "path": [[lon, lat], …]}`` record per line part of ``gdf``."""
    out = []
    for rec, geom in zip(gdf[props].to_dict("records"), gdf.geometry, strict=True):
        parts = geom.geoms if hasattr(geom, "geoms") else [geom]
        for part in parts:
            coords = np.round(np.asarray(part.coords)[:, :2], ndigits).tolist()
            out.append({**rec, "path": coords})
    return out


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
                            rec[k] = html_escape(rec[k])
    return out


def char_set(*texts: str) -> list[str]:
    """Characters a TextLayer must put in its font atlas (sorted, so the JSON is stable).

    deck.gl's default atlas is ASCII only; place names carry ŭ, ā, ī and dashes.
    Text that :func:`inert_data` will mark needs the mark in the atlas too.
    """
    chars = set("".join(texts)) | set(" -0123456789")
    if any(t.startswith(DECK_PREFIX) for t in texts):
        chars.add(INERT_MARK)
    return sorted(chars)


def inert_data(obj):
    """Layer data with every string (value or key) deck.gl would read as code made inert.

    The JSON converter walks layer ``data`` too, so an imported place called
    ``@@=x()`` would be compiled as an expression and ``@@#ZZZ`` looked up as a
    constant (the map then fails to draw). Such strings get
    :data:`geo.report.text.INERT_MARK` in front (:func:`geo.report.text.deck_inert`); everything
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


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact and key-sorted.

    pydeck pretty-prints (indent=2), which roughly doubles what Streamlit sends
    to the browser on every rerun; sorted keys also make snapshots stable.
    """

    def to_json(self) -> str:
        return json.dumps(
            json.loads(super().to_json()), separators=(",", ":"), sort_keys=True, ensure_ascii=False
        )


# --------------------------------------------------------------------------- layer kinds


def _data(lyr: SceneLayer) -> list[dict]:
    """The layer's records, cut to ``style["fields"]`` when it names the ones a screen needs."""
    fields = lyr.style.get("fields")
    recs = lyr.records()
    return recs if fields is None else [{k: r[k] for k in fields} for r in recs]


def _stroke(style: dict, kw: dict) -> None:
    # A style value is a constant or a feature-field name: deck.gl reads both as accessors.
    if "filled" in style:
        kw["filled"] = style["filled"]
    if "fill" in style:
        kw["get_fill_color"] = style["fill"]
    if "stroked" in style:
        kw["stroked"] = style["stroked"]
    if "line" in style:
        kw["get_line_color"] = style["line"]
    if "line_width" in style:
        kw["get_line_width"] = style["line_width"]
        kw["line_width_units"] = _LIT("pixels")


def _polygons(lyr: SceneLayer, view: View) -> pdk.Layer:
    st = lyr.style
    gdf = lyr.features
    cols = list(lyr.paint.columns) if lyr.paint is not None else []
    fields = [c for c in cols if c in (st.get("fill"), st.get("line"), st.get("line_width"))]
    if fields:
        gdf = gdf[[*st["props"], "geometry"]].join(lyr.paint[fields])
    data = geojson(gdf, [*st["props"], *fields], ndigits=lyr.ndigits)
    kw = {"stroked": st.get("stroked", True), "filled": True, "get_fill_color": f"properties.{st['fill']}"}
    if kw["stroked"]:
        kw["get_line_color"] = f"properties.{st['line']}"
        kw["get_line_width"] = f"properties.{st['line_width']}"
        kw["line_width_units"] = _LIT("pixels")
    return pdk.Layer("GeoJsonLayer", id=lyr.id, data=data, pickable=lyr.pickable, **kw)


def _lines(lyr: SceneLayer, view: View) -> pdk.Layer:
    st = lyr.style
    data = paths(lyr.features, ["name"]) if isinstance(lyr.features, gpd.GeoDataFrame) else lyr.records()
    kw = {}
    if "dash" in st:
        kw = {
            "get_dash_array": st["dash"],
            "dash_justified": True,
            "extensions": [{"@@type": "PathStyleExtension", "dash": True}],
        }
    return pdk.Layer(
        "PathLayer",
        id=lyr.id,
        data=data,
        get_path="path",
        get_color=st["colour"],
        get_width=st["width"],
        width_units=_LIT("pixels"),
        pickable=lyr.pickable,
        **kw,
    )


def _points(lyr: SceneLayer, view: View, data: list[dict] | None = None) -> pdk.Layer:
    st = lyr.style
    kw: dict = {}
    if "opacity" in st:
        kw["opacity"] = st["opacity"]  # deck.gl's default 0.8 washes the palette out
    _stroke(st, kw)
    if st.get("highlight"):
        kw["auto_highlight"] = True
    return pdk.Layer(
        "ScatterplotLayer",
        id=lyr.id,
        data=_data(lyr) if data is None else data,
        get_position=st.get("position", "position"),
        get_radius=st["radius"],
        radius_units=_LIT(st["radius_units"]),
        pickable=lyr.pickable,
        **kw,
    )


def _text(lyr: SceneLayer, view: View) -> pdk.Layer:
    st = lyr.style
    recs = lyr.records()
    return pdk.Layer(
        "TextLayer",
        id=lyr.id,
        data=_data(lyr),
        get_position=st["position"],
        get_text=st["text"],
        get_size=st["size"],
        get_color=st["colour"],
        get_pixel_offset=st["offset"],
        font_family=_LIT(S.FONT_FAMILY),
        character_set=_LIT("".join(char_set(*(r[st["text"]] for r in recs)))),
        outline_width=2,
        outline_color=[255, 255, 255, 255],
        font_settings={"sdf": True},
        pickable=False,
    )


def _bins(lyr: SceneLayer, view: View) -> pdk.Layer:
    st = lyr.style
    kw: dict = {}
    _stroke({k: st[k] for k in ("line", "line_width") if k in st}, kw)
    return pdk.Layer(
        "PolygonLayer",
        id=lyr.id,
        data=lyr.records(),
        get_polygon=st["polygon"],
        get_fill_color=st["fill"],
        stroked=True,
        filled=True,
        pickable=lyr.pickable,
        auto_highlight=bool(st.get("highlight")),
        **kw,
    )


#: Keys of a marker record the deck sends (the rest is for print and tests).
MARKER_KEYS = (
    "event_id",
    "position",
    "true_position",
    "displaced",
    "fill",
    "line",
    "line_px",
    "radius_px",
    "uncertainty_m",
    "colour",
    *TIP_FIELDS,
)


def marker_data(markers: list[dict], view: View, spread_px: float | None = None) -> list[dict]:
    """Deck records of the scene's markers, co-located ones ``spread_px`` (default
    :data:`geo.scene.style.SPREAD_PX`) apart at ``view``'s zoom."""
    px = S.SPREAD_PX if spread_px is None else spread_px
    step_m = px * metres_per_pixel(view.latitude, view.zoom)
    out = []
    for r, pos in zip(markers, spread(markers, step_m), strict=True):
        rec = {k: r[k] for k in MARKER_KEYS if k in r}
        rec["position"], rec["displaced"] = pos, r["ring_size"] > 1
        out.append(rec)
    return out


def draw_layers(scene: Scene) -> list[pdk.Layer]:
    """The pydeck layers of ``scene``, in its order."""
    view = scene.view
    markers = marker_data(scene.markers, view)
    by_id = {r["event_id"]: r for r in markers}
    out = []
    for lyr in scene.layers:
        if lyr.kind == "polygons":
            out.append(_polygons(lyr, view))
        elif lyr.kind == "lines":
            out.append(_lines(lyr, view))
        elif lyr.kind in ("points", "circles"):
            out.append(_points(lyr, view))
        elif lyr.kind == "markers":
            out.append(_points(lyr, view, data=markers))
        elif lyr.kind == "leaders":
            data = [
                {"path": [by_id[r["event_id"]]["true_position"], by_id[r["event_id"]]["position"]]}
                for r in lyr.features
            ]
            out.append(
                pdk.Layer(
                    "PathLayer",
                    id=lyr.id,
                    data=data,
                    get_path="path",
                    get_color=lyr.style["colour"],
                    get_width=lyr.style["width"],
                    width_units=_LIT("pixels"),
                    pickable=False,
                )
            )
        elif lyr.kind == "text":
            out.append(_text(lyr, view))
        elif lyr.kind == "bins":
            out.append(_bins(lyr, view))
        else:
            raise ValueError(f"layer {lyr.id}: the deck renderer cannot draw kind {lyr.kind!r}")
    return out


def to_deck(layers: list[pdk.Layer], view: View, basemap: bool = False) -> pdk.Deck:
    """A :class:`CompactDeck` of ``layers`` at ``view``; every layer's data made inert first."""
    # No basemap unless asked for: the default page must not make one request off the machine.
    # With map_provider=None, pydeck's default map_style is a sentinel Streamlit reads as
    # "no basemap"; map_style=None instead makes Streamlit fall back to Carto tiles.
    style = {"map_provider": "carto", "map_style": "light"} if basemap else {"map_provider": None}
    # Every deck (and so the offline HTML export) ends here: the one place data
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


def draw(scene: Scene, basemap: bool = False) -> pdk.Deck:
    """The deck of ``scene`` (``basemap``: opt in to online Carto tiles; off keeps the page offline)."""
    return to_deck(draw_layers(scene), scene.view, basemap)


#: A layer whose data serialises to at least this many bytes is sent by URL when the app can
#: publish files (:func:`publish_layer_data`): the province fills, rivers and border lines
#: (~115 KB of the regional deck's 126 KB) then cost one cached fetch instead of riding in
#: the deck JSON of every rerun of every page (issue 13's 40 KB goal).
PUBLISH_MIN_BYTES = 4096


def _plain(v):
    # numpy scalars (counts, radii) from the scene's records; anything else is a bug upstream.
    if isinstance(v, np.generic):
        return v.item()
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


def publish_layer_data(
    deck: pdk.Deck, publish: Callable[[bytes], str], min_bytes: int = PUBLISH_MIN_BYTES
) -> pdk.Deck:
    """``deck`` with each large context layer's data replaced by the URL ``publish`` returns for it.

    Parameters
    ----------
    deck : pydeck.Deck
        A deck from :func:`to_deck` (its data already made inert).
    publish : callable
        Stores the JSON bytes of one layer's data and returns a URL the browser can fetch them
        from (same origin: nothing leaves the machine). The bytes are deterministic (sorted
        keys, compact), so equal data gets the same URL and the browser's cache.
    min_bytes : int
        Smaller data stays inline (a fetch costs more than it saves).

    Returns
    -------
    pydeck.Deck
        The same deck object, changed in place. deck.gl loads a string ``data`` as a URL;
        the fetched JSON is not read by its JSON converter, so ``@@`` text stays inert there too.
    """
    for layer in deck.layers:
        # Pickable layers (events, claimed origins) stay inline: they change with every filter and
        # selection, and a click must find them drawn the moment the rerun's deck arrives.
        if not isinstance(layer.data, (list, dict)) or getattr(layer, "pickable", False):
            continue
        payload = json.dumps(
            layer.data, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=_plain
        ).encode()
        if len(payload) >= min_bytes:
            layer.data = publish(payload)
    return deck


def deck_layer_ids(spec: dict) -> list[str]:
    """Layer ids of a deck spec (``json.loads(deck.to_json())``), in draw order."""
    return [layer["id"] for layer in spec.get("layers", [])]
