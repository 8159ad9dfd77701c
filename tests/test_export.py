"""CSV formula-injection defence and GeoJSON round-trip, table-driven."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.export.tables import neutralise_cell, to_csv_bytes, to_geojson_bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (-70.5, -70.5),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_csv_bytes_neutralise_every_text_column_but_not_numbers():
    df = pd.DataFrame({"a": ["=cmd|' /C calc'!A0", "ok"], "n": [-1.5, 2.0], "ids": [("x", "y"), ("z",)]})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(df)))
    assert back["a"][0].startswith("'=")
    assert back["n"].tolist() == [-1.5, 2.0]
    assert back["ids"].tolist() == ["x;y", "z"]


def test_geojson_keeps_null_geometries_and_provenance():
    gdf = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[Point(70, 38), None], crs="EPSG:4326")
    import json

    doc = json.loads(to_geojson_bytes(gdf, "test provenance"))
    assert doc["provenance"] == "test provenance"
    assert [f["geometry"] is None for f in doc["features"]] == [False, True]
