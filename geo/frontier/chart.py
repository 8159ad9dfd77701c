"""Altair charts of the frontier: the strip (chainage × time) and the sector small multiples.

The strip is one layered Vega-Lite view, so one x-interval brush (``stretch``,
values in km of chainage) can start anywhere and one point selection
(``pick``, carrying ``event_id``) can take any mark. y is time (UTC ms); the
scale is padded above the last event for the facing Tajik provinces and the
landmark names and below the first for the facing Afghan provinces, and the
axis only labels the months that hold data. Side of the border is the mark's
shape (▲ Tajik side, ▼ Afghan side, ◆ neither or unknown), colour the event
type (:data:`geo.render.timeline.COLOURS`, from the map's palette), area the
casualties (as on the timeline). An uncertain location is a horizontal bar over
its chainage range; a date known only to the month is a vertical bar.

Above :data:`STRIP_MARKS_MAX` imported events they are counted in 10 km × month
cells (grey) under the curated marks, as the timeline and maps do at scale.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from geo.data.schema import VIOLENT
from geo.frontier.reference import SIDE_NAMES
from geo.render.timeline.style import COLOURS, DAY_MS, FONT, PAGE_WIDTH_PX, chart_title
from geo.render.timeline.text import disc_area_px, short_place
from geo.report.formatting import fmt_day
from geo.scene.policy import FRONTIER_STRIP_MARKS_MAX, curated_mask

STRIP_MARKS_MAX = FRONTIER_STRIP_MARKS_MAX
HEAT_KM = 10.0
TIME_PX = 360
TOP_PX = 70
BOTTOM_PX = 26
SHAPES = {"Tajik side": "triangle-up", "Afghan side": "triangle-down", "neither / unknown": "diamond"}
PROVINCE_FILL = {"TJ": ("#f5efe4", "#ebe1cf"), "AF": ("#e9edf2", "#dbe2ea")}
TIP_COLS = ["what", "when", "where", "casualties"]
TOOLTIP = [
    alt.Tooltip("what:N", title="what"),
    alt.Tooltip("when:N", title="when"),
    alt.Tooltip("where:N", title="where on the border"),
    alt.Tooltip("casualties:N", title="killed + injured"),
]


def _ms(ts) -> float:
    return float(pd.Timestamp(ts).value // 1_000_000)


def _obj(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(object).where(df.notna(), None)


def strip_marks(events: pd.DataFrame) -> pd.DataFrame:
    """One row per frontier event with what the strip draws (position, shape, size, tooltip text)."""
    if events.empty:
        return pd.DataFrame(
            columns=[
                "event_id",
                "km",
                "lo",
                "hi",
                "t",
                "t0",
                "t1",
                "colour_key",
                "side_key",
                "size",
                "what",
                "when",
                "where",
                "casualties",
            ]
        )
    start, last = events["event_date"], events["date_last"]
    spans = last > start
    side_key = events["side"].astype(object).map(SIDE_NAMES).fillna("neither / unknown")
    violent = events["category"].isin(VIOLENT)
    size = np.where(violent, [disc_area_px(c) for c in events["casualties"]], 70.0)
    cas = [
        f"{lo}" if lo == hi else f"{lo}–{hi}"
        for lo, hi in zip(events["casualties"], events["casualties_high"], strict=True)
    ]
    where = [
        f"km {c:,.0f}"
        + (f" (range km {a:,.0f}–{b:,.0f})" if b - a >= 0.5 else "")
        + f" · {s} · {d:,.1f} km from the line"
        for c, a, b, s, d in zip(
            events["chainage_km"],
            events["chainage_lo_km"],
            events["chainage_hi_km"],
            side_key,
            events["border_km"],
            strict=True,
        )
    ]
    when = [
        f"{fmt_day(a)} – {fmt_day(b)}" if sp else fmt_day(a)
        for a, b, sp in zip(start, last, spans, strict=True)
    ]
    return pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy(),
            "km": events["chainage_km"].to_numpy(dtype=float),
            "lo": events["chainage_lo_km"].to_numpy(dtype=float),
            "hi": events["chainage_hi_km"].to_numpy(dtype=float),
            "t": [_ms(a) + DAY_MS / 2 for a in start],
            "t0": [_ms(a) for a in start],
            "t1": [_ms(b) + DAY_MS for b in last],
            "span": spans.to_numpy(),
            "colour_key": events["category"]
            .where(events["category"].isin(list(COLOURS)), "other")
            .to_numpy(),
            "side_key": side_key.to_numpy(),
            "size": size,
            "what": [
                f"{c}: {short_place(loc, 60)}"
                for c, loc in zip(events["category"], events["location"], strict=True)
            ],
            "when": when,
            "where": where,
            "casualties": cas,
        }
    )


def _heat(events: pd.DataFrame) -> pd.DataFrame:
    bins = np.floor(events["chainage_km"].to_numpy(dtype=float) / HEAT_KM) * HEAT_KM
    month = pd.to_datetime(events["event_date"]).dt.to_period("M").dt.to_timestamp()
    frame = pd.DataFrame({"lo": bins, "month": month})
    out = frame.groupby(["lo", "month"]).size().rename("count").reset_index()
    out["hi"] = out["lo"] + HEAT_KM
    out["t0"] = [_ms(m) for m in out["month"]]
    out["t1"] = [_ms(m + pd.offsets.MonthBegin(1)) for m in out["month"]]
    return out.drop(columns="month")


def strip_chart(
    events: pd.DataFrame,
    landmarks: pd.DataFrame,
    facing: pd.DataFrame,
    length_km: float,
    chosen: tuple[float, float] | None = None,
    title: str = "",
    subtitle: str = "",
    width: int = PAGE_WIDTH_PX,
) -> alt.LayerChart:
    """The frontier strip of ``events`` (:func:`geo.frontier.reference.frontier_events`).

    Parameters
    ----------
    landmarks, facing : DataFrame
        From :func:`geo.frontier.reference.load_landmarks` and :func:`~geo.frontier.reference.facing_stretches`.
    length_km : float
        Length of the line (the x domain is 0 … length).
    chosen : (float, float), optional
        A stretch already chosen (km), outlined.

    Returns
    -------
    alt.LayerChart
        With selections ``stretch`` (x interval, km) and ``pick`` (point, ``event_id``).
    """
    imported = ~curated_mask(events) if "dataset" in events else np.zeros(len(events), bool)
    counted = events[imported] if imported.sum() > STRIP_MARKS_MAX else events.iloc[0:0]
    marked = events[~imported] if len(counted) else events
    marks = strip_marks(marked)
    if len(events):
        t_lo = _ms(events["event_date"].min())
        t_hi = _ms(events["date_last"].max()) + DAY_MS
    else:
        t_lo, t_hi = _ms("2024-10-01"), _ms("2026-01-01")
    span = max(t_hi - t_lo, 30 * DAY_MS)
    t_lo, t_hi = t_lo - 0.04 * span, t_hi + 0.04 * span
    ms_px = (t_hi - t_lo) / TIME_PX
    y_min, y_max = t_lo - BOTTOM_PX * ms_px, t_hi + TOP_PX * ms_px
    height = TIME_PX + TOP_PX + BOTTOM_PX
    months = pd.date_range(
        pd.Timestamp(t_lo, unit="ms").normalize(), pd.Timestamp(t_hi, unit="ms"), freq="MS"
    )
    step = max(1, int(np.ceil(len(months) / 8)))
    x_scale = alt.Scale(domain=[0, length_km], nice=False, zero=False)
    x = alt.X(
        "km:Q",
        scale=x_scale,
        axis=alt.Axis(
            title="km along the border from the Uzbekistan tripoint (west) to the China tripoint (east)",
            grid=False,
            tickCount=12,
            labelFontSize=11,
            titleFontSize=11,
        ),
    )
    y_scale = alt.Scale(type="utc", domain=[y_min, y_max], nice=False)
    y = alt.Y(
        "t:T",
        scale=y_scale,
        axis=alt.Axis(
            title=None,
            format="%b %Y",
            values=[_ms(m) for m in months[::step]],
            grid=True,
            gridColor="#ececec",
            labelFontSize=11,
        ),
    )
    brush = alt.selection_interval(
        name="stretch",
        encodings=["x"],
        mark=alt.BrushConfig(fill="#1f4e79", fillOpacity=0.12, stroke="#1f4e79"),
    )
    bg = pd.DataFrame({"km": [0.0], "km2": [length_km], "t": [y_min], "t2": [y_max]})
    layers = [
        alt.Chart(bg)
        .mark_rect(fill="white", stroke=None)
        .encode(x=x, x2="km2:Q", y=y, y2="t2:T")
        .add_params(brush)
        .properties(name="background")
    ]
    # Facing provinces: Tajik above the time area, Afghan below.
    band = facing.copy()
    band["km"], band["km2"] = band["lo_km"], band["hi_km"]
    top0, top1 = t_hi + 2 * ms_px, t_hi + 20 * ms_px
    bot0, bot1 = y_min + 2 * ms_px, y_min + 20 * ms_px
    band["t"] = np.where(band["country"] == "TJ", top0, bot0)
    band["t2"] = np.where(band["country"] == "TJ", top1, bot1)
    band["fill"] = [PROVINCE_FILL[c][k % 2] for k, c in enumerate(band["country"])]
    band["mid"] = (band["km"] + band["km2"]) / 2
    band["tm"] = (band["t"] + band["t2"]) / 2
    band["text"] = [
        f"{n} ({'TJ' if c == 'TJ' else 'AF'})" if (b - a) > length_km * 0.08 else ""
        for n, c, a, b in zip(band["name"], band["country"], band["km"], band["km2"], strict=True)
    ]
    band["what"] = [
        f"{SIDE_NAMES[c]} facing province: {n}" for c, n in zip(band["country"], band["name"], strict=True)
    ]
    band["where"] = [f"km {a:,.0f}–{b:,.0f}" for a, b in zip(band["km"], band["km2"], strict=True)]
    layers += [
        alt.Chart(_obj(band))
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            x=x,
            x2="km2:Q",
            y=y,
            y2="t2:T",
            fill=alt.Fill("fill:N", scale=None),
            tooltip=[alt.Tooltip("what:N", title="province"), alt.Tooltip("where:N", title="stretch")],
        )
        .properties(name="provinces"),
        alt.Chart(_obj(band))
        .mark_text(fontSize=10, color="#444", font=FONT)
        .encode(x=alt.X("mid:Q", scale=x_scale), y=alt.Y("tm:T", scale=y_scale), text="text:N")
        .properties(name="province_labels"),
    ]
    # Landmarks: a dashed rule through the time area and a name above the Tajik band.
    lm = landmarks.assign(km=landmarks["chainage_km"], t=t_lo, t2=top1)
    lm["tl"] = [t_hi + (34 if k % 2 == 0 else 54) * ms_px for k in range(len(lm))]
    lm["what"] = lm["label"]
    lm["where"] = [
        f"km {k:,.0f} ({d:,.1f} km from the line)" for k, d in zip(lm["km"], lm["border_km"], strict=True)
    ]
    layers += [
        alt.Chart(_obj(lm[["km", "t", "t2", "what", "where"]]))
        .mark_rule(color="#8a8a8a", strokeDash=[4, 3], strokeWidth=1)
        .encode(
            x=x,
            y=y,
            y2="t2:T",
            tooltip=[alt.Tooltip("what:N", title="landmark"), alt.Tooltip("where:N", title="chainage")],
        )
        .properties(name="landmarks"),
        alt.Chart(_obj(lm[["km", "tl", "label"]]))
        .mark_text(fontSize=11, color="#222", font=FONT, fontWeight="bold")
        .encode(x=x, y=alt.Y("tl:T", scale=y_scale), text="label:N")
        .properties(name="landmark_labels"),
    ]
    if chosen is not None:
        lo, hi = sorted(chosen)
        ch = pd.DataFrame({"km": [lo], "km2": [hi], "t": [t_lo], "t2": [t_hi]})
        layers.append(
            alt.Chart(ch)
            .mark_rect(fill="#1f4e79", fillOpacity=0.07, stroke="#1f4e79", strokeWidth=1.5, strokeDash=[6, 3])
            .encode(x=x, x2="km2:Q", y=y, y2="t2:T")
            .properties(name="chosen_stretch")
        )
    if len(counted):
        heat = _heat(counted).rename(columns={"lo": "km", "hi": "km2", "t0": "t", "t1": "t2"})
        layers.append(
            alt.Chart(heat)
            .mark_rect(color="#555555")
            .encode(
                x=x,
                x2="km2:Q",
                y=y,
                y2="t2:T",
                opacity=alt.Opacity(
                    "count:Q",
                    scale=alt.Scale(range=[0.12, 0.85]),
                    legend=alt.Legend(title=f"imported events per {HEAT_KM:g} km · month", orient="bottom"),
                ),
                tooltip=[alt.Tooltip("count:Q", title="imported events", format=",")],
            )
            .properties(name="imported_counts")
        )
    present = [c for c in COLOURS if c in set(marks["colour_key"])] or ["attack"]
    colour_scale = alt.Scale(domain=present, range=[COLOURS[c] for c in present])
    colour = alt.Color(
        "colour_key:N",
        scale=colour_scale,
        legend=alt.Legend(title="type", orient="top", direction="horizontal"),
    )
    if len(marks):
        ranged = marks[marks["hi"] - marks["lo"] >= 0.5]
        if len(ranged):
            layers.append(
                alt.Chart(
                    _obj(
                        ranged.drop(columns="km").rename(columns={"lo": "km", "hi": "km2"})[
                            ["km", "km2", "t", "colour_key", *TIP_COLS]
                        ]
                    )
                )
                .mark_rule(strokeWidth=4, opacity=0.35, strokeCap="round")
                .encode(x=x, x2="km2:Q", y=y, color=colour, tooltip=TOOLTIP)
                .properties(name="chainage_ranges")
            )
        spans = marks[marks["span"]]
        if len(spans):
            layers.append(
                alt.Chart(
                    _obj(spans[["km", "t0", "t1", "colour_key"]].rename(columns={"t0": "t", "t1": "t2"}))
                )
                .mark_rule(strokeWidth=3, opacity=0.6)
                .encode(x=x, y=y, y2="t2:T", color=colour)
                .properties(name="date_spans")
            )
        pick = alt.selection_point(name="pick", fields=["event_id"], on="click", clear="dblclick")
        shapes = [k for k in SHAPES if k in set(marks["side_key"])]
        layers.append(
            alt.Chart(_obj(marks.drop(columns=["span"])))
            .mark_point(filled=True, stroke="white", strokeWidth=1, opacity=0.95, cursor="pointer")
            .encode(
                x=x,
                y=y,
                color=colour,
                shape=alt.Shape(
                    "side_key:N",
                    scale=alt.Scale(domain=shapes, range=[SHAPES[k] for k in shapes]),
                    legend=alt.Legend(title="side", orient="top", direction="horizontal"),
                ),
                size=alt.Size("size:Q", scale=None),
                tooltip=TOOLTIP,
            )
            .add_params(pick)
            .properties(name="events")
        )
    else:
        layers.append(
            alt.Chart(pd.DataFrame({"km": [length_km / 2], "t": [(t_lo + t_hi) / 2]}))
            .mark_text(text="No selected event within the corridor", fontSize=13, color="#666", font=FONT)
            .encode(x=x, y=y)
            .properties(name="empty")
        )
    chart = alt.layer(*layers).properties(
        width=width,
        height=height,
        title=chart_title(title, [subtitle] if subtitle else []),
    )
    return (
        chart.configure_view(stroke="#cccccc")
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=11, titleFontSize=11, symbolOpacity=1)
        .properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    )


def brushed_stretch(selection: dict | None) -> tuple[float, float] | None:
    """The chainage range (km, low → high) brushed on the strip, if any."""
    brush = (selection or {}).get("stretch") or {}
    values = brush.get("km") if isinstance(brush, dict) else None
    if not values or len(values) != 2:
        return None
    try:
        lo, hi = sorted(float(v) for v in values)
    except (TypeError, ValueError):
        return None
    return lo, hi


def picked_event(selection: dict | None) -> str | None:
    """The ``event_id`` of the strip mark clicked, if any."""
    for item in (selection or {}).get("pick") or []:
        if isinstance(item, dict) and item.get("event_id"):
            return str(item["event_id"])
    return None


def small_multiples(monthly: pd.DataFrame, rates: pd.DataFrame, columns: int = 4) -> alt.FacetChart:
    """Events per month, one small panel per sector with events (in chainage order).

    A panel is drawn in the attack colour when its sector is "more than usual"
    (:func:`geo.frontier.sectors.sector_rates`), grey otherwise.
    """
    active = rates[rates["events"] > 0]
    data = monthly.merge(
        active[["sector", "label", "tj_province", "af_province", "more_than_usual"]], on="sector"
    )

    def panel(r) -> str:
        where = f" · {r.landmarks}" if r.landmarks else ""
        return f"{r.label}{where}" + (" ★" if r.more_than_usual else "")

    names = {r.sector: panel(r) for r in active.itertuples()}
    data["panel"] = data["sector"].map(names)
    order = [names[s] for s in active["sector"]]
    data["provinces"] = data["tj_province"] + " (TJ) | " + data["af_province"] + " (AF)"
    data["flag"] = np.where(data["more_than_usual"], "★ more than usual (p < 0.05)", "within the usual range")
    data["month"] = pd.to_datetime(data["month"])
    base = (
        alt.Chart(data)
        .mark_bar(width=6)
        .encode(
            x=alt.X(
                "yearmonth(month):T", title=None, axis=alt.Axis(format="%b %y", labelFontSize=9, tickCount=4)
            ),
            y=alt.Y("events:Q", title="events", axis=alt.Axis(tickMinStep=1, format="d", labelFontSize=9)),
            color=alt.Color(
                "flag:N",
                scale=alt.Scale(
                    domain=["★ more than usual (p < 0.05)", "within the usual range"],
                    range=[COLOURS["attack"], "#8a8a8a"],
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("panel:N", title="sector"),
                alt.Tooltip("provinces:N", title="facing"),
                alt.Tooltip("yearmonth(month):T", title="month"),
                alt.Tooltip("events:Q"),
                alt.Tooltip("casualties:Q", title="killed + injured"),
            ],
        )
        .properties(width=170, height=70)
    )
    return base.facet(
        facet=alt.Facet(
            "panel:N",
            sort=order,
            title=None,
            header=alt.Header(labelFontSize=10, labelFont=FONT, labelLimit=200),
        ),
        columns=columns,
    ).resolve_scale(x="shared", y="shared")
