"""Date columns read with formats decided per file and per column, never per row.

A file's date column is read in one spelling (or a few unambiguous ones: a file
may mix ``2020-03-21`` and ``21 March 2020``), chosen from the distinct values of
the whole column:

1. Every candidate format of :data:`FORMATS` is tried on the distinct values.
2. Formats that read a value the same way as another format are alternatives;
   formats that read it *differently* conflict: day-first against month-first
   (``03/04/2020``), or the year at the end against the year at the start
   (``20-05-19``). Within each such group one reading is kept per file: the one
   that reads the most rows; on a tie the one whose years agree with the file's
   ``year`` column; then the format's known convention (UCDP's website writes
   ``09/04/2015 00:00:00`` month first); else the file is refused with a message
   that shows both readings (:class:`AmbiguousDates`).
3. The chosen formats read each value; a value that none reads is rejected per
   row with the list of accepted spellings.

Two-digit years follow Python's POSIX pivot: ``00``–``68`` → 2000–2068,
``69``–``99`` → 1969–1999; the importers then check the result against the
``year`` column. Excel serial day numbers (``43911`` = 2020-03-21, the 1900 date
system, counted from 1899-12-30) are read when every value of the column is one.
Dates outside :data:`DATE_MIN`–:data:`DATE_MAX` are rejected per row: the app
draws timelines in nanoseconds (pandas' range is 1677-09-22 to 2262-04-11) and no
event of either dataset is older than 1989.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data.importers.common import NotCSVError, tidy_categories

#: The range of event dates accepted (inclusive); others are rejected per row.
DATE_MIN = pd.Timestamp("1900-01-01")
DATE_MAX = pd.Timestamp("2100-12-31")
#: Distinct values tried against every candidate; beyond it an even sample is used to choose.
FIT_SAMPLE = 20_000
#: Values of each distinct shape (``99-aaa-99``) tried first to rule formats out cheaply.
PROBE_PER_SHAPE = 40
#: Excel's serial day 0 in the 1900 date system (serial 60, the fictitious 1900-02-29, is not a date).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


@dataclass(frozen=True)
class DateFormat:
    """One accepted spelling of a date.

    ``group`` names formats that can read one text two different ways (day/month
    order, year position); within a group only one ``order`` is used per file.
    """

    code: str  # strptime format, or "excel" for serial day numbers
    example: str
    group: str = ""
    order: str = ""

    @property
    def label(self) -> str:
        return (
            f"{self.example} ({self.code})"
            if self.code != "excel"
            else f"{self.example} (Excel serial day number)"
        )


def _f(code: str, example: str, group: str = "", order: str = "") -> DateFormat:
    return DateFormat(code, example, group, order)


#: Every spelling accepted, most common first (the order breaks remaining ties).
FORMATS: tuple[DateFormat, ...] = (
    _f("%Y-%m-%d", "2020-03-21"),
    _f("%Y-%m-%d %H:%M:%S", "2020-03-21 00:00:00"),
    _f("%Y-%m-%d %H:%M:%S.%f", "2020-03-21 00:00:00.000"),
    _f("%Y-%m-%dT%H:%M:%S", "2020-03-21T00:00:00"),
    _f("%Y-%m-%dT%H:%M:%SZ", "2020-03-21T00:00:00Z"),
    _f("%Y-%m-%dT%H:%M:%S.%f", "2020-03-21T00:00:00.000"),
    _f("%Y/%m/%d", "2020/03/21"),
    _f("%d %B %Y", "21 March 2020"),
    _f("%d-%B-%Y", "21-March-2020"),
    _f("%d %b %Y", "21 Mar 2020"),
    _f("%d-%b-%Y", "03-Feb-2018"),
    _f("%B %d, %Y", "March 21, 2020"),
    _f("%d-%b-%y", "9-May-20"),
    _f("%d %b %y", "9 May 20"),
    _f("%d/%m/%Y", "31/12/2019", "slash", "dmy"),
    _f("%m/%d/%Y", "12/31/2019", "slash", "mdy"),
    _f("%d/%m/%Y %H:%M:%S", "31/12/2019 00:00:00", "slash-time", "dmy"),
    _f("%m/%d/%Y %H:%M:%S", "12/31/2019 00:00:00", "slash-time", "mdy"),
    _f("%d/%m/%Y %H:%M", "31/12/2019 00:00", "slash-hm", "dmy"),
    _f("%m/%d/%Y %H:%M", "12/31/2019 00:00", "slash-hm", "mdy"),
    _f("%d/%m/%y", "31/12/19", "slash-yy", "dmy"),
    _f("%m/%d/%y", "12/31/19", "slash-yy", "mdy"),
    _f("%d-%m-%Y", "31-12-2019", "dash", "dmy"),
    _f("%m-%d-%Y", "12-31-2019", "dash", "mdy"),
    _f("%d-%m-%y", "31-12-19", "dash-yy", "dmy"),
    _f("%m-%d-%y", "12-31-19", "dash-yy", "mdy"),
    _f("%y-%m-%d", "19-12-31", "dash-yy", "ymd"),
    _f("%d.%m.%Y", "31.12.2019", "dot", "dmy"),
    _f("%d.%m.%y", "31.12.19", "dot-yy", "dmy"),
    _f("excel", "43911"),
)
ACCEPTED = ", ".join(f.example for f in FORMATS)
_ORDER_WORDS = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}


class AmbiguousDates(NotCSVError):
    """Every date of a column reads both day-first and month-first, and nothing says which."""


@dataclass
class ParsedDates:
    """A date column read with the formats chosen for the file.

    ``dates`` is ``datetime64[us]`` (NaT where missing or rejected), ``problem``
    the reason per rejected row (``None`` elsewhere), ``note`` the sentence for
    the import report naming the formats used.
    """

    dates: pd.Series
    problem: pd.Series
    note: str
    formats: tuple[DateFormat, ...] = ()


def _parse(values: pd.Series, fmt: DateFormat) -> pd.Series:
    """Read text ``values`` with one format (NaT where it does not fit)."""
    if fmt.code == "excel":
        ok = values.str.fullmatch(r"\d{1,6}(?:\.\d+)?").fillna(False).astype(bool)
        num = pd.to_numeric(values.where(ok), errors="coerce")
        num = num.where(num != 60)  # Excel's 1900-02-29 does not exist
        days = np.floor(num.to_numpy(dtype="float64"))
        out = EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
        return pd.Series(out, index=values.index).astype("datetime64[us]")
    parsed = pd.to_datetime(values, format=fmt.code, errors="coerce")
    return parsed.astype("datetime64[us]").dt.floor("D")


def _sample(values: pd.Series) -> pd.Series:
    if len(values) <= FIT_SAMPLE:
        return values
    step = len(values) / FIT_SAMPLE
    return values.iloc[(np.arange(FIT_SAMPLE) * step).astype(np.int64)]


def _choose(
    uniques: pd.Series,
    weights: np.ndarray,
    year_agree,
    conventions: dict[str, str],
    column: str,
) -> list[DateFormat]:
    """The formats that read this column (see the module docstring for the rules)."""
    # Probe with a few values of each shape (digits → 9, letters → a) before parsing them all:
    # most formats fit no shape of the column and are dropped for the cost of a handful of values.
    shapes = uniques.str.replace(r"[0-9]", "9", regex=True).str.replace(r"[^\W\d_]", "a", regex=True)
    probe = uniques[shapes.groupby(shapes, sort=False).cumcount().lt(PROBE_PER_SHAPE).to_numpy()]
    fits: dict[DateFormat, pd.Series] = {}
    for fmt in FORMATS:
        tried = _parse(probe, fmt)
        if not tried.notna().any():
            continue
        parsed = tried if len(probe) == len(uniques) else _parse(uniques, fmt)
        if parsed.notna().any():
            fits[fmt] = parsed
    if not fits:
        return []
    # One order per conflict group: most rows read, then agreement with `year`, then convention.
    excluded: set[DateFormat] = set()
    groups = {f.group for f in fits if f.group}
    for group in sorted(groups):
        members = [f for f in fits if f.group == group]
        if len({f.order for f in members}) < 2:
            continue
        score = {f: float(weights[fits[f].notna().to_numpy()].sum()) for f in members}
        best = max(score.values())
        top = [f for f in members if score[f] == best]
        if len(top) > 1:
            agree = {f: year_agree(fits[f]) for f in top}
            most = max(agree.values())
            top = [f for f in top if agree[f] == most]
        if len(top) > 1 and any(f.order != "ymd" for f in top):
            # A two-digit year first (19-12-31) is no spreadsheet's default; day or month first is.
            top = [f for f in top if f.order != "ymd"]
        if len(top) > 1 and conventions.get(group) in {f.order for f in top}:
            top = [f for f in top if f.order == conventions[group]]
        if len(top) > 1:
            # Show one value that both readings accept, read both ways.
            both = fits[top[0]].notna() & fits[top[1]].notna() & (fits[top[0]] != fits[top[1]])
            sample = uniques[both].iloc[0] if both.any() else uniques.iloc[0]
            i = uniques[uniques == sample].index[0]
            readings = "; ".join(
                f"{_ORDER_WORDS.get(f.order, f.order)} ({f.example}): {fits[f][i]:%d %B %Y}" for f in top
            )
            raise AmbiguousDates(
                f"The dates in column {column} can be read two ways and nothing in the file says which: "
                f"{sample!r} reads as {readings}. Every date in the column fits both. Re-save the dates as "
                f"ISO (2020-03-21) or with the month as a word (21 March 2020) and import again."
            )
        excluded.update(f for f in members if f not in top)
    chosen: list[DateFormat] = []
    left = pd.Series(True, index=uniques.index)
    candidates = [f for f in fits if f not in excluded]
    while left.any() and candidates:
        gain = {f: float(weights[(left & fits[f].notna()).to_numpy()].sum()) for f in candidates}
        f = max(candidates, key=lambda c: (gain[c], -FORMATS.index(c)))
        if gain[f] == 0:
            break
        chosen.append(f)
        left &= fits[f].isna()
        candidates.remove(f)
    return chosen


def read_dates(
    values: pd.Series,
    column: str,
    *,
    year: pd.Series | None = None,
    conventions: dict[str, str] | None = None,
) -> ParsedDates:
    """Read a whole date column with formats decided for the file.

    Parameters
    ----------
    values : Series
        The cells as text (``None``/NA where empty), any index; categorical is fastest.
    column : str
        The column's name in the file (for messages).
    year : Series of Int64, optional
        The file's ``year`` column, aligned with ``values``: breaks ties between readings.
    conventions : dict, optional
        Conflict group → order (``"mdy"``/``"dmy"``) to use when both fit (a format's known convention).

    Returns
    -------
    ParsedDates

    Raises
    ------
    AmbiguousDates
        Every date reads both day-first and month-first and no convention applies.
    """
    cat = tidy_categories(values)
    uniques = pd.Series(cat.cat.categories.astype("str"), dtype="object")
    codes = cat.cat.codes.to_numpy()
    present = codes >= 0
    weights = np.bincount(codes[present], minlength=len(uniques)).astype("float64")
    year_codes = None
    if year is not None:
        year_arr = pd.array(year, dtype="Int64")
        year_codes = (codes, year_arr)

    def year_agree(parsed: pd.Series) -> int:
        if year_codes is None:
            return 0
        c, y = year_codes
        by_value = np.full(len(uniques), np.nan)
        by_value[parsed.index.to_numpy()] = parsed.dt.year.to_numpy(dtype="float64")
        row_year = by_value[np.where(c >= 0, c, 0)]
        ok = (row_year == y.to_numpy(dtype="float64", na_value=np.nan)) & (c >= 0)
        return int(ok.sum())

    chosen: list[DateFormat] = []
    if len(uniques):
        sample = _sample(uniques)
        chosen = _choose(sample, weights[sample.index.to_numpy()], year_agree, conventions or {}, column)
    by_value = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[us]")
    used: dict[DateFormat, int] = {}
    for fmt in chosen:
        todo = by_value.isna()
        if not todo.any():
            break
        parsed = _parse(uniques[todo], fmt)
        hit = parsed.notna()
        by_value.loc[hit[hit].index] = parsed[hit]
        used[fmt] = int(weights[hit[hit].index.to_numpy()].sum())
    problem_by_value = pd.Series(None, index=uniques.index, dtype="object")
    unread = by_value.isna()
    problem_by_value[unread] = f"unparseable date: not in an accepted format ({ACCEPTED})"
    if chosen:
        other = [
            f for f in FORMATS if f not in chosen and f.group and any(f.group == c.group for c in chosen)
        ]
        for f in other:
            alt = _parse(uniques[unread], f)
            hit = alt.notna()
            if hit.any():
                mine = next(c for c in chosen if c.group == f.group)
                problem_by_value[hit[hit].index] = (
                    f"reads only {_ORDER_WORDS.get(f.order, f.order)} ({f.example}), but this file's dates are "
                    f"{_ORDER_WORDS.get(mine.order, mine.order)} ({mine.example})"
                )
    out_of_range = by_value.notna() & ((by_value < DATE_MIN) | (by_value > DATE_MAX))
    problem_by_value[out_of_range] = (
        f"date outside the range Panj Watch accepts ({DATE_MIN:%Y-%m-%d} to {DATE_MAX:%Y-%m-%d})"
    )
    by_value[out_of_range] = pd.NaT
    safe = np.where(present, codes, 0)
    dates = pd.Series(by_value.to_numpy()[safe], index=values.index).where(present)
    dates = dates.astype("datetime64[us]")
    problem = pd.Series(problem_by_value.to_numpy()[safe], index=values.index).where(present, None)
    if used:
        parts = [f"{f.label} for {n:,} row(s)" for f, n in used.items() if n]
        note = f"{column}: dates read as " + "; ".join(parts)
        if any("%y" in f.code for f in used):
            note += " (two-digit years: 00–68 → 2000–2068, 69–99 → 1969–1999, checked against year)"
    elif len(uniques):
        note = f"{column}: no value is a date in an accepted format ({ACCEPTED})"
    else:
        note = ""  # no dates at all: the rows say so themselves
    return ParsedDates(dates, problem, note, tuple(used))


__all__ = ["AmbiguousDates", "DATE_MAX", "DATE_MIN", "FORMATS", "ParsedDates", "read_dates"]
