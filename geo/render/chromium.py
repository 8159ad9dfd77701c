"""The second snapshot engine: a PNG screenshot of the offline interactive map in headless Chromium.

It gives a pixel-exact picture of the WebGL map (the :mod:`geo.render.html`
page of the same scene) but PNG only and without the byte-for-byte guarantee of
the matplotlib renderer. Every request leaving the machine is aborted.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import geopandas as gpd

from geo.data.settings import env
from geo.render.html import map_html
from geo.render.request import SnapshotRequest

CHROMIUM = env("PANJWATCH_CHROMIUM") or "/usr/bin/chromium"


def chromium_available() -> bool:
    """Whether the second engine can run: Chromium binary and Playwright present."""
    if not Path(CHROMIUM).exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


CHROMIUM_ARGS = (
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_snapshot(bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> bytes:
    """PNG screenshot of the offline interactive map (:func:`geo.render.html.map_html`) in headless Chromium.

    Every request leaving the machine is aborted, so the picture is what an
    offline reader of the HTML export sees. Sizes are CSS pixels at 1×.
    """
    problems = req.problems()
    if req.fmt != "png":
        problems.append("the chromium engine writes PNG only")
    if problems:
        raise ValueError("; ".join(problems))
    if not chromium_available():
        raise RuntimeError(f"the chromium engine needs {CHROMIUM} and Playwright; use engine='matplotlib'")
    html = map_html(bundle, replace(req, fmt="png"), bands=bands)
    # Playwright's sync API refuses to start in a thread that already runs an asyncio loop
    # (Streamlit's script threads, a test session holding its own browser): a fresh thread has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_screenshot_html, html, int(req.width_px), int(req.height_px)).result()


def _screenshot_html(html: str, width: int, height: int) -> bytes:
    from playwright.sync_api import sync_playwright

    local = ("data:", "blob:", "about:")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(local) else route.abort(),
            )
            page.set_content(html, wait_until="load")
            page.wait_for_function("window.__pwFrames >= 1", timeout=30_000)
            page.wait_for_timeout(800)  # text layers draw once their font atlas is built
            return page.screenshot(type="png", full_page=False)
        finally:
            browser.close()
