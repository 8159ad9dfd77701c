"""Curated versus imported, and every threshold the outputs switch on: one place.

Curated events (``dataset == "curated"``, or a frame without a ``dataset``
column) are few and each has a story: every output shows them one by one.
Imported events (an analyst's ACLED or UCDP export) can run to a million:
above a threshold each output summarises them instead. The thresholds differ
because the outputs cost differently per item; the reasons are next to each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.data.columns import CURATED_DATASET

#: Maps (deck, snapshot, offline HTML): above this many selected events imported events are
#: counted in hexagons and only curated ones are markers. One marker costs ~0.4 KB of deck JSON
#: and ~0.2 ms to build, so 2,000 markers stay under ~1 MB and ~0.4 s per rerun; bins cost the
#: same at 2,000 events as at a million.
MAP_MARKERS_MAX = 2_000
#: Timeline and narrative: above this many imported events they are counted per month, not drawn
#: and told one by one (stacking and label placement cost ~2 ms a mark).
TIMELINE_MARKS_MAX = 300
#: Incident table: rows sent to the browser at most (Streamlit ships the whole table as Arrow).
TABLE_ROWS_MAX = 5_000
#: Frontier page strip: above this many imported events they are a density band, not marks.
FRONTIER_STRIP_MARKS_MAX = 2_000
#: Events offered in a map page's "Zoom to" box at most; above it only curated events are offered.
ZOOM_CHOICES_MAX = 200


def curated_mask(events: pd.DataFrame) -> np.ndarray:
    """True for curated events (shown one by one everywhere).

    A frame without a ``dataset`` column (synthetic or pre-merge data) has no
    marked curated events: all False, so a map above :data:`MAP_MARKERS_MAX`
    bins all of it. Outputs that treat such a frame as curated (timeline,
    table) check for the column first.
    """
    if "dataset" not in events:
        return np.zeros(len(events), dtype=bool)
    return (events["dataset"] == CURATED_DATASET).fillna(False).to_numpy(dtype=bool)


def bins_on(n_selected: int) -> bool:
    """Whether a map of ``n_selected`` events draws imported events as hexagon bins."""
    return n_selected > MAP_MARKERS_MAX


def binned_mask(events: pd.DataFrame, n_selected: int | None = None) -> np.ndarray:
    """True for the events a map draws as hexagon bins rather than markers.

    ``n_selected``: size of the selection that decides (defaults to ``len(events)``;
    a caller passing the placed events gives the selection's size).
    """
    n = len(events) if n_selected is None else n_selected
    if not bins_on(n):
        return np.zeros(len(events), dtype=bool)
    return ~curated_mask(events)
