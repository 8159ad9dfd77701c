"""Province join at scale and deck payload of the default views, before/after a shapes change.

Run by hand: ``.venv/bin/python bench/bench_coverage.py [N]`` (default 100,000 events).
Prints the median of 5 runs of :func:`geo.join.join_admin1` and
:func:`geo.enrich.enrich_events` on N distinct random points spread over
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


def _median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(n: int = 100_000) -> None:
    from geo.bands import border_bands
    from geo.deck import regional_deck, sector_deck
    from geo.enrich import enrich_events
    from geo.filters import Filters
    from geo.join import join_admin1
    from geo.load import load_bundle
    from geo.selection import select

    bundle = load_bundle()
    admin1 = bundle.admin1
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(60, 76, n), rng.uniform(29, 42, n)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    names = {
        "TJ": "Tajikistan",
        "AF": "Afghanistan",
        "PK": "Pakistan",
        "UZ": "Uzbekistan",
        "TM": "Turkmenistan",
        "KG": "Kyrgyzstan",
        "IR": "Iran",
        "CN": "China",
    }
    hit = gpd.sjoin(pts, admin1[["country", "geometry"]], how="left", predicate="within")
    hit = hit[~hit.index.duplicated()]
    country = hit["country"].map(names).fillna("Afghanistan")
    ev = pts.assign(
        event_id=[f"e{i}" for i in range(n)], admin1="", country=country.to_numpy(), location_basis="bench"
    )
    print(
        f"{len(admin1)} provinces, {int(admin1.geometry.count_coordinates().sum()):,} vertices; {n:,} points"
    )
    join_admin1(ev.iloc[:100], admin1)  # build the prepared index outside the timing
    print(f"join_admin1    median of 5: {_median(lambda: join_admin1(ev, admin1)):.3f} s")
    print(
        f"enrich_events  median of 5: {_median(lambda: enrich_events(ev, admin1, bundle.border, bundle.border_detail)):.3f} s"
    )
    methods = join_admin1(ev, admin1)["join_method"].value_counts().to_dict()
    print(f"join methods: {methods}")

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
