"""Spatial join and border measures on tiny hand-built shapes (lon/lat, EPSG:4326)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point, box

from geo.spatial.border import border_distance_km, facing_admin1
from geo.spatial.enrich import enrich_events, join_report
from geo.spatial.join import join_admin1

# Two provinces sharing the meridian 70°E: "West" (TJ) and "East" (AF), 37–38°N.
ADMIN1 = gpd.GeoDataFrame(
    {"name": ["West", "East"], "adm1_code": ["TJ-W", "AF-E"], "country": ["TJ", "AF"]},
    geometry=[box(69.0, 37.0, 70.0, 38.0), box(70.0, 37.0, 71.0, 38.0)],
    crs="EPSG:4326",
)
BORDER = gpd.GeoDataFrame(
    {"name": ["border"]}, geometry=[LineString([(70.0, 37.0), (70.0, 38.0)])], crs="EPSG:4326"
)
GEOD = Geod(ellps="WGS84")


def events(points, admin1=None):
    return gpd.GeoDataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(points))],
            "admin1": admin1 or [""] * len(points),
            "country": ["Tajikistan"] * len(points),
            "location_basis": ["test"] * len(points),
        },
        geometry=[Point(p) if p else None for p in points],
        crs="EPSG:4326",
    )


@pytest.mark.parametrize(
    ("point", "name", "method", "max_km"),
    [
        ((69.5, 37.5), "West", "within", 0.0),
        ((70.5, 37.2), "East", "within", 0.0),
        ((69.5, 38.0), "West", "within", 0.0),  # on the outer edge of one province
        ((68.95, 37.5), "West", "nearest", 5.0),  # ~4.4 km west of the box: inside tolerance
        ((68.5, 37.5), None, "outside", None),  # ~44 km out: beyond tolerance
    ],
)
def test_join_cases(point, name, method, max_km):
    out = join_admin1(events([point]), ADMIN1, tolerance_km=10.0)
    row = out.iloc[0]
    assert row["join_method"] == method
    assert (row["join_admin1"] if pd.notna(row["join_admin1"]) else None) == name
    if max_km is not None:
        assert row["join_distance_km"] <= max_km
    else:
        assert row["join_distance_km"] > 10.0


def test_point_on_shared_edge_prefers_curated_name_and_is_flagged_boundary():
    out = join_admin1(events([(70.0, 37.5), (70.0, 37.5)], admin1=["East", ""]), ADMIN1)
    assert list(out["join_method"]) == ["boundary", "boundary"]
    assert out["join_admin1"].iloc[0] == "East"  # curated name wins the tie
    assert out["join_admin1"].iloc[1] == "East"  # else lowest code (AF-E < TJ-W): stable


def test_unplaced_rows_are_kept_and_reported():
    ev = events([(69.5, 37.5), None])
    out = join_admin1(ev, ADMIN1)
    assert len(out) == 2 and out["join_method"].iloc[1] == "unplaced"
    enriched = enrich_events(ev, ADMIN1, BORDER)
    assert len(enriched) == 2
    assert any(line.startswith("e1: not on the map") for line in join_report(enriched))


def test_mismatch_flag():
    out = join_admin1(events([(69.5, 37.5), (69.5, 37.5)], admin1=["West", "East"]), ADMIN1)
    assert list(out["admin1_mismatch"]) == [False, True]


def test_mismatch_is_reported():
    enriched = enrich_events(events([(69.5, 37.5), (69.5, 37.5)], admin1=["West", "East"]), ADMIN1, BORDER)
    lines = join_report(enriched)
    assert lines == ["e1: curated admin1 'East' but the point falls in 'West'"]


def test_tolerance_is_in_kilometres():
    ev = events([(68.95, 37.5)])
    assert join_admin1(ev, ADMIN1, tolerance_km=5.0)["join_method"].iloc[0] == "nearest"
    assert join_admin1(ev, ADMIN1, tolerance_km=4.0)["join_method"].iloc[0] == "outside"


def test_border_distance_is_geodesic_km():
    ev = events([(69.9, 37.5), (70.25, 37.5)])
    d = border_distance_km(ev, BORDER)
    for lon, got in zip((69.9, 70.25), d, strict=True):
        _, _, metres = GEOD.inv(lon, 37.5, 70.0, 37.5)
        assert got == pytest.approx(metres / 1000.0, rel=2e-3)
    # 0.1° of longitude at 37.5°N is ~8.8 km, not 11.1 "degree km"
    assert 8.7 < d.iloc[0] < 8.9


def test_facing_province_is_across_the_border():
    ev = events([(69.9, 37.5), (70.2, 37.5), (69.0, 37.5)])
    dist = border_distance_km(ev, BORDER)
    side = pd.Series(["TJ", "AF", "TJ"], index=ev.index)
    facing = facing_admin1(ev, side, ADMIN1, dist, max_km=50)
    assert list(facing.iloc[:2]) == ["East", "West"]
    assert pd.isna(facing.iloc[2])  # ~88 km away: faces nothing


@pytest.mark.parametrize("which", ["events", "admin1"])
def test_missing_crs_is_a_clear_error(which):
    ev, adm = events([(69.5, 37.5)]), ADMIN1.copy()
    if which == "events":
        ev = ev.set_crs(None, allow_override=True)
    else:
        adm = adm.set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match=f"{which} has no CRS"):
        join_admin1(ev, adm)


def test_other_crs_input_is_reprojected():
    ev = events([(69.5, 37.5)]).to_crs("EPSG:32642")
    assert join_admin1(ev, ADMIN1)["join_admin1"].iloc[0] == "West"


# --------------------------------------------------------------------------- own country only

# "West" (TJ) 69–70°E and "East" (AF) 70–71°E, as above; a point 4.4 km west of West.
NEAR_WEST = (68.95, 37.5)


@pytest.mark.parametrize(
    ("country", "name", "method", "reason"),
    [
        ("Tajikistan", "West", "nearest", None),
        ("TJK", "West", "nearest", None),  # ISO codes resolve too
        ("", "West", "nearest", None),  # no country given: any province within tolerance
        # East is ~93 km away: an Afghan event here is not pulled across into Tajikistan.
        ("Afghanistan", None, "outside", "km from any shipped province of Afghanistan (more than 10 km)"),
        ("Pakistan", None, "outside", "Pakistan has no shipped provinces"),
        ("Benin", None, "outside", "Benin has no shipped provinces"),
        ("Afghanistan; Tajikistan", "West", "nearest", None),  # either country may take it
    ],
)
def test_nearest_province_is_of_the_events_own_country(country, name, method, reason):
    ev = events([NEAR_WEST]).assign(country=[country])
    row = join_admin1(ev, ADMIN1).iloc[0]
    assert row["join_method"] == method
    assert (row["join_admin1"] if pd.notna(row["join_admin1"]) else None) == name
    lines = join_report(enrich_events(ev, ADMIN1, BORDER))
    if reason is None:
        assert not any("not joined" in line for line in lines)
    else:
        assert len(lines) == 1 and reason in lines[0], lines


def test_point_inside_a_province_keeps_it_whatever_country_the_event_names():
    ev = events([(70.5, 37.5)]).assign(country=["Tajikistan"])
    row = join_admin1(ev, ADMIN1).iloc[0]
    assert (row["join_admin1"], row["join_method"]) == ("East", "within")


def test_join_distance_is_geodesic():
    out = join_admin1(events([NEAR_WEST]).assign(country=["Tajikistan"]), ADMIN1)
    _, _, metres = GEOD.inv(68.95, 37.5, 69.0, 37.5)
    assert out["join_distance_km"].iloc[0] == pytest.approx(metres / 1000, abs=0.002)


@pytest.mark.parametrize(
    ("dataset", "wording"),
    [
        (None, "e0: curated admin1 'East' but the point falls in 'West'"),
        ("curated", "e0: curated admin1 'East' but the point falls in 'West'"),
        ("acled-2024", "e0: the export's admin1 is 'East' but the point falls in 'West'"),
    ],
)
def test_mismatch_wording_says_whose_admin1_it_is(dataset, wording):
    ev = events([(69.5, 37.5)], admin1=["East"])
    if dataset is not None:
        ev = ev.assign(dataset=[dataset])
    assert join_report(enrich_events(ev, ADMIN1, BORDER)) == [wording]


def test_spelling_variants_are_not_mismatches():
    adm = ADMIN1.assign(name=["Sari Pul", "Jawzjan"], adm1_code=["AFG-1748", "AFG-1746"])
    ev = events(
        [(69.5, 37.5), (69.5, 37.5), (70.5, 37.5), (70.5, 37.5), (70.5, 37.5)],
        admin1=["Sar-e Pol", "Sar-e Pol Province", "Jowzjan", "AFG-1746", "Sari Pul"],
    )
    assert list(join_admin1(ev, adm)["admin1_mismatch"]) == [False, False, False, False, True]


# --------------------------------------------------------------------------- the shipped provinces

SHIPPED = gpd.read_file(Path(__file__).parents[1] / "data" / "shapes" / "admin1.geojson")


def test_every_afghan_province_joins_its_own_representative_point():
    """An Afghanistan-wide sample: one point well inside each of the 34 provinces."""
    af = SHIPPED[SHIPPED["country"] == "AF"]
    assert len(af) == 34
    pts = gpd.GeoDataFrame(
        {"event_id": af["adm1_code"].to_numpy(), "admin1": af["name"].to_numpy(), "country": "Afghanistan"},
        geometry=af.geometry.representative_point().to_numpy(),
        crs="EPSG:4326",
    )
    out = join_admin1(pts, SHIPPED)
    assert (out["join_method"] == "within").all()
    assert list(out["join_adm1_code"]) == list(af["adm1_code"])
    assert not out["admin1_mismatch"].any()


@pytest.mark.parametrize(
    ("point", "country", "code", "method"),
    [
        ((71.52, 34.78), "Pakistan", "PAK-1112", "within"),  # Khar, Bajaur: FATA, never Kunar
        ((71.52, 34.78), "Afghanistan", "PAK-1112", "within"),  # inside is inside, whatever the label
        ((70.05, 37.84), "Tajikistan", "TJK-367", "within"),  # Shurobod, Khatlon
        ((69.15, 34.53), "Afghanistan", "AFG-1767", "within"),  # Kabul
        ((73.05, 33.69), "Pakistan", "PAK-1110", "within"),  # Islamabad
        ((65.0, 23.5), "Pakistan", None, "outside"),  # Arabian Sea, ~150 km off the coast
        ((116.4, 39.9), "China", None, "outside"),  # Beijing: only Xinjiang is shipped
        ((2.35, 48.85), "France", None, "outside"),  # no French province is shipped
    ],
)
def test_shipped_provinces(point, country, code, method):
    ev = events([point]).assign(country=[country])
    row = join_admin1(ev, SHIPPED).iloc[0]
    assert row["join_method"] == method
    assert (row["join_adm1_code"] if pd.notna(row["join_adm1_code"]) else None) == code


def test_bajaur_without_pakistani_provinces_stays_unjoined_not_kunar():
    tj_af = SHIPPED[SHIPPED["country"].isin(["TJ", "AF"])]
    ev = events([(71.52, 34.78)]).assign(country=["Pakistan"])
    row = join_admin1(ev, tj_af).iloc[0]
    assert row["join_method"] == "outside" and pd.isna(row["join_admin1"])
    lines = join_report(enrich_events(ev, tj_af, BORDER))
    assert lines == [
        "e0: not joined to a province: Pakistan has no shipped provinces (kept, shown where it is)"
    ]


# --------------------------------------------------------------------------- the details panel


@pytest.mark.parametrize(
    ("dataset", "note"),
    [("curated", "NOTE: curated province is Kunduz"), ("acled-af", "NOTE: the export's admin1 is Kunduz")],
)
def test_details_panel_names_whose_province_disagrees(bundle, dataset, note):
    import dataclasses

    from geo.report.details import event_details

    ev = bundle.events.copy()
    i = int(ev.index[ev["join_method"] == "within"][0])
    ev.loc[i, "admin1"] = "Kunduz"
    ev.loc[i, "admin1_mismatch"] = True
    ev["dataset"] = "curated"
    ev.loc[i, "dataset"] = dataset
    got = event_details(dataclasses.replace(bundle, events=ev), ev.loc[i, "event_id"])
    assert note in got.border


def test_details_panel_says_why_an_event_is_not_joined(bundle):
    import dataclasses

    from geo.report.details import event_details

    ev = bundle.events.copy()
    i = int(ev.index[ev["latitude"].notna()][0])
    ev.loc[i, ["join_method", "join_distance_km", "country"]] = ["outside", np.nan, "Qatar"]
    got = event_details(dataclasses.replace(bundle, events=ev), ev.loc[i, "event_id"])
    assert got.border == "not joined to a province: Qatar has no shipped provinces"
