"""The offline HTML renderer: a :class:`~geo.scene.model.Scene` as a standalone page that works offline.

The page is the deck the app shows (:func:`geo.render.deck.draw` of the same
scene: same layers, colours and tooltips), rendered by the deck.gl bundle that
pydeck ships (``pydeck/nbextension/static/index.js``), inlined into the file.
pydeck's own ``to_html`` links a CDN, Mapbox GL and Bootstrap; this page loads
nothing: no basemap, no fonts, no scripts from the network. Title, filter
summary, legend, caveats, attribution and cited sources are overlaid as HTML
through a Jinja2 template with autoescape (``templates/map_page.html``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pydeck as pdk

from geo.render.deck import TOOLTIP, draw, escape_tooltips
from geo.render.legend_html import ENV, legend_html
from geo.render.request import SnapshotRequest
from geo.report.formatting import fmt_day
from geo.scene.build import build_scene
from geo.scene.model import Scene
from geo.scene.view import FROM_MERC, MERC_M_PER_PX_Z0, View, merc

#: The deck.gl bundle pydeck uses in notebooks (UMD: defines ``createDeck``).
DECK_BUNDLE = Path(pdk.__file__).parent / "nbextension" / "static" / "index.js"


@lru_cache(maxsize=1)
def deck_bundle_js() -> str:
    """pydeck's deck.gl bundle, without its source-map comment (a devtools fetch)."""
    js = DECK_BUNDLE.read_text(encoding="utf-8")
    lines = [ln for ln in js.splitlines() if not ln.startswith("//# sourceMappingURL=")]
    js = "\n".join(lines)
    # An inline <script> ends at the first "</script"; the bundle has none, keep it that way.
    return js.replace("</script", "<\\/script")


def scene_for(bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> Scene:
    """The screen scene of ``req`` (what the map page shows; offline: no basemap)."""
    problems = req.problems()
    if problems:
        raise ValueError("; ".join(problems))
    return build_scene(bundle, req.map_request(printed=False), bands)


def deck_for(bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> pdk.Deck:
    """The deck the map page of ``req`` shows (offline: no basemap)."""
    return draw(scene_for(bundle, req, bands))


def _dashes(path: list[list[float]], dash_m: float, gap_m: float) -> list[list[list[float]]]:
    """Split a lon/lat path into dash pieces ``dash_m`` long with ``gap_m`` gaps (Web Mercator metres)."""
    x, y = merc(np.array([p[0] for p in path]), np.array([p[1] for p in path]))
    pts = np.column_stack([x, y])
    seg = np.hypot(*np.diff(pts, axis=0).T)
    total = float(seg.sum())
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    out = []
    start = 0.0
    while start < total:
        end = min(start + dash_m, total)
        s = np.linspace(start, end, 2)
        xs, ys = np.interp(s, cum, pts[:, 0]), np.interp(s, cum, pts[:, 1])
        lon, lat = FROM_MERC.transform(xs, ys)
        out.append([[round(float(a), 5), round(float(b), 5)] for a, b in zip(lon, lat, strict=True)])
        start = end + gap_m
    return out


def undash(spec: dict, view: View) -> dict:
    """Replace PathStyleExtension dashes (not in pydeck's bundle) by pre-cut dash pieces.

    The claim links are dashed so they read as claims; the offline bundle's JSON
    converter does not know the extension, so the dashes are cut in advance: 6 px
    on, 4 px off at the initial zoom (they scale with the map when zooming).
    """
    m_per_px = MERC_M_PER_PX_Z0 / 2**view.zoom
    for layer in spec.get("layers", []):
        exts = layer.get("extensions") or []
        if not any(isinstance(e, dict) and e.get("@@type") == "PathStyleExtension" for e in exts):
            continue
        dash, gap = (layer.get("getDashArray") or [6, 4])[:2]
        pieces = []
        for rec in layer.get("data", []):
            for piece in _dashes(rec["path"], dash * m_per_px, gap * m_per_px):
                pieces.append({**rec, "path": piece})
        layer["data"] = pieces
        for key in ("extensions", "getDashArray", "dashJustified"):
            layer.pop(key, None)
    return spec


def _json_for_script(obj) -> str:
    # "<" only occurs inside JSON strings, where \u003c means the same thing and cannot close the tag.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")


CSS = """
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; background: #f4f4f2;
  font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1e1e1e; }
#deck-container { position: absolute; inset: 0; }
#deck-container canvas { z-index: 1; }
.pw-box { position: absolute; z-index: 10; background: rgba(255,255,255,0.9); border: 1px solid #bbb;
  border-radius: 3px; padding: 6px 9px; font-size: 12px; line-height: 1.45; max-width: 46%; }
#pw-title { top: 8px; left: 8px; }
#pw-title h1 { font-size: 16px; margin: 0 0 2px 0; }
#pw-legend { top: 8px; right: 8px; max-width: 300px; }
#pw-legend .pw-sw { vertical-align: -2px; margin-right: 3px; }
#pw-foot { bottom: 8px; left: 8px; right: 8px; max-width: none; font-size: 10.5px; color: #444; }
#pw-foot .caveat { color: #8c2d04; }
"""


def draw_page(scene: Scene, title: str | None = None) -> str:
    """The standalone page of a screen scene (built by :func:`geo.scene.build.build_scene`)."""
    spec = json.loads(draw(scene).to_json())
    spec.pop("mapStyle", None)  # no basemap: pydeck's sentinel is only meaningful to Streamlit
    spec.pop("mapProvider", None)
    # pydeck's bundle fills the tooltip template raw (Streamlit escapes, this does not).
    spec = escape_tooltips(undash(spec, scene.view))
    cr = scene.credits
    subtitle = (
        f"Filters: {cr['filters']} · {scene.n_selected} events selected, {len(scene.placed)} with coordinates · "
        f"data version {cr['version']}, records to {fmt_day(cr['as_of'])}"
    )
    caveats = list(scene.caveats.values())
    return ENV.get_template("map_page.html").render(
        title=title or scene.title,
        subtitle=subtitle,
        css_text=CSS,
        bundle_js=deck_bundle_js(),
        legend=legend_html(scene.legend, layout="block", heading="Legend"),
        caveat=("Caveat: " + " ".join(caveats)) if caveats else "",
        attribution=cr["attribution"],
        version=cr["version"],
        sources=cr["sources"],
        deck_json=_json_for_script(spec),
        tooltip_json=_json_for_script(TOOLTIP),
    )


def map_html(bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> str:
    """A self-contained HTML page of the map ``req`` describes (fmt and size are ignored).

    Parameters
    ----------
    bundle : Bundle
        Loaded data.
    req : SnapshotRequest
        Page, filters, visible layers, view and (regional) shading.
    bands : GeoDataFrame, optional
        Border distance bands for the sector map (built when missing).

    Returns
    -------
    str
        UTF-8 HTML; opens from disk with no network.
    """
    return draw_page(scene_for(bundle, req, bands), title=req.title)


def file_name(req: SnapshotRequest) -> str:
    """Download name, e.g. ``panjwatch-sector-2025.html``."""
    years = "-".join(map(str, sorted(req.filters.years))) or "all"
    return f"panjwatch-{req.page}-{years}.html"
