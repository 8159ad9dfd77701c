"""ACLED importer: every export layout, every bad-row kind, and files that are not CSV at all."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.importers import NotCSVError, read_acled
from geo.data.importers.acled_codes import EVENT_TYPES
from geo.data.paths import REPO_ROOT

FIX = REPO_ROOT / "tests" / "fixtures"


def _row(result, event_id: str) -> pd.Series:
    ev = result.events
    hit = ev[ev["event_id"] == event_id]
    assert len(hit) == 1, f"{event_id} not imported: {sorted(ev['event_id'])}"
    return hit.iloc[0]


# (fixture, event id, expected fields) — one row per layout feature the importer must handle.
LAYOUT_CASES = [
    (
        "acled_current.csv",
        "t:AFG70001",
        {
            "event_date": pd.Timestamp("2024-11-18"),
            "year": 2024,
            "time_precision": 1,
            "category": "attack",
            "event_type": "Violence against civilians",
            "inter1": "Political militia",
            "assoc_actor_1": "",
            "admin3_absent": True,
            "geo_precision": 2,
            "uncertainty_km": 25.0,
            "fatalities": 1,
            "source_row": 2,
        },
    ),
    (
        "acled_current.csv",
        "t:AFG70002",
        {  # long-form date, "NA" cells, assoc actor list
            "event_date": pd.Timestamp("2020-03-21"),
            "time_precision": 2,
            "category": "clash",
            "assoc_actor_2": "Police Forces of Afghanistan (2004-2021)",
            "inter2": "State forces",
        },
    ),
    (
        "acled_current.csv",
        "t:TJK1001",
        {"category": "protest", "event_type": "Protests", "actor2": "", "time_precision": 3, "fatalities": 0},
    ),
    (
        "acled_current.csv",
        "t:TJK1002",
        {"category": "other", "assoc_actor_1": "Government of Afghanistan (2021-); Taliban"},
    ),
    (
        "acled_current.csv",
        "t:TJK1003",
        {"category": "protest", "event_type": "Riots", "geo_precision": 3, "uncertainty_km": 100.0},
    ),
    ("acled_current.csv", "t:AFG70003", {"category": "attack", "event_type": "Explosions/Remote violence"}),
    (
        "acled_2019.csv",
        "t:AFG40001",
        {  # numeric inter codes → labels
            "inter1": "Rebel group",
            "inter2": "State forces",
            "event_date": pd.Timestamp("2020-03-21"),
        },
    ),
    (
        "acled_2019.csv",
        "t:TJK1234",
        {"inter1": "Political militia", "inter2": "Civilians"},
    ),  # iso3 + event_id_no_cnty
    (
        "acled_2019.csv",
        "t:data7654323",
        {"inter2": "", "category": "protest"},
    ),  # only data_id; inter 0 = no actor
    (
        "acled_pre2019.csv",
        "t:AFG201",
        {  # upper-case headers, old event type, dd-Month-yyyy
            "event_type": "Battles",
            "sub_event_type": "Battle-No change of territory",
            "category": "clash",
            "event_date": pd.Timestamp("2018-01-15"),
            "assoc_actor_2": "Police Forces of Afghanistan (2004-)",
        },
    ),
    (
        "acled_pre2019.csv",
        "t:AFG202",
        {
            "event_type": "Explosions/Remote violence",
            "category": "attack",
            "event_date": pd.Timestamp("2018-02-03"),
        },
    ),
    (
        "acled_pre2019.csv",
        "t:TJK55",
        {
            "event_type": "Protests",
            "category": "protest",
            "assoc_actor_1": "Students (Tajikistan); Teachers (Tajikistan)",
        },
    ),
    ("acled_pre2019.csv", "t:TJK56", {"event_type": "Strategic developments", "category": "other"}),
]


@pytest.mark.parametrize(("fixture", "event_id", "expected"), LAYOUT_CASES, ids=lambda v: str(v)[:40])
def test_layouts_map_onto_our_columns(fixture, event_id, expected):
    result = read_acled(FIX / fixture, dataset="t")
    assert result.rejects.empty, result.rejects.to_string()
    row = _row(result, event_id)
    for field, want in expected.items():
        if field == "admin3_absent":
            assert "admin3" not in result.events.columns
            continue
        got = row[field]
        assert got == want, f"{event_id}.{field}: {got!r} != {want!r}"
    assert row["source_tier"] == "imported" and row["source_ids"] == ()
    assert row["geometry"].x == pytest.approx(float(row["longitude"]))
    assert row["dataset"] == "t"


@pytest.mark.parametrize(
    ("fixture", "n"), [("acled_current.csv", 6), ("acled_2019.csv", 3), ("acled_pre2019.csv", 4)]
)
def test_every_good_row_loads(fixture, n):
    result = read_acled(FIX / fixture, dataset="t")
    assert len(result.events) == n == result.rows_read
    assert result.events.crs.to_epsg() == 4326
    assert set(result.events["category"]) <= {"attack", "clash", "protest", "other"}


# (row in the file — header is row 1, field, words the problem must contain)
BAD_ROWS = [
    (3, "(line)", "truncated line: 8 of 31"),
    (4, "latitude", "bad coordinates"),
    (5, "latitude", "from -90 to 90"),
    (6, "event_date", "unparseable date"),
    (7, "time_precision", "unknown precision code"),
    (8, "geo_precision", "unknown precision code"),
    (9, "event_type", "unknown ACLED event_type"),
    (10, "fatalities", "from 0 to 1,000,000"),
    (11, "event id", "duplicate event id in this file (first at row 2)"),
    (12, "year", "does not match"),
    (13, "latitude", "0,0 is not a place"),
    (15, "(line)", "truncated line"),
]


@pytest.fixture(scope="module")
def bad():
    return read_acled(FIX / "acled_bad_rows.csv", dataset="t")


@pytest.mark.parametrize(("row", "field", "words"), BAD_ROWS)
def test_bad_row_reported_with_row_and_field(bad, row, field, words):
    hits = bad.rejects[(bad.rejects["row"] == row) & (bad.rejects["field"] == field)]
    assert len(hits) == 1, bad.rejects.to_string()
    assert words in hits.iloc[0]["problem"]


def test_good_rows_of_a_broken_file_still_load(bad):
    assert sorted(bad.events["event_id"]) == ["t:AFG90001", "t:AFG90012"]
    assert sorted(bad.events["source_row"]) == [2, 14]
    assert set(bad.rejects["row"]) == {r for r, _, _ in BAD_ROWS}
    assert bad.rows_read == 14


def test_rejected_values_are_quoted_back(bad):
    value = bad.rejects.set_index(["row", "field"]).loc[(4, "latitude"), "value"]
    assert value == "abc"


NOT_CSV = [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"PK\x03\x04\x14\x00\x06\x00", "Excel .xlsx"),
    (b"%PDF-1.7\n", "PDF"),
    (b"\x1f\x8b\x08\x00", "gzip"),
    (b'{"data": [{"event_id_cnty": "AFG1"}]}', "JSON"),
    (b"<!DOCTYPE html><html><body>Access denied</body></html>", "HTML"),
    (b"just some text\nwith two lines\n", "no commas"),
    (b"a,b,c\n1,2,3\n", "missing column(s)"),
    ("event_id_cnty,event_date\n\xe9t\xe9,x\n".encode("latin-1"), "not a UTF-8"),
    (b"id,type_of_violence,side_a,side_b,where_prec,date_prec,latitude,longitude\n", "UCDP GED export"),
    (
        b"event_id_cnty,event_date,time_precision,event_type,actor1,country,location,latitude,longitude,"
        b"geo_precision,fatalities,Notes,notes\n",
        "more than once",
    ),
]


@pytest.mark.parametrize(("data", "words"), NOT_CSV, ids=[w for _, w in NOT_CSV])
def test_not_a_csv_export_gets_one_clear_message(data, words):
    with pytest.raises(NotCSVError) as err:
        read_acled(data, dataset="t")
    assert words in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2020-03-21", "2020-03-21"),
        ("21 March 2020", "2020-03-21"),
        ("21-March-2020", "2020-03-21"),
        ("21 Mar 2020", "2020-03-21"),
        ("03-Feb-2018", "2018-02-03"),
        ("2020/03/21", "2020-03-21"),
    ],
)
def test_date_forms(text, want):
    head = "event_id_cnty,event_date,time_precision,event_type,actor1,country,location,latitude,longitude,geo_precision,fatalities"
    data = f'{head}\nA1,"{text}",1,Battles,X,Afghanistan,L,37.1,70.1,1,0\n'.encode()
    result = read_acled(data, dataset="t")
    assert result.rejects.empty
    assert result.events.iloc[0]["event_date"] == pd.Timestamp(want)


def test_event_type_table_covers_current_types():
    from geo.data.schema import EVENT_TYPES as CURRENT

    assert {v[0] for v in EVENT_TYPES.values()} == set(CURRENT)
    for t in CURRENT:
        assert EVENT_TYPES[t.lower()][0] == t


def test_bom_and_crlf_are_fine():
    data = (FIX / "acled_current.csv").read_bytes().replace(b"\n", b"\r\n")
    result = read_acled(b"\xef\xbb\xbf" + data, dataset="t")
    assert len(result.events) == 6 and result.rejects.empty


# --- ACLED's own coding: ACLED names, interaction, civilian targeting (geo.data.schema.EVENTS) ----------


@pytest.mark.parametrize(
    ("fixture", "event_id", "interaction", "civilian"),
    [
        ("acled_current.csv", "t:AFG70001", 37, "Civilian targeting"),  # 'Political militia-Civilians'
        ("acled_current.csv", "t:AFG70002", 12, ""),  # 'Rebel group-State forces', NA targeting
        ("acled_current.csv", "t:TJK1001", 60, ""),  # 'Protesters only'
        ("acled_current.csv", "t:TJK1002", 10, ""),  # 'State forces only'
        ("acled_2019.csv", "t:AFG40001", 12, ""),  # numeric 12; no civilian_targeting column
        ("acled_2019.csv", "t:TJK1234", 37, "Civilian targeting"),  # derived: Violence against civilians
        ("acled_pre2019.csv", "t:AFG202", 27, "Civilian targeting"),  # derived: remote violence on civilians
        ("acled_pre2019.csv", "t:TJK56", 10, ""),
    ],
)
def test_acled_coding_columns(fixture, event_id, interaction, civilian):
    row = _row(read_acled(FIX / fixture, dataset="t"), event_id)
    assert row["interaction"] == interaction
    assert row["civilian_targeting"] == civilian
    assert row["actor1_acled"] == row["actor1"] and row["actor2_acled"] == row["actor2"]


def test_acled_coding_columns_typed_like_the_curated_ones():
    ev = read_acled(FIX / "acled_current.csv", dataset="t").events
    assert str(ev["interaction"].dtype) == "Int64"
    for col in ("actor1_acled", "actor2_acled", "inter1", "inter2", "civilian_targeting"):
        assert isinstance(ev[col].dtype, pd.CategoricalDtype), col


def _with_column(column: str, values: list[str]) -> bytes:
    frame = pd.read_csv(FIX / "acled_current.csv", dtype=str, keep_default_na=False)
    if values:
        frame[column] = values
    else:
        frame = frame.drop(columns=[column])
    return frame.to_csv(index=False).encode()


def test_interaction_missing_is_derived_from_inter_codes_and_said_once():
    result = read_acled(_with_column("interaction", []), dataset="t")
    got = result.events.set_index("event_id")["interaction"].to_dict()
    assert got == {
        "t:AFG70001": 37,
        "t:AFG70002": 12,
        "t:AFG70003": 27,
        "t:TJK1001": 60,
        "t:TJK1002": 10,
        "t:TJK1003": 50,
    }
    assert sum("interaction is not in the file" in n for n in result.notes) == 1


def test_unreadable_interaction_or_targeting_is_flagged_not_rejected():
    bad = ["37", "twelve", "", "99", "10.0", "Rioters-Protesters"]
    result = read_acled(_with_column("interaction", bad), dataset="t")
    got = result.events.set_index("source_row")["interaction"].to_dict()
    # Rows 3 'twelve' and 5 '99' are not codes: derived (12, 60); row 4 empty: derived (27);
    # row 6 '10.0' is a spreadsheet's 10; row 7 contradicts inter1/inter2 (50): kept as published.
    assert got == {2: 37, 3: 12, 4: 27, 5: 60, 6: 10, 7: 56}
    assert result.rejects.empty and len(result.events) == 6
    flags = result.flags.set_index("row")
    assert sorted(flags.index) == [3, 5, 7] and set(flags["field"]) == {"interaction"}
    assert flags.loc[3, "problem"].startswith("kept, flagged: not an ACLED interaction code")
    assert flags.loc[7, "problem"] == "kept as published, flagged: inter1/inter2 make it 50"

    targeting = ["civilian targeting", "Yes", "", "", "", ""]
    result = read_acled(_with_column("civilian_targeting", targeting), dataset="t")
    got = result.events.set_index("source_row")["civilian_targeting"].to_dict()
    assert got[2] == "Civilian targeting" and got[3] == ""
    assert result.flags[["row", "field", "value"]].values.tolist() == [[3, "civilian_targeting", "Yes"]]


def test_inter_codes_come_from_the_schema():
    from geo.data.importers.acled_codes import INTER_CODES
    from geo.data.schema import INTER_CODES as DECLARED

    assert {k: v for k, v in INTER_CODES.items() if k != "0"} == {str(k): v for k, v in DECLARED.items()}
    assert INTER_CODES["0"] == ""
