"""Snapshot benchmark: a 1920 × 1080 PNG map snapshot against a bare matplotlib save.

Run: .venv/bin/python bench/bench_snapshot.py [--runs 7]

Times, in one process after one warm-up each (fonts, shapes' projection cache):

* baseline: a bare 1920 × 1080 matplotlib figure (one line) saved as PNG, the floor
  of any matplotlib-rendered image of that size on this machine;
* the regional and sector snapshots of the 2025 selection as PNG (goal ≤ 2 s each);
* for reference, the sector snapshot as PDF and the briefing pack.

Medians are printed with their ratio to the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matplotlib.figure import Figure  # noqa: E402

from geo.data.load import load_bundle  # noqa: E402
from geo.data.paths import default_seeds_dir  # noqa: E402
from geo.query.filters import Filters  # noqa: E402
from geo.render.briefpack import briefing_pack  # noqa: E402
from geo.render.snapshot import SnapshotRequest, snapshot  # noqa: E402
from geo.spatial.bands import border_bands  # noqa: E402


def bare_png() -> bytes:
    fig = Figure(figsize=(12.8, 7.2), dpi=150)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def median_s(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    bundle = load_bundle(seeds_dir=default_seeds_dir())
    bands = border_bands(bundle.border)
    y2025 = Filters(years=(2025,))
    cases = {
        "regional 1920x1080 PNG": SnapshotRequest(page="regional", filters=y2025),
        "sector 1920x1080 PNG": SnapshotRequest(page="sector", filters=y2025),
        "sector 1920x1080 PDF": SnapshotRequest(page="sector", filters=y2025, fmt="pdf"),
    }
    base = median_s(bare_png, args.runs)
    print(f"runs per figure: {args.runs} (medians, one process, after a warm-up)")
    print(f"{'baseline: bare matplotlib 1920x1080 PNG:':44} {base * 1000:7.0f} ms")
    for name, req in cases.items():
        m = median_s(lambda req=req: snapshot(bundle, req, bands), args.runs)
        goal = "  (goal <= 2000 ms)" if name.endswith("PNG") else ""
        print(f"{name + ':':44} {m * 1000:7.0f} ms  = {m / base:5.1f}x baseline{goal}")
    pack = median_s(lambda: briefing_pack(bundle, y2025, bands=bands), max(3, args.runs // 2))
    print(
        f"{'briefing pack PDF (2 maps, timeline):':44} {pack * 1000:7.0f} ms  = {pack / base:5.1f}x baseline"
    )


if __name__ == "__main__":
    main()
