"""Builders of the data layers: events (markers or hexagon bins), uncertainty radii and claimed points of origin, with their legend entries.

Each builder takes the shared :class:`~geo.scene.context.Ctx` and returns
:class:`~geo.scene.model.SceneLayer` records (or legend entries);
:data:`geo.scene.layers.REGISTRY` names them.
"""

from __future__ import annotations

from geo.scene import style as S
from geo.scene.basemap import _text_layer
from geo.scene.context import LEGEND_TEXT, Ctx
from geo.scene.model import LegendEntry, SceneLayer
from geo.scene.records import claim_records, marker_records
from geo.spatial.aggregate import bin_records, cell_km_for, hex_bins


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
