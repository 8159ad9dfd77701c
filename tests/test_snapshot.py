"""Map snapshots: sizes, pixels where events project, legend, scale bar, text in SVG/PDF, determinism."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from pyproj import Geod

from geo.query.filters import Filters
from geo.query.selection import select
from geo.render.mapdecks import CATEGORY_COLOURS, FILLED, REGIONAL_VIEW, SECTOR_VIEW, View
from geo.render.snapshot import (
    FROM_MERC,
    LAYER_LEGEND,
    PAGES,
    REFERENCE_VIEWPORT_PX,
    SnapshotRequest,
    cited_sources,
    geodesic_circle,
    ground_km_to_merc,
    merc,
    render_snapshot,
    scale_bar_km,
    snapshot,
    view_extent,
)

Y2025 = Filters(years=(2025,))
GEOD = Geod(ellps="WGS84")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def bands(bundle):
    from geo.spatial.bands import border_bands

    return border_bands(bundle.border)


def png_array(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("page", "width", "height", "dpi"),
    [
        ("regional", 1920, 1080, 150),
        ("sector", 1920, 1080, 150),
        ("sector", 800, 600, 96),
        ("regional", 1240, 1754, 150),  # A4 portrait at 150 dpi: legend below the map
    ],
)
def test_png_has_the_requested_size_and_is_not_blank(bundle, bands, page, width, height, dpi):
    req = SnapshotRequest(page=page, filters=Y2025, width_px=width, height_px=height, dpi=dpi)
    img = Image.open(io.BytesIO(snapshot(bundle, req, bands)))
    assert img.format == "PNG" and img.size == (width, height)
    colours = np.unique(np.asarray(img.convert("RGB")).reshape(-1, 3), axis=0)
    assert len(colours) > 50


@pytest.mark.parametrize("page", ["regional", "sector"])
def test_event_colour_is_at_the_pixel_the_event_projects_to(bundle, bands, page):
    req = SnapshotRequest(page=page, filters=Y2025)
    snap = render_snapshot(bundle, req, bands)
    img = png_array(snap.data)
    shown = snap.info.shown
    filled = shown[shown["category"].isin(FILLED)]
    assert len(filled) >= 3, "expected the 2025 attacks on the map"
    for row in filled.itertuples(index=False):
        col, r = snap.pixel(row.x, row.y, req)
        px = img[int(round(r)), int(round(col))]
        want = np.array(CATEGORY_COLOURS[row.category])
        assert np.abs(px - want).max() <= 12, (row.event_id, px, want)


def test_legend_region_is_not_empty_and_lists_the_layers(bundle, bands):
    req = SnapshotRequest(page="sector", filters=Y2025)
    snap = render_snapshot(bundle, req, bands)
    img = png_array(snap.data)
    lay = snap.layout
    x, y, w, h = lay.panel_box  # points from the lower-left corner
    sx, sy = req.width_px / lay.width_pt, req.height_px / lay.height_pt
    crop = img[
        int(req.height_px - (y + h) * sy) : int(req.height_px - y * sy), int(x * sx) : int((x + w) * sx)
    ]
    ink = (np.abs(crop - 255).max(axis=2) > 60).mean()
    assert ink > 0.02, f"legend panel is nearly empty ({ink:.3f} of pixels inked)"
    # The uncertainty ring's colour appears in the legend's symbols.
    attack = np.array(CATEGORY_COLOURS["attack"])
    assert (np.abs(crop - attack).max(axis=2) < 20).sum() > 20


@pytest.mark.parametrize("lat", [30.0, 37.75, 38.1, 45.0])
def test_scale_bar_length_is_true_ground_distance_at_the_centre(lat):
    km = 25
    length = ground_km_to_merc(70.0, lat, km)
    # Mercator's scale factor is sec(latitude): 25 km on the ground is 25/cos(lat) km of map.
    assert length == pytest.approx(km * 1000 / math.cos(math.radians(lat)), rel=0.005)
    # And exactly: the bar's far end, unprojected, is 25 km from its start on the ellipsoid.
    x0, y0 = merc(70.0, lat)
    lon1, lat1 = FROM_MERC.transform(x0 + length, y0)
    _, _, dist = GEOD.inv(70.0, lat, lon1, lat1)
    assert dist == pytest.approx(km * 1000, rel=1e-3)


@pytest.mark.parametrize("view", [REGIONAL_VIEW, SECTOR_VIEW])
def test_scale_bar_is_a_round_distance_that_fits(view):
    extent = view_extent(view, 16 / 9)
    km, length = scale_bar_km(extent)
    assert km in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500)
    assert 0.05 * (extent[2] - extent[0]) < length <= 0.22 * (extent[2] - extent[0])


@pytest.mark.parametrize("aspect", [0.7, 1.0, 16 / 9, 3.0])
def test_extent_keeps_the_view_centre_and_covers_the_interactive_viewport(aspect):
    view = SECTOR_VIEW
    x0, y0, x1, y1 = view_extent(view, aspect)
    cx, cy = merc(view.longitude, view.latitude)
    assert (x0 + x1) / 2 == pytest.approx(cx) and (y0 + y1) / 2 == pytest.approx(cy)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(aspect)
    m_per_px = 2 * math.pi * 6378137 / 512 / 2**view.zoom
    assert x1 - x0 >= REFERENCE_VIEWPORT_PX[0] * m_per_px - 1e-6
    assert y1 - y0 >= REFERENCE_VIEWPORT_PX[1] * m_per_px - 1e-6


def test_uncertainty_circle_is_true_km_on_the_ellipsoid():
    ring = geodesic_circle(70.04865, 37.84137, 15_000)
    lon, lat = FROM_MERC.transform(ring[:, 0], ring[:, 1])
    _, _, d = GEOD.inv(np.full(len(lon), 70.04865), np.full(len(lat), 37.84137), lon, lat)
    assert np.allclose(d, 15_000, atol=1.0)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_same_inputs_give_identical_bytes(bundle, bands, fmt):
    req = SnapshotRequest(page="sector", filters=Y2025, fmt=fmt)
    assert snapshot(bundle, req, bands) == snapshot(bundle, req, bands)


def test_png_metadata_carries_no_software_or_date(bundle, bands):
    img = Image.open(io.BytesIO(snapshot(bundle, SnapshotRequest(page="sector", filters=Y2025), bands)))
    assert not {"Software", "Creation Time", "date:create"} & set(img.info)


def test_svg_parses_with_title_and_legend_labels(bundle, bands):
    req = SnapshotRequest(page="sector", filters=Y2025, fmt="svg")
    data = snapshot(bundle, req, bands)
    root = ET.fromstring(data)
    assert root.find(f"{SVG}title").text == PAGES["sector"].title
    texts = svg_texts(data)
    for label in ("Legend", PAGES["sector"].title, "attack", LAYER_LEGEND["border"], LAYER_LEGEND["claims"]):
        assert label in texts, label
    assert any("years 2025" in t for t in texts)


def test_pdf_text_has_title_filters_and_every_cited_source(bundle, bands):
    req = SnapshotRequest(page="sector", filters=Y2025, fmt="pdf")
    data = snapshot(bundle, req, bands)
    reader = PdfReader(io.BytesIO(data))
    assert "/CreationDate" not in (reader.metadata or {})
    text = pdf_text(data)
    assert PAGES["sector"].title in text
    assert "Filters: years 2025" in text
    cited = cited_sources(bundle, select(bundle, Y2025))
    assert len(cited) > 5
    from geo.report.wording import source_label

    for _, src in cited.iterrows():
        # By outlet and date, as a reader knows them; never the seed file names.
        assert source_label(src).replace(" ", "") in text.replace(" ", ""), src["source_id"]
    assert ".txt" not in text
    for word in ("Natural Earth", "GeoNames", "GSHHG", bundle.version):
        assert word in text


@pytest.mark.parametrize(
    ("filters", "page", "estimates"),
    [
        (Y2025, "sector", True),  # district-level attacks
        (Filters(types=("statement",)), "regional", False),  # capitals, coded to the town
    ],
)
def test_caveat_line_only_when_a_location_is_an_estimate(bundle, bands, filters, page, estimates):
    data = snapshot(bundle, SnapshotRequest(page=page, filters=filters, fmt="pdf"), bands)
    text = pdf_text(data)
    assert ("are estimates" in text) is estimates


def test_visible_layers_decide_the_legend(bundle, bands):
    only = SnapshotRequest(page="sector", filters=Y2025, layers=("border", "events"), fmt="svg")
    texts = svg_texts(snapshot(bundle, only, bands))
    assert LAYER_LEGEND["border"] in texts and LAYER_LEGEND["rivers"] not in texts
    assert LAYER_LEGEND["claims"] not in texts and LAYER_LEGEND["bands"] not in texts


def test_province_shading_is_drawn_and_explained(bundle):
    req = SnapshotRequest(page="regional", filters=Y2025, shade="incidents", fmt="svg")
    texts = " ".join(svg_texts(snapshot(bundle, req)))
    assert "Provinces shaded by incidents" in texts


def test_a_view_from_the_page_moves_the_extent(bundle, bands):
    near = View(38.4537, 70.789, 10.0)  # zoomed on Shodak: the other attacks leave the map
    snap = render_snapshot(bundle, SnapshotRequest(page="sector", filters=Y2025, view=near), bands)
    assert list(snap.info.shown["event_id"]) == ["pw-2025-11-30-shodak-attack"]
    assert snap.info.scale_km < 25


def test_text_from_data_is_drawn_literally(data_copy, monkeypatch):
    import csv

    from geo.data.load import load_bundle

    path = data_copy / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    row = next(r for r in rows if r["event_id"] == "pw-2025-11-30-shodak-attack")
    row["location"] = "Shodak $x^2$ <b>village</b>, Vishkharv jamoat"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    b = load_bundle(data_copy)
    texts = svg_texts(snapshot(b, SnapshotRequest(page="sector", filters=Y2025, fmt="svg")))
    assert any("Shodak $x^2$ <b>village</b>" in t for t in texts)  # no mathtext, no markup


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"page": "national"}, "unknown page"),
        ({"layers": ("events", "roads")}, "layer(s) roads not on the regional map"),
        ({"page": "sector", "shade": "incidents"}, "regional map only"),
        ({"fmt": "gif"}, "unknown format"),
        ({"width_px": 100}, "width 100 px is out of range"),
        ({"dpi": 2000}, "dpi 2000 is out of range"),
        ({"view": View(95.0, 70.0, 6.0)}, "out of range"),
    ],
)
def test_bad_requests_raise_a_clear_error(bundle, kwargs, message):
    with pytest.raises(ValueError, match=None) as exc:
        snapshot(bundle, SnapshotRequest(**kwargs))
    assert message in str(exc.value)


@pytest.mark.browser
def test_chromium_engine_screenshots_the_interactive_map(bundle, bands):
    from geo.render.snapshot import chromium_available

    if not chromium_available():
        pytest.fail("/usr/bin/chromium and Playwright are expected on this machine")
    req = SnapshotRequest(page="sector", filters=Y2025, width_px=1000, height_px=700)
    img = Image.open(io.BytesIO(snapshot(bundle, req, bands, engine="chromium")))
    assert img.size == (1000, 700)
    arr = np.asarray(img.convert("RGB")).astype(int)
    assert len(np.unique(arr.reshape(-1, 3), axis=0)) > 50
    # The Shodak attack (not co-located) is painted where Web Mercator puts it.
    lon, lat = 70.78902, 38.45373
    m_per_px = 2 * math.pi * 6378137 / 512 / 2**SECTOR_VIEW.zoom
    cx, cy = merc(SECTOR_VIEW.longitude, SECTOR_VIEW.latitude)
    x, y = merc(lon, lat)
    col, row = 500 + (x - cx) / m_per_px, 350 - (y - cy) / m_per_px
    patch = arr[int(row) - 4 : int(row) + 5, int(col) - 4 : int(col) + 5].reshape(-1, 3)
    attack = np.array(CATEGORY_COLOURS["attack"])
    assert (np.abs(patch - attack).max(axis=1) < 40).any()


@pytest.fixture(scope="module")
def big(tmp_path_factory, bundle):
    """Curated events plus imported ones, above the maps' aggregation threshold."""
    from conftest import synthetic_store

    from geo.data.bundle import merge_into_bundle
    from geo.spatial.aggregate import AGGREGATE_THRESHOLD

    return merge_into_bundle(
        bundle, synthetic_store(tmp_path_factory.mktemp("snapbig"), AGGREGATE_THRESHOLD + 500, 11)
    )


