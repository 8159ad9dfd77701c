"""Map-page benchmark: each map page's paint time beside its same-run baseline and its goal (issue 13).

Run: .venv/bin/python bench/bench_maps.py [--runs 5] [--cold-runs N] [--pages briefing,regional,...]

Three Streamlit servers run at once: the app (started as users start it, ``panjwatch run``), a
hello-world page (bench/hello.py) and a bare pydeck page (bench/bare_pydeck.py: one
ScatterplotLayer of 300 points, no basemap). All are warmed up, then every page is loaded in a
fresh headless Chromium context (Debian's, software WebGL), round-robin so that a change in the
machine's load hits every page alike, and timed from navigation start by the page's own clock:

* a map is *painted* at deck.gl's first WebGL draw call (its first frame draws every layer from
  the inline JSON in one go); the same hook times the app's pages and the bare pydeck page;
* hello-world is *visible* when its title is in the DOM;
* the Briefing's *first screen* is there when its lead sentence and all its figures (metrics,
  with values) are in the DOM and inside the 1440×900 viewport, the first screen that page is
  laid out for.

Cold start is wall-clock time from launching a server process to the first painted map of its
landing page (app: the Briefing; bare: its only page), one new server per run, browser already up.
Deck JSON sizes are the ``json`` of each page's deck element at its default view, as the server
sends it, read by running the page in Streamlit's AppTest (the same script the server runs).

Prints a table of medians, ratios and goals; writes bench/out/bench_maps.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "bench" / "out" / "bench_maps.json"
APP = ROOT / "app.py"
HELLO = ROOT / "bench" / "hello.py"
BARE = ROOT / "bench" / "bare_pydeck.py"
VIEWPORT = {"width": 1440, "height": 900}

#: The app's map pages: key -> (URL path, label, AppTest page script or None for the landing page).
MAP_PAGES = {
    "briefing": ("", "Briefing (landing)", None),
    "regional": ("regional_map", "Regional map", "pages/regional_map.py"),
    "sector": ("sector_map", "Border sector", "pages/sector_map.py"),
    "timeline": ("timeline", "Timeline (playback map)", "pages/timeline.py"),
    "frontier": ("frontier", "Frontier", "pages/frontier.py"),
}

#: Goals (issue 13).
GOAL_MAP_VS_BARE = 1.25
GOAL_FIRST_SCREEN_VS_HELLO = 1.3
GOAL_COLD_VS_BARE = 1.5
GOAL_DECK_BYTES = 40_000  # 40 KB
GOAL_FILTER_MS = 150

# Installed in every frame of every context (baselines included). Times are read from the
# page's own clock, so Playwright's polling costs do not count. __pwFirstDraw is bench_maps'
# "painted" signal; __pwFrameAfter (the next animation frame) is recorded in the JSON only.
DRAW_HOOK = """
(() => {
  for (const proto of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    for (const name of ["drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced"]) {
      const orig = proto[name];
      if (!orig) continue;
      proto[name] = function (...args) {
        if (window.__pwFirstDraw === undefined) {
          window.__pwFirstDraw = performance.now();
          requestAnimationFrame(() => { window.__pwFrameAfter = performance.now(); });
        }
        return orig.apply(this, args);
      };
    }
  }
})();
"""

HELLO_VISIBLE = """() => { const h = document.querySelector('h1');
                   return h && h.innerText.includes('Hello') ? performance.now() : false; }"""

# The Briefing's lead sentence is the bold paragraph of the first column of the main area; its
# figures are the st.metric elements (n of them, from AppTest). All must be inside the viewport.
FIRST_SCREEN = """(n) => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return false;
  const inView = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; };
  const col = main.querySelector('[data-testid="stColumn"]');
  const lead = col && col.querySelector('strong');
  if (!lead || !lead.innerText.trim() || !inView(lead)) return false;
  const metrics = [...main.querySelectorAll('[data-testid="stMetric"]')];
  if (metrics.length < n) return false;
  for (const m of metrics) {
    const v = m.querySelector('[data-testid="stMetricValue"]');
    if (!v || !v.innerText.trim() || !inView(m)) return false;
  }
  return performance.now();
}"""


# ----------------------------------------------------------------------------- servers


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run`` of a script (the app as ``panjwatch run``, as tests/conftest.py starts it)."""

    def __init__(self, script: Path, env: dict, log_dir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        launcher = (
            ["-m", "geo.cli.main", "run"]
            if script.resolve() == APP.resolve()
            else ["-m", "streamlit", "run", str(script)]
        )
        self.log = open(log_dir / f"{script.stem}-{self.port}.log", "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.time()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                *launcher,
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = 120.0) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited; see {self.log.name}")
        raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# ----------------------------------------------------------------------------- one page load


def load(browser, url: str, *, first_screen: str | None = None, arg=None, want_map: bool = True) -> dict:
    """Open ``url`` in a new context; seconds from navigation start to each signal."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(DRAW_HOOK)
    page = ctx.new_page()
    try:
        page.goto(url)
        out: dict = {}
        if first_screen is not None:
            ms = page.wait_for_function(first_screen, arg=arg, timeout=90_000, polling="raf").json_value()
            out["first_screen"] = ms / 1000
        if want_map:
            page.wait_for_function("() => window.__pwFrameAfter !== undefined", timeout=90_000)
            draw, after = page.evaluate("() => [window.__pwFirstDraw, window.__pwFrameAfter]")
            out["map"] = draw / 1000
            out["map_frame_after"] = after / 1000
            out["decks"] = page.locator('[data-testid="stDeckGlJsonChart"]').count()
        return out
    finally:
        ctx.close()


def cold_start(browser, script: Path, env: dict, log_dir: Path) -> float:
    """Seconds from launching a new server for ``script`` to the first painted map of its landing page."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(DRAW_HOOK)
    page = ctx.new_page()
    srv = Server(script, env, log_dir)
    try:
        srv.wait_healthy()
        page.goto(srv.url + "/")
        page.wait_for_function("() => window.__pwFirstDraw !== undefined", timeout=120_000)
        painted_epoch_ms = page.evaluate("() => performance.timeOrigin + window.__pwFirstDraw")
        return painted_epoch_ms / 1000 - srv.started
    finally:
        ctx.close()
        srv.stop()


# ----------------------------------------------------------------------------- server-side figures


def apptest_figures(pages: list[str], runs: int) -> dict:
    """Deck JSON bytes of each page's default view, the Briefing's figure count, filter-change time."""
    from streamlit.testing.v1 import AppTest

    decks: dict[str, list[int]] = {}
    n_metrics = None
    for key in pages:
        script = MAP_PAGES[key][2]
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        if script:
            at.switch_page(script)
            at.run()
        if at.exception:
            raise RuntimeError(f"{key}: {at.exception[0].value}")
        els = at.get("deck_gl_json_chart")
        decks[key] = [len(el.proto.json.encode()) for el in els]
        for el in els:
            json.loads(el.proto.json)
        if key == "briefing":
            n_metrics = len(at.metric)

    # A year-filter change on the Regional map: server time of one rerun (AppTest, warm cache).
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("pages/regional_map.py")
    at.run()
    times = []
    for i in range(runs):
        # The sidebar widget's state, set as the widget would (AppTest does not expose the
        # entry script's sidebar on non-default pages).
        at.session_state["f_years"] = [2024] if i % 2 == 0 else [2025]
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
    return {"deck_bytes": decks, "briefing_metrics": n_metrics, "filter_change_ms": times}


# ----------------------------------------------------------------------------- report


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def verdict(value: float, goal: float) -> str:
    return "ok" if value <= goal else "MISSED"


def spread(xs: list[float], scale: float = 1000, digits: int = 0) -> str:
    return f"{min(xs) * scale:.{digits}f}–{max(xs) * scale:.{digits}f}"


def report(res: dict) -> list[str]:
    r = res["runs"]
    hello, bare = med(r["hello"]["first_screen"]), med(r["bare"]["map"])
    w = 36
    lines = [
        f"bench_maps: {res['runs_per_figure']} runs per figure (medians; min–max over runs), "
        f"viewport {VIEWPORT['width']}×{VIEWPORT['height']}, headless Chromium + SwiftShader",
        f"load average (1, 5, 15 min): start {res['loadavg_start']}, end {res['loadavg_end']}; "
        f"{os.cpu_count()} cores"
        + (
            f"; 1-min load at each round's start: {', '.join(f'{x:g}' for x in res['loadavg_rounds'])}"
            if res.get("loadavg_rounds")
            else ""
        ),
        "",
        "Warm server, new browser context each load; time from navigation start "
        "(map: deck.gl's first WebGL draw). ratio: of the medians (judged); "
        "paired: median of same-round ratios",
        f"{'page':{w}} {'median':>9} {'min–max':>11}   {'baseline (same run)':<26}{'ratio':>6}  {'goal':<8} {'met':<6} paired",
        f"{'-' * w} {'-' * 9} {'-' * 11}   {'-' * 25} {'-' * 6}  {'-' * 8} {'-' * 6} {'-' * 6}",
        f"{'hello-world visible':{w}} {hello * 1000:6.0f} ms {spread(r['hello']['first_screen']):>11}   (baseline)",
        f"{'bare pydeck map painted':{w}} {bare * 1000:6.0f} ms {spread(r['bare']['map']):>11}   (baseline)",
    ]

    def row(label, xs, base_xs, base_name, goal):
        m, base = med(xs), med(base_xs)
        ratio = m / base
        # Median over rounds of page / baseline loaded in the same round: steadier under drifting load.
        paired = med([x / b for x, b in zip(xs, base_xs, strict=True)])
        return (
            f"{label:{w}} {m * 1000:6.0f} ms {spread(xs):>11}   {base_name:<12}{base * 1000:7.0f} ms    "
            f"{ratio:5.2f}x  {'<= ' + f'{goal:g}x':<8} {verdict(ratio, goal):<6} {paired:5.2f}x"
        )

    for key, (_, label, _) in MAP_PAGES.items():
        if key not in r:
            continue
        if key == "briefing":
            lines.append(
                row(
                    "Briefing: first screen",
                    r[key]["first_screen"],
                    r["hello"]["first_screen"],
                    "hello-world",
                    GOAL_FIRST_SCREEN_VS_HELLO,
                )
            )
            lines.append(
                row("Briefing: map painted", r[key]["map"], r["bare"]["map"], "bare pydeck", GOAL_MAP_VS_BARE)
            )
        else:
            lines.append(
                row(f"{label}: map painted", r[key]["map"], r["bare"]["map"], "bare pydeck", GOAL_MAP_VS_BARE)
            )

    if res.get("cold"):
        c = res["cold"]
        app_c, bare_c = med(c["app"]), med(c["bare"])
        lines += [
            "",
            f"Cold start: server launch -> first painted map of the landing page ({len(c['app'])} runs each)",
            f"{'bare pydeck':{w}} {bare_c:6.2f} s  {spread(c['bare'], 1, 1):>11}   (baseline, s)",
            f"{'app (Briefing)':{w}} {app_c:6.2f} s  {spread(c['app'], 1, 1):>11}   {'bare pydeck':<12}"
            f"{bare_c:7.2f} s     {app_c / bare_c:5.2f}x  {'<= ' + f'{GOAL_COLD_VS_BARE:g}x':<8} "
            f"{verdict(app_c / bare_c, GOAL_COLD_VS_BARE)}",
        ]

    srv = res["apptest"]
    lines += [
        "",
        "Deck JSON at the default view (the deck element's JSON as the server sends it, from AppTest)",
    ]
    for key, sizes in srv["deck_bytes"].items():
        label = MAP_PAGES[key][1]
        size = sum(sizes)
        lines.append(
            f"{label:{w}} {size:8,d} B  = {size / 1000:6.1f} KB   goal <= {GOAL_DECK_BYTES / 1000:.0f} KB "
            f"{verdict(size, GOAL_DECK_BYTES)}" + (f"  ({len(sizes)} decks)" if len(sizes) != 1 else "")
        )
    fc = med(srv["filter_change_ms"])
    lines += [
        "",
        f"{'filter change, server rerun':{w}} {fc:6.0f} ms  (Regional map, AppTest, warm cache) "
        f"goal <= {GOAL_FILTER_MS} ms {verdict(fc, GOAL_FILTER_MS)}",
    ]
    return lines


# ----------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="loads per page (default 5)")
    ap.add_argument(
        "--cold-runs", type=int, default=None, help="cold starts per server (default: --runs; 0 skips)"
    )
    ap.add_argument(
        "--pages",
        default=",".join(MAP_PAGES),
        help=f"comma-separated map pages to time (default: all of {','.join(MAP_PAGES)})",
    )
    args = ap.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in pages if p not in MAP_PAGES]
    if unknown:
        ap.error(f"unknown page(s) {unknown}; choose from {list(MAP_PAGES)}")
    cold_runs = args.runs if args.cold_runs is None else args.cold_runs

    from playwright.sync_api import sync_playwright

    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench_maps-"))
    (tmp / "store").mkdir()
    log_dir = tmp / "logs"
    log_dir.mkdir()
    # An empty import store, as the tests use: a developer's own local/store must not count.
    env = {
        **os.environ,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PANJWATCH_STORE": str(tmp / "store"),
    }
    os.environ["PANJWATCH_STORE"] = env["PANJWATCH_STORE"]

    res: dict = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "runs_per_figure": args.runs,
        "viewport": VIEWPORT,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "criteria": {
            "map": "deck.gl's first WebGL draw call (ms since navigation start, page clock)",
            "hello": "h1 containing 'Hello' in the DOM (rAF polling)",
            "first_screen": "Briefing lead sentence and all metrics with values inside the viewport (rAF polling)",
            "cold": "wall clock from server launch to first WebGL draw of the landing page",
            "deck_bytes": "len(deck element JSON) at the default view, via AppTest",
        },
    }

    print("server-side figures (AppTest) …", file=sys.stderr)
    res["apptest"] = apptest_figures(pages, args.runs)
    n_metrics = res["apptest"]["briefing_metrics"]

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            if cold_runs:
                res["cold"] = {"app": [], "bare": []}
                for i in range(cold_runs):
                    print(f"cold start {i + 1}/{cold_runs} …", file=sys.stderr)
                    res["cold"]["bare"].append(cold_start(browser, BARE, env, log_dir))
                    res["cold"]["app"].append(cold_start(browser, APP, env, log_dir))

            servers = {"app": Server(APP, env, log_dir), "hello": Server(HELLO, env, log_dir)}
            servers["bare"] = Server(BARE, env, log_dir)
            try:
                for s in servers.values():
                    s.wait_healthy()
                targets = {
                    "hello": lambda: load(
                        browser, servers["hello"].url + "/", first_screen=HELLO_VISIBLE, want_map=False
                    ),
                    "bare": lambda: load(browser, servers["bare"].url + "/"),
                }
                for key in pages:
                    url = f"{servers['app'].url}/{MAP_PAGES[key][0]}"
                    if key == "briefing":
                        targets[key] = lambda url=url: load(
                            browser, url, first_screen=FIRST_SCREEN, arg=n_metrics
                        )
                    else:
                        targets[key] = lambda url=url: load(browser, url)
                print("warming up …", file=sys.stderr)
                for _ in range(2):  # caches, bytecode, font atlas
                    for f in targets.values():
                        f()
                runs: dict[str, dict[str, list]] = {k: {} for k in targets}
                res["loadavg_rounds"] = []
                for i in range(args.runs):  # round-robin: load drift hits every page alike
                    res["loadavg_rounds"].append(round(os.getloadavg()[0], 2))
                    print(f"run {i + 1}/{args.runs} …", file=sys.stderr)
                    for key, f in targets.items():
                        for name, v in f().items():
                            runs[key].setdefault(name, []).append(v)
                res["runs"] = runs
            finally:
                for s in servers.values():
                    s.stop()
        finally:
            browser.close()

    res["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    lines = report(res)
    res["table"] = lines
    text = json.dumps(res, indent=2, ensure_ascii=False) + "\n"
    stamped = OUT.with_name(f"{OUT.stem}-{time.strftime('%Y%m%d-%H%M%S')}.json")
    for path in (OUT, stamped):
        path.write_text(text)
    print("\n".join(lines))
    print(f"\nwrote {OUT.relative_to(ROOT)} and {stamped.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
