"""Chainage benchmark: 1M events referenced to the border line, against a per-row loop.

Run: .venv/bin/python bench/bench_frontier.py [--runs 3] [--n 1000000] [--loop-n 10000] [--loop-runs 1]

Events are synthetic points near the WDB-II border (a random point of the line
plus a random offset within 60 km), with ACLED's precision mix and radii
(``geo_precision`` 1/2/3 → 5/25/100 km; only precision > 1 gets a range):

1. ``gazetteer``: ``n`` events coded to 20,000 places (as ACLED codes events to
   places; the vectorised path works on distinct points);
2. ``distinct``: ``n`` events each with its own point (the worst case);
3. ``loop``: the same work done row by row with Shapely scalars on ``loop-n``
   rows of the distinct set (``line.project`` → geodesic km, side from the
   nearest segment, the range by clipping the line with ``point.buffer(r)``),
   **extrapolated linearly to ``n`` rows** (it would take minutes to run in full).

Each timing is the median of ``--runs`` runs in this process (the loop: of
``--loop-runs``, default 1, because one run of 10,000 rows takes minutes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from geo.data.paths import DATA_DIR, METRIC_CRS  # noqa: E402
from geo.frontier.chainage import chainage_table, frontier_line  # noqa: E402

RADIUS_KM = {1: 0.0, 2: 25.0, 3: 100.0}
PRECISION_MIX = (0.55, 0.35, 0.10)


def synthetic(line, n: int, n_places: int | None, seed: int = 6) -> tuple[gpd.GeoSeries, np.ndarray]:
    """``n`` points (EPSG:32642) near the line and their uncertainty radii (km)."""
    rng = np.random.default_rng(seed)
    m = n if n_places is None else n_places
    s = rng.uniform(0, line.metric.length, m)
    base = shapely.get_coordinates(shapely.line_interpolate_point(line.metric, s))
    r = 60_000 * np.sqrt(rng.uniform(0, 1, m))
    a = rng.uniform(0, 2 * np.pi, m)
    xy = base + np.column_stack([r * np.cos(a), r * np.sin(a)])
    prec = rng.choice([1, 2, 3], size=m, p=PRECISION_MIX)
    if n_places is not None:
        # Heavy-tailed events per place, as in geo.data.synth.
        pick = np.minimum((rng.pareto(1.2, n) * 50).astype(int), m - 1)
        xy, prec = xy[pick], prec[pick]
    radius = np.array([RADIUS_KM[p] for p in prec])
    return gpd.GeoSeries(shapely.points(xy), crs=METRIC_CRS), radius


def per_row(line, points: gpd.GeoSeries, radius: np.ndarray) -> list[tuple]:
    """The naive way: one Shapely call chain per row."""
    out = []
    metric = line.metric
    coords = line.coords
    for p, r in zip(points, radius, strict=True):
        s = metric.project(p)
        km = float(np.interp(s, line.cum_m, line.cum_km))
        i = min(int(np.searchsorted(line.cum_m, s, side="right")) - 1, len(coords) - 2)
        (ax, ay), (bx, by) = coords[i], coords[i + 1]
        side = np.sign((bx - ax) * (p.y - ay) - (by - ay) * (p.x - ax))
        lo = hi = km
        if r > 0:
            part = metric.intersection(p.buffer(r * 1000))
            if not part.is_empty:
                ends = [metric.project(shapely.Point(c)) for c in shapely.get_coordinates(part)]
                lo = float(np.interp(min(ends), line.cum_m, line.cum_km))
                hi = float(np.interp(max(ends), line.cum_m, line.cum_km))
        out.append((km, lo, hi, side))
    return out


def timed(fn, runs: int) -> float:
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--loop-n", type=int, default=10_000)
    ap.add_argument("--loop-runs", type=int, default=1)
    args = ap.parse_args(argv)
    line = frontier_line(gpd.read_file(DATA_DIR / "shapes" / "border_wdbii.geojson"))
    print(f"line: WDB-II, {len(line.coords):,} vertices, {line.length_km:,.1f} km geodesic")
    gaz, gaz_r = synthetic(line, args.n, 20_000)
    dist, dist_r = synthetic(line, args.n, None)
    n_ranged = int((dist_r > 0).sum())
    print(f"events: {args.n:,} ({n_ranged:,} with a range: precision 2 → 25 km, 3 → 100 km)")
    t_gaz = timed(lambda: chainage_table(gaz, line, gaz_r), args.runs)
    print(f"vectorised, {args.n:,} events on 20,000 places: median {t_gaz:.2f} s ({args.runs} runs)")
    t_dist = timed(lambda: chainage_table(dist, line, dist_r), args.runs)
    print(f"vectorised, {args.n:,} events each with its own point: median {t_dist:.2f} s ({args.runs} runs)")
    sample, sample_r = dist.iloc[: args.loop_n], dist_r[: args.loop_n]
    t_loop = timed(lambda: per_row(line, sample, sample_r), args.loop_runs)
    t_vec_sample = timed(lambda: chainage_table(sample, line, sample_r), args.runs)
    scale = args.n / args.loop_n
    print(
        f"per-row loop, {args.loop_n:,} distinct rows: median {t_loop:.2f} s ({args.loop_runs} run(s)); "
        f"vectorised on the same rows: {t_vec_sample:.3f} s"
    )
    print(
        f"per-row loop extrapolated to {args.n:,} rows (×{scale:,.0f}, linear): {t_loop * scale:,.0f} s "
        f"= {t_loop * scale / t_dist:,.0f}× the vectorised distinct-point time"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
