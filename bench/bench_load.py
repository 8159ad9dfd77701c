"""Load benchmark: 20 concurrent sessions on different pages and filters, with one import running.

Run: .venv/bin/python bench/bench_load.py [--sessions 20] [--seconds 60] [--import-rows 20000]

Starts the app (``panjwatch run``) on 127.0.0.1 with a fresh store (one small
imported dataset already in it), then talks Streamlit's own websocket protocol
(``/_stcore/stream``, the BackMsg/ForwardMsg protobufs the browser sends and
receives), so a session costs a socket, not a browser. Each page view opens the
page by link (URL filters) in a fresh session (see :func:`view` for why):

1. baseline: one session runs every page once per filter set, alone (same server,
   same run), after a warm-up run of every page;
2. load: ``--sessions`` virtual users, each with its own page rotation and URL
   filters (year / type / tier), open page after page for ``--seconds``
   while ``panjwatch import`` writes a synthetic ACLED export of
   ``--import-rows`` events into the same store;
3. reports the median and p95 script run (rerun sent → ``script_finished``)
   under load against the baseline, errors (exception elements, transport
   errors, timeouts, runs that did not finish successfully), leaks (a page
   whose filter summary is not its own session's) and whether the import
   showed up in the sessions before the end.

Nothing leaves the machine: the server listens on 127.0.0.1 and every
connection is to it. The whole run is bounded (``--seconds`` plus start-up and
baseline, about 2–3 minutes on two cores).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("briefing", "regional_map", "sector_map", "incidents", "timeline", "sources", "import")
#: URL filters per session (rotated); each page's sidebar summary must name its own session's filters.
FILTERS = (
    ("year=2025", "2025"),
    ("year=2024", "2024"),
    ("type=attack", "attack"),
    ("type=statement", "statement"),
    ("tier=seed", "seed"),
    ("year=2025&type=clash", "clash"),
    ("", None),
)
RUN_TIMEOUT_S = 120.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(store: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "PANJWATCH_STORE": str(store), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geo.cli.main",
            "run",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--server.enableXsrfProtection",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, port
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode()[-2000:])
    proc.kill()
    raise RuntimeError("the app did not become healthy in 90 s")


def _texts(element) -> list[str]:
    """Visible text of one element (markdown, captions, alerts, headings, text)."""
    kind = element.WhichOneof("type")
    if kind in ("markdown",):
        return [element.markdown.body]
    if kind == "alert":
        return [element.alert.body]
    if kind == "heading":
        return [element.heading.body]
    if kind == "text":
        return [element.text.body]
    return []


class Session:
    """One browser tab's worth of Streamlit protocol over one websocket."""

    def __init__(self, port: int, query: str):
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.query = query
        self.ws = None

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60, ping_interval=None
        )

    async def run_page(self, page: str) -> dict:
        """Rerun ``page``; return time, status, texts and exceptions of that run."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = page
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        texts, exceptions, status, seen = [], [], None, False
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S)
            seen = seen or b"loadtest" in raw
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                if el.WhichOneof("type") == "exception":
                    exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
                texts += _texts(el)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status != "FINISHED_EARLY_FOR_RERUN":
                    break
        return {
            "s": time.perf_counter() - t0,
            "status": status,
            "texts": texts,
            "exceptions": exceptions,
            "import_seen": seen,
        }

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def leaked(run: dict, word: str | None, page: str) -> bool:
    """A page whose sidebar summary ('Showing: …') is missing or not its own session's filters."""
    summaries = [t for t in run["texts"] if t.startswith("Showing:")]
    if not summaries:
        return True
    return word is not None and word not in summaries[0]


async def view(port: int, query: str, page: str) -> dict:
    """One page view by link: a fresh websocket session, one script run, closed.

    A session is not kept across page views: this client does not echo widget
    states back as a browser does, and without them Streamlit resets widgets to
    their defaults on a session's third run (the date inputs to today), which
    would be an artefact of the client, not the app.
    """
    s = Session(port, query)
    await s.connect()
    try:
        return await s.run_page(page)
    finally:
        await s.close()


