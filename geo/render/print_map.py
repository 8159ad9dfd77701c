"""The print renderer's map: a :class:`~geo.scene.model.Scene` drawn into a matplotlib Axes.

Layers are drawn in the scene's order by kind, in Web Mercator (EPSG:3857)
metres; sizes are the scene's CSS pixels at 0.75 pt each, times the figure's
size factor ``k``. Labels are placed without overlaps in the order of their
layer's priority (:data:`geo.scene.style.LABELS`: event numbers first, provinces
last); a label that finds no room is dropped rather than drawn over
another, except those marked as always drawn (capitals, who claims an origin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon

from geo.render.print_furniture import draw_graticule, draw_north_arrow, draw_scale_bar, scale_bar_corner
from geo.render.print_geometry import (
    Labeller,
    around,
    clip_to_extent,
    geodesic_circle,
    line_segments,
    rgb,
    scale_bar_km,
)
from geo.render.print_text import annotate, put_text
from geo.scene import style as S
from geo.scene.model import Scene, SceneLayer
from geo.scene.records import spread
from geo.scene.style import INK, PT_PER_PX
from geo.scene.view import FROM_MERC, merc
from geo.spatial.aggregate import hex_bins

#: Draw order of the layer kinds (matplotlib zorder); labels go on top of everything.
ZORDER = {
    "polygons": 1,
    "lines": 4,
    "points": 6,
    "bins": 7,
    "circles": 8,
    "leaders": 9,
    "claims": 10,
    "markers": 11,
}
Z_GRATICULE, Z_LABELS = 3, 12
SHOWN_COLUMNS = [
    "number",
    "event_id",
    "x",
    "y",
    "category",
    "date",
    "time_precision",
    "location",
    "fatalities",
    "fatalities_high",
    "injured",
    "injured_high",
    "geo_precision",
    "uncertainty_km",
]


@dataclass
class MapInfo:
    """What :func:`draw_map` drew, for the legend, the caveat and tests."""

    extent: tuple[float, float, float, float]
    shown: pd.DataFrame  # numbered events on the map: event_id, number, x, y (EPSG:3857), category …
    categories: list[str]
    outside: list[str]  # locations of placed events outside the extent
    unplaced: list[str]  # locations of events without coordinates
    estimates: int  # shown events with geo_precision ≥ 2
    radii_km: list[float]
    facing: tuple[str, ...]
    shade_max: int | None
    scale_km: int
    scale_lat: float
    claims: int
    # Above the policy's markers threshold, imported events are counted in hexagons (as on
    # the interactive map) and only curated ones are numbered markers.
    binned: int = 0  # imported events counted in hexagons on this map
    binned_outside: int = 0  # imported events outside the extent
    bin_cells: int = 0
    bin_km: float = 0.0
    bin_max: int = 0


def _inside(extent, x: float, y: float) -> bool:
    return extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]


def marker_positions(scene: Scene, m_per_pt: float, k: float) -> list[dict]:
    """The scene's markers with their drawn ``position`` at print scale (spread in points as on screen in px)."""
    step_m = S.SPREAD_PX * PT_PER_PX * k * m_per_pt * math.cos(math.radians(scene.view.latitude))
    markers = scene.markers
    return [
        {**r, "position": p, "displaced": r["ring_size"] > 1}
        for r, p in zip(markers, spread(markers, step_m), strict=True)
    ]


def off_map(scene: Scene, extent) -> list[str]:
    """Locations of the placed events drawn as markers whose coded point is outside ``extent``."""
    placed = scene.placed if scene.bins is None else scene.placed[~scene.bins.mask]
    if not len(placed):
        return []
    x, y = (
        np.asarray(v)
        for v in merc(placed.geometry.x.round(5).to_numpy(), placed.geometry.y.round(5).to_numpy())
    )
    inside = (x >= extent[0]) & (x <= extent[2]) & (y >= extent[1]) & (y <= extent[3])
    return [str(v) for v in placed.loc[~inside, "location"]]


