"""A tiny hand-built bundle for code tests (datasette-style fixtures): deterministic, no files read.

Two Tajik and two Afghan provinces either side of a straight "border" along
37.5°N between 69° and 71°E, a river beside it, three places, five curated
events (two coded to the same point, one without coordinates) and one claim
with a point of origin. ``fixture_bundle(imported=n)`` adds ``n`` imported
events on a grid (dataset ``synth``), enough to cross the maps' hexagon
threshold. Real-data tests stay in their own files, marked by their use of the
``bundle`` fixture.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point, box

from geo.data.load import Bundle

CRS = "EPSG:4326"


def _admin1() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "adm1_code": ["TJK-W", "TJK-E", "AFG-W", "AFG-E", "UZB-S"],
            "name": ["Khatlon", "Gorno-Badakhshan", "Takhar", "Badakhshan", "Surxondaryo"],
            "country": ["TJ", "TJ", "AF", "AF", "UZ"],
        },
        geometry=[
            box(69.0, 37.5, 70.0, 38.5),
            box(70.0, 37.5, 71.0, 38.5),
            box(69.0, 36.5, 70.0, 37.5),
            box(70.0, 36.5, 71.0, 37.5),
            box(67.5, 37.0, 69.0, 38.5),
        ],
        crs=CRS,
    )


def _events(imported: int) -> gpd.GeoDataFrame:
    rows = [
        # id, date, category, location, lon, lat, killed, killed_high, injured, geo_precision, uncertainty_km, facing
        ("fx-1", "2025-01-10", "attack", "Alpha village", 69.5, 37.6, 2, 3, 1, 1, None, "Takhar"),
        ("fx-2", "2025-02-01", "attack", "Bravo district", 70.5, 37.7, 1, None, None, 2, 15.0, "Badakhshan"),
        ("fx-3", "2025-02-01", "clash", "Bravo district", 70.5, 37.7, 5, None, 0, 2, 15.0, "Badakhshan"),
        ("fx-4", "2025-03-05", "statement", "Dushanbe", 68.78, 38.56, None, None, None, 1, None, None),
        ("fx-5", "2025-04-01", "advisory", "Unplaced note", None, None, None, None, None, 3, None, None),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "event_id",
            "event_date",
            "category",
            "location",
            "lon",
            "lat",
            "fatalities",
            "fatalities_high",
            "injured",
            "geo_precision",
            "uncertainty_km",
            "facing_admin1",
        ],
    )
    df["dataset"] = "curated"
    if imported:
        k = np.arange(imported)
        df = pd.concat(
            [
                df,
                pd.DataFrame(
                    {
                        "event_id": [f"synth-{i:05d}" for i in k],
                        "event_date": [
                            str(pd.Timestamp("2025-05-01") + pd.Timedelta(days=int(i % 200))).split()[0]
                            for i in k
                        ],
                        "category": np.where(k % 3 == 0, "clash", "attack"),
                        "location": [f"Grid {i}" for i in k],
                        "lon": 69.05 + (k % 50) * 0.038,
                        "lat": 36.6 + (k // 50 % 40) * 0.045,
                        "fatalities": k % 4,
                        "fatalities_high": None,
                        "injured": None,
                        "geo_precision": 1,
                        "uncertainty_km": None,
                        "facing_admin1": None,
                        "dataset": "synth",
                    }
                ),
            ],
            ignore_index=True,
        )
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["date_end"] = pd.NaT
    df["year"] = df["event_date"].dt.year
    df["time_precision"] = 1
    df["injured_high"] = None
    for c in ("fatalities", "fatalities_high", "injured", "injured_high"):
        df[c] = df[c].astype("Int64")
    # The province each placed event joins (what geo.spatial.join would give on these boxes).
    codes = gpd.GeoSeries.from_xy(df["lon"], df["lat"], crs=CRS)
    admin1 = _admin1()
    df["join_adm1_code"] = [
        next(
            (
                c
                for c, g in zip(admin1["adm1_code"], admin1.geometry, strict=True)
                if p is not None and g.covers(p)
            ),
            None,
        )
        if pd.notna(x)
        else None
        for p, x in zip(codes, df["lon"], strict=True)
    ]
    df["source_ids"] = [["src-a"] if d == "curated" else [] for d in df["dataset"]]
    df["source_tier"] = np.where(df["dataset"] == "curated", "seed", "imported")
    geom = [Point(x, y) if pd.notna(x) else None for x, y in zip(df["lon"], df["lat"], strict=True)]
    gdf = gpd.GeoDataFrame(df.drop(columns=["lon", "lat"]), geometry=geom, crs=CRS)
    return gdf.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)


def fixture_bundle(imported: int = 0) -> Bundle:
    """The fixture :class:`geo.data.load.Bundle` (``imported`` synthetic imported events added)."""
    places = gpd.GeoDataFrame(
        {
            "place_id": ["alpha", "dushanbe", "origin-x"],
            "name": ["Alpha (village)", "Dushanbe", "Charlie"],
            "kind": ["settlement", "capital", "settlement"],
        },
        geometry=[Point(69.5, 37.6), Point(68.78, 38.56), Point(70.4, 37.2)],
        crs=CRS,
    )
    claims = pd.DataFrame(
        {
            "claim_id": ["fx-c1"],
            "event_id": ["fx-2"],
            "statement_id": [""],
            "claim_date": [pd.Timestamp("2025-02-02")],
            "speaker": ["Ministry <X>"],
            "speaker_body": ["Border Troops"],
            "stance": ["accuses"],
            "origin_place_id": ["origin-x"],
            "source_id": ["src-a"],
        }
    )
    sources = pd.DataFrame(
        {"source_id": ["src-a"], "outlet": ["Fixture Times"], "tier": ["seed"], "published": ["2025-02-03"]}
    )
    line = gpd.GeoDataFrame(
        {"name": ["fixture border"]}, geometry=[LineString([(69.0, 37.5), (71.0, 37.5)])], crs=CRS
    )
    rivers = gpd.GeoDataFrame(
        {"name": ["Panj"]}, geometry=[LineString([(69.0, 37.52), (71.0, 37.48)])], crs=CRS
    )
    return Bundle(
        events=_events(imported),
        claims=claims,
        places=places,
        sources=sources,
        admin1=_admin1(),
        border=line,
        border_detail=line,
        rivers=rivers,
        roles=pd.DataFrame({"event_id": [], "actor": [], "role": []}),
        version="fixture-1",
        statements=pd.DataFrame(),
    )
