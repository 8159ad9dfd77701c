"""Deterministic ACLED-format test data for tests and benchmarks (never real events).

Events fall in the region lon 66–75.5, lat 35–40 and are coded, like ACLED's,
to a gazetteer of places: by default one place per 20 events (at most 20,000),
60 % spread uniformly and 40 % clustered around 40 hubs, with a heavy-tailed
number of events per place. ``n_places=0`` gives every event its own point
(the worst case for the join). Countries and provinces of the places come from
the shipped admin-1 shapes; outside them a rough rule names the neighbour.

The same ``(n, seed, n_places, date_style)`` always gives the same bytes.

Command line: ``python -m geo.data.synth N OUT.csv [--seed S] [--places P] [--long-dates]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from geo.data.paths import DATA_DIR, WGS84

#: lon_min, lat_min, lon_max, lat_max of the generated events.
REGION = (66.0, 35.0, 75.5, 40.0)
DEFAULT_SEED = 6
#: The current ACLED export layout (31 columns), in order.
ACLED_COLUMNS = (
    "event_id_cnty",
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
    "iso",
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
EVENT_MIX = {
    "Battles": 0.34,
    "Explosions/Remote violence": 0.24,
    "Violence against civilians": 0.15,
    "Protests": 0.13,
    "Riots": 0.04,
    "Strategic developments": 0.10,
}
SUB_TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": [
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Air/drone strike",
    ],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Arrests",
        "Change to group/activity",
        "Looting/property destruction",
        "Agreement",
    ],
}
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}
#: (actor, inter label) pools per side.
STATE_AF = [("Taliban", "State forces"), ("Police Forces of Afghanistan (2021-)", "State forces")]
STATE_TJ = [
    ("Military Forces of Tajikistan (1994-)", "State forces"),
    ("Border Guards of Tajikistan (1994-)", "State forces"),
]
ARMED = [
    ("Islamic State Khorasan Province (ISKP)", "Rebel group"),
    ("National Resistance Front", "Rebel group"),
    ("Unidentified Armed Group (Afghanistan)", "Political militia"),
    ("Jamaat Ansarullah", "Rebel group"),
    ("Unidentified Armed Group (Tajikistan)", "Political militia"),
]
CIVILIANS = [("Civilians (Afghanistan)", "Civilians"), ("Civilians (Tajikistan)", "Civilians")]
PROTESTERS = [("Protesters (Afghanistan)", "Protesters"), ("Protesters (Tajikistan)", "Protesters")]
RIOTERS = [("Rioters (Afghanistan)", "Rioters")]
SOURCES = [
    "Pajhwok Afghan News",
    "Asia-Plus",
    "Tolo News",
    "Radio Ozodi",
    "Khaama Press; Amu TV",
    "Hasht-e Subh",
]
#: A few place names that exercise escaping (quotes, angle brackets, ampersands, diacritics).
ODD_NAMES = ['Qalʿa-i "Kuhna"', "Shŭrobod <east>", "Darvoz & Vanj", "=Chah-i Ab", "Khwaja Bahawuddin's"]


def default_places(n: int) -> int:
    """Gazetteer size for ``n`` events: one place per 20 events, 20 to 20,000."""
    return int(min(20_000, max(20, n // 20)))


def _places(n_places: int, rng: np.random.Generator, data_dir: Path) -> pd.DataFrame:
    lon0, lat0, lon1, lat1 = REGION
    n_uniform = int(round(n_places * 0.6))
    lon = rng.uniform(lon0, lon1, n_places)
    lat = rng.uniform(lat0, lat1, n_places)
    hubs_lon = rng.uniform(lon0 + 0.5, lon1 - 0.5, 40)
    hubs_lat = rng.uniform(lat0 + 0.3, lat1 - 0.3, 40)
    hub = rng.integers(0, 40, n_places - n_uniform)
    lon[n_uniform:] = np.clip(hubs_lon[hub] + rng.normal(0, 0.12, len(hub)), lon0, lon1)
    lat[n_uniform:] = np.clip(hubs_lat[hub] + rng.normal(0, 0.12, len(hub)), lat0, lat1)
    lon, lat = np.round(lon, 4), np.round(lat, 4)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    admin1 = gpd.read_file(Path(data_dir) / "shapes" / "admin1.geojson", engine="pyogrio")[
        ["name", "country", "geometry"]
    ]
    hit = gpd.sjoin(pts, admin1, how="left", predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    code = hit["country"].to_numpy(dtype=object)
    outside = np.where(
        lat < 36.5,
        "Pakistan",
        np.where(lon < 69.5, "Uzbekistan", np.where(lat > 39.0, "Kyrgyzstan", "China")),
    )
    country = np.where(code == "TJ", "Tajikistan", np.where(code == "AF", "Afghanistan", outside))
    names = np.array([f"Place {i:05d}" for i in range(n_places)], dtype=object)
    odd = rng.choice(n_places, size=min(len(ODD_NAMES), n_places), replace=False)
    names[odd] = ODD_NAMES[: len(odd)]
    return pd.DataFrame(
        {
            "longitude": lon,
            "latitude": lat,
            "country": country,
            "admin1": hit["name"].fillna("").to_numpy(dtype=object),
            "location": names,
        }
    )


def _pick(pool: list[tuple[str, str]], idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    names = np.array([a for a, _ in pool], dtype=object)
    inter = np.array([t for _, t in pool], dtype=object)
    return names[idx % len(pool)], inter[idx % len(pool)]


def acled_frame(
    n: int,
    seed: int = DEFAULT_SEED,
    n_places: int | None = None,
    data_dir: Path | str = DATA_DIR,
    date_style: str = "iso",
) -> pd.DataFrame:
    """``n`` synthetic events in the current 31-column ACLED layout (all columns text or numbers).

    Parameters
    ----------
    n : int
        Number of events.
    seed : int
        Seed of NumPy's PCG64 generator; same inputs → same frame.
    n_places : int, optional
        Gazetteer size (default :func:`default_places`); 0 puts every event on its own point.
    date_style : {"iso", "long"}
        ``2020-03-21`` or ``21 March 2020`` (both appear in ACLED exports).
    """
    rng = np.random.default_rng(seed)
    places_n = default_places(n) if n_places is None else n_places
    if places_n == 0:
        places = _places(n, rng, Path(data_dir))
        site = np.arange(n)
    else:
        places = _places(places_n, rng, Path(data_dir))
        weight = rng.pareto(1.3, places_n) + 1.0
        site = rng.choice(places_n, size=n, p=weight / weight.sum())
    p = places.iloc[site].reset_index(drop=True)

    types = np.array(list(EVENT_MIX), dtype=object)
    etype = types[rng.choice(len(types), size=n, p=np.array(list(EVENT_MIX.values())))]
    k = rng.integers(0, 1 << 30, size=(4, n))
    sub = np.empty(n, dtype=object)
    for t, subs in SUB_TYPES.items():
        m = etype == t
        sub[m] = np.array(subs, dtype=object)[k[0][m] % len(subs)]

    tj = p["country"].to_numpy() == "Tajikistan"
    state_a, state_i = _pick(STATE_AF, k[1])
    tj_a, tj_i = _pick(STATE_TJ, k[1])
    state_a, state_i = np.where(tj, tj_a, state_a), np.where(tj, tj_i, state_i)
    armed_a, armed_i = _pick(ARMED, k[2])
    civ_a, civ_i = _pick(CIVILIANS, tj.astype(int))
    pro_a, pro_i = _pick(PROTESTERS, tj.astype(int))
    riot_a, riot_i = _pick(RIOTERS, k[2])
    actor1, inter1 = state_a.copy(), state_i.copy()
    actor2 = np.full(n, "", dtype=object)
    inter2 = np.full(n, "", dtype=object)
    battle = etype == "Battles"
    actor1[battle], inter1[battle] = armed_a[battle], armed_i[battle]
    actor2[battle], inter2[battle] = state_a[battle], state_i[battle]
    hits = np.isin(etype, ["Explosions/Remote violence", "Violence against civilians"])
    actor1[hits], inter1[hits] = armed_a[hits], armed_i[hits]
    actor2[hits], inter2[hits] = civ_a[hits], civ_i[hits]
    prot = etype == "Protests"
    actor1[prot], inter1[prot] = pro_a[prot], pro_i[prot]
    riot = etype == "Riots"
    actor1[riot], inter1[riot] = riot_a[riot], riot_i[riot]
    assoc1 = np.where((k[3] % 10 == 0) & battle, "Foreign fighters; Local militia", "")

    day0 = np.datetime64("2017-01-01")
    dates = pd.to_datetime(day0 + rng.integers(0, 8 * 365, n).astype("timedelta64[D]"))
    fat = np.zeros(n, dtype=np.int64)
    fat[battle] = rng.geometric(0.30, battle.sum()) - 1
    fat[hits] = rng.geometric(0.45, hits.sum()) - 1
    fmt = "%Y-%m-%d" if date_style == "iso" else "%d %B %Y"
    date_txt = pd.Series(dates).dt.strftime(fmt).to_numpy(dtype=object)
    iso3 = np.where(
        p["country"] == "Tajikistan", "TJK", np.where(p["country"] == "Afghanistan", "AFG", "XXX")
    )
    ids = pd.Series(iso3).str.cat(pd.Series(np.arange(1, n + 1)).astype(str)).to_numpy(dtype=object)
    notes = (
        "Synthetic event: "
        + pd.Series(sub).astype(str)
        + " involving "
        + pd.Series(actor1).astype(str)
        + " near "
        + p["location"].astype(str)
        + "."
    ).to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "event_id_cnty": ids,
            "event_date": date_txt,
            "year": dates.year.to_numpy(),
            "time_precision": rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05]),
            "disorder_type": pd.Series(etype).map(DISORDER).to_numpy(dtype=object),
            "event_type": etype,
            "sub_event_type": sub,
            "actor1": actor1,
            "assoc_actor_1": assoc1,
            "inter1": inter1,
            "actor2": actor2,
            "assoc_actor_2": np.full(n, "", dtype=object),
            "inter2": inter2,
            "interaction": (pd.Series(inter1) + "-" + pd.Series(inter2))
            .str.strip("-")
            .to_numpy(dtype=object),
            "civilian_targeting": np.where(etype == "Violence against civilians", "Civilian targeting", ""),
            "iso": np.where(iso3 == "TJK", 762, np.where(iso3 == "AFG", 4, 0)),
            "region": np.where(iso3 == "AFG", "South Asia", "Caucasus and Central Asia"),
            "country": p["country"].to_numpy(dtype=object),
            "admin1": p["admin1"].to_numpy(dtype=object),
            "admin2": np.full(n, "", dtype=object),
            "admin3": np.full(n, "", dtype=object),
            "location": p["location"].to_numpy(dtype=object),
            "latitude": p["latitude"].to_numpy(),
            "longitude": p["longitude"].to_numpy(),
            "geo_precision": rng.choice([1, 2, 3], size=n, p=[0.6, 0.35, 0.05]),
            "source": np.array(SOURCES, dtype=object)[k[3] % len(SOURCES)],
            "source_scale": np.full(n, "National", dtype=object),
            "notes": notes,
            "fatalities": fat,
            "tags": np.full(n, "", dtype=object),
            "timestamp": 1_700_000_000 + np.arange(n, dtype=np.int64),
        },
        columns=list(ACLED_COLUMNS),
    )


def write_acled_csv(
    path: Path | str,
    n: int,
    seed: int = DEFAULT_SEED,
    n_places: int | None = None,
    date_style: str = "iso",
    data_dir: Path | str = DATA_DIR,
) -> Path:
    """Write :func:`acled_frame` as a UTF-8 CSV (quotes only where needed) and return the path."""
    df = acled_frame(n, seed=seed, n_places=n_places, data_dir=data_dir, date_style=date_style)
    table = pa.Table.from_pandas(
        df.astype({c: "str" for c in df.columns if df[c].dtype == object}), preserve_index=False
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo.data.synth", description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--places", type=int, default=None, help="gazetteer size; 0 = every event its own point")
    ap.add_argument("--long-dates", action="store_true", help="write '21 March 2020' instead of ISO dates")
    a = ap.parse_args(argv)
    p = write_acled_csv(a.out, a.n, a.seed, a.places, "long" if a.long_dates else "iso")
    print(f"wrote {a.n:,} synthetic ACLED events to {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
