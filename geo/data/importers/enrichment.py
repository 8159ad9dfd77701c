"""Enrich imported events with the province join and border columns, once per distinct place.

The columns are exactly those of :func:`geo.spatial.enrich.enrich_events`, which does
the work. Exports of ACLED and UCDP code events to a gazetteer of named places
(a village, a district centre), so a hundred thousand events sit on a few
thousand distinct points: every result of the join depends only on the point,
the coded ``admin1`` and the ``country``, so it is computed once per distinct
``(longitude, latitude, admin1, country)`` and broadcast back with NumPy
indexing. Distinct places are enriched in chunks to bound peak memory.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.columns import ENRICH_CATEGORY_COLUMNS
from geo.spatial.enrich import enrich_events
from geo.spatial.join import DEFAULT_TOLERANCE_KM

#: Distinct places enriched per call of enrich_events (memory ~ a few hundred bytes each).
CHUNK_PLACES = 100_000
KEY_COLUMNS = ("longitude", "latitude", "admin1", "country")


def place_codes(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Code of each event's distinct place, and the position of each place's first event."""
    keys = events[list(KEY_COLUMNS)]
    codes = keys.groupby(list(KEY_COLUMNS), sort=False, dropna=False, observed=True).ngroup().to_numpy()
    _, first = np.unique(codes, return_index=True)
    return codes, first


def enrich_imported(
    events: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame,
    border: gpd.GeoDataFrame,
    border_detail: gpd.GeoDataFrame | None = None,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
    progress=None,
) -> gpd.GeoDataFrame:
    """``events`` with the columns of :func:`geo.spatial.enrich.enrich_events` (no row dropped).

    Parameters
    ----------
    events : GeoDataFrame
        Imported events, EPSG:4326, with ``longitude``, ``latitude``, ``admin1``
        and ``country`` (every row placed).
    admin1, border, border_detail : GeoDataFrame
        The bundle's shapes (any CRS; distances are taken as in geo.spatial.enrich).
    tolerance_km : float
        Nearest-province tolerance, km (see :mod:`geo.spatial.join`).
    progress : callable, optional
        ``progress(fraction, stage)`` after each chunk of distinct places.

    Returns
    -------
    GeoDataFrame
        A copy of ``events`` plus the join and border columns; repeated labels
        (``join_method``, ``facing_admin1`` …) are categories.
    """
    if events.empty:
        out = enrich_events(events, admin1, border, border_detail, tolerance_km)
        return out
    codes, first = place_codes(events)
    places = events.iloc[first][["admin1", "country", "geometry"]].reset_index(drop=True)
    # enrich_events casefolds ``admin1``; categories would make it compare by code.
    places["admin1"] = places["admin1"].astype("str")
    # ``country`` is kept as given: the join keeps a point among its own country's provinces,
    # and a point in a third country faces nothing (geo.spatial.enrich.enrich_events).
    places["country"] = places["country"].astype("str")
    done = []
    for start in range(0, len(places), CHUNK_PLACES):
        chunk = places.iloc[start : start + CHUNK_PLACES]
        enriched = enrich_events(chunk, admin1, border, border_detail, tolerance_km)
        done.append(enriched.drop(columns=["admin1", "country", "geometry"]))
        if progress:
            progress(min((start + len(chunk)) / len(places), 1.0), "joining")
    table = pd.concat(done) if len(done) > 1 else done[0]
    # Shallow: the new columns are added to a new frame; the caller's columns are shared, not copied.
    out = events.copy(deep=False)
    for col in table.columns:
        values = table[col]
        if col in ENRICH_CATEGORY_COLUMNS:
            values = values.astype("str").astype("category")
            out[col] = pd.Categorical.from_codes(values.cat.codes.to_numpy()[codes], dtype=values.dtype)
        else:
            out[col] = values.array.take(codes)
    return out
