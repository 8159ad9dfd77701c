"""The print snapshot's figure: header, map, legend panel, event key, locator, footer.

:func:`compose` builds the print :class:`~geo.scene.model.Scene` of a
:class:`~geo.render.request.SnapshotRequest` and lays it out on the page;
:func:`render_snapshot` saves it (PNG, SVG, PDF) with reproducible bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from geo.render.print_furniture import draw_locator
from geo.render.print_geometry import view_extent
from geo.render.print_layers import off_map
from geo.render.print_legend import event_key_line, legend_items, legend_symbol
from geo.render.print_map import MapInfo, draw_map
from geo.render.print_text import RC, RC_LOCK, put_text, render, wrap
from geo.render.request import SnapshotRequest
from geo.report.formatting import fmt_day
from geo.report.text import clipped
from geo.scene.build import build_scene, estimates_caveat
from geo.scene.model import Scene
from geo.scene.style import CAVEAT_COLOUR, FRAME, INK, MUTED, PAPER
from geo.scene.view import merc


@dataclass
class Layout:
    """Where everything sits, in points from the figure's lower-left corner."""

    width_pt: float
    height_pt: float
    map_box: tuple[float, float, float, float]  # x, y, w, h
    panel_box: tuple[float, float, float, float]
    k: float
    side_panel: bool

    def map_fraction(self) -> tuple[float, float, float, float]:
        x, y, w, h = self.map_box
        return (x / self.width_pt, y / self.height_pt, w / self.width_pt, h / self.height_pt)

    def to_pixels(self, x: float, y: float, extent, width_px: int, height_px: int) -> tuple[float, float]:
        """Pixel (column, row from the top) of EPSG:3857 point (x, y) in the saved raster."""
        bx, by, bw, bh = self.map_box
        fx = bx + (x - extent[0]) / (extent[2] - extent[0]) * bw
        fy = by + (y - extent[1]) / (extent[3] - extent[1]) * bh
        return fx / self.width_pt * width_px, height_px - fy / self.height_pt * height_px


@dataclass
class Texts:
    title: str
    subtitle: str
    attribution: str
    caveat: str
    sources: str


#: Characters of data-made text (filters, names off the map) in the header or footer: a few
#: lines, so long names cannot leave the map no room (it would get a negative height).
SUMMARY_CHARS = 400


def _texts(scene: Scene, req: SnapshotRequest, info: MapInfo) -> Texts:
    cr = scene.credits
    n_map = len(info.shown) + info.binned
    subtitle = (
        f"Filters: {clipped(cr['filters'], SUMMARY_CHARS)} · {scene.n_selected:,} events selected, {n_map:,} on this map · "
        f"data version {cr['version']}, records to {fmt_day(cr['as_of'])}"
    )
    attribution = (
        f"{cr['attribution']} Projection: Web Mercator (EPSG:3857), as the interactive map; the scale bar is true "
        f"ground distance at the map centre. Panj Watch data version {cr['version']}."
    )
    caveats = []
    est = estimates_caveat(
        info.shown.to_dict("records"), "uncertainty" in scene.visible, "numbered event locations on this map"
    )
    if est:
        caveats.append(est)
    not_shown = []
    if info.outside:
        names = clipped(", ".join(dict.fromkeys(s.split(",")[0] for s in info.outside)), SUMMARY_CHARS)
        not_shown.append(f"{len(info.outside)} outside the extent ({names})")
    if info.binned_outside:
        not_shown.append(f"{info.binned_outside:,} imported events outside the extent")
    if info.unplaced:
        not_shown.append(f"{len(info.unplaced)} without coordinates")
    if not_shown:
        caveats.append("Selected but not on this map: " + "; ".join(not_shown) + ".")
    # The scene's other caveats as they are; the estimates are counted on this extent above,
    # and the claims one only if a claim is drawn on it.
    caveats += [
        t for key, t in scene.caveats.items() if key != "estimates" and (key != "claims" or info.claims)
    ]
    return Texts(
        title=req.title or scene.title,
        subtitle=subtitle,
        attribution=attribution,
        caveat=("Caveat: " + " ".join(caveats)) if caveats else "",
        sources="Sources cited: " + cr["sources"],
    )


