"""The border cut into sectors: events and casualties per sector and month, and recent rates.

A sector is a stretch of chainage (default 25 km; the last one is shorter).
Each event counts in the sector of its point chainage (the nearest border
point); an uncertain event's range may reach into the neighbouring sectors,
and the table says how many do.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from geo.frontier.rates import ALPHA, rate_test, verdict
from geo.frontier.reference import province_at
from geo.report.formatting import fmt_day

#: Default sector length (km of chainage).
SECTOR_KM = 25.0
#: Recent windows compared with each sector's baseline (days).
WINDOWS = (30, 90)


def sector_edges(length_km: float, size_km: float = SECTOR_KM) -> np.ndarray:
    """Chainage edges 0, size, 2·size, …, length (km); the last sector may be shorter."""
    if not size_km > 0:
        raise ValueError(f"sector length must be positive (got {size_km} km)")
    edges = np.arange(0.0, length_km, size_km)
    return np.append(edges, length_km)


def sector_of(chainage_km: np.ndarray | pd.Series, edges: np.ndarray) -> np.ndarray:
    """0-based sector of each chainage (the end of the line belongs to the last sector); -1 for NaN."""
    c = np.asarray(chainage_km, dtype=float)
    idx = np.clip(np.searchsorted(edges, c, side="right") - 1, 0, len(edges) - 2)
    return np.where(np.isnan(c), -1, idx)


def sector_table(edges: np.ndarray, facing: pd.DataFrame, landmarks: pd.DataFrame) -> pd.DataFrame:
    """One row per sector: ``sector``, ``lo_km``, ``hi_km``, ``label``, ``tj_province``, ``af_province``, ``landmarks``."""
    rows = []
    for i in range(len(edges) - 1):
        lo, hi = float(edges[i]), float(edges[i + 1])
        mid = (lo + hi) / 2
        marks = landmarks[(landmarks["chainage_km"] >= lo) & (landmarks["chainage_km"] < hi)]["label"]
        rows.append(
            {
                "sector": i,
                "lo_km": lo,
                "hi_km": hi,
                "label": f"km {lo:,.0f}–{hi:,.0f}",
                "tj_province": province_at(facing, "TJ", mid) or "",
                "af_province": province_at(facing, "AF", mid) or "",
                "landmarks": "; ".join(marks),
            }
        )
    return pd.DataFrame(rows)


def monthly_counts(events: pd.DataFrame, edges: np.ndarray) -> pd.DataFrame:
    """Events and casualties (killed + injured, low figures) per sector and calendar month.

    Returns
    -------
    DataFrame
        ``sector``, ``month`` (first day), ``events``, ``casualties``; only
        (sector, month) pairs with events, in sector then month order.
    """
    cols = ["sector", "month", "events", "casualties"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(
        {
            "sector": sector_of(events["chainage_km"], edges),
            "month": pd.to_datetime(events["event_date"]).dt.to_period("M").dt.to_timestamp(),
            "casualties": events["casualties"].to_numpy(),
        }
    )
    out = frame.groupby(["sector", "month"]).agg(
        events=("casualties", "size"), casualties=("casualties", "sum")
    )
    return out.reset_index()[cols]


def rate_period(
    all_dates: pd.Series, date_from=None, date_to=None
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(baseline start, as-of day) for the rate test.

    As of: the date filter's end, else the latest event of the data. Baseline
    start: the date filter's start, else the first event of the data. Taken
    from the whole data (not the selection) so that a filter that empties a
    period does not pass that period off as a quiet baseline.
    """
    dates = pd.to_datetime(all_dates).dropna()
    if dates.empty and (date_from is None or date_to is None):
        return None
    start = pd.Timestamp(date_from) if date_from is not None else dates.min()
    as_of = pd.Timestamp(date_to) if date_to is not None else dates.max()
    return start.normalize(), as_of.normalize()