def _polygons(ax, lyr: SceneLayer, extent, k: float) -> gpd.GeoDataFrame:
    clipped = clip_to_extent(lyr.features, extent)
    if not len(clipped):
        return clipped
    paint = lyr.paint.loc[clipped.index] if lyr.paint is not None else None
    fills = [rgb(c) for c in paint["fill"]]
    if lyr.style.get("stroked", True):
        clipped.plot(
            ax=ax, color=fills, edgecolor=rgb(S.PROVINCE_LINE), linewidth=0.5 * k, zorder=ZORDER["polygons"]
        )
    else:
        for colour, geom in zip(fills, clipped.geometry, strict=True):
            gpd.GeoSeries([geom]).plot(ax=ax, color=[colour], linewidth=0, zorder=ZORDER["polygons"] + 1)
    if paint is not None and "facing" in paint and paint["facing"].any():
        ax.add_collection(
            LineCollection(
                line_segments(clipped.geometry[paint["facing"].to_numpy()]),
                colors=[rgb(S.FACING_LINE)],
                linewidths=2.0 * k,
                zorder=ZORDER["polygons"] + 0.5,
            )
        )
    return clipped


def _lines(ax, lyr: SceneLayer, extent, k: float) -> None:
    clipped = clip_to_extent(lyr.features, extent)
    ax.add_collection(
        LineCollection(
            line_segments(clipped.geometry),
            colors=[rgb(lyr.style["colour"][:3])],
            linewidths=lyr.style["print_pt"] * k,
            zorder=ZORDER["lines"] + (0.5 if lyr.group == "border" else 0),
            capstyle="round",
        )
    )


def _points(ax, lyr: SceneLayer, extent, k: float) -> None:
    st = lyr.style
    for r in lyr.records():
        x, y = merc(*r[st.get("position", "position")])
        if not _inside(extent, x, y):
            continue
        size = r.get("print_pt", st.get("print_pt", st.get("radius", 3) * 2 * PT_PER_PX)) * k
        ax.scatter(
            [x],
            [y],
            s=[size**2],
            marker=r.get("marker", st.get("marker", "o")),
            color=rgb(st["fill"]),
            zorder=ZORDER["points"],
            linewidths=0,
        )


def _bins(ax, scene: Scene, extent, m_per_pt: float, k: float, info: dict) -> None:
    plan = scene.bins
    xmin, ymin, xmax, ymax = extent
    lon0, lat0 = FROM_MERC.transform(xmin, ymin)
    lon1, lat1 = FROM_MERC.transform(xmax, ymax)
    _, mid_lat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
    # Hexagons as wide in print as the map's are on screen (CELL_PX CSS px), measured on the ground.
    ground_m_per_pt = m_per_pt * math.cos(math.radians(mid_lat))
    cell_km = round(ground_m_per_pt * plan.cell_px * PT_PER_PX * k / 1000.0, 3)
    bins = hex_bins(plan.events, cell_km, bbox=(lon0, lat0, lon1, lat1), mask=plan.mask)
    if not len(bins):
        return
    corners = np.asarray(bins["polygon"].tolist(), dtype=float)
    bx, by = merc(corners[..., 0].ravel(), corners[..., 1].ravel())
    verts = np.stack([np.asarray(bx), np.asarray(by)], axis=-1).reshape(-1, 6, 2)
    counts = bins["count"].to_numpy()
    faces = [rgb(S.BIN_RAMP[c], S.BIN_ALPHA / 255) for c in S.bin_classes(counts, int(counts.max()))]
    ax.add_collection(
        PolyCollection(
            verts, facecolors=faces, edgecolors=(1, 1, 1, 0.7), linewidths=0.4 * k, zorder=ZORDER["bins"]
        )
    )
    inside = int(counts.sum())
    info.update(
        binned=inside,
        binned_outside=plan.count - inside,
        bin_cells=len(bins),
        bin_km=cell_km,
        bin_max=int(counts.max()),
    )


