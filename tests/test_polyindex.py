"""The prepared province index: hand-built cases, and agreement with GeoPandas' own joins."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from geo.data.paths import METRIC_CRS
from geo.spatial.join import join_admin1
from geo.spatial.polyindex import polygon_index

# Three provinces, codes deliberately out of row order: two share the meridian 70°E,
# a third sits 20 km east of "East" with a gap between.
ADMIN1 = gpd.GeoDataFrame(
    {"name": ["East", "West", "Far"], "adm1_code": ["AF-E", "TJ-W", "AF-F"], "country": ["AF", "TJ", "AF"]},
    geometry=[box(70.0, 37.0, 71.0, 38.0), box(69.0, 37.0, 70.0, 38.0), box(71.25, 37.0, 72.0, 38.0)],
    crs="EPSG:4326",
)


def metric(points):
    return gpd.GeoSeries([Point(p) for p in points], crs="EPSG:4326").to_crs(METRIC_CRS).to_numpy()


def test_polygons_are_in_code_order():
    index = polygon_index(ADMIN1)
    assert list(index.codes) == ["AF-E", "AF-F", "TJ-W"]
    assert list(index.names) == ["East", "Far", "West"]


@pytest.mark.parametrize(
    ("point", "names"),
    [
        ((69.5, 37.5), {"West"}),
        ((70.0, 37.5), {"West", "East"}),  # shared edge: both
        ((71.1, 37.5), set()),  # in the gap
        ((69.5, 38.0), {"West"}),  # outer edge
    ],
)
def test_containing(point, names):
    index = polygon_index(ADMIN1)
    pt_pos, poly_pos = index.containing(np.array([Point(point)]))
    assert set(index.names[poly_pos]) == names
    assert (pt_pos == 0).all()


@pytest.mark.parametrize(
    ("point", "country", "name"),
    [
        ((71.05, 37.5), None, "East"),  # ~4 km from East, ~18 km from Far
        ((71.2, 37.5), None, "Far"),
        ((69.5, 37.5), "AF", "East"),  # inside West, nearest Afghan province
        ((72.5, 37.5), "TJ", "West"),
    ],
)
def test_nearest(point, country, name):
    index = polygon_index(ADMIN1)
    pos, dist = index.nearest(metric([point]), country=country)
    assert index.names[pos[0]] == name
    assert dist[0] > 0


def test_nearest_beyond_max_distance_has_no_polygon_but_keeps_its_distance():
    index = polygon_index(ADMIN1)
    pos, dist = index.nearest(metric([(68.5, 37.5)]), max_m=10_000)
    assert pos[0] == -1
    assert 40_000 < dist[0] < 50_000  # ~44 km west of West, in metres


@pytest.mark.parametrize(
    ("x", "code"),
    [
        (500_000, "B"),  # exact tie: lowest code
        (500_000.4, "B"),  # right nearer by 0.8 m: still a tie (TIE_M = 1 m)
        (500_002, "C"),  # right nearer by 4 m
        (499_998, "B"),
    ],
)
def test_tie_within_a_metre_goes_to_the_lowest_code(x, code):
    # Two boxes 10 km apart in UTM 42N itself, so "equidistant" is exact.
    admin1 = gpd.GeoDataFrame(
        {"name": ["left", "right"], "adm1_code": ["B", "C"], "country": ["AF", "AF"]},
        geometry=[box(480_000, 4_100_000, 495_000, 4_110_000), box(505_000, 4_100_000, 520_000, 4_110_000)],
        crs=METRIC_CRS,
    )
    index = polygon_index(admin1)
    pos, dist = index.nearest(np.array([Point(x, 4_105_000)]))
    assert index.codes[pos[0]] == code
    # Geodesic metres: on the central meridian UTM's scale factor is 0.9996.
    assert dist[0] == pytest.approx((5_000 - abs(x - 500_000)) / 0.9996, rel=1e-5)


def test_index_is_cached_on_content_not_identity():
    a = polygon_index(ADMIN1)
    assert polygon_index(ADMIN1.copy()) is a
    moved = ADMIN1.copy()
    moved.loc[2, "geometry"] = box(71.3, 37.0, 72.0, 38.0)
    assert polygon_index(moved) is not a
    renamed = ADMIN1.assign(name=["East", "West", "Farther"])
    assert list(polygon_index(renamed).names) == ["East", "Farther", "West"]


def test_agrees_with_geopandas_sjoin_and_sjoin_nearest_on_real_provinces(bundle):
    """The prepared index must give what GeoPandas' own joins give, point for point."""
    # The Tajik and Afghan provinces and their margins, where UTM 42N (sjoin_nearest's metric
    # here) is within 1 % of the geodesic distances the index reports. No ``country``: any
    # province counts.
    admin1 = bundle.admin1[bundle.admin1["country"].isin(["TJ", "AF"])]
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = admin1.total_bounds
    lon = rng.uniform(minx - 1, maxx + 1, 3000)
    lat = rng.uniform(miny - 1, maxy + 1, 3000)
    pts = gpd.GeoDataFrame(
        {"admin1": [""] * len(lon)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )
    ours = join_admin1(pts, admin1, tolerance_km=10.0)

    polys = admin1[["name", "adm1_code", "country", "geometry"]]
    inside = gpd.sjoin(pts[["geometry"]], polys, predicate="intersects")
    inside = inside.sort_values("adm1_code", kind="stable")
    inside = inside[~inside.index.duplicated()]
    assert (ours.loc[inside.index, "join_admin1"] == inside["name"]).all()

    rest = pts.drop(index=inside.index)[["geometry"]].to_crs(METRIC_CRS)
    near = gpd.sjoin_nearest(rest, polys.to_crs(METRIC_CRS), distance_col="d")
    near = near.sort_values(["d", "adm1_code"], kind="stable")
    near = near[~near.index.duplicated()]
    assert np.allclose(ours.loc[near.index, "join_distance_km"], near["d"] / 1000, rtol=1e-2, atol=1e-3)
    within = near[near["d"] <= 9_900]
    beyond = near[near["d"] > 10_100]
    assert len(within) > 20 and len(beyond) > 100  # both cases exercised
    assert (ours.loc[within.index, "join_admin1"] == within["name"]).all()
    assert ours.loc[beyond.index, "join_admin1"].isna().all()
    assert (ours["join_method"].value_counts().reindex(["within", "nearest", "outside"]) > 0).all()


def test_empty_inputs():
    index = polygon_index(ADMIN1)
    pos, dist = index.nearest(np.array([], dtype=object))
    assert len(pos) == 0 and len(dist) == 0
    pt, poly = index.containing(np.array([], dtype=object))
    assert len(pt) == 0 and len(poly) == 0
    out = join_admin1(gpd.GeoDataFrame({"admin1": []}, geometry=[], crs="EPSG:4326"), ADMIN1)
    assert out.empty and list(out.columns)[:4] == [
        "join_admin1",
        "join_adm1_code",
        "join_country",
        "join_method",
    ]
    assert pd.api.types.is_float_dtype(out["join_distance_km"])


def test_outline_is_the_union_boundary():
    index = polygon_index(ADMIN1)
    outline = index._outline("AF")
    assert shapely.is_prepared(outline)
    # The AF outline excludes West: a point in West is ~0 km from East's west edge.
    pos, dist = index.nearest(metric([(69.999, 37.5)]), country="AF")
    assert index.names[pos[0]] == "East" and dist[0] < 200


def test_each_thread_gets_its_own_prepared_index_and_the_same_answers(bundle):
    """GEOS prepared geometries are not thread-safe; Streamlit sessions run in threads."""
    from concurrent.futures import ThreadPoolExecutor

    from geo.spatial.enrich import enrich_events

    rng = np.random.default_rng(11)
    minx, miny, maxx, maxy = bundle.admin1.total_bounds
    pts = gpd.GeoDataFrame(
        {"admin1": [""] * 2000, "country": ["Tajikistan"] * 2000},
        geometry=gpd.points_from_xy(rng.uniform(minx, maxx, 2000), rng.uniform(miny, maxy, 2000)),
        crs="EPSG:4326",
    )
    cols = ["join_admin1", "join_method", "join_distance_km", "border_distance_km", "facing_admin1"]
    want = enrich_events(pts, bundle.admin1, bundle.border, bundle.border_detail)[cols]

    def run(_):
        got = enrich_events(pts, bundle.admin1, bundle.border, bundle.border_detail)[cols]
        return polygon_index(bundle.admin1), got

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(8)))
    assert len({id(index) for index, _ in results}) > 1  # not one shared prepared copy
    for _, got in results:
        pd.testing.assert_frame_equal(got, want)
    assert polygon_index(bundle.admin1) is polygon_index(bundle.admin1)  # cached within a thread
