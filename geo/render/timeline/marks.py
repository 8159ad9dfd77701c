"""The marks of the timeline and where they sit: one row per event or reaction, lanes, stacking and label collisions.

:func:`timeline_marks` turns events and dated claims into mark rows (x in UTC
milliseconds, a bar for an event known only to a span); :func:`layout` gives
every mark its lane and pixel y so marks that share a lane and a day stack, and
drops labels that would overlap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.query.filters import Filters, event_span
from geo.render.timeline.notes import AttackNote, attack_notes
from geo.render.timeline.style import (
    DAY_MS,
    EMPTY_DOMAIN,
    HEADER_PX,
    LANE_PX,
    PRIMARY,
    PRIMARY_LANE,
    PRIMARY_LANE_PX,
    REACTION,
    STACK_PX,
    STANCE_ORDER,
    TEXT_PX,
    WIDTH_PX,
)
from geo.render.timeline.text import (
    _casualties,
    _day_short,
    _ms,
    _relative_days,
    _when,
    casualty_totals,
    disc_area_px,
    short_place,
)
from geo.report.formatting import fmt_day, fmt_range

MARK_COLUMNS = [
    "mark_id",
    "event_id",
    "kind",
    "shape_key",
    "category",
    "colour_key",
    "lane",
    "start",
    "end",
    "t",
    "t2",
    "span",
    "precision",
    "size",
    "size_high",
    "label",
    "what",
    "when",
    "who",
    "casualties",
    "note",
    "label_focus",
    "about",
]


def undated_claims(events: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Claims about the selected attacks and clashes that have no date, so are not drawn."""
    prim = events[events["category"].isin(PRIMARY)]["event_id"]
    return claims[claims["event_id"].isin(prim) & claims["claim_date"].isna()]


def timeline_marks(
    events: pd.DataFrame, claims: pd.DataFrame, notes: dict[str, AttackNote] | None = None
) -> pd.DataFrame:
    """One row per mark of the timeline (before lanes and pixels are assigned).

    Returns
    -------
    DataFrame
        :data:`MARK_COLUMNS`: ``kind`` is ``primary`` (attack or clash), ``event``
        (any other event, in the lane of its ``actor1``) or ``reaction`` (the dated
        claims of one speaker about one attack or clash on one day, in the speaker's
        lane). ``start``/``end`` are the first and last possible days; ``t``/``t2``
        the x extent in UTC milliseconds (``t2`` only for spans).
    """
    rows = []
    notes = attack_notes(events, claims) if notes is None else notes
    if not events.empty:
        start, end = event_span(events)
        low, high = casualty_totals(events)
        for idx, e in events.iterrows():
            s, t = start.loc[idx], end.loc[idx]
            prec = int(e["time_precision"])
            span = bool(t > s)
            primary = e["category"] in PRIMARY
            note = notes.get(e["event_id"])
            cas = _casualties(e) if primary else ""
            if primary:
                killed = fmt_range(e["fatalities"], e["fatalities_high"], missing="not reported")
                day = (
                    f"{s:%b %Y}"
                    if (prec == 3 and span)
                    else (f"{s.day}–{_day_short(t)}" if span else _day_short(s))
                )
                label = f"{day}\n{killed} killed"
                label_focus = f"{day} · {short_place(e['location'])}\n{cas.replace(';', ' ·')}"
            else:
                label = label_focus = f"{e['category']} · {short_place(e['location'], 22)}"
            rows.append(
                {
                    "mark_id": e["event_id"],
                    "event_id": e["event_id"],
                    "kind": "primary" if primary else "event",
                    "shape_key": "attack / clash" if primary else "other event",
                    "category": e["category"],
                    "colour_key": e["category"],
                    "lane": PRIMARY_LANE if primary else str(e["actor1"]),
                    "start": s,
                    "end": t,
                    "t": _ms(s) if span else _ms(s) + DAY_MS // 2,
                    "t2": _ms(t) + DAY_MS if span else None,
                    "span": span,
                    "precision": "within a week" if prec == 2 else ("exact day" if prec == 1 else "month"),
                    "size": disc_area_px(low.loc[idx]) if primary else 110.0,
                    "size_high": disc_area_px(high.loc[idx])
                    if primary and high.loc[idx] > low.loc[idx]
                    else None,
                    "label": label,
                    "label_focus": label_focus,
                    "what": f"{e['category']}: {e['location']}",
                    "when": _when(s, t, prec),
                    "who": " → ".join(str(a) for a in (e["actor1"], e["actor2"]) if a and not pd.isna(a)),
                    "casualties": cas,
                    "note": " · ".join(note.lines()) if note else "",
                    "about": None,
                }
            )
        # Reactions: dated claims about the selected attacks and clashes.
        prim = events[events["category"].isin(PRIMARY)].set_index("event_id")
        dated = claims[claims["event_id"].isin(prim.index) & claims["claim_date"].notna()].copy()
        if not dated.empty:
            dated["day"] = pd.to_datetime(dated["claim_date"]).dt.normalize()
            for (eid, speaker, day), grp in dated.groupby(["event_id", "speaker", "day"], sort=True):
                n = notes[eid]
                stances = [s for s in STANCE_ORDER if s in set(grp["stance"])]
                bodies = ", ".join(dict.fromkeys(b for b in grp["speaker_body"] if b))
                lo, hi = int((day - n.end).days), int((day - n.start).days)
                after = _relative_days(lo, hi)
                short = ", ".join(stances[:2]) + ("…" if len(stances) > 2 else "")
                what = "; ".join(f"{c.stance} {c.about}" for c in grp.itertuples(index=False))
                rows.append(
                    {
                        "mark_id": f"{eid}|{speaker}|{day:%Y-%m-%d}",
                        "event_id": eid,
                        "kind": "reaction",
                        "shape_key": "reaction (dated claim)",
                        "category": REACTION,
                        "colour_key": REACTION,
                        "lane": str(speaker),
                        "start": day,
                        "end": day,
                        "t": _ms(day) + DAY_MS // 2,
                        "t2": None,
                        "span": False,
                        "precision": "exact day",
                        "size": 110.0,
                        "size_high": None,
                        "label": f"{short} (re {_day_short(n.start)})",
                        "label_focus": f"{short} {after}",
                        "what": f"reaction to the {n.label}: {what}",
                        "when": f"{fmt_day(day)} ({after} relative to the {n.category})",
                        "who": f"{speaker}" + (f": {bodies}" if bodies else ""),
                        "casualties": "",
                        "note": "claims, not established facts",
                        "about": eid,
                    }
                )
    out = pd.DataFrame(rows, columns=MARK_COLUMNS)
    return out.sort_values(["t", "mark_id"], kind="stable", ignore_index=True)


