"""Timeline of the attacks and the reactions to them: Vega-Lite specs and offline export.

The chart is one layered Vega-Lite view (built with Altair) so that one point
selection can pick any mark and one interval brush can span every lane:

* x is time: UTC milliseconds since the epoch. A day-precision event sits at
  noon of its day; an event known only to the month (ACLED ``time_precision``
  3) or with a ``date_end`` is a bar from 00:00 of its first possible day to
  24:00 of its last (:func:`geo.query.filters.event_span`), never a fake exact day.
* y is screen pixels from the top of the plot, computed here, so the attack
  lane can be taller than the actor swimlanes and marks that share a lane and a
  day are stacked instead of drawn on top of each other.

Lanes: attacks and clashes first (disc area ∝ killed + injured, low figures;
a dashed ring gives the high figure when sources differ), then one swimlane per
actor holding the other events that actor led (statements, visits, advisories,
calls) and its *reactions*: the dated claims about an attack or a clash from
the claims table, grouped per speaker and day.

Nothing here imports Streamlit; ``pages/timeline.py`` renders these specs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import altair as alt
import numpy as np
import pandas as pd

from geo.data.schema import TIME_PRECISION
from geo.query.filters import Filters, event_span
from geo.report.text import clipped, drawn_strings
from geo.scene.policy import TIMELINE_MARKS_MAX, curated_mask
from geo.scene.style import CATEGORY_COLOURS, CLAIM_COLOUR

#: Categories drawn as primary marks in the top lane.
PRIMARY = ("attack", "clash")
PRIMARY_LANE = "Attacks & clashes"
#: Colour key of the reaction marks (dated claims); not an event category.
REACTION = "reaction"
#: Focus window around an attack: days before its first and after its last possible day.
FOCUS_BEFORE_DAYS = 11
FOCUS_AFTER_DAYS = 9
#: Geometry of the plot, in pixels.
PRIMARY_LANE_PX = 120
LANE_PX = 42
HEADER_PX = 15
STACK_PX = 12
WIDTH_PX = 1000
#: Plot width labels are fitted to on the page: the main column of a 1,400 px window with the
#: sidebar open. Wider windows only add room; the chart itself stretches to the column.
PAGE_WIDTH_PX = 840
#: Average advance of a character of the 10–11 px label font, for collision checks.
CHAR_PX = 6.2
FONT = "Liberation Sans, DejaVu Sans, Helvetica, Arial, sans-serif"
DAY_MS = 86_400_000
#: When no event is selected the axis still needs a range.
EMPTY_DOMAIN = (pd.Timestamp("2024-10-01"), pd.Timestamp("2026-01-01"))
#: Stances in the order a reaction label lists them (the sharpest first).
STANCE_ORDER = (
    "accuses",
    "denies",
    "disputes",
    "condemns",
    "demands",
    "confirms",
    "reports",
    "advises",
    "offers cooperation",
    "welcomes",
)
# A claim is "official" when a government speaks or the speaking body is an office of
# state; media and unnamed sources are reactions too, but not official ones.
_OFFICIAL_BODY = re.compile(
    r"ministry|government|embassy|foreign|border troops|security forces|authorities|office|president|spokes",
    re.IGNORECASE,
)
_MEDIA = re.compile(r"media|outlet|sources|reporter|news", re.IGNORECASE)
SHAPES = {"attack / clash": "circle", "other event": "square", "reaction (dated claim)": "triangle-up"}
PRECISION_OPACITY = {"exact day": 1.0, "within a week": 0.45}


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


COLOURS = {**{k: _hex(v) for k, v in CATEGORY_COLOURS.items()}, REACTION: _hex(CLAIM_COLOUR)}


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------


def _ms(ts) -> int:
    """UTC milliseconds of a naive timestamp (dates in the data carry no zone)."""
    return int(pd.Timestamp(ts).value // 1_000_000)


def _day(ts) -> str:
    return f"{pd.Timestamp(ts).day} {pd.Timestamp(ts):%b %Y}"


def _day_short(ts) -> str:
    return f"{pd.Timestamp(ts).day} {pd.Timestamp(ts):%b}"


def _range(lo, hi) -> str:
    if pd.isna(lo):
        return "not reported"
    if pd.isna(hi) or int(hi) == int(lo):
        return str(int(lo))
    return f"{int(lo)}–{int(hi)}"


def _days(lo: int, hi: int) -> str:
    """'6 days', '20–50 days', 'the same day'."""
    if hi == 0:
        return "the same day"
    if lo == hi:
        return f"{lo} day" + ("" if lo == 1 else "s")
    return f"{lo}–{hi} days"


def _relative_days(lo: int, hi: int) -> str:
    """'+1 d', 'same day', '+0–30 d' (a span), '-2 d' (a claim dated before the event)."""
    lo = min(max(lo, 0), hi) if hi >= 0 else lo
    if lo == hi == 0:
        return "same day"
    return f"{hi:+d} d" if lo == hi else f"{lo:+d}–{hi:+d} d"


#: Longest source line under an exported timeline (characters; about seven lines).
SOURCE_LINE_CHARS = 1200
#: Widest lane header (px): the rest of a longer name is cut with "…".
LABEL_LIMIT_PX = 480


def short_place(location: str, limit: int = 30) -> str:
    """A label-sized place name: no parentheses, first comma part, at most ``limit`` characters."""
    text = re.sub(r"\s*\([^)]*\)", "", str(location)).split(",")[0].strip() or str(location)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_official(speaker: str, body: str | None) -> bool:
    """Whether a claim speaks for a state (a government or one of its offices)."""
    if _MEDIA.search(str(speaker)):
        return False
    return "(government)" in str(speaker) or bool(_OFFICIAL_BODY.search(str(body or "")))


def _when(start: pd.Timestamp, end: pd.Timestamp, precision: int) -> str:
    if precision == 3 and start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return f"{start:%B %Y} (known only to the month)"
    if end > start:
        return f"{_day(start)} – {_day(end)} ({TIME_PRECISION.get(precision, '?')})"
    return f"{_day(start)} ({TIME_PRECISION.get(precision, '?')})"


def _casualties(e) -> str:
    return f"killed {_range(e['fatalities'], e['fatalities_high'])}; injured {_range(e['injured'], e['injured_high'])}"


def casualty_totals(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Killed + injured per event: the low figures and the high figures (missing counts as 0)."""
    f = events["fatalities"].astype("Float64").fillna(0)
    i = events["injured"].astype("Float64").fillna(0)
    fh = events["fatalities_high"].astype("Float64").fillna(f)
    ih = events["injured_high"].astype("Float64").fillna(i)
    return (f + i).astype(int), (fh + ih).astype(int)


