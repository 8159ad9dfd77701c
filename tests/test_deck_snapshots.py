"""Decks from the geo factory functions compared with committed JSON snapshots.

Set PANJWATCH_UPDATE_SNAPSHOTS=1 to rewrite them after an intended change; review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from geo.query.filters import Filters
from geo.query.selection import select
from geo.render.mapdecks import regional_deck, sector_deck
from geo.report.stats import province_totals
from geo.spatial.bands import border_bands

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("PANJWATCH_UPDATE_SNAPSHOTS") == "1"


def build(name: str, bundle) -> str:
    if name == "regional-all":
        sel = select(bundle, Filters())
        return regional_deck(sel.events, bundle.admin1, bundle.border, bundle.rivers, bundle.places).to_json()
    if name == "regional-2025-shaded":
        sel = select(bundle, Filters(years=(2025,)))
        shade = province_totals(sel.events, "incidents")
        return regional_deck(
            sel.events, bundle.admin1, bundle.border, bundle.rivers, bundle.places, shade=shade
        ).to_json()
    if name == "sector-all":
        sel = select(bundle, Filters())
        return sector_deck(
            sel.events,
            sel.claims,
            bundle.admin1,
            bundle.border,
            bundle.rivers,
            bundle.places,
            border_bands(bundle.border),
        ).to_json()
    raise KeyError(name)


@pytest.mark.parametrize("name", ["regional-all", "regional-2025-shaded", "sector-all"])
def test_deck_matches_snapshot(name, bundle):
    got = build(name, bundle)
    assert got == build(name, bundle), "deck JSON is not deterministic"
    path = SNAPSHOTS / f"{name}.json"
    if UPDATE or not path.exists():
        path.write_text(
            json.dumps(json.loads(got), indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if not UPDATE:
            pytest.fail(f"snapshot {path.name} was missing and has been written; re-run")
    want = json.loads(path.read_text(encoding="utf-8"))
    have = json.loads(got)
    assert [lyr["id"] for lyr in have["layers"]] == [lyr["id"] for lyr in want["layers"]]
    for a, b in zip(have["layers"], want["layers"], strict=True):
        assert a == b, f"layer {a['id']} differs from the snapshot"
    assert have == want


@pytest.mark.parametrize("name", ["regional-all", "sector-all"])
def test_deck_payload_is_small(name, bundle):
    # Goal from the map issue: ≤ 250 KB of deck JSON per rerun for the default view.
    assert len(build(name, bundle).encode("utf-8")) < 250_000
