"""UCDP Georeferenced Event Dataset (GED) CSV → Panj Watch events.

Follows the UCDP GED Codebook (versions 17.1 to 24.1; the ``*_est`` death
columns of older releases are read as ``best``/``low``/``high``).

Column mapping
==============

===================== ============================== ==================================================
UCDP GED              Panj Watch                     rule
===================== ============================== ==================================================
id                    event_id                       ``"<dataset>:<id>"``
date_start, date_end  event_date, date_end           format decided for the whole file (ISO in the
                                                     releases; ``09/04/2015 00:00:00``, month first,
                                                     in the website's download); a time part is
                                                     ignored; ``date_end`` kept when later
date_prec             time_precision, date_basis     table below; any other code rejects the row
type_of_violence      event_type, sub_event_type,    1 state-based → Battles / clash; 2 non-state →
                      category                       Battles / clash; 3 one-sided → Violence against
                                                     civilians / attack; other codes reject the row
side_a, side_b        actor1, actor2                 as is (``assoc_actor_*`` empty)
country               country                        as is
adm_1, adm_2          admin1, admin2                 a trailing " province" / " district" is dropped
                                                     so names compare with the province shapes
where_coordinates     location                       ``where_description`` when empty
latitude, longitude   latitude, longitude, geometry  as for ACLED: missing, non-numeric, out of range
                                                     or 0,0 rejects the row
where_prec            geo_precision, uncertainty_km  table below; any other code rejects the row
low, best, high       fatalities, fatalities_best,   whole numbers 0–1,000,000. Out of order (best >
                      fatalities_high                high, low > best: published candidate releases
                                                     have them) → kept as published and flagged.
                                                     ``fatalities`` is the LOW estimate, following
                                                     ACLED's rule of the lowest reported figure;
                                                     ``best`` is kept in ``fatalities_best``
source_office         source                         ``source_original`` when empty
dyad_name, source_    notes                          "dyad. headline"
headline
===================== ============================== ==================================================

Precision codes
===============

========== ============================================== ============== ===============
where_prec UCDP meaning                                   geo_precision  uncertainty_km
========== ============================================== ============== ===============
1          exact location                                 1              1
2          within about 25 km of a known point            2              25
3          second-order administrative division (ADM2)    2              25
4          first-order administrative division (ADM1)     3              100
5          linear feature or an area not an ADM unit       3              150
6          country only                                   3              400
7          international waters or airspace               3              400
========== ============================================== ============== ===============

Radii other than UCDP's own 25 km are Panj Watch's convention (the size of a
typical district, province and country of the region).

========= =============================================== ==============
date_prec UCDP meaning                                    time_precision
========= =============================================== ==============
1         exact date                                      1
2         within 2–6 days                                 2
3         only the week is known                          2
4         within 8–30 days, or only the month is known    3
5         within a period longer than a month             3
========= =============================================== ==============

Empty cells (and ``NA``) are missing values.

Layouts: the GED release CSV (17.1–24.1), candidate releases, the website's
``gedevents-<date>.csv`` download (a trailing comma on every line, month-first
dates with a time), and column subsets. A subset without ``where_prec`` stores
geo_precision 3 with no uncertainty radius (none is drawn); without
``date_prec`` the precision follows the span ``date_start``–``date_end`` as the
codebook defines ``date_prec`` (same day → 1, up to 6 days → 2, longer → 3;
no ``date_end`` → 3); without ``low``/``high`` those estimates are NA and
``fatalities`` is ``best``. The report says so once.
"""

from __future__ import annotations

import pandas as pd

from geo.data.columns import IMPORTED_TIER
from geo.data.importers.common import (
    MAX_COUNT,
    ImportResult,
    Progress,
    Rejects,
    Source,
    clean_text,
    tidy_categories,
    to_float,
    to_int,
)
from geo.data.importers.dates import read_dates
from geo.data.importers.readloop import Layout, read_events

FORMAT = "ucdp"
LABEL = "UCDP GED"

ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high"}
REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "latitude", "longitude", "date_start", "best")
KNOWN = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "gwnoa",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "gwnob",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)
READS = (
    "id",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "source_office",
    "source_original",
    "source_headline",
    "dyad_name",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "high",
    "low",
)
ACLED_TELL = ("event_date", "event_type", "actor1")
#: UCDP's website writes dates month first (``09/04/2015 00:00:00`` is 4 September 2015).
DATE_CONVENTIONS = {"slash-time": "mdy", "slash-hm": "mdy"}

