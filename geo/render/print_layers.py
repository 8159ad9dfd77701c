"""The print map's layers by kind, drawn into a matplotlib Axes in Web Mercator metres: polygons, lines, points, hexagon bins, uncertainty circles, claimed origins and event markers.

Sizes are the scene's CSS pixels at 0.75 pt each, times the figure's size
factor ``k``; :data:`ZORDER` fixes the draw order of the kinds (labels, in
:mod:`geo.render.print_labels`, go on top). :func:`geo.render.print_map.draw_map`
calls one drawer per layer.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon

from geo.render.print_geometry import (
    Labeller,
    clip_to_extent,
    geodesic_circle,
    line_segments,
    rgb,
)
from geo.scene import style as S
from geo.scene.model import Scene, SceneLayer
from geo.scene.records import spread
from geo.scene.style import PT_PER_PX
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
