"""One-click briefing pack: a multi-page PDF of the current selection.

Contents, in order: key figures and a short narrative of each attack or clash
(A4 portrait); the snapshot maps (A4 landscape, the same renderer as
:mod:`geo.render.snapshot`, vector); the timeline (from ``geo.render.timeline`` when it is
available); who said what, side by side per event; the sources cited; method
notes. All of it is matplotlib, so the pack is deterministic (same inputs →
same bytes), uses the bundled fonts and needs no network. Text stays text:
titles, figures, names and sources can be searched and copied.
"""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib
import matplotlib.image as mpimg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from geo.data.load import Bundle
from geo.data.schema import VIOLENT
from geo.query.filters import Filters
from geo.query.selection import select
from geo.render.options import DEFAULT_MAPS as DEFAULT_MAPS  # declared light, for the CLI
from geo.render.snapshot import (
    ATTRIBUTION,
    CAVEAT_COLOUR,
    FRAME,
    INK,
    METADATA,
    MUTED,
    RC,
    RC_LOCK,
    SIZE_PRESETS,
    SnapshotRequest,
    cited_sources,
    compose,
    put_text,
    text_width,
    wrap,
)
from geo.report.narrative import briefing_lead, briefing_stories, claims_by_speaker
from geo.report.provenance import selection_line
from geo.report.stats import TOTALS_RULE, key_figures
from geo.report.text import clipped, drawn
from geo.report.wording import source_label

A4_PORTRAIT_PT = (595.28, 841.89)
TITLE = "Panj Watch briefing: cross-border incidents on the Tajikistan–Afghanistan border"
#: Characters of data-made text per story, claim and heading: the pack summarises (the
#: exports hold every record whole), and a 20,000-character note in every field made
#: it run to hundreds of pages.
STORY_CHARS, CLAIM_CHARS, HEADING_CHARS = 2000, 800, 200


def method_notes(bundle: Bundle) -> str:
    """How places, dates, casualties and distances were coded, with the border line's caveats (measured)."""
    a = border_line_agreement(bundle)
    return (
        "Places are coded with ACLED's geo_precision: 1 = the town or site, 2 = the district (or a nearby town), "
        "3 = the province or region. Estimated locations carry an uncertainty radius in km, drawn as a true-distance "
        "circle on the maps. Dates use ACLED's time_precision: 1 = exact day, 2 = within a week or a stated range, "
        "3 = month only. Casualty figures are low–high where sources differ; totals add the low figures and the "
        "high figures separately. Distances to the border are geodesic, to the Natural Earth 1:10M line, which is "
        f"{a['ne_km']:,.1f} km long against the published ~1,350 km because generalisation cuts the Panj's "
        f"meanders; the detailed WDB-II line ({a['wdbii_km']:,.0f} km) lies a median {a['median_gap_km']:.1f} km "
        f"and at most {a['max_gap_km']:.1f} km from it (near {a['max_gap_lon']:.1f}°E). Claims are what a party "
        "says, not established facts. Seed sources are the five documents the project is built from; related "
        "sources are other public reporting, not verified against them."
    )


