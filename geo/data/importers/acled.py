"""ACLED CSV exports → Panj Watch events.

Follows the ACLED Codebook (2023 and earlier editions). Column names are
compared in lower case, so the upper-case headers of pre-2019 files work too.

Layouts accepted
================

================================ ==========================================================
layout                           tell-tale columns
================================ ==========================================================
current (2023–, 31 columns)      ``event_id_cnty``, ``disorder_type``, text ``inter1``/``inter2``,
                                 ``civilian_targeting``, ``iso``, ``tags``, ``timestamp``
2019–2022                        ``data_id``, ``event_id_no_cnty``, ``iso3``, numeric ``inter1``/``inter2``
pre-2019                         ``ally_actor_1``/``ally_actor_2`` (read as ``assoc_actor_*``),
                                 ``gwno``, no ``sub_event_type``, old event-type names
Version 5 shapefile table (DBF)  names cut to 10 characters: ``EVENT_ID_C``, ``EVENT_ID_N``,
                                 ``TIME_PRECI``, ``ALLY_ACTOR``, ``GEO_PRECIS`` …
API pull saved with pandas       a leading unnamed index column, columns in any order
================================ ==========================================================

Header names are compared case-insensitively; columns the importer does not
read are ignored, in any number and order. Without ``time_precision`` or
``geo_precision`` the precision is unknown: the coarsest code (3) is stored,
with no uncertainty radius, and the report says so once.

Column mapping
==============

======================= ================================ =============================================
ACLED                   Panj Watch                       rule
======================= ================================ =============================================
event_id_cnty           event_id                         ``"<dataset>:<event_id_cnty>"``; without it
                                                         ``iso3``/``country`` + ``event_id_no_cnty``,
                                                         else ``data_id``
event_date              event_date                       format decided for the whole file
                                                         (:mod:`geo.data.importers.dates`): ISO, ``21 March
                                                         2020``, ``9-May-20``, ``31-12-19``, Excel serials …
year                    year                             must equal the year of ``event_date``; derived
                                                         when the column is absent
time_precision 1/2/3    time_precision 1/2/3             same codes (1 day, 2 within a week, 3 month);
                                                         any other value rejects the row
event_type              event_type, category             see the table below; unknown types reject the row
sub_event_type          sub_event_type                   as is; the original event type when absent (old files)
actor1, actor2          actor1, actor2, actor1_acled,    as is; the same names in the ACLED-name columns
                        actor2_acled                     of the curated events (geo.data.schema.EVENTS)
assoc_actor_1/2         assoc_actor_1/2                  as is (``;``-separated lists); ``ally_actor_*`` in old files
inter1, inter2          inter1, inter2                   numeric codes → labels (table below); text kept
interaction             interaction                      ``17``, ``Political militia-Civilians``,
                                                         ``Protesters only`` → code (lower actor type
                                                         first, one actor ``N0``); absent/empty → from
                                                         inter1/inter2; unreadable or contradicting
                                                         inter1/inter2 → flagged (row kept)
civilian_targeting      civilian_targeting               ``Civilian targeting`` or empty; other → empty,
                                                         flagged; absent → derived (every Violence against
                                                         civilians event; remote violence on Civilians)
country, admin1, admin2 country, admin1, admin2          as is
location                location                         as is
latitude, longitude     latitude, longitude, geometry    decimal degrees (WGS84); missing, non-numeric,
                                                         out of range or exactly 0,0 rejects the row
geo_precision 1/2/3     geo_precision, uncertainty_km    same codes; radius 5 / 25 / 100 km (Panj Watch's
                                                         convention, ACLED publishes no radius)
source                  source                           as is
notes                   notes                            as is
fatalities              fatalities                       whole number 0–1,000,000 (ACLED's one conservative
                                                         figure); ``fatalities_high``/``injured`` are NA
(none)                  source_ids, source_tier          ``()`` and ``"imported"``
(none)                  date_basis, location_basis,      fixed text naming the ACLED code
                        casualty_basis
======================= ================================ =============================================

``NA`` and empty cells are missing values. Other ACLED columns (``disorder_type``,
``iso``, ``region``, ``admin3``, ``source_scale``, ``tags``, ``timestamp``) are not kept.

Event types
===========

=========================================================== =============================== ========
ACLED event_type (current and pre-2019 names)               event_type                      category
=========================================================== =============================== ========
Battles; Battle-No change of territory; Battle-Government   Battles                         clash
regains territory; Battle-Non-state actor overtakes
territory (also the plural "actors overtake")
Violence against civilians                                  Violence against civilians      attack
Explosions/Remote violence; Remote violence                 Explosions/Remote violence      attack
Protests                                                    Protests                        protest
Riots                                                       Riots                           protest
Riots/Protests (pre-2019)                                   Protests                        protest
Strategic developments; Strategic development; Headquarters Strategic developments          other
or base established; Non-violent transfer of territory
=========================================================== =============================== ========

Actor type codes (``inter1``/``inter2``, 2019–2022 exports; declared in ``geo.data.schema.INTER_CODES``)
=================================================================================================

0 no actor (empty) · 1 State forces · 2 Rebel group · 3 Political militia ·
4 Identity militia · 5 Rioters · 6 Protesters · 7 Civilians · 8 External/Other forces
"""

