"""Standalone interactive HTML of a map page that works offline: see :mod:`geo.render.html`.

This module keeps the names the app and the tests import (``map_html``,
``file_name``, ``deck_bundle_js``, ``undash``, ``deck_for``).
"""

from __future__ import annotations

from geo.render.html import (
    DECK_BUNDLE,
    deck_bundle_js,
    deck_for,
    draw_page,
    file_name,
    map_html,
    scene_for,
    undash,
)

__all__ = [
    "DECK_BUNDLE",
    "deck_bundle_js",
    "deck_for",
    "draw_page",
    "file_name",
    "map_html",
    "scene_for",
    "undash",
]
