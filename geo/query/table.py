"""The incident table: display columns and free-text search."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.data.schema import GEO_PRECISION, TIME_PRECISION
from geo.report.formatting import fmt_range
from geo.scene import policy
from geo.scene.policy import curated_mask
from geo.spatial.uncertainty import row_border_text

#: Event columns the search looks in (claims add speaker, subject, claim and quote).
SEARCH_COLUMNS = (
    "event_id",
    "location",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "notes",
    "source",
    "category",
)
CLAIM_SEARCH_COLUMNS = ("speaker", "about", "claim", "quote")


def _text_contains(values: pd.Series, word: str) -> np.ndarray:
    """Case-insensitive literal substring test in Arrow's string kernel; missing is False."""
    try:
        arr = pa.array(values.array, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: their text, missing kept missing
        arr = pa.array(values.astype(str).where(values.notna(), None).to_numpy(dtype=object))
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.large_string())
    hit = pc.fill_null(pc.match_substring(arr, word, ignore_case=True), False)
    return hit.to_numpy(zero_copy_only=False)


def _contains(col: pd.Series, word: str) -> np.ndarray:
    """Rows of ``col`` whose text contains ``word``, ignoring case; missing never matches.

    A categorical column (most imported text: actors, places, sources repeat) is
    searched once per distinct value and broadcast by its codes, so a million rows
    cost as much as their few thousand distinct values.
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        hit = np.append(_text_contains(pd.Series(col.cat.categories), word), False)
        return hit[col.cat.codes.to_numpy()]  # code -1 (missing) picks the appended False
    return _text_contains(col, word)


def search_events(events: pd.DataFrame, claims: pd.DataFrame, query: str) -> pd.DataFrame:
    """Events whose text (place, actors, notes, sources, claims) contains every word of ``query``.

    Matching ignores case (Unicode simple case folding, so Cyrillic and Tajik letters
    too) and is literal: no regular expressions from the user. A word matches inside one field (words never span two
    fields); an empty field never matches. Cost: one vectorised pass per word and
    column, no per-row Python.
    """
    words = query.split()
    if not words:
        return events
    cols = [c for c in SEARCH_COLUMNS if c in events]
    claim_cols = [c for c in CLAIM_SEARCH_COLUMNS if c in claims]
    # Claims are few (curated only); their event ids decide which events they add.
    claim_ids = claims["event_id"].to_numpy() if len(claims) else np.array([], dtype=object)
    event_ids = events["event_id"]
    mask = np.ones(len(events), dtype=bool)
    for w in words:
        hit = np.zeros(len(events), dtype=bool)
        for c in cols:
            hit |= _contains(events[c], w)
        if claim_cols and len(claims):
            in_claims = np.zeros(len(claims), dtype=bool)
            for c in claim_cols:
                in_claims |= _contains(claims[c], w)
            if in_claims.any():
                hit |= event_ids.isin(set(claim_ids[in_claims])).to_numpy()
        mask &= hit
    return events[mask]


#: Rows sent to the browser at most. Streamlit ships the whole table as Arrow: a million imported
#: events would be ~100 MB and seconds of work per rerun, for a table nobody scrolls to the end.
#: The number lives in geo.scene.policy with every other curated-versus-imported threshold.
TABLE_ROWS_MAX = policy.TABLE_ROWS_MAX


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


def _border_ranges(events: pd.DataFrame) -> np.ndarray:
    cols = [
        c
        for c in ("border_km_min", "border_km_max", "border_distance_km", "geo_precision", "uncertainty_km")
        if c in events
    ]
    texts = [
        row_border_text(dict(zip(cols, vals, strict=True))) for vals in events[cols].itertuples(index=False)
    ]
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
            "killed": [
                fmt_range(a, b) for a, b in zip(events["fatalities"], events["fatalities_high"], strict=True)
            ],
            "injured": [
                fmt_range(a, b) for a, b in zip(events["injured"], events["injured_high"], strict=True)
            ],
            "province": events["admin1"].to_numpy(),
            "place": events["location"].to_numpy(),
            "date precision": events["time_precision"]
            .map(lambda p: TIME_PRECISION.get(int(p), ""))
            .to_numpy(),
            "place precision": events["geo_precision"]
            .map(lambda p: GEO_PRECISION.get(int(p), ""))
            .to_numpy(),
            "± km": events["uncertainty_km"].astype(float).to_numpy(),
            # A range over the uncertainty area (e.g. "0–45"); the coded point's figure is secondary.
            "border km": _border_ranges(events),
            "border km (coded point)": events["border_distance_km"].to_numpy(),
            "sources": events["source_ids"].map(lambda s: len(s)).to_numpy(),
            "tier": events["source_tier"].to_numpy(),
        }
    )
