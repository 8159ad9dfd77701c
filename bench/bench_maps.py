"""Map-page benchmark: paint time vs a hello-world page, deck payload, filter-change time.

Run: .venv/bin/python bench/bench_maps.py [--runs 7]

Both servers are started here and warmed up, then each page is loaded in a fresh
headless Chromium context (Debian's, software WebGL) and timed from navigation start
until deck.gl's first WebGL draw (the hello page: until its title is in the DOM).
Medians are printed with the ratio to the hello-world page measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import CHROMIUM, CHROMIUM_ARGS, start_streamlit  # noqa: E402

# Times are read from the page's own clock (ms since navigation start), so Playwright's
# polling and screenshot costs do not count. The map is "painted" at deck.gl's first WebGL
# draw call: its first frame draws every layer from the inline JSON in one go.
DRAW_HOOK = """
(() => {
  for (const proto of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    for (const name of ["drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced"]) {
      const orig = proto[name];
      if (!orig) continue;
      proto[name] = function (...args) {
        if (window.__pwFirstDraw === undefined) window.__pwFirstDraw = performance.now();
        return orig.apply(this, args);
      };
    }
  }
})();
"""


def time_map(browser, url: str) -> float:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.add_init_script(DRAW_HOOK)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__pwFirstDraw !== undefined", timeout=60_000)
    ms = page.evaluate("() => window.__pwFirstDraw")
    ctx.close()
    return ms / 1000


def time_hello(browser, url: str) -> float:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(url)
    ms = page.wait_for_function(
        """() => { const h = document.querySelector('h1');
                   return h && h.innerText.includes('Hello') ? performance.now() : false; }""",
        timeout=60_000,
        polling="raf",
    ).json_value()
    ctx.close()
    return ms / 1000


def filter_change_ms(runs: int) -> tuple[float, float]:
    """Server time of one rerun after a year-filter change (AppTest, warm cache), and its deck bytes."""
    import json

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
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
    at.session_state["f_years"] = []
    at.run()
    size = len(at.get("deck_gl_json_chart")[0].proto.json.encode())
    json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return statistics.median(times), size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    app_proc, app_url = start_streamlit(ROOT / "app.py")
    hello_proc, hello_url = start_streamlit(ROOT / "bench" / "hello.py")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for page in ("regional_map", "sector_map"):  # warm: caches, bytecode, font atlas
                time_map(browser, f"{app_url}/{page}")
            time_hello(browser, hello_url)
            hello = [time_hello(browser, hello_url) for _ in range(args.runs)]
            regional = [time_map(browser, f"{app_url}/regional_map") for _ in range(args.runs)]
            sector = [time_map(browser, f"{app_url}/sector_map") for _ in range(args.runs)]
            browser.close()
    finally:
        app_proc.terminate()
        hello_proc.terminate()
    h = statistics.median(hello)
    print(f"runs per figure: {args.runs} (medians)")
    print(f"hello-world page visible:       {h * 1000:7.0f} ms")
    for name, xs in (("regional map painted", regional), ("sector map painted", sector)):
        m = statistics.median(xs)
        print(f"{name + ':':31} {m * 1000:7.0f} ms  = {m / h:4.2f}x hello-world (goal <= 1.5x)")
    ms, size = filter_change_ms(args.runs)
    print(f"filter change, server rerun:    {ms:7.0f} ms  (goal <= 150 ms; AppTest, warm cache)")
    print(f"deck JSON per rerun (regional): {size / 1000:7.1f} KB (goal <= 250 KB)")


if __name__ == "__main__":
    main()
