"""Province join at scale and deck payload of the default views, before/after a shapes change.

Run by hand: ``.venv/bin/python bench/bench_coverage.py [N]`` (default 100,000 events).
Prints the median of 5 runs of :func:`geo.spatial.join.join_admin1` and
:func:`geo.spatial.enrich.enrich_events` on N distinct random points spread over
Afghanistan, Tajikistan and their neighbours (lon 60-76, lat 29-42; each
point's ``country`` is that of the province it falls in, else "Afghanistan"),
and the size of each deck layer of the default regional and sector views.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import geopandas as gpd
import numpy as np

#: Point samples (lon_min, lat_min, lon_max, lat_max): the old shapes' window, and the
#: frontier with its neighbours.
SAMPLES = {
    "window 67-75E 35.5-39.5N": (67.0, 35.5, 75.0, 39.5),
    "wide 60-76E 29-42N": (60.0, 29.0, 76.0, 42.0),
}


def _median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(n: int = 100_000) -> None:
    from geo.data.load import load_bundle
    from geo.data.paths import DATA_DIR
    from geo.data.settings import env
    from geo.query.filters import Filters
    from geo.query.selection import select
    from geo.render.mapdecks import regional_deck, sector_deck
    from geo.spatial.bands import border_bands
    from geo.spatial.enrich import enrich_events
    from geo.spatial.join import join_admin1

    bundle = load_bundle()
    admin1 = bundle.admin1
    print(
        f"{len(admin1)} provinces, {int(admin1.geometry.count_coordinates().sum()):,} vertices; {n:,} points"
    )
    # Each point's country comes from one fixed file (the whole-country provinces), so a
    # run against older, smaller shapes gets the same events.
    ref = gpd.read_file(env("PANJWATCH_BENCH_COUNTRIES") or DATA_DIR / "shapes" / "admin1.geojson")
    names = {"TJ": "Tajikistan", "AF": "Afghanistan", "PK": "Pakistan", "UZ": "Uzbekistan",
             "TM": "Turkmenistan", "KG": "Kyrgyzstan", "IR": "Iran", "CN": "China"}  # fmt: skip
    for label, (x0, y0, x1, y1) in SAMPLES.items():
        rng = np.random.default_rng(7)
        pts = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)), crs="EPSG:4326"
        )
        hit = gpd.sjoin(pts, ref[["country", "geometry"]], how="left", predicate="within")
        country = hit[~hit.index.duplicated()]["country"].map(names).fillna("Afghanistan")
        ev = pts.assign(
            event_id=[f"e{i}" for i in range(n)],
            admin1="",
            country=country.to_numpy(),
            location_basis="bench",
        )
        join_admin1(ev.iloc[:100], admin1)  # build the prepared index outside the timing
        join_s = _median(lambda ev=ev: join_admin1(ev, admin1))
        enrich_s = _median(lambda ev=ev: enrich_events(ev, admin1, bundle.border, bundle.border_detail))
        methods = join_admin1(ev, admin1)["join_method"].value_counts().to_dict()
        print(f"{label}: join_admin1 {join_s:.3f} s, enrich_events {enrich_s:.3f} s (median of 5); {methods}")

    sel = select(bundle, Filters())
    decks = {
        "regional": regional_deck(sel.events, admin1, bundle.border, bundle.rivers, bundle.places),
        "sector": sector_deck(
            sel.events,
            sel.claims,
            admin1,
            bundle.border,
            bundle.rivers,
            bundle.places,
            border_bands(bundle.border),
        ),
    }
    for name, deck in decks.items():
        spec = json.loads(deck.to_json())
        sizes = {lyr["id"]: len(json.dumps(lyr, separators=(",", ":"))) for lyr in spec["layers"]}
        total = len(deck.to_json().encode())
        print(
            f"deck {name}: {total / 1024:.1f} KiB total; "
            + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sizes.items())
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
