"""Sentences computed from the data: where the attacks are along the border, how far apart, how many days.

* The **seed attacks**: the curated attacks documented in the seed documents
  (``category`` attack, ``source_tier`` seed) — the 2024 and 2025 attacks on
  Chinese workers.
* **Clusters**: attacks and clashes in the corridor linked in time (each within
  :data:`CLUSTER_GAP_DAYS` of the previous one); a cluster has at least
  :data:`CLUSTER_MIN` events. The latest is the "late-2025 cluster" on the
  bundled data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.data.schema import VIOLENT
from geo.frontier.reference import nearest_landmark
from geo.render.timeline.text import short_place
from geo.report.formatting import fmt_day

CLUSTER_GAP_DAYS = 30
CLUSTER_MIN = 3


def _when(e) -> str:
    a, b = e["event_date"], e["date_last"]
    if b <= a:
        return fmt_day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{fmt_day(b)}"
    return f"{fmt_day(a)} – {fmt_day(b)}"


def _km(v: float) -> str:
    return f"km {v:,.0f}"


def _where(landmarks: pd.DataFrame, km: float) -> str:
    if landmarks.empty:
        return _km(km)
    name, off = nearest_landmark(landmarks, km)
    return f"{_km(km)} ({name})" if off < 12.5 else f"{_km(km)} ({off:,.0f} km from {name})"


@dataclass(frozen=True)
class Cluster:
    """Attacks and clashes close in time: ids, dates and the stretch they cover."""

    event_ids: tuple[str, ...]
    first: pd.Timestamp
    last: pd.Timestamp
    lo_km: float
    hi_km: float

    @property
    def days(self) -> int:
        return int((self.last - self.first).days)

    @property
    def km(self) -> float:
        return self.hi_km - self.lo_km


def clusters(
    events: pd.DataFrame, gap_days: int = CLUSTER_GAP_DAYS, min_events: int = CLUSTER_MIN
) -> list[Cluster]:
    """Time clusters of the attacks and clashes among ``events`` (frontier events), oldest first."""
    v = events[events["category"].isin(VIOLENT)].sort_values(["event_date", "event_id"], kind="stable")
    if v.empty:
        return []
    gaps = v["event_date"].diff().dt.days.fillna(0).to_numpy()
    group = (gaps > gap_days).cumsum()
    out = []
    for g in sorted(set(group)):
        part = v[group == g]
        if len(part) >= min_events:
            out.append(
                Cluster(
                    event_ids=tuple(part["event_id"]),
                    first=part["event_date"].min(),
                    last=part["event_date"].max(),
                    lo_km=float(part["chainage_km"].min()),
                    hi_km=float(part["chainage_km"].max()),
                )
            )
    return out


def seed_attacks(events: pd.DataFrame) -> pd.DataFrame:
    """The curated seed-document attacks among ``events``, in date order."""
    m = events["category"].eq("attack") & events["source_tier"].eq("seed") & events["dataset"].eq("curated")
    return events[m].sort_values(["event_date", "event_id"], kind="stable")


def glance_sentences(events: pd.DataFrame, landmarks: pd.DataFrame) -> list[str]:
    """One sentence on the seed attacks and one on the latest cluster (empty when neither applies)."""
    out = []
    seeds = seed_attacks(events)
    if len(seeds) >= 2:
        a, b = seeds.iloc[-2], seeds.iloc[-1]
        apart = abs(float(b["chainage_km"]) - float(a["chainage_km"]))
        lo_d = max(int((b["event_date"] - a["date_last"]).days), 0)
        hi_d = int((b["date_last"] - a["event_date"]).days)
        days = f"{lo_d:,}" if lo_d == hi_d else f"{lo_d:,}–{hi_d:,}"
        if apart < 0.5:
            where = f"both at {_where(landmarks, float(a['chainage_km']))}, the same coded point"
        else:
            where = (
                f"at {_where(landmarks, float(a['chainage_km']))} and {_where(landmarks, float(b['chainage_km']))}, "
                f"{apart:,.0f} km apart along the border"
            )
        lo, hi = float(a["chainage_lo_km"]), float(a["chainage_hi_km"])
        span = (
            f" (the coded location's uncertainty circle covers km {lo:,.0f}–{hi:,.0f} of the border)"
            if hi > lo
            else ""
        )
        out.append(
            f"The {len(seeds) if len(seeds) > 2 else 'two'} seed-document attacks"
            + (" (the last two shown)" if len(seeds) > 2 else "")
            + f" — {_when(a)} and {_when(b)} — are {where}{span}, {days} days apart."
        )
    cl = clusters(events)
    if cl:
        c = cl[-1]
        part = events[events["event_id"].isin(c.event_ids)]
        same = part.groupby(part["chainage_km"].round(1)).size()
        top_km, top_n = float(same.idxmax()), int(same.max())
        stacked = f"; {top_n} of them at {_where(landmarks, top_km)}" if top_n > 1 else ""
        ends = part.sort_values("chainage_km", kind="stable")
        west, east = ends.iloc[0], ends.iloc[-1]
        out.append(
            f"The latest cluster: {len(c.event_ids)} attacks and clashes from {fmt_day(c.first)} to {fmt_day(c.last)} "
            f"({c.days} days), spread over {c.km:,.0f} km of border from {_km(c.lo_km)} "
            f"({short_place(west['location'])}) to {_km(c.hi_km)} ({short_place(east['location'])}){stacked}."
        )
    return out
