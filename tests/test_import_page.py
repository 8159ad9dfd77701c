"""AppTest of the Import data page, and imported events on the map pages (uploads go through the store API)."""

from __future__ import annotations

import pytest
from apptest import APP, deck_spec, run_app
from streamlit.testing.v1 import AppTest

from geo.aggregate import AGGREGATE_THRESHOLD, BIN_LAYER_ID
from geo.importers import import_file
from geo.paths import REPO_ROOT
from geo.store import Store
from geo.synth import write_acled_csv

FIX = REPO_ROOT / "tests" / "fixtures"
IMPORT_PAGE = "pages/import_data.py"
REGIONAL = "pages/regional_map.py"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty store the app reads (PANJWATCH_STORE), separate from local/store."""
    monkeypatch.setenv("PANJWATCH_STORE", str(tmp_path / "store"))
    return Store(tmp_path / "store")


def run(page: str) -> AppTest:
    return run_app(page=page)


def frame_with(at: AppTest, column: str):
    """The first table on the page that has ``column``."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a {column!r} column")


def layer(spec: dict, layer_id: str) -> dict:
    return next(lyr for lyr in spec["layers"] if lyr["id"] == layer_id)


def test_page_with_an_empty_store(store):
    at = run(IMPORT_PAGE)
    assert at.title[0].value == "Import data"
    assert any("No imported datasets" in i.value for i in at.info)
    assert at.button(key="import-go").disabled


def test_page_lists_datasets_and_kept_rejections(store):
    import_file(FIX / "acled_bad_rows.csv", "acled", "broken", store=store)
    import_file(FIX / "ucdp_ged.csv", "ucdp", "ged", store=store)
    at = run(IMPORT_PAGE)
    listed = frame_with(at, "possible duplicates")
    assert sorted(listed["dataset"]) == ["broken", "ged"]
    assert listed.set_index("dataset").loc["broken", "rejected rows"] == 12
    at.selectbox(key="import-chosen").set_value("broken").run()
    kept = frame_with(at, "problem")
    assert 3 in set(kept["row"]) and "truncated line" in " ".join(kept["problem"])


def test_delete_from_the_page(store):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    at = run(IMPORT_PAGE)
    assert at.button(key="import-delete").disabled
    at.checkbox(key="import-confirm-delete").check().run()
    at.button(key="import-delete").click().run()
    assert not at.exception
    assert store.datasets() == []
    assert any("No imported datasets" in i.value for i in at.info)


def test_imported_events_on_the_regional_map(store):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    at = run(REGIONAL)
    points = layer(deck_spec(at), "events")["data"]
    ids = {p["event_id"] for p in points}
    assert {"mine:AFG70001", "mine:TJK1002"} <= ids
    assert any(i.startswith("pw-") for i in ids)  # the curated events are still there
    tip = next(p["tip_title"] for p in points if p["event_id"] == "mine:AFG70001")
    assert "Nusay" in tip


def test_imported_events_filter_by_year_and_actor(store):
    import_file(FIX / "acled_current.csv", "acled", "mine", store=store)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["year"] = "2020"
    at.query_params["actor"] = "Taliban"
    at.run()
    at.switch_page(REGIONAL)
    at.run()
    assert not at.exception
    ids = {p["event_id"] for p in layer(deck_spec(at), "events")["data"]}
    assert ids == {"mine:AFG70002"}


def test_many_imported_events_are_binned(store, tmp_path):
    csv = write_acled_csv(tmp_path / "big.csv", AGGREGATE_THRESHOLD + 500, seed=21)
    import_file(csv, "acled", "big", store=store)
    at = run(REGIONAL)
    spec = deck_spec(at)
    bins = layer(spec, BIN_LAYER_ID)
    assert sum(b["count"] for b in bins["data"]) == AGGREGATE_THRESHOLD + 500
    assert all(not p["event_id"].startswith("big:") for p in layer(spec, "events")["data"])
    assert "big:" not in charts_json(at)


def charts_json(at: AppTest) -> str:
    return at.get("deck_gl_json_chart")[0].proto.json
