"""Load the curated tables and shapes into typed (Geo)DataFrames."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.actors import actor_roles
from geo.data.paths import DATA_DIR, WGS84
from geo.data.problems import DataError
from geo.data.shapes import SHAPES as SHAPES  # re-exported: validation reads the shapes alone
from geo.data.shapes import load_shapes
from geo.data.statements import statements_frame
from geo.data.validate import check_all
from geo.spatial.enrich import enrich_events, join_report
from geo.spatial.uncertainty import border_km_range


@dataclass
class Bundle:
    """Everything the pages need, loaded once and validated.

    Geometries are in EPSG:4326 (lon/lat). ``events`` is enriched with the join
    and border columns; ``report`` lists what could not be placed or joined.
    """

    events: gpd.GeoDataFrame
    claims: pd.DataFrame
    places: gpd.GeoDataFrame
    sources: pd.DataFrame
    admin1: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    border_detail: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame
    roles: pd.DataFrame
    version: str
    report: list[str] = field(default_factory=list)
    #: Official statements, each modelled once (data/statements.csv; see geo.data.statements).
    statements: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Every event on the border line (``chainage_km``, ``chainage_lo_km``, ``chainage_hi_km``,
    #: ``border_km``, ``side`` …; :func:`geo.frontier.reference.reference_events`), indexed like
    #: ``events``; set by :func:`geo.data.bundle.build_bundle`, ``None`` if the line cannot be built.
    chainage: pd.DataFrame | None = None


def _events_frame(records: list[dict]) -> gpd.GeoDataFrame:
    df = pd.DataFrame.from_records(records)
    for col in (
        "fatalities",
        "fatalities_high",
        "injured",
        "injured_high",
        "year",
        "time_precision",
        "geo_precision",
        "interaction",
    ):
        df[col] = pd.array(df[col], dtype="Int64")
    for col in ("latitude", "longitude", "uncertainty_km"):
        df[col] = pd.array(df[col], dtype="Float64")
    df["event_date"] = pd.to_datetime(df["event_date"])
    df["date_end"] = pd.to_datetime(df["date_end"])
    df["source_ids"] = df["source_ids"].map(tuple)
    for col in (
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "actor2_acled",
        "inter2",
        "civilian_targeting",
        "admin1",
        "admin2",
        "place_id",
    ):
        df[col] = df[col].fillna("")
    geom = gpd.points_from_xy(df["longitude"].astype(float), df["latitude"].astype(float))
    geom = [None if pd.isna(lat) else g for g, lat in zip(geom, df["latitude"], strict=True)]
    return gpd.GeoDataFrame(df, geometry=geom, crs=WGS84)


def _places_frame(records: list[dict]) -> gpd.GeoDataFrame:
    df = pd.DataFrame.from_records(records)
    df["geonameid"] = pd.array(df["geonameid"], dtype="Int64")
    lat = pd.to_numeric(df["latitude"]).astype(float)
    lon = pd.to_numeric(df["longitude"]).astype(float)
    geom = [None if pd.isna(a) else g for g, a in zip(gpd.points_from_xy(lon, lat), lat, strict=True)]
    return gpd.GeoDataFrame(df, geometry=geom, crs=WGS84)


_SIDE_CODES = {"Tajikistan": "TJ", "Afghanistan": "AF"}


def with_border_range(events: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, border: gpd.GeoDataFrame):
    """``events`` with ``border_km_min`` / ``border_km_max`` (km, :mod:`geo.spatial.uncertainty`) added.

    The uncertainty disk is clipped to the side the event is on: the joined
    province's country, else the curated ``country`` (as :mod:`geo.spatial.enrich` does).
    """
    side = events["join_country"].astype("string")
    side = side.fillna(events["country"].map(_SIDE_CODES).astype("string"))
    rng = border_km_range(events, border, admin1, side)
    return events.assign(border_km_min=rng["border_km_min"], border_km_max=rng["border_km_max"])


def sort_events(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` in the order every page shows them (date, then id), with a fresh index.

    Only the two key columns are sorted; the rows are then copied once, in order.
    :func:`geo.query.selection.select` relies on bundles keeping this order.
    """
    keys = pd.DataFrame({"d": events["event_date"].to_numpy(), "i": events["event_id"].to_numpy()})
    order = keys.sort_values(["d", "i"], kind="stable").index.to_numpy()
    if (order == np.arange(len(order))).all():
        return events.reset_index(drop=True)
    return events.take(order).reset_index(drop=True)


def load_bundle(
    data_dir: Path | str = DATA_DIR, seeds_dir: Path | str | None = None, catalogue: Path | str | None = None
) -> Bundle:
    """Validate and load everything; raise :class:`DataError` listing every problem.

    Parameters
    ----------
    data_dir : path
        Folder with the curated CSV files and ``shapes/``.
    seeds_dir : path, optional
        Seed documents, to check quotes and checksums (skipped when ``None``).
    catalogue : path, optional
        Source catalogue (default: ``seeds/catalogue.csv`` beside ``data_dir``).
    """
    data_dir = Path(data_dir)
    records, problems = check_all(data_dir, seeds_dir, catalogue)
    shapes, shape_problems = load_shapes(data_dir / "shapes")
    problems += shape_problems
    if problems:
        raise DataError(problems)
    events = _events_frame(records["events"])
    events = enrich_events(events, shapes["admin1"], shapes["border"], shapes["border_detail"])
    events = sort_events(with_border_range(events, shapes["admin1"], shapes["border"]))
    claims = pd.DataFrame.from_records(records["claims"])
    for col in ("killed", "injured"):
        claims[col] = pd.array(claims[col], dtype="Int64")
    claims["claim_date"] = pd.to_datetime(claims["claim_date"])
    claims = claims.fillna({c: "" for c in ("speaker_body", "quote", "origin_place_id", "statement_id")})
    sources = pd.DataFrame.from_records(records["sources"])
    sources["supports"] = sources["supports"].map(tuple)
    sources = sources.fillna({c: "" for c in ("headline", "sha256", "url", "excerpt")})
    return Bundle(
        roles=actor_roles(events, claims),
        version=data_version(data_dir, catalogue),
        events=events,
        claims=claims,
        places=_places_frame(records["places"]),
        sources=sources,
        admin1=shapes["admin1"],
        border=shapes["border"],
        border_detail=shapes["border_detail"],
        rivers=shapes["rivers"],
        report=join_report(events),
        statements=statements_frame(records["statements"]),
    )


def data_version(data_dir: Path | str = DATA_DIR, catalogue: Path | str | None = None) -> str:
    """Short content hash of every curated and shape file: the cache and provenance key."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    files = sorted(data_dir.glob("*.csv")) + sorted((data_dir / "shapes").glob("*.geojson"))
    cat = Path(catalogue) if catalogue else data_dir.parent / "seeds" / "catalogue.csv"
    if cat.is_file():
        files.append(cat)
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def data_stamp(data_dir: Path | str = DATA_DIR) -> str:
    """Cheap change detector (names, sizes, mtimes) for cache keys on every rerun."""
    data_dir = Path(data_dir)
    files = sorted(data_dir.glob("*.csv")) + sorted((data_dir / "shapes").glob("*.geojson"))
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
