"""Headline figures and the Briefing's lead sentence: median time, curated bundle and with an import.

Run: .venv/bin/python bench/bench_headline.py [N]   (N synthetic ACLED events, default 100,000)

Prints the median of 5 runs of :func:`geo.report.stats.key_figures` and :func:`geo.report.narrative.briefing_lead`
on the curated bundle and on the bundle merged with N imported events (a temporary store).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import synthetic_store  # noqa: E402

from geo.data.bundle import merge_into_bundle  # noqa: E402
from geo.data.load import load_bundle  # noqa: E402
from geo.data.paths import DATA_DIR  # noqa: E402
from geo.report.narrative import briefing_lead  # noqa: E402
from geo.report.stats import key_figures  # noqa: E402


def median_ms(f, k: int = 5) -> float:
    ts = []
    for _ in range(k):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return sorted(ts)[k // 2] * 1e3


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    b = load_bundle(DATA_DIR)
    print(
        f"curated ({len(b.events)} events): key_figures {median_ms(lambda: key_figures(b.events)):.1f} ms, "
        f"briefing_lead {median_ms(lambda: briefing_lead(b, b.events)):.1f} ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        m = merge_into_bundle(b, synthetic_store(Path(tmp), n, seed=6))
        print(
            f"merged ({len(m.events):,} events): key_figures {median_ms(lambda: key_figures(m.events)):.1f} ms, "
            f"briefing_lead {median_ms(lambda: briefing_lead(m, m.events)):.1f} ms"
        )
        kf = key_figures(m.events)
        print(" · ".join(f"{f.label} {f.value}" for f in kf.figures))
        print("\n".join(kf.left_out))


if __name__ == "__main__":
    main()
