"""AppTest of the Import data page, and imported events on the map pages (uploads go through the store API)."""

from __future__ import annotations

import pytest
from apptest import APP, deck_spec, run_app
from streamlit.testing.v1 import AppTest

from geo.data.importers import import_file
from geo.data.paths import REPO_ROOT
from geo.data.store import Store
from geo.data.synth import write_acled_csv
from geo.spatial.aggregate import AGGREGATE_THRESHOLD, BIN_LAYER_ID

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


# --- nothing in the store takes a page down; nothing imported is silently out of view ------

ALL_PAGES = [
    "pages/briefing.py",
    REGIONAL,
    "pages/sector_map.py",
    "pages/incidents.py",
    "pages/timeline.py",
    "pages/sources.py",
    IMPORT_PAGE,
]


def _outside_and_broken(store):
    import storekit as kit

    kit.put(
        store,
        "benin",
        [
            {"lat": kit.BENIN[0], "lon": kit.BENIN[1], "country": "Benin", "admin1": "Alibori", "id": j}
            for j in range(3)
        ],
    )
    kit.put(store, "home", [{"lat": kit.KHWAHAN[0], "lon": kit.KHWAHAN[1], "id": j} for j in range(2)])
    kit.put(store, "broken", [{"lat": kit.KHWAHAN[0], "lon": kit.KHWAHAN[1]}])
    p = store.path("broken")
    p.write_bytes(p.read_bytes()[:200])  # truncated
    store.rejects_path("home").write_bytes(b"\xff\xfe\x00garbage")


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_stays_up_and_names_the_set_aside_dataset(store, page):
    _outside_and_broken(store)
    at = run(page)  # fails on any exception
    warnings = " ".join(w.value for w in at.warning)
    assert "broken" in warnings and "set aside" in warnings


def test_import_page_lists_counts_and_outside_events(store):
    _outside_and_broken(store)
    at = run(IMPORT_PAGE)
    listed = frame_with(at, "outside the shapes").set_index("dataset")
    assert set(listed.index) == {"benin", "home", "broken"}
    assert listed.loc["broken", "status"] == "set aside"
    assert listed.loc["benin", "outside the shapes"] == 3 and listed.loc["home", "within provinces"] == 2
    at.selectbox(key="import-chosen").set_value("benin").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Outside the shapes"] == "3" and metrics["Rows read"] == "3"
    outside = frame_with(at, "join_method")
    assert sorted(outside["event_id"]) == ["benin:0", "benin:1", "benin:2"]
    assert at.get("download_button")  # the outside events as CSV
    at.selectbox(key="import-chosen").set_value("home").run()
    assert any("rejection report home" in w.value and "cannot be read" in w.value for w in at.warning)
    # The set-aside dataset can still be deleted from the page.
    at.selectbox(key="import-chosen").set_value("broken").run()
    at.checkbox(key="import-confirm-delete").check().run()
    at.button(key="import-delete").click().run()
    assert not at.exception
    assert [e.name for e in store.listing()] == ["benin", "home"]


def test_map_notes_count_imported_events_outside_the_map_region(store):
    _outside_and_broken(store)
    at = run(REGIONAL)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # md_escape backslashes
    assert "3 imported event(s) of this selection lie outside the map region" in captions
    assert "3 of benin" in captions


# --- uploads of every kind the importers read (AppTest drives st.file_uploader) ----------------


def _workbook(sheets: dict[str, str]) -> bytes:
    """An .xlsx whose sheets hold the given CSV fixtures' cells as text ('' sheet: one note)."""
    import io

    openpyxl = pytest.importorskip("openpyxl")
    import pandas as pd

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, fixture in sheets.items():
        ws = wb.create_sheet(name)
        if not fixture:
            ws.append(["Downloaded from acleddata.com"])
            continue
        frame = pd.read_csv(FIX / fixture, dtype=str, keep_default_na=False)
        ws.append(list(frame.columns))
        for rec in frame.itertuples(index=False):
            ws.append(list(rec))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="import-file").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_uploader_accepts_what_the_importers_read(store):
    at = run(IMPORT_PAGE)
    allowed = {t.lstrip(".") for t in at.file_uploader(key="import-file").allowed_type}
    assert allowed == {"csv", "txt", "xlsx", "xls", "zip", "gz"}


def test_xlsx_upload_with_a_chosen_sheet(store):
    book = _workbook({"Notes": "", "Data": "acled_current.csv"})
    at = _upload(run(IMPORT_PAGE), "ACLED Afghanistan.xlsx", book)
    sheet = at.selectbox[0]
    assert sheet.label == "Sheet" and list(sheet.options) == ["Notes", "Data"]
    assert at.text_input[0].value == "acled-afghanistan"
    # The first sheet is only a note: importing it says so, and the store is unchanged.
    at.button(key="import-go").click().run()
    assert not at.exception and store.datasets() == []
    error = at.error[0].value.replace("\\", "")  # md_escape backslashes
    assert "This was sheet 'Notes'" in error and "choose the sheet that holds the events" in error
    sheet = next(s for s in at.selectbox if s.label == "Sheet")
    sheet.set_value("Data").run()
    at.button(key="import-go").click().run()
    assert not at.exception
    assert [i.name for i in store.datasets()] == ["acled-afghanistan"]
    assert store.info("acled-afghanistan").rows == 6
    assert any("read sheet 'Data'" in s.value.replace("\\", "") for s in at.success)


def test_zip_upload_of_a_ucdp_web_download_with_flagged_rows(store):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ged-candidate.csv", (FIX / "ucdp_bad_rows.csv").read_bytes())
    at = _upload(run(IMPORT_PAGE), "ged-candidate.zip", buf.getvalue())
    assert not [s for s in at.selectbox if s.label == "Sheet"]  # not a workbook: no sheet to choose
    at.radio(key="import-format").set_value("ucdp").run()
    at.button(key="import-go").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Imported, flagged"] == "1"
    flagged = frame_with(at, "problem")  # the first table with a problem column is the rejected rows
    assert not flagged.empty
    tables = [df.value for df in at.dataframe if "problem" in df.value.columns]
    assert any(5 in set(t["row"]) and "low 5 > best 2" in " ".join(t["problem"]) for t in tables)
    assert store.info("ged-candidate").flagged == 1
    # Listed again under the stored dataset, as flagged, apart from the rejected rows.
    at.selectbox(key="import-chosen").set_value("ged-candidate").run()
    labels = [e.label for e in at.expander]
    assert any("imported and flagged (kept, not rejected) (1)" in lbl for lbl in labels)


def test_upload_limit_applies_to_what_an_archive_unpacks_to(store):
    import gzip

    from streamlit import config

    head = (FIX / "acled_current.csv").read_bytes()
    bomb = gzip.compress(head + b"A," * 1_000_000)  # ~2 MB unpacked, a few kB sent
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)  # the page's limit, 1 MB: also on what it unpacks to
    try:
        at = _upload(run(IMPORT_PAGE), "big.csv.gz", bomb)
        at.button(key="import-go").click().run()
    finally:
        config.set_option("server.maxUploadSize", before)
    assert not at.exception and store.datasets() == []
    assert at.error and "more than 1 MB, the import limit" in at.error[0].value
