"""Hand-built stored datasets for the store tests, independent of the file parsers.

``events(name, rows)`` builds normalised imported events (the columns an
importer produces) from a few dicts; ``put(store, name, rows)`` enriches them
with the bundled shapes and writes them as ``panjwatch import`` would.
"""

from __future__ import annotations

import functools

import pandas as pd

from geo.data.columns import IMPORTED_COLUMNS, IMPORTED_TIER, to_geodataframe
from geo.data.paths import DATA_DIR

BASE = {
    "date_end": None,
    "time_precision": 1,
    "date_basis": "as reported",
    "category": "clash",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Taliban",
    "assoc_actor_1": "",
    "actor2": "Civilians (Afghanistan)",
    "assoc_actor_2": "",
    "country": "Afghanistan",
    "admin1": "Badakhshan",
    "admin2": "Khwahan",
    "location": "Khwahan",
    "geo_precision": 1,
    "uncertainty_km": 2.0,
    "location_basis": "ACLED coordinates",
    "place_id": "",
    "source": "Pajhwok",
    "source_tier": IMPORTED_TIER,
    "notes": "Fighting.",
    "fatalities": 1,
    "fatalities_high": 1,
    "injured": None,
    "injured_high": None,
    "casualty_basis": "ACLED fatalities",
    "inter1": "Rebel group",
    "inter2": "Civilians",
    "fatalities_best": None,
}
KHWAHAN = (37.8833, 70.2167)
DUSHANBE = (38.56, 68.77)
BENIN = (12.07, 3.18)


def events(name: str, rows: list[dict]) -> pd.DataFrame:
    """Normalised imported events of dataset ``name``: ``rows`` override :data:`BASE` per event.

    Each row needs ``lat``/``lon`` (degrees, EPSG:4326); ``id`` and ``date`` default to the row number.
    """
    out = []
    for i, r in enumerate(rows, start=1):
        rec = {**BASE, **{k: v for k, v in r.items() if k not in ("lat", "lon", "id", "date")}}
        date = pd.Timestamp(r.get("date", f"2024-01-{i:02d}"))
        rec.update(
            event_id=f"{name}:{r.get('id', i)}",
            event_date=date,
            year=date.year,
            latitude=r["lat"],
            longitude=r["lon"],
            dataset=name,
            source_row=i + 1,
        )
        out.append(rec)
    df = pd.DataFrame(out, columns=[c for c in IMPORTED_COLUMNS if c != "source_ids"])
    return to_geodataframe(df)


@functools.cache
def shapes():
    from geo.data.load import load_shapes

    frames, _ = load_shapes(DATA_DIR / "shapes")
    return frames["admin1"], frames["border"], frames["border_detail"]


def put(store, name: str, rows: list[dict], fmt: str = "acled", **kw):
    """Enrich and store ``rows`` as dataset ``name``; returns the DatasetInfo."""
    from geo.data.importers.enrichment import enrich_imported
    from geo.data.store import shapes_version

    gdf = events(name, rows)
    enriched = enrich_imported(gdf, *shapes()) if len(gdf) else _empty_enriched(gdf)
    return store.write(
        name,
        enriched,
        fmt=fmt,
        source_name=f"{name}.csv",
        source_sha256="0" * 64,
        shapes_version=shapes_version(DATA_DIR),
        **kw,
    )


def _empty_enriched(gdf):
    from geo.data.importers.enrichment import enrich_imported

    one = events("x", [{"lat": KHWAHAN[0], "lon": KHWAHAN[1]}])
    return enrich_imported(one, *shapes()).iloc[:0].assign(event_id=pd.Series([], dtype="str"))