def disc_area_px(total: int) -> float:
    """Area (px²) of an attack's disc: radius 4 px plus 2·√(killed + injured)."""
    r = 4.0 + 2.0 * float(np.sqrt(max(int(total), 0)))
    return round(float(np.pi) * r * r, 1)


# ---------------------------------------------------------------------------
# Annotations: days since the previous attack, first official reaction
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttackNote:
    """Computed facts about one attack or clash, for the focus view.

    Day counts are whole days between possible dates: a span (month-only or
    ``date_end``) gives a range ``(low, high)``.
    """

    event_id: str
    category: str
    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    previous_id: str | None
    previous_label: str | None
    days_since_previous: tuple[int, int] | None
    first_reaction_date: pd.Timestamp | None
    first_reaction_days: tuple[int, int] | None
    first_reaction_by: tuple[str, ...]
    first_reaction_stances: tuple[str, ...]

    def lines(self) -> list[str]:
        """Plain-text annotation lines (unescaped data)."""
        out = []
        if self.days_since_previous is None:
            out.append("first attack or clash in this selection")
        else:
            lo, hi = self.days_since_previous
            out.append(f"{_days(lo, hi)} after the previous attack or clash ({self.previous_label})")
        if self.first_reaction_date is None:
            out.append("no dated official reaction in the data")
        else:
            lo, hi = self.first_reaction_days
            after = "the same day" if hi == 0 else f"after {_days(lo, hi)}"
            out.append(
                f"first official reaction {after} ({_day(self.first_reaction_date)}): "
                + ", ".join(self.first_reaction_stances)
            )
            out.append("by " + "; ".join(self.first_reaction_by))
        return out


def _event_label(e, start, end) -> str:
    prec = int(e["time_precision"])
    when = f"{start:%B %Y}" if (prec == 3 and end > start) else _day(start)
    return f"{when} {e['category']}, {short_place(e['location'])}"