from __future__ import annotations

import pandas as pd

from geo.data.columns import IMPORTED_TIER
from geo.data.importers.acled_codes import (
    EVENT_TYPES,
    INTER_CODES,
    _civilian_targeting,
    _interaction,
    _text,
    _type_key,
)
from geo.data.importers.common import (
    MAX_COUNT,
    ImportResult,
    Progress,
    Rejects,
    Source,
    tidy_categories,
    to_float,
    to_int,
)
from geo.data.importers.dates import read_dates
from geo.data.importers.readloop import Layout, read_events
from geo.data.schema import GEO_PRECISION, TIME_PRECISION

FORMAT = "acled"
LABEL = "ACLED"

ALIASES = {
    "ally_actor_1": "assoc_actor_1",
    "ally_actor_2": "assoc_actor_2",
    # Version 5 shapefile tables: DBF names of 10 characters, the second ally made unique by ArcGIS.
    "ally_actor": "assoc_actor_1",
    "ally_act_1": "assoc_actor_2",
    "ally_acto1": "assoc_actor_2",
    "ally_act_2": "assoc_actor_2",
    "event_id": "event_id_cnty",
}
REQUIRED = ("event_date", "event_type", "actor1", "latitude", "longitude", "fatalities")
ID_COLUMNS = ("event_id_cnty", "event_id_no_cnty", "data_id")
#: Every column name ACLED has used (current, 2019–2022, pre-2019), for DBF-truncated names.
KNOWN = (
    "event_id_cnty",
    "event_id_no_cnty",
    "data_id",
    "iso",
    "iso3",
    "gwno",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
READS = (
    "event_id_cnty",
    "event_id_no_cnty",
    "data_id",
    "iso3",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "inter1",
    "inter2",
    "interaction",
    "civilian_targeting",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
#: Columns that only a UCDP GED file has (to say "wrong format" instead of "not CSV").
UCDP_TELL = ("where_prec", "side_a", "side_b", "type_of_violence")


#: geo_precision → radius of the coded point, km (Panj Watch's convention).
UNCERTAINTY_KM = {1: 5.0, 2: 25.0, 3: 100.0}
#: Code stored when the file has no precision column: the coarsest, so nothing claims more than is known.
UNKNOWN_PRECISION = 3
DATE_BASIS = {p: f"ACLED time_precision {p}: {TIME_PRECISION[p]}" for p in TIME_PRECISION}
LOCATION_BASIS = {
    p: f"ACLED geo_precision {p}: {GEO_PRECISION[p]}; ±{UNCERTAINTY_KM[p]:g} km is Panj Watch's radius for this code"
    for p in GEO_PRECISION
}
NO_TIME_PRECISION = "ACLED time_precision not in the file: date precision unknown (stored as 3, month)"
NO_GEO_PRECISION = (
    "ACLED geo_precision not in the file: location precision unknown (stored as 3); no radius drawn"
)
CASUALTY_BASIS = "ACLED fatalities: ACLED's single conservative figure; injuries are not coded by ACLED"


def _event_ids(df: pd.DataFrame, dataset: str) -> pd.Series:
    ids = pd.Series(pd.NA, index=df.index, dtype="string")
    if "event_id_cnty" in df:
        ids = df["event_id_cnty"].astype("string").str.strip()
    if "event_id_no_cnty" in df:
        prefix = (
            df["iso3"]
            if "iso3" in df
            else df["country"]
            if "country" in df
            else pd.Series("", index=df.index)
        )
        alt = (
            prefix.astype("string").str.strip().fillna("")
            + df["event_id_no_cnty"].astype("string").str.strip()
        )
        ids = ids.fillna(alt)
    if "data_id" in df:
        ids = ids.fillna("data" + df["data_id"].astype("string").str.strip())
    ids = ids.replace("", pd.NA)
    return (dataset + ":" + ids).astype("string")


def _precision(df, col, rejects, codes) -> pd.Series:
    if col not in df:
        return pd.Series(UNKNOWN_PRECISION, index=df.index, dtype="Int64")
    val, bad = to_int(df[col])
    unknown = bad | ~val.isin(list(codes)).fillna(False)
    rejects.add(
        df.index[unknown].to_numpy(), col, df[col][unknown], "unknown precision code (ACLED uses 1, 2, 3)"
    )
    return val.where(~unknown)


def normalise(df: pd.DataFrame, rejects: Rejects, flags: Rejects, dataset: str) -> pd.DataFrame:
    """One block of an ACLED export (text cells, canonical column names) → event columns.

    Rows that fail a check are recorded in ``rejects`` (by the block's index,
    which is the position among all good records) and still returned; the caller
    drops them. The date text and the file's year are kept aside (``_event_date``,
    ``_year``) for :func:`finalise`, which reads every date of the file at once.
    """
    out = pd.DataFrame(index=df.index)
    out["event_id"] = _event_ids(df, dataset)
    missing_id = out["event_id"].isna()
    rejects.add(df.index[missing_id].to_numpy(), "event_id_cnty", None, "missing event id")

    out["_event_date"] = tidy_categories(df["event_date"])
    no_date = out["_event_date"].isna()
    rejects.add(df.index[no_date].to_numpy(), "event_date", None, "missing date")
    if "year" in df:
        year, bad_year = to_int(df["year"], 1000, 9999)
        rejects.add(
            df.index[bad_year].to_numpy(), "year", df["year"][bad_year], "not a year (a whole number)"
        )
        out["_year"] = year
    out["date_end"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[us]")

    tp = _precision(df, "time_precision", rejects, TIME_PRECISION)
    out["time_precision"] = tp
    basis = tp.map(DATE_BASIS).astype("str")
    out["date_basis"] = basis if "time_precision" in df else NO_TIME_PRECISION

    raw_type = tidy_categories(df["event_type"])
    key = tidy_categories(raw_type, _type_key)
    mapped = key.map({k: v[0] for k, v in EVENT_TYPES.items()}).astype(object)
    unknown_type = mapped.isna()
    rejects.add(
        df.index[unknown_type].to_numpy(),
        "event_type",
        raw_type[unknown_type],
        "unknown ACLED event_type (" + ", ".join(sorted({v[0] for v in EVENT_TYPES.values()})) + ")",
    )
    out["category"] = key.map({k: v[1] for k, v in EVENT_TYPES.items()}).astype(object).astype("str")
    out["event_type"] = mapped.astype("str")
    sub = _text(df, "sub_event_type")
    out["sub_event_type"] = sub.where(sub != "", raw_type.astype(object).fillna("").astype("str"))

    out["actor1"] = _text(df, "actor1")
    out["assoc_actor_1"] = _text(df, "assoc_actor_1")
    out["actor2"] = _text(df, "actor2")
    out["assoc_actor_2"] = _text(df, "assoc_actor_2")
    # ACLED's own names: the file's actor1/actor2 are already in ACLED's form.
    out["actor1_acled"] = out["actor1"]
    out["actor2_acled"] = out["actor2"]
    for col in ("inter1", "inter2"):
        raw = _text(df, col)
        out[col] = raw.map(INTER_CODES).fillna(raw).astype("str")
    out["interaction"] = _interaction(df, out["inter1"], out["inter2"], flags)
    out["civilian_targeting"] = _civilian_targeting(df, out["event_type"], out["inter2"], flags)
    out["country"] = _text(df, "country")
    out["admin1"] = _text(df, "admin1")
    out["admin2"] = _text(df, "admin2")
    out["location"] = _text(df, "location")

    lat, bad_lat = to_float(df["latitude"])
    lon, bad_lon = to_float(df["longitude"])
    missing = lat.isna() & ~bad_lat | lon.isna() & ~bad_lon
    bad_lat |= lat.notna() & ~lat.between(-90, 90)
    bad_lon |= lon.notna() & ~lon.between(-180, 180)
    null_island = (lat == 0) & (lon == 0)
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
    rejects.add(df.index[null_island].to_numpy(), "latitude", None, "bad coordinates: 0,0 is not a place")
    out["latitude"] = lat.where(~bad_lat).round(6)
    out["longitude"] = lon.where(~bad_lon).round(6)

    gp = _precision(df, "geo_precision", rejects, GEO_PRECISION)
    out["geo_precision"] = gp
    if "geo_precision" in df:
        out["uncertainty_km"] = gp.map(UNCERTAINTY_KM).astype("Float64")
        out["location_basis"] = gp.map(LOCATION_BASIS).astype("str")
    else:
        out["uncertainty_km"] = pd.Series(pd.NA, index=df.index, dtype="Float64")
        out["location_basis"] = NO_GEO_PRECISION
    out["place_id"] = ""

    out["source"] = _text(df, "source")
    out["source_tier"] = IMPORTED_TIER
    out["notes"] = _text(df, "notes")
    fat, bad_fat = to_int(df["fatalities"], 0, MAX_COUNT)
    rejects.add(
        df.index[bad_fat].to_numpy(),
        "fatalities",
        df["fatalities"][bad_fat],
        f"fatalities must be a whole number from 0 to {MAX_COUNT:,}",
    )
    out["fatalities"] = fat
    na_int = pd.Series(pd.NA, index=df.index, dtype="Int64")
    out["fatalities_high"] = na_int
    out["injured"] = na_int
    out["injured_high"] = na_int
    out["fatalities_best"] = na_int
    out["casualty_basis"] = CASUALTY_BASIS
    out["dataset"] = dataset
    return out


def finalise(
    events: pd.DataFrame, side: pd.DataFrame, rejects: Rejects, flags: Rejects, notes: list
) -> pd.DataFrame:
    """Read every event date of the file with one decision on the format; check ``year``."""
    year = side["_year"] if "_year" in side else None
    parsed = read_dates(side["_event_date"], "event_date", year=year)
    notes.append(parsed.note)
    bad = parsed.problem.notna().to_numpy()
    rejects.add(
        events.index[bad].to_numpy(),
        "event_date",
        side["_event_date"][bad].astype("string"),
        parsed.problem[bad],
    )
    events["event_date"] = parsed.dates.to_numpy()
    from_date = parsed.dates.dt.year.astype("Int64")
    if year is not None:
        wrong = (year.notna() & from_date.notna() & (year != from_date)).fillna(False).to_numpy()
        if wrong.any():
            two_digit = any("%y" in f.code for f in parsed.formats)
            hint = " (two-digit years: 00–68 → 2000s, 69–99 → 1900s)" if two_digit else ""
            rejects.add(
                events.index[wrong].to_numpy(),
                "year",
                year[wrong].astype("string"),
                "does not match the year of event_date (" + from_date[wrong].astype("string") + ")" + hint,
            )
    events["year"] = from_date.to_numpy()
    return events


def column_notes(columns: set) -> list[str]:
    """Sentences for the report about optional columns the file lacks (said once, not per row)."""
    out = []
    if "time_precision" not in columns:
        out.append(
            "time_precision is not in the file: date precision unknown, stored as 3 (month) for every row"
        )
    if "geo_precision" not in columns:
        out.append(
            "geo_precision is not in the file: location precision unknown, stored as 3 with no "
            "uncertainty radius (none is drawn)"
        )
    if "year" not in columns:
        out.append("year is not in the file: taken from event_date")
    if "interaction" not in columns:
        out.append(
            "interaction is not in the file: derived from inter1/inter2 (ACLED's two codes, lower first)"
        )
    if "civilian_targeting" not in columns:
        out.append(
            "civilian_targeting is not in the file (an older layout): derived as ACLED codes it, "
            "for every Violence against civilians event and for explosions/remote violence against civilians"
        )
    return out


LAYOUT = Layout(
    fmt=FORMAT,
    label=LABEL,
    aliases=ALIASES,
    known=KNOWN,
    required=REQUIRED,
    any_of=(ID_COLUMNS,),
    other_formats={"UCDP GED": UCDP_TELL},
    reads=READS,
    normalise=normalise,
    finalise=finalise,
    column_notes=column_notes,
)


def read_acled(
    source: Source,
    dataset: str = "acled",
    progress: Progress | None = None,
    *,
    sheet: str | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Read an ACLED export (any layout above; CSV, ``.xlsx`` or ``.zip``) into normalised events.

    Parameters
    ----------
    source : path, bytes or binary stream
        The export (UTF-8 or UTF-16 CSV, an Excel workbook, or a ZIP holding one of them).
    dataset : str
        Store label; prefixes every ``event_id``.
    progress : callable, optional
        ``progress(fraction, stage)`` while reading.
    sheet : str, optional
        Workbook sheet (default: the first).
    max_bytes : int, optional
        Limit on the uncompressed data of a workbook or archive.

    Returns
    -------
    ImportResult
        Good rows as events (EPSG:4326, not yet enriched), the rejection report and notes.

    Raises
    ------
    geo.data.importers.common.NotCSVError
        When the file is not an ACLED export at all.
    """
    return read_events(source, LAYOUT, dataset=dataset, progress=progress, sheet=sheet, max_bytes=max_bytes)


__all__ = ["read_acled", "normalise", "finalise", "LAYOUT"]