def lane_order(marks: pd.DataFrame) -> list[str]:
    """Attacks first, then actor lanes by number of marks (most first), then name."""
    others = marks[marks["lane"] != PRIMARY_LANE]["lane"].value_counts()
    ranked = sorted(others.index, key=lambda lane: (-int(others[lane]), lane))
    return [PRIMARY_LANE, *ranked]


def _lane_tops(lanes: list[str]) -> dict[str, int]:
    tops, y = {}, 0
    for lane in lanes:
        tops[lane] = y
        y += PRIMARY_LANE_PX if lane == PRIMARY_LANE else LANE_PX
    return tops


def plot_height(lanes: list[str]) -> int:
    """Height of the plot area in pixels for these lanes."""
    return sum(PRIMARY_LANE_PX if lane == PRIMARY_LANE else LANE_PX for lane in lanes)


def _text_box(text: str, font_px: int) -> tuple[float, float]:
    """Width and height (px) a label needs, estimated from its longest line."""
    lines = str(text).split("\n")
    return max(len(line) for line in lines) * font_px * 0.56, len(lines) * (font_px + 1)


def _overlaps(box, boxes) -> bool:
    x0, x1, y0, y1 = box
    return any(x0 < b1 and b0 < x1 and y0 < d1 and d0 < y1 for b0, b1, d0, d1 in boxes)


def _mark_radius(size: float) -> float:
    return float(np.sqrt(float(size) / np.pi))