def attack_notes(events: pd.DataFrame, claims: pd.DataFrame) -> dict[str, AttackNote]:
    """Annotations of every attack and clash in ``events``, keyed by ``event_id``.

    Parameters
    ----------
    events : DataFrame
        Events (the current selection); only categories in :data:`PRIMARY` are annotated,
        and "previous" means the previous one of those in ``events``.
    claims : DataFrame
        Claims; a reaction is a claim about the attack with a ``claim_date`` on or after
        its first possible day, spoken by a state (see :func:`is_official`).
    """
    prim = events[events["category"].isin(PRIMARY)]
    if prim.empty:
        return {}
    start, end = event_span(prim)
    order = pd.DataFrame({"start": start, "end": end, "id": prim["event_id"]}).sort_values(
        ["start", "id"], kind="stable"
    )
    notes: dict[str, AttackNote] = {}
    prev = None
    dated = claims[claims["claim_date"].notna()]
    for idx, row in order.iterrows():
        e = prim.loc[idx]
        s, t = row["start"], row["end"]
        label = _event_label(e, s, t)
        if prev is None:
            since = None
            prev_id = prev_label = None
        else:
            ps, pt, pe = prev
            since = (max(int((s - pt).days), 0), int((t - ps).days))
            prev_id, prev_label = pe["event_id"], _event_label(pe, ps, pt)
        mine = dated[(dated["event_id"] == e["event_id"]) & (pd.to_datetime(dated["claim_date"]) >= s)]
        mine = mine[[is_official(sp, b) for sp, b in zip(mine["speaker"], mine["speaker_body"], strict=True)]]
        if mine.empty:
            first = None
            first_days = None
            by: tuple[str, ...] = ()
            stances: tuple[str, ...] = ()
        else:
            first = pd.Timestamp(pd.to_datetime(mine["claim_date"]).min())
            at = mine[pd.to_datetime(mine["claim_date"]) == first]
            first_days = (max(int((first - t).days), 0), int((first - s).days))
            by = tuple(
                dict.fromkeys(
                    f"{sp}: {b}" if b else str(sp)
                    for sp, b in zip(at["speaker"], at["speaker_body"], strict=True)
                )
            )
            stances = tuple(st for st in STANCE_ORDER if st in set(at["stance"]))
        notes[e["event_id"]] = AttackNote(
            event_id=e["event_id"],
            category=str(e["category"]),
            label=label,
            start=s,
            end=t,
            previous_id=prev_id,
            previous_label=prev_label,
            days_since_previous=since,
            first_reaction_date=first,
            first_reaction_days=first_days,
            first_reaction_by=by,
            first_reaction_stances=stances,
        )
        prev = (s, t, e)
    return notes


