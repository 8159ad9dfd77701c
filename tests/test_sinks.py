"""Data text is inert in every renderer and sink, tested with the one shared payload list.

Each sink gets every payload of :mod:`tests.payloads` in every text field it
shows: deck.gl JSON (the live app's deck and the offline HTML export), the HTML
export, CSV, GeoJSON, GeoPackage, SVG, PNG and PDF snapshots and the briefing pack.
"""

from __future__ import annotations

import json
import re

import pytest

from geo.query.filters import Filters
from geo.query.selection import select
from geo.render.html import map_html
from geo.render.mapdecks import inert_data, regional_deck, sector_deck
from geo.render.snapshot import SnapshotRequest
from geo.report.text import INERT_MARK, deck_inert
from geo.spatial.aggregate import AGGREGATE_THRESHOLD
from geo.spatial.bands import border_bands
from tests.payloads import PAYLOAD_IDS, PAYLOADS, payload_bundle

DECK_PAYLOADS = [p for p in PAYLOADS if p.startswith("@@")]


def data_strings(obj, path="data"):
    """Every (path, string) in layer data, keys included."""
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield f"{path}.{k}[key]", k
            yield from data_strings(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from data_strings(v, f"{path}[{i}]")


def live_decks(bundle):
    """The decks the map pages send (JSON as Streamlit sends it: ``deck.to_json()``)."""
    sel = select(bundle, Filters())
    b = bundle
    yield "regional", regional_deck(sel.events, b.admin1, b.border, b.rivers, b.places).to_json()
    yield (
        "sector",
        sector_deck(
            sel.events, sel.claims, b.admin1, b.border, b.rivers, b.places, border_bands(b.border)
        ).to_json(),
    )


# ---------------------------------------------------------------- deck.gl JSON


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("@@=x()", INERT_MARK + "@@=x()"),
        ("@@#ZZZ", INERT_MARK + "@@#ZZZ"),
        ("@@type", INERT_MARK + "@@type"),
        ("@@function", INERT_MARK + "@@function"),
        ("@x", "@x"),
        (" @@=x", " @@=x"),
        ("a@@=x", "a@@=x"),
        ("Shodak village", "Shodak village"),
        ("", ""),
    ],
)
def test_deck_inert_marks_only_the_converter_prefix(text, want):
    assert deck_inert(text) == want


def test_inert_data_walks_keys_values_and_nesting_and_keeps_numbers():
    data = [{"@@type": "x", "a": ["@@=y", {"b": "@@#Z"}], "n": [1, 2.5], "t": ("@@=t",)}]
    got = inert_data(data)
    assert got == [
        {
            INERT_MARK + "@@type": "x",
            "a": [INERT_MARK + "@@=y", {"b": INERT_MARK + "@@#Z"}],
            "n": [1, 2.5],
            "t": (INERT_MARK + "@@=t",),
        }
    ]
    assert data[0]["a"][0] == "@@=y", "the input is not modified"


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_no_data_string_reaches_deck_gl_as_code(bundle, payload):
    hostile = payload_bundle(bundle, payload)
    for page, spec_json in live_decks(hostile):
        spec = json.loads(spec_json)
        shown = 0
        for layer in spec["layers"]:
            for path, s in data_strings(layer.get("data", []), f"{layer['id']}.data"):
                assert not s.startswith("@@"), f"{page}: {path} = {s[:40]!r}"
                shown += payload in s
        # The payload is still there, as text (the tooltip title and the place labels).
        assert shown, f"{page}: the payload vanished from the deck"
        # Our own accessors are still expressions: only data was marked.
        assert any(isinstance(v, str) and v.startswith("@@=") for v in spec["layers"][-1].values())


@pytest.mark.parametrize("payload", DECK_PAYLOADS)
def test_deck_text_keeps_what_it_says(bundle, payload):
    spec = json.loads(dict(live_decks(payload_bundle(bundle, payload)))["sector"])
    layers = {layer["id"]: layer for layer in spec["layers"]}
    tip = layers["events"]["data"][0]["tip_title"]
    assert tip == INERT_MARK + payload and tip.replace(INERT_MARK, "") == payload
    labels = layers["place-labels"]
    assert {r["name"] for r in labels["data"]} == {INERT_MARK + payload}
    assert INERT_MARK in labels["characterSet"], "the mark must be in the font atlas (no missing glyph)"


def test_aggregated_deck_is_inert_too(bundle):
    """Above the aggregation threshold the curated events are still markers with tooltips."""
    import pandas as pd

    hostile = payload_bundle(bundle, "@@=x()")
    ev = hostile.events
    reps = AGGREGATE_THRESHOLD // len(ev) + 2
    many = pd.concat([ev] * reps, ignore_index=True)
    many["event_id"] = [f"@@#E{i}" for i in range(len(many))]
    many = many.__class__(many, geometry="geometry", crs=ev.crs)
    spec = json.loads(
        regional_deck(many, bundle.admin1, bundle.border, bundle.rivers, bundle.places).to_json()
    )
    assert "event-bins" in [layer["id"] for layer in spec["layers"]]
    for layer in spec["layers"]:
        for path, s in data_strings(layer.get("data", []), layer["id"]):
            assert not s.startswith("@@"), f"{path} = {s[:40]!r}"


@pytest.mark.parametrize("payload", DECK_PAYLOADS)
@pytest.mark.parametrize("page", ["regional", "sector"])
def test_html_export_deck_is_inert(bundle, payload, page):
    html = map_html(payload_bundle(bundle, payload), SnapshotRequest(page=page, filters=Filters()))
    spec = json.loads(
        re.search(r'<script type="application/json" id="pw-deck">(.*?)</script>', html, re.S)[1]
    )
    for layer in spec["layers"]:
        for path, s in data_strings(layer.get("data", []), layer["id"]):
            assert not s.startswith("@@"), f"{path} = {s[:40]!r}"