def compose(
    bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None
) -> tuple[Figure, Layout, MapInfo]:
    """Build the snapshot figure (not saved). Raises ``ValueError`` on a bad request."""
    problems = req.problems()
    if problems:
        raise ValueError("; ".join(problems))
    scene = build_scene(bundle, req.map_request(), bands)
    W, H = req.width_px / req.dpi * 72, req.height_px / req.dpi * 72
    k = min(max(math.sqrt(W * H / (921.6 * 518.4)), 0.55), 1.6)
    side = W / H >= 1.15
    m = 16 * k
    fig = Figure(figsize=(W / 72, H / 72), dpi=req.dpi, facecolor=PAPER)

    title_size, sub_size, foot_size = 15 * k, 8.2 * k, 6.0 * k
    inner_w = W - 2 * m
    tick_room = 12 * k  # graticule labels outside the frame

    def place(foot_h: float, header_h: float) -> Layout:
        top = H - m - header_h
        bottom = m + foot_h + tick_room
        if side:
            panel_w = min(max(0.25 * W, 170 * k), 260 * k)
            map_box = (
                m + tick_room * 1.6,
                bottom,
                W - 2 * m - panel_w - tick_room * 1.6 - 8 * k,
                top - bottom,
            )
            panel_box = (
                map_box[0] + map_box[2] + 10 * k,
                bottom - tick_room,
                panel_w,
                top - bottom + tick_room,
            )
        else:
            panel_h = 0.26 * H
            map_box = (
                m + tick_room * 1.6,
                bottom + panel_h,
                W - 2 * m - tick_room * 1.6,
                top - bottom - panel_h,
            )
            panel_box = (m, bottom - tick_room, W - 2 * m, panel_h - 4 * k)
        return Layout(W, H, map_box, panel_box, k, side)

    def text_heights(texts: Texts) -> tuple[float, float]:
        sub_lines = wrap(texts.subtitle, inner_w * 0.86, sub_size)
        header_h = title_size * 1.3 + len(sub_lines) * sub_size * 1.3 + 6 * k
        n_foot = sum(
            len(wrap(t, inner_w, foot_size)) for t in (texts.caveat, texts.attribution, texts.sources) if t
        )
        return n_foot * foot_size * 1.32 + 4 * k, header_h

    # Header and footer heights depend on what the map shows (the caveat names the
    # events off the map), which depends on the extent, which depends on those heights:
    # settle it on a cheap classification before drawing anything.
    layout = place(6 * foot_size * 1.32, title_size * 1.3 + 2 * sub_size * 1.3)
    for _ in range(2):
        extent = view_extent(req.the_view, layout.map_box[2] / layout.map_box[3])
        layout = place(*text_heights(_texts(scene, req, _provisional_info(scene, extent))))
    extent = view_extent(req.the_view, layout.map_box[2] / layout.map_box[3])

    ax = fig.add_axes(layout.map_fraction())
    info = draw_map(ax, scene, extent, (layout.map_box[2], layout.map_box[3]), k)
    texts = _texts(scene, req, info)

    # Header.
    put_text(fig, m / W, (H - m) / H, texts.title, title_size, "bold", ha="left", va="top", color=INK)
    brand = "PANJ WATCH"
    put_text(fig, (W - m) / W, (H - m) / H, brand, 7.5 * k, "bold", ha="right", va="top", color=MUTED)
    y = H - m - title_size * 1.3
    for line in wrap(texts.subtitle, inner_w * 0.86, sub_size):
        put_text(fig, m / W, y / H, line, sub_size, ha="left", va="top", color=MUTED)
        y -= sub_size * 1.3
    fig.lines.append(
        Line2D(
            [m / W, (W - m) / W],
            [(y - 2 * k) / H] * 2,
            transform=fig.transFigure,
            color=FRAME,
            linewidth=0.5 * k,
        )
    )

    # Footer, laid out from the bottom margin up: caveat first (it qualifies the map),
    # then attribution and sources.
    foot = []
    for txt, colour in ((texts.caveat, CAVEAT_COLOUR), (texts.attribution, MUTED), (texts.sources, MUTED)):
        if txt:
            foot += [(line, colour) for line in wrap(txt, inner_w, foot_size)]
    y = m + len(foot) * foot_size * 1.32
    for line, colour in foot:
        put_text(fig, m / W, y / H, line, foot_size, ha="left", va="top", color=colour)
        y -= foot_size * 1.32

    _draw_panel(fig, layout, scene, info)
    return fig, layout, info


