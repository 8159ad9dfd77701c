"""The frontier page in a real headless Chromium, at a desktop and a phone size: the strip paints
offline, a brush across it chooses a stretch that the map outlines. Screenshots go to bench/out/."""

from __future__ import annotations

import time

import pytest

from geo.data.paths import REPO_ROOT

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"]'
OUT = REPO_ROOT / "bench" / "out"


def open_frontier(page, url: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{url}/frontier")
    page.wait_for_selector(f"{CHART} svg g.events_marks path", timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    time.sleep(1.5)


def test_strip_paints_offline_and_a_brush_outlines_the_stretch(page, app_url):
    OUT.mkdir(parents=True, exist_ok=True)
    open_frontier(page, app_url, 1440, 900)
    strip = page.locator(CHART).first
    assert page.locator(f"{CHART} svg g.events_marks path").count() >= 5
    assert page.locator(f"{CHART} svg g.landmark_labels_marks text").count() == 6
    page.screenshot(path=str(OUT / "frontier-1440x900.png"))
    bg = page.locator(f"{CHART} svg g.background_marks path").first.bounding_box()
    # km ~ 360–480 of 1,203: the Shamsiddin Shohin stretch.
    x0 = bg["x"] + bg["width"] * 0.30
    x1 = bg["x"] + bg["width"] * 0.40
    y = bg["y"] + bg["height"] * 0.5
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=6)
    page.mouse.move(x1, y, steps=6)
    page.mouse.up()
    page.get_by_text("Stretch km", exact=False).first.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    time.sleep(1.5)
    assert page.locator(f"{CHART} svg g.chosen_stretch_marks path").count() == 1
    strip.screenshot(path=str(OUT / "frontier-strip-brushed.png"))
    page.screenshot(path=str(OUT / "frontier-1440x900-brushed.png"), full_page=True)
    assert page.watch.external == [], page.watch.external
    assert page.watch.errors == [], page.watch.errors


def test_phone_width_keeps_the_strip_inside_the_screen(page, app_url):
    OUT.mkdir(parents=True, exist_ok=True)
    open_frontier(page, app_url, 390, 844)
    box = page.locator(CHART).first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
    page.screenshot(path=str(OUT / "frontier-390x844.png"))
    page.screenshot(path=str(OUT / "frontier-390x844-full.png"), full_page=True)
    assert page.watch.external == [], page.watch.external