#: type_of_violence → (event_type, sub_event_type, category).
VIOLENCE_TYPES = {
    1: ("Battles", "State-based conflict (UCDP)", "clash"),
    2: ("Battles", "Non-state conflict (UCDP)", "clash"),
    3: ("Violence against civilians", "One-sided violence (UCDP)", "attack"),
}
#: where_prec → (geo_precision, uncertainty_km, meaning).
WHERE_PREC = {
    1: (1, 1.0, "exact location"),
    2: (2, 25.0, "within about 25 km of a known point"),
    3: (2, 25.0, "second-order administrative division (district)"),
    4: (3, 100.0, "first-order administrative division (province)"),
    5: (3, 150.0, "linear feature or an area that is not an administrative unit"),
    6: (3, 400.0, "country only"),
    7: (3, 400.0, "international waters or airspace"),
}
#: date_prec → (time_precision, meaning).
DATE_PREC = {
    1: (1, "exact date"),
    2: (2, "within 2–6 days"),
    3: (2, "only the week is known"),
    4: (3, "within 8–30 days, or only the month is known"),
    5: (3, "within a period longer than a month"),
}
#: Stored when the file has no where_prec: the coarsest code, and no radius.
UNKNOWN_GEO_PRECISION = 3
NO_WHERE_PREC = "UCDP where_prec not in the file: location precision unknown (stored as 3); no radius drawn"
CASUALTY_BASIS = (
    "UCDP GED deaths: low–high estimates shown, the low one first (ACLED's rule of the lowest "
    "reported figure); UCDP's best estimate is in fatalities_best; injuries are not coded by UCDP"
)


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    return clean_text(df[col]) if col in df else pd.Series("", index=df.index, dtype="str")


def _drop_suffix(s: pd.Series, pattern: str) -> pd.Series:
    """``s`` without a trailing ``pattern`` (any case), computed once per distinct value.

    A GED file names a few thousand provinces and districts over hundreds of
    thousands of rows: a regular expression per row cost ~1 s per 100k rows.
    """
    codes, uniques = pd.factorize(s)
    done = pd.Series(uniques, dtype="str").str.replace(pattern, "", case=False, regex=True)
    return pd.Series(done.to_numpy(dtype=object)[codes], index=s.index).astype("str")


def _code(df: pd.DataFrame, col: str, known, rejects: Rejects, what: str) -> pd.Series:
    val, bad = to_int(df[col])
    unknown = bad | ~val.isin(list(known)).fillna(False)
    rejects.add(df.index[unknown].to_numpy(), col, df[col][unknown], what)
    return val.where(~unknown)


def _raw_date(df: pd.DataFrame, col: str) -> pd.Series:
    if col not in df:
        return pd.Series(pd.NA, index=df.index, dtype="string").astype("category")
    return tidy_categories(df[col])


