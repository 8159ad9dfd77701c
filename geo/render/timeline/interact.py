"""What comes back from the browser and playback: the picked event, the brushed dates, and the steps of an animated replay.

Pure functions of the selection state Streamlit hands back and of the events;
``pages/timeline.py`` and ``ui/playback.py`` call them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.query.filters import event_span


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
