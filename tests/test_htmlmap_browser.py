"""The standalone HTML map in headless Chromium, with every non-local request blocked."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from geo.query.filters import Filters
from geo.render.html import map_html
from geo.render.mapdecks import CATEGORY_COLOURS, SECTOR_VIEW
from geo.render.snapshot import SnapshotRequest, merc

pytestmark = pytest.mark.browser

SHODAK = (70.78902, 38.45373)  # district-level point of the 30 Nov 2025 attack; not co-located


def open_html(page, html: str) -> None:
    page.set_content(html, wait_until="load")
    page.wait_for_function("window.__pwFrames >= 1", timeout=60_000)
    page.wait_for_timeout(1500)  # text layers draw once their font atlas is built


def projected(lon: float, lat: float, width: int, height: int) -> tuple[float, float]:
    """Pixel of (lon, lat) in a full-window deck at the sector view (512-px world at zoom 0)."""
    m_per_px = 2 * math.pi * 6378137 / 512 / 2**SECTOR_VIEW.zoom
    cx, cy = merc(SECTOR_VIEW.longitude, SECTOR_VIEW.latitude)
    x, y = merc(lon, lat)
    return width / 2 + (x - cx) / m_per_px, height / 2 - (y - cy) / m_per_px


@pytest.fixture(scope="module")
def html(bundle):
    return map_html(bundle, SnapshotRequest(page="sector", filters=Filters(years=(2025,))))


def test_offline_html_paints_the_map_with_no_request_leaving_the_machine(page, html):
    open_html(page, html)
    img = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).astype(int)
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 50
    size = page.viewport_size
    x, y = projected(*SHODAK, size["width"], size["height"])
    patch = img[int(y) - 5 : int(y) + 6, int(x) - 5 : int(x) + 6].reshape(-1, 3)
    attack = np.array(CATEGORY_COLOURS["attack"])
    assert (np.abs(patch - attack).max(axis=1) < 40).any(), f"no attack colour near ({x:.0f}, {y:.0f})"
    assert page.watch.external == [], page.watch.external
    assert page.watch.errors == [], page.watch.errors
    assert page.locator("#pw-title h1").inner_text() == "Border sector: Shamsiddin Shohin – Darvoz"
    assert "years 2025" in page.locator("#pw-title").inner_text()


def test_offline_html_shows_the_same_tooltips(page, html):
    open_html(page, html)
    size = page.viewport_size
    x, y = projected(*SHODAK, size["width"], size["height"])
    page.mouse.move(x, y)
    tip = page.locator(".deck-tooltip")
    tip.wait_for(state="visible", timeout=10_000)
    text = tip.inner_text()
    assert "Shodak village" in text and "killed 2" in text


@pytest.mark.parametrize("payload", ["@@=x()", "@@#ZZZ", "@@function", '<img src=x onerror="alert(1)">'])
def test_offline_html_with_hostile_text_still_draws_the_map(page, bundle, payload):
    """deck.gl expressions or HTML in every text field: the map draws, the tooltip shows the text."""
    from geo.report.text import INERT_MARK
    from tests.payloads import payload_bundle

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = payload_bundle(bundle, payload)
    open_html(page, map_html(hostile, SnapshotRequest(page="sector", filters=Filters(years=(2025,)))))
    assert page.evaluate("window.__pwFrames") >= 1
    img = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).astype(int)
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 50
    assert page.watch.errors == [], page.watch.errors
    assert page.watch.external == [], page.watch.external
    size = page.viewport_size
    x, y = projected(*SHODAK, size["width"], size["height"])
    page.mouse.move(x, y)
    tip = page.locator(".deck-tooltip")
    tip.wait_for(state="visible", timeout=10_000)
    assert payload in tip.inner_text().replace(INERT_MARK, "")
    assert dialogs == []
