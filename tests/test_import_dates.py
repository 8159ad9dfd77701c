"""Date columns read with one decision per file and column (geo.data.importers.dates)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.importers import read_ucdp
from geo.data.importers.dates import ACCEPTED, DATE_MAX, DATE_MIN, AmbiguousDates, read_dates


def _read(values, **kw):
    return read_dates(pd.Series(values, dtype=object), "event_date", **kw)


# (cells, expected ISO dates, words the report note must contain)
SPELLINGS = [
    (["2020-03-21", "2019-12-31"], ["2020-03-21", "2019-12-31"], "%Y-%m-%d"),
    (["2020-03-21 00:00:00", "2019-12-31 10:30:00"], ["2020-03-21", "2019-12-31"], "%Y-%m-%d %H:%M:%S"),
    (["2020-03-21T00:00:00", "2019-12-31T00:00:00"], ["2020-03-21", "2019-12-31"], "%Y-%m-%dT%H:%M:%S"),
    (["21 March 2020", "31 December 2019"], ["2020-03-21", "2019-12-31"], "21 March 2020"),
    (["01-January-2015", "21-March-2020"], ["2015-01-01", "2020-03-21"], "21-March-2020"),
    (["9-May-20", "5-Aug-24", "31-Dec-19"], ["2020-05-09", "2024-08-05", "2019-12-31"], "9-May-20"),
    (["31-12-19", "05-01-20"], ["2019-12-31", "2020-01-05"], "%d-%m-%y"),
    (["31/12/2019", "02/01/2020"], ["2019-12-31", "2020-01-02"], "%d/%m/%Y"),
    (["12/31/2019 00:00:00", "01/02/2020 00:00:00"], ["2019-12-31", "2020-01-02"], "%m/%d/%Y %H:%M:%S"),
    (["43911", "43830"], ["2020-03-21", "2019-12-31"], "Excel serial"),
    (["31.12.2019", "02.01.2020"], ["2019-12-31", "2020-01-02"], "%d.%m.%Y"),
]


@pytest.mark.parametrize(("cells", "want", "words"), SPELLINGS, ids=[c[0][0] for c in SPELLINGS])
def test_each_spelling_reads_every_cell_and_is_named_in_the_report(cells, want, words):
    got = _read(cells)
    assert list(got.dates.dt.strftime("%Y-%m-%d")) == want
    assert got.problem.isna().all()
    assert words in got.note


def test_one_file_may_mix_unambiguous_spellings_and_the_note_counts_each():
    got = _read(["2020-03-21", "21 March 2020", "2020-03-22", None])
    assert list(got.dates.dt.strftime("%Y-%m-%d").fillna("")) == [
        "2020-03-21",
        "2020-03-21",
        "2020-03-22",
        "",
    ]
    assert "%Y-%m-%d) for 2 row(s)" in got.note and "21 March 2020 (%d %B %Y) for 1 row(s)" in got.note


@pytest.mark.parametrize(
    ("cells", "kw", "want"),
    [
        # One day above 12 settles the order for the whole column (UCDP 7/5 and 7/13 read alike).
        (["7/5/2021", "7/13/2021"], {}, ["2021-07-05", "2021-07-13"]),
        (["5/7/2021", "13/7/2021"], {}, ["2021-07-05", "2021-07-13"]),
        # Every value fits both: the format's known convention decides (UCDP website: month first).
        (
            ["09/04/2015 00:00:00", "10/05/2015 00:00:00"],
            {"conventions": {"slash-time": "mdy"}},
            ["2015-09-04", "2015-10-05"],
        ),
        # Two-digit years: the year column tells 20-05-19 (2020, year first) from 20-05-19 (2019, day first).
        (["20-05-19", "21-06-19"], {"year": pd.Series([2020, 2021])}, ["2020-05-19", "2021-06-19"]),
        (["20-05-19", "21-06-19"], {"year": pd.Series([2019, 2019])}, ["2019-05-20", "2019-06-21"]),
    ],
)
def test_day_month_order_is_decided_for_the_whole_column(cells, kw, want):
    got = _read(cells, **kw)
    assert list(got.dates.dt.strftime("%Y-%m-%d")) == want


def test_both_orders_fit_and_nothing_decides_refuses_with_both_readings():
    with pytest.raises(AmbiguousDates) as err:
        _read(["09/04/2015", "10/05/2015"])
    msg = str(err.value)
    assert "09/04/2015" in msg and "09 April 2015" in msg and "04 September 2015" in msg
    assert "day first" in msg and "month first" in msg


def test_a_value_read_only_the_other_way_is_rejected_per_row_saying_so():
    got = _read(["13/01/2020", "14/02/2020", "15/03/2020", "01/25/2020"])
    assert got.dates.notna().tolist() == [True, True, True, False]
    assert "month first" in got.problem.iloc[3] and "day first" in got.problem.iloc[3]


def test_unreadable_dates_are_rejected_per_row_listing_the_accepted_formats():
    got = _read(["2020-03-21", "last Tuesday", "2020-13-45"])
    assert pd.isna(got.problem.iloc[0])
    for i in (1, 2):
        assert got.problem.iloc[i].startswith("unparseable date") and ACCEPTED in got.problem.iloc[i]


@pytest.mark.parametrize("cell", ["1024-11-18", "1677-09-21", "2262-04-12", "2300-01-01", "1899-12-31"])
def test_dates_the_app_cannot_draw_are_rejected_with_the_range(cell):
    got = _read(["2020-03-21", cell])
    assert pd.isna(got.dates.iloc[1])
    assert f"{DATE_MIN:%Y-%m-%d} to {DATE_MAX:%Y-%m-%d}" in got.problem.iloc[1]


def test_ucdp_web_download_dates_are_month_first_even_when_every_day_is_small():
    head = "id,type_of_violence,side_a,side_b,latitude,longitude,date_start,date_end,best,low,high"
    body = "\n".join(
        f"{i},1,A,B,37.1,70.1,0{i}/04/2015 00:00:00,0{i}/04/2015 00:00:00,1,1,1" for i in range(1, 4)
    )
    result = read_ucdp(f"{head}\n{body}\n".encode(), dataset="u")
    assert result.rejects.empty, result.rejects.to_string()
    assert sorted(result.events["event_date"].dt.strftime("%Y-%m-%d")) == [
        "2015-01-04",
        "2015-02-04",
        "2015-03-04",
    ]
    assert any("%m/%d/%Y %H:%M:%S" in n for n in result.notes)
