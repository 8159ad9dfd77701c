"""The incident table: display columns and free-text search."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.aggregate import curated_mask
from geo.formatting import fmt_range
from geo.schema import GEO_PRECISION, TIME_PRECISION
from geo.uncertainty import row_border_text


def search_events(events: pd.DataFrame, claims: pd.DataFrame, query: str) -> pd.DataFrame:
    """Events whose text (place, actors, notes, sources, claims) contains every word of ``query``.

    Matching is case-insensitive and literal (no regular expressions from the user).
    """
    words = [w for w in query.casefold().split() if w]
    if not words:
        return events
    claim_text = (
        claims.assign(t=claims[["speaker", "about", "claim", "quote"]].astype(str).agg(" ".join, axis=1))
        .groupby("event_id")["t"]
        .agg(" ".join)
    )
    cols = [
        "event_id",
        "location",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "notes",
        "source",
        "category",
    ]
    text = (
        events[cols].astype(str).agg(" ".join, axis=1) + " " + events["event_id"].map(claim_text).fillna("")
    )
    text = text.str.casefold()
    mask = pd.Series(True, index=events.index)
    for w in words:
        mask &= text.str.contains(w, regex=False)
    return events[mask]


#: Rows sent to the browser at most. Streamlit ships the whole table as Arrow: a million imported
#: events would be ~100 MB and seconds of work per rerun, for a table nobody scrolls to the end.
TABLE_ROWS_MAX = 5_000


def limit_rows(events: pd.DataFrame, limit: int = TABLE_ROWS_MAX) -> tuple[pd.DataFrame, int]:
    """At most ``limit`` events for the table, and how many were left out.

    Every curated event is kept (they are few and each has a story); the rest of the
    room goes to the latest imported events. Order (date, then id) is kept.
    """
    if len(events) <= limit:
        return events, 0
    if "dataset" not in events:
        return events.iloc[len(events) - limit :], len(events) - limit
    curated = curated_mask(events)
    room = max(limit - int(curated.sum()), 0)
    others = np.flatnonzero(~curated)
    keep = np.zeros(len(events), dtype=bool)
    keep[curated] = True
    keep[others[len(others) - room :] if room else []] = True
    return events[keep], int((~keep).sum())


def _range(lo, hi) -> str:
    return fmt_range(lo, hi)


def _border_ranges(events: pd.DataFrame) -> np.ndarray:
    cols = [c for c in ("border_km_min", "border_km_max", "border_distance_km", "geo_precision",
                        "uncertainty_km") if c in events]
    texts = [row_border_text(dict(zip(cols, vals, strict=True))) for vals in events[cols].itertuples(index=False)]
    # Only the figures: the column header already says "border km".
    return np.array([t.split(" km")[0] if t else "" for t in texts], dtype=object)


def incident_table(events: pd.DataFrame) -> pd.DataFrame:
    """Display table: date, place, type, casualties (low–high), precision, sources."""
    # Type and casualties first: a briefer scans those; long place names last.
    return pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy(),
            "date": pd.to_datetime(events["event_date"]).dt.date.to_numpy(),
            "type": events["category"].to_numpy(),
            "killed": [_range(a, b) for a, b in zip(events["fatalities"], events["fatalities_high"], strict=True)],
            "injured": [_range(a, b) for a, b in zip(events["injured"], events["injured_high"], strict=True)],
            "province": events["admin1"].to_numpy(),
            "place": events["location"].to_numpy(),
            "date precision": events["time_precision"].map(lambda p: TIME_PRECISION.get(int(p), "")).to_numpy(),
            "place precision": events["geo_precision"].map(lambda p: GEO_PRECISION.get(int(p), "")).to_numpy(),
            "± km": events["uncertainty_km"].astype(float).to_numpy(),
            # A range over the uncertainty area (e.g. "0–45"); the coded point's figure is secondary.
            "border km": _border_ranges(events),
            "border km (coded point)": events["border_distance_km"].to_numpy(),
            "sources": events["source_ids"].map(lambda s: len(s)).to_numpy(),
            "tier": events["source_tier"].to_numpy(),
        }
    )
