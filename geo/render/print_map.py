"""The print renderer's map: a :class:`~geo.scene.model.Scene` drawn into a matplotlib Axes.

Layers are drawn in the scene's order by kind, in Web Mercator (EPSG:3857)
metres; sizes are the scene's CSS pixels at 0.75 pt each, times the figure's
size factor ``k``. Labels are placed without overlaps in the order of their
layer's priority (:data:`geo.scene.style.LABELS`: event numbers first, provinces
last); a label that finds no room is dropped rather than drawn over
another, except those marked as always drawn (capitals, who claims an origin).
:func:`draw_map` runs the drawers of :mod:`geo.render.print_layers` and the
labellers of :mod:`geo.render.print_labels` and returns what it drew (:class:`MapInfo`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.render.print_furniture import draw_graticule, draw_north_arrow, draw_scale_bar, scale_bar_corner
from geo.render.print_geometry import (
    Labeller,
    scale_bar_km,
)
from geo.render.print_labels import (
    SHOWN_COLUMNS,
    _claim_labels,
    _event_numbers,
    _point_labels,
    _province_labels,
)
from geo.render.print_layers import (
    Z_GRATICULE,
    _bins,
    _circles,
    _claims,
    _inside,
    _lines,
    _markers,
    _points,
    _polygons,
    marker_positions,
    off_map,
)
from geo.scene import style as S
from geo.scene.model import Scene
from geo.scene.style import PT_PER_PX
from geo.scene.view import FROM_MERC, merc


@dataclass
class MapInfo:
    """What :func:`draw_map` drew, for the legend, the caveat and tests."""

    extent: tuple[float, float, float, float]
    shown: pd.DataFrame  # numbered events on the map: event_id, number, x, y (EPSG:3857), category …
    categories: list[str]
    outside: list[str]  # locations of placed events outside the extent
    unplaced: list[str]  # locations of events without coordinates
    estimates: int  # shown events with geo_precision ≥ 2
    radii_km: list[float]
    facing: tuple[str, ...]
    shade_max: int | None
    scale_km: int
    scale_lat: float
    claims: int
    # Above the policy's markers threshold, imported events are counted in hexagons (as on
    # the interactive map) and only curated ones are numbered markers.
    binned: int = 0  # imported events counted in hexagons on this map
    binned_outside: int = 0  # imported events outside the extent
    bin_cells: int = 0
    bin_km: float = 0.0
    bin_max: int = 0


def draw_map(
    ax, scene: Scene, extent: tuple[float, float, float, float], box_pt: tuple[float, float], k: float = 1.0
) -> MapInfo:
    """Draw ``scene`` into ``ax`` (Web Mercator metres), with scale bar, north arrow and labels.

    Parameters
    ----------
    ax : matplotlib Axes
        Its box must have the aspect ratio of ``extent``.
    scene : Scene
        A print scene (:class:`geo.scene.request.MapRequest` with a ``size``).
    extent : tuple
        xmin, ymin, xmax, ymax in EPSG:3857 metres.
    box_pt : tuple
        Width and height of the axes in points.
    k : float
        Size factor for text and symbols (1 ≈ a 1920 × 1080 px figure at 150 dpi).
    """
    xmin, ymin, xmax, ymax = extent
    m_per_pt = (xmax - xmin) / box_pt[0]
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_facecolor(S.MAP_BACKGROUND)
    lab = Labeller(extent, m_per_pt, box_pt)

    recs = [r for r in marker_positions(scene, m_per_pt, k) if _inside(extent, *merc(*r["true_position"]))]
    # Furniture first, so labels keep clear of it.
    lab.block(draw_scale_bar(ax, extent, k, scale_bar_corner(extent, recs, m_per_pt), m_per_pt))
    lab.block(draw_north_arrow(ax, extent, k, m_per_pt))
    for r in recs:
        lab.block_circle(*merc(*r["position"]), r["radius_px"] * PT_PER_PX * k + 1.5 * k)
    draw_graticule(ax, extent, k, Z_GRATICULE)

    bins_info = {
        "binned": 0,
        "binned_outside": scene.bins.count if scene.bins else 0,
        "bin_cells": 0,
        "bin_km": 0.0,
        "bin_max": 0,
    }
    prov, radii, claims = None, [], 0
    for lyr in scene.layers:
        if lyr.kind == "polygons":
            clipped = _polygons(ax, lyr, extent, k)
            if lyr.group == "provinces":
                prov = clipped
        elif lyr.kind == "lines" and lyr.group == "claims":
            _claims(ax, lyr, k, m_per_pt, lab)
            claims = len(lyr.features)
        elif lyr.kind == "lines":
            _lines(ax, lyr, extent, k)
        elif lyr.kind == "points" and lyr.group != "claims":
            _points(ax, lyr, extent, k)
        elif lyr.kind == "bins" and scene.bins is not None and scene.bins.mask.any():
            _bins(ax, scene, extent, m_per_pt, k, bins_info)
        elif lyr.kind == "circles":
            radii = _circles(ax, lyr, extent, k)
        elif lyr.kind == "markers":
            _markers(ax, recs, k, m_per_pt)

    # Labels, most important first: event numbers, then the text layers by priority, provinces last.
    shown_rows = _event_numbers(ax, recs, k, lab) if scene.layer("events") is not None else []
    for lyr in sorted((lyr for lyr in scene.layers if lyr.kind == "text"), key=lambda lyr: lyr.priority):
        if lyr.group == "claims":
            _claim_labels(ax, lyr, k, lab)
        else:
            _point_labels(ax, lyr, extent, k, lab, recs, m_per_pt)
    if prov is not None:
        _province_labels(ax, prov, extent, k, lab)

    ax.set_xlabel("")
    ax.set_ylabel("")
    shown = pd.DataFrame(shown_rows, columns=SHOWN_COLUMNS)
    km, _ = scale_bar_km(extent)
    _, clat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
    return MapInfo(
        extent=extent,
        shown=shown,
        categories=sorted(set(shown["category"]), key=lambda c: (c not in S.FILLED, c)),
        outside=off_map(scene, extent),
        unplaced=list(scene.unplaced),
        estimates=int((shown["geo_precision"] >= 2).sum()) if len(shown) else 0,
        radii_km=sorted(set(radii)),
        facing=scene.facing,
        shade_max=scene.shade_max,
        scale_km=km,
        scale_lat=clat,
        claims=claims,
        **bins_info,
    )
