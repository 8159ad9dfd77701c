"""The print renderer's legend: the scene's entries with their symbols, and the numbered event key."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle, RegularPolygon

from geo.render.print_geometry import rgb
from geo.report.formatting import fmt_event_day
from geo.scene import style as S
from geo.scene.model import Scene
from geo.scene.records import casualty_range
from geo.spatial.uncertainty import row_border_text


def event_key_line(row) -> str:
    """One line of the numbered event key: date, type, place; for violence the casualties and the
    border distance (over the uncertainty area of an estimated location: the range, not the coded point)."""
    date = fmt_event_day(row["date"], row["time_precision"])
    place = str(row["location"]).split(",")[0]
    if len(place) > 64:
        place = place[:63] + "…"
    cas = ""
    if row["category"] in S.FILLED:
        cas = f"; killed {casualty_range(row['fatalities'], row['fatalities_high'])}"
        if pd.notna(row["injured"]):
            cas += f", injured {casualty_range(row['injured'], row['injured_high'])}"
        # Where the violence was, as the record allows: the range over an estimate's uncertainty area.
        border = row_border_text(row, short=True)
        cas += f"; {border}" if border else ""
    return f"{date} · {row['category']} · {place}{cas}"


def bins_label(cell_km: float, binned: int, cells: int, top: int) -> str:
    """The hexagon entry with the figures of the map drawn."""
    return (
        f"Imported events counted in {cell_km:.3g} km hexagons: {binned:,} in {cells:,} cells, "
        f"up to {top:,} per cell (darker = more, log scale)"
    )


def legend_items(scene: Scene, info) -> list[tuple[str, str, dict]]:
    """(swatch, label, style) of the scene's legend entries as printed, in reading order.

    The event categories are the ones numbered on the paper (``info.categories``);
    the hexagon entry carries the print's own counts; a note gets its explanation.
    """
    out: list[tuple[str, str, dict]] = []
    cats_done = False
    for e in scene.legend:
        style = {"colour": e.colour, **e.style}
        if e.swatch in ("disc", "ring") and e.group == "events":
            if not cats_done:
                for cat in info.categories or []:
                    filled = cat in S.FILLED
                    colour = S.CATEGORY_COLOURS.get(cat, S.CATEGORY_COLOURS["other"])
                    out.append(("disc" if filled else "ring", cat, {"colour": colour, "filled": filled}))
                cats_done = True
            continue
        if e.swatch == "note":
            if not cats_done:  # no category entries (none selected): the categories go before the note
                for cat in info.categories or []:
                    filled = cat in S.FILLED
                    colour = S.CATEGORY_COLOURS.get(cat, S.CATEGORY_COLOURS["other"])
                    out.append(("disc" if filled else "ring", cat, {"colour": colour, "filled": filled}))
                cats_done = True
            out.append(("note", f"{e.label}; {e.explanation}" if e.explanation else e.label, style))
        elif e.swatch == "hexes":
            if info.binned:
                out.append(
                    ("hexes", bins_label(info.bin_km, info.binned, info.bin_cells, info.bin_max), style)
                )
        else:
            out.append((e.swatch, e.label, style))
    return out


def legend_symbol(fig, kind: str, style: dict, x: float, y: float, w: float, h: float, k: float) -> None:
    """Draw one legend symbol in a w × h box (figure points → figure fraction via transform)."""
    tr = fig.dpi_scale_trans  # inches
    pt = 1 / 72
    cx, cy = (x + w / 2) * pt, y * pt
    if kind in ("disc", "ring"):
        c = rgb(style["colour"])
        r = 4.2 * k * pt
        fill = c if style["filled"] else (1, 1, 1, 1)
        edge = (1, 1, 1, 1) if style["filled"] else c
        fig.patches.append(
            Circle(
                (cx, cy),
                r,
                transform=tr,
                facecolor=fill,
                edgecolor=edge,
                linewidth=(1.0 if style["filled"] else 2.0) * k,
            )
        )
        if style["filled"]:
            fig.patches.append(
                Circle(
                    (cx, cy), r, transform=tr, facecolor="none", edgecolor=(0.6, 0.6, 0.6), linewidth=0.3 * k
                )
            )
    elif kind == "hexes":
        r = min(h / 2, w / 6) * pt
        for i, c in enumerate((1, 3, 5)):
            fig.patches.append(
                RegularPolygon(
                    (x * pt + r * (1 + 2.1 * i), cy),
                    6,
                    radius=r,
                    transform=tr,
                    facecolor=rgb(S.BIN_RAMP[c], S.BIN_ALPHA / 255),
                    edgecolor="white",
                    linewidth=0.4 * k,
                )
            )
    elif kind == "circle":
        fig.patches.append(
            Circle(
                (cx, cy),
                5.0 * k * pt,
                transform=tr,
                facecolor=(0.47, 0.47, 0.47, 0.1),
                edgecolor=rgb(style["colour"]),
                linewidth=1.0 * k,
            )
        )
    elif kind == "dashed":
        fig.lines.append(
            Line2D(
                [x * pt, (x + w) * pt],
                [cy, cy],
                transform=tr,
                color=rgb(style["colour"]),
                linewidth=1.6 * k,
                linestyle=(0, (4, 2.6)),
            )
        )
        fig.patches.append(
            Circle(
                (x * pt + 3 * k * pt, cy),
                3.2 * k * pt,
                transform=tr,
                facecolor="white",
                edgecolor=rgb(style["colour"]),
                linewidth=1.4 * k,
            )
        )
    elif kind == "line":
        fig.lines.append(
            Line2D(
                [x * pt, (x + w) * pt],
                [cy, cy],
                transform=tr,
                color=rgb(style["colour"]),
                linewidth=style["width"] * k,
                solid_capstyle="butt",
            )
        )
    elif kind == "bands":
        steps = np.asarray(style["alphas"]) / 255
        for i, a in enumerate(steps):
            fig.patches.append(
                Rectangle(
                    ((x + i * w / len(steps)) * pt, cy - h / 2 * pt),
                    w / len(steps) * pt,
                    h * pt,
                    transform=tr,
                    facecolor=rgb(style["colour"], a),
                    edgecolor="none",
                )
            )
    elif kind == "dots":
        fig.patches.append(
            Circle(
                ((x + w * 0.3) * pt, cy),
                1.8 * k * pt,
                transform=tr,
                facecolor=rgb(style["colour"]),
                linewidth=0,
            )
        )
        fig.patches.append(
            Rectangle(
                ((x + w * 0.7) * pt - 2.2 * k * pt, cy - 2.2 * k * pt),
                4.4 * k * pt,
                4.4 * k * pt,
                transform=tr,
                facecolor=rgb(style["colour"]),
                linewidth=0,
            )
        )
    elif kind == "patch":
        fig.patches.append(
            Rectangle(
                (x * pt, cy - h / 2 * pt),
                w * pt,
                h * pt,
                transform=tr,
                facecolor=rgb(style["colour"]),
                edgecolor=rgb(S.PROVINCE_LINE),
                linewidth=0.5 * k,
            )
        )
    elif kind == "ramp":
        n = len(style["ramp"])
        for i, c in enumerate(style["ramp"]):
            fig.patches.append(
                Rectangle(
                    ((x + i * w / n) * pt, cy - h / 2 * pt),
                    w / n * pt,
                    h * pt,
                    transform=tr,
                    facecolor=rgb(c),
                    edgecolor="none",
                )
            )
    elif kind == "outline":
        fig.patches.append(
            Rectangle(
                (x * pt, cy - h / 2 * pt),
                w * pt,
                h * pt,
                transform=tr,
                facecolor=rgb(style["fill"]),
                edgecolor=rgb(style["colour"]),
                linewidth=1.6 * k,
            )
        )
