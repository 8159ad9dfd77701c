"""Server-side hexagon bins of events, so the browser never receives a million points.

Above :data:`geo.scene.policy.MAP_MARKERS_MAX` events, the maps (the scene of
:mod:`geo.scene`, drawn by every renderer) show one pickable hexagon per
occupied cell instead of one marker per event (its tooltip gives the count,
dates, casualties and categories, as plain ``tip_*`` fields like every other
record); curated events stay individual markers on top (they are few and each
has a story).

Hexagons are laid out in UTM zone 42N (EPSG:32642, metres), where the region
sits, so a cell is the same size on the ground everywhere; their corners are
projected back to lon/lat. The cell size follows the view: about
:data:`geo.scene.style.CELL_PX` screen pixels across at the view's zoom.
Counting is NumPy (``np.unique`` + ``np.bincount``), no per-event Python.
This module only counts; it draws nothing.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.data.paths import METRIC_CRS, WGS84
from geo.report.formatting import fmt_day
from geo.scene.policy import MAP_MARKERS_MAX, curated_mask
from geo.scene.style import BIN_ALPHA, BIN_RAMP, CELL_PX, bin_classes
from geo.scene.view import View, metres_per_pixel

#: Above this many events (after filtering) the maps switch to hexagon bins (the policy's number).
AGGREGATE_THRESHOLD = MAP_MARKERS_MAX
#: Layer id of the bins (curated markers keep the ``events`` id).
BIN_LAYER_ID = "event-bins"
__all__ = [
    "AGGREGATE_THRESHOLD",
    "BIN_ALPHA",
    "BIN_LAYER_ID",
    "BIN_RAMP",
    "CELL_PX",
    "bin_colour",
    "bin_records",
    "bin_tips",
    "cell_km_for",
    "curated_mask",
    "hex_bins",
]

_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)
_SQRT3 = math.sqrt(3.0)


def cell_km_for(view: View, cell_px: float = CELL_PX) -> float:
    """Hexagon width (centre-to-centre, km) that spans ``cell_px`` pixels at ``view``'s zoom."""
    return round(metres_per_pixel(view.latitude, view.zoom) * cell_px / 1000.0, 3)


