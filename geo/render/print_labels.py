"""Labels of the print map: event numbers, place and point labels, who claims an origin, and province names, placed without overlaps.

:func:`geo.render.print_map.draw_map` calls these in the order of their
layer's priority (:data:`geo.scene.style.LABELS`) with one shared
:class:`~geo.render.print_geometry.Labeller`; a label that finds no room is
dropped rather than drawn over another, except those marked as always drawn.
"""

from __future__ import annotations

import math

import geopandas as gpd
import shapely

from geo.render.print_geometry import (
    Labeller,
    around,
    rgb,
)
from geo.render.print_layers import Z_LABELS, _inside
from geo.render.print_text import annotate, put_text
from geo.scene import style as S
from geo.scene.model import SceneLayer
from geo.scene.style import INK, PT_PER_PX
from geo.scene.view import merc

#: Columns of :attr:`geo.render.print_map.MapInfo.shown`, one row per numbered event.
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
    "border_km_min",
    "border_km_max",
    "border_distance_km",
]


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
            {
                "number": n,
                "event_id": r["event_id"],
                "x": x,
                "y": y,
                **{c: r.get(c) for c in SHOWN_COLUMNS[4:]},
            }
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
