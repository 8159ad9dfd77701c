"""Scale machinery on small data: the generator, and the dask-geopandas path on a local cluster.

Timings and memory at 100k and 1M events are measured by bench/bench_scale.py, not here.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from geo.data.importers import import_file, read_acled
from geo.data.importers.enrichment import enrich_imported
from geo.data.store import Store
from geo.data.synth import ACLED_COLUMNS, REGION, acled_frame, default_places, write_acled_csv


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_generator_is_deterministic(tmp_path):
    a = write_acled_csv(tmp_path / "a.csv", 2000, seed=5)
    b = write_acled_csv(tmp_path / "b.csv", 2000, seed=5)
    c = write_acled_csv(tmp_path / "c.csv", 2000, seed=6)
    assert _sha(a) == _sha(b) != _sha(c)


@pytest.mark.parametrize(
    ("n", "places", "date_style"), [(1000, None, "iso"), (500, 0, "long"), (300, 7, "iso")]
)
def test_generated_rows_are_valid_acled(n, places, date_style):
    df = acled_frame(n, seed=1, n_places=places, date_style=date_style)
    assert list(df.columns) == list(ACLED_COLUMNS) and len(ACLED_COLUMNS) == 31
    assert len(df) == n and df["event_id_cnty"].is_unique
    lon0, lat0, lon1, lat1 = REGION
    assert df["longitude"].between(lon0, lon1).all() and df["latitude"].between(lat0, lat1).all()
    distinct = len(df[["longitude", "latitude"]].drop_duplicates())
    if places == 0:
        assert distinct > 0.95 * n
    else:
        assert distinct <= (places or default_places(n))
    result = read_acled(df.to_csv(index=False).encode(), dataset="s")
    assert result.rejects.empty and len(result.events) == n
    assert set(result.events["category"]) == {"clash", "attack", "protest", "other"}


def test_places_cover_both_sides_and_neighbours():
    df = acled_frame(5000, seed=2)
    assert {"Afghanistan", "Tajikistan"} <= set(df["country"])
    assert len(set(df["country"])) >= 4


def test_enrichment_touches_each_place_once(monkeypatch, bundle):
    import geo.data.importers.enrichment as enr

    calls = []
    real = enr.enrich_events

    def spy(events, *args, **kwargs):
        calls.append(len(events))
        return real(events, *args, **kwargs)

    monkeypatch.setattr(enr, "enrich_events", spy)
    ev = read_acled(acled_frame(3000, seed=4, n_places=40).to_csv(index=False).encode(), dataset="s").events
    out = enrich_imported(ev, bundle.admin1, bundle.border, bundle.border_detail)
    assert sum(calls) == len(ev[["longitude", "latitude", "admin1", "country"]].drop_duplicates()) <= 40
    assert len(out) == len(ev) and out["join_method"].notna().all()
    same_place = out.groupby(["longitude", "latitude"], observed=True)["border_distance_km"].nunique()
    assert (same_place == 1).all()


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on this machine (a real distributed scheduler, no network)."""
    import sys

    pytest.importorskip("dask_geopandas")
    distributed = pytest.importorskip("distributed")
    with pytest.MonkeyPatch.context() as mp:
        # AppTest leaves ``__main__`` pointing at app.py; spawned workers would re-run it.
        main = sys.modules["__main__"]
        mp.delattr(main, "__file__", raising=False)
        mp.setattr(main, "__spec__", None, raising=False)
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as lc,
            distributed.Client(lc) as client,
        ):
            yield client


def _vals(s: pd.Series) -> list:
    return s.astype(object).where(s.notna(), None).tolist()


def test_dask_partitions_give_the_same_enrichment(cluster, bundle):
    from geo.data.importers.partitioned import enrich_partitioned

    ev = read_acled(acled_frame(1200, seed=9, n_places=60).to_csv(index=False).encode(), dataset="s").events
    one = enrich_imported(ev, bundle.admin1, bundle.border, bundle.border_detail)
    many = enrich_partitioned(ev, npartitions=4, client=cluster)
    assert len(many) == len(one)
    assert list(many["event_id"]) == list(one["event_id"])
    for col in ("join_admin1", "join_method", "join_distance_km", "border_distance_km", "facing_admin1"):
        assert _vals(many[col]) == _vals(one[col]), col


def test_dask_parquet_to_parquet(cluster, tmp_path):
    from geo.data.importers.partitioned import enrich_parquet

    csv = write_acled_csv(tmp_path / "s.csv", 800, seed=12)
    store = Store(tmp_path / "store")
    import_file(csv, "acled", "part", store=store)
    n = enrich_parquet(str(store.path("part")), str(tmp_path / "out"), client=cluster)
    assert n == 800
    written = pd.read_parquet(tmp_path / "out")
    assert np.isfinite(written["border_distance_km"]).all()


def test_events_at_one_place_share_one_point():
    import numpy as np

    from geo.data.columns import shared_points

    lon = np.array([70.1, 70.2, 70.1, 70.1])
    lat = np.array([37.5, 37.5, 37.5, 37.6])
    pts = shared_points(lon, lat)
    assert pts[0] is pts[2] and pts[0] is not pts[3] and pts[0] is not pts[1]
    assert [(p.x, p.y) for p in pts] == list(zip(lon, lat, strict=True))
    assert pts.crs.to_epsg() == 4326
