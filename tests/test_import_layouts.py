"""Every real export layout imports with its rows intact, or gets one clear message.

Hand-written fixtures in tests/fixtures, one per layout seen in the wild; the
workbook and archive cases are built here from those CSVs.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from geo.data.importers import NotCSVError, import_file, read_acled, read_ucdp
from geo.data.paths import REPO_ROOT
from geo.data.store import Store

FIX = REPO_ROOT / "tests" / "fixtures"
READ = {"acled": read_acled, "ucdp": read_ucdp}

# (fixture, format, rows, event id, expected fields): dates, coordinates, casualties, actors, precision.
ROWS = [
    (
        "acled_current.csv",
        "acled",
        6,
        "t:AFG70001",
        {
            "event_date": "2024-11-18",
            "latitude": 38.4203,
            "longitude": 70.7921,
            "fatalities": 1,
            "actor1": "Unidentified Armed Group (Afghanistan)",
            "actor2": "Civilians (China)",
            "geo_precision": 2,
            "uncertainty_km": 25.0,
            "time_precision": 1,
        },
    ),
    (
        "acled_2019.csv",
        "acled",
        3,
        "t:AFG40001",
        {
            "event_date": "2020-03-21",
            "fatalities": 4,
            "actor1": "Taliban",
            "inter1": "Rebel group",
            "geo_precision": 2,
            "latitude": 37.8833,
        },
    ),
    (
        "acled_pre2019.csv",
        "acled",
        4,
        "t:AFG201",
        {
            "event_date": "2018-01-15",
            "event_type": "Battles",
            "fatalities": 2,
            "assoc_actor_2": "Police Forces of Afghanistan (2004-)",
            "longitude": 68.9167,
        },
    ),
    (
        "acled_v5_dbf.csv",
        "acled",
        3,
        "t:AFG501",
        {
            "event_date": "2015-03-21",
            "event_type": "Battles",
            "category": "clash",
            "sub_event_type": "Battle-Non-state actors overtake territory",
            "time_precision": 1,
            "geo_precision": 2,
            "uncertainty_km": 25.0,
            "fatalities": 7,
            "actor1": "Taliban",
            "assoc_actor_2": "Police Forces of Afghanistan (2004-)",
            "latitude": 36.7,
            "longitude": 68.75,
        },
    ),
    (
        "acled_v5_dbf.csv",
        "acled",
        3,
        "t:TJK501",
        {
            "event_date": "2015-05-15",
            "event_type": "Protests",
            "assoc_actor_1": "Students (Tajikistan)",
            "time_precision": 3,
            "geo_precision": 3,
            "uncertainty_km": 100.0,
        },
    ),
    (
        "acled_api_pandas.csv",
        "acled",
        2,
        "t:AFG80001",
        {
            "event_date": "2024-11-18",
            "latitude": 38.4203,
            "longitude": 70.7921,
            "fatalities": 1,
            "geo_precision": 2,
            "time_precision": 1,
            "location": "Nusay",
            "inter1": "Political militia",
        },
    ),
    (
        "acled_spreadsheet_mon.csv",
        "acled",
        3,
        "t:AFG90101",
        {"event_date": "2020-05-09", "year": 2020, "fatalities": 3, "latitude": 37.1256},
    ),
    ("acled_spreadsheet_mon.csv", "acled", 3, "t:AFG90103", {"event_date": "2019-12-31", "year": 2019}),
    (
        "acled_spreadsheet_dmy.csv",
        "acled",
        2,
        "t:TJK90201",
        {"event_date": "2019-12-31", "fatalities": 1, "actor1": "Unidentified Armed Group (Tajikistan)"},
    ),
    ("acled_spreadsheet_dmy.csv", "acled", 2, "t:TJK90202", {"event_date": "2020-01-05"}),
    (
        "ucdp_ged.csv",
        "ucdp",
        7,
        "t:1001",
        {
            "event_date": "2021-07-05",
            "fatalities": 3,
            "fatalities_best": 5,
            "fatalities_high": 9,
            "actor1": "Government of Afghanistan",
            "actor2": "Taleban",
            "geo_precision": 1,
            "uncertainty_km": 1.0,
        },
    ),
    (
        "gedevents-2025-05-06.csv",
        "ucdp",
        3,
        "t:154321",
        {
            "event_date": "2015-09-04",
            "fatalities": 5,
            "fatalities_best": 5,
            "fatalities_high": 8,
            "latitude": 36.728,
            "longitude": 68.868,
            "actor1": "Government of Afghanistan",
            "time_precision": 1,
            "geo_precision": 1,
            "source": "Pajhwok",
        },
    ),
    (
        "gedevents-2025-05-06.csv",
        "ucdp",
        3,
        "t:154322",
        {"event_date": "2015-10-13", "date_end": "2015-10-15", "time_precision": 2, "geo_precision": 2},
    ),
    (
        "gedevents-2025-05-06.csv",
        "ucdp",
        3,
        "t:154323",
        {"event_date": "2015-01-02", "date_end": "2015-01-30"},
    ),
    (
        "ucdp_candidate.csv",
        "ucdp",
        2,
        "t:560001",
        {"fatalities": 3, "fatalities_best": 9, "fatalities_high": 6, "event_date": "2025-03-01"},
    ),
    (
        "ucdp_subset.csv",
        "ucdp",
        3,
        "t:7001",
        {
            "event_date": "2021-07-05",
            "time_precision": 1,
            "geo_precision": 3,
            "uncertainty_km": None,
            "fatalities": 3,
            "fatalities_best": 5,
            "fatalities_high": 9,
            "admin1": "Kunduz",
        },
    ),
    ("ucdp_subset.csv", "ucdp", 3, "t:7002", {"time_precision": 2, "date_end": "2021-08-04"}),
    ("ucdp_subset.csv", "ucdp", 3, "t:7003", {"time_precision": 3, "uncertainty_km": None}),
]


def _check_row(result, n, event_id, expected):
    assert result.rejects.empty, result.rejects.to_string()
    assert len(result.events) == n == result.rows_read
    ev = result.events.set_index("event_id")
    assert event_id in ev.index, sorted(ev.index)
    row = ev.loc[event_id]
    for field, want in expected.items():
        got = row[field]
        if want is None:
            assert pd.isna(got), f"{event_id}.{field}: {got!r} should be empty"
        elif field in ("event_date", "date_end"):
            assert pd.Timestamp(got) == pd.Timestamp(want), f"{event_id}.{field}: {got!r} != {want}"
        elif isinstance(want, float):
            assert float(got) == pytest.approx(want), f"{event_id}.{field}: {got!r} != {want}"
        else:
            assert got == want, f"{event_id}.{field}: {got!r} != {want!r}"
    assert row["geometry"].x == pytest.approx(float(row["longitude"]))


@pytest.mark.parametrize(("fixture", "fmt", "n", "event_id", "expected"), ROWS, ids=lambda v: str(v)[:30])
def test_layout_rows_intact(fixture, fmt, n, event_id, expected):
    _check_row(READ[fmt](FIX / fixture, dataset="t"), n, event_id, expected)


# (fixture, format, words one of the report's notes must contain)
NOTES = [
    ("gedevents-2025-05-06.csv", "ucdp", "empty field(s) more than the header"),
    ("gedevents-2025-05-06.csv", "ucdp", "date_start: dates read as 12/31/2019 00:00:00 (%m/%d/%Y %H:%M:%S)"),
    ("acled_spreadsheet_mon.csv", "acled", "event_date: dates read as 9-May-20 (%d-%b-%y)"),
    ("acled_spreadsheet_dmy.csv", "acled", "event_date: dates read as 31-12-19 (%d-%m-%y)"),
    ("acled_v5_dbf.csv", "acled", "event_date: dates read as 31/12/2019 (%d/%m/%Y)"),
    ("ucdp_subset.csv", "ucdp", "where_prec is not in the file"),
    ("ucdp_subset.csv", "ucdp", "date_prec is not in the file"),
]


@pytest.mark.parametrize(("fixture", "fmt", "words"), NOTES)
def test_report_names_the_format_chosen_and_what_the_file_lacks(fixture, fmt, words):
    notes = READ[fmt](FIX / fixture, dataset="t").notes
    assert any(words in n for n in notes), notes


def test_unknown_precision_is_said_once_not_per_row():
    result = read_ucdp(FIX / "ucdp_subset.csv", dataset="t")
    assert sum("where_prec" in n for n in result.notes) == 1
    assert result.rejects.empty and result.flags.empty


def test_estimates_out_of_order_are_flagged_not_dropped():
    result = read_ucdp(FIX / "ucdp_candidate.csv", dataset="t")
    assert len(result.events) == 2 and result.rejects.empty
    flag = result.flags.iloc[0]
    assert (flag["row"], flag["field"]) == (2, "high") and "best 9 > high 6" in flag["problem"]


def test_aggregate_without_coordinates_gets_one_message_naming_what_it_has():
    with pytest.raises(NotCSVError) as err:
        read_acled(FIX / "acled_explorer_aggregate.csv", dataset="t")
    msg = str(err.value)
    assert "no coordinates" in msg and "Country, Admin1, Year, Month, Events, Fatalities" in msg


def _xlsx(csv_path, sheets=("Data",), first_blank=False) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if first_blank:
        wb.create_sheet("Notes").append(["Downloaded from acleddata.com"])
    for name in sheets:
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        for rec in frame.itertuples(index=False):
            cells = []
            for col, v in zip(frame.columns, rec, strict=True):
                if col == "event_date":
                    cells.append(pd.Timestamp(v).to_pydatetime())  # a real date cell
                elif col in ("latitude", "longitude"):
                    cells.append(float(v))
                elif col in ("fatalities", "year", "geo_precision", "time_precision"):
                    cells.append(int(v))
                else:
                    cells.append(v or None)
            ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_workbook_first_sheet():
    data = _xlsx(FIX / "acled_current.csv")
    result = read_acled(data, dataset="t")
    _check_row(result, 6, "t:AFG70002", {"event_date": "2020-03-21", "fatalities": 5, "latitude": 37.1})
    assert any("read sheet 'Data'" in n for n in result.notes)


def test_xlsx_named_sheet_and_missing_sheet():
    data = _xlsx(FIX / "acled_current.csv", first_blank=True)
    result = read_acled(data, dataset="t", sheet="Data")
    assert len(result.events) == 6 and result.rejects.empty
    with pytest.raises(NotCSVError, match="no sheet named 'Events'.*Notes, Data"):
        read_acled(data, dataset="t", sheet="Events")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_holding_one_csv():
    web = (FIX / "gedevents-2025-05-06.csv").read_bytes()
    result = read_ucdp(_zip({"gedevents-2025-05-06.csv": web, "__MACOSX/._x": b"junk"}), dataset="t")
    _check_row(result, 3, "t:154321", {"event_date": "2015-09-04", "fatalities_high": 8})
    assert any("from the ZIP archive" in n for n in result.notes)


def test_zip_holding_a_workbook():
    result = read_acled(_zip({"acled.xlsx": _xlsx(FIX / "acled_current.csv")}), dataset="t")
    assert len(result.events) == 6 and result.rejects.empty


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ({"a.csv": b"x", "b.csv": b"y"}, "holds 2 data files"),
        ({"readme.pdf": b"%PDF"}, "holds no CSV or Excel file"),
    ],
)
def test_zip_with_other_than_one_export_gets_one_message(members, words):
    with pytest.raises(NotCSVError, match=words):
        read_acled(_zip(members), dataset="t")


def test_zip_bomb_is_refused_by_its_uncompressed_size():
    # 20 MB of one repeated row compresses to a few kilobytes; the limit is on what it unpacks to.
    head = (FIX / "acled_current.csv").read_bytes().split(b"\n")[0] + b"\n"
    bomb = _zip({"big.csv": head + b"A," * 10_000_000})
    assert len(bomb) < 200_000
    with pytest.raises(NotCSVError, match="unpacks to .* more than the 1 MB import limit"):
        read_acled(bomb, dataset="t", max_bytes=1 << 20)


def test_workbook_bomb_is_refused_too():
    data = _xlsx(FIX / "acled_current.csv")
    with pytest.raises(NotCSVError, match="import limit"):
        read_acled(data, dataset="t", max_bytes=2_000)


def test_each_layout_imports_through_the_pipeline_with_its_report(tmp_path):
    store = Store(tmp_path / "store")
    for i, (fixture, fmt) in enumerate(
        [("acled_v5_dbf.csv", "acled"), ("gedevents-2025-05-06.csv", "ucdp"), ("ucdp_subset.csv", "ucdp")]
    ):
        out = import_file(FIX / fixture, fmt, f"d{i}", store=store)
        assert out.info is not None and out.loaded == out.rows_read
        assert out.notes and out.notes[-1].rstrip(".") in out.summary()
    assert {d.name for d in store.datasets()} == {"d0", "d1", "d2"}


def test_sheet_names_are_listed_cheaply():
    from geo.data.importers.containers import sheet_names

    book = _xlsx(FIX / "acled_current.csv", first_blank=True)
    assert sheet_names(book) == ["Notes", "Data"]
    assert sheet_names(_zip({"acled.xlsx": book})) == ["Notes", "Data"]
    assert sheet_names(FIX / "acled_current.csv") is None
    assert sheet_names(_zip({"ged.csv": b"id\n1\n"})) is None
    assert sheet_names(b"PK\x03\x04 not really a zip") is None
    # Listing reads only xl/workbook.xml: a workbook over the limit is listed, then refused on import.
    assert sheet_names(book, max_bytes=2_000) == ["Notes", "Data"]
    with pytest.raises(NotCSVError, match="import limit"):
        read_acled(book, dataset="t", max_bytes=2_000, sheet="Data")


def test_gzip_csv():
    import gzip

    result = read_acled(gzip.compress((FIX / "acled_current.csv").read_bytes()), dataset="t")
    assert len(result.events) == 6 and any("gzip" in n for n in result.notes)


def test_wrong_sheet_is_named_in_the_message():
    book = _xlsx(FIX / "acled_current.csv", first_blank=True)
    with pytest.raises(NotCSVError) as err:
        read_acled(book, dataset="t")
    msg = str(err.value)
    assert "its first row has a single cell ('Downloaded from acleddata.com'" in msg and "commas" not in msg
    assert "This was sheet 'Notes' of the upload (the first of 2 sheets: Notes, Data)" in msg
    assert "--sheet NAME" in msg