class Flow:
    """Text and boxes flowing down A4 portrait pages (points from the top-left corner)."""

    def __init__(self, pdf: PdfPages, footer: str, margin: float = 46.0):
        self.pdf = pdf
        self.footer = footer
        self.W, self.H = A4_PORTRAIT_PT
        self.m = margin
        self.width = self.W - 2 * margin
        self.fig: Figure | None = None
        self.y = 0.0
        self.pages = 0

    # -- pages
    def new_page(self) -> None:
        self.flush()
        self.fig = Figure(figsize=(self.W / 72, self.H / 72), dpi=72, facecolor="white")
        self.y = self.m
        self.pages += 1

    def flush(self) -> None:
        if self.fig is not None:
            self._page_footer()
            self.pdf.savefig(self.fig)
            self.fig = None

    def external_page(self, fig: Figure) -> None:
        """Insert a finished figure (a map) as its own page."""
        self.flush()
        self.pages += 1
        put_text(
            fig, 0.5, 0.008, f"{self.footer} · page {self.pages}", 5.5, ha="center", va="bottom", color=MUTED
        )
        self.pdf.savefig(fig)

    def _page_footer(self) -> None:
        self.text_at(
            self.W / 2,
            self.H - self.m * 0.55,
            f"{self.footer} · page {self.pages}",
            6.5,
            ha="center",
            color=MUTED,
        )

    def need(self, h: float) -> None:
        """Start a new page unless ``h`` points fit above the bottom margin."""
        if self.fig is None or self.y + h > self.H - self.m:
            self.new_page()

    # -- drawing
    def text_at(self, x: float, y_top: float, s: str, size: float, style: str = "regular", **kw):
        return put_text(self.fig, x / self.W, 1 - y_top / self.H, s, size, style, va="top", **kw)

    def heading(self, s: str, size: float = 13.0, space_after: float = 5.0) -> None:
        self.need(size * 1.4 + 40)  # keep a heading with the first lines under it
        self.y += size * 0.4
        self.text_at(self.m, self.y, s, size, "bold", ha="left", color=INK)
        self.y += size * 1.3 + space_after

    def paragraph(
        self,
        s: str,
        size: float = 9.0,
        style: str = "regular",
        colour=INK,
        indent: float = 0.0,
        leading: float = 1.38,
        after: float = 5.0,
    ) -> None:
        for line in wrap(s, self.width - indent, size, style):
            self.need(size * leading)
            self.text_at(self.m + indent, self.y, line, size, style, ha="left", color=colour)
            self.y += size * leading
        self.y += after

    def rule(self) -> None:
        self.need(6)
        y = 1 - (self.y + 2) / self.H
        self.fig.lines.append(
            Line2D(
                [self.m / self.W, (self.W - self.m) / self.W],
                [y, y],
                transform=self.fig.transFigure,
                color=FRAME,
                linewidth=0.5,
            )
        )
        self.y += 8

    def key_figures(self, items: list[tuple[str, str]], note: str) -> None:
        """A row of boxes: big value, small label."""
        h = 50.0
        self.need(h + 30)
        n = len(items)
        gap = 8.0
        w = (self.width - gap * (n - 1)) / n
        for i, (label, value) in enumerate(items):
            x = self.m + i * (w + gap)
            self.fig.patches.append(
                Rectangle(
                    (x / self.W, 1 - (self.y + h) / self.H),
                    w / self.W,
                    h / self.H,
                    transform=self.fig.transFigure,
                    facecolor="#f4f4f2",
                    edgecolor=FRAME,
                    linewidth=0.6,
                )
            )
            size = 20.0 if text_width(value, 20.0, "bold") < w - 10 else 14.0
            self.text_at(x + 8, self.y + 7, value, size, "bold", ha="left", color=INK)
            self.text_at(x + 8, self.y + h - 15, label, 8.0, ha="left", color=MUTED)
        self.y += h + 6
        self.paragraph(note, 7.5, "italic", MUTED)

    def image(self, png: bytes, max_h: float) -> None:
        """A raster (e.g. the timeline) scaled to the text width, at most ``max_h`` points tall."""
        arr = mpimg.imread(io.BytesIO(png), format="png")
        ih, iw = arr.shape[:2]
        w = self.width
        h = w * ih / iw
        if h > max_h:
            h, w = max_h, max_h * iw / ih
        self.need(h + 4)
        ax = self.fig.add_axes((self.m / self.W, 1 - (self.y + h) / self.H, w / self.W, h / self.H))
        ax.imshow(arr, interpolation="antialiased")
        ax.set_axis_off()
        self.y += h + 6

    def column_row_height(
        self, cols: list[tuple[str, list[str]]], size: float = 7.6, per_row: int = 3
    ) -> float:
        """Height of the first row of :meth:`columns` (to keep a heading with it)."""
        w = (self.width - 10.0 * (per_row - 1)) / per_row
        lh = size * 1.32
        heights = [
            size * 1.6 + sum(len(wrap(e, w - 8, size)) * lh + 4 for e in entries)
            for _, entries in cols[:per_row]
        ]
        return max(heights, default=0.0) + 6

    def columns(self, cols: list[tuple[str, list[str]]], size: float = 7.6, per_row: int = 3) -> None:
        """Side-by-side columns (heading + entries), ``per_row`` at a time; rows may continue on the next page."""
        gap = 10.0
        for start in range(0, len(cols), per_row):
            row = cols[start : start + per_row]
            w = (self.width - gap * (per_row - 1)) / per_row
            wrapped = [(head, [wrap(e, w - 8, size) for e in entries]) for head, entries in row]
            lh = size * 1.32
            total = self.column_row_height(row, size, per_row)
            if total > self.H - 2 * self.m - 20:
                # Too tall for any page: fall back to one column after another.
                for head, entries in row:
                    self.paragraph(head, size + 0.6, "bold", after=2)
                    for e in entries:
                        self.paragraph(e, size, indent=8, after=2)
                continue
            self.need(total)
            for i, (head, entries) in enumerate(wrapped):
                x = self.m + i * (w + gap)
                self.fig.patches.append(
                    Rectangle(
                        (x / self.W, 1 - (self.y + total - 4) / self.H),
                        w / self.W,
                        (total - 4) / self.H,
                        transform=self.fig.transFigure,
                        facecolor="#f7f7f5",
                        edgecolor="#d0d0d0",
                        linewidth=0.5,
                    )
                )
                yy = self.y + 4
                self.text_at(x + 4, yy, head, size + 0.6, "bold", ha="left", color=INK)
                yy += size * 1.6
                for lines in entries:
                    for line in lines:
                        self.text_at(x + 4, yy, line, size, ha="left", color=INK)
                        yy += lh
                    yy += 4
            self.y += total + 4


