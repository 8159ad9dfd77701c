"""The timeline page in a real headless Chromium: it paints the expected marks offline,
a click opens the shared details panel, a brush narrows the regional map, playback
plays, and the PNG/SVG downloads are real files."""

from __future__ import annotations

import io
import re
import struct
import time
from datetime import date
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image

from geo.query.filters import Filters
from geo.query.selection import select
from geo.render import timeline as tl
from geo.render.mapdecks import CATEGORY_COLOURS

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"]'
DETAILS = ".st-key-details-panel"


def open_timeline(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"{CHART} svg g.points_marks path", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    time.sleep(1.0)


def button(page, key: str):
    # A keyed widget's container carries "st-key-<key>"; help tooltips nest a second button.
    return page.locator(f".st-key-{key} button").first


def marks(page, group: str):
    return page.locator(f"{CHART} svg g.{group} path")


def mark(page, group: str, text: str):
    # Vega-Lite writes each mark's encoded fields (tooltip included) into its aria-label.
    return page.locator(f'{CHART} svg g.{group} path[aria-label*="{text}"]').first


def shot(page, locator, path) -> np.ndarray:
    data = locator.screenshot(path=str(path))
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def near_colour(img: np.ndarray, rgb: tuple[int, int, int], tol: float = 40) -> int:
    return int((np.linalg.norm(img - np.array(rgb), axis=2) < tol).sum())


def test_timeline_renders_the_expected_marks_offline(page, app_url, bundle, tmp_path):
    open_timeline(page, f"{app_url}/timeline")
    expected = tl.timeline_marks(bundle.events, bundle.claims)
    assert marks(page, "points_marks").count() == int((~expected["span"]).sum())
    assert marks(page, "spans_marks").count() == int(expected["span"].sum())
    assert marks(page, "lanes_marks").count() == len(tl.lane_order(expected))
    img = shot(page, page.locator(CHART).first, tmp_path / "timeline.png")
    h, w, _ = img.shape
    assert w > 600 and h > 350
    # Not blank: the attack and clash colours are on screen, and much more than a background.
    assert near_colour(img, CATEGORY_COLOURS["attack"]) > 100
    assert near_colour(img, CATEGORY_COLOURS["clash"]) > 100
    assert (np.abs(img - 255).sum(axis=2) > 60).mean() > 0.05
    assert page.watch.external == [], page.watch.external
    assert page.watch.errors == [], page.watch.errors


def test_clicking_an_attack_opens_the_shared_details_panel(page, app_url):
    open_timeline(page, f"{app_url}/timeline?year=2025")
    mark(page, "points_marks", "LLC Shohin SM workers").click()
    panel = page.locator(DETAILS)
    panel.wait_for(timeout=30_000)
    text = panel.inner_text()
    assert "LLC Shohin SM workers' camp" in text and "attack" in text
    assert "Who said what" in text and "Ministry of Foreign Affairs" in text
    page.wait_for_function(
        "() => location.search.includes('event=pw-2025-11-26-shohin-attack')", timeout=10_000
    )
    # The same panel offers the focus view of this attack.
    button(page, "timeline-focus-selected").click()
    page.get_by_text("Focus: 26 Nov 2025 attack").first.wait_for(timeout=30_000)
    page.wait_for_selector(f"{CHART} svg g.reaction_links_marks", timeout=30_000)
    assert page.watch.errors == [], page.watch.errors


def test_clicking_a_month_span_opens_its_details(page, app_url):
    open_timeline(page, f"{app_url}/timeline?year=2025")
    mark(page, "spans_marks", "Afghanistan–Pakistan border").click()
    panel = page.locator(DETAILS)
    panel.wait_for(timeout=30_000)
    text = panel.inner_text()
    assert "event id pw-2025-10-pak-afghan-border-clashes" in text and "precision 3: month only" in text


def test_brush_narrows_the_regional_map(page, app_url, bundle, tmp_path):
    open_timeline(page, f"{app_url}/timeline?year=2025")
    lane = marks(page, "lanes_marks").nth(1).bounding_box()
    a = mark(page, "points_marks", "Hamadoni").bounding_box()
    b = mark(page, "points_marks", "Shodak").bounding_box()
    y = lane["y"] + lane["height"] / 2
    x0, x1 = a["x"] - 6, b["x"] + b["width"] + 6
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=6)
    page.mouse.move(x1, y, steps=6)
    page.mouse.up()
    apply = button(page, "timeline-apply-brush")
    apply.wait_for(timeout=30_000)
    assert re.fullmatch(
        r"Use \d+ Nov 2025 – \d+ Dec 2025 as the date filter on every page", apply.inner_text()
    )
    shot(page, page.locator(CHART).first, tmp_path / "brushed.png")
    apply.click()
    page.wait_for_function("() => location.search.includes('from=')", timeout=30_000)
    q = parse_qs(urlparse(page.url).query)
    d_from, d_to = date.fromisoformat(q["from"][0]), date.fromisoformat(q["to"][0])
    ids = set(select(bundle, Filters(years=(2025,), date_from=d_from, date_to=d_to)).events["event_id"])
    # The brush took in the three November attacks and nothing from mid-November or 23 Dec.
    assert {
        "pw-2025-11-20-hamadoni-drone-strike",
        "pw-2025-11-26-shohin-attack",
        "pw-2025-11-30-shodak-attack",
    } <= ids
    assert not ids & {"pw-2025-11-15-tajik-delegation-kabul", "pw-2025-12-23-bogh-post-clash"}
    expected = len(ids)
    before = len(select(bundle, Filters(years=(2025,))).events)
    assert expected < before

    page.get_by_role("link", name="Regional map").click()
    caption = page.get_by_text(re.compile(r"^\d+ events · ")).first
    caption.wait_for(timeout=60_000)
    n = int(caption.inner_text().split(" ")[0])
    assert n == expected
    assert f"dates {d_from} to {d_to}" in caption.inner_text()
    assert page.watch.external == [], page.watch.external
    assert page.watch.errors == [], page.watch.errors


