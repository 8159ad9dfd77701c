"""Incidents search at scale: ``geo.query.table.search_events`` on 100k and 1M merged events.

Run: .venv/bin/python bench/bench_search.py [--sizes 100k,1m] [--runs 5]

Imports a synthetic ACLED export (``geo.data.synth``, events coded to a gazetteer of places as
ACLED's are) into a temporary store, merges it with the curated bundle exactly as the app
does, then times, per query, the median of ``--runs`` searches against two baselines
measured in the same run on the same frame:

* ``join`` — the previous implementation: every row's fields joined into one string
  (``agg(" ".join, axis=1)``) and searched;
* ``loop`` — a per-row Python loop over the fields (timed on 20k rows, scaled to the size).

Goal (issue 13): ≤ 200 ms at 1M events.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

SIZES = {"100k": 100_000, "1m": 1_000_000}
QUERIES = ("taliban", "kabul attack", "zzz-no-match")
GOAL_MS = 200.0


def _join_baseline(events: pd.DataFrame, claims: pd.DataFrame, query: str) -> pd.DataFrame:
    from geo.query.table import CLAIM_SEARCH_COLUMNS, SEARCH_COLUMNS

    words = query.casefold().split()
    claim_text = (
        claims.assign(t=claims[list(CLAIM_SEARCH_COLUMNS)].astype(str).agg(" ".join, axis=1))
        .groupby("event_id")["t"]
        .agg(" ".join)
    )
    text = events[list(SEARCH_COLUMNS)].astype(str).agg(" ".join, axis=1) + " "
    text = (text + events["event_id"].map(claim_text).fillna("")).str.casefold()
    mask = pd.Series(True, index=events.index)
    for w in words:
        mask &= text.str.contains(w, regex=False)
    return events[mask]


def _loop_baseline(events: pd.DataFrame, query: str) -> int:
    from geo.query.table import SEARCH_COLUMNS

    words = query.casefold().split()
    n = 0
    for row in events[list(SEARCH_COLUMNS)].itertuples(index=False):
        text = " ".join("" if v is None or v != v else str(v) for v in row).casefold()
        n += all(w in text for w in words)
    return n


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100k,1m")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()

    from geo.data.bundle import merge_into_bundle
    from geo.data.importers import import_file
    from geo.data.load import load_bundle
    from geo.data.store import Store
    from geo.data.synth import write_acled_csv
    from geo.query.filters import Filters
    from geo.query.selection import select
    from geo.query.table import search_events

    curated = load_bundle()
    print(f"Incidents search — median of {a.runs} runs per query (join baseline: median of 3)\n")
    print(
        f"{'size':>5} {'query':<14} {'hits':>8} {'search ms':>10} {'join ms':>9} {'loop ms':>9} {'goal':>7}"
    )
    for size in a.sizes.split(","):
        n = SIZES[size]
        with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
            csv = Path(tmp) / "acled.csv"
            write_acled_csv(csv, n)
            import_file(csv, "acled", "bench", store=Store(Path(tmp) / "store"), replace=True)
            bundle = merge_into_bundle(curated, Store(Path(tmp) / "store"))
        events, claims = select(bundle, Filters()).events, bundle.claims
        sample = events.iloc[:20_000]
        for q in QUERIES:
            hits = len(search_events(events, claims, q))
            assert hits == len(_join_baseline(events, claims, q)), f"{q!r}: result differs from the baseline"
            ms = _median_ms(lambda q=q, ev=events, cl=claims: search_events(ev, cl, q), a.runs)
            join_ms = _median_ms(lambda q=q, ev=events, cl=claims: _join_baseline(ev, cl, q), 3)
            loop_ms = _median_ms(lambda q=q, ev=sample: _loop_baseline(ev, q), 3) * len(events) / len(sample)
            ok = "ok" if ms <= GOAL_MS or n < 1_000_000 else "MISSED"
            print(
                f"{size:>5} {q:<14} {hits:>8,} {ms:>10.1f} {join_ms:>9.0f} {loop_ms:>9.0f} {ok:>7}",
                flush=True,
            )
    print(f"\ngoal: ≤ {GOAL_MS:.0f} ms at 1M events (issue 13)")


if __name__ == "__main__":
    main()