def border_line_agreement(bundle: Bundle, step_m: float = 500.0) -> dict[str, float]:
    """How far the Natural Earth border lies from the WDB-II one, sampled every ``step_m`` metres.

    Distances in km, measured in UTM 42N (EPSG:32642); also the lengths of both lines and
    the longitude of the largest gap.
    """
    import numpy as np
    import shapely
    from pyproj import Transformer

    from geo.data.paths import METRIC_CRS

    ne = shapely.union_all(bundle.border.to_crs(METRIC_CRS).geometry.to_numpy())
    wd = shapely.union_all(bundle.border_detail.to_crs(METRIC_CRS).geometry.to_numpy())
    pts = shapely.line_interpolate_point(ne, np.arange(0.0, ne.length, step_m))
    d = shapely.distance(pts, wd) / 1000.0
    i = int(d.argmax())
    lon, _ = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True).transform(pts[i].x, pts[i].y)
    return {
        "ne_km": ne.length / 1000.0,
        "wdbii_km": wd.length / 1000.0,
        "median_gap_km": float(np.median(d)),
        "max_gap_km": float(d.max()),
        "max_gap_lon": float(lon),
    }


def timeline_image(sel, filters: Filters) -> tuple[bytes | None, str]:
    """The timeline image, or ``None`` and the reason it is missing."""
    try:
        from geo.render.timeline.export import timeline_png  # written in parallel; optional here
    except ImportError as exc:
        return (
            None,
            f"Timeline not included: geo.render.timeline is not available in this build ({exc.name or exc}).",
        )
    from geo.render.timeline.imported import split_imported

    marked, _counted = split_imported(sel.events)
    try:
        return timeline_png(marked, sel.claims, filters, focus=None, scale=2), ""
    except Exception as exc:  # a broken timeline must not cost the briefer the whole pack
        return None, f"Timeline not included: it could not be drawn ({type(exc).__name__}: {exc})."


