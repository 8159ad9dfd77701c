"""Uncertainty areas: what a radius covers, and border distance as a range (hand-built shapes)."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from geo.spatial.uncertainty import (
    border_km_range,
    border_range_text,
    coverage_problem,
    district_frontage,
    reach_km,
    row_border_text,
)

# A straight east-west border at northing Y0 (UTM 42N), 200 km long; "TJ" north of it, "AF" south.
X0, Y0 = 500_000.0, 4_200_000.0
_INV = Transformer.from_crs("EPSG:32642", "EPSG:4326", always_xy=True)


def _ll(x_km: float, y_km: float) -> tuple[float, float]:
    lon, lat = _INV.transform(X0 + x_km * 1000, Y0 + y_km * 1000)
    return float(lon), float(lat)


BORDER = gpd.GeoDataFrame(
    {"name": ["b"]},
    geometry=[shapely.LineString([(X0 - 100_000, Y0), (X0 + 100_000, Y0)])],
    crs="EPSG:32642",
).to_crs("EPSG:4326")
ADMIN1 = gpd.GeoDataFrame(
    {"adm1_code": ["N", "S"], "name": ["North", "South"], "country": ["TJ", "AF"]},
    geometry=[
        shapely.box(X0 - 100_000, Y0, X0 + 100_000, Y0 + 100_000),
        shapely.box(X0 - 100_000, Y0 - 100_000, X0 + 100_000, Y0),
    ],
    crs="EPSG:32642",
).to_crs("EPSG:4326")


def _events(rows):
    """rows: (x_km, y_km, geo_precision, radius_km)."""
    pts = [shapely.Point(_ll(x, y)) for x, y, _p, _r in rows]
    return gpd.GeoDataFrame(
        {"geo_precision": [p for *_, p, _r in rows], "uncertainty_km": [r for *_, r in rows]},
        geometry=pts,
        crs="EPSG:4326",
    )


@pytest.mark.parametrize(
    ("y_km", "radius", "side", "lo", "hi"),
    [
        (10, 5, None, 5, 15),  # disk clear of the border: d - r to d + r
        (10, 20, None, 0, 30),  # disk crosses the border: the range starts at 0
        (10, 20, "TJ", 0, 30),  # clipped to its side: the far edge is on the same side
        (2, 20, "TJ", 0, 22),  # clipped: the part across the border (up to 18 km) does not count
        (2, 20, None, 0, 22),  # unclipped: the southern rim is 18 km away, the northern 22 km
    ],
)
def test_range_over_the_disk(y_km, radius, side, lo, hi):
    ev = _events([(0, y_km, 2, radius)])
    sides = pd.Series([side], dtype="string") if side else None
    got = border_km_range(ev, BORDER, ADMIN1, sides).iloc[0]
    assert got["border_km_min"] == pytest.approx(lo, abs=0.2)
    assert got["border_km_max"] == pytest.approx(hi, abs=0.2)


def test_clipping_drops_the_other_side():
    # 5 km north of the line, radius 40: clipped to TJ the northern rim (45 km) is farthest;
    # clipped to AF only the southern cap (35 km) and the coded point itself remain.
    ev = _events([(0, 5, 2, 40)])
    tj = border_km_range(ev, BORDER, ADMIN1, pd.Series(["TJ"], dtype="string")).iloc[0]
    af = border_km_range(ev, BORDER, ADMIN1, pd.Series(["AF"], dtype="string")).iloc[0]
    assert tj["border_km_max"] == pytest.approx(45, abs=0.2)
    assert af["border_km_max"] == pytest.approx(35, abs=0.5)


def test_site_level_points_and_missing_radii_get_no_range():
    ev = _events([(0, 10, 1, 5), (0, 10, 2, float("nan"))])
    got = border_km_range(ev, BORDER)
    assert got["border_km_min"].isna().all() and got["border_km_max"].isna().all()


@pytest.mark.parametrize(
    ("lo", "hi", "point", "line", "text"),
    [
        (0.0, 45.3, 11.5, "", "0–45 km from the border over the uncertainty area; coded point 11.5 km"),
        (2.4, 7.0, None, "", "2.4–7.0 km from the border over the uncertainty area"),
        (None, None, 11.46, "NE", "11.5 km from the border (NE)"),
        (None, None, None, "", ""),
    ],
)
def test_one_formatter(lo, hi, point, line, text):
    assert border_range_text(lo, hi, point, line) == text


def test_rows_without_range_columns_get_true_bounds():
    # An imported row (no border_km_* columns): max(0, d - r) to d + r, both true bounds.
    assert row_border_text(
        {"border_distance_km": 30.0, "geo_precision": 2, "uncertainty_km": 25.0}
    ).startswith("5.0–55 km")
    assert row_border_text({"border_distance_km": 3.0, "geo_precision": 1, "uncertainty_km": 5.0}) == (
        "3.0 km from the border"
    )


# District centre 10 km north of the line at x=0; neighbours 40 km west and 60 km east: the
# frontage is the border between the bisectors, x = -20 km .. +30 km, inside province N.
CENTRE = _ll(0, 10)
NEIGHBOURS = [_ll(-40, 10), _ll(60, 10)]


def test_frontage_is_the_border_nearer_the_centre_than_its_neighbours():
    f = district_frontage(CENTRE, NEIGHBOURS, ADMIN1[ADMIN1["adm1_code"] == "N"], BORDER)
    assert shapely.length(f) / 1000 == pytest.approx(50, abs=0.1)
    near, far = reach_km(CENTRE, f)
    assert near == pytest.approx(10, abs=0.05)
    assert far == pytest.approx(math.hypot(30, 10), abs=0.05)


@pytest.mark.parametrize(
    ("radius", "stated", "words"),
    [
        (32, "32", None),  # sqrt(30² + 10²) = 31.6 km: contained
        (15, "15", "does not contain the frontage"),
        (32, "15", "states 15 km but uncertainty_km is 32"),
    ],
)
def test_coverage_claims_are_measured(monkeypatch, radius, stated, words):
    from geo.spatial import uncertainty

    monkeypatch.setitem(uncertainty.FRONTAGE_RULES, "centre", uncertainty.FrontageRule("N", ("w", "e")))
    places = {
        "w": {"longitude": NEIGHBOURS[0][0], "latitude": NEIGHBOURS[0][1]},
        "e": {"longitude": NEIGHBOURS[1][0], "latitude": NEIGHBOURS[1][1]},
    }
    event = {
        "location_basis": f"district level; {stated} km covers the district's Panj frontage",
        "place_id": "centre",
        "longitude": CENTRE[0],
        "latitude": CENTRE[1],
        "uncertainty_km": float(radius),
    }
    found = coverage_problem(event, places, ADMIN1, BORDER)
    assert found is None if words is None else words in found[1]


def test_coverage_claim_without_a_rule_is_reported():
    event = {
        "location_basis": "20 km covers the district's Panj frontage",
        "place_id": "nowhere",
        "longitude": CENTRE[0],
        "latitude": CENTRE[1],
        "uncertainty_km": 20.0,
    }
    assert "cannot be checked" in coverage_problem(event, {}, ADMIN1, BORDER)[1]
