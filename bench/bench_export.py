"""Events CSV of N events: time and extra peak memory of ``geo.export.tables.to_csv_bytes`` against
``pandas.DataFrame.to_csv`` of the same flat frame (the same-run baseline), and the CSV size.

Run: ``.venv/bin/python bench/bench_export.py [N] [RUNS]`` (default 1,000,000 events, 3 runs; the
curated events repeated). ``gz-disk`` is the app's path for a large selection (gzip CSV written
chunk by chunk to a file, served from disk). Each run of each builder is its own process, so the extra peak memory
(max RSS after the export minus max RSS before it) is not shared; medians are printed.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time


def _frame(n: int):
    import pandas as pd

    from geo.data.load import load_bundle
    from geo.data.paths import DATA_DIR

    b = load_bundle(DATA_DIR)
    ev = pd.concat([b.events] * (n // len(b.events) + 1), ignore_index=True).iloc[:n]
    return ev.__class__(ev, geometry="geometry", crs=b.events.crs)


def _pandas(df) -> bytes:
    # Baseline: what pandas alone does with the same table (no formula neutralising, one whole str).
    from geo.export.tables import flat_table

    return flat_table(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _gz_to_disk(df) -> int:
    # The app's path for a large selection: gzip CSV written chunk by chunk to a file.
    import tempfile
    from pathlib import Path

    from geo.export.tables import write_csv_gz

    with tempfile.TemporaryDirectory() as d:
        return write_csv_gz(df, Path(d) / "events.csv.gz")


def child(n: int, which: str) -> None:
    from geo.export.tables import to_csv_bytes

    df = _frame(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    out = {"pandas": _pandas, "geo": to_csv_bytes, "gz-disk": _gz_to_disk}[which](df)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = out if isinstance(out, int) else len(out)
    print(f"{dt:.3f} {(after - before) / 1e3:.1f} {size / 1e6:.1f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] in ("pandas", "geo", "gz-disk"):
        child(int(sys.argv[1]), sys.argv[2])
        raise SystemExit
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    res: dict[str, list[tuple[float, float, float]]] = {"pandas": [], "geo": [], "gz-disk": []}
    for _ in range(runs):
        for which in res:  # interleaved, so load on the machine hits both alike
            out = subprocess.run(
                [sys.executable, __file__, str(n), which], check=True, capture_output=True, text=True
            ).stdout.split()
            res[which].append(tuple(map(float, out)))
    for which, rows in res.items():
        t, mem, size = (statistics.median(r[i] for r in rows) for i in range(3))
        print(
            f"{which:>7}: {n:,} events -> {size:,.0f} MB {'gzip CSV on disk' if which == 'gz-disk' else 'CSV in memory'}; median of {runs}: {t:.1f} s, "
            f"extra peak memory {mem:,.0f} MB ({mem / size:.2f}x the file)"
        )