def _coords(events: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = events.geometry
    placed = ~(g.isna() | g.is_empty).to_numpy()
    pts = g.to_numpy()[placed]
    return shapely.get_x(pts), shapely.get_y(pts), placed


def _hex_round(qf: np.ndarray, rf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Cube-coordinate rounding: round all three, then fix the one with the largest error.
    sf = -qf - rf
    q, r, s = np.rint(qf), np.rint(rf), np.rint(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(np.int64), r.astype(np.int64)


def hex_bins(
    events: gpd.GeoDataFrame,
    cell_km: float,
    bbox: tuple[float, float, float, float] | None = None,
    mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """Count events and sum casualties per hexagon.

    Parameters
    ----------
    events : GeoDataFrame
        Events (EPSG:4326) with ``event_date``, ``category``, ``fatalities``,
        ``fatalities_high`` and ``injured``; unplaced ones are skipped.
    cell_km : float
        Distance between neighbouring hexagon centres, km (measured in EPSG:32642).
    bbox : tuple, optional
        ``(lon_min, lat_min, lon_max, lat_max)``: only events inside are binned.
    mask : array of bool, optional
        Only events where ``mask`` is true are binned (saves copying a large frame).

    Returns
    -------
    DataFrame
        One row per occupied hexagon, ordered by cell: ``q``, ``r`` (axial cell
        coordinates), ``count``, ``fatalities`` (sum of low figures),
        ``fatalities_high`` (sum of high figures, low where no high), ``injured``,
        ``first`` and ``last`` (dates), ``categories`` (dict category → count)
        and ``polygon`` (six ``[lon, lat]`` corners, 4 decimals).
    """
    cols = [
        "q",
        "r",
        "count",
        "fatalities",
        "fatalities_high",
        "injured",
        "first",
        "last",
        "categories",
        "polygon",
    ]
    if events.empty:
        return pd.DataFrame(columns=cols)
    lon, lat, placed = _coords(events)
    keep = placed if mask is None else placed & np.asarray(mask, dtype=bool)
    lon, lat = lon[keep[placed]], lat[keep[placed]]
    # Only the columns counted here: a million-row selection is never copied whole.
    sub = pd.DataFrame(events[["event_date", "category", "fatalities", "fatalities_high", "injured"]])[keep]
    if bbox is not None:
        inside = (lon >= bbox[0]) & (lon <= bbox[2]) & (lat >= bbox[1]) & (lat <= bbox[3])
        lon, lat, sub = lon[inside], lat[inside], sub[inside]
    if len(sub) == 0:
        return pd.DataFrame(columns=cols)
    x, y = _TO_METRIC.transform(lon, lat)
    size = cell_km * 1000.0 / _SQRT3  # centre-to-corner of a pointy-top hexagon
    q, r = _hex_round((_SQRT3 / 3.0 * x - y / 3.0) / size, (2.0 / 3.0 * y) / size)
    key = (q + (1 << 20)) * (1 << 21) + (r + (1 << 20))
    # Hash-based factorize is O(n); only the few occupied cells are sorted (for a stable order).
    codes, cells = pd.factorize(key)
    order_cells = np.argsort(cells, kind="stable")
    rank = np.empty_like(order_cells)
    rank[order_cells] = np.arange(len(cells))
    inv = rank[codes]
    n = len(cells)
    first_idx = np.empty(n, dtype=np.int64)
    first_idx[inv[::-1]] = np.arange(len(inv))[::-1]
    fat = sub["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float)
    fat_hi = sub["fatalities_high"].astype("Float64").fillna(sub["fatalities"].astype("Float64")).fillna(0)
    inj = sub["injured"].astype("Float64").fillna(0).to_numpy(dtype=float)
    span = pd.Series(pd.to_datetime(sub["event_date"]).to_numpy()).groupby(inv).agg(["min", "max"])
    cat_codes, cat_names = pd.factorize(sub["category"], sort=True)
    cat_codes = np.asarray(cat_codes, dtype=np.int64)
    k = len(cat_names)
    per_cat = np.bincount(inv * k + cat_codes, minlength=n * k).reshape(n, k)
    qc, rc = q[first_idx], r[first_idx]
    cx, cy = size * _SQRT3 * (qc + rc / 2.0), size * 1.5 * rc
    angles = np.radians(30.0 + 60.0 * np.arange(6))
    vx = (cx[:, None] + size * np.cos(angles)[None, :]).ravel()
    vy = (cy[:, None] + size * np.sin(angles)[None, :]).ravel()
    vlon, vlat = _TO_LONLAT.transform(vx, vy)
    corners = np.round(np.stack([vlon, vlat], axis=-1), 4).reshape(n, 6, 2)
    return pd.DataFrame(
        {
            "q": qc,
            "r": rc,
            "count": np.bincount(inv, minlength=n),
            "fatalities": np.bincount(inv, weights=fat, minlength=n).round().astype(np.int64),
            "fatalities_high": np.bincount(inv, weights=fat_hi.to_numpy(dtype=float), minlength=n)
            .round()
            .astype(np.int64),
            "injured": np.bincount(inv, weights=inj, minlength=n).round().astype(np.int64),
            "first": span["min"].to_numpy(),
            "last": span["max"].to_numpy(),
            "categories": [{str(cat_names[j]): int(c[j]) for j in np.flatnonzero(c)} for c in per_cat],
            "polygon": corners.tolist(),
        },
        columns=cols,
    )


def bin_colour(count: np.ndarray, top: int) -> np.ndarray:
    """Ramp class of each count on a log scale (0 = lightest): :func:`geo.scene.style.bin_classes`."""
    return bin_classes(count, top)


def bin_tips(row, cell_km: float) -> dict[str, str]:
    """Tooltip fields of one hexagon, as plain text (the deck's ``TOOLTIP`` template escapes them)."""
    killed = (
        f"{row['fatalities']:,}"
        if row["fatalities_high"] == row["fatalities"]
        else (f"{row['fatalities']:,}–{row['fatalities_high']:,}")
    )
    cats = sorted(row["categories"].items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "tip_title": f"{row['count']:,} events in this {cell_km:g} km hexagon",
        "tip_1": f"{fmt_day(row['first'])} – {fmt_day(row['last'])}",
        "tip_2": f"killed {killed}, injured {row['injured']:,} (sums of reported figures)",
        "tip_3": " · ".join(f"{c} {n:,}" for c, n in cats),
    }


def bin_records(bins: pd.DataFrame, cell_km: float) -> list[dict]:
    """One deck.gl record per hexagon: corners, count, colour and tooltip fields."""
    if bins.empty:
        return []
    cls = bin_colour(bins["count"].to_numpy(), int(bins["count"].max()))
    return [
        {
            "polygon": poly,
            "count": int(n),
            "fill": [*BIN_RAMP[c], BIN_ALPHA],
            **bin_tips(row, cell_km),
        }
        for poly, n, c, row in zip(bins["polygon"], bins["count"], cls, bins.to_dict("records"), strict=True)
    ]
