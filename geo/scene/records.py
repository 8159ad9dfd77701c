"""Feature records of the event, claim and place layers (lon/lat, plain text tooltips).

Text from data reaches a tooltip only through the plain-text ``tip_*`` fields
of a record; renderers escape them where they substitute into HTML.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.schema import GEO_PRECISION, TIME_PRECISION
from geo.report.formatting import fmt_day, fmt_range
from geo.scene import style as S

#: Plain-text tooltip fields every pickable record carries (empty strings allowed).
TIP_FIELDS = ("tip_title", "tip_1", "tip_2", "tip_3")
#: The border-distance fields a marker carries (km; ``geo.spatial.uncertainty``), NA when not measured.
BORDER_FIELDS = ("border_km_min", "border_km_max", "border_distance_km")
#: Place kinds drawn as reference places, capitals first where labels compete.
PLACE_KINDS = ("capital", "settlement")


def casualty_range(lo, hi) -> str:
    """``"4–5"``, ``"3"`` or ``"not reported"`` (tooltips and the print key)."""
    return fmt_range(lo, hi, missing="not reported")


def event_tips(row) -> dict[str, str]:
    """Tooltip fields of an event, as plain text (never HTML)."""
    date = fmt_day(row["event_date"])
    prec = TIME_PRECISION.get(int(row["time_precision"]), "?")
    gprec = GEO_PRECISION.get(int(row["geo_precision"]), "?")
    unc = row.get("uncertainty_km")
    unc_txt = f", ±{float(unc):g} km" if pd.notna(unc) else ""
    return {
        "tip_title": str(row["location"]),
        "tip_1": f"{date} ({prec}) · {row['category']}",
        "tip_2": f"killed {casualty_range(row['fatalities'], row['fatalities_high'])}, "
        f"injured {casualty_range(row['injured'], row['injured_high'])}",
        "tip_3": f"place: {gprec}{unc_txt}",
    }


def placed_only(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows with a non-empty geometry (``gdf`` itself when all have one: a million-row selection is not copied)."""
    mask = ~(gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    return gdf if mask.all() else gdf[mask]


def _km_or_none(v) -> float | None:
    return None if v is None or pd.isna(v) else round(float(v), 2)


def marker_records(events: gpd.GeoDataFrame) -> list[dict]:
    """One record per placed event, with its co-location ring (``ring_rank`` of ``ring_size``).

    Events that share a coordinate (both seed attacks are coded to the same
    district centre) are drawn :data:`geo.scene.style.SPREAD_PX` apart around
    the coded point (:func:`spread`); ``true_position`` is the coded coordinate.
    """
    placed = placed_only(events)
    if placed.empty:
        return []
    lon = placed.geometry.x.round(5).to_numpy()
    lat = placed.geometry.y.round(5).to_numpy()
    key = pd.Series([f"{a:.5f},{b:.5f}" for a, b in zip(lon, lat, strict=True)], index=placed.index)
    rank = key.groupby(key).cumcount().to_numpy()
    size = key.map(key.value_counts()).to_numpy()
    out = []
    for i, (_, row) in enumerate(placed.iterrows()):
        cat = row["category"]
        unc = row["uncertainty_km"]
        out.append(
            {
                "event_id": row["event_id"],
                "true_position": [float(lon[i]), float(lat[i])],
                "ring_rank": int(rank[i]),
                "ring_size": int(size[i]),
                "category": cat,
                "filled": cat in S.FILLED,
                **S.event_paint(cat),
                "radius_px": S.event_radius_px(row["fatalities"], row["injured"]),
                "uncertainty_m": 0.0 if pd.isna(unc) else float(unc) * 1000.0,
                **event_tips(row),
                # What the print key and caveats need, straight from the record.
                "date": pd.Timestamp(row["event_date"]),
                "time_precision": int(row["time_precision"]),
                "location": str(row["location"]),
                "fatalities": row["fatalities"],
                "fatalities_high": row["fatalities_high"],
                "injured": row["injured"],
                "injured_high": row["injured_high"],
                "geo_precision": int(row["geo_precision"]),
                "uncertainty_km": unc,
                # The border distance over the uncertainty area (the key prints it; NA when unknown).
                **{k: _km_or_none(row.get(k)) for k in BORDER_FIELDS},
            }
        )
    return out


def spread(markers: list[dict], step_m: float) -> list[list[float]]:
    """Drawn positions ``[lon, lat]`` of ``markers``: co-located ones ``step_m`` ground metres apart.

    Renderers pass :data:`geo.scene.style.SPREAD_PX` converted at their own scale,
    so the markers sit the same number of pixels (or points) apart everywhere.
    """
    out = []
    for r in markers:
        lon, lat = r["true_position"]
        n = r["ring_size"]
        if n > 1:
            angle = 2 * np.pi * r["ring_rank"] / max(n, 1) + np.pi / 2
            dlat = step_m * np.sin(angle) / 111_320.0
            dlon = step_m * np.cos(angle) / (111_320.0 * np.cos(np.radians(lat)))
        else:
            dlat = dlon = 0.0
        out.append([round(float(lon + dlon), 5), round(float(lat + dlat), 5)])
    return out


def claim_records(events: gpd.GeoDataFrame, claims: pd.DataFrame, places: gpd.GeoDataFrame) -> list[dict]:
    """One record per claim that names a point of origin: a link from origin to event."""
    with_origin = claims[claims["origin_place_id"] != ""]
    if with_origin.empty:
        return []
    ev = events.set_index("event_id")
    pl = places.set_index("place_id")
    out = []
    for c in with_origin.itertuples(index=False):
        if c.event_id not in ev.index or c.origin_place_id not in pl.index:
            continue
        eg, og = ev.loc[c.event_id, "geometry"], pl.loc[c.origin_place_id, "geometry"]
        if eg is None or og is None or eg.is_empty:
            continue
        who = f"{c.speaker}" + (f" ({c.speaker_body})" if c.speaker_body else "")
        origin_name = str(pl.loc[c.origin_place_id, "name"])
        out.append(
            {
                "event_id": c.event_id,
                "claim_id": c.claim_id,
                "path": [[round(og.x, 5), round(og.y, 5)], [round(eg.x, 5), round(eg.y, 5)]],
                "origin": [round(og.x, 5), round(og.y, 5)],
                "mid": [round((og.x + eg.x) / 2, 5), round((og.y + eg.y) / 2, 5)],
                "label": f"origin claimed by {who}",
                "tip_title": "Claimed point of origin",
                "tip_1": origin_name,
                "tip_2": f"claimed by {who}",
                "tip_3": "a claim, not an established fact",
            }
        )
    return out


def place_records(places: gpd.GeoDataFrame) -> list[dict]:
    """Reference places (settlements and capitals): short name, kind, position (4 decimals)."""
    pts = placed_only(places)
    pts = pts[pts["kind"].isin(list(PLACE_KINDS))]
    short = pts["name"].str.split(r" \(|,", regex=True).str[0]
    return [
        {"name": s, "kind": k, "position": [round(g.x, 4), round(g.y, 4)]}
        for s, k, g in zip(short, pts["kind"], pts.geometry, strict=True)
    ]