def focus_window(note: AttackNote) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of the focus view around an attack."""
    return (note.start - pd.Timedelta(days=FOCUS_BEFORE_DAYS), note.end + pd.Timedelta(days=FOCUS_AFTER_DAYS))


def focus_options(events: pd.DataFrame, claims: pd.DataFrame) -> dict[str, str]:
    """``event_id`` → menu label of each attack or clash one can focus on, oldest first."""
    out = {}
    for eid, n in attack_notes(events, claims).items():
        a, b = focus_window(n)
        out[eid] = f"{n.label} ({_day_short(a)} – {_day(b)})"
    return out


# ---------------------------------------------------------------------------
# Marks
# ---------------------------------------------------------------------------

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
                killed = _range(e["fatalities"], e["fatalities_high"])
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
                        "when": f"{_day(day)} ({after} relative to the {n.category})",
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
            w, h = _text_box(r["label_text"], 11)
            x0 = r["x_mid_px"] - w / 2
            # Multi-line text grows downwards from its first line, so both rows are
            # anchored at their top edge.
            top_above = r["y"] - half_h[i] - 3 - h
            top_below = r["y"] + half_h[i] + 3
            options = [
                ("above", (x0, x0 + w, top_above, top_above + h), top_above),
                ("below", (x0, x0 + w, top_below, top_below + h), top_below),
            ]
            lx = mid[i]
        else:
            w, h = _text_box(r["label_text"], 10)
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


# ---------------------------------------------------------------------------
# The chart
# ---------------------------------------------------------------------------


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
        title = f"Focus: {note.label} — {_day_short(a)} to {_day(b)}"
    else:
        lo, hi = overview_domain(marks, filters)
        title = f"Attacks and reactions, {_day(lo)} – {_day(hi - pd.Timedelta(days=1))}"
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
        labelFontSize=11,
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
            fontSize=11,
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
            ("above", {"align": "center", "baseline": "top", "fontSize": 11}),
            ("below", {"align": "center", "baseline": "top", "fontSize": 11}),
            ("right", {"align": "left", "baseline": "middle", "fontSize": 10, "dx": 13}),
            ("left", {"align": "right", "baseline": "middle", "fontSize": 10, "dx": -13}),
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
        title=alt.TitleParams(
            text=title,
            subtitle=subtitle,
            anchor="start",
            fontSize=15,
            subtitleFontSize=12,
            font=FONT,
            subtitleFont=FONT,
            subtitleColor="#333",
            offset=10,
        ),
    )


def _configure(chart):
    return (
        chart.configure_view(stroke="#cccccc")
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=11, titleFontSize=11, symbolOpacity=1)
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
            .mark_text(fontSize=10, color="#333", baseline="bottom", dy=-2, font=FONT)
            .encode(x=x, y=y, text="text:N")
            .properties(name="since_previous_label"),
        ]
    return out


# ---------------------------------------------------------------------------
# Selections coming back from the browser
# ---------------------------------------------------------------------------


def picked_event(selection: dict | None) -> str | None:
    """The ``event_id`` of the mark clicked on the timeline, if any."""
    for name in ("pick", "pick_span"):
        for item in (selection or {}).get(name) or []:
            if isinstance(item, dict) and item.get("event_id"):
                return str(item["event_id"])
    return None


def brush_dates(selection: dict | None) -> tuple[date, date] | None:
    """The days covered by the timeline's brush (first, last; inclusive), if any.

    The brush reports UTC milliseconds (or ISO strings); a brush that ends at
    00:00 does not take in the day that starts there.
    """
    brush = (selection or {}).get("brush") or {}
    values = next(iter(brush.values()), None) if isinstance(brush, dict) else None
    if not values or len(values) != 2:
        return None
    ts = []
    for v in values:
        t = pd.Timestamp(v, unit="ms") if isinstance(v, (int, float)) else pd.Timestamp(v)
        ts.append(t.tz_convert(None) if t.tzinfo else t)
    a, b = sorted(ts)
    last = (b - pd.Timedelta(milliseconds=1)) if b > a else b
    return a.date(), max(last, a).date()


# ---------------------------------------------------------------------------
# Playback
# ---------------------------------------------------------------------------


def playback_steps(events: pd.DataFrame) -> list[date]:
    """Distinct first possible days of ``events``, oldest first: one playback step each."""
    if events.empty:
        return []
    start, _ = event_span(events)
    return sorted({pd.Timestamp(s).date() for s in start})


def events_until(events: pd.DataFrame, day: date) -> pd.DataFrame:
    """Events that may have happened by the end of ``day`` (first possible day ≤ ``day``).

    A month-only event therefore appears from the first of its month.
    """
    start, _ = event_span(events)
    return events[start <= pd.Timestamp(day)]


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


def source_line(events: pd.DataFrame, sources: pd.DataFrame | None = None, version: str | None = None) -> str:
    """The export's source line: the outlets the drawn events cite.

    With the source catalogue (``Bundle.sources``) outlets come from the cited
    ``source_ids``; without it, from the events' free-text ``source`` column.
    """
    if sources is not None and "source_ids" in events:
        cited = {sid for ids in events["source_ids"] for sid in ids}
        cat = sources[sources["source_id"].isin(cited)]
        names = [f"{o} ({t})" for o, t in zip(cat["outlet"], cat["tier"], strict=True)]
    else:
        names = [o.strip() for s in events.get("source", []) for o in str(s).split(";") if o.strip()]
    # "unidentified (seeds 000, 001)" and the like: one entry for all unnamed outlets.
    outlets = dict.fromkeys(
        "unidentified outlets (seed documents)" if n.startswith("unidentified") else n for n in names
    )
    listed = "; ".join(outlets) if outlets else "none"
    ver = f" (data version {version})" if version else ""
    return f"Panj Watch{ver}: curated from seed documents and related public reporting. Sources: {listed}"


def _wrap(text: str, limit: int = 170) -> list[str]:
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > limit:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


KEY_LINE = (
    "Disc area: killed + injured (low figures); dashed ring: the high figure. Bars: dates known only to the "
    "month or a range. Faded: date known within a week. Triangles: dated claims (accusations, denials …) — claims, not facts."
)


def export_chart(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    filters: Filters | None = None,
    focus: str | None = None,
    source: str | None = None,
) -> alt.VConcatChart:
    """The timeline as exported: the same view, then a key and a source line under the legends."""
    view = timeline_view(events, claims, filters, focus, width=WIDTH_PX, interactive=False)
    # The source line names outlets from data: a few lines at most, or a 20,000-character
    # outlet makes a footer 1,500 px tall.
    lines = _wrap(KEY_LINE) + _wrap(clipped(source or source_line(events), SOURCE_LINE_CHARS))
    foot = (
        alt.Chart(pd.DataFrame({"text": ["\n".join(lines)]}))
        .mark_text(
            align="left", baseline="top", lineBreak="\n", fontSize=10, color="#555", font=FONT, limit=WIDTH_PX
        )
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
        .properties(
            width=WIDTH_PX, height=len(lines) * 13, name="footer", view=alt.ViewBackground(stroke=None)
        )
    )
    main = view.layer.properties(title=alt.TitleParams(text=""))
    out = alt.vconcat(main, foot, spacing=14).properties(
        title=alt.TitleParams(
            text=view.title,
            subtitle=view.subtitle,
            anchor="start",
            fontSize=16,
            subtitleFontSize=12,
            font=FONT,
            subtitleFont=FONT,
            subtitleColor="#333",
            offset=10,
        ),
        padding=16,
        background="white",
    )
    return _configure(out)


def _vl_version() -> str | None:
    import vl_convert as vlc

    want = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return want if want in vlc.get_vegalite_versions() else None


def _spec_for_export(events, claims, filters, focus, source) -> dict:
    # vl-convert draws text through an SVG parser that aborts the whole process (a Rust
    # panic, no exception) on a character XML cannot hold, such as NUL: every string of
    # the spec is drawn text, controls and bidi overrides escaped ("\n" kept: the footer
    # breaks lines there).
    return drawn_strings(
        export_chart(events, claims, filters, focus, source).to_dict(validate=False), keep="\n"
    )


def timeline_png(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    filters: Filters | None = None,
    focus: str | None = None,
    scale: float = 2,
    source: str | None = None,
) -> bytes:
    """The timeline as PNG bytes, rendered offline by vl-convert (no network allowed).

    ``scale`` multiplies the ~1,100 px wide layout (2 → about 2,200 px, slide quality).
    """
    import vl_convert as vlc

    return vlc.vegalite_to_png(
        _spec_for_export(events, claims, filters, focus, source),
        vl_version=_vl_version(),
        scale=scale,
        allowed_base_urls=[],
    )


def timeline_svg(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    filters: Filters | None = None,
    focus: str | None = None,
    source: str | None = None,
) -> str:
    """The timeline as an SVG document, rendered offline by vl-convert (no network allowed)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(
        _spec_for_export(events, claims, filters, focus, source),
        vl_version=_vl_version(),
        allowed_base_urls=[],
    )