def layout(
    marks: pd.DataFrame, domain: tuple[int, int], focus: str | None = None, width_px: int = WIDTH_PX
) -> pd.DataFrame:
    """Assign each mark its pixel row and decide which labels fit.

    Marks that share a lane and (within 8 px) a date are stacked
    ``STACK_PX`` apart. Labels are placed greedily from left to right — above
    or below an attack, right of other marks — and dropped when they would
    overlap a mark or a label already placed (at ``width_px``); the tooltip
    still carries everything.

    Parameters
    ----------
    focus : str, optional
        ``event_id`` of the focused attack: its marks and its reactions get the
        long labels (place, casualties, days after the attack).

    Returns
    -------
    DataFrame
        ``marks`` plus ``y`` (px from the top), ``label_text``, ``label_row``
        (``above``/``below``/``right``/``left`` or None), ``label_x`` (UTC ms) and
        ``label_y`` (px).
    """
    m = marks.copy().reset_index(drop=True)
    m["y"] = 0.0
    m["label_text"] = m["label"] if len(m) else pd.Series(dtype=object)
    m["label_row"] = None
    m["label_x"] = m["t"].astype(float) if len(m) else pd.Series(dtype=float)
    m["label_y"] = np.nan
    if m.empty:
        return m
    if focus is not None:
        long = (m["kind"] == "primary") | (m["about"] == focus)
        m["label_text"] = np.where(long, m["label_focus"], m["label"])
    lanes = lane_order(m)
    tops = _lane_tops(lanes)
    px_per_ms = width_px / max(domain[1] - domain[0], 1)
    mid = np.where(m["span"], (m["t"] + m["t2"].astype(float).fillna(0)) / 2, m["t"]).astype(float)
    m["x_px"] = (m["t"].astype(float) - domain[0]) * px_per_ms
    m["x2_px"] = np.where(m["span"], (m["t2"].astype(float).fillna(0) - domain[0]) * px_per_ms, m["x_px"])
    m["x_mid_px"] = (mid - domain[0]) * px_per_ms
    centre_primary = HEADER_PX + (PRIMARY_LANE_PX - HEADER_PX) / 2
    centre_lane = HEADER_PX + (LANE_PX - HEADER_PX) / 2
    for lane, grp in m.groupby("lane", sort=False):
        centre = tops[lane] + (centre_primary if lane == PRIMARY_LANE else centre_lane)
        step = 0 if lane == PRIMARY_LANE else STACK_PX
        clusters: list[list[int]] = []
        last_x = None
        order = grp.sort_values(["x_mid_px", "mark_id"], kind="stable")
        for i, x in zip(order.index, order["x_mid_px"], strict=True):
            if last_x is None or x - last_x > 8:
                clusters.append([])
            clusters[-1].append(i)
            last_x = x
        for c in clusters:
            for k, i in enumerate(c):
                m.loc[i, "y"] = centre + (k - (len(c) - 1) / 2) * step
    # Every mark is an obstacle for every label but its own.
    radius = np.where(
        m["span"],
        9.0,
        [
            max(_mark_radius(s), _mark_radius(h) if pd.notna(h) else 0)
            for s, h in zip(m["size"], m["size_high"], strict=True)
        ],
    )
    half_h = np.where(m["span"], np.where(m["kind"] == "primary", 9.0, 6.0), radius)
    mark_boxes = [
        (float(x0) - (0 if sp else r), float(x1) + (0 if sp else r), float(y) - h, float(y) + h)
        for x0, x1, y, r, h, sp in zip(m["x_px"], m["x2_px"], m["y"], radius, half_h, m["span"], strict=True)
    ]
    placed: list[tuple[float, float, float, float]] = []
    for i in m.sort_values(["x_mid_px", "mark_id"], kind="stable").index:
        r = m.loc[i]
        others = mark_boxes[:i] + mark_boxes[i + 1 :]
        if r["lane"] == PRIMARY_LANE:
            w, h = _text_box(r["label_text"], TEXT_PX)
            # Centred on its mark, but slid inside the chart near either edge (a mark at the
            # focus window's edge keeps its label); label_x moves with it.
            x0 = min(max(r["x_mid_px"] - w / 2, 0.0), max(width_px - w, 0.0))
            shift_ms = (x0 - (r["x_mid_px"] - w / 2)) / px_per_ms
            # Multi-line text grows downwards from its first line, so both rows are
            # anchored at their top edge.
            top_above = r["y"] - half_h[i] - 3 - h
            top_below = r["y"] + half_h[i] + 3
            # A second tier above and below, for attacks days apart (20, 26 and 30 Nov 2025 sit
            # within 20 px at the overview's scale): every attack gets a label, kept in its lane.
            tier = h + 2
            lane_top, lane_bottom = tops[PRIMARY_LANE] + HEADER_PX, tops[PRIMARY_LANE] + PRIMARY_LANE_PX
            options = [
                (row, (x0, x0 + w, top, top + h), top)
                for row, top in (
                    ("above", top_above),
                    ("below", top_below),
                    ("above", top_above - tier),
                    ("below", top_below + tier),
                )
                if lane_top <= top and top + h <= lane_bottom
            ]
            lx = mid[i] + shift_ms
        else:
            w, h = _text_box(r["label_text"], TEXT_PX)
            x0 = (r["x_px"] if r["span"] else r["x_px"] + radius[i]) + 7
            x1 = r["x_px"] - radius[i] - 7
            options = [
                ("right", (x0, x0 + w, r["y"] - h / 2, r["y"] + h / 2), r["y"]),
                # Near the right edge a label goes left of its mark rather than off the chart.
                ("left", (x1 - w, x1, r["y"] - h / 2, r["y"] + h / 2), r["y"]),
            ]
            lx = float(r["t"])
        for row, box, y in options:
            inside = box[0] >= 0 and box[1] <= width_px
            if inside and not _overlaps(box, others) and not _overlaps(box, placed):
                placed.append(box)
                m.loc[i, ["label_row", "label_y", "label_x"]] = [row, y, lx]
                break
    return m


def overview_domain(marks: pd.DataFrame, filters: Filters | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """x range of the overview: from the month before the first mark to just after the last.

    The shared date filter, when set, bounds the range instead.
    """
    f = filters or Filters()
    if marks.empty:
        lo, hi = EMPTY_DOMAIN
        if f.years:
            lo, hi = pd.Timestamp(min(f.years), 1, 1), pd.Timestamp(max(f.years) + 1, 1, 1)
    else:
        first = pd.Timestamp(marks["start"].min())
        # Start a whole month before the first event's month: context before the first attack.
        lo = (first.to_period("M") - 1).to_timestamp()
        last = pd.Timestamp(marks["end"].max()) + pd.Timedelta(days=1)
        pad = max(pd.Timedelta(days=5), (last - lo) * 0.04)
        hi = last + pad
    if f.date_from:
        lo = pd.Timestamp(f.date_from)
    if f.date_to:
        hi = pd.Timestamp(f.date_to) + pd.Timedelta(days=1)
    return pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()
