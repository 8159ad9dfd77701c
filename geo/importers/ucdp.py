"""UCDP Georeferenced Event Dataset (GED) CSV → Panj Watch events.

Follows the UCDP GED Codebook (versions 17.1 to 24.1; the ``*_est`` death
columns of older releases are read as ``best``/``low``/``high``).

Column mapping
==============

===================== ============================== ==================================================
UCDP GED              Panj Watch                     rule
===================== ============================== ==================================================
id                    event_id                       ``"<dataset>:<id>"``
date_start, date_end  event_date, date_end           ISO dates (a time part is ignored); ``date_end``
                                                     is kept when later than ``date_start``
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
low, best, high       fatalities, fatalities_best,   whole numbers with low ≤ best ≤ high, else the row
                      fatalities_high                is rejected. ``fatalities`` is the LOW estimate,
                                                     following ACLED's rule of the lowest reported
                                                     figure; ``best`` is kept in ``fatalities_best``
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

FORMAT = "ucdp"
LABEL = "UCDP GED"

ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high"}
REQUIRED = (
    "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
    "country", "date_prec", "date_start", "best", "low", "high",
)
ACLED_TELL = ("event_date", "event_type", "actor1", "geo_precision")
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y")

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
CASUALTY_BASIS = (
    "UCDP GED deaths: low–high estimates shown, the low one first (ACLED's rule of the lowest "
    "reported figure); UCDP's best estimate is in fatalities_best; injuries are not coded by UCDP"
)


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    return clean_text(df[col]) if col in df else pd.Series("", index=df.index, dtype="str")


def _code(df: pd.DataFrame, col: str, known, rejects: Rejects, what: str) -> pd.Series:
    val, bad = to_int(df[col])
    unknown = bad | ~val.isin(list(known)).fillna(False)
    rejects.add(df.index[unknown].to_numpy(), col, df[col][unknown], what)
    return val.where(~unknown)


def normalise(df: pd.DataFrame, rejects: Rejects, dataset: str) -> pd.DataFrame:
    """One block of a UCDP GED export → event columns (rejections recorded by position)."""
    out = pd.DataFrame(index=df.index)
    ids = df["id"].astype("string").str.strip().replace("", pd.NA)
    rejects.add(df.index[ids.isna()].to_numpy(), "id", None, "missing event id")
    out["event_id"] = (dataset + ":" + ids).astype("string")

    start, bad_start = parse_dates(df["date_start"], DATE_FORMATS)
    rejects.add(df.index[bad_start].to_numpy(), "date_start", df["date_start"][bad_start], "unparseable date")
    rejects.add(df.index[df["date_start"].isna()].to_numpy(), "date_start", None, "missing date")
    if "date_end" in df:
        end, bad_end = parse_dates(df["date_end"], DATE_FORMATS)
        rejects.add(df.index[bad_end].to_numpy(), "date_end", df["date_end"][bad_end], "unparseable date")
        before = (end < start).fillna(False)
        rejects.add(df.index[before].to_numpy(), "date_end", df["date_end"][before], "date_end is before date_start")
    else:
        end = pd.Series(pd.NaT, index=df.index, dtype="datetime64[us]")
    out["event_date"] = start
    out["date_end"] = end.where(end > start)
    out["year"] = start.dt.year.astype("Int64")

    dp = _code(df, "date_prec", DATE_PREC, rejects, "unknown precision code (UCDP date_prec is 1–5)")
    out["time_precision"] = dp.map({k: v[0] for k, v in DATE_PREC.items()}).astype("Int64")
    out["date_basis"] = ("UCDP date_prec " + dp.astype("string") + ": " + dp.map(
        {k: v[1] for k, v in DATE_PREC.items()}).astype("string")).astype("str")

    tv = _code(df, "type_of_violence", VIOLENCE_TYPES, rejects, "unknown type_of_violence code (UCDP uses 1, 2, 3)")
    out["category"] = tv.map({k: v[2] for k, v in VIOLENCE_TYPES.items()}).astype("str")
    out["event_type"] = tv.map({k: v[0] for k, v in VIOLENCE_TYPES.items()}).astype("str")
    out["sub_event_type"] = tv.map({k: v[1] for k, v in VIOLENCE_TYPES.items()}).astype("str")

    out["actor1"] = _text(df, "side_a")
    out["assoc_actor_1"] = ""
    out["actor2"] = _text(df, "side_b")
    out["assoc_actor_2"] = ""
    out["inter1"] = ""
    out["inter2"] = ""
    out["country"] = _text(df, "country")
    out["admin1"] = _text(df, "adm_1").str.replace(r"\s+province$", "", case=False, regex=True)
    out["admin2"] = _text(df, "adm_2").str.replace(r"\s+district$", "", case=False, regex=True)
    loc = _text(df, "where_coordinates")
    out["location"] = loc.where(loc != "", _text(df, "where_description"))

    lat, bad_lat = to_float(df["latitude"])
    lon, bad_lon = to_float(df["longitude"])
    missing = lat.isna() & ~bad_lat | lon.isna() & ~bad_lon
    bad_lat |= lat.notna() & ~lat.between(-90, 90)
    bad_lon |= lon.notna() & ~lon.between(-180, 180)
    rejects.add(df.index[bad_lat].to_numpy(), "latitude", df["latitude"][bad_lat],
                "bad coordinates: latitude must be a number from -90 to 90")
    rejects.add(df.index[bad_lon].to_numpy(), "longitude", df["longitude"][bad_lon],
                "bad coordinates: longitude must be a number from -180 to 180")
    rejects.add(df.index[missing].to_numpy(), "latitude", None, "bad coordinates: missing")
    rejects.add(df.index[(lat == 0) & (lon == 0)].to_numpy(), "latitude", None, "bad coordinates: 0,0 is not a place")
    out["latitude"] = lat.round(6)
    out["longitude"] = lon.round(6)

    wp = _code(df, "where_prec", WHERE_PREC, rejects, "unknown precision code (UCDP where_prec is 1–7)")
    out["geo_precision"] = wp.map({k: v[0] for k, v in WHERE_PREC.items()}).astype("Int64")
    out["uncertainty_km"] = wp.map({k: v[1] for k, v in WHERE_PREC.items()}).astype("Float64")
    out["location_basis"] = ("UCDP where_prec " + wp.astype("string") + ": " + wp.map(
        {k: v[2] for k, v in WHERE_PREC.items()}).astype("string") + "; ±" + out["uncertainty_km"].astype(
        "string") + " km").astype("str")
    out["place_id"] = ""

    src = _text(df, "source_office")
    out["source"] = src.where(src != "", _text(df, "source_original"))
    out["source_tier"] = IMPORTED_TIER
    dyad, head = _text(df, "dyad_name"), _text(df, "source_headline")
    out["notes"] = (dyad + ". " + head).str.strip(" .")

    deaths = {}
    for col in ("low", "best", "high"):
        val, bad = to_int(df[col])
        bad |= (val < 0).fillna(False) | val.isna()
        rejects.add(df.index[bad].to_numpy(), col, df[col][bad], "deaths must be a whole number ≥ 0")
        deaths[col] = val.where(~bad)
    disorder = ((deaths["low"] > deaths["best"]) | (deaths["best"] > deaths["high"])).fillna(False)
    rejects.add(df.index[disorder].to_numpy(), "best", df["best"][disorder], "estimates are not ordered low ≤ best ≤ high")
    out["fatalities"] = deaths["low"]
    out["fatalities_high"] = deaths["high"]
    out["fatalities_best"] = deaths["best"]
    na_int = pd.Series(pd.NA, index=df.index, dtype="Int64")
    out["injured"] = na_int
    out["injured_high"] = na_int
    out["casualty_basis"] = CASUALTY_BASIS
    out["dataset"] = dataset
    return out


def read_ucdp(source: Source, dataset: str = "ucdp", progress: Progress | None = None) -> ImportResult:
    """Read a UCDP GED CSV export into normalised events (see the module tables).

    Raises
    ------
    geo.importers.common.NotCSVError
        When the file is not a UCDP GED CSV export at all.
    """
    return read_events(
        source,
        fmt=FORMAT,
        label=LABEL,
        aliases=ALIASES,
        required=REQUIRED,
        any_of=(),
        other_formats={"ACLED": ACLED_TELL},
        normalise=normalise,
        dataset=dataset,
        progress=progress,
    )
