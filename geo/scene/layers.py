"""The layer registry: every layer group of the maps, declared once.

A :class:`LayerDef` says which pages offer a group (and whether it is on by
default), how its :class:`~geo.scene.model.SceneLayer` records are built from
the data, and what its legend entries are. The deck, print and HTML renderers
draw any layer of a known kind, so a new group is one entry here.
Registry order is draw order (bottom first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from geo.data.paths import DATA_DIR
from geo.data.problems import DataError
from geo.frontier.chainage import frontier_line
from geo.frontier.reference import LANDMARKS_CSV, load_landmarks
from geo.scene import style as S
from geo.scene.model import BinPlan, LegendEntry, SceneLayer
from geo.scene.policy import binned_mask, bins_on
from geo.scene.records import claim_records, marker_records, place_records
from geo.scene.view import SECTOR_BBOX, SECTOR_PAD_DEG, View, padded
from geo.spatial.aggregate import bin_records, cell_km_for, hex_bins
from geo.spatial.provinces import digits_for, provinces_for_view

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


@dataclass(frozen=True)
class LayerDef:
    """One layer group: where it is offered, how it is built, how it is explained."""

    group: str
    label: str
    pages: dict[str, bool]  # page → on by default
    build: Callable[[Ctx], list[SceneLayer]]
    legend: Callable[[Ctx], list[LegendEntry]]
    legend_rank: int


# --------------------------------------------------------------------------- builders


def _provinces(ctx: Ctx) -> list[SceneLayer]:
    admin1, view = ctx.data.admin1, ctx.view
    if not ctx.screen:
        drawn = admin1
    elif ctx.page == "regional":
        # Neighbours are drawn as greyed countries, but for the provinces a shade colours.
        sv = ctx.shade_values
        keep = frozenset() if sv is None else frozenset(sv.index[sv.to_numpy() > 0].astype(str))
        drawn = provinces_for_view(admin1, view.zoom, dissolve_context=True, keep=keep)
    else:
        drawn = provinces_for_view(admin1, view.zoom, bbox=ctx.pad)
    fills = [list(S.COUNTRY_FILL.get(c, S.CONTEXT_FILL)) + [255] for c in drawn["country"]]
    if ctx.shade_values is not None:
        values = ctx.shade_values.reindex(drawn["adm1_code"]).fillna(0).to_numpy()
        fills = [list(S.SHADE_RAMP[k]) + [255] for k in S.shade_classes(values)]
    context = ~drawn["country"].isin(list(S.COUNTRY_FILL)).to_numpy()
    facing = set(ctx.facing)
    paint = pd.DataFrame(
        {
            "fill": fills,
            "line": [
                [*S.FACING_LINE, 255] if n in facing else [*(S.CONTEXT_LINE if c else S.PROVINCE_LINE), 255]
                for n, c in zip(drawn["name"], context, strict=True)
            ],
            "line_px": [
                3.0 if n in facing else 0.6 if c else 0.8 for n, c in zip(drawn["name"], context, strict=True)
            ],
            "facing": [n in facing for n in drawn["name"]],
        },
        index=drawn.index,
    )
    style = {"props": ["adm1_code", "name"], "fill": "fill", "line": "line", "line_width": "line_px"}
    return [
        SceneLayer(
            "provinces",
            "provinces",
            "polygons",
            drawn,
            style,
            ndigits=digits_for(view.zoom) if ctx.screen else 6,
            paint=paint,
        )
    ]


def _provinces_legend(ctx: Ctx) -> list[LegendEntry]:
    out = []
    if ctx.shade_values is not None:
        top = int(ctx.shade_values.max()) if len(ctx.shade_values) else 0
        out.append(
            LegendEntry(
                "provinces",
                f"Provinces shaded by {ctx.shade}: 0 (light) to {top} (dark)",
                "ramp",
                style={"ramp": S.SHADE_RAMP},
            )
        )
    else:
        for code in ("TJ", "AF"):
            out.append(
                LegendEntry(
                    "provinces", f"Province of {S.COUNTRY_NAMES[code]}", "patch", S.COUNTRY_FILL[code]
                )
            )
    if ctx.facing:
        out.append(
            LegendEntry(
                "provinces",
                "Province facing the events across the border: " + ", ".join(ctx.facing),
                "outline",
                S.FACING_LINE,
                {"fill": S.COUNTRY_FILL["AF"]},
            )
        )
    return out


def _bands(ctx: Ctx) -> list[SceneLayer]:
    if ctx.data.bands is None:
        return []
    gdf = ctx.clip(ctx.data.bands)
    alpha = dict(zip(ctx.data.bands["outer_km"], S.band_alphas(len(ctx.data.bands)), strict=True))
    if ctx.screen:  # alphas over the bands drawn, as deck.gl's layer has always had them
        alpha = dict(zip(gdf["outer_km"], S.band_alphas(len(gdf)), strict=True))
    paint = pd.DataFrame({"fill": [[*S.BAND_COLOUR, alpha[o]] for o in gdf["outer_km"]]}, index=gdf.index)
    style = {"props": ["label", "outer_km"], "fill": "fill", "stroked": False}
    return [SceneLayer("border-bands", "bands", "polygons", gdf, style, paint=paint)]


def _bands_label(ctx: Ctx) -> str:
    b = ctx.data.bands
    if b is None or not len(b):
        return LEGEND_TEXT["bands"]
    return (
        " / ".join(f"{i:g}–{o:g}" for i, o in zip(b["inner_km"], b["outer_km"], strict=True))
        + " km from the border"
    )


def _line(group: str) -> Callable[[Ctx], list[SceneLayer]]:
    def build(ctx: Ctx) -> list[SceneLayer]:
        ls = S.LINES[group]
        gdf = ctx.clip(getattr(ctx.data, group))
        style = {"colour": [*ls.colour, 255], "width": ls.screen_px[ctx.page], "print_pt": ls.print_pt}
        return [SceneLayer(group, group, "lines", gdf, style)]

    return build


def _line_legend(group: str) -> Callable[[Ctx], list[LegendEntry]]:
    def legend(ctx: Ctx) -> list[LegendEntry]:
        ls = S.LINES[group]
        return [LegendEntry(group, LEGEND_TEXT[group], "line", ls.colour, {"width": ls.print_pt})]

    return legend


def _text_layer(layer_id: str, group: str, recs: list[dict], position: str, text: str) -> SceneLayer:
    ls = S.LABELS[layer_id]
    style = {
        "position": position,
        "text": text,
        "size": ls.size_px,
        "colour": list(ls.colour),
        "offset": list(ls.offset_px),
        "print_pt": ls.print_pt,
        "print_style": ls.print_style,
    }
    return SceneLayer(layer_id, group, "text", recs, style, priority=ls.priority)


def _places(ctx: Ctx) -> list[SceneLayer]:
    places = ctx.data.places
    if ctx.screen and ctx.pad is not None:
        p = ctx.pad
        places = places.cx[p[0] : p[2], p[1] : p[3]]
    recs = [{**r, **S.PLACE_MARKS[r["kind"]]} for r in place_records(places)]
    dots = SceneLayer(
        "places",
        "places",
        "points",
        recs,
        {
            "position": "position",
            "radius": 3,
            "radius_units": "pixels",
            "fill": [*S.PLACE_COLOUR, 255],
            "fields": ["name", "position"],
        },
    )
    labels = _text_layer("place-labels", "places", recs, "position", "name")
    labels.style["fields"] = ["name", "position"]
    return [dots, labels]


_LANDMARKS: dict[tuple, pd.DataFrame] = {}


def landmark_points(border: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """``data/landmarks.csv`` placed by :func:`geo.frontier.reference.load_landmarks` (``label``, ``lon``, ``lat``).

    Cached on the file's stamp and the places' ids and coordinates (the inputs that
    place a landmark), so an edited file is read again on the next scene.
    """
    path = DATA_DIR / LANDMARKS_CSV
    stat = path.stat() if path.is_file() else None
    key = (
        str(path),
        stat and (stat.st_size, stat.st_mtime_ns),
        tuple(places["place_id"]),
        tuple(places.geometry.to_wkt()),
    )
    if key not in _LANDMARKS:
        if len(_LANDMARKS) >= 4:
            _LANDMARKS.clear()
        _LANDMARKS[key] = load_landmarks(frontier_line(border), places, DATA_DIR)
    return _LANDMARKS[key]


def _landmarks(ctx: Ctx) -> list[SceneLayer]:
    try:
        lm = landmark_points(ctx.data.border, ctx.data.places)
    except DataError as exc:  # the bundle's places do not place them: say so, draw none
        ctx.notes["landmarks"] = f"Landmarks not drawn: {exc}"
        return []
    if ctx.screen and ctx.pad is not None:
        p = ctx.pad
        lm = lm[lm["lon"].between(p[0], p[2]) & lm["lat"].between(p[1], p[3])]
    recs = [
        {"name": n, "position": [round(x, 4), round(y, 4)]}
        for n, x, y in zip(lm["label"], lm["lon"], lm["lat"], strict=True)
    ]
    dots = SceneLayer(
        "landmarks",
        "landmarks",
        "points",
        recs,
        {
            "position": "position",
            "radius": 5,
            "radius_units": "pixels",
            "fill": [*S.LANDMARK_COLOUR, 255],
            "stroked": True,
            "line": [255, 255, 255, 255],
            "line_width": 1.5,
            "print_pt": 5.5,
        },
    )
    return [dots, _text_layer("landmark-labels", "landmarks", recs, "position", "name")]


def _landmarks_legend(ctx: Ctx) -> list[LegendEntry]:
    return [
        LegendEntry(
            "landmarks",
            "Landmark along the border (data/landmarks.csv)",
            "disc",
            S.LANDMARK_COLOUR,
            {"filled": True},
        )
    ]


def _claims(ctx: Ctx) -> list[SceneLayer]:
    recs = claim_records(ctx.data.events, ctx.data.claims, ctx.data.places)
    colour = list(S.CLAIM_COLOUR)
    links = SceneLayer(
        "claim-links",
        "claims",
        "lines",
        recs,
        {"path": "path", "colour": [*colour, 230], "width": 2.5, "dash": [6, 4], "print_pt": 1.9},
    )
    origins = SceneLayer(
        "claim-origins",
        "claims",
        "points",
        recs,
        {
            "position": "origin",
            "radius": 7,
            "radius_units": "pixels",
            "filled": True,
            "fill": [255, 255, 255, 230],
            "stroked": True,
            "line": [*colour, 255],
            "line_width": 2.5,
        },
        pickable=True,
    )
    return [links, origins, _text_layer("claim-labels", "claims", recs, "mid", "label")]


def _events(ctx: Ctx) -> list[SceneLayer]:
    out = []
    if ctx.bins is not None:
        feats = []
        if ctx.screen:
            cell_km = cell_km_for(ctx.view, ctx.bins.cell_px)
            feats = bin_records(
                hex_bins(ctx.bins.events, cell_km, ctx.bins.bbox, mask=ctx.bins.mask), cell_km
            )
        out.append(
            SceneLayer(
                "event-bins",
                "events",
                "bins",
                feats,
                {
                    "polygon": "polygon",
                    "fill": "fill",
                    "line": list(S.BIN_EDGE),
                    "line_width": 1,
                    "highlight": True,
                },
                pickable=True,
            )
        )
    markers = marker_records(ctx.markers_frame)
    if "uncertainty" in ctx.visible:
        circles = [
            {"position": r["true_position"], "radius": r["uncertainty_m"], "colour": r["colour"]}
            for r in markers
            if r["uncertainty_m"] > 0
        ]
        out.append(
            SceneLayer(
                "uncertainty",
                "uncertainty",
                "circles",
                circles,
                {
                    "position": "position",
                    "radius": "radius",
                    "radius_units": "meters",
                    "filled": True,
                    "fill": list(S.UNCERTAINTY_FILL),
                    "stroked": True,
                    "line": "colour",
                    "line_width": 1.5,
                },
            )
        )
    leaders = [{"event_id": r["event_id"]} for r in markers if r["ring_size"] > 1]
    out.append(
        SceneLayer(
            "event-leaders", "events", "leaders", leaders, {"colour": [*S.LEADER_COLOUR, 200], "width": 1}
        )
    )
    out.append(
        SceneLayer(
            "events",
            "events",
            "markers",
            markers,
            {
                "radius": "radius_px",
                "radius_units": "pixels",
                "filled": True,
                "stroked": True,
                "fill": "fill",
                "line": "line",
                "line_width": "line_px",
                "opacity": 1.0,
                "highlight": True,
            },
            pickable=True,
        )
    )
    return out


def _events_legend(ctx: Ctx) -> list[LegendEntry]:
    out = [
        LegendEntry(
            "events",
            cat,
            "disc" if cat in S.FILLED else "ring",
            S.CATEGORY_COLOURS.get(cat, S.CATEGORY_COLOURS["other"]),
            {"filled": cat in S.FILLED},
        )
        for cat in ctx.categories
    ]
    out.append(LegendEntry("events", LEGEND_TEXT["markers"], "note", explanation="numbers: key below"))
    if ctx.bins is not None and ctx.bins.count:
        out.append(
            LegendEntry(
                "events",
                "Imported events counted in hexagons (darker = more, log scale)",
                "hexes",
                style={"ramp": [S.BIN_RAMP[i] for i in (1, 3, 5)], "alpha": S.BIN_ALPHA},
            )
        )
    return out


def _uncertainty(ctx: Ctx) -> list[SceneLayer]:
    return []  # drawn with the events (under their markers): see _events


def _uncertainty_legend(ctx: Ctx) -> list[LegendEntry]:
    if "events" not in ctx.visible:
        return []
    return [LegendEntry("uncertainty", LEGEND_TEXT["uncertainty"], "circle", S.CATEGORY_COLOURS["attack"])]


def _claims_legend(ctx: Ctx) -> list[LegendEntry]:
    return [LegendEntry("claims", LEGEND_TEXT["claims"], "dashed", S.CLAIM_COLOUR)]


def _places_legend(ctx: Ctx) -> list[LegendEntry]:
    return [LegendEntry("places", LEGEND_TEXT["places"], "dots", S.PLACE_COLOUR)]


def _bands_legend(ctx: Ctx) -> list[LegendEntry]:
    return [LegendEntry("bands", _bands_label(ctx), "bands", S.BAND_COLOUR, {"alphas": S.band_alphas(3)})]


BOTH = {"regional": True, "sector": True}
REGISTRY: tuple[LayerDef, ...] = (
    LayerDef("provinces", "Provinces", BOTH, _provinces, _provinces_legend, 90),
    LayerDef("bands", "Distance bands", {"sector": True}, _bands, _bands_legend, 60),
    LayerDef("rivers", "Rivers", BOTH, _line("rivers"), _line_legend("rivers"), 50),
    LayerDef("border", "Border", BOTH, _line("border"), _line_legend("border"), 40),
    LayerDef("places", "Places", BOTH, _places, _places_legend, 70),
    LayerDef("landmarks", "Landmarks", BOTH, _landmarks, _landmarks_legend, 75),
    LayerDef("claims", "Claimed origins", {"sector": True}, _claims, _claims_legend, 30),
    LayerDef(
        "uncertainty",
        "Uncertainty radii",
        {"regional": False, "sector": True},
        _uncertainty,
        _uncertainty_legend,
        20,
    ),
    LayerDef("events", "Events", BOTH, _events, _events_legend, 10),
)
BY_GROUP = {d.group: d for d in REGISTRY}


def page_layers(page: str, default_only: bool = False) -> tuple[str, ...]:
    """Layer groups a page offers: its defaults in toggle order, then the ones it offers switched off."""
    on = tuple(d.group for d in TOGGLE_ORDER if d.pages.get(page) is True)
    off = tuple(d.group for d in TOGGLE_ORDER if d.pages.get(page) is False)
    return on if default_only else on + off


# Toggles read in the order an analyst thinks of them (events last), not draw order.
TOGGLE_ORDER = tuple(
    BY_GROUP[g]
    for g in ("provinces", "bands", "rivers", "border", "places", "uncertainty", "claims", "events")
) + tuple(
    d
    for d in REGISTRY
    if d.group not in ("provinces", "bands", "rivers", "border", "places", "uncertainty", "claims", "events")
)


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