def _circles(ax, lyr: SceneLayer, extent, k: float) -> list[float]:
    radii, seen = [], set()
    for r in lyr.records():
        # One ring per coded point and radius: stacked identical rings would darken.
        key = (tuple(r["position"]), r["radius"])
        if r["radius"] <= 0 or key in seen or not _inside(extent, *merc(*r["position"])):
            continue
        seen.add(key)
        radii.append(r["radius"] / 1000)
        ax.add_patch(
            Polygon(
                geodesic_circle(*r["position"], r["radius"]),
                closed=True,
                facecolor=rgb(S.UNCERTAINTY_FILL[:3], 0.10),
                edgecolor=rgb(r["colour"]),
                linewidth=1.1 * k,
                zorder=ZORDER["circles"],
            )
        )
    return radii


def _claims(ax, lyr: SceneLayer, k: float, m_per_pt: float, lab: Labeller) -> None:
    for r in lyr.records():
        (ox, oy), (ex, ey) = merc(*r["path"][0]), merc(*r["path"][1])
        ax.add_line(
            Line2D(
                [ox, ex],
                [oy, ey],
                color=rgb(S.CLAIM_COLOUR, 0.9),
                linewidth=lyr.style["print_pt"] * k,
                linestyle=(0, (4, 2.6)),
                zorder=ZORDER["claims"],
            )
        )
        ax.scatter(
            [ox],
            [oy],
            s=[(10.5 * k) ** 2],
            facecolors=[(1, 1, 1, 0.9)],
            edgecolors=[rgb(S.CLAIM_COLOUR)],
            linewidths=1.9 * k,
            zorder=ZORDER["claims"] + 0.1,
        )
        lab.block_circle(ox, oy, 6.5 * k)


def _markers(ax, recs: list[dict], k: float, m_per_pt: float) -> None:
    for r in recs:
        if r["displaced"]:
            (x0, y0), (x1, y1) = merc(*r["true_position"]), merc(*r["position"])
            ax.add_line(
                Line2D(
                    [x0, x1],
                    [y0, y1],
                    color=rgb(S.LEADER_COLOUR),
                    linewidth=0.75 * k,
                    zorder=ZORDER["leaders"],
                )
            )
            ax.add_patch(
                Circle(
                    (x0, y0),
                    1.3 * k * m_per_pt,
                    color=rgb(S.LEADER_COLOUR),
                    zorder=ZORDER["leaders"],
                    linewidth=0,
                )
            )
    # Big markers first so small ones stay visible on top.
    for r in sorted(recs, key=lambda r: -r["radius_px"]):
        x, y = merc(*r["position"])
        colour = rgb(r["colour"])
        filled = r["filled"]
        diam = 2 * r["radius_px"] * PT_PER_PX * k
        ax.scatter(
            [x],
            [y],
            s=[diam**2],
            marker="o",
            zorder=ZORDER["markers"],
            facecolors=[colour if filled else (1, 1, 1, 1)],
            edgecolors=["white" if filled else colour],
            linewidths=(1.1 if filled else 2.2) * k,
        )


def _event_numbers(ax, recs: list[dict], k: float, lab: Labeller) -> list[dict]:
    st = S.LABELS["event-numbers"]
    rows = []
    for n, r in enumerate(recs, start=1):
        x, y = merc(*r["position"])
        tx, ty = merc(*r["true_position"])
        rad = r["radius_px"] * PT_PER_PX * k
        if r["displaced"]:
            # Away from the coded point the events are spread around.
            dx, dy = x - tx, y - ty
            norm = math.hypot(dx, dy) or 1.0
            d = rad + 4.5 * k
            cands = [(d * dx / norm, d * dy / norm, "center", "center")] + around(3.0 * k, rad)
        else:
            cands = [(rad * 0.75 + 2.5 * k, rad * 0.75 + 2.5 * k, "center", "center")] + around(3.0 * k, rad)
        dx, dy, ha, va = lab.place(x, y, str(n), st.print_pt * k, st.print_style, cands, force=True)
        annotate(
            ax,
            str(n),
            (x, y),
            (dx, dy),
            st.print_pt * k,
            st.print_style,
            ha=ha,
            va=va,
            color=INK,
            zorder=Z_LABELS,
        )
        rows.append(
            {"number": n, "event_id": r["event_id"], "x": x, "y": y, **{c: r[c] for c in SHOWN_COLUMNS[4:]}}
        )
    return rows


