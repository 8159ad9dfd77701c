"""Apply the shared filters to a loaded bundle: the one service every page calls."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.filters import Filters, apply_filters
from geo.load import Bundle


@dataclass
class Selection:
    """Filtered events (enriched, EPSG:4326) and the claims about them."""

    events: gpd.GeoDataFrame
    claims: pd.DataFrame
    filters: Filters

    @property
    def placed(self) -> gpd.GeoDataFrame:
        """Events that have coordinates (the ones a map can draw)."""
        g = self.events.geometry
        return self.events[~(g.isna() | g.is_empty)]


def select(bundle: Bundle, filters: Filters) -> Selection:
    """Events matching ``filters`` (sorted by date, then id) and their claims."""
    mask = apply_filters(bundle.events, bundle.roles, filters)
    events = bundle.events[mask].sort_values(["event_date", "event_id"], kind="stable")
    claims = bundle.claims[bundle.claims["event_id"].isin(events["event_id"])]
    return Selection(events=events, claims=claims, filters=filters)


def provenance(bundle: Bundle, filters: Filters, events: pd.DataFrame | None = None) -> str:
    """Provenance line for an export: data version, filters and the sources cited."""
    ids = bundle.sources["source_id"]
    if events is not None:
        cited = {s for ids_ in events["source_ids"] for s in ids_}
        ids = ids[ids.isin(cited)]
    outlets = bundle.sources.set_index("source_id").loc[list(ids), "outlet"]
    listed = "; ".join(f"{sid} ({outlet})" for sid, outlet in outlets.items())
    return (
        f"Panj Watch data version {bundle.version}; filters: {filters.summary()}; "
        f"shapes: Natural Earth (public domain), GeoNames (CC-BY 4.0), GSHHG/WDB-II (LGPL-3+); "
        f"sources: {listed}"
    )
