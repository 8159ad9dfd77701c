"""Builders of the base map's layers: provinces, distance bands, rivers and border, places and landmarks, with their legend entries.

Each builder takes the shared :class:`~geo.scene.context.Ctx` and returns
:class:`~geo.scene.model.SceneLayer` records (or legend entries);
:data:`geo.scene.layers.REGISTRY` names them.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd

from geo.data.paths import DATA_DIR
from geo.data.problems import DataError
from geo.frontier.chainage import frontier_line
from geo.frontier.reference import LANDMARKS_CSV, load_landmarks
from geo.scene import style as S
from geo.scene.context import LEGEND_TEXT, Ctx
from geo.scene.model import LegendEntry, SceneLayer
from geo.scene.records import place_records
from geo.spatial.provinces import digits_for, provinces_for_view


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


def _places_legend(ctx: Ctx) -> list[LegendEntry]:
    return [LegendEntry("places", LEGEND_TEXT["places"], "dots", S.PLACE_COLOUR)]


def _bands_legend(ctx: Ctx) -> list[LegendEntry]:
    b = ctx.data.bands
    if b is None or not len(b):
        return [LegendEntry("bands", _bands_label(ctx), "bands", S.BAND_COLOUR, {"alphas": S.band_alphas(3)})]
    # One swatch per band, at the band's own tint (issue 12), nearest first.
    alphas = S.band_alphas(len(b))
    return [
        LegendEntry("bands", f"{i:g}–{o:g} km from the border", "bands", S.BAND_COLOUR, {"alphas": [a]})
        for i, o, a in zip(b["inner_km"], b["outer_km"], alphas, strict=True)
    ]