def normalise(df: pd.DataFrame, rejects: Rejects, flags: Rejects, dataset: str) -> pd.DataFrame:
    """One block of a UCDP GED export → event columns (rejections recorded by position).

    Date text is kept aside (``_date_start``, ``_date_end``) for :func:`finalise`.
    """
    out = pd.DataFrame(index=df.index)
    ids = df["id"].astype("string").str.strip().replace("", pd.NA)
    rejects.add(df.index[ids.isna()].to_numpy(), "id", None, "missing event id")
    out["event_id"] = (dataset + ":" + ids).astype("string")

    out["_date_start"] = _raw_date(df, "date_start")
    out["_date_end"] = _raw_date(df, "date_end")
    rejects.add(df.index[out["_date_start"].isna()].to_numpy(), "date_start", None, "missing date")
    if "year" in df:
        out["_year"] = to_int(df["year"], 1000, 9999)[0]
    if "date_prec" in df:
        dp = _code(df, "date_prec", DATE_PREC, rejects, "unknown precision code (UCDP date_prec is 1–5)")
        out["_date_prec"] = dp

    tv = _code(
        df, "type_of_violence", VIOLENCE_TYPES, rejects, "unknown type_of_violence code (UCDP uses 1, 2, 3)"
    )
    out["category"] = tv.map({k: v[2] for k, v in VIOLENCE_TYPES.items()}).astype("str")
    out["event_type"] = tv.map({k: v[0] for k, v in VIOLENCE_TYPES.items()}).astype("str")
    out["sub_event_type"] = tv.map({k: v[1] for k, v in VIOLENCE_TYPES.items()}).astype("str")

    out["actor1"] = _text(df, "side_a")
    out["assoc_actor_1"] = ""
    out["actor2"] = _text(df, "side_b")
    out["assoc_actor_2"] = ""
    # ACLED's coding (actor types, ACLED names, interaction, civilian targeting) has no UCDP
    # counterpart: missing, not empty (empty would say "ACLED coded no second actor").
    na_text = pd.Series(pd.NA, index=df.index, dtype="string")
    for col in ("actor1_acled", "actor2_acled", "inter1", "inter2", "civilian_targeting"):
        out[col] = na_text
    out["interaction"] = pd.Series(pd.NA, index=df.index, dtype="Int64")
    out["country"] = _text(df, "country")
    out["admin1"] = _drop_suffix(_text(df, "adm_1"), r"\s+province$")
    out["admin2"] = _drop_suffix(_text(df, "adm_2"), r"\s+district$")
    loc = _text(df, "where_coordinates")
    out["location"] = loc.where(loc != "", _text(df, "where_description"))

    lat, bad_lat = to_float(df["latitude"])
    lon, bad_lon = to_float(df["longitude"])
    missing = lat.isna() & ~bad_lat | lon.isna() & ~bad_lon
    bad_lat |= lat.notna() & ~lat.between(-90, 90)
    bad_lon |= lon.notna() & ~lon.between(-180, 180)
    rejects.add(
        df.index[bad_lat].to_numpy(),
        "latitude",
        df["latitude"][bad_lat],
        "bad coordinates: latitude must be a number from -90 to 90",
    )
    rejects.add(
        df.index[bad_lon].to_numpy(),
        "longitude",
        df["longitude"][bad_lon],
        "bad coordinates: longitude must be a number from -180 to 180",
    )
    rejects.add(df.index[missing].to_numpy(), "latitude", None, "bad coordinates: missing")
    rejects.add(
        df.index[(lat == 0) & (lon == 0)].to_numpy(), "latitude", None, "bad coordinates: 0,0 is not a place"
    )
    out["latitude"] = lat.where(~bad_lat).round(6)
    out["longitude"] = lon.where(~bad_lon).round(6)

    if "where_prec" in df:
        wp = _code(df, "where_prec", WHERE_PREC, rejects, "unknown precision code (UCDP where_prec is 1–7)")
        out["geo_precision"] = wp.map({k: v[0] for k, v in WHERE_PREC.items()}).astype("Int64")
        out["uncertainty_km"] = wp.map({k: v[1] for k, v in WHERE_PREC.items()}).astype("Float64")
        out["location_basis"] = (
            "UCDP where_prec "
            + wp.astype("string")
            + ": "
            + wp.map({k: v[2] for k, v in WHERE_PREC.items()}).astype("string")
            + "; ±"
            + out["uncertainty_km"].astype("string")
            + " km"
        ).astype("str")
    else:
        out["geo_precision"] = pd.Series(UNKNOWN_GEO_PRECISION, index=df.index, dtype="Int64")
        out["uncertainty_km"] = pd.Series(pd.NA, index=df.index, dtype="Float64")
        out["location_basis"] = NO_WHERE_PREC
    out["place_id"] = ""

    src = _text(df, "source_office")
    out["source"] = src.where(src != "", _text(df, "source_original"))
    out["source_tier"] = IMPORTED_TIER
    dyad, head = _text(df, "dyad_name"), _text(df, "source_headline")
    out["notes"] = (dyad + ". " + head).str.strip(" .")

    deaths = {}
    for col in ("low", "best", "high"):
        if col not in df:
            deaths[col] = pd.Series(pd.NA, index=df.index, dtype="Int64")
            continue
        val, bad = to_int(df[col], 0, MAX_COUNT)
        bad |= val.isna()
        rejects.add(
            df.index[bad].to_numpy(),
            col,
            df[col][bad],
            f"deaths must be a whole number from 0 to {MAX_COUNT:,}",
        )
        deaths[col] = val.where(~bad)
    low, best, high = deaths["low"], deaths["best"], deaths["high"]
    for a, b in (("low", "best"), ("best", "high"), ("low", "high")):
        wrong = (deaths[a] > deaths[b]).fillna(False)
        if wrong.any():
            text = (
                "kept as published, flagged: estimates out of order, "
                + a
                + " "
                + deaths[a][wrong].astype("string")
                + " > "
                + b
                + " "
                + deaths[b][wrong].astype("string")
            )
            flags.add(df.index[wrong].to_numpy(), b, df[b][wrong], text)
    out["fatalities"] = low.fillna(best) if "low" not in df else low
    out["fatalities_high"] = high
    out["fatalities_best"] = best
    na_int = pd.Series(pd.NA, index=df.index, dtype="Int64")
    out["injured"] = na_int
    out["injured_high"] = na_int
    out["casualty_basis"] = CASUALTY_BASIS
    out["dataset"] = dataset
    return out


