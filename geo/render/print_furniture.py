"""Map furniture of the print renderer: graticule, scale bar, north arrow, locator inset."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle

from geo.render.print_geometry import (
    deg_label,
    graticule_step,
    line_segments,
    projected,
    rgb,
    scale_bar_km,
)
from geo.render.print_text import font, put_text, text_width
from geo.scene import style as S
from geo.scene.style import FRAME, INK, MUTED
from geo.scene.view import FROM_MERC, merc
from geo.spatial.provinces import TOLERANCES_DEG, simplified


def draw_graticule(ax, extent, k: float, zorder: int) -> None:
    xmin, ymin, xmax, ymax = extent
    lon0, lat0 = FROM_MERC.transform(xmin, ymin)
    lon1, lat1 = FROM_MERC.transform(xmax, ymax)
    step = graticule_step(max(lon1 - lon0, lat1 - lat0))
    lons = np.arange(math.ceil(lon0 / step) * step, lon1, step)
    lats = np.arange(math.ceil(lat0 / step) * step, lat1, step)
    xs = [merc(v, lat0)[0] for v in lons]
    ys = [merc(lon0, v)[1] for v in lats]
    style = {"color": (0.35, 0.35, 0.35, 0.35), "linewidth": 0.35 * k, "zorder": zorder}
    for x in xs:
        ax.add_line(Line2D([x, x], [ymin, ymax], **style))
    for y in ys:
        ax.add_line(Line2D([xmin, xmax], [y, y], **style))
    ax.set_xticks(xs, [deg_label(v, "E", "W") for v in lons])
    ax.set_yticks(ys, [deg_label(v, "N", "S") for v in lats])
    ax.tick_params(length=2.5 * k, width=0.5 * k, colors=MUTED, labelsize=6.0 * k, pad=1.5 * k)
    for t in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        t.set_fontproperties(font(6.0 * k))
    for side in ax.spines.values():
        side.set_edgecolor(FRAME)
        side.set_linewidth(0.6 * k)


def scale_bar_corner(extent, recs, m_per_pt: float) -> str:
    """Lower corner (``"left"`` or ``"right"``) with fewer events under the scale bar's box."""
    xmin, ymin, xmax, ymax = extent
    w, h = xmax - xmin, ymax - ymin
    counts = {"left": 0, "right": 0}
    for r in recs:
        x, y = merc(*r["position"])
        if y < ymin + 0.2 * h:
            if x < xmin + 0.35 * w:
                counts["left"] += 1
            elif x > xmax - 0.35 * w:
                counts["right"] += 1
    return "right" if counts["right"] < counts["left"] else "left"


def draw_scale_bar(ax, extent, k: float, corner: str = "left", m_per_pt: float | None = None):
    """Scale bar in a lower corner: true ground km at the map centre (see :func:`ground_km_to_merc`).

    Returns its box in points from the map's lower-left corner (for label placement).
    """
    xmin, ymin, xmax, ymax = extent
    m_per_pt = m_per_pt or 1.0
    km, length = scale_bar_km(extent)
    _, clat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
    pad, h = 7 * k * m_per_pt, 3.6 * k * m_per_pt
    caption = f"km · true at the map centre ({clat:.2f}°N)"
    box_w = max(
        length + 2 * pad + 14 * k * m_per_pt, text_width(caption, 5.6 * k, "italic") * m_per_pt + 2 * pad
    )
    box_h = 31 * k * m_per_pt
    bx = xmin + 10 * k * m_per_pt if corner == "left" else xmax - 10 * k * m_per_pt - box_w
    by = ymin + 10 * k * m_per_pt
    ax.add_patch(
        Rectangle(
            (bx, by),
            box_w,
            box_h,
            facecolor=(1, 1, 1, 0.85),
            edgecolor=(0.6, 0.6, 0.6, 0.6),
            linewidth=0.4 * k,
            zorder=900,
        )
    )
    x0, y0 = bx + pad, by + 13 * k * m_per_pt
    half = length / 2
    for i, colour in enumerate((INK, "white")):
        ax.add_patch(
            Rectangle(
                (x0 + i * half, y0), half, h, facecolor=colour, edgecolor=INK, linewidth=0.6 * k, zorder=901
            )
        )
    for frac, txt in ((0.0, "0"), (0.5, f"{km / 2:g}"), (1.0, f"{km:g} km")):
        put_text(
            ax,
            x0 + frac * length,
            y0 + h + 2 * k * m_per_pt,
            txt,
            6.8 * k,
            ha="center",
            va="bottom",
            color=INK,
            zorder=902,
        )
    put_text(
        ax,
        x0,
        y0 - 2.5 * k * m_per_pt,
        caption,
        5.6 * k,
        "italic",
        ha="left",
        va="top",
        color=MUTED,
        zorder=902,
    )
    return (
        (bx - xmin) / m_per_pt,
        (by - ymin) / m_per_pt,
        (bx + box_w - xmin) / m_per_pt,
        (by + box_h - ymin) / m_per_pt,
    )