def sector_rates(
    events: pd.DataFrame,
    sectors: pd.DataFrame,
    start: pd.Timestamp,
    as_of: pd.Timestamp,
    windows: tuple[int, ...] = WINDOWS,
) -> pd.DataFrame:
    """Per sector: totals, and each recent window against the sector's own baseline.

    For a window of ``w`` days ending on ``as_of`` (inclusive), the baseline is
    every day from ``start`` to the day before the window; ``n1`` and ``n0``
    count the sector's events (by first possible day) in each, and
    :func:`geo.frontier.rates.rate_test` gives the one-sided exact p-value.

    Returns
    -------
    DataFrame
        ``sectors``' columns plus ``events``, ``casualties``, ``ranges_crossing``
        (events whose chainage range reaches past the sector's edges) and per
        window ``w``: ``n_{w}d``, ``base_n_{w}d``, ``base_days_{w}d``,
        ``expected_{w}d`` (the baseline rate times ``w``), ``p_{w}d``,
        ``verdict_{w}d``; plus ``more_than_usual`` (any window with p < 0.05).
    """
    out = sectors.copy()
    edges = np.append(sectors["lo_km"].to_numpy(), sectors["hi_km"].to_numpy()[-1:])
    sec = sector_of(events["chainage_km"], edges) if len(events) else np.empty(0, int)
    days = (
        pd.to_datetime(events["event_date"]).dt.normalize()
        if len(events)
        else pd.Series([], dtype="datetime64[ns]")
    )
    n = len(sectors)
    out["events"] = np.bincount(sec[sec >= 0], minlength=n)[:n] if len(sec) else 0
    cas = events["casualties"].to_numpy(dtype=float) if len(events) else np.empty(0)
    out["casualties"] = (
        np.bincount(sec[sec >= 0], weights=cas[sec >= 0], minlength=n)[:n].astype(int) if len(sec) else 0
    )
    if len(events):
        lo_sec = sector_of(events["chainage_lo_km"], edges)
        hi_sec = sector_of(events["chainage_hi_km"], edges)
        crossing = (lo_sec != sec) | (hi_sec != sec)
        out["ranges_crossing"] = np.bincount(sec[crossing & (sec >= 0)], minlength=n)[:n]
    else:
        out["ranges_crossing"] = 0
    any_more = np.zeros(n, dtype=bool)
    for w in windows:
        w_start = as_of - pd.Timedelta(days=w - 1)
        t1 = float(w)
        t0 = float((w_start - start).days)
        in_w = ((days >= w_start) & (days <= as_of)).to_numpy(dtype=bool)
        in_b = ((days >= start) & (days < w_start)).to_numpy(dtype=bool)
        n1 = np.bincount(sec[in_w & (sec >= 0)], minlength=n)[:n] if len(sec) else np.zeros(n, int)
        n0 = np.bincount(sec[in_b & (sec >= 0)], minlength=n)[:n] if len(sec) else np.zeros(n, int)
        p = np.array([rate_test(int(a), t1, int(b), t0) for a, b in zip(n1, n0, strict=True)])
        expected = n0 * t1 / t0 if t0 > 0 else np.full(n, np.nan)
        out[f"n_{w}d"] = n1
        out[f"base_n_{w}d"] = n0
        out[f"base_days_{w}d"] = max(int(t0), 0)
        out[f"expected_{w}d"] = np.round(expected, 2)
        out[f"p_{w}d"] = p
        out[f"verdict_{w}d"] = [verdict(pi, int(a), e) for pi, a, e in zip(p, n1, expected, strict=True)]
        any_more |= (p < ALPHA) & (n1 > expected)
    out["more_than_usual"] = any_more
    return out


def rates_caption(start: pd.Timestamp, as_of: pd.Timestamp, windows: tuple[int, ...] = WINDOWS) -> str:
    """The sentence that says what the test is and when a sector is called "more than usual"."""
    ws = " and ".join(f"{w}" for w in windows)
    return (
        f"As of {fmt_day(as_of)}: the last {ws} days of each sector against its own baseline "
        f"(from {fmt_day(start)} to the day before the window). Exact Poisson rate comparison "
        f'(conditional binomial test, one-sided): "more than usual" only when p < {ALPHA:g}. '
        "Events count in the sector of their nearest border point."
    )


def fmt_p(p: float) -> str:
    """A p-value for a table cell."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"
