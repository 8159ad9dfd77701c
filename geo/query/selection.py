"""Apply the shared filters to a loaded bundle: the one service every page calls."""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd

from geo.data.load import Bundle
from geo.data.statements import claims_about
from geo.query.fields import FIELDS, RANGES
from geo.query.filters import Filters, apply_filters
from geo.report.provenance import cited_ids


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
    """Events matching ``filters`` (sorted by date, then id) and their claims.

    The loaders (:func:`geo.data.load.load_bundle`, :func:`geo.data.bundle.merge_into_bundle`)
    keep ``bundle.events`` in that order, so the selection is a plain take, and when
    every event matches it is ``bundle.events`` itself: at a million events each copy
    of the frame is ~0.4 GB and a sort of it ~0.7 s. Treat the result as read-only.
    """
    events = bundle.events
    if not _date_ordered(events):
        events = events.sort_values(["event_date", "event_id"], kind="stable")
    chainage = getattr(bundle, "chainage", None)
    mask = apply_filters(events, bundle.roles, filters, chainage).to_numpy(dtype=bool, na_value=False)
    if not mask.all():
        events = events[mask]
    # Few events have claims: look the claims' ids up in the events, not the other way
    # round (a hash table of the claims' dozens of ids, not of a million event ids).
    claimed = events["event_id"][events["event_id"].isin(bundle.claims["event_id"])]
    # Statements whole (issue 10): a statement's claims on unselected events come along.
    linked = events["event_id"][events["event_id"].isin(_statement_events(bundle))]
    claims = claims_about(bundle.claims, bundle.statements, [*claimed, *linked])
    return Selection(events=events, claims=claims, filters=filters)


def empty_reasons(bundle: Bundle, filters: Filters) -> list[str]:
    """Why ``filters`` select no event: one plain sentence per filter that alone empties it.

    Returns ``[]`` when something is selected (or nothing is filtered). Otherwise, first the
    contradictions the filters hold in themselves (years that the date range does not reach),
    then, for each filter that is set, how many events would match without it, so a link
    like ``?year=2024&from=2025-11-01`` says which part to drop instead of showing a blank map.
    """
    chainage = getattr(bundle, "chainage", None)

    def count(f: Filters) -> int:
        return int(
            apply_filters(bundle.events, bundle.roles, f, chainage).to_numpy(dtype=bool, na_value=False).sum()
        )

    if filters == Filters() or count(filters):
        return []
    out = []
    lo, hi = filters.date_from, filters.date_to
    if filters.years and (lo or hi):
        reach = [y for y in filters.years if (lo is None or y >= lo.year) and (hi is None or y <= hi.year)]
        if not reach:
            years = ", ".join(map(str, filters.years))
            dates = RANGES[0][0].phrase(filters)
            out.append(f"The year filter ({years}) and the {dates} exclude each other.")
    pair_of = {a.name: (a, b) for a, b in RANGES} | {b.name: (a, b) for a, b in RANGES}
    default = Filters()
    done: set[str] = set()
    for field in FIELDS:
        group = pair_of.get(field.name, (field,))
        if field.name in done or all(getattr(filters, g.name) == getattr(default, g.name) for g in group):
            continue
        done |= {g.name for g in group}
        n = count(replace(filters, **{g.name: getattr(default, g.name) for g in group}))
        if n:
            label = " / ".join(g.label for g in group)
            out.append(f"Without the {label} filter, {n:,} event{'s' if n != 1 else ''} would match.")
    return out


def _statement_events(bundle: Bundle) -> set[str]:
    st = getattr(bundle, "statements", None)
    return {e for evs in st["event_ids"] for e in evs} if st is not None and not st.empty else set()


def _date_ordered(events: pd.DataFrame) -> bool:
    # A cheap guard for hand-built bundles; the loaders also order ids within a date.
    return bool(events["event_date"].is_monotonic_increasing)


def provenance(bundle: Bundle, filters: Filters, events: pd.DataFrame | None = None) -> str:
    """Provenance line for an export: data version, filters and the sources cited."""
    ids = bundle.sources["source_id"]
    if events is not None:
        cited = cited_ids(events)
        ids = ids[ids.isin(cited)]
    outlets = bundle.sources.set_index("source_id").loc[list(ids), "outlet"]
    listed = "; ".join(f"{sid} ({outlet})" for sid, outlet in outlets.items())
    return (
        f"Panj Watch data version {bundle.version}; filters: {filters.summary()}; "
        f"shapes: Natural Earth (public domain), GeoNames (CC-BY 4.0), GSHHG/WDB-II (LGPL-3+); "
        f"sources: {listed}"
    )
