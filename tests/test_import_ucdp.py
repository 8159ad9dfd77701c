"""UCDP GED importer: precision codes, death estimates, sides as actors, bad rows."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.importers import NotCSVError, read_ucdp
from geo.data.importers.ucdp import DATE_PREC, WHERE_PREC
from geo.data.paths import REPO_ROOT

FIX = REPO_ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def ged():
    return read_ucdp(FIX / "ucdp_ged.csv", dataset="u")


# id → (where_prec, geo_precision, uncertainty_km, date_prec, time_precision, date_end)
PRECISION_CASES = [
    ("u:1001", 1, 1, 1.0, 1, 1, None),
    ("u:1002", 2, 2, 25.0, 2, 2, "2021-07-09"),
    ("u:1003", 3, 2, 25.0, 3, 2, "2021-08-07"),
    ("u:1004", 4, 3, 100.0, 4, 3, "2021-06-30"),
    ("u:1005", 5, 3, 150.0, 5, 3, "2021-06-15"),
    ("u:1006", 6, 3, 400.0, 1, 1, None),
    ("u:1007", 7, 3, 400.0, 1, 1, None),
]


@pytest.mark.parametrize(("eid", "where_prec", "geo", "km", "date_prec", "tp", "end"), PRECISION_CASES)
def test_precision_codes(ged, eid, where_prec, geo, km, date_prec, tp, end):
    row = ged.events.set_index("event_id").loc[eid]
    assert (row["geo_precision"], row["uncertainty_km"]) == (geo, km) == WHERE_PREC[where_prec][:2]
    assert row["time_precision"] == tp == DATE_PREC[date_prec][0]
    assert f"where_prec {where_prec}" in row["location_basis"]
    assert f"date_prec {date_prec}" in row["date_basis"]
    if end is None:
        assert pd.isna(row["date_end"])
    else:
        assert row["date_end"] == pd.Timestamp(end)


def test_every_code_is_covered():
    assert sorted(c[1] for c in PRECISION_CASES) == sorted(WHERE_PREC)
    assert {c[4] for c in PRECISION_CASES} == set(DATE_PREC)


@pytest.mark.parametrize(
    ("eid", "low", "best", "high", "category", "actor1", "actor2", "admin1"),
    [
        ("u:1001", 3, 5, 9, "clash", "Government of Afghanistan", "Taleban", "Kunduz"),
        ("u:1003", 2, 2, 2, "attack", "Taleban", "Civilians", "Badakhshan"),
        ("u:1005", 0, 4, 6, "clash", "Government of Afghanistan", "Taleban", "Kunduz"),
    ],
)
def test_deaths_sides_and_types(ged, eid, low, best, high, category, actor1, actor2, admin1):
    row = ged.events.set_index("event_id").loc[eid]
    # ACLED's rule: the lowest reported figure is the one shown; best and high are kept.
    assert (row["fatalities"], row["fatalities_best"], row["fatalities_high"]) == (low, best, high)
    assert (row["category"], row["actor1"], row["actor2"], row["admin1"]) == (
        category,
        actor1,
        actor2,
        admin1,
    )
    assert pd.isna(row["injured"])


def test_old_release_with_est_columns():
    result = read_ucdp(FIX / "ucdp_old.csv", dataset="u")
    assert result.rejects.empty
    row = result.events.iloc[0]
    assert (row["event_id"], row["fatalities"], row["fatalities_best"], row["fatalities_high"]) == (
        "u:88",
        3,
        3,
        5,
    )


BAD = [
    (3, "where_prec", "unknown precision code"),
    (4, "date_prec", "unknown precision code"),
    (6, "date_start", "unparseable date"),
    (7, "type_of_violence", "unknown type_of_violence"),
    (8, "longitude", "bad coordinates"),
    (9, "(line)", "truncated line: 7 of 45"),
]


@pytest.fixture(scope="module")
def bad():
    return read_ucdp(FIX / "ucdp_bad_rows.csv", dataset="u")


@pytest.mark.parametrize(("row", "field", "words"), BAD)
def test_bad_rows(bad, row, field, words):
    hit = bad.rejects[(bad.rejects["row"] == row) & (bad.rejects["field"] == field)]
    assert len(hit) == 1, bad.rejects.to_string()
    assert words in hit.iloc[0]["problem"]


def test_good_rows_survive(bad):
    assert sorted(bad.events["event_id"]) == ["u:2001", "u:2004", "u:2009"]
    assert set(bad.rejects["row"]) == {r for r, _, _ in BAD}


def test_acled_file_given_as_ucdp_says_so():
    with pytest.raises(NotCSVError, match="ACLED export"):
        read_ucdp(FIX / "acled_current.csv", dataset="u")


def test_estimates_out_of_order_are_kept_and_flagged(bad):
    # Row 5 publishes low 5 > best 2 (candidate releases have such rows): kept as published, flagged once.
    row = bad.events.set_index("event_id").loc["u:2004"]
    assert (row["fatalities"], row["fatalities_best"], row["fatalities_high"]) == (5, 2, 9)
    hit = bad.flags[bad.flags["row"] == 5]
    assert len(hit) == 1 and "low 5 > best 2" in hit.iloc[0]["problem"]
    assert 5 not in set(bad.rejects["row"])
    assert bad.rows_read == len(bad.events) + bad.rejects["row"].nunique()


def test_acled_coding_columns_are_typed_na_for_ucdp():
    ev = read_ucdp(FIX / "ucdp_ged.csv", dataset="u").events
    assert ev["interaction"].dtype == "Int64" and ev["interaction"].isna().all()
    for col in ("actor1_acled", "actor2_acled", "inter1", "inter2", "civilian_targeting"):
        assert isinstance(ev[col].dtype, pd.CategoricalDtype), col
        assert ev[col].isna().all(), col
        assert str(ev[col].cat.categories.dtype) == "str", col  # merges with the curated categories