def briefing_pack(
    bundle: Bundle,
    filters: Filters,
    maps: tuple[str, ...] = DEFAULT_MAPS,
    layers: dict[str, tuple[str, ...]] | None = None,
    views: dict | None = None,
    shade: str = "none",
    bands: gpd.GeoDataFrame | None = None,
) -> bytes:
    """The briefing pack PDF of ``filters``.

    Parameters
    ----------
    bundle : Bundle
        Loaded data.
    filters : Filters
        The selection; every page says which.
    maps : tuple of str
        Map pages to include, in order (``"sector"``, ``"regional"``).
    layers, views : dict, optional
        Per map page: visible layers and :class:`geo.render.mapdecks.View` (defaults: the page's).
    shade : str
        Province shading of the regional map.
    bands : GeoDataFrame, optional
        Border distance bands (built when needed).

    Returns
    -------
    bytes
        A PDF: A4 portrait text pages and A4 landscape map pages.
    """
    layers, views = layers or {}, views or {}
    reqs = []
    for page in maps:
        w, h, dpi = SIZE_PRESETS["a4-landscape"]
        req = SnapshotRequest(
            page=page,
            filters=filters,
            layers=layers.get(page),
            view=views.get(page),
            width_px=w,
            height_px=h,
            dpi=dpi,
            fmt="pdf",
            shade=shade if page == "regional" else "none",
        )
        problems = req.problems()
        if problems:
            raise ValueError("; ".join(problems))
        reqs.append(req)
    sel = select(bundle, filters)
    summary = filters.summary()
    # The footer is one line on every page: the filters as far as they fit (actor names come from data).
    footer = f"Panj Watch briefing · {clipped(summary, 160)} · data version {bundle.version}"
    meta = dict(METADATA["pdf"], Title=TITLE, Subject=drawn(f"Filters: {summary}"))
    buf = io.BytesIO()
    with RC_LOCK, matplotlib.rc_context(RC), PdfPages(buf, metadata=meta) as pdf:
        flow = Flow(pdf, footer)
        flow.new_page()
        for line in wrap(TITLE, flow.width, 16.0, "bold"):
            flow.text_at(flow.m, flow.y, line, 16.0, "bold", ha="left", color=INK)
            flow.y += 16.0 * 1.25
        flow.y += 3
        flow.paragraph(selection_line(bundle, sel), 9.0, colour=MUTED)
        flow.rule()

        kf = key_figures(sel.events)
        flow.paragraph(briefing_lead(bundle, sel.events), 10.5, "bold", after=6)
        flow.key_figures(
            [(f.label.lower(), f.value) for f in kf.figures],
            " ".join(
                [
                    kf.scope,
                    "; ".join(f"{f.label}: {f.note}" for f in kf.figures if f.key in ("killed", "injured"))
                    + ".",
                    TOTALS_RULE,
                    *kf.left_out,
                ]
            ),
        )

        flow.heading("What happened")
        stories, counted = briefing_stories(bundle, sel.events)
        if not stories and not counted:
            flow.paragraph("No attacks or clashes in this selection.", 9.0, "italic", MUTED)
        if counted:
            flow.paragraph(counted, 8.8, "italic", MUTED, after=8)
        for n in stories:
            flow.need(60)
            flow.paragraph(clipped(n.heading, HEADING_CHARS), 10.0, "bold", after=2)
            flow.paragraph(clipped(n.text, STORY_CHARS), 8.8, after=2)
            flow.paragraph(
                f"Casualty figures: {n.casualty_basis}", 7.6, "italic", MUTED, after=2 if n.scope_note else 8
            )
            if n.scope_note:
                flow.paragraph(n.scope_note, 7.6, "italic", MUTED, after=8)

        for req in reqs:
            fig, _layout, _info = compose(bundle, req, bands)
            flow.external_page(fig)

        flow.new_page()
        flow.heading("Timeline")
        png, why = timeline_image(sel, filters)
        if png:
            flow.image(png, max_h=300)
        else:
            flow.paragraph(why, 9.0, "italic", CAVEAT_COLOUR)

        flow.heading("Who said what")
        violent = sel.events[sel.events["category"].isin(VIOLENT)]
        if violent.empty:
            flow.paragraph("No attacks or clashes in this selection.", 9.0, "italic", MUTED)
        for n in stories:
            cols = [
                (clipped(s.speaker, HEADING_CHARS), [clipped(line, CLAIM_CHARS) for line in s.lines])
                for s in claims_by_speaker(bundle, n.event_id)
            ]
            first = flow.column_row_height(cols) if cols else 12.0
            # Keep the event's heading on the page of its first row of claims.
            flow.need(20 + (first if first < flow.H - 2 * flow.m - 40 else 0))
            flow.paragraph(clipped(n.heading, HEADING_CHARS), 9.5, "bold", after=3)
            if cols:
                flow.columns(cols)
            else:
                flow.paragraph("No claims recorded.", 8.5, "italic", MUTED)
        others = sel.claims[~sel.claims["event_id"].isin(violent["event_id"])]
        if len(others):
            flow.paragraph(
                f"{len(others)} further claims concern the other events of the selection (statements, "
                "visits, advisories); the app's details panel and the data exports list them.",
                8.0,
                "italic",
                MUTED,
            )

        flow.heading("Sources")
        src = cited_sources(bundle, sel)
        for _, r in src.iterrows():
            # Outlet and date as a reader cites them (never the seed's file name), then what finds it.
            bits = [source_label(r)]
            if r["headline"]:
                bits.append(f"“{r['headline']}”")
            bits.append(f"{r['tier']} tier")
            if r["url"]:
                bits.append(r["url"])
            flow.paragraph(" · ".join(bits), 8.0, after=3)
        flow.heading("Method and caveats", 11.0)
        flow.paragraph(method_notes(bundle), 8.0, colour=MUTED)
        flow.paragraph(
            f"{ATTRIBUTION} Maps: Web Mercator (EPSG:3857), scale bars true at the map centre.",
            8.0,
            colour=MUTED,
        )
        flow.flush()
    return buf.getvalue()


def pack_file_name(filters: Filters, version: str = "") -> str:
    """``panjwatch-briefing-2025.pdf`` (years of the selection, or ``all``)."""
    years = "-".join(map(str, sorted(filters.years))) or "all"
    return f"panjwatch-briefing-{years}" + (f"-{version}" if version else "") + ".pdf"
