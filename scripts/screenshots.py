"""Screenshot every page at 1440×900 and on a phone (390×844), for a person to look at.

Starts the app as users do (``panjwatch run``, bundled data, an empty import store) on a free
port, opens each page in Debian's Chromium, waits until Streamlit's script run has finished
and the page's map (if any) has drawn, and writes ``bench/out/screens/<page>-<size>.png``
(the first screen only: what a viewer sees before scrolling).

    .venv/bin/python scripts/screenshots.py [--pages briefing,regional_map] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("briefing", "regional_map", "sector_map", "incidents", "timeline", "frontier", "sources", "import")
SIZES = {"1440x900": (1440, 900), "390x844": (390, 844)}
#: Streamlit's own run state on the app element: the page is done when its script has run.
IDLE = (
    "() => { const a = document.querySelector('[data-test-script-state]');"
    " return a && !['initial', 'running', 'rerunRequested'].includes(a.getAttribute('data-test-script-state'))"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]'); }"
)
#: Pages that draw a deck: the screenshot waits for its canvas too.
MAP_PAGES = ("briefing", "regional_map", "sector_map", "timeline", "frontier")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int, store: str) -> subprocess.Popen:
    env = {**os.environ, "PANJWATCH_STORE": store}
    cmd = [str(ROOT / ".venv/bin/panjwatch"), "run", "--server.port", str(port), "--server.headless", "true"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the app did not start within 60 s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "screens")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    with tempfile.TemporaryDirectory() as store:
        proc = _start(port, store)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--enable-unsafe-swiftshader"]
                )
                for name in args.pages.split(","):
                    for size, (w, h) in SIZES.items():
                        ctx = browser.new_context(viewport={"width": w, "height": h})
                        page = ctx.new_page()
                        page.goto(f"http://127.0.0.1:{port}/{name}", wait_until="domcontentloaded")
                        page.wait_for_selector('[data-testid="stMain"]', timeout=120_000)
                        if name in MAP_PAGES:
                            page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=120_000)
                        try:
                            page.wait_for_function(IDLE, timeout=120_000)
                        except PlaywrightTimeout:
                            # Shot anyway, and said: a page still running after 2 minutes is a finding.
                            print(f"{name} {size}: still running after 120 s", file=sys.stderr)
                        page.wait_for_timeout(1500)  # deck.gl's first frames after the run
                        path = args.out / f"{name}-{size}.png"
                        page.screenshot(path=str(path))
                        print(path)
                        ctx.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