@pytest.mark.parametrize("page", ["regional", "sector"])
def test_above_the_threshold_imported_events_are_counted_in_hexagons(big, bands, page):
    """As on the interactive map: imported events in hexagons, only curated events numbered;
    every selected event is accounted for (on the map, outside it, or without coordinates)."""
    from geo.spatial.aggregate import BIN_RAMP, CELL_PX

    req = SnapshotRequest(page=page, filters=Filters())
    snap = render_snapshot(big, req, bands)
    info = snap.info
    sel = select(big, Filters())
    imported = int((sel.events["dataset"] != "curated").sum())
    assert set(snap.info.shown["event_id"]) <= set(
        sel.events.loc[sel.events["dataset"] == "curated", "event_id"]
    )
    assert info.binned > 0 and info.binned + info.binned_outside == imported
    assert info.bin_cells > 0 and 1 <= info.bin_max <= info.binned
    assert len(info.shown) + info.binned + len(info.outside) + info.binned_outside + len(
        info.unplaced
    ) == len(sel.events)
    # A hexagon is CELL_PX CSS px across on the paper, as on the screen (1 px = 0.75 pt).
    xmin, ymin, xmax, ymax = info.extent
    _, lat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
    ground_m_per_pt = (xmax - xmin) / snap.layout.map_box[2] * math.cos(math.radians(lat))
    assert info.bin_km * 1000 / ground_m_per_pt == pytest.approx(CELL_PX * 0.75, rel=0.01)
    # The ramp's colours are on the map, and the legend and subtitle say what they are.
    img = png_array(snap.data)
    ramp = np.array(BIN_RAMP)
    near = np.abs(img[:, :, None, :] - ramp[None, None, :, :]).max(axis=3).min(axis=2) < 40
    assert near.mean() > 0.01
    texts = " ".join(
        svg_texts(snapshot(big, SnapshotRequest(page=page, filters=Filters(), fmt="svg"), bands))
    )
    assert "hexagons" in texts and f"{info.binned:,}" in texts
    assert f"{len(sel.events):,} events selected" in texts


