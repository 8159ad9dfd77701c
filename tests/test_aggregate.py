"""Server-side hexagon bins: counts and casualties, geometry in metres, and the switch in the decks."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_store
from pyproj import Transformer

from geo.data.bundle import merge_into_bundle
from geo.render.mapdecks import (
    REGIONAL_VIEW,
    SECTOR_BBOX,
    SECTOR_VIEW,
    deck_layer_ids,
    regional_deck,
    sector_deck,
)
from geo.spatial.aggregate import (
    AGGREGATE_THRESHOLD,
    BIN_LAYER_ID,
    bin_colour,
    bin_tips,
    cell_km_for,
    hex_bins,
)


@pytest.fixture(scope="module")
def big(tmp_path_factory, bundle):
    """The curated bundle plus 6,000 synthetic imported events (above the threshold)."""
    store = synthetic_store(tmp_path_factory.mktemp("agg"), AGGREGATE_THRESHOLD + 1000, seed=11)
    return merge_into_bundle(bundle, store)


def test_counts_and_casualties_add_up(big):
    ev = big.events[big.events["dataset"] != "curated"]
    bins = hex_bins(ev, 20.0)
    assert bins["count"].sum() == len(ev)
    assert bins["fatalities"].sum() == int(ev["fatalities"].fillna(0).sum())
    assert bins["injured"].sum() == 0
    assert (bins["fatalities_high"] >= bins["fatalities"]).all()
    assert all(sum(c.values()) == n for c, n in zip(bins["categories"], bins["count"], strict=True))
    assert (bins["first"] <= bins["last"]).all()
    assert bins[["q", "r"]].duplicated().sum() == 0


@pytest.mark.parametrize("cell_km", [5.0, 20.0, 60.0])
def test_hexagons_are_cell_km_apart_on_the_ground(big, cell_km):
    bins = hex_bins(big.events, cell_km)
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:32642", always_xy=True)
    poly = np.asarray(bins["polygon"].iloc[0])
    assert poly.shape == (6, 2)
    x, y = to_m.transform(poly[:, 0], poly[:, 1])
    radius = np.hypot(x - x.mean(), y - y.mean())
    # Centre-to-corner of a pointy-top hexagon is width / sqrt(3); corners are rounded to ~11 m.
    assert radius == pytest.approx(np.full(6, cell_km * 1000 / math.sqrt(3)), abs=20)


def test_every_event_falls_in_its_hexagon(big):
    import shapely

    # Events in the region (UTM 42N is meant for it; Beijing's corners would be far off).
    ev = big.events[big.events["dataset"] != "curated"].iloc[:500]
    bins = hex_bins(ev, 30.0)
    polys = shapely.polygons(np.asarray(bins["polygon"].tolist()))
    inside = shapely.STRtree(polys).query(ev.geometry.to_numpy(), predicate="intersects")
    assert len(np.unique(inside[0])) == len(ev)


def test_bbox_and_mask_select_events(big):
    ev = big.events
    box = hex_bins(ev, 10.0, bbox=SECTOR_BBOX)
    lon, lat = ev.geometry.x, ev.geometry.y
    in_box = (
        (lon >= SECTOR_BBOX[0]) & (lon <= SECTOR_BBOX[2]) & (lat >= SECTOR_BBOX[1]) & (lat <= SECTOR_BBOX[3])
    )
    assert box["count"].sum() == in_box.sum()
    masked = hex_bins(ev, 10.0, mask=(ev["dataset"] == "curated").to_numpy())
    assert (
        masked["count"].sum()
        == (ev["dataset"] == "curated").sum() - ev.geometry.is_empty.sum() - ev.geometry.isna().sum()
    )


def test_bins_are_deterministic(big):
    a = hex_bins(big.events, 20.0)
    b = hex_bins(big.events.sample(frac=1.0, random_state=4), 20.0)
    pd.testing.assert_frame_equal(
        a.drop(columns=["categories", "polygon"]), b.drop(columns=["categories", "polygon"])
    )
    assert a["polygon"].tolist() == b["polygon"].tolist()


def test_colour_classes_on_a_log_scale():
    assert bin_colour(np.array([1, 10, 100, 1000]), 1000).tolist() == [1, 2, 4, 5]
    assert bin_colour(np.array([1]), 1).tolist() == [5]


def test_tooltip_fields_are_plain_text_and_escapable():
    from geo.render.mapdecks import TIP_FIELDS, escape_tooltips

    row = {
        "count": 3,
        "fatalities": 1,
        "fatalities_high": 2,
        "injured": 0,
        "first": pd.Timestamp("2024-01-01"),
        "last": pd.Timestamp("2024-02-01"),
        "categories": {"<img src=x onerror=alert(1)>": 3},
    }
    tips = bin_tips(row, 20.0)
    assert set(tips) == set(TIP_FIELDS)
    assert tips["tip_2"].startswith("killed 1–2") and tips["tip_1"] == "1 Jan 2024 – 1 Feb 2024"
    spec = escape_tooltips({"layers": [{"id": BIN_LAYER_ID, "data": [tips]}]})
    html = " ".join(spec["layers"][0]["data"][0].values())
    assert "<img" not in html and "&lt;img" in html


def test_cell_follows_zoom():
    assert cell_km_for(REGIONAL_VIEW) > cell_km_for(SECTOR_VIEW) > 1.0


def _spec(deck) -> dict:
    return json.loads(deck.to_json())


def test_regional_deck_switches_to_bins_above_threshold(big):
    ev = big.events
    spec = _spec(regional_deck(ev, big.admin1, big.border, big.rivers, big.places))
    ids = deck_layer_ids(spec)
    assert BIN_LAYER_ID in ids and ids.index(BIN_LAYER_ID) < ids.index("events")
    bins = next(lyr for lyr in spec["layers"] if lyr["id"] == BIN_LAYER_ID)
    assert bins["pickable"] is True and bins["@@type"] == "PolygonLayer"
    assert sum(r["count"] for r in bins["data"]) == (ev["dataset"] != "curated").sum()
    points = next(lyr for lyr in spec["layers"] if lyr["id"] == "events")
    # Curated events stay markers (each clickable); no imported event reaches the browser one by one.
    cur = ev[(ev["dataset"] == "curated") & ~(ev.geometry.isna() | ev.geometry.is_empty)]
    assert sorted(r["event_id"] for r in points["data"]) == sorted(cur["event_id"])
    assert "synth:" not in json.dumps(spec)


def test_below_threshold_draws_points(big):
    small = big.events.iloc[: AGGREGATE_THRESHOLD - 10]
    spec = _spec(regional_deck(small, big.admin1, big.border, big.rivers, big.places))
    assert BIN_LAYER_ID not in deck_layer_ids(spec)
    points = next(lyr for lyr in spec["layers"] if lyr["id"] == "events")
    placed = ~(small.geometry.isna() | small.geometry.is_empty)
    assert len(points["data"]) == placed.sum()


def test_aggregate_can_be_turned_off(big):
    spec = _spec(
        regional_deck(
            big.events.iloc[: AGGREGATE_THRESHOLD + 1],
            big.admin1,
            big.border,
            big.rivers,
            big.places,
            aggregate=False,
        )
    )
    assert BIN_LAYER_ID not in deck_layer_ids(spec)


def test_sector_deck_bins_only_its_box(big, bundle):
    from geo.spatial.bands import border_bands

    spec = _spec(
        sector_deck(
            big.events, big.claims, big.admin1, big.border, big.rivers, big.places, border_bands(big.border)
        )
    )
    bins = next(lyr for lyr in spec["layers"] if lyr["id"] == BIN_LAYER_ID)
    corners = np.array([c for r in bins["data"] for c in r["polygon"]])
    assert corners[:, 0].min() > SECTOR_BBOX[0] - 0.8 and corners[:, 0].max() < SECTOR_BBOX[2] + 0.8
    assert "claim-links" in deck_layer_ids(spec)


def test_payload_is_bounded_by_cells_not_events(big):
    ev = big.events
    spec_small = json.dumps(
        _spec(
            regional_deck(ev.iloc[: AGGREGATE_THRESHOLD + 50], big.admin1, big.border, big.rivers, big.places)
        )
    )
    spec_all = json.dumps(_spec(regional_deck(ev, big.admin1, big.border, big.rivers, big.places)))
    per_event_bytes = 300
    assert len(spec_all) < len(ev) * per_event_bytes / 2
    assert len(spec_all) < 2 * len(spec_small)
