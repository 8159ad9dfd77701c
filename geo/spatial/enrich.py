"""Events enriched with the shapes: province join, border distance, facing province."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.data.names import country_codes
from geo.data.paths import METRIC_CRS
from geo.report.provenance import border_length_km
from geo.spatial.border import border_distance_km, facing_admin1
from geo.spatial.join import DEFAULT_TOLERANCE_KM, join_admin1, outside_reason


def enrich_events(
    events: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame,
    border: gpd.GeoDataFrame,
    border_detail: gpd.GeoDataFrame | None = None,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
) -> gpd.GeoDataFrame:
    """Return ``events`` with the join and border columns added (no row dropped).

    Adds the columns of :func:`geo.spatial.join.join_admin1` plus ``border_distance_km``
    (to the Natural Earth 1:10M line ``border``), ``border_distance_detail_km``
    (to the WDB-II line when ``border_detail`` is given), ``border_line`` (which
    line the main figure is measured against) and ``facing_admin1``. The side of
    the border is the joined province's country, else the event's own
    ``country`` (a point in a third country faces nothing).
    """
    joined = join_admin1(events, admin1, tolerance_km=tolerance_km)
    out = events.join(joined)
    # Reprojected once here: the border and facing steps measure in UTM 42N, and
    # to_crs on a frame already in the target CRS costs nothing.
    metric = events[["geometry"]].to_crs(METRIC_CRS)
    out["border_distance_km"] = border_distance_km(metric, border).round(2)
    out["border_line"] = f"Natural Earth 1:10M admin-1 ({border_length_km(border):,.1f} km line)"
    if border_detail is not None:
        out["border_distance_detail_km"] = border_distance_km(metric, border_detail).round(2)
    side = joined["join_country"].astype("string")
    if "country" in events:
        side = side.fillna(country_codes(events["country"]))
    out["facing_admin1"] = facing_admin1(metric, side, admin1, out["border_distance_km"])
    return out


def join_report(events: pd.DataFrame, tolerance_km: float = DEFAULT_TOLERANCE_KM) -> list[str]:
    """Human-readable lines for every event that was not cleanly joined.

    Unplaced events, points outside every province (with the reason: the
    country has no shipped province, or it is farther than ``tolerance_km``
    from every province of its country), points matched by the tolerance rule
    and disagreements with the source's ``admin1`` are reported: nothing is
    left out silently. Only curated events (no ``dataset`` column, or
    ``dataset == "curated"``) have a "curated" province; for imported ones the
    line says "the export's admin1".
    """
    lines: list[str] = []
    cols = ["event_id", "join_method", "join_distance_km", "admin1", "join_admin1", "admin1_mismatch"]
    frame = events.reindex(columns=[*cols, "location_basis", "country", "dataset"])
    for eid, method, dist, given, joined, mismatch, basis, country, dataset in frame.itertuples(index=False):
        if method == "unplaced":
            lines.append(f"{eid}: not on the map — {basis}")
        elif method == "outside":
            reason = outside_reason(country, dist, tolerance_km)
            lines.append(f"{eid}: not joined to a province: {reason} (kept, shown where it is)")
        elif method == "nearest":
            lines.append(
                f"{eid}: outside every polygon by {dist:.1f} km; matched to nearest province {joined}"
            )
        if pd.notna(mismatch) and bool(mismatch):
            whose = "curated admin1" if pd.isna(dataset) or dataset == "curated" else "the export's admin1 is"
            lines.append(f"{eid}: {whose} '{given}' but the point falls in '{joined}'")
    return lines