async def baseline(port: int, filters=FILTERS[:2]) -> list[float]:
    times = []
    for query, _word in filters:
        for page in PAGES:
            times.append((await view(port, query, page))["s"])
    return times


async def load(port: int, n: int, seconds: float, stats: dict) -> None:
    deadline = time.perf_counter() + seconds

    async def one(i: int) -> None:
        query, word = FILTERS[i % len(FILTERS)]
        k = i
        while time.perf_counter() < deadline:
            page = PAGES[k % len(PAGES)]
            k += 1
            try:
                r = await view(port, query, page)
            except Exception as exc:  # noqa: BLE001 - counted, reported
                stats["transport"].append(f"{page}: {type(exc).__name__}: {exc}")
                continue
            stats["times"].append(r["s"])
            stats["runs"] += 1
            if r["exceptions"]:
                stats["exceptions"] += [f"{page}: {e}" for e in r["exceptions"]]
            if r["status"] != "FINISHED_SUCCESSFULLY":
                stats["unfinished"].append(f"{page}: {r['status']}")
            if leaked(r, word, page):
                stats["leaks"].append(
                    f"session {i} ({query}) on {page}: {[t for t in r['texts'] if t.startswith('Showing')]}"
                )
            stats["import_seen"] |= r["import_seen"]

    await asyncio.gather(*(one(i) for i in range(n)))


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--import-rows", type=int, default=20_000)
    args = ap.parse_args()

    from geo.data.importers import import_file
    from geo.data.store import Store
    from geo.data.synth import write_acled_csv

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "store"
        import_file(write_acled_csv(tmp / "small.csv", 300, seed=3), "acled", "small", store=Store(store))
        big = write_acled_csv(tmp / "loadtest.csv", args.import_rows, seed=7)
        proc, port = start_app(store)
        try:
            warm = asyncio.run(baseline(port, FILTERS[:1]))  # warm-up: caches, imports of page modules
            base = asyncio.run(baseline(port))
            stats = {
                "times": [],
                "runs": 0,
                "exceptions": [],
                "transport": [],
                "unfinished": [],
                "leaks": [],
                "import_seen": False,
            }
            imp = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "geo.cli.main",
                    "import",
                    "--format",
                    "acled",
                    str(big),
                    "--dataset",
                    "loadtest",
                    "--store",
                    str(store),
                    "-q",
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            t0 = time.perf_counter()
            asyncio.run(load(port, args.sessions, args.seconds, stats))
            wall = time.perf_counter() - t0
            out, err = imp.communicate(timeout=300)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    errors = len(stats["exceptions"]) + len(stats["transport"]) + len(stats["unfinished"])
    print(f"warm-up: {len(warm)} runs, median {statistics.median(warm):.2f} s")
    print(
        f"baseline (1 session): {len(base)} runs, median {statistics.median(base):.2f} s, p95 {pct(base, 0.95):.2f} s"
    )
    if stats["times"]:
        t = stats["times"]
        print(
            f"load ({args.sessions} sessions, {wall:.0f} s, import of {args.import_rows:,} rows running): "
            f"{stats['runs']} runs, median {statistics.median(t):.2f} s, p95 {pct(t, 0.95):.2f} s "
            f"(x{statistics.median(t) / statistics.median(base):.1f} / x{pct(t, 0.95) / pct(base, 0.95):.1f} "
            "the baseline)"
        )
    print(
        f"errors: {errors} (exceptions {len(stats['exceptions'])}, transport {len(stats['transport'])}, "
        f"unfinished {len(stats['unfinished'])}); leaks between sessions: {len(stats['leaks'])}"
    )
    for line in (stats["exceptions"] + stats["transport"] + stats["unfinished"] + stats["leaks"])[:10]:
        print("  " + line)
    print(
        f"import: exit {imp.returncode}; {out.strip().splitlines()[-1] if out.strip() else err.strip()[-200:]}; "
        f"seen by a session before the end: {stats['import_seen']}"
    )
    return 0 if errors == 0 and not stats["leaks"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
