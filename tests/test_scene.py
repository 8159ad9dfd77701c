"""The renderer-neutral Scene and each renderer, snapshotted on the hand-built fixture bundle.

Set PANJWATCH_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change; review the diff.
The hexagon case adds imported events above :data:`geo.scene.policy.MAP_MARKERS_MAX`.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from geo.query.filters import Filters
from geo.render.deck import draw
from geo.render.html import draw_page
from geo.render.legend_html import legend_html
from geo.render.print_figure import render_snapshot
from geo.render.request import SnapshotRequest
from geo.scene.build import build_scene
from geo.scene.policy import MAP_MARKERS_MAX
from geo.scene.request import PAGES, MapRequest
from tests.fixtures_bundle import fixture_bundle

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("PANJWATCH_UPDATE_SNAPSHOTS") == "1"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def small():
    return fixture_bundle()


@pytest.fixture(scope="module")
def binned():
    return fixture_bundle(imported=MAP_MARKERS_MAX + 100)


def check_snapshot(name: str, obj) -> None:
    text = json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    path = SNAPSHOTS / f"{name}.json"
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"snapshot {path.name} was missing and has been written; re-run")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8")), (
        f"{name} differs from its snapshot"
    )


def scene_record(scene) -> dict:
    """The scene's summary plus the records of its small record layers (lon/lat)."""
    out = scene.summary()
    out["records"] = {
        lyr.id: lyr.records()
        for lyr in scene.layers
        if lyr.kind in ("points", "text", "circles", "leaders", "markers") and len(lyr.features) <= 20
    }
    return out


def fixture_layers(page: str) -> tuple[str, ...]:
    # data/landmarks.csv names places of the real data, not of the fixture: that layer is
    # tested on the real bundle below (on the fixture the scene says why it is not drawn).
    return tuple(g for g in PAGES[page].default_layers if g != "landmarks")


CASES = {
    "regional": ("small", MapRequest(page="regional", layers=fixture_layers("regional"))),
    "regional-shaded": (
        "small",
        MapRequest(page="regional", shade="incidents", layers=("provinces", "events")),
    ),
    "sector": ("small", MapRequest(page="sector", layers=fixture_layers("sector"))),
    "regional-bins": ("binned", MapRequest(page="regional", layers=fixture_layers("regional"))),
}


@pytest.mark.parametrize("case", list(CASES))
def test_scene_matches_snapshot(case, request):
    which, req = CASES[case]
    bundle = request.getfixturevalue(which)
    scene = build_scene(bundle, req)
    again = build_scene(bundle, req)
    assert json.dumps(scene_record(scene), default=str) == json.dumps(scene_record(again), default=str), (
        "not deterministic"
    )
    check_snapshot(f"scene-{case}", scene_record(scene))


def test_scene_accounts_for_every_event(small, binned):
    for b in (small, binned):
        scene = build_scene(b, CASES["regional"][1])
        binned_n = scene.bins.count if scene.bins else 0
        assert len(scene.markers) + binned_n + len(scene.unplaced) == scene.n_selected == len(b.events)
    scene = build_scene(binned, CASES["regional"][1])
    # Above the threshold: curated events stay markers, imported ones are binned.
    assert {r["event_id"] for r in scene.markers} == {"fx-1", "fx-2", "fx-3", "fx-4"}
    assert scene.layer("event-bins") is not None and any(e.swatch == "hexes" for e in scene.legend)


def test_the_legend_follows_the_visible_layers(small):
    only = build_scene(small, MapRequest(page="sector", layers=("border", "events")))
    groups = {e.group for e in only.legend}
    assert groups == {"border", "events"}
    assert "border" in only.caveats and "claims" not in only.caveats


@pytest.mark.parametrize("case", ["sector", "regional-bins"])
def test_deck_renderer_matches_snapshot(case, request):
    which, req = CASES[case]
    spec = json.loads(draw(build_scene(request.getfixturevalue(which), req)).to_json())
    check_snapshot(f"render-deck-{case}", spec)


