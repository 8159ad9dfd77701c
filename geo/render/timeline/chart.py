"""The interactive timeline chart: one layered Vega-Lite view (Altair) over the laid-out marks.

:func:`timeline_view` takes the filtered events and claims, lays out the marks
(:mod:`geo.render.timeline.marks`) and builds the chart with one point selection
that can pick any mark and one interval brush that spans every lane, plus the
focus layers of a picked attack. ``pages/timeline.py`` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from geo.query.filters import Filters
from geo.render.timeline.marks import (
    _lane_tops,
    lane_order,
    layout,
    overview_domain,
    plot_height,
    timeline_marks,
)
from geo.render.timeline.notes import AttackNote, attack_notes, focus_window
from geo.render.timeline.style import (
    COLOURS,
    DAY_MS,
    FONT,
    HEADER_PX,
    LANE_PX,
    PRECISION_OPACITY,
    PRIMARY_LANE,
    PRIMARY_LANE_PX,
    REACTION,
    SHAPES,
    TEXT_PX,
    WIDTH_PX,
    chart_title,
)
from geo.render.timeline.text import LABEL_LIMIT_PX, _day_short, _days, _ms
from geo.report.formatting import fmt_day
from geo.report.text import clipped


@dataclass
class TimelineView:
    """Everything a page or an export needs about one view of the timeline."""

    chart: alt.LayerChart
    layer: alt.LayerChart
    marks: pd.DataFrame
    domain: tuple[pd.Timestamp, pd.Timestamp]
    note: AttackNote | None
    title: str
    subtitle: list[str]
    height: int

    @property
    def key(self) -> str:
        """Identifies what is drawn (range, focus, filters): a brush made on another view is stale."""
        return f"{self.title} | {self.subtitle[0]}"

    #: Names of the chart's selections (for ``st.altair_chart(selection_mode=…)``).
    params: list[str]


def _records(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    # Altair serialises NaN/None cleanly only from object columns.
    out = df[cols].copy()
    return out.astype(object).where(out.notna(), None)


TOOLTIP = [
    alt.Tooltip("what:N", title="what"),
    alt.Tooltip("when:N", title="when"),
    alt.Tooltip("who:N", title="who"),
    alt.Tooltip("casualties:N", title="casualties"),
    alt.Tooltip("note:N", title="note"),
]
_TIP_COLS = ["what", "when", "who", "casualties", "note"]


def timeline_view(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    filters: Filters | None = None,
    focus: str | None = None,
    width: int = WIDTH_PX,
    interactive: bool = True,
    empty_text: str | None = None,
) -> TimelineView:
    """Build the timeline chart of ``events`` (already filtered) and their claims.

    Parameters
    ----------
    events, claims : DataFrame
        A selection (``geo.query.selection.select``): the chart draws exactly these events,
        plus the dated claims about the attacks and clashes among them.
    filters : Filters, optional
        Only for the subtitle and to bound the overview by the date filter.
    focus : str, optional
        ``event_id`` of an attack or clash: zoom to the weeks around it
        (:func:`focus_window`) and annotate it. Unknown ids fall back to the overview.
    width : int
        Plot width in pixels; labels that would not fit at this width are left out.
    interactive : bool
        Add the selections (``pick``, ``pick_span``, ``brush``); exports leave them out.
    empty_text : str, optional
        What the empty chart says (default: no events match the filters).

    Returns
    -------
    TimelineView
        The Altair chart has two point selections (``pick`` on the points,
        ``pick_span`` on the bars, both carrying ``event_id``) and an x-interval
        selection ``brush`` whose values are UTC milliseconds.
    """
    filters = filters or Filters()
    notes = attack_notes(events, claims)
    marks = timeline_marks(events, claims, notes)
    note = notes.get(focus) if focus else None
    if note is not None:
        a, b = focus_window(note)
        lo, hi = a, b + pd.Timedelta(days=1)
        marks = marks[(marks["end"] >= a) & (marks["start"] <= b)].reset_index(drop=True)
        title = f"Focus: {note.label} — {_day_short(a)} to {fmt_day(b)}"
    else:
        lo, hi = overview_domain(marks, filters)
        title = f"Attacks and reactions, {fmt_day(lo)} – {fmt_day(hi - pd.Timedelta(days=1))}"
    domain = (_ms(lo), _ms(hi))
    laid = layout(marks, domain, focus=note.event_id if note is not None else None, width_px=width)
    lanes = lane_order(laid) if not laid.empty else [PRIMARY_LANE]
    height = plot_height(lanes)
    tops = _lane_tops(lanes)
    n_events = int((laid["kind"] != "reaction").sum()) if not laid.empty else 0
    n_reactions = int((laid["kind"] == "reaction").sum()) if not laid.empty else 0
    subtitle = [
        f"Filters: {clipped(filters.summary(), 300)} · {n_events} events, {n_reactions} dated reactions shown"
    ]
    if note is not None:
        subtitle += note.lines()
    layer = _chart(laid, lanes, tops, domain, height, width, note, title, subtitle, interactive, empty_text)
    # Fit the width to the page but keep the natural height: y is in pixels, so a chart
    # squeezed to a fixed height (Streamlit's default "fit") would draw past its bottom.
    page_chart = _configure(layer).properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    params = []
    if interactive:
        params = ["brush"]
        params += ["pick"] if (~laid["span"]).any() else []
        params += ["pick_span"] if laid["span"].any() else []
    return TimelineView(page_chart, layer, laid, (lo, hi), note, title, subtitle, height, sorted(params))


def _chart(
    laid, lanes, tops, domain, height, width, note, title, subtitle, interactive=True, empty_text=None
) -> alt.LayerChart:
    def params(chart, *ps):
        # Exports are static: a selection there would only be dead weight (and Vega
        # rejects a brush repeated inside a concat).
        return chart.add_params(*ps) if interactive else chart

    x_scale = alt.Scale(type="utc", domain=list(domain), nice=False)
    y_scale = alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)
    span_days = (domain[1] - domain[0]) / DAY_MS
    x_axis = alt.Axis(
        title=None,
        format="%-d %b" if span_days <= 62 else "%b %Y",
        labelFlush=True,
        grid=True,
        gridColor="#e2e2e2",
        tickCount={"interval": "day", "step": 2}
        if span_days <= 31
        else ("week" if span_days <= 62 else "month"),
        labelFontSize=TEXT_PX,
        labelOverlap=True,
    )
    # Every layer uses the same x channel (field ``t``) so the axis survives layering.
    x = alt.X("t:T", scale=x_scale, axis=x_axis)
    y = alt.Y("y:Q", scale=y_scale, axis=None)
    present = [c for c in COLOURS if not laid.empty and c in set(laid["colour_key"])] or ["attack"]
    colour_scale = alt.Scale(domain=present, range=[COLOURS[c] for c in present])
    colour = alt.Color(
        "colour_key:N",
        scale=colour_scale,
        legend=alt.Legend(title="type", orient="top", direction="horizontal"),
    )
    shapes = [k for k in SHAPES if not laid.empty and k in set(laid["shape_key"])] or ["attack / clash"]
    shape = alt.Shape(
        "shape_key:N",
        scale=alt.Scale(domain=shapes, range=[SHAPES[k] for k in shapes]),
        legend=alt.Legend(title="mark", orient="top", direction="horizontal"),
    )

    # Lane backgrounds and headers; the brush lives on the background layer so a
    # drag can start anywhere, even where there are no marks.
    bg = pd.DataFrame(
        {
            "lane": lanes,
            "t": domain[0],
            "t2": domain[1],
            "y": [tops[lane] for lane in lanes],
            "y2": [tops[lane] + (PRIMARY_LANE_PX if lane == PRIMARY_LANE else LANE_PX) for lane in lanes],
            "fill": [
                "#fbf1e8" if lane == PRIMARY_LANE else ("#f3f5f7" if k % 2 else "#ffffff")
                for k, lane in enumerate(lanes)
            ],
        }
    )
    brush = alt.selection_interval(
        name="brush",
        encodings=["x"],
        mark=alt.BrushConfig(fill="#1f4e79", fillOpacity=0.12, stroke="#1f4e79"),
    )
    layers = [
        params(alt.Chart(bg), brush)
        .mark_rect(stroke="#d5d5d5", strokeWidth=0.5)
        .encode(x=x, x2="t2:T", y=y, y2="y2:Q", fill=alt.Fill("fill:N", scale=None))
        .properties(name="lanes"),
        alt.Chart(bg.assign(y=bg["y"] + 3))
        .mark_text(
            align="left",
            baseline="top",
            dx=4,
            fontSize=TEXT_PX,
            fontWeight="bold",
            color="#444",
            font=FONT,
            # A lane is named from data (a speaker): bound its header (px, then "…"), or a
            # 20,000-character name makes the chart 105,000 px wide.
            limit=LABEL_LIMIT_PX,
        )
        .encode(x=x, y=y, text="lane:N")
        .properties(name="lane_headers"),
    ]
    if note is not None:
        layers += _focus_layers(laid, note, x, y, height)
    if not laid.empty:
        spans = laid[laid["span"]]
        points = laid[~laid["span"]]
        cols = ["mark_id", "event_id", "kind", "colour_key", "shape_key", "lane", "t", "t2", "y", *_TIP_COLS]
        if not spans.empty:
            sp = _records(spans, cols)
            half = np.where(spans["kind"] == "primary", 9.0, 6.0)
            sp["y_top"] = spans["y"].to_numpy(dtype=float) - half
            sp["y_bot"] = spans["y"].to_numpy(dtype=float) + half
            pick_span = alt.selection_point(
                name="pick_span", fields=["event_id"], on="click", clear="dblclick"
            )
            layers.append(
                params(alt.Chart(sp), pick_span)
                .mark_rect(opacity=0.6, strokeWidth=1.5, cornerRadius=2, cursor="pointer", clip=True)
                .encode(
                    x=x,
                    x2="t2:T",
                    y=alt.Y("y_top:Q", scale=y_scale, axis=None),
                    y2="y_bot:Q",
                    color=colour,
                    stroke=alt.Stroke("colour_key:N", scale=colour_scale, legend=None),
                    tooltip=TOOLTIP,
                )
                .properties(name="spans")
            )
        rings = points[points["size_high"].notna()]
        if not rings.empty:
            layers.append(
                alt.Chart(_records(rings, ["t", "y", "size_high", "colour_key", *_TIP_COLS]))
                .mark_point(shape="circle", filled=False, strokeDash=[3, 2], strokeWidth=1.5)
                .encode(x=x, y=y, size=alt.Size("size_high:Q", scale=None), color=colour, tooltip=TOOLTIP)
                .properties(name="casualty_high")
            )
        if not points.empty:
            pick = alt.selection_point(name="pick", fields=["event_id"], on="click", clear="dblclick")
            layers.append(
                params(alt.Chart(_records(points, [*cols, "size", "precision"])), pick)
                .mark_point(filled=True, stroke="white", strokeWidth=1, cursor="pointer")
                .encode(
                    x=x,
                    y=y,
                    color=colour,
                    shape=shape,
                    size=alt.Size("size:Q", scale=None),
                    opacity=alt.Opacity(
                        "precision:N",
                        scale=alt.Scale(
                            domain=list(PRECISION_OPACITY), range=list(PRECISION_OPACITY.values())
                        ),
                        legend=alt.Legend(title="date", orient="top", direction="horizontal"),
                    ),
                    tooltip=TOOLTIP,
                )
                .properties(name="points")
            )
        labelled = laid[laid["label_row"].notna()]
        for row, props in (
            ("above", {"align": "center", "baseline": "top", "fontSize": TEXT_PX}),
            ("below", {"align": "center", "baseline": "top", "fontSize": TEXT_PX}),
            ("right", {"align": "left", "baseline": "middle", "fontSize": TEXT_PX, "dx": 13}),
            ("left", {"align": "right", "baseline": "middle", "fontSize": TEXT_PX, "dx": -13}),
        ):
            part = labelled[labelled["label_row"] == row]
            if part.empty:
                continue
            lab = pd.DataFrame(
                {
                    "t": part["label_x"].astype(float),
                    "y": part["label_y"].astype(float),
                    "label_text": part["label_text"],
                }
            )
            layers.append(
                alt.Chart(lab)
                .mark_text(lineBreak="\n", color="#222", font=FONT, **props)
                .encode(x=x, y=y, text="label_text:N")
                .properties(name=f"labels-{row}")
            )
    else:
        layers.append(
            alt.Chart(pd.DataFrame({"t": [(domain[0] + domain[1]) / 2], "y": [PRIMARY_LANE_PX / 2]}))
            .mark_text(text=empty_text or "No events match the filters", fontSize=13, color="#666", font=FONT)
            .encode(x=x, y=y)
            .properties(name="empty")
        )
    return alt.layer(*layers).properties(
        width=width,
        height=height,
        title=chart_title(title, subtitle, offset=10),
    )


def _configure(chart):
    return (
        chart.configure_view(stroke="#cccccc")
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(
            labelFont=FONT, titleFont=FONT, labelFontSize=TEXT_PX, titleFontSize=TEXT_PX, symbolOpacity=1
        )
    )


def _focus_layers(laid: pd.DataFrame, note: AttackNote, x, y, height: int) -> list:
    """The focused attack's rule, its links to the reactions, and the gap to the previous attack."""
    fx = _ms(note.start) + (0 if note.end > note.start else DAY_MS // 2)
    me = laid[laid["event_id"].eq(note.event_id) & laid["kind"].eq("primary")]
    y0 = float(me["y"].iloc[0]) + 10 if not me.empty else HEADER_PX
    colour = COLOURS.get(note.category, "#555")
    out = [
        alt.Chart(pd.DataFrame({"t": [fx], "y": [y0], "y2": [height]}))
        .mark_rule(color=colour, strokeDash=[5, 4], strokeWidth=1.5, opacity=0.8)
        .encode(x=x, y=y, y2="y2:Q")
        .properties(name="focus_rule")
    ]
    mine = laid[(laid["kind"] == "reaction") & (laid["about"] == note.event_id)]
    if not mine.empty:
        links = pd.DataFrame({"t": float(fx), "t2": mine["t"].astype(float), "y": mine["y"].astype(float)})
        out.append(
            alt.Chart(links)
            .mark_rule(color=COLOURS[REACTION], strokeDash=[2, 3], strokeWidth=1.2, opacity=0.8, clip=True)
            .encode(x=x, x2="t2:T", y=y)
            .properties(name="reaction_links")
        )
    prev = (
        laid[laid["event_id"].eq(note.previous_id) & laid["kind"].eq("primary")]
        if note.previous_id
        else laid.iloc[0:0]
    )
    if not prev.empty and note.days_since_previous is not None:
        p = prev.iloc[0]
        px = float(p["t2"]) if p["span"] else float(p["t"])
        lo_d, hi_d = note.days_since_previous
        text = f"{_days(lo_d, hi_d)} since the previous attack or clash"
        out += [
            alt.Chart(pd.DataFrame({"t": [px], "t2": [float(fx)], "y": [HEADER_PX + 8]}))
            .mark_rule(color="#555", strokeWidth=1, clip=True)
            .encode(x=x, x2="t2:T", y=y)
            .properties(name="since_previous"),
            alt.Chart(pd.DataFrame({"t": [(px + fx) / 2], "y": [HEADER_PX + 8], "text": [text]}))
            .mark_text(fontSize=TEXT_PX, color="#333", baseline="bottom", dy=-2, font=FONT)
            .encode(x=x, y=y, text="text:N")
            .properties(name="since_previous_label"),
        ]
    return out
