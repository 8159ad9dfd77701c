"""The incident table: display columns and free-text search."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.data.schema import GEO_PRECISION, TIME_PRECISION
from geo.report.formatting import MISSING, fmt_range
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


def _km(values) -> np.ndarray:
    """Kilometres with one decimal, ``MISSING`` where not known (the table's one form for km)."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.array([MISSING if np.isnan(x) else f"{x:,.1f}" for x in v], dtype=object)


def _border_ranges(events: pd.DataFrame) -> np.ndarray:
    """``"0–43; 11.5"`` (range over the uncertainty area; the coded point's distance second) or
    ``"3.1"`` for a site: the headline figure first, as issue 10 asks of every output."""
    cols = [
        c
        for c in ("border_km_min", "border_km_max", "border_distance_km", "geo_precision", "uncertainty_km")
        if c in events
    ]
    texts = [
        row_border_text(dict(zip(cols, vals, strict=True)), short=True)
        for vals in events[cols].itertuples(index=False)
    ]
    point = _km(events["border_distance_km"]) if "border_distance_km" in events else None
    out = []
    for i, t in enumerate(texts):
        figure = t.split(" km")[0] if t else MISSING
        if point is not None and "–" in figure and point[i] != MISSING:
            figure += f"; {point[i]}"
        out.append(figure)
    return np.array(out, dtype=object)


def _text(values) -> np.ndarray:
    """Text cells with ``MISSING`` for an empty one (never "None" or "nan" on screen)."""
    s = pd.Series(values, dtype=object)
    return s.where(s.notna() & (s.astype(str).str.strip() != ""), MISSING).to_numpy(dtype=object)


#: Column order of :func:`incident_table`: what a briefer scans first (when, what, who, how many),
#: then where and how sure. Long place names last but one; fits 1440 px with the sidebar open.
TABLE_COLUMNS = (
    "event_id",
    "date",
    "type",
    "actor 1",
    "actor 2",
    "killed",
    "injured",
    "province",
    "place",
    "border km",
    "± km",
    "precision",
    "sources",
)


def incident_table(events: pd.DataFrame) -> pd.DataFrame:
    """Display table of ``events``, newest first (date, then id, descending).

    Columns (:data:`TABLE_COLUMNS`): date, type, the two ACLED actors by their readable names,
    casualties as low–high, province and place, the border distance (range over the
    uncertainty area, then the coded point's figure), the uncertainty radius (km, one
    decimal), date and place precision in words, and the sources (count and tier). Missing
    values are ``MISSING`` ("–"), never blank or "None".
    """
    events = events.iloc[::-1]
    precision = [
        f"{TIME_PRECISION.get(int(t), '?')} / {GEO_PRECISION.get(int(g), '?')}"
        for t, g in zip(events["time_precision"], events["geo_precision"], strict=True)
    ]
    n_sources = events["source_ids"].map(len).to_numpy()
    tiers = _text(events["source_tier"])
    return pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy(),
            "date": pd.to_datetime(events["event_date"]).dt.date.to_numpy(),
            "type": events["category"].to_numpy(),
            "actor 1": _text(events["actor1"]),
            "actor 2": _text(events["actor2"]),
            "killed": [
                fmt_range(a, b) for a, b in zip(events["fatalities"], events["fatalities_high"], strict=True)
            ],
            "injured": [
                fmt_range(a, b) for a, b in zip(events["injured"], events["injured_high"], strict=True)
            ],
            "province": _text(events["admin1"]),
            "place": _text(events["location"]),
            "border km": _border_ranges(events),
            "± km": _km(events["uncertainty_km"]),
            "precision": precision,
            "sources": [f"{n} ({t})" for n, t in zip(n_sources, tiers, strict=True)],
        },
        columns=list(TABLE_COLUMNS),
    )
