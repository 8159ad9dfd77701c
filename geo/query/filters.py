"""The shared selection (year, dates, actor and role, type, tier) and how it applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from geo.data.actors import actor_forms
from geo.frontier.chainage import stretch_mask
from geo.query.fields import BY_NAME, summary_line


@dataclass(frozen=True)
class Filters:
    """What the user selected; empty fields select everything.

    Every field but ``extra`` is declared in :data:`geo.query.fields.FIELDS` (its URL
    parameter, CLI option, sidebar widget and summary wording).

    ``types`` are event categories (``attack``, ``statement`` …); ``role``
    narrows ``actors`` to one role (``accuser``, ``accused`` …).
    """

    years: tuple[int, ...] = ()
    actors: tuple[str, ...] = ()
    role: str | None = None
    types: tuple[str, ...] = ()
    tier: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    km_from: float | None = None
    km_to: float | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, **values) -> Filters:
        """Filters from raw values by field name (lists, tuples, single values, ``None``), each
        normalised as its :data:`geo.query.fields.FIELDS` record says (years and types sorted and
        deduplicated, actors deduplicated in the order given, ``""`` for none)."""
        return cls(**{name: BY_NAME[name].normalise(v) for name, v in values.items()})

    def summary(self) -> str:
        """One line a reader can check an export or a snapshot against (:func:`geo.query.fields.summary_line`)."""
        return summary_line(self)


def event_span(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last day each event may have happened on.

    Month-precision events (ACLED ``time_precision`` 3) without a ``date_end``
    span their whole month; otherwise the span is ``event_date`` to ``date_end``.
    """
    start = pd.to_datetime(events["event_date"])
    end = pd.to_datetime(events["date_end"]).fillna(start)
    month = (events["time_precision"] == 3).fillna(False) & events["date_end"].isna()
    end = end.where(~month, start + pd.offsets.MonthEnd(0))
    return start, end


def apply_filters(
    events: pd.DataFrame, roles: pd.DataFrame, f: Filters, chainage: pd.DataFrame | None = None
) -> pd.Series:
    """Boolean mask over ``events`` for the selection ``f``.

    Parameters
    ----------
    events : DataFrame
        Events with ``event_id``, ``year``, ``category``, ``source_tier``,
        ``event_date``, ``date_end``, ``time_precision``.
    roles : DataFrame
        Output of :func:`geo.data.actors.actor_roles`.
    f : Filters
        The selection. Dates select events whose span overlaps the range.
    chainage : DataFrame, optional
        ``chainage_lo_km``, ``chainage_hi_km`` and ``border_km`` of the events (indexed
        like them; :attr:`geo.data.load.Bundle.chainage`). A border stretch selects the
        events :func:`geo.frontier.chainage.stretch_mask` puts in it; without chainage
        it selects none (nothing is on the line).
    """
    mask = pd.Series(True, index=events.index)
    if f.years:
        mask &= events["year"].isin(f.years).fillna(False)
    if f.types:
        mask &= events["category"].isin(f.types)
    if f.tier:
        mask &= events["source_tier"] == f.tier
    if f.date_from or f.date_to:
        start, end = event_span(events)
        if f.date_from:
            mask &= end >= pd.Timestamp(f.date_from)
        if f.date_to:
            mask &= start <= pd.Timestamp(f.date_to)
    if f.actors or f.role:
        sel = roles
        if f.actors:
            # Either form of a name matches: readable ("Tajikistan (government)") or ACLED's
            # ("Military Forces of Tajikistan (1994-)"), so curated and imported events filter together.
            hit = sel["actor"].isin(actor_forms(roles, f.actors))
            if "actor_acled" in sel:
                hit |= sel["actor_acled"].isin(f.actors).fillna(False).astype(bool)
            sel = sel[hit]
        if f.role:
            sel = sel[sel["role"] == f.role]
        mask &= events["event_id"].isin(sel["event_id"])
    if f.km_from is not None or f.km_to is not None:
        if chainage is None:
            mask &= False
        else:
            refs = chainage.reindex(events.index)
            mask &= stretch_mask(refs, f.km_from, f.km_to)
    return mask.astype(bool)
