"""Data and interactive exports: GeoPackage round trip, GeoJSON, CSV formula injection, offline HTML."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pyogrio
import pytest

from geo.export.gpkg import LAYERS, gpkg_layers, to_gpkg_bytes, write_gpkg
from geo.export.tables import to_csv_bytes, to_geojson_bytes
from geo.query.filters import Filters
from geo.query.selection import provenance, select
from geo.render.html import deck_bundle_js, map_html, undash
from geo.render.snapshot import SnapshotRequest, cited_sources

Y2025 = Filters(years=(2025,))
SPATIAL = ("events", "claimed_origins", "places", "border", "border_wdbii", "rivers", "provinces")


@pytest.fixture(scope="module")
def gpkg_path(bundle, tmp_path_factory):
    path = tmp_path_factory.mktemp("gpkg") / "panjwatch.gpkg"
    write_gpkg(path, bundle, Y2025)
    return path


def test_geopackage_has_every_layer(gpkg_path):
    assert [name for name, _ in pyogrio.list_layers(gpkg_path)] == list(LAYERS)


@pytest.mark.parametrize("layer", SPATIAL)
def test_geopackage_spatial_layers_keep_every_record_and_epsg_4326(bundle, gpkg_path, layer):
    want = gpkg_layers(bundle, Y2025)[layer]
    got = pyogrio.read_dataframe(gpkg_path, layer=layer)
    assert len(got) == len(want)
    assert got.crs is not None and got.crs.to_epsg() == 4326
    info = pyogrio.read_info(gpkg_path, layer=layer)
    assert info["crs"] == "EPSG:4326"


def test_geopackage_events_round_trip(bundle, gpkg_path):
    sel = select(bundle, Y2025)
    got = pyogrio.read_dataframe(gpkg_path, layer="events")
    assert list(got["event_id"]) == list(sel.events["event_id"])
    # Unplaced events are kept with an empty geometry, placed ones keep their coordinates.
    unplaced = set(sel.events.loc[sel.events.geometry.isna(), "event_id"])
    assert unplaced and set(got.loc[got.geometry.isna(), "event_id"]) == unplaced
    g = got.set_index("event_id").geometry
    for eid, geom in zip(sel.placed["event_id"], sel.placed.geometry, strict=True):
        assert g[eid].x == pytest.approx(geom.x) and g[eid].y == pytest.approx(geom.y)
    assert list(got["fatalities"].fillna(-1).astype(int)) == list(
        sel.events["fatalities"].fillna(-1).astype(int)
    )


@pytest.mark.parametrize("table", ["claims", "sources", "metadata"])
def test_geopackage_tables_are_plain_tables(gpkg_path, table):
    info = pyogrio.read_info(gpkg_path, layer=table)
    assert info["geometry_type"] is None
    assert info["features"] > 0


def test_geopackage_metadata_and_sources_carry_provenance(bundle, gpkg_path):
    sel = select(bundle, Y2025)
    meta = pyogrio.read_dataframe(gpkg_path, layer="metadata").set_index("key")["value"]
    assert meta["filters"] == "years 2025"
    assert meta["data_version"] == bundle.version
    assert meta["provenance"] == provenance(bundle, Y2025, sel.events)
    assert "EPSG:4326" in meta["crs"]
    assert any(k.startswith("licence.") and "GeoNames" in v for k, v in meta.items())
    sources = pyogrio.read_dataframe(gpkg_path, layer="sources")
    assert set(sources["source_id"]) == set(cited_sources(bundle, sel)["source_id"])
    claims = pyogrio.read_dataframe(gpkg_path, layer="claims")
    assert set(claims["claim_id"]) == set(sel.claims["claim_id"])


def test_geopackage_bytes_open_as_a_geopackage(bundle, tmp_path):
    data = to_gpkg_bytes(bundle, Filters(years=(2024,)))
    assert data[:16] == b"SQLite format 3\x00"
    p = tmp_path / "x.gpkg"
    p.write_bytes(data)
    assert len(pyogrio.read_dataframe(p, layer="events")) == len(
        select(bundle, Filters(years=(2024,))).events
    )


def test_geojson_is_valid_lon_lat_with_provenance(bundle):
    sel = select(bundle, Y2025)
    prov = provenance(bundle, Y2025, sel.events)
    doc = json.loads(to_geojson_bytes(sel.events, prov))
    assert doc["type"] == "FeatureCollection" and doc["provenance"] == prov
    assert len(doc["features"]) == len(sel.events)
    for f in doc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        if f["geometry"] is not None:
            lon, lat = f["geometry"]["coordinates"]
            assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    assert any(f["geometry"] is None for f in doc["features"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.invalid")', '\'=HYPERLINK("http://evil.invalid")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        pytest.param("\r=1", "'\r=1"),
        pytest.param("note\r=1", "note\r=1"),  # a CR inside a cell must not start a new row
        ("plain text", "plain text"),
        ("a=b", "a=b"),
    ],
)
def test_csv_neutralises_formula_cells(value, expected):
    df = pd.DataFrame({"text": [value], "longitude": [-70.5]})
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(df).decode("utf-8"), newline="")))
    assert rows[0]["text"] == expected
    assert rows[0]["longitude"] == "-70.5"  # numbers are left alone


@pytest.fixture(scope="module")
def sector_html(bundle):
    return map_html(bundle, SnapshotRequest(page="sector", filters=Y2025))


def page_shell(html: str) -> str:
    """The page without the inlined deck.gl bundle (whose code mentions URLs it never loads here)."""
    assert deck_bundle_js() in html
    return html.replace(deck_bundle_js(), "")


def test_html_loads_nothing_from_the_network(sector_html):
    shell = page_shell(sector_html)
    assert "createDeck" in shell
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", shell, flags=re.I) == []
    assert "<link" not in shell and "@import" not in shell and "url(" not in shell
    assert "sourceMappingURL" not in sector_html


def test_html_embeds_the_deck_with_dashes_cut_in_advance(bundle, sector_html):
    spec = json.loads(
        re.search(r'<script type="application/json" id="pw-deck">(.*?)</script>', sector_html, re.S)[1]
    )
    ids = [layer["id"] for layer in spec["layers"]]
    assert "events" in ids and "claim-links" in ids and "mapStyle" not in spec
    links = next(layer for layer in spec["layers"] if layer["id"] == "claim-links")
    assert "extensions" not in links and len(links["data"]) > 2  # each claim cut into dash pieces
    events = next(layer for layer in spec["layers"] if layer["id"] == "events")
    assert {d["event_id"] for d in events["data"]} == set(select(bundle, Y2025).placed["event_id"])


def test_undash_only_touches_dashed_layers():
    spec = {"layers": [{"id": "a", "data": [{"path": [[70, 38], [70.1, 38]]}]}]}
    assert undash(json.loads(json.dumps(spec)), SnapshotRequest().the_view) == spec


def test_html_escapes_text_from_data(data_copy):
    from geo.data.load import load_bundle

    path = data_copy / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    row = next(r for r in rows if r["event_id"] == "pw-2025-11-30-shodak-attack")
    row["location"] = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    html = map_html(load_bundle(data_copy), SnapshotRequest(page="sector", filters=Y2025))
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert page_shell(html).count("<script") == 4  # bundle, deck JSON, tooltip JSON, boot script


def test_every_cited_source_is_listed_in_the_html(bundle, sector_html):
    import html

    from geo.report.wording import source_label

    text = html.unescape(sector_html)
    for _, src in cited_sources(bundle, select(bundle, Y2025)).iterrows():
        # By outlet and date as a reader cites it (issue 12), never the seed's file name.
        assert source_label(src) in text, src["source_id"]
    assert ".txt [" not in text and ".txt," not in text
