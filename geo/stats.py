"""Totals the pages show: per province, and the key figures of a selection."""

from __future__ import annotations

import pandas as pd

#: What provinces can be shaded by.
SHADE_METRICS = {"none": None, "incidents": "incidents", "killed": "fatalities", "casualties": "casualties"}


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


def key_figures(events: pd.DataFrame) -> dict[str, str]:
    """Attacks, killed and injured in a selection, as low–high ranges where sources differ."""
    attacks = events[events["category"].isin(["attack", "clash"])]

    def rng(lo: str, hi: str) -> str:
        a = int(attacks[lo].fillna(0).sum())
        b = int(attacks[hi].fillna(attacks[lo]).fillna(0).sum())
        return str(a) if a == b else f"{a}–{b}"

    return {
        "attacks": str(int((attacks["category"] == "attack").sum())),
        "clashes": str(int((attacks["category"] == "clash").sum())),
        "killed": rng("fatalities", "fatalities_high"),
        "injured": rng("injured", "injured_high"),
    }
