"""Import benchmark: a 1,000,000-row ACLED CSV and a 300,000-row UCDP GED CSV through ``panjwatch import``.

Run: .venv/bin/python bench/bench_import.py [--acled-rows 1000000] [--ucdp-rows 300000]
[--runs 1] [--ucdp-runs 3] [--keep DIR]

Both files are generated in a temporary folder (removed afterwards unless
``--keep``; never committed) with the columns of the real exports: the current
31-column ACLED layout and the 47 columns of UCDP GED 24.1. Events are coded to
a gazetteer of places, as both datasets code theirs (one place per ~20 events,
60 % spread over the region, 40 % around 60 hubs; events per place Zipf-like, the
busiest with ~3 %), over Afghanistan, Tajikistan
and their neighbours (lon 60.5–80 E, lat 29.5–42.5 N: Iran's east, Turkmenistan,
Uzbekistan, Kyrgyzstan, Pakistan and Xinjiang); each place's country and
province come from the shipped admin-1 shapes. Event types follow ACLED's mix
with real sub-event types and actors; dates span 2017–2024 (UCDP: 1989–2024,
with 2–30-day spans for imprecise dates); 1 % of UCDP rows have ``best > high``
(kept and flagged, as in published candidate releases).

Every measurement runs in a fresh Python process, so the peak RSS
(``VmHWM`` of that process, from ``/proc/self/status``) is its own:

* **import**: ``geo.data.importers.import_file`` into an empty temporary store
  (``PANJWATCH_STORE``), exactly what ``panjwatch import`` runs: read and check
  every row, join to provinces and the border, look for duplicates, write the
  GeoParquet; the time of each stage is taken from the progress callback;
* **baseline, csv loop**: ``csv.DictReader`` over the same file with a per-row
  Python conversion of the fields the import checks (floats, ints, a date
  parse), no join, no store: the naive importer;
* **baseline, pandas**: ``pandas.read_csv`` of the same file (C engine, default
  type inference), no checks, no join.

Rows per second are source rows divided by wall time of the measured call
(not counting interpreter start-up and imports). With ``--runs N`` each
measurement is repeated and the median is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: lon_min, lat_min, lon_max, lat_max of the generated events (Afghanistan, Tajikistan, neighbours).
REGION = (60.5, 29.5, 80.0, 42.5)
SEED = 9

UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_new_id",
    "conflict_name", "dyad_new_id", "dyad_name", "side_a_new_id", "gwnoa", "side_a", "side_b_new_id",
    "gwnob", "side_b", "number_of_sources", "source_article", "source_office", "source_date",
    "source_headline", "source_original", "where_prec", "where_coordinates", "where_description",
    "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id",
    "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low",
)  # fmt: skip
#: UCDP dyads of the region: (type_of_violence, side_a, side_b, conflict_name).
UCDP_DYADS = (
    (1, "Government of Afghanistan", "Taleban", "Afghanistan: Government"),
    (1, "Government of Afghanistan", "IS", "Afghanistan: Islamic State"),
    (1, "Government of Pakistan", "TTP", "Pakistan: Government"),
    (1, "Government of Pakistan", "BLA", "Pakistan: Balochistan"),
    (1, "Government of Tajikistan", "UTO", "Tajikistan: Government"),
    (1, "Government of Afghanistan", "NRF", "Afghanistan: Government"),
    (2, "IS", "Taleban", "IS - Taleban"),
    (2, "Jamaat-ul-Ahrar", "TTP", "Jamaat-ul-Ahrar - TTP"),
    (3, "Taleban", "Civilians", "Taleban - Civilians"),
    (3, "IS", "Civilians", "IS - Civilians"),
    (3, "TTP", "Civilians", "TTP - Civilians"),
)
UCDP_OFFICES = ("Pajhwok Afghan News", "BBC Monitoring", "Dawn", "Reuters", "AFP", "Asia-Plus", "Xinhua")


def _places(n_places, rng):
    """A gazetteer over :data:`REGION`: coordinates, country and province from the shipped shapes."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from geo.data.paths import DATA_DIR, WGS84

    lon0, lat0, lon1, lat1 = REGION
    n_uniform = int(round(n_places * 0.6))
    lon = rng.uniform(lon0, lon1, n_places)
    lat = rng.uniform(lat0, lat1, n_places)
    hubs_lon, hubs_lat = rng.uniform(lon0 + 1, lon1 - 1, 60), rng.uniform(lat0 + 1, lat1 - 1, 60)
    hub = rng.integers(0, 60, n_places - n_uniform)
    lon[n_uniform:] = np.clip(hubs_lon[hub] + rng.normal(0, 0.2, len(hub)), lon0, lon1)
    lat[n_uniform:] = np.clip(hubs_lat[hub] + rng.normal(0, 0.2, len(hub)), lat0, lat1)
    lon, lat = np.round(lon, 4), np.round(lat, 4)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    admin1 = gpd.read_file(DATA_DIR / "shapes" / "admin1.geojson", engine="pyogrio")
    hit = gpd.sjoin(pts, admin1[["name", "country_name", "geometry"]], how="left", predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    # Points on no shipped province keep a country name, as ACLED writes one for every event:
    # north of 40.5 N Kazakhstan, east of 73 E India (Kashmir, Himachal), else Iran's east.
    outside = np.where(lat >= 40.5, "Kazakhstan", np.where(lon >= 73.0, "India", "Iran"))
    return pd.DataFrame(
        {
            "longitude": lon,
            "latitude": lat,
            "country": hit["country_name"].fillna(pd.Series(outside, index=hit.index)).to_numpy(dtype=object),
            "admin1": hit["name"].fillna("").to_numpy(dtype=object),
            "location": np.array([f"Place {i:05d}" for i in range(n_places)], dtype=object),
        }
    )


def _sites(n, rng):
    import numpy as np

    n_places = int(min(20_000, max(20, n // 20)))
    places = _places(n_places, rng)
    # Zipf-like shares (rank^-0.8, ranks shuffled over the places): the busiest place has ~3 % of
    # the events, as a capital has in a country's ACLED file; a Pareto draw let one place take 75 %.
    weight = 1.0 / rng.permutation(np.arange(1, n_places + 1)) ** 0.8
    site = rng.choice(n_places, size=n, p=weight / weight.sum())
    return places.iloc[site].reset_index(drop=True)


def acled_frame(n: int, seed: int = SEED):
    """``n`` events in the current 31-column ACLED layout, spread over the region."""
    import numpy as np
    import pandas as pd

    from geo.data import synth

    rng = np.random.default_rng(seed)
    p = _sites(n, rng)
    types = np.array(list(synth.EVENT_MIX), dtype=object)
    etype = types[rng.choice(len(types), size=n, p=np.array(list(synth.EVENT_MIX.values())))]
    k = rng.integers(0, 1 << 30, size=(4, n))
    sub = np.empty(n, dtype=object)
    for t, subs in synth.SUB_TYPES.items():
        m = etype == t
        sub[m] = np.array(subs, dtype=object)[k[0][m] % len(subs)]
    country = p["country"].to_numpy(dtype=object)
    state = np.array([f"Military Forces of {c} (2000-)" for c in country], dtype=object)
    state[country == "Afghanistan"] = "Taliban"
    armed_a, armed_i = synth._pick(synth.ARMED, k[2])
    civ = np.array([f"Civilians ({c})" for c in country], dtype=object)
    actor1 = state.copy()
    inter1 = np.full(n, "State forces", dtype=object)
    actor2 = np.full(n, "", dtype=object)
    inter2 = np.full(n, "", dtype=object)
    battle = etype == "Battles"
    actor1[battle], inter1[battle] = armed_a[battle], armed_i[battle]
    actor2[battle], inter2[battle] = state[battle], "State forces"
    hits = np.isin(etype, ["Explosions/Remote violence", "Violence against civilians"])
    actor1[hits], inter1[hits] = armed_a[hits], armed_i[hits]
    actor2[hits], inter2[hits] = civ[hits], "Civilians"
    prot = etype == "Protests"
    actor1[prot], inter1[prot] = [f"Protesters ({c})" for c in country[prot]], "Protesters"
    riot = etype == "Riots"
    actor1[riot], inter1[riot] = [f"Rioters ({c})" for c in country[riot]], "Rioters"
    dates = pd.to_datetime(np.datetime64("2017-01-01") + rng.integers(0, 8 * 365, n).astype("timedelta64[D]"))
    fat = np.zeros(n, dtype=np.int64)
    fat[battle] = rng.geometric(0.30, battle.sum()) - 1
    fat[hits] = rng.geometric(0.45, hits.sum()) - 1
    iso3 = pd.Series(country).str[:3].str.upper().to_numpy(dtype=object)
    interaction = (pd.Series(inter1) + "-" + pd.Series(inter2)).str.rstrip("-")
    interaction = interaction.where(pd.Series(inter2) != "", pd.Series(inter1) + " only")
    return pd.DataFrame(
        {
            "event_id_cnty": [f"{c}{i}" for c, i in zip(iso3, range(1, n + 1), strict=True)],
            "event_date": pd.Series(dates).dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            "year": dates.year.to_numpy(),
            "time_precision": rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05]),
            "disorder_type": pd.Series(etype).map(synth.DISORDER).to_numpy(dtype=object),
            "event_type": etype,
            "sub_event_type": sub,
            "actor1": actor1,
            "assoc_actor_1": np.where((k[3] % 10 == 0) & battle, "Foreign fighters; Local militia", ""),
            "inter1": inter1,
            "actor2": actor2,
            "assoc_actor_2": np.full(n, "", dtype=object),
            "inter2": inter2,
            "interaction": interaction.to_numpy(dtype=object),
            "civilian_targeting": np.where(hits & (inter2 == "Civilians"), "Civilian targeting", ""),
            "iso": np.full(n, 4),
            "region": np.where(np.isin(country, ["Afghanistan", "Pakistan", "India"]), "South Asia", "Caucasus and Central Asia"),
            "country": country,
            "admin1": p["admin1"].to_numpy(dtype=object),
            "admin2": np.full(n, "", dtype=object),
            "admin3": np.full(n, "", dtype=object),
            "location": p["location"].to_numpy(dtype=object),
            "latitude": p["latitude"].to_numpy(),
            "longitude": p["longitude"].to_numpy(),
            "geo_precision": rng.choice([1, 2, 3], size=n, p=[0.6, 0.35, 0.05]),
            "source": np.array(synth.SOURCES, dtype=object)[k[3] % len(synth.SOURCES)],
            "source_scale": np.full(n, "National", dtype=object),
            "notes": ("On " + pd.Series(dates).dt.strftime("%d %B %Y") + ", " + pd.Series(sub) + " involving "
                      + pd.Series(actor1) + " near " + p["location"] + ".").to_numpy(dtype=object),
            "fatalities": fat,
            "tags": np.full(n, "", dtype=object),
            "timestamp": 1_700_000_000 + np.arange(n, dtype=np.int64),
        }
    )  # fmt: skip


def ucdp_frame(n: int, seed: int = SEED + 1):
    """``n`` events in the 47-column UCDP GED layout, spread over the region."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    p = _sites(n, rng)
    dyad = rng.integers(0, len(UCDP_DYADS), n)
    tov = np.array([d[0] for d in UCDP_DYADS])[dyad]
    side_a = np.array([d[1] for d in UCDP_DYADS], dtype=object)[dyad]
    side_b = np.array([d[2] for d in UCDP_DYADS], dtype=object)[dyad]
    conflict = np.array([d[3] for d in UCDP_DYADS], dtype=object)[dyad]
    start = np.datetime64("1989-01-01") + rng.integers(0, 36 * 365, n).astype("timedelta64[D]")
    date_prec = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.7, 0.12, 0.06, 0.08, 0.04])
    span = np.select(
        [date_prec == 1, date_prec <= 3, date_prec == 4],
        [0, rng.integers(1, 7, n), rng.integers(8, 31, n)],
        rng.integers(31, 90, n),
    )
    end = start + span.astype("timedelta64[D]")
    low = rng.geometric(0.25, n) - 1
    best = low + rng.geometric(0.5, n) - 1
    high = best + rng.geometric(0.4, n) - 1
    out_of_order = rng.random(n) < 0.01
    high[out_of_order] = np.maximum(best[out_of_order] - 1, 0)
    best[out_of_order] = high[out_of_order] + 2
    st = pd.Series(pd.to_datetime(start)).dt.strftime("%Y-%m-%d 00:00:00.000")
    en = pd.Series(pd.to_datetime(end)).dt.strftime("%Y-%m-%d 00:00:00.000")
    year = pd.to_datetime(start).year.to_numpy()
    loc = p["location"]
    ids = np.arange(100_001, 100_001 + n)
    country = p["country"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "id": ids,
            "relid": [f"{c[:3].upper()}-{y}-{t}-{i}" for c, y, t, i in zip(country, year, tov, ids, strict=True)],
            "year": year,
            "active_year": np.where(rng.random(n) < 0.9, "TRUE", "FALSE"),
            "code_status": "Clear",
            "type_of_violence": tov,
            "conflict_new_id": 300 + dyad,
            "conflict_name": conflict,
            "dyad_new_id": 500 + dyad,
            "dyad_name": pd.Series(side_a) + " - " + pd.Series(side_b),
            "side_a_new_id": 100 + dyad,
            "gwnoa": 700,
            "side_a": side_a,
            "side_b_new_id": 200 + dyad,
            "gwnob": "",
            "side_b": side_b,
            "number_of_sources": rng.integers(1, 6, n),
            "source_article": "article",
            "source_office": np.array(UCDP_OFFICES, dtype=object)[rng.integers(0, len(UCDP_OFFICES), n)],
            "source_date": st.str[:10],
            "source_headline": "Fighting near " + loc,
            "source_original": "local sources",
            "where_prec": rng.choice([1, 2, 3, 4, 5, 6], size=n, p=[0.5, 0.2, 0.15, 0.1, 0.03, 0.02]),
            "where_coordinates": loc + " village",
            "where_description": "near " + loc,
            "adm_1": np.where(p["admin1"] != "", p["admin1"] + " province", ""),
            "adm_2": "",
            "latitude": p["latitude"],
            "longitude": p["longitude"],
            "geom_wkt": "POINT (" + p["longitude"].astype(str) + " " + p["latitude"].astype(str) + ")",
            "priogrid_gid": 100_000 + rng.integers(0, 50_000, n),
            "country": country,
            "country_id": 700,
            "region": "Asia",
            "event_clarity": rng.choice([1, 2], size=n, p=[0.9, 0.1]),
            "date_prec": date_prec,
            "date_start": st,
            "date_end": en,
            "deaths_a": low // 3,
            "deaths_b": low // 3,
            "deaths_civilians": low - 2 * (low // 3),
            "deaths_unknown": 0,
            "best": best,
            "high": high,
            "low": low,
        },
        columns=list(UCDP_COLUMNS),
    )  # fmt: skip


def write_csv(df, path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(
        df.astype({c: "str" for c in df.columns if df[c].dtype == object}), preserve_index=False
    )
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return path


# --- measurements, each in its own process ---------------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident memory, MB.

    ``VmHWM`` of ``/proc/self/status``, not ``getrusage``: Linux carries ``ru_maxrss`` over
    ``fork`` and ``exec``, so a child would report the generator's peak instead of its own.
    """
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure_import(path: str, fmt: str, store: str) -> dict:
    from geo.data.importers import import_file
    from geo.data.load import load_shapes
    from geo.data.store import Store

    load_shapes  # noqa: B018 - imported before the clock starts, as the CLI has it by then
    startup = _peak_mb()
    marks: list[tuple[float, str]] = []
    t0 = time.perf_counter()

    def progress(_f: float, message: str) -> None:
        if not marks or marks[-1][1] != message:
            marks.append((time.perf_counter() - t0, message))

    out = import_file(Path(path), fmt, "bench", store=Store(store), progress=progress)
    wall = time.perf_counter() - t0
    stages: dict[str, float] = {}
    for (t, m), nxt in zip(marks, [*marks[1:], (wall, "end")], strict=True):
        key = m.split(" ")[0]
        stages[key] = stages.get(key, 0.0) + nxt[0] - t
    return {
        "wall_s": wall,
        "rows": out.rows_read,
        "imported": out.loaded,
        "rejected": out.rejected_rows,
        "flagged": out.flagged_rows,
        "stages_s": stages,
        "peak_mb": _peak_mb(),
        "startup_mb": startup,
        "parquet_mb": out.info.path.stat().st_size / 1e6 if out.info else 0.0,
    }


def measure_csv_loop(path: str, fmt: str) -> dict:
    """The naive importer: one Python dict per row, the checked fields converted one by one."""
    import csv
    import datetime as dt

    date_col, dead = ("event_date", "fatalities") if fmt == "acled" else ("date_start", "best")
    t0 = time.perf_counter()
    rows = []
    bad = 0
    with open(path, newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            try:
                rec["latitude"] = float(rec["latitude"])
                rec["longitude"] = float(rec["longitude"])
                rec[dead] = int(rec[dead])
                rec[date_col] = dt.date.fromisoformat(rec[date_col][:10])
            except ValueError:
                bad += 1
                continue
            rows.append(rec)
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "rows": len(rows) + bad, "peak_mb": _peak_mb()}


def measure_pandas(path: str, fmt: str) -> dict:
    import pandas as pd

    startup = _peak_mb()
    t0 = time.perf_counter()
    df = pd.read_csv(path, low_memory=False)
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "rows": len(df), "peak_mb": _peak_mb(), "startup_mb": startup}


MEASURES = {"import": measure_import, "csv-loop": measure_csv_loop, "pandas": measure_pandas}


def _child(kind: str, path: Path, fmt: str, tmp: Path) -> dict:
    args = [str(path), fmt] + ([str(tmp / f"store-{time.monotonic_ns()}")] if kind == "import" else [])
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); import bench.bench_import as b; "
        f"print('@@' + json.dumps(b.MEASURES[{kind!r}](*{args!r})))"
    )
    env = {**os.environ, "PANJWATCH_STORE": str(tmp / "unused-store")}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("@@")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"{kind} on {path.name} failed:\n{proc.stderr[-3000:]}")
    if kind == "import":
        shutil.rmtree(args[2], ignore_errors=True)
    return json.loads(line[2:])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def bench_file(label: str, path: Path, fmt: str, runs: int, tmp: Path) -> dict:
    size_mb = path.stat().st_size / 1e6
    print(f"\n== {label}: {path.name}, {size_mb:,.0f} MB, {runs} run(s) of each (median quoted)", flush=True)
    results = {}
    for kind in ("import", "pandas", "csv-loop"):
        rs = [_child(kind, path, fmt, tmp) for _ in range(runs)]
        results[kind] = rs
        wall, rows = _median(rs, "wall_s"), rs[0]["rows"]
        start = f" (after imports {_median(rs, 'startup_mb'):,.0f} MB)" if "startup_mb" in rs[0] else ""
        line = (
            f"{kind:9s} {wall:8.1f} s  {rows / wall:>10,.0f} rows/s  peak RSS {_median(rs, 'peak_mb'):>7,.0f} MB{start}"
            f"  (runs: {', '.join(format(r['wall_s'], '.1f') for r in rs)} s)"
        )
        print(line, flush=True)
        if kind == "import":
            r0 = rs[0]
            stages = ", ".join(
                f"{k} {statistics.median(r['stages_s'].get(k, 0.0) for r in rs):.1f} s"
                for k in r0["stages_s"]
            )
            print(
                f"          {r0['rows']:,} rows read, {r0['imported']:,} imported, {r0['rejected']:,} rejected, "
                f"{r0['flagged']:,} flagged; stages: {stages}; GeoParquet {r0['parquet_mb']:,.0f} MB",
                flush=True,
            )
    imp, pdr, loop = (_median(results[k], "wall_s") for k in ("import", "pandas", "csv-loop"))
    print(
        f"          import / pandas.read_csv = {imp / pdr:.1f}x the time; import / csv loop = {imp / loop:.2f}x",
        flush=True,
    )
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--acled-rows", type=int, default=1_000_000)
    ap.add_argument("--ucdp-rows", type=int, default=300_000)
    ap.add_argument("--runs", type=int, default=1, help="runs of each measurement on the ACLED file")
    ap.add_argument("--ucdp-runs", type=int, default=3, help="runs of each measurement on the UCDP file")
    ap.add_argument("--keep", help="write the generated files here and keep them")
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="pw-bench-import-"))
    files = Path(a.keep) if a.keep else tmp
    files.mkdir(parents=True, exist_ok=True)
    try:
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); load average {os.getloadavg()[0]:.1f}"
        )
        jobs = [
            ("ACLED", "acled", a.acled_rows, a.runs, acled_frame),
            ("UCDP GED", "ucdp", a.ucdp_rows, a.ucdp_runs, ucdp_frame),
        ]
        for label, fmt, n, runs, make in jobs:
            if n <= 0:
                continue
            path = files / f"bench-{fmt}-{n}.csv"
            if not path.exists():
                t0 = time.perf_counter()
                write_csv(make(n), path)
                print(f"generated {path.name} ({n:,} rows) in {time.perf_counter() - t0:.0f} s", flush=True)
            bench_file(f"{label} {n:,} rows", path, fmt, runs, tmp)
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
