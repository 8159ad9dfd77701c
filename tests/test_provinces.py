"""The drawing layer of the provinces (geo.spatial.provinces): simplified per zoom, topology kept."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pydeck as pdk
import pytest
import shapely
from shapely.geometry import box

from geo.render.mapdecks import REGIONAL_VIEW, SECTOR_BBOX, SECTOR_VIEW, province_layer
from geo.spatial.provinces import (
    FRONTIER,
    context_bbox,
    digits_for,
    provinces_for_view,
    simplified,
    tolerance_for,
)

SHIPPED = gpd.read_file(Path(__file__).parents[1] / "data" / "shapes" / "admin1.geojson")
UTM = "EPSG:32642"


@pytest.mark.parametrize(
    ("zoom", "tolerance", "digits"),
    [(4.0, 0.02, 2), (6.4, 0.02, 2), (7.0, 0.01, 3), (8.2, 0.005, 3), (9.5, 0.002, 3), (12.0, 0.002, 4)],
)
def test_tolerance_and_digits_follow_the_pixel(zoom, tolerance, digits):
    assert tolerance_for(zoom) == tolerance
    assert digits_for(zoom) == digits


@pytest.mark.parametrize("tolerance", [0.02, 0.01, 0.005, 0.002])
def test_simplified_layer_is_still_a_coverage(tolerance):
    """Shared edges, national borders included, are simplified once: no gaps, no overlaps."""
    geoms = simplified(SHIPPED, tolerance).geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    area = gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(UTM).area.to_numpy()
    full = SHIPPED.to_crs(UTM).area.to_numpy()
    # Small provinces move most: Dushanbe (136 km2, ~8 px across at zoom 6.4) by 3.4 % at 0.02.
    change = abs(area / full - 1)
    assert (change[full > 1e9] < 0.01).all() and (change < 0.05).all()


def test_simplified_is_cached_on_content():
    a = simplified(SHIPPED, 0.01)
    assert simplified(SHIPPED.copy(), 0.01) is a
    assert simplified(SHIPPED, 0.005) is not a


def test_regional_view_draws_the_frontier_whole_and_the_neighbours_clipped_and_dissolved():
    drawn = provinces_for_view(SHIPPED, REGIONAL_VIEW.zoom, dissolve_context=True)
    frontier = drawn[drawn["country"].isin(FRONTIER)]
    assert len(frontier) == 39  # 5 Tajik + 34 Afghan provinces, none clipped
    context = drawn[~drawn["country"].isin(FRONTIER)]
    assert sorted(context["country"]) == ["CN", "IR", "KG", "PK", "TM", "UZ"]  # one shape each
    x0, y0, x1, y1 = context_bbox(SHIPPED)
    assert (context.geometry.bounds["minx"] >= x0 - 1e-9).all() and (
        context.geometry.bounds["maxy"] <= y1 + 1e-9
    ).all()
    undissolved = provinces_for_view(SHIPPED, REGIONAL_VIEW.zoom)
    assert len(undissolved) > len(drawn) and set(undissolved["adm1_code"]) >= set(frontier["adm1_code"])


def test_sector_view_clips_everything_to_its_box():
    pad = (SECTOR_BBOX[0] - 0.5, SECTOR_BBOX[1] - 0.5, SECTOR_BBOX[2] + 0.5, SECTOR_BBOX[3] + 0.5)
    drawn = provinces_for_view(SHIPPED, SECTOR_VIEW.zoom, bbox=pad)
    assert shapely.box(*pad).buffer(1e-9).contains(shapely.union_all(drawn.geometry.to_numpy()))
    assert {"Khatlon", "Gorno-Badakhshan", "Badakhshan", "Takhar"} <= set(drawn["name"])


def test_hand_built_non_coverage_is_simplified_polygon_by_polygon():
    frame = gpd.GeoDataFrame(
        {"adm1_code": ["A", "B"], "name": ["a", "b"], "country": ["TJ", "AF"]},
        geometry=[box(69, 37, 70.5, 38), box(70, 37, 71, 38)],  # overlapping: not a coverage
        crs="EPSG:4326",
    )
    drawn = provinces_for_view(frame, 6.4)
    assert len(drawn) == 2 and drawn.geometry.is_valid.all()


def test_regional_province_layer_is_not_larger_than_before_the_whole_countries():
    """Before: 21 clipped provinces, 92,570 bytes of deck JSON. Now all of TJ and AF plus context."""
    drawn = provinces_for_view(SHIPPED, REGIONAL_VIEW.zoom, dissolve_context=True)
    layer = province_layer(drawn, ndigits=digits_for(REGIONAL_VIEW.zoom))
    spec = json.loads(pdk.Deck(layers=[layer], map_provider=None).to_json())["layers"][0]
    size = len(json.dumps(spec, separators=(",", ":")))
    assert size < 92_570, f"provinces layer {size:,} bytes"