def test_playback_plays_through_the_days(page, app_url):
    open_timeline(page, f"{app_url}/timeline?year=2025")
    button(page, "playback-first").click()
    page.get_by_text(re.compile(r"^Up to 1 Oct 2025: 1 of 13 events")).wait_for(timeout=30_000)
    button(page, "playback-play").click()
    # The timer steps on by itself: later days appear without another click.
    page.get_by_text(re.compile(r"^Up to 15 Nov 2025: 2 of 13 events")).wait_for(timeout=30_000)
    page.get_by_text(re.compile(r"^Up to 26 Nov 2025: ")).wait_for(timeout=60_000)
    button(page, "playback-pause").click()
    button(page, "playback-play").wait_for(timeout=30_000)
    caption = page.get_by_text(re.compile(r"^Up to \d+ \w+ 2025: \d+ of 13 events")).first.inner_text()
    time.sleep(2 * 1.5 + 1)  # paused: no more steps
    assert (
        page.get_by_text(re.compile(r"^Up to \d+ \w+ 2025: \d+ of 13 events")).first.inner_text() == caption
    )
    # The page's only deck is the playback map.
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=30_000)
    assert page.watch.external == [], page.watch.external
    assert page.watch.errors == [], page.watch.errors


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_and_svg_downloads(page, app_url):
    open_timeline(page, f"{app_url}/timeline?year=2025")
    with page.expect_download(timeout=60_000) as dl:
        button(page, "timeline-png").click()
    path = dl.value.path()
    data = open(path, "rb").read()
    w, h = png_size(data)
    assert w >= 2000 and h >= 800
    assert dl.value.suggested_filename == "panjwatch-timeline-overview.png"
    with page.expect_download(timeout=60_000) as dl:
        button(page, "timeline-svg").click()
    svg = open(dl.value.path(), encoding="utf-8").read()
    assert svg.lstrip().startswith("<svg") and "Attacks and reactions" in svg and "years 2025" in svg
    assert page.watch.external == [], page.watch.external
