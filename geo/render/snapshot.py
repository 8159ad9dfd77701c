"""Print-quality map snapshots (PNG, SVG, PDF): the entry point of the print renderer.

A snapshot shows what a map page shows: the same :class:`geo.scene.model.Scene`
(filtered events, visible layers, extent, colours, legend entries, caveats),
drawn in the interactive map's projection, **Web Mercator (EPSG:3857)**, so the
two line up. Around the map it adds the furniture a briefing needs: title,
subtitle (filter summary, data version and date), legend, a numbered key of
the events, a scale bar in kilometres that is true ground distance at the map
centre, a north arrow, an attribution line, the cited sources and a caveat line.

The drawing lives in :mod:`geo.render` (``print_map``, ``print_legend``,
``print_figure``, ``print_furniture``, ``print_geometry``, ``print_text``);
this module gives the one function callers need, :func:`snapshot`, and the
names the app and the command line import from here.

Output is deterministic: same bundle and request → identical bytes (no dates
or software versions in the file metadata, a fixed SVG hash salt, fonts loaded
by path from ``geo/fonts``). Nothing here touches the network. The second engine,
``engine="chromium"`` (:mod:`geo.render.chromium`), screenshots the interactive
deck in headless Chromium when ``/usr/bin/chromium`` and Playwright are installed.
"""

from __future__ import annotations

import geopandas as gpd

from geo.render.chromium import CHROMIUM, CHROMIUM_ARGS, chromium_available, chromium_snapshot
from geo.render.print_figure import Layout, Snapshot, compose, render_snapshot
from geo.render.print_geometry import (
    REFERENCE_VIEWPORT_PX,
    geodesic_circle,
    ground_km_to_merc,
    scale_bar_km,
    view_extent,
)
from geo.render.print_legend import event_key_line, legend_items
from geo.render.print_map import MapInfo, draw_map
from geo.render.print_text import METADATA, RC, RC_LOCK, annotate, font, put_text, render, text_width, wrap
from geo.render.request import ENGINES, FORMATS, MIME, SIZE_PRESETS, SnapshotRequest
from geo.report.provenance import ATTRIBUTION, DATASETS, cited_sources, data_as_of
from geo.scene.context import LEGEND_TEXT as LAYER_LEGEND
from geo.scene.request import PAGES, PageSpec
from geo.scene.style import CAVEAT_COLOUR, FRAME, INK, MUTED, PAPER, PT_PER_PX
from geo.scene.view import FROM_MERC, MERC_M_PER_PX_Z0, PROJECTION, TO_MERC, merc

__all__ = [
    "ATTRIBUTION",
    "CAVEAT_COLOUR",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DATASETS",
    "ENGINES",
    "FORMATS",
    "FRAME",
    "FROM_MERC",
    "INK",
    "LAYER_LEGEND",
    "Layout",
    "MERC_M_PER_PX_Z0",
    "METADATA",
    "MIME",
    "MUTED",
    "MapInfo",
    "PAGES",
    "PAPER",
    "PROJECTION",
    "PT_PER_PX",
    "PageSpec",
    "RC",
    "RC_LOCK",
    "REFERENCE_VIEWPORT_PX",
    "SIZE_PRESETS",
    "Snapshot",
    "SnapshotRequest",
    "TO_MERC",
    "annotate",
    "chromium_available",
    "chromium_snapshot",
    "cited_sources",
    "compose",
    "data_as_of",
    "draw_map",
    "event_key_line",
    "file_name",
    "font",
    "geodesic_circle",
    "ground_km_to_merc",
    "legend_items",
    "merc",
    "put_text",
    "render",
    "render_snapshot",
    "scale_bar_km",
    "snapshot",
    "text_width",
    "view_extent",
    "wrap",
]


def snapshot(
    bundle,
    req: SnapshotRequest,
    bands: gpd.GeoDataFrame | None = None,
    engine: str = "matplotlib",
) -> bytes:
    """The map of ``req`` as PNG, SVG or PDF bytes.

    Parameters
    ----------
    engine : {"matplotlib", "chromium"}
        ``matplotlib`` (default): deterministic, vector SVG/PDF, full furniture.
        ``chromium``: screenshot of the interactive deck in headless Chromium
        (PNG only; needs ``/usr/bin/chromium`` and Playwright).
    """
    if engine == "chromium":
        return chromium_snapshot(bundle, req, bands)
    if engine != "matplotlib":
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    return render_snapshot(bundle, req, bands).data


def file_name(req: SnapshotRequest, version: str = "") -> str:
    """A descriptive download name, e.g. ``panjwatch-sector-2025-1920x1080.png``."""
    years = "-".join(map(str, sorted(req.filters.years))) or "all"
    size = f"{req.width_px}x{req.height_px}"
    tail = f"-{version}" if version else ""
    return f"panjwatch-{req.page}-{years}-{size}{tail}.{req.fmt}"
