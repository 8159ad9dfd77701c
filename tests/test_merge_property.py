"""Merging is robust by construction: every pair (and the whole set) of stored layouts merges.

The layouts are the ones that took every page down before the declared schema:
an all-outside dataset (Benin: its join columns are all empty, stored with
``object`` categories), one whose optional columns are all NA, an empty one, an
ACLED-like and a UCDP-like one, next to the curated events.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pyarrow.parquet as pq
import pytest
import storekit as kit

from geo.data.bundle import merge_store
from geo.data.columns import SCHEMA
from geo.data.store import Store, _to_arrow

NA_OPTIONAL = {
    k: None
    for k in (
        "assoc_actor_1",
        "assoc_actor_2",
        "actor2",
        "admin2",
        "notes",
        "uncertainty_km",
        "fatalities_high",
        "injured",
        "injured_high",
        "inter1",
        "inter2",
        "place_id",
        "sub_event_type",
        "location_basis",
        "casualty_basis",
        "date_basis",
    )
}
LAYOUTS = {
    "acled": (
        "acled",
        [{"lat": kit.KHWAHAN[0], "lon": kit.KHWAHAN[1]}, {"lat": 37.1, "lon": 69.6, "admin1": "Takhar"}],
    ),
    "ucdp": (
        "ucdp",
        [
            {
                "lat": 36.728,
                "lon": 68.868,
                "admin1": "Kunduz",
                "inter1": "",
                "inter2": "",
                "fatalities_best": 5,
                "fatalities_high": 9,
                "date": "2021-07-05",
            }
        ],
    ),
    "outside": (
        "acled",
        [
            {"lat": kit.BENIN[0], "lon": kit.BENIN[1], "country": "Benin", "admin1": "Alibori", "id": j}
            for j in range(3)
        ],
    ),
    "allna": (
        "acled",
        [
            {
                "lat": kit.DUSHANBE[0],
                "lon": kit.DUSHANBE[1],
                "country": "Tajikistan",
                "admin1": "Dushanbe",
                **NA_OPTIONAL,
                "id": j,
            }
            for j in range(4)
        ],
    ),
    "empty": ("acled", []),
}
_STR = pd.StringDtype(na_value=float("nan"))
EXPECTED = {"int": "Int64", "float": "Float64", "f64": "float64", "bool": "boolean", "date": "datetime64[us]"}


def _check_schema(events: pd.DataFrame) -> None:
    for col, kind in SCHEMA.items():
        if col not in events or kind == "object":
            continue
        dtype = events[col].dtype
        if kind == "cat":
            assert isinstance(dtype, pd.CategoricalDtype), col
            assert dtype.categories.dtype == _STR, col
        elif kind == "text":
            assert dtype in (_STR, object), col  # event_id is object in a bundle (fast isin)
        else:
            assert str(dtype) == EXPECTED[kind], (col, dtype)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """Each layout written once; tests copy the files they combine."""
    root = tmp_path_factory.mktemp("layouts")
    store = Store(root)
    for name, (fmt, rows) in LAYOUTS.items():
        kit.put(store, name, rows, fmt=fmt)
    return root


def _store_with(tmp_path, stored, names) -> Store:
    store = Store(tmp_path / "s")
    store.root.mkdir()
    for n in names:
        (store.root / f"{n}.parquet").write_bytes((stored / f"{n}.parquet").read_bytes())
    return store


COMBOS = [*itertools.combinations(LAYOUTS, 1), *itertools.combinations(LAYOUTS, 2), tuple(LAYOUTS)]


@pytest.mark.parametrize("names", COMBOS, ids=["+".join(c) for c in COMBOS])
def test_every_combination_merges_with_the_curated_events(bundle, stored, tmp_path, names):
    store = _store_with(tmp_path, stored, names)
    merged, notices, included = merge_store(bundle, store)
    assert notices == []
    assert set(included) == set(names)
    expected = len(bundle.events) + sum(len(LAYOUTS[n][1]) for n in names)
    assert len(merged.events) == expected
    assert merged.events["event_id"].is_unique
    counts = merged.events["dataset"].astype(str).value_counts()
    for n in names:
        assert counts.get(n, 0) == len(LAYOUTS[n][1])
    _check_schema(merged.events)
    # The pages' own operations on the merged frame.
    merged.events.groupby("join_method", observed=True).size()
    merged.events.sort_values(["event_date", "event_id"])


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_read_gives_the_declared_schema(stored, name):
    back = Store(stored).read(name)
    _check_schema(back)
    assert len(back) == len(LAYOUTS[name][1])


def test_a_file_written_before_the_schema_still_merges(bundle, tmp_path):
    """The crash of issue 9: join columns all empty, stored with object categories (and [ns] dates)."""
    store = Store(tmp_path / "s")
    store.root.mkdir()
    kit.put(store, "benin", LAYOUTS["outside"][1])
    info = store.info("benin")
    gdf = store.read("benin").drop(columns=["source_ids"])
    for col in ("join_admin1", "join_adm1_code", "join_country", "facing_admin1"):
        gdf[col] = pd.Categorical([None] * len(gdf), categories=pd.Index([], dtype=object))
    gdf["event_date"] = gdf["event_date"].astype("datetime64[ns]")
    meta = {
        "schema": 1,
        "dataset": "benin",
        "format": "acled",
        "source_name": "b.csv",
        "source_sha256": "",
        "imported_at": "",
        "rows": len(gdf),
        "rejected": 0,
        "duplicates": 0,
        "shapes_version": info.shapes_version,
    }
    pq.write_table(_to_arrow(gdf, meta), store.path("benin"))
    raw = pq.read_table(store.path("benin")).to_pandas()["join_admin1"].dtype
    assert not (isinstance(raw, pd.CategoricalDtype) and raw.categories.dtype == _STR)  # not of the schema
    merged, notices, _ = merge_store(bundle, store)
    assert notices == []
    assert (merged.events["dataset"].astype(str) == "benin").sum() == 3
    _check_schema(merged.events)
