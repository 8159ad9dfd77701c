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
================================ ==========================================================

Column mapping
==============

======================= ================================ =============================================
ACLED                   Panj Watch                       rule
======================= ================================ =============================================
event_id_cnty           event_id                         ``"<dataset>:<event_id_cnty>"``; without it
                                                         ``iso3``/``country`` + ``event_id_no_cnty``,
                                                         else ``data_id``
event_date              event_date                       ISO ``2020-03-21``, ``21 March 2020``,
                                                         ``21-March-2020``, ``21 Mar 2020``, ``2020/03/21``
year                    year                             must equal the year of ``event_date``; derived
                                                         when the column is absent
time_precision 1/2/3    time_precision 1/2/3             same codes (1 day, 2 within a week, 3 month);
                                                         any other value rejects the row
event_type              event_type, category             see the table below; unknown types reject the row
sub_event_type          sub_event_type                   as is; the original event type when absent (old files)
actor1, actor2          actor1, actor2                   as is
assoc_actor_1/2         assoc_actor_1/2                  as is (``;``-separated lists); ``ally_actor_*`` in old files
inter1, inter2          inter1, inter2                   numeric codes → labels (table below); text kept
country, admin1, admin2 country, admin1, admin2          as is
location                location                         as is
latitude, longitude     latitude, longitude, geometry    decimal degrees (WGS84); missing, non-numeric,
                                                         out of range or exactly 0,0 rejects the row
geo_precision 1/2/3     geo_precision, uncertainty_km    same codes; radius 5 / 25 / 100 km (Panj Watch's
                                                         convention, ACLED publishes no radius)
source                  source                           as is
notes                   notes                            as is
fatalities              fatalities                       whole number ≥ 0 (ACLED's one conservative
                                                         figure); ``fatalities_high``/``injured`` are NA
(none)                  source_ids, source_tier          ``()`` and ``"imported"``
(none)                  date_basis, location_basis,      fixed text naming the ACLED code
                        casualty_basis
======================= ================================ =============================================

``NA`` and empty cells are missing values. Other ACLED columns (``disorder_type``,
``interaction``, ``civilian_targeting``, ``iso``, ``region``, ``admin3``,
``source_scale``, ``tags``, ``timestamp``) are not kept.

Event types
===========

=========================================================== =============================== ========
ACLED event_type (current and pre-2019 names)               event_type                      category
=========================================================== =============================== ========
Battles; Battle-No change of territory; Battle-Government   Battles                         clash
regains territory; Battle-Non-state actor overtakes
territory
Violence against civilians                                  Violence against civilians      attack
Explosions/Remote violence; Remote violence                 Explosions/Remote violence      attack
Protests                                                    Protests                        protest
Riots                                                       Riots                           protest
Riots/Protests (pre-2019)                                   Protests                        protest
Strategic developments; Strategic development; Headquarters Strategic developments          other
or base established; Non-violent transfer of territory
=========================================================== =============================== ========

Actor type codes (``inter1``/``inter2``, 2019–2022 exports)
============================================================

