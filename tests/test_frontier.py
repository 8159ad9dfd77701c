"""geo.frontier: chainage on hand-built lines, sides, ranges, sectors, the rate test, figure, page."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from apptest import deck_spec, run_app
from pyproj import Geod, Transformer

from geo.data.paths import METRIC_CRS, WGS84
from geo.data.problems import DataError
from geo.frontier.chainage import chainage_table, frontier_line, locate
from geo.frontier.glance import clusters, glance_sentences
from geo.frontier.rates import ALPHA, betainc_reg, binom_sf, rate_test, verdict
from geo.frontier.reference import event_sides, load_landmarks
from geo.frontier.sectors import monthly_counts, sector_edges, sector_of, sector_rates

GEOD = Geod(ellps="WGS84")
TO_LL = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)
X0, Y0 = 500_000.0, 4_150_000.0  # UTM 42N, near 69°E 37.5°N


def metric_line(*xy_km) -> gpd.GeoDataFrame:
    """A border GeoDataFrame in EPSG:32642 through the given (x, y) offsets in km from (X0, Y0)."""
    coords = [(X0 + x * 1000, Y0 + y * 1000) for x, y in xy_km]
    return gpd.GeoDataFrame({"name": ["test line"]}, geometry=[shapely.LineString(coords)], crs=METRIC_CRS)


def pts(*xy_km) -> gpd.GeoSeries:
    return gpd.GeoSeries([shapely.Point(X0 + x * 1000, Y0 + y * 1000) for x, y in xy_km], crs=METRIC_CRS)


def geodesic_km(x0_km, y0_km, x1_km, y1_km) -> float:
    lon0, lat0 = TO_LL.transform(X0 + x0_km * 1000, Y0 + y0_km * 1000)
    lon1, lat1 = TO_LL.transform(X0 + x1_km * 1000, Y0 + y1_km * 1000)
    return GEOD.inv(lon0, lat0, lon1, lat1)[2] / 1000


STRAIGHT = metric_line((0, 0), (40, 0), (100, 0))


# ------------------------------------------------------------------ chainage


@pytest.mark.parametrize(
    ("point", "km_along", "side", "beyond"),
    [
        ((10, 0), 10, None, None),  # on the line
        ((55, 3), 55, "TJ", None),  # north of a west→east line: its left, Tajik
        ((70, -8), 70, "AF", None),  # south: Afghan
        ((40, 2), 40, "TJ", None),  # nearest point is an inner vertex
        ((-5, 1), 0, None, "west"),  # beyond the west end
        ((104, -2), 100, None, "east"),  # beyond the east end
    ],
)
def test_chainage_of_known_points(point, km_along, side, beyond):
    line = frontier_line(STRAIGHT)
    t = chainage_table(pts(point), line).iloc[0]
    # Geodesic km along the line, not UTM metres: compare with pyproj on the same stretch.
    assert t["chainage_km"] == pytest.approx(geodesic_km(0, 0, km_along, 0), abs=0.001)
    want_dist = geodesic_km(*point, min(max(point[0], 0), 100), 0)
    assert t["border_km"] == pytest.approx(want_dist, abs=0.001)
    assert (None if pd.isna(t["side_geometric"]) else t["side_geometric"]) == side
    assert (None if pd.isna(t["beyond_end"]) else t["beyond_end"]) == beyond


def test_line_given_east_to_west_is_turned_round():
    reverse = metric_line((100, 0), (40, 0), (0, 0))
    a = chainage_table(pts((30, 5)), frontier_line(STRAIGHT)).iloc[0]
    b = chainage_table(pts((30, 5)), frontier_line(reverse)).iloc[0]
    assert b["chainage_km"] == pytest.approx(a["chainage_km"], abs=1e-9)
    assert b["side_geometric"] == a["side_geometric"] == "TJ"


@pytest.mark.parametrize(
    ("point", "side"),
    [
        ((60, -10), "AF"),  # outside a left turn: the nearest point is the corner vertex, right side
        ((45, 10), "TJ"),  # inside the turn: left of both segments
        ((55, 5), "AF"),  # right of the northbound leg
        ((40, -3), "AF"),  # below the eastbound leg
    ],
)
def test_side_at_a_corner(point, side):
    # East 50 km, then north 50 km: Tajikistan stays on the left (west of the northbound leg).
    line = frontier_line(metric_line((0, 0), (50, 0), (50, 50)))
    assert chainage_table(pts(point), line).iloc[0]["side_geometric"] == side


def test_parts_are_merged_and_a_gap_is_refused():
    parts = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[
            shapely.LineString([(X0, Y0), (X0 + 40_000, Y0)]),
            shapely.LineString([(X0 + 40_000, Y0), (X0 + 100_000, Y0)]),
        ],
        crs=METRIC_CRS,
    )
    assert frontier_line(parts).length_km == pytest.approx(frontier_line(STRAIGHT).length_km, abs=1e-9)
    gap = parts.copy()
    gap.geometry = [gap.geometry[0], shapely.LineString([(X0 + 41_000, Y0), (X0 + 100_000, Y0)])]
    with pytest.raises(ValueError, match="one continuous LineString"):
        frontier_line(gap)


@pytest.mark.parametrize(
    ("point", "radius_km", "half_km", "basis"),
    [
        ((50, 3), 5, 4.0, "border inside the uncertainty circle"),  # chord half-length √(5² − 3²) = 4
        ((20, 0), 10, 10.0, "border inside the uncertainty circle"),
        ((95, 0), 10, None, "border inside the uncertainty circle"),  # clipped by the east end
        ((50, 8), 5, 0.0, "uncertainty circle misses the border: nearest point only"),
        ((50, 3), 0, 0.0, "point"),
    ],
)
def test_uncertain_point_gets_a_chainage_range(point, radius_km, half_km, basis):
    line = frontier_line(STRAIGHT)
    t = chainage_table(pts(point), line, uncertainty_km=[radius_km]).iloc[0]
    assert t["range_basis"] == basis
    assert t["chainage_lo_km"] <= t["chainage_km"] <= t["chainage_hi_km"]
    if half_km is not None:
        lo_x, hi_x = point[0] - half_km, point[0] + half_km
        assert t["chainage_lo_km"] == pytest.approx(geodesic_km(0, 0, lo_x, 0), abs=0.001)
        assert t["chainage_hi_km"] == pytest.approx(geodesic_km(0, 0, hi_x, 0), abs=0.001)
    else:
        assert t["chainage_hi_km"] == pytest.approx(line.length_km, abs=1e-6)
    if radius_km:
        # The same as clipping the line by the buffered point (to the buffer's polygon error).
        circle = shapely.Point(X0 + point[0] * 1000, Y0 + point[1] * 1000).buffer(
            radius_km * 1000, quad_segs=256
        )
        clipped = shapely.intersection(line.metric, circle)
        if not clipped.is_empty:
            s = shapely.line_locate_point(line.metric, shapely.points(shapely.get_coordinates(clipped)))
            assert line.km_at(s.min()) == pytest.approx(t["chainage_lo_km"], abs=0.01)
            assert line.km_at(s.max()) == pytest.approx(t["chainage_hi_km"], abs=0.01)


def test_meandering_line_range_spans_both_passes():
    # The line comes back near itself: a circle over both passes covers the loop between.
    line = frontier_line(metric_line((0, 0), (50, 0), (50, 6), (0, 6), (0, 12), (100, 12)))
    t = chainage_table(pts((25, 3)), line, uncertainty_km=[4]).iloc[0]
    assert t["chainage_lo_km"] < geodesic_km(0, 0, 50, 0)  # first pass
    assert t["chainage_hi_km"] > geodesic_km(0, 0, 50, 0) + 6  # second pass, after the bend


def test_missing_geometry_is_kept_as_not_placed():
    s = gpd.GeoSeries([shapely.Point(X0, Y0 + 1000), None], crs=METRIC_CRS)
    t = chainage_table(s, frontier_line(STRAIGHT))
    assert len(t) == 2 and t["range_basis"].tolist() == ["point", "not placed"]
    assert math.isnan(t["chainage_km"].iloc[1])


def test_vectorised_locate_matches_line_locate_point(bundle):
    line = frontier_line(bundle.border_detail)
    rng = np.random.default_rng(3)
    x0, y0, x1, y1 = line.metric.bounds
    x, y = rng.uniform(x0, x1, 3000), rng.uniform(y0, y1, 3000)
    got = locate(line, x, y).s_m
    want = shapely.line_locate_point(line.metric, shapely.points(x, y))
    # Equal except where two stretches are equally near (then either is right): compare distances.
    near_got = shapely.distance(shapely.line_interpolate_point(line.metric, got), shapely.points(x, y))
    near_want = shapely.distance(line.metric, shapely.points(x, y))
    assert np.allclose(near_got, near_want, atol=1e-6)
    assert np.mean(np.abs(got - want) < 1) > 0.99


def test_real_line_runs_west_to_east_with_tajikistan_on_the_left(bundle):
    line = frontier_line(bundle.border_detail)
    assert 1150 < line.length_km < 1250
    lon, _ = TO_LL.transform(*line.coords[0])
    assert lon < 68.0  # Uzbekistan tripoint first
    # Khorugh (TJ) and Fayzabad (AF) either side of the Panj.
    ll = gpd.GeoSeries.from_xy([71.55337, 70.58002], [37.49039, 37.11664], crs=WGS84)
    assert chainage_table(ll, line)["side_geometric"].tolist() == ["TJ", "AF"]


# ------------------------------------------------------------------ sides, landmarks


def test_province_join_decides_the_side_and_third_countries_get_none():
    events = pd.DataFrame(
        {
            "join_country": ["TJ", "AF", "PK", None, None],
            "join_method": ["within", "nearest", "within", "outside", "unplaced"],
        }
    )
    geometric = pd.Series(["AF", "AF", "AF", "TJ", None], dtype="string")
    side, basis = event_sides(events, geometric)
    assert side.tolist()[:2] == ["TJ", "AF"]
    assert side.isna().tolist()[2:] == [True, True, True]
    assert basis.iloc[0].startswith("province join")


def test_landmarks_are_in_order_along_the_line(bundle):
    lm = load_landmarks(frontier_line(bundle.border_detail), bundle.places)
    assert lm["label"].tolist() == [
        "Amu Darya–Panj confluence",
        "Shamsiddin Shohin",
        "Darvoz / Qalai-Khumb",
        "Khorugh",
        "Ishkashim",
        "Wakhan (Pamir–Panj confluence)",
    ]
    assert (lm["border_km"] < 15).all()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("x,X,no-such-place,,,,b", "place_id"),
        ("x,X,,999999999,,,b", "geonameid"),
        ("x,X,,,north,70,b", "latitude"),
        ("x,X,,,37.5,70.0,", "basis"),
    ],
)
def test_bad_landmark_rows_are_named(tmp_path, bundle, row, field):
    (tmp_path / "shapes").mkdir()
    from geo.data.paths import DATA_DIR

    (tmp_path / "shapes" / "places_geonames.geojson").write_bytes(
        (DATA_DIR / "shapes" / "places_geonames.geojson").read_bytes()
    )
    (tmp_path / "landmarks.csv").write_text(
        "landmark_id,label,place_id,geonameid,latitude,longitude,basis\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        load_landmarks(frontier_line(bundle.border_detail), bundle.places, tmp_path)
    (p,) = err.value.problems
    assert (p.file, p.row, p.field) == ("data/landmarks.csv", 2, field)


# ------------------------------------------------------------------ rates


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (0, 0, 0.5),
        (1, 1, 0.1),
        (1, 2, 0.5),
        (2, 3, 0.0748),
        (3, 3, 0.0748),
        (5, 10, 0.2),
        (30, 60, 0.3),
        (61, 100, 0.5),
        (130, 1000, 0.1),
        (4000, 10000, 0.39),
        (10, 100000, 1e-4),
        (99990, 100000, 0.9999),
    ],
)
def test_binomial_tail_matches_scipy(k, n, p):
    stats = pytest.importorskip("scipy.stats")
    want = stats.binomtest(k, n, p, alternative="greater").pvalue if n else 1.0
    assert binom_sf(k, n, p) == pytest.approx(want, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    ("n1", "t1", "n0", "t0"),
    [
        (2, 30, 1, 371),
        (1, 30, 2, 335),
        (0, 30, 5, 365),
        (5, 90, 5, 275),
        (12, 30, 40, 700),
        (300, 30, 2000, 700),
    ],
)
def test_rate_test_is_the_conditional_binomial(n1, t1, n0, t0):
    stats = pytest.importorskip("scipy.stats")
    want = stats.binomtest(n1, n1 + n0, t1 / (t1 + t0), alternative="greater").pvalue if n1 + n0 else 1.0
    assert rate_test(n1, t1, n0, t0) == pytest.approx(want, rel=1e-9)


def test_betainc_edges_and_nan_without_baseline():
    assert betainc_reg(2, 3, 0.0) == 0.0 and betainc_reg(2, 3, 1.0) == 1.0
    assert math.isnan(rate_test(1, 30, 0, 0))
    assert verdict(math.nan, 1, 0.0) == "no baseline"
    assert verdict(0.01, 2, 0.1) == "more than usual"
    assert verdict(0.2, 2, 1.0) == "within the usual range"


def _frontier_events(rows):
    df = pd.DataFrame(rows, columns=["event_id", "event_date", "chainage_km", "casualties", "category"])
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["chainage_lo_km"] = df["chainage_km"] - 1
    df["chainage_hi_km"] = df["chainage_km"] + 1
    return df


def test_sector_rates_count_windows_and_baseline():
    edges = sector_edges(100, 25)
    assert edges.tolist() == [0, 25, 50, 75, 100]
    assert sector_of(np.array([0, 24.9, 25, 100, np.nan]), edges).tolist() == [0, 0, 1, 3, -1]
    ev = _frontier_events(
        [
            ("a", "2025-01-10", 30, 1, "attack"),  # sector 1, baseline
            ("b", "2025-12-10", 30, 2, "attack"),  # sector 1, last 30 days
            ("c", "2025-12-20", 31, 0, "clash"),  # sector 1, last 30 days
            ("d", "2025-06-01", 80, 0, "attack"),  # sector 3, baseline
        ]
    )
    sectors = pd.DataFrame(
        {
            "sector": range(4),
            "lo_km": edges[:-1],
            "hi_km": edges[1:],
            "label": list("ABCD"),
            "tj_province": "",
            "af_province": "",
            "landmarks": "",
        }
    )
    r = sector_rates(ev, sectors, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"), windows=(30,))
    s1 = r.iloc[1]
    assert (s1["events"], s1["casualties"], s1["n_30d"], s1["base_n_30d"], s1["base_days_30d"]) == (
        3,
        3,
        2,
        1,
        335,
    )
    assert s1["p_30d"] == pytest.approx(rate_test(2, 30, 1, 335))
    assert s1["more_than_usual"] == (s1["p_30d"] < ALPHA)
    assert r.iloc[3]["verdict_30d"] == "none" and not r.iloc[3]["more_than_usual"]
    m = monthly_counts(ev, edges)
    assert m[m["sector"] == 1]["events"].tolist() == [1, 2]


def test_clusters_link_events_within_30_days():
    ev = _frontier_events(
        [
            ("a", "2024-11-18", 407, 5, "attack"),
            ("b", "2025-11-20", 303, 2, "attack"),
            ("c", "2025-11-26", 407, 4, "attack"),
            ("d", "2025-11-30", 512, 4, "attack"),
            ("e", "2025-12-23", 407, 5, "clash"),
            ("f", "2025-12-01", 600, 0, "statement"),  # not violent: not in a cluster
        ]
    )
    (c,) = clusters(ev)
    assert c.event_ids == ("b", "c", "d", "e")
    assert (c.days, round(c.km)) == (33, 209)


def test_glance_names_the_seed_attacks_and_the_late_2025_cluster(bundle):
    from geo.frontier.reference import build_frontier, frontier_events
    from geo.query.filters import Filters
    from geo.query.selection import select

    f = build_frontier(bundle.events, bundle.border_detail, bundle.admin1, bundle.places)
    ev = frontier_events(select(bundle, Filters()).events, f.refs)
    seeds, cluster = glance_sentences(ev, f.landmarks)
    assert "Nov 2024 and 26 Nov 2025" in seeds and "days apart" in seeds and "km 407" in seeds
    assert "4 attacks and clashes from 20 Nov 2025 to 23 Dec 2025 (33 days)" in cluster


# ------------------------------------------------------------------ figure and page


def test_figure_formats_are_reproducible():
    from geo.frontier.figure import rates_figure_bytes

    ev = _frontier_events([("a", "2025-01-10", 30, 1, "attack"), ("b", "2025-12-10", 30, 2, "attack")])
    edges = sector_edges(100, 25)
    sectors = pd.DataFrame(
        {
            "sector": range(4),
            "lo_km": edges[:-1],
            "hi_km": edges[1:],
            "label": list("ABCD"),
            "tj_province": "Khatlon",
            "af_province": "Takhar",
            "landmarks": "",
        }
    )
    r = sector_rates(ev, sectors, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"))
    m = monthly_counts(ev, edges)
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for fmt, head in magic.items():
        a = rates_figure_bytes(r, m, fmt, "t", "s", ["f"])
        assert a.startswith(head) and a == rates_figure_bytes(r, m, fmt, "t", "s", ["f"])
    with pytest.raises(ValueError, match="format"):
        rates_figure_bytes(r, m, "gif", "t", "s", ["f"])


PAGE = "pages/frontier.py"


def test_frontier_page_renders_the_strip_rates_and_sentences():
    at = run_app(page=PAGE)
    assert at.title[0].value.startswith("Frontier")
    text = " ".join(m.value for m in at.markdown)
    assert "days apart" in text and "33 days" in text
    assert "More than usual" in text
    assert len(at.get("vega_lite_chart")) == 2  # the strip and the small multiples
    assert len(at.dataframe) >= 1
    assert "frontier-stretch" not in [lyr["id"] for lyr in deck_spec(at)["layers"]]


def test_a_chosen_stretch_is_outlined_on_the_map_and_narrows_the_events():
    at = run_app(page=PAGE)
    # What the strip's brush sets (pages/frontier.py _on_select): the shared sidebar filter.
    at.sidebar.number_input(key="f_km_from").set_value(380.0)
    at.sidebar.number_input(key="f_km_to").set_value(440.0)
    at.run()
    assert not at.exception
    spec = deck_spec(at)
    ids = [lyr["id"] for lyr in spec["layers"]]
    assert "frontier-stretch" in ids
    drawn = {d["event_id"] for d in next(lyr for lyr in spec["layers"] if lyr["id"] == "events")["data"]}
    # The Hamadoni strike (km 293–318) is outside; the three events coded to Shamsiddin Shohin are in.
    assert "pw-2025-11-20-hamadoni-drone-strike" not in drawn
    assert {
        "pw-2024-11-18-zarbuz-attack",
        "pw-2025-11-26-shohin-attack",
        "pw-2025-12-23-bogh-post-clash",
    } <= drawn
    assert any("km 380–440" in m.value for m in at.markdown)
    assert at.query_params["km_from"] == "380" and at.query_params["km_to"] == "440"


STRETCH_IDS = {"pw-2024-11-18-zarbuz-attack", "pw-2025-11-26-shohin-attack", "pw-2025-12-23-bogh-post-clash"}


@pytest.mark.parametrize("page", ["pages/incidents.py", "pages/regional_map.py", "pages/timeline.py"])
def test_a_stretch_in_the_link_selects_the_same_events_on_every_page(page):
    """Brushing selects those events everywhere: the stretch is a filter of every page (issue 14)."""
    at = run_app({"km_from": "380", "km_to": "440"}, page)
    assert any("border km 380 to 440" in c.value for c in at.sidebar.caption)
    assert not at.warning or all("link" not in w.value.lower() for w in at.warning)


def test_stretch_filter_selects_by_chainage_range_within_the_corridor():
    from geo.data.bundle import build_bundle
    from geo.query.filters import Filters
    from geo.query.selection import select

    b = build_bundle().bundle
    got = set(select(b, Filters(km_from=380.0, km_to=440.0)).events["event_id"])
    assert STRETCH_IDS <= got and "pw-2025-11-20-hamadoni-drone-strike" not in got
    refs = b.chainage.loc[b.events["event_id"].isin(got).to_numpy()]
    assert (refs["border_km"] <= 50).all()
    assert ((refs["chainage_hi_km"] >= 380) & (refs["chainage_lo_km"] <= 440)).all()
    # An open end: everything east of km 500 (Shodak at km 512, Khorugh's range) and nothing west.
    east = select(b, Filters(km_from=500.0)).events
    assert "pw-2025-11-30-shodak-attack" in set(east["event_id"]) and not (
        STRETCH_IDS & set(east["event_id"])
    )
    # Without the line (a hand-built bundle) a stretch selects nothing rather than everything.
    from fixtures_bundle import fixture_bundle

    assert select(fixture_bundle(), Filters(km_from=0.0)).events.empty


def test_year_filter_reaches_the_frontier_page():
    at = run_app({"year": "2024"}, PAGE)
    text = " ".join(m.value for m in at.markdown)
    assert "days apart" not in text  # one seed attack left: no pair to compare
    assert any("1 of" in c.value for c in at.caption)


def test_ranges_on_the_real_line_match_a_buffered_clip(bundle):
    line = frontier_line(bundle.border_detail)
    rng = np.random.default_rng(5)
    s = rng.uniform(0, line.metric.length, 300)
    base = shapely.get_coordinates(shapely.line_interpolate_point(line.metric, s))
    xy = base + rng.normal(0, 15_000, (300, 2))
    radius = rng.choice([5.0, 25.0, 100.0], 300)
    got = chainage_table(gpd.GeoSeries(shapely.points(xy), crs=METRIC_CRS), line, radius)
    agree = []
    for (x, y), r, lo, hi in zip(xy, radius, got["chainage_lo_km"], got["chainage_hi_km"], strict=True):
        clipped = shapely.intersection(line.metric, shapely.Point(x, y).buffer(r * 1000, quad_segs=128))
        if clipped.is_empty:
            agree.append(lo == hi)
            continue
        parts = getattr(clipped, "geoms", [clipped])
        # Position of each clipped part's ends along the line: its distance from the start.
        ends = [line.metric.project(shapely.Point(p.coords[k])) for p in parts for k in (0, -1)]
        agree.append(abs(line.km_at(min(ends)) - lo) < 0.05 and abs(line.km_at(max(ends)) - hi) < 0.05)
    assert np.mean(agree) > 0.98


def test_exports_neutralise_formula_text():
    from geo.export.tables import to_csv_bytes
    from geo.frontier.figure import rates_csv_frame

    sectors = pd.DataFrame(
        {
            "sector": [0],
            "lo_km": [0.0],
            "hi_km": [25.0],
            "label": ["km 0–25"],
            "tj_province": ["=cmd()"],
            "af_province": ["+x"],
            "landmarks": ["@y"],
        }
    )
    ev = _frontier_events([("a", "2025-12-10", 3, 1, "attack")])
    r = sector_rates(ev, sectors, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"))
    text = to_csv_bytes(rates_csv_frame(r)).decode()
    assert "'=cmd()" in text and "'+x" in text and "'@y" in text
    assert "from_km" in text.splitlines()[0]


def test_stretch_on_the_command_line_and_its_refusals(tmp_path, capsys):
    from geo.cli.main import main

    out = tmp_path / "stretch.csv"
    assert main(["export", "--format", "csv", "--km-from", "380", "--km-to", "440", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert all(e in text for e in STRETCH_IDS) and "hamadoni" not in text
    assert main(["export", "--format", "csv", "--km-from", "500", "--km-to", "400", "-o", str(out)]) == 2
    assert "--km-from 500 is after --km-to 400" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", "csv", "--km-from", "1e3", "-o", str(out)])
    assert exc.value.code == 2 and "is not a border km" in capsys.readouterr().err


@pytest.mark.parametrize(
    "params, notice",
    [
        ({"km_from": "abc"}, "'km_from' km 'abc' ignored"),
        ({"km_from": "9999"}, "'km_from' km '9999' ignored"),
        ({"km_from": "500", "km_to": "400"}, "'km_from' is after 'km_to': border stretch ignored"),
    ],
)
def test_bad_stretch_in_a_link_is_refused_with_a_notice(params, notice):
    from geo.query.urlstate import Vocab, parse_query

    filters, _, _, notices = parse_query(params, Vocab(years=frozenset(), actors=frozenset()))
    assert filters.km_from is None and filters.km_to is None
    assert any(notice in n for n in notices), notices