def svg_texts(data: bytes) -> list[str]:
    return ["".join(e.itertext()) for e in ET.fromstring(data).iter(f"{SVG}text")]


@pytest.mark.parametrize("case", ["sector", "regional-bins"])
def test_print_renderer_matches_snapshot(case, request):
    which, req = CASES[case]
    sreq = SnapshotRequest(page=req.page, layers=req.layers, fmt="svg", width_px=1600, height_px=900)
    snap = render_snapshot(request.getfixturevalue(which), sreq)
    info = snap.info
    check_snapshot(
        f"render-print-{case}",
        {
            # The words on the page and what the map accounts for; pixels are checked in test_snapshot.
            "texts": svg_texts(snap.data),
            "shown": list(info.shown["event_id"]),
            "outside": info.outside,
            "unplaced": info.unplaced,
            "binned": info.binned,
            "binned_outside": info.binned_outside,
            "bin_cells": info.bin_cells,
            "scale_km": info.scale_km,
        },
    )


@pytest.mark.parametrize("case", ["sector", "regional-bins"])
def test_html_renderer_matches_snapshot(case, request):
    which, req = CASES[case]
    html = draw_page(build_scene(request.getfixturevalue(which), req))
    boxes = {
        k: re.search(rf'<div class="pw-box" id="pw-{k}">(.*?)</div>\n', html, re.S)[1]
        for k in ("title", "legend")
    }
    foot = re.search(r'<div class="pw-box" id="pw-foot">(.*?)</div></div>', html, re.S)[1]
    deck = json.loads(
        re.search(r'<script type="application/json" id="pw-deck">(.*?)</script>', html, re.S)[1]
    )
    check_snapshot(
        f"render-html-{case}", {**boxes, "foot": foot, "layers": [lyr["id"] for lyr in deck["layers"]]}
    )


def test_legend_html_escapes_labels(small):
    scene = build_scene(small, MapRequest(page="sector"))
    # The fixture's claim speaker carries markup; legends and labels never pass it through as HTML.
    entries = scene.legend + [type(scene.legend[0])("events", "<b>x</b> & 'y'", "disc", (1, 2, 3))]
    out = legend_html(entries)
    assert "<b>x</b>" not in out and "&lt;b&gt;x&lt;/b&gt; &amp; &#39;y&#39;" in out


def test_filters_reach_the_scene(small):
    req = MapRequest(
        page="regional", filters=Filters(types=("statement",)), layers=fixture_layers("regional")
    )
    scene = build_scene(small, req)
    assert [r["event_id"] for r in scene.markers] == ["fx-4"] and "estimates" not in scene.caveats


def test_a_layer_the_data_cannot_place_is_said_not_dropped(small):
    scene = build_scene(small, MapRequest(page="regional"))
    assert scene.layer("landmarks") is None
    assert (
        scene.caveats["landmarks"].startswith("Landmarks not drawn:")
        and "data/landmarks.csv" in scene.caveats["landmarks"]
    )


@pytest.mark.parametrize("page", ["regional", "sector"])
def test_landmarks_reach_every_renderer_and_legend(bundle, page):
    """The one-edit layer (geo/scene/layers.py + its colour in style.py): live deck, print, HTML, legends."""
    scene = build_scene(bundle, MapRequest(page=page))
    labels = [r["name"] for r in scene.layer("landmarks").features]
    assert labels and "Shamsiddin Shohin" in labels
    entry = next(e for e in scene.legend if e.group == "landmarks")
    spec = json.loads(draw(scene).to_json())
    ids = [lyr["id"] for lyr in spec["layers"]]
    assert ids.index("landmarks") < ids.index("events") and "landmark-labels" in ids
    assert entry.label in legend_html(scene.legend)  # the live map's legend (ui/mapui.py renders this)
    assert entry.label in draw_page(scene)
    texts = svg_texts(render_snapshot(bundle, SnapshotRequest(page=page, fmt="svg")).data)
    assert entry.label in texts and any(t in texts for t in labels)
