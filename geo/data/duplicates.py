"""Possible duplicates across datasets: the same source record, or the same day, place and kind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo.data.columns import CURATED_DATASET
from geo.data.paths import DATA_DIR

#: Coordinates are compared rounded to this many decimals (0.01° ≈ 1.1 km north–south here).
DUP_DECIMALS = 2
#: Categories compared as one for "same day and place" (an ACLED battle may be a UCDP one-sided event).
_DUP_GROUP = {"attack": "violence", "clash": "violence"}
DUPLICATE_COLUMNS = ["event_id", "other_dataset", "other_event_id", "kind"]


def _dup_keys(df: pd.DataFrame) -> pd.DataFrame:
    cat = df["category"].astype("str")
    return pd.DataFrame(
        {
            "day": pd.to_datetime(df["event_date"]).dt.floor("D").to_numpy(),
            "lat": np.round(df["latitude"].astype(float).to_numpy(), DUP_DECIMALS),
            "lon": np.round(df["longitude"].astype(float).to_numpy(), DUP_DECIMALS),
            "group": cat.map(_DUP_GROUP).fillna(cat).to_numpy(),
        },
        index=df.index,
    )


def find_duplicates(new: pd.DataFrame, fmt: str, others: pd.DataFrame) -> pd.DataFrame:
    """Events of ``new`` that another dataset (or the curated table) already has.

    Two kinds are reported, both vectorised merges:

    * ``same source record`` — the same source id (the part after ``dataset:``)
      in another dataset of the same format (one ACLED export imported twice);
    * ``same day and place`` — same calendar day, coordinates equal to
      0.01° (≈1 km) and the same kind of event (attack and clash count as one).

    Parameters
    ----------
    new : DataFrame
        ``event_id``, ``event_date``, ``latitude``, ``longitude``, ``category``.
    fmt : str
        Format of ``new`` (``acled``/``ucdp``).
    others : DataFrame
        The same columns plus ``dataset`` and ``fmt`` for everything already loaded.

    Returns
    -------
    DataFrame
        ``event_id``, ``other_dataset``, ``other_event_id``, ``kind``; one row per pair.
    """
    if new.empty or others.empty:
        return pd.DataFrame(columns=DUPLICATE_COLUMNS)
    a = pd.DataFrame({"event_id": new["event_id"].astype("str").to_numpy()})
    a["sid"] = a["event_id"].str.split(":", n=1).str[-1]
    b = pd.DataFrame(
        {
            "other_event_id": others["event_id"].astype("str").to_numpy(),
            "other_dataset": others["dataset"].astype("str").to_numpy(),
            "fmt": others["fmt"].astype("str").to_numpy(),
        }
    )
    b["sid"] = b["other_event_id"].str.split(":", n=1).str[-1]
    same = a.merge(b[b["fmt"] == fmt], on="sid")
    same["kind"] = "same source record"
    ka = pd.concat([a[["event_id"]], _dup_keys(new).reset_index(drop=True)], axis=1)
    kb = pd.concat([b[["other_event_id", "other_dataset"]], _dup_keys(others).reset_index(drop=True)], axis=1)
    place = ka.merge(kb, on=["day", "lat", "lon", "group"])
    place["kind"] = "same day and place"
    out = pd.concat([same[DUPLICATE_COLUMNS], place[DUPLICATE_COLUMNS]], ignore_index=True)
    # A pair found both ways is one duplicate: keep the stronger reason.
    out = out.drop_duplicates(["event_id", "other_event_id"], keep="first")
    return out.sort_values(["event_id", "other_event_id"], ignore_index=True)


def curated_keys(data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """The curated events' duplicate-detection columns, read straight from ``events.csv``."""
    p = Path(data_dir) / "events.csv"
    if not p.is_file():
        return pd.DataFrame()
    df = pd.read_csv(p, usecols=["event_id", "event_date", "latitude", "longitude", "category"])
    df = df.dropna(subset=["latitude", "longitude"])
    df["dataset"] = CURATED_DATASET
    df["fmt"] = CURATED_DATASET
    return df
