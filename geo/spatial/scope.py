"""What "the frontier" means for every headline figure: one rule, stated once.

An event is on the Tajikistan–Afghanistan frontier when its coded point lies within
:data:`FRONTIER_KM` km of the Tajikistan–Afghanistan border, on either side. The distance
is the enrichment's ``border_distance_km`` (:func:`geo.spatial.border.border_distance_km`:
geodesic, on the WGS84 ellipsoid, to the Natural Earth 1:10M line), so a point in Pakistan,
in Kabul or in Benin is measured to the same line as one on the Panj.

Why 50 km: the border districts' events are coded to the district centre with a 15–25 km
uncertainty radius, so an attack on the river bank can sit 15–25 km inland on the map; 50 km
keeps every one of them, and matches the distance beyond which a point "faces" nothing across
the border (:data:`geo.spatial.border.FACING_MAX_KM`). The capitals, where statements are issued
(Dushanbe ~124 km, Kabul ~285 km), and the Afghanistan–Pakistan border lie beyond it.

An event with no coordinates has no distance: it is neither counted in nor silently
dropped; :func:`split_frontier` returns it apart, and the figures name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported in the functions: the CLI's filter options read FRONTIER_KM at start
    import numpy as np
    import pandas as pd

#: Largest distance (km, geodesic) from the Tajikistan–Afghanistan border of an event on the frontier;
#: also :data:`geo.spatial.border.FACING_MAX_KM`, which is this value.
FRONTIER_KM = 50.0

#: The rule in words, as the cards and the pack state it.
FRONTIER_RULE = f"events placed within {FRONTIER_KM:g} km of the Tajikistan–Afghanistan border (either side)"

#: What the figures are about, in a heading.
FRONTIER_NAME = "the Tajikistan–Afghanistan frontier"

#: How the distance is measured (for the method notes and a caption).
FRONTIER_BASIS = (
    "distance from the event's coded point to the Natural Earth 1:10M border line, measured on the "
    "WGS84 ellipsoid; events without coordinates have no distance and are listed, not counted"
)


@dataclass(frozen=True)
class FrontierSplit:
    """Boolean masks (NumPy, aligned with the events' rows) of the three parts of a selection.

    Every row is in exactly one of ``inside``, ``elsewhere`` and ``unplaced``.
    """

    inside: np.ndarray
    elsewhere: np.ndarray
    unplaced: np.ndarray


def split_frontier(events: pd.DataFrame, km: float = FRONTIER_KM) -> FrontierSplit:
    """Which events are on the frontier, which are placed elsewhere, which have no place.

    Parameters
    ----------
    events : DataFrame
        Enriched events with ``border_distance_km`` (km, geodesic; NaN when the event
        has no coordinates, see :func:`geo.spatial.enrich.enrich_events`).
    km : float
        Largest border distance on the frontier, in km.

    Returns
    -------
    FrontierSplit
    """
    import numpy as np
    import pandas as pd

    if "border_distance_km" not in events:
        raise ValueError(
            "events have no border_distance_km column: enrich them first (geo.spatial.enrich.enrich_events)"
        )
    dist = pd.to_numeric(events["border_distance_km"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    unplaced = np.isnan(dist)
    inside = ~unplaced & (dist <= km)
    return FrontierSplit(inside=inside, elsewhere=~unplaced & ~inside, unplaced=unplaced)


def frontier_status(distance_km, km: float = FRONTIER_KM) -> str:
    """``"inside"``, ``"elsewhere"`` or ``"unplaced"`` for one border distance (km; NaN = no place)."""
    import pandas as pd

    if distance_km is None or pd.isna(distance_km):
        return "unplaced"
    return "inside" if float(distance_km) <= km else "elsewhere"


def imported_mask(events: pd.DataFrame) -> np.ndarray:
    """True for rows from an imported dataset (ACLED, UCDP); all False for the curated bundle alone."""
    import numpy as np

    if "dataset" not in events:
        return np.zeros(len(events), dtype=bool)
    # A missing dataset label is not "curated": such a row is counted with the imports.
    return (events["dataset"] != "curated").to_numpy(dtype=bool, na_value=True)