def test_below_the_threshold_every_event_is_a_numbered_marker(big, bands):
    snap = render_snapshot(
        big, SnapshotRequest(page="regional", filters=Filters(years=(2025,), tier="seed")), bands
    )
    assert snap.info.binned == 0 and snap.info.binned_outside == 0 and len(snap.info.shown) > 0


def test_pdf_key_gives_each_estimated_attack_its_border_range_not_the_coded_point(bundle, bands):
    from geo.spatial.uncertainty import row_border_text

    data = snapshot(bundle, SnapshotRequest(page="sector", filters=Y2025, fmt="pdf"), bands)
    text = pdf_text(data)
    events = select(bundle, Y2025).events
    placed = events["border_distance_km"].notna()
    est = events[placed & (events["geo_precision"] >= 2) & events["category"].isin(FILLED)]
    assert len(est) >= 3
    for _, e in est.iterrows():
        lo, hi = e["border_km_min"], e["border_km_max"]
        assert hi > lo >= 0
        assert row_border_text(e, short=True) in text, e["event_id"]
        # The coded point's distance (e.g. "11.5 km") is not what the key says for an estimate.
        assert f"; {e['border_distance_km']:.1f} km from the border" not in text


@pytest.mark.parametrize(
    ("row", "tail"),
    [
        (
            {"geo_precision": 2, "border_km_min": 0.0, "border_km_max": 42.8, "border_distance_km": 11.5},
            "; 0–43 km from the border",
        ),
        (
            {"geo_precision": 1, "border_km_min": None, "border_km_max": None, "border_distance_km": 3.14},
            "; 3.1 km from the border",
        ),
        # An imported row without the range columns: the triangle bounds around the coded point.
        (
            {"geo_precision": 2, "uncertainty_km": 10.0, "border_distance_km": 4.0},
            "; 0–14 km from the border",
        ),
        ({"geo_precision": 1, "border_distance_km": None}, "; killed 1"),
    ],
)
def test_key_line_border_distance(row, tail):
    from geo.render.print_legend import event_key_line

    base = {
        "date": "2025-11-26",
        "time_precision": 1,
        "location": "Somewhere, district",
        "category": "attack",
        "fatalities": 1,
        "fatalities_high": 1,
        "injured": float("nan"),
        "injured_high": float("nan"),
        "uncertainty_km": None,
    }
    line = event_key_line({**base, **row})
    assert line.endswith(tail), line
