"""Small helpers of the timeline: timestamps as UTC milliseconds, dates and ranges as text, short place names, who counts as official, casualty totals and disc areas.

They hold no chart logic; the annotations, the marks, the chart and the export
build on them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo.data.schema import TIME_PRECISION
from geo.render.timeline.style import _MEDIA, _OFFICIAL_BODY
from geo.report.formatting import fmt_day, fmt_range


def _ms(ts) -> int:
    """UTC milliseconds of a naive timestamp (dates in the data carry no zone)."""
    return int(pd.Timestamp(ts).value // 1_000_000)


def _day_short(ts) -> str:
    return f"{pd.Timestamp(ts).day} {pd.Timestamp(ts):%b}"


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
        return f"{fmt_day(start)} – {fmt_day(end)} ({TIME_PRECISION.get(precision, '?')})"
    return f"{fmt_day(start)} ({TIME_PRECISION.get(precision, '?')})"


def _casualties(e) -> str:
    killed = fmt_range(e["fatalities"], e["fatalities_high"], missing="not reported")
    injured = fmt_range(e["injured"], e["injured_high"], missing="not reported")
    return f"killed {killed}; injured {injured}"


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
