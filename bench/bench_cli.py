"""CLI start-up benchmark: how long ``panjwatch`` takes, as a user runs it (issue 13).

Run: .venv/bin/python bench/bench_cli.py [--runs 5] [--panjwatch "CMD"]

Each case is a fresh process (``subprocess``), timed from start to exit, run once
to warm up (byte code, the OS file cache) and then ``--runs`` times; the median
wall time is printed beside the goal, with the median CPU time (user + system of
the child) for reference: on a busy machine wall time waits for a core, CPU time
less so.

* baselines: ``python -c pass`` (the interpreter alone) and ``python -c "import
  geopandas"`` (the floor of any command that reads the tables or the shapes);
* ``panjwatch --help`` (goal <= 0.3 s): builds every subcommand's options and
  imports no heavy library;
* ``panjwatch validate`` (goal <= 1 s): every check on the bundled data, against
  the seed documents when they are present; it needs pandas and GeoPandas, so it
  cannot be faster than the second baseline;
* ``panjwatch snapshot -o FILE.png`` (goal <= 1.5 s): the regional map, 1920 × 1080
  PNG, every event, into a temporary folder.

``--panjwatch`` times another command line in place of the console script beside
this interpreter, e.g. ``--panjwatch "python -m geo.cli.main"`` run from another
checkout.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``cmd``; raises if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"{shlex.join(cmd)} exited {r.returncode}: {r.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def medians(cmd: list[str], runs: int) -> tuple[float, float]:
    run_once(cmd)  # warm-up
    times = [run_once(cmd) for _ in range(runs)]
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def default_panjwatch() -> list[str]:
    beside = Path(sys.executable).parent / "panjwatch"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("panjwatch")
    return [found] if found else [sys.executable, "-m", "geo.cli.main"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--panjwatch", help="command line to time (default: the console script)")
    args = ap.parse_args()
    pw = shlex.split(args.panjwatch) if args.panjwatch else default_panjwatch()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench_cli_") as tmp:
        png = str(Path(tmp) / "regional.png")
        cases = [
            ("baseline: python -c pass", [py, "-c", "pass"], None),
            ("baseline: python -c 'import geopandas'", [py, "-c", "import geopandas"], None),
            ("panjwatch --help", [*pw, "--help"], 0.3),
            ("panjwatch validate", [*pw, "validate"], 1.0),
            ("panjwatch snapshot -o regional.png", [*pw, "snapshot", "-o", png], 1.5),
        ]
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"runs per case: {args.runs} (medians, fresh process each, after one warm-up run)")
        print(f"command: {shlex.join(pw)}; {os.cpu_count()} CPUs, load average {load}")
        for name, cmd, goal in cases:
            wall, cpu = medians(cmd, args.runs)
            verdict = (
                "" if goal is None else f"  (goal <= {goal:g} s: {'met' if wall <= goal else 'NOT met'})"
            )
            print(f"{name + ':':44} {wall:6.2f} s wall  {cpu:6.2f} s cpu{verdict}")


if __name__ == "__main__":
    main()
