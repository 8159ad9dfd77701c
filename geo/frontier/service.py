"""One call for the frontier page: the selection's events on the line, sectors, rates, captions."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from geo.frontier.glance import glance_sentences
from geo.frontier.reference import CORRIDOR_KM, Frontier, corridor_counts, frontier_events
from geo.frontier.sectors import (
    SECTOR_KM,
    WINDOWS,
    monthly_counts,
    rate_period,
    rates_caption,
    sector_edges,
    sector_rates,
    sector_table,
)
from geo.query.filters import Filters

#: The published length of the border, for the caveat.
PUBLISHED_KM = 1_350


@dataclass
class FrontierView:
    """What the frontier page shows for one selection."""

    events: pd.DataFrame  #: :func:`geo.frontier.reference.frontier_events`
    counts: dict[str, int]
    rates: pd.DataFrame
    monthly: pd.DataFrame
    glance: list[str]
    rates_caption: str
    line_caption: str
    max_km: float
    sector_km: float
    start: pd.Timestamp | None
    as_of: pd.Timestamp | None


def frontier_view(
    frontier: Frontier,
    selected: pd.DataFrame,
    all_dates: pd.Series,
    filters: Filters | None = None,
    max_km: float = CORRIDOR_KM,
    sector_km: float = SECTOR_KM,
    windows: tuple[int, ...] = WINDOWS,
) -> FrontierView:
    """Everything the page draws, from the filtered events (``geo.query.selection.select(...).events``).

    Parameters
    ----------
    all_dates : Series
        ``event_date`` of every event in the data: the rate test's period comes
        from the data, not the selection (:func:`geo.frontier.sectors.rate_period`).
    max_km : float
        Corridor half-width (km to the WDB-II line).
    sector_km : float
        Sector length (km of chainage).
    """
    filters = filters or Filters()
    refs = frontier.refs.reindex(selected.index)
    counts = corridor_counts(refs, max_km)
    events = frontier_events(selected, frontier.refs, max_km)
    edges = sector_edges(frontier.line.length_km, sector_km)
    sectors = sector_table(edges, frontier.facing, frontier.landmarks)
    period = rate_period(all_dates, filters.date_from, filters.date_to)
    if period is None:
        start = as_of = None
        rates = sectors.assign(events=0, casualties=0, ranges_crossing=0, more_than_usual=False)
        caption = "No dated event: no rate to compare."
    else:
        start, as_of = period
        rates = sector_rates(events, sectors, start, as_of, windows)
        caption = rates_caption(start, as_of, windows)
    line = frontier.line
    line_caption = (
        f"Chainage: km along the detailed WDB-II border line, measured on the WGS84 ellipsoid from the "
        f"Uzbekistan tripoint (km 0) to the China tripoint (km {line.length_km:,.0f}) — shorter than the "
        f"published ~{PUBLISHED_KM:,} km because even this line cuts some of the Panj's meanders. "
        f"An event counts when it lies within {max_km:g} km of the line; an uncertain location is a bar over "
        "the stretch of border inside its uncertainty circle. Side: the province the point falls in."
    )
    return FrontierView(
        events=events,
        counts=counts,
        rates=rates,
        monthly=monthly_counts(events, edges),
        glance=glance_sentences(events, frontier.landmarks),
        rates_caption=caption,
        line_caption=line_caption,
        max_km=max_km,
        sector_km=sector_km,
        start=start,
        as_of=as_of,
    )


def stretch_of(filters: Filters, length_km: float) -> tuple[float, float] | None:
    """The border stretch the filters select, within the line (an open end is the line's end), or ``None``."""
    if filters.km_from is None and filters.km_to is None:
        return None
    lo = filters.km_from if filters.km_from is not None else 0.0
    hi = filters.km_to if filters.km_to is not None else length_km
    lo, hi = sorted((lo, hi))
    return (min(max(lo, 0.0), length_km), min(max(hi, 0.0), length_km))


def without_stretch(filters: Filters) -> Filters:
    """The same selection over the whole border (the strip shows the stretch in its context)."""
    return replace(filters, km_from=None, km_to=None)


def stretch_summary(events: pd.DataFrame, stretch: tuple[float, float]) -> str:
    """'km a–b (c km): n events, k killed + injured' for a chosen stretch."""
    lo, hi = sorted(stretch)
    cas = int(events["casualties"].sum()) if len(events) else 0
    return (
        f"km {lo:,.0f}–{hi:,.0f} ({hi - lo:,.0f} km of border): {len(events):,} event(s) whose location "
        f"range overlaps it, {cas:,} killed + injured (low figures)"
    )