def _span_precision(start: pd.Series, end: pd.Series) -> pd.Series:
    """Time precision from the span of the dates, as the codebook defines date_prec (no end → 3)."""
    days = (end - start).dt.days
    tp = pd.Series(3, index=start.index, dtype="Int64")
    tp[(days == 0).fillna(False)] = 1
    tp[((days >= 1) & (days <= 6)).fillna(False)] = 2
    return tp


def finalise(
    events: pd.DataFrame, side: pd.DataFrame, rejects: Rejects, flags: Rejects, notes: list
) -> pd.DataFrame:
    """Read the dates of the whole file with one decision on the format; set the time precision."""
    year = side["_year"] if "_year" in side else None
    start = read_dates(side["_date_start"], "date_start", year=year, conventions=DATE_CONVENTIONS)
    notes.append(start.note)
    bad = start.problem.notna().to_numpy()
    rejects.add(
        events.index[bad].to_numpy(),
        "date_start",
        side["_date_start"][bad].astype("string"),
        start.problem[bad],
    )
    end = read_dates(side["_date_end"], "date_end", year=None, conventions=DATE_CONVENTIONS)
    if side["_date_end"].notna().any() and end.formats != start.formats:
        notes.append(end.note)
    bad_end = end.problem.notna().to_numpy()
    rejects.add(
        events.index[bad_end].to_numpy(),
        "date_end",
        side["_date_end"][bad_end].astype("string"),
        end.problem[bad_end],
    )
    s, e = start.dates, end.dates
    before = (e < s).fillna(False).to_numpy()
    rejects.add(
        events.index[before].to_numpy(),
        "date_end",
        side["_date_end"][before].astype("string"),
        "date_end is before date_start",
    )
    events["event_date"] = s.to_numpy()
    events["date_end"] = e.where(e > s).to_numpy()
    events["year"] = s.dt.year.astype("Int64").to_numpy()
    if "_date_prec" in side:
        dp = side["_date_prec"]
        events["time_precision"] = dp.map({k: v[0] for k, v in DATE_PREC.items()}).astype("Int64").to_numpy()
        events["date_basis"] = (
            (
                "UCDP date_prec "
                + dp.astype("string")
                + ": "
                + dp.map({k: v[1] for k, v in DATE_PREC.items()}).astype("string")
            )
            .astype("str")
            .to_numpy()
        )
    else:
        events["time_precision"] = _span_precision(s, e).to_numpy()
        events["date_basis"] = (
            "UCDP date_prec not in the file: precision from the span date_start–date_end "
            "(same day → exact, up to 6 days → within a week, longer or no end → month)"
        )
    return events


def column_notes(columns: set) -> list[str]:
    """Sentences for the report about optional columns the file lacks (said once, not per row)."""
    out = []
    if "where_prec" not in columns:
        out.append(
            "where_prec is not in the file: location precision unknown, stored as geo_precision 3 with "
            "no uncertainty radius (none is drawn)"
        )
    if "date_prec" not in columns:
        out.append(
            "date_prec is not in the file: time precision taken from the span date_start–date_end "
            "(same day → 1, up to 6 days → 2, longer or no date_end → 3), as the UCDP codebook defines it"
        )
    if "low" not in columns or "high" not in columns:
        lacking = " and ".join(c for c in ("low", "high") if c not in columns)
        out.append(
            f"{lacking} not in the file: those estimates are empty"
            + ("; fatalities is the best estimate" if "low" not in columns else "")
        )
    return out


LAYOUT = Layout(
    fmt=FORMAT,
    label=LABEL,
    aliases=ALIASES,
    known=KNOWN,
    required=REQUIRED,
    any_of=(),
    other_formats={"ACLED": ACLED_TELL},
    reads=READS,
    normalise=normalise,
    finalise=finalise,
    column_notes=column_notes,
)


def read_ucdp(
    source: Source,
    dataset: str = "ucdp",
    progress: Progress | None = None,
    *,
    sheet: str | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Read a UCDP GED export (CSV, ``.xlsx`` or ``.zip``) into normalised events (see the module tables).

    Raises
    ------
    geo.data.importers.common.NotCSVError
        When the file is not a UCDP GED export at all.
    """
    return read_events(source, LAYOUT, dataset=dataset, progress=progress, sheet=sheet, max_bytes=max_bytes)
