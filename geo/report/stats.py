"""Totals the pages show: per province, and the key figures of a selection.

The key figures count the Tajikistan–Afghanistan frontier only (:mod:`geo.spatial.scope`), and
say what they leave out: events placed elsewhere, events with no coordinates, and which
figures imported datasets cannot feed (ACLED and UCDP publish no injured figure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.data.schema import VIOLENT
from geo.report.formatting import fmt_count, fmt_range
from geo.scene.choices import SHADE_METRICS as SHADE_METRICS  # declared light, for the CLI
from geo.spatial.scope import FRONTIER_KM, FRONTIER_NAME, FRONTIER_RULE, imported_mask, split_frontier


def province_totals(events: pd.DataFrame, metric: str) -> pd.Series:
    """Value per joined ``adm1_code`` for shading: event count or low casualty figures.

    Parameters
    ----------
    events : DataFrame
        Enriched events (``join_adm1_code``, ``fatalities``, ``injured``).
    metric : {"incidents", "killed", "casualties"}
        ``incidents`` counts events; ``killed`` sums low fatality figures;
        ``casualties`` sums low killed + injured figures.
    """
    joined = events[events["join_adm1_code"].notna()]
    if metric == "incidents":
        values = pd.Series(1, index=joined.index)
    elif metric == "killed":
        values = joined["fatalities"].fillna(0).astype(int)
    elif metric == "casualties":
        values = joined["fatalities"].fillna(0).astype(int) + joined["injured"].fillna(0).astype(int)
    else:
        raise ValueError(f"unknown metric {metric!r}; use incidents, killed or casualties")
    return values.groupby(joined["join_adm1_code"]).sum().astype(int)


#: How the casualty totals add ranges up, as every output of the key figures says it.
TOTALS_RULE = "Totals add the low figures and the high figures separately."
#: Unplaced events named one by one in the "left out" lines, at most (then counted).
NAMED_MAX = 3


@dataclass(frozen=True)
class Figure:
    """One headline card: short ``key``, ``label``, formatted ``value`` and what it counts (``note``)."""

    key: str
    label: str
    value: str
    note: str


@dataclass(frozen=True)
class KeyFigures:
    """The headline figures of a selection, scoped to the frontier, with what they leave out.

    ``figures`` are the cards in display order; ``scope`` is one sentence saying what they
    count; ``left_out`` one line per kind of event not counted (none is dropped silently);
    ``numbers`` the raw totals (for tests and the lead sentence).
    """

    figures: tuple[Figure, ...]
    scope: str
    left_out: tuple[str, ...]
    numbers: dict[str, int | None] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        """The formatted value of figure ``key`` (``"attacks"``, ``"killed"`` …)."""
        for f in self.figures:
            if f.key == key:
                return f.value
        raise KeyError(key)

    def figure(self, key: str) -> Figure:
        """The whole card of figure ``key``."""
        return next(f for f in self.figures if f.key == key)


def _floats(events: pd.DataFrame, col: str) -> np.ndarray:
    if col not in events:
        return np.full(len(events), np.nan)
    values = events[col]
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def casualty_totals(events: pd.DataFrame, mask: np.ndarray | None = None) -> dict[str, int | None]:
    """Summed low, high and (UCDP) best killed, and low and high injured, of ``events[mask]``.

    Highs fall back to the event's low figure, best to the low figure of events without
    one (curated, ACLED), so ``low ≤ best ≤ high`` holds for the totals as for each row.
    ``killed_best`` is ``None`` when no event has a best estimate; ``injured_events`` counts
    the events that report injuries (curated ones: imported datasets have no injured field).
    Columns are read as NumPy arrays: no copy of the selection, which may hold a million rows.
    """
    keep = np.ones(len(events), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    lo, hi = _floats(events, "fatalities")[keep], _floats(events, "fatalities_high")[keep]
    best = _floats(events, "fatalities_best")[keep]
    ilo, ihi = _floats(events, "injured")[keep], _floats(events, "injured_high")[keep]
    hi = np.where(np.isnan(hi), lo, hi)
    ihi = np.where(np.isnan(ihi), ilo, ihi)
    has_best = ~np.isnan(best)

    def total(a: np.ndarray) -> int:
        return int(round(float(np.nansum(a))))

    return {
        "killed_low": total(lo),
        "killed_high": total(hi),
        "killed_best": total(np.where(has_best, best, lo)) if has_best.any() else None,
        "best_events": int(has_best.sum()),
        "injured_low": total(ilo),
        "injured_high": total(ihi),
        "injured_events": int((~np.isnan(ilo)).sum()),
    }


def category_mask(events: pd.DataFrame, categories=VIOLENT) -> np.ndarray:
    """True where ``category`` is one of ``categories`` (vectorised; no per-row Python)."""
    cat = events["category"]
    out = np.zeros(len(events), dtype=bool)
    for c in categories:
        out |= (cat == c).to_numpy(dtype=bool, na_value=False)
    return out


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{fmt_count(n)} {one if n == 1 else (many or one + 's')}"


def _kinds(events: pd.DataFrame) -> str:
    """``"5 statements, 2 visits and 1 call"``: the categories of ``events``, most frequent first."""
    counts = events["category"].astype(str).value_counts()
    plural = {"clash": "clashes", "category": "categories"}
    parts = [_plural(int(n), c, plural.get(c)) for c, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _month(e) -> str:
    d = pd.Timestamp(e["event_date"])
    return f"{d:%B %Y}" if int(e["time_precision"]) == 3 else f"{d.day} {d:%B %Y}"


def _left_out(events: pd.DataFrame, split, imported: np.ndarray, violent: np.ndarray) -> list[str]:
    lines = []
    n_unplaced = int(split.unplaced.sum())
    if n_unplaced:
        first = events.iloc[np.flatnonzero(split.unplaced)[:NAMED_MAX]]
        named = [
            f"{e['category']} at {e['location']}, {_month(e)} "
            f"({fmt_range(e['fatalities'], e['fatalities_high'])} killed)"
            for _, e in first.iterrows()
        ]
        more = n_unplaced - len(named)
        lines.append(
            f"Not counted, no coordinates (so no distance to the border): {'; '.join(named)}"
            + (f"; and {fmt_count(more)} more" if more > 0 else "")
            + "."
        )
    curated_far = split.elsewhere & ~imported
    if curated_far.any():
        far = events[["location", "category"]].iloc[np.flatnonzero(curated_far)]
        places = list(dict.fromkeys(far["location"].astype(str)))
        where = ", ".join(places[:4]) + (f" and {len(places) - 4} more places" if len(places) > 4 else "")
        t = casualty_totals(events, curated_far & violent)
        killed = (
            f"; {fmt_range(t['killed_low'], t['killed_high'])} killed"
            if (curated_far & violent).any()
            else ""
        )
        lines.append(
            f"Not counted, placed more than {FRONTIER_KM:g} km from the border: {_kinds(far)} ({where}){killed}."
        )
    imported_far = split.elsewhere & imported
    if imported_far.any():
        n_violent = int((imported_far & violent).sum())
        t = casualty_totals(events, imported_far & violent)
        lines.append(
            f"And {_plural(int(imported_far.sum()), 'more event')} elsewhere in the imported data "
            f"({_plural(n_violent, 'attack or clash', 'attacks and clashes')}, "
            f"{fmt_range(t['killed_low'], t['killed_high'], t['killed_best'])} killed), "
            f"more than {FRONTIER_KM:g} km from the border: not in these figures."
        )
    return lines


def key_figures(events: pd.DataFrame) -> KeyFigures:
    """Attacks, clashes, killed, injured and events on the frontier, and what is left out.

    Parameters
    ----------
    events : DataFrame
        Enriched events of a selection (curated and imported), with ``border_distance_km``.

    Returns
    -------
    KeyFigures
        Counted over the events :func:`geo.spatial.scope.split_frontier` puts on the frontier;
        killed over its attacks and clashes, low–high where sources differ (lows summed,
        highs summed), UCDP's best estimate beside them where given; injured over the
        curated ones only (imported datasets have no injured field).
    """
    split = split_frontier(events)
    imported = imported_mask(events)
    violent = category_mask(events, VIOLENT)
    counted = split.inside & violent
    t = casualty_totals(events, counted)
    injured = casualty_totals(events, counted & ~imported)
    t.update({k: v for k, v in injured.items() if k.startswith("injured")})
    attacks = int((counted & category_mask(events, ("attack",))).sum())
    clashes = int(counted.sum()) - attacks
    n_inside = int(split.inside.sum())
    any_imported = bool(imported.any())

    killed_note = "in those attacks and clashes; low–high where sources differ"
    if t["killed_best"] is not None:
        killed_note += (
            f"; best: UCDP's best estimate for its {_plural(t['best_events'], 'event')}, the low figure "
            "for the others"
        )
    if any_imported:
        injured_note = (
            "curated records only — ACLED and UCDP publish no injured figure; low–high where sources differ"
        )
    else:
        injured_note = "in those attacks and clashes; low–high where sources differ"
    injured_value = fmt_range(t["injured_low"], t["injured_high"]) if t["injured_events"] else fmt_range(None)
    figures = (
        Figure("attacks", "Attacks", fmt_count(attacks), "on the frontier"),
        Figure("clashes", "Clashes", fmt_count(clashes), "armed clashes on the frontier"),
        Figure(
            "killed", "Killed", fmt_range(t["killed_low"], t["killed_high"], t["killed_best"]), killed_note
        ),
        Figure("injured", "Injured", injured_value, injured_note),
        Figure(
            "events",
            "Events (all types)",
            fmt_count(n_inside),
            "on the frontier, statements and visits included",
        ),
    )
    scope = f"Figures for {FRONTIER_NAME}: {FRONTIER_RULE}."
    numbers = {
        "attacks": attacks,
        "clashes": clashes,
        "events": n_inside,
        "unplaced": int(split.unplaced.sum()),
        "elsewhere_curated": int((split.elsewhere & ~imported).sum()),
        "elsewhere_imported": int((split.elsewhere & imported).sum()),
        **t,
    }
    return KeyFigures(figures, scope, tuple(_left_out(events, split, imported, violent)), numbers)