def _point_labels(ax, lyr: SceneLayer, extent, k: float, lab: Labeller, recs, m_per_pt: float) -> None:
    """Labels of a point layer (places, or any other): beside the point, or just outside the events
    drawn over it; a capital is bold and always labelled."""
    st = lyr.style
    # Capitals first (they win ties), each always labelled.
    feats = sorted(lyr.records(), key=lambda r: r.get("kind") != "capital")
    for r in feats:
        x, y = merc(*r[st["position"]])
        if not _inside(extent, x, y):
            continue
        capital = r.get("kind") == "capital"
        size = r.get("print_pt", 3.6) * k
        # Events coded to this place cover it: also try just outside their cluster.
        reach = [
            math.hypot(ex - x, ey - y) / m_per_pt + e["radius_px"] * PT_PER_PX * k
            for e in recs
            for ex, ey in [merc(*e["position"])]
            if math.hypot(ex - x, ey - y) / m_per_pt < e["radius_px"] * PT_PER_PX * k + 14 * k
        ]
        cands = around(3.0 * k, size / 2)
        if reach:
            d = max(reach) + 3 * k
            cands += [
                (-d, 0, "right", "center"),
                (d, 0, "left", "center"),
                (0, -d, "center", "top"),
                (0, d, "center", "bottom"),
            ]
        tsize = st["print_pt"] * k
        style = "bold" if capital else st["print_style"]
        spot = lab.place(x, y, str(r[st["text"]]), tsize, style, cands, force=capital)
        if spot:
            dx, dy, ha, va = spot
            annotate(
                ax,
                str(r[st["text"]]),
                (x, y),
                (dx, dy),
                tsize,
                style,
                ha=ha,
                va=va,
                color=rgb(st["colour"]),
                zorder=Z_LABELS,
            )


def _claim_labels(ax, lyr: SceneLayer, k: float, lab: Labeller) -> None:
    st = lyr.style
    for r in lyr.records():
        mx, my = merc(*r[st["position"]])
        # Who claims an origin is part of the claim: its label is always drawn.
        cands = [(0, -d * k, "center", "top") for d in (7, 16, 26)] + [
            (0, d * k, "center", "bottom") for d in (7, 16, 26)
        ]
        cands += [(8 * k, 0, "left", "center"), (-8 * k, 0, "right", "center")]
        text = r[st["text"]]
        spot = lab.place(mx, my, text, st["print_pt"] * k, st["print_style"], cands, force=True)
        if spot:
            dx, dy, ha, va = spot
            annotate(
                ax,
                text,
                (mx, my),
                (dx, dy),
                st["print_pt"] * k,
                st["print_style"],
                ha=ha,
                va=va,
                color=rgb(S.CLAIM_COLOUR),
                zorder=Z_LABELS,
            )


def _province_labels(ax, prov: gpd.GeoDataFrame, extent, k: float, lab: Labeller) -> None:
    xmin, ymin, xmax, ymax = extent
    area = (xmax - xmin) * (ymax - ymin)
    view_box = shapely.box(xmin, ymin, xmax, ymax)
    st = S.LABELS["province-labels"]
    size = st.print_pt * k
    for name, geom in zip(prov["name"], prov.geometry, strict=True):
        vis = shapely.intersection(geom, view_box)
        if vis.is_empty or vis.area < 0.02 * area:
            continue
        # Try the point inside the polygon, then nudges up and down from it.
        p = vis.representative_point()
        step = size * 2.2 * lab.m
        for dy in (0, step, -step, 2 * step, -2 * step):
            q = shapely.Point(p.x, p.y + dy)
            if not vis.contains(q):
                continue
            if lab.place(q.x, q.y, str(name), size, st.print_style, [(0, 0, "center", "center")]):
                put_text(
                    ax,
                    q.x,
                    q.y,
                    str(name),
                    size,
                    st.print_style,
                    color=S.PROVINCE_LABEL_COLOUR,
                    ha="center",
                    va="center",
                    zorder=Z_LABELS - 0.5,
                    halo=True,
                )
                break