#: Above this many imported events in a selection, the timeline counts them per month
#: (:func:`imported_counts`) instead of drawing one labelled mark each: stacking and label
#: placement cost ~2 ms a mark (2,000 marks: 4 s; 12,000: 32 s), and a briefing timeline is
#: read mark by mark. Curated events are always marks. The maps make the same split
#: at their own threshold. The number lives in geo.scene.policy with every other threshold.
IMPORTED_MARKS_MAX = TIMELINE_MARKS_MAX


def split_imported(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(drawn as marks, counted per month)``: imported events go to the second part only when
    there are more than :data:`IMPORTED_MARKS_MAX` of them; curated events always stay marks."""
    if "dataset" not in events:
        return events, events.iloc[0:0]
    imported = ~curated_mask(events)
    if imported.sum() <= IMPORTED_MARKS_MAX:
        return events, events.iloc[0:0]
    return events[~imported], events[imported]


def imported_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per calendar month and category: ``month`` (first day), ``category``, ``count``,
    ``killed`` (sum of low figures), sorted by month then category."""
    cols = ["month", "category", "count", "killed"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(events["event_date"]).dt.to_period("M").dt.to_timestamp(),
            "category": events["category"].astype(str),
            "killed": events["fatalities"].astype("Float64").fillna(0),
        }
    )
    out = frame.groupby(["month", "category"], observed=True).agg(
        count=("killed", "size"), killed=("killed", "sum")
    )
    out = out.reset_index()
    out["killed"] = out["killed"].round().astype(int)
    return out[cols].sort_values(["month", "category"], kind="stable").reset_index(drop=True)


def imported_counts_chart(counts: pd.DataFrame, width: int = PAGE_WIDTH_PX) -> alt.Chart:
    """Stacked monthly bars of :func:`imported_counts`, coloured as the maps colour categories."""
    cats = sorted(counts["category"].unique()) if len(counts) else []
    chart = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None),
            y=alt.Y("sum(count):Q", title="events / month"),
            color=alt.Color(
                "category:N",
                scale=alt.Scale(domain=cats, range=[COLOURS.get(c, COLOURS["other"]) for c in cats]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="month"),
                alt.Tooltip("category:N"),
                alt.Tooltip("count:Q", title="events", format=","),
                alt.Tooltip("killed:Q", title="killed (low figures)", format=","),
            ],
        )
        .properties(width=width, height=160)
    )
    return _configure(chart)