0 no actor (empty) · 1 State forces · 2 Rebel group · 3 Political militia ·
4 Identity militia · 5 Rioters · 6 Protesters · 7 Civilians · 8 External/Other forces
"""

from __future__ import annotations

import pandas as pd

from geo.importers.columns import IMPORTED_TIER
from geo.importers.common import (
    ImportResult,
    Progress,
    Rejects,
    Source,
    clean_text,
    parse_dates,
    read_events,
    to_float,
    to_int,
)
from geo.schema import GEO_PRECISION, TIME_PRECISION

FORMAT = "acled"
LABEL = "ACLED"

ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
REQUIRED = (
    "event_date", "time_precision", "event_type", "actor1", "country", "location",
    "latitude", "longitude", "geo_precision", "fatalities",
)
ID_COLUMNS = ("event_id_cnty", "event_id_no_cnty", "data_id")
#: Columns that only a UCDP GED file has (to say "wrong format" instead of "not CSV").
UCDP_TELL = ("where_prec", "date_prec", "side_a", "side_b")

#: Date spellings ACLED has used, tried in order.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S")

#: ACLED event_type (lower case, current and pre-2019) → (event_type, category).
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "battles": ("Battles", "clash"),
    "battle-no change of territory": ("Battles", "clash"),
    "battle-government regains territory": ("Battles", "clash"),
    "battle-non-state actor overtakes territory": ("Battles", "clash"),
    "violence against civilians": ("Violence against civilians", "attack"),
    "explosions/remote violence": ("Explosions/Remote violence", "attack"),
    "remote violence": ("Explosions/Remote violence", "attack"),
    "protests": ("Protests", "protest"),
    "riots": ("Riots", "protest"),
    "riots/protests": ("Protests", "protest"),
    "strategic developments": ("Strategic developments", "other"),
    "strategic development": ("Strategic developments", "other"),
    "headquarters or base established": ("Strategic developments", "other"),
    "non-violent transfer of territory": ("Strategic developments", "other"),
}

#: Numeric actor-type codes of 2019–2022 exports → the labels current exports use.
INTER_CODES = {
    "0": "",
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}

#: geo_precision → radius of the coded point, km (Panj Watch's convention).
UNCERTAINTY_KM = {1: 5.0, 2: 25.0, 3: 100.0}
DATE_BASIS = {p: f"ACLED time_precision {p}: {TIME_PRECISION[p]}" for p in TIME_PRECISION}
LOCATION_BASIS = {
    p: f"ACLED geo_precision {p}: {GEO_PRECISION[p]}; ±{UNCERTAINTY_KM[p]:g} km is Panj Watch's radius for this code"
    for p in GEO_PRECISION
}
CASUALTY_BASIS = "ACLED fatalities: ACLED's single conservative figure; injuries are not coded by ACLED"


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    return clean_text(df[col]) if col in df else pd.Series("", index=df.index, dtype="str")


def _event_ids(df: pd.DataFrame, dataset: str) -> pd.Series:
    ids = pd.Series(pd.NA, index=df.index, dtype="string")
    if "event_id_cnty" in df:
        ids = df["event_id_cnty"].astype("string").str.strip()
    if "event_id_no_cnty" in df:
        prefix = df["iso3"] if "iso3" in df else df["country"]
        alt = prefix.astype("string").str.strip().fillna("") + df["event_id_no_cnty"].astype("string").str.strip()
        ids = ids.fillna(alt)
    if "data_id" in df:
        ids = ids.fillna("data" + df["data_id"].astype("string").str.strip())
    ids = ids.replace("", pd.NA)
    return (dataset + ":" + ids).astype("string")


def normalise(df: pd.DataFrame, rejects: Rejects, dataset: str) -> pd.DataFrame:
    """One block of an ACLED export (text cells, canonical column names) → event columns.

    Rows that fail a check are recorded in ``rejects`` (by the block's index,
    which is the position among all good records) and still returned; the caller
    drops them.
    """
    out = pd.DataFrame(index=df.index)
    out["event_id"] = _event_ids(df, dataset)
    missing_id = out["event_id"].isna()
    rejects.add(df.index[missing_id].to_numpy(), "event_id_cnty", None, "missing event id")

    date, bad_date = parse_dates(df["event_date"], DATE_FORMATS)
    no_date = df["event_date"].isna()
    rejects.add(df.index[bad_date].to_numpy(), "event_date", df["event_date"][bad_date], "unparseable date")
    rejects.add(df.index[no_date].to_numpy(), "event_date", None, "missing date")
    out["event_date"] = date
    out["date_end"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[us]")
    year_from_date = date.dt.year.astype("Int64")
    if "year" in df:
        year, bad_year = to_int(df["year"])
        wrong = ~bad_year & year.notna() & year_from_date.notna() & (year != year_from_date).fillna(False)
        rejects.add(df.index[bad_year].to_numpy(), "year", df["year"][bad_year], "not a whole number")
        rejects.add(df.index[wrong].to_numpy(), "year", df["year"][wrong], "does not match the year of event_date")
    out["year"] = year_from_date

    tp, bad_tp = to_int(df["time_precision"])
    unknown_tp = bad_tp | ~tp.isin(list(TIME_PRECISION)).fillna(False)
    rejects.add(df.index[unknown_tp].to_numpy(), "time_precision", df["time_precision"][unknown_tp],
                "unknown precision code (ACLED uses 1, 2, 3)")
    out["time_precision"] = tp.where(~unknown_tp)
    out["date_basis"] = out["time_precision"].map(DATE_BASIS).astype("str")

    raw_type = df["event_type"].astype("string").str.strip()
    key = raw_type.str.lower()
    mapped = key.map({k: v[0] for k, v in EVENT_TYPES.items()})
    unknown_type = mapped.isna()
    rejects.add(df.index[unknown_type].to_numpy(), "event_type", raw_type[unknown_type],
                "unknown ACLED event_type")
    out["category"] = key.map({k: v[1] for k, v in EVENT_TYPES.items()}).astype("str")
    out["event_type"] = mapped.astype("str")
    sub = _text(df, "sub_event_type")
    out["sub_event_type"] = sub.where(sub != "", raw_type.fillna("").astype("str"))

    out["actor1"] = _text(df, "actor1")
    out["assoc_actor_1"] = _text(df, "assoc_actor_1")
    out["actor2"] = _text(df, "actor2")
    out["assoc_actor_2"] = _text(df, "assoc_actor_2")
    for col in ("inter1", "inter2"):
        raw = _text(df, col)
        out[col] = raw.map(INTER_CODES).fillna(raw).astype("str")
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
    rejects.add(df.index[bad_lat].to_numpy(), "latitude", df["latitude"][bad_lat],
                "bad coordinates: latitude must be a number from -90 to 90")
    rejects.add(df.index[bad_lon].to_numpy(), "longitude", df["longitude"][bad_lon],
                "bad coordinates: longitude must be a number from -180 to 180")
    rejects.add(df.index[missing].to_numpy(), "latitude", None, "bad coordinates: missing")
    rejects.add(df.index[null_island].to_numpy(), "latitude", None, "bad coordinates: 0,0 is not a place")
    out["latitude"] = lat.round(6)
    out["longitude"] = lon.round(6)

    gp, bad_gp = to_int(df["geo_precision"])
    unknown_gp = bad_gp | ~gp.isin(list(GEO_PRECISION)).fillna(False)
    rejects.add(df.index[unknown_gp].to_numpy(), "geo_precision", df["geo_precision"][unknown_gp],
                "unknown precision code (ACLED uses 1, 2, 3)")
    out["geo_precision"] = gp.where(~unknown_gp)
    out["uncertainty_km"] = out["geo_precision"].map(UNCERTAINTY_KM).astype("Float64")
    out["location_basis"] = out["geo_precision"].map(LOCATION_BASIS).astype("str")
    out["place_id"] = ""

    out["source"] = _text(df, "source")
    out["source_tier"] = IMPORTED_TIER
    out["notes"] = _text(df, "notes")
    fat, bad_fat = to_int(df["fatalities"])
    bad_fat |= (fat < 0).fillna(False)
    rejects.add(df.index[bad_fat].to_numpy(), "fatalities", df["fatalities"][bad_fat],
                "fatalities must be a whole number ≥ 0")
    out["fatalities"] = fat.where(~bad_fat)
    na_int = pd.Series(pd.NA, index=df.index, dtype="Int64")
    out["fatalities_high"] = na_int
    out["injured"] = na_int
    out["injured_high"] = na_int
    out["fatalities_best"] = na_int
    out["casualty_basis"] = CASUALTY_BASIS
    out["dataset"] = dataset
    return out


def read_acled(source: Source, dataset: str = "acled", progress: Progress | None = None) -> ImportResult:
    """Read an ACLED CSV export (any layout above) into normalised events.

    Parameters
    ----------
    source : path, bytes or binary stream
        The CSV export (UTF-8).
    dataset : str
        Store label; prefixes every ``event_id``.
    progress : callable, optional
        ``progress(fraction, stage)`` while reading.

    Returns
    -------
    ImportResult
        Good rows as events (EPSG:4326, not yet enriched) and the rejection report.

    Raises
    ------
    geo.importers.common.NotCSVError
        When the file is not an ACLED CSV export at all.
    """
    return read_events(
        source,
        fmt=FORMAT,
        label=LABEL,
        aliases=ALIASES,
        required=REQUIRED,
        any_of=(ID_COLUMNS,),
        other_formats={"UCDP GED": UCDP_TELL},
        normalise=normalise,
        dataset=dataset,
        progress=progress,
    )