def draw_map(
    ax, scene: Scene, extent: tuple[float, float, float, float], box_pt: tuple[float, float], k: float = 1.0
) -> MapInfo:
    """Draw ``scene`` into ``ax`` (Web Mercator metres), with scale bar, north arrow and labels.

    Parameters
    ----------
    ax : matplotlib Axes
        Its box must have the aspect ratio of ``extent``.
    scene : Scene
        A print scene (:class:`geo.scene.request.MapRequest` with a ``size``).
    extent : tuple
        xmin, ymin, xmax, ymax in EPSG:3857 metres.
    box_pt : tuple
        Width and height of the axes in points.
    k : float
        Size factor for text and symbols (1 ≈ a 1920 × 1080 px figure at 150 dpi).
    """
    xmin, ymin, xmax, ymax = extent
    m_per_pt = (xmax - xmin) / box_pt[0]
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_facecolor(S.MAP_BACKGROUND)
    lab = Labeller(extent, m_per_pt, box_pt)

    recs = [r for r in marker_positions(scene, m_per_pt, k) if _inside(extent, *merc(*r["true_position"]))]
    # Furniture first, so labels keep clear of it.
    lab.block(draw_scale_bar(ax, extent, k, scale_bar_corner(extent, recs, m_per_pt), m_per_pt))
    lab.block(draw_north_arrow(ax, extent, k, m_per_pt))
    for r in recs:
        lab.block_circle(*merc(*r["position"]), r["radius_px"] * PT_PER_PX * k + 1.5 * k)
    draw_graticule(ax, extent, k, Z_GRATICULE)

    bins_info = {
        "binned": 0,
        "binned_outside": scene.bins.count if scene.bins else 0,
        "bin_cells": 0,
        "bin_km": 0.0,
        "bin_max": 0,
    }
    prov, radii, claims = None, [], 0
    for lyr in scene.layers:
        if lyr.kind == "polygons":
            clipped = _polygons(ax, lyr, extent, k)
            if lyr.group == "provinces":
                prov = clipped
        elif lyr.kind == "lines" and lyr.group == "claims":
            _claims(ax, lyr, k, m_per_pt, lab)
            claims = len(lyr.features)
        elif lyr.kind == "lines":
            _lines(ax, lyr, extent, k)
        elif lyr.kind == "points" and lyr.group != "claims":
            _points(ax, lyr, extent, k)
        elif lyr.kind == "bins" and scene.bins is not None and scene.bins.mask.any():
            _bins(ax, scene, extent, m_per_pt, k, bins_info)
        elif lyr.kind == "circles":
            radii = _circles(ax, lyr, extent, k)
        elif lyr.kind == "markers":
            _markers(ax, recs, k, m_per_pt)

    # Labels, most important first: event numbers, then the text layers by priority, provinces last.
    shown_rows = _event_numbers(ax, recs, k, lab) if scene.layer("events") is not None else []
    for lyr in sorted((lyr for lyr in scene.layers if lyr.kind == "text"), key=lambda lyr: lyr.priority):
        if lyr.group == "claims":
            _claim_labels(ax, lyr, k, lab)
        else:
            _point_labels(ax, lyr, extent, k, lab, recs, m_per_pt)
    if prov is not None:
        _province_labels(ax, prov, extent, k, lab)

    ax.set_xlabel("")
    ax.set_ylabel("")
    shown = pd.DataFrame(shown_rows, columns=SHOWN_COLUMNS)
    km, _ = scale_bar_km(extent)
    _, clat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
    return MapInfo(
        extent=extent,
        shown=shown,
        categories=sorted(set(shown["category"]), key=lambda c: (c not in S.FILLED, c)),
        outside=off_map(scene, extent),
        unplaced=list(scene.unplaced),
        estimates=int((shown["geo_precision"] >= 2).sum()) if len(shown) else 0,
        radii_km=sorted(set(radii)),
        facing=scene.facing,
        shade_max=scene.shade_max,
        scale_km=km,
        scale_lat=clat,
        claims=claims,
        **bins_info,
    )
