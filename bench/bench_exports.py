"""Events CSV export at scale: time and extra peak memory, old builder vs the chunked one.

Run: ``.venv/bin/python bench/bench_exports.py [N]`` (default 1,000,000 events; the
curated events repeated). Each builder runs in its own process, so the extra peak
memory (max RSS after the export minus max RSS before it) is not shared.
"""

from __future__ import annotations

import resource
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


def _old(df) -> bytes:
    # The builder before the chunked one: a whole-table copy, a per-cell map, a str, then bytes.
    import pandas as pd

    from geo.export.tables import flat_table, neutralise_cell

    flat = flat_table(df)
    for col in flat.columns:
        if flat[col].dtype == object or pd.api.types.is_string_dtype(flat[col]):
            flat[col] = flat[col].map(neutralise_cell)
    return flat.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def child(n: int, which: str) -> None:
    from geo.export.tables import to_csv_bytes

    df = _frame(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    data = (_old if which == "old" else to_csv_bytes)(df)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{which:>3}: {n:,} events -> {len(data) / 1e6:,.0f} MB CSV in {dt:.1f} s, "
        f"extra peak memory {(after - before) / 1e3:,.0f} MB"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(int(sys.argv[1]), sys.argv[2])
    else:
        n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
        for which in ("old", "new"):
            subprocess.run([sys.executable, __file__, str(n), which], check=True)