def draw_north_arrow(ax, extent, k: float, m_per_pt: float):
    """North arrow, top right. In Web Mercator every meridian is vertical, so north is straight up.

    Returns its box in points from the map's lower-left corner.
    """
    xmin, ymin, xmax, ymax = extent
    u = k * m_per_pt  # one point, in map units
    aw, ah = 9 * u, 22 * u
    cx, top = xmax - 18 * u, ymax - 10 * u
    box = (cx - 10 * u, top - ah - 16 * u, 20 * u, ah + 20 * u)
    ax.add_patch(
        Rectangle(
            box[:2],
            box[2],
            box[3],
            facecolor=(1, 1, 1, 0.85),
            edgecolor=(0.6, 0.6, 0.6, 0.6),
            linewidth=0.4 * k,
            zorder=900,
        )
    )
    tip = top - 2 * u
    left = [(cx, tip), (cx - aw / 2, tip - ah), (cx, tip - ah * 0.72)]
    right = [(cx, tip), (cx + aw / 2, tip - ah), (cx, tip - ah * 0.72)]
    ax.add_patch(Polygon(left, closed=True, facecolor=INK, edgecolor=INK, linewidth=0.5 * k, zorder=901))
    ax.add_patch(Polygon(right, closed=True, facecolor="white", edgecolor=INK, linewidth=0.5 * k, zorder=901))
    put_text(ax, cx, tip - ah - 2 * u, "N", 8.5 * k, "bold", ha="center", va="top", color=INK, zorder=902)
    return (
        (box[0] - xmin) / m_per_pt,
        (box[1] - ymin) / m_per_pt,
        (box[0] + box[2] - xmin) / m_per_pt,
        (box[1] + box[3] - ymin) / m_per_pt,
    )


LOCATOR_BBOX = (66.0, 35.0, 75.5, 40.0)


def draw_locator(
    fig: Figure, admin1: gpd.GeoDataFrame, border: gpd.GeoDataFrame, extent, box_pt, page_pt, k: float
) -> None:
    """Small overview of the region with the map's extent outlined (``page_pt``: figure width, height)."""
    W, H = page_pt
    x0, y0 = merc(LOCATOR_BBOX[0], LOCATOR_BBOX[1])
    x1, y1 = merc(LOCATOR_BBOX[2], LOCATOR_BBOX[3])
    bx, by, bw, bh = box_pt
    # Keep the overview's aspect: shrink the box to it.
    aspect = (x1 - x0) / (y1 - y0)
    if bw / bh > aspect:
        bw = bh * aspect
    else:
        bh = bw / aspect
    ax = fig.add_axes((bx / W, by / H, bw / W, bh / H))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#f4f4f2")
    for side in ax.spines.values():
        side.set_edgecolor(FRAME)
        side.set_linewidth(0.5 * k)
    # The inset spans Central Asia: provinces at the coarsest drawing level (0.02 deg) suffice.
    prov = projected(simplified(admin1, TOLERANCES_DEG[0]))
    fills = [rgb(S.COUNTRY_FILL.get(c, S.CONTEXT_FILL)) for c in prov["country"]]
    prov.plot(ax=ax, color=fills, edgecolor=(0.75, 0.75, 0.75), linewidth=0.2 * k)
    ax.add_collection(
        LineCollection(
            line_segments(projected(border).geometry),
            colors=[rgb(S.BORDER_COLOUR)],
            linewidths=0.8 * k,
        )
    )
    ex0, ey0, ex1, ey1 = extent
    ax.add_patch(
        Rectangle(
            (ex0, ey0),
            ex1 - ex0,
            ey1 - ey0,
            facecolor=(0.84, 0.37, 0.0, 0.12),
            edgecolor=rgb(S.CATEGORY_COLOURS["attack"]),
            linewidth=1.1 * k,
            zorder=5,
            clip_on=True,
        )
    )
    ax.set_xlabel("")
    ax.set_ylabel("")
    put_text(
        fig,
        bx / W,
        (by + bh + 2 * k) / H,
        "Location of this map",
        6.5 * k,
        "bold",
        ha="left",
        va="bottom",
        color=INK,
    )
    for name, lon, lat in (("TAJIKISTAN", 70.6, 39.15), ("AFGHANISTAN", 68.6, 35.75)):
        put_text(
            ax, *merc(lon, lat), name, 5.2 * k, "bold", ha="center", va="center", color=(0.45, 0.45, 0.45)
        )