def _provisional_info(scene: Scene, extent) -> MapInfo:
    # What the map will show, without drawing: sizes the header and footer text.
    binned = 0
    if scene.bins is not None and scene.bins.mask.any():
        g = scene.placed[scene.bins.mask].geometry
        bx, by = (np.asarray(v) for v in merc(g.x.to_numpy(), g.y.to_numpy()))
        binned = int(((bx >= extent[0]) & (bx <= extent[2]) & (by >= extent[1]) & (by <= extent[3])).sum())
    markers = scene.markers
    if markers:
        x, y = (
            np.asarray(v)
            for v in merc([r["true_position"][0] for r in markers], [r["true_position"][1] for r in markers])
        )
        inside = (x >= extent[0]) & (x <= extent[2]) & (y >= extent[1]) & (y <= extent[3])
    else:
        inside = np.zeros(0, dtype=bool)
    shown = [r for r, i in zip(markers, inside, strict=True) if i]
    radii = sorted(
        {
            float(r["uncertainty_km"])
            for r in shown
            if pd.notna(r["uncertainty_km"]) and r["uncertainty_km"] > 0
        }
    )
    links = scene.layer("claim-links")
    return MapInfo(
        extent=extent,
        shown=pd.DataFrame(
            {
                "geo_precision": [int(r["geo_precision"]) for r in shown],
                "uncertainty_km": [float(r["uncertainty_km"]) for r in shown],
            }
        ),
        categories=[],
        outside=off_map(scene, extent),
        unplaced=list(scene.unplaced),
        estimates=sum(int(r["geo_precision"]) >= 2 for r in shown),
        radii_km=radii if "uncertainty" in scene.visible else [],
        facing=(),
        shade_max=0,
        scale_km=1,
        scale_lat=0.0,
        claims=len(links.features) if links is not None else 0,
        binned=binned,
        binned_outside=(scene.bins.count if scene.bins is not None else 0) - binned,
    )


def _draw_panel(fig: Figure, layout: Layout, scene: Scene, info: MapInfo) -> None:
    """Legend and numbered event key in the panel beside (or below) the map."""
    W, H, k = layout.width_pt, layout.height_pt, layout.k
    px, py, pw, ph = layout.panel_box
    size = 7.0 * k
    lh = size * 1.45
    sym_w = 16 * k
    items = legend_items(scene, info)
    key_rows = [f"{int(r['number'])}  {event_key_line(r)}" for _, r in info.shown.iterrows()]

    def column(x0: float, width: float, y0: float, y_min: float, blocks) -> float:
        y = y0
        for heading, entries in blocks:
            if not entries:
                continue
            if y - lh * 1.5 < y_min:
                break
            put_text(fig, x0 / W, y / H, heading, 8.0 * k, "bold", ha="left", va="top", color=INK)
            y -= lh * 1.35
            for entry in entries:
                kind, label, style = entry if isinstance(entry, tuple) else ("text", entry, {})
                indent = 0 if kind in ("note", "text") else sym_w + 5 * k
                lines = wrap(label, width - indent, size if kind != "note" else size * 0.92)
                need = len(lines) * lh
                if y - need < y_min:
                    put_text(
                        fig,
                        x0 / W,
                        y / H,
                        "… more in the app's incident table",
                        size * 0.92,
                        "italic",
                        ha="left",
                        va="top",
                        color=MUTED,
                    )
                    y -= lh
                    break
                if kind not in ("note", "text"):
                    legend_symbol(fig, kind, style, x0, y - lh * 0.42, sym_w, 7 * k, k)
                for line in lines:
                    put_text(
                        fig,
                        (x0 + indent) / W,
                        y / H,
                        line,
                        size if kind != "note" else size * 0.92,
                        "italic" if kind == "note" else "regular",
                        ha="left",
                        va="top",
                        color=MUTED if kind == "note" else INK,
                    )
                    y -= lh
            y -= lh * 0.6
        return y

    legend_block = ("Legend", items)
    key_block = ("Events on this map", key_rows)
    top = py + ph - 2 * k
    if layout.side_panel:
        y = column(px, pw, top, py, [legend_block, key_block])
        inset_h = min(y - py - 14 * k, pw * 0.62)
        if scene.base and inset_h > 70 * k:
            draw_locator(
                fig,
                scene.base["admin1"],
                scene.base["border"],
                info.extent,
                (px, py + 2 * k, pw, inset_h),
                (W, H),
                k,
            )
    else:
        half = (pw - 14 * k) / 2
        column(px, half, top, py, [legend_block])
        column(px + half + 14 * k, half, top, py, [key_block])


@dataclass
class Snapshot:
    """A rendered snapshot with where things landed (for callers that check or describe it)."""

    data: bytes
    layout: Layout
    info: MapInfo

    def pixel(self, x: float, y: float, req: SnapshotRequest) -> tuple[float, float]:
        """Raster position (column, row) of the EPSG:3857 point (x, y) in a PNG of ``req``."""
        return self.layout.to_pixels(x, y, self.info.extent, req.width_px, req.height_px)


def render_snapshot(bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> Snapshot:
    """:func:`snapshot` with the matplotlib engine, returning the layout and map info too."""
    with RC_LOCK, matplotlib.rc_context(RC):
        fig, layout, info = compose(bundle, req, bands)
        data = render(fig, req.fmt, title=req.title or req.spec.title, subject=req.filters.summary())
    return Snapshot(data, layout, info)
