"""Standalone interactive HTML of a map page that works offline.

The page is the same deck the app shows (:func:`geo.deck.regional_deck` /
:func:`geo.deck.sector_deck`: same layers, colours and tooltips), rendered by
the deck.gl bundle that pydeck ships (``pydeck/nbextension/static/index.js``),
inlined into the file. pydeck's own ``to_html`` links a CDN, Mapbox GL and
Bootstrap; this page loads nothing: no basemap, no fonts, no scripts from the
network. Title, filter summary, legend, attribution and cited sources are
overlaid as HTML, every value from data escaped.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pydeck as pdk

from geo import deck as D
from geo.load import Bundle
from geo.selection import Selection, select
from geo.snapshot import (
    ATTRIBUTION,
    FROM_MERC,
    LAYER_LEGEND,
    MERC_M_PER_PX_Z0,
    SnapshotRequest,
    cited_sources,
    data_as_of,
    merc,
)
from geo.stats import province_totals
from geo.text import html_escape

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


def deck_for(
    bundle: Bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None, sel: Selection | None = None
) -> pdk.Deck:
    """The deck the map page of ``req`` shows (offline: no basemap)."""
    problems = req.problems()
    if problems:
        raise ValueError("; ".join(problems))
    sel = sel or select(bundle, req.filters)
    view, layers = req.the_view, req.visible
    if req.page == "regional":
        shade = province_totals(sel.events, req.shade) if req.shade != "none" else None
        return D.regional_deck(
            sel.events,
            bundle.admin1,
            bundle.border,
            bundle.rivers,
            bundle.places,
            view=view,
            layers=layers,
            shade=shade,
        )
    if bands is None and "bands" in layers:
        from geo.bands import border_bands

        bands = border_bands(bundle.border)
    if bands is None:
        bands = gpd.GeoDataFrame({"label": [], "outer_km": []}, geometry=[], crs="EPSG:4326")
    return D.sector_deck(
        sel.events,
        sel.claims,
        bundle.admin1,
        bundle.border,
        bundle.rivers,
        bundle.places,
        bands,
        view=view,
        layers=layers,
    )


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


def undash(spec: dict, view: D.View) -> dict:
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


_CSS = """
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; background: #f4f4f2;
  font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1e1e1e; }
#deck-container { position: absolute; inset: 0; }
#deck-container canvas { z-index: 1; }
.pw-box { position: absolute; z-index: 10; background: rgba(255,255,255,0.9); border: 1px solid #bbb;
  border-radius: 3px; padding: 6px 9px; font-size: 12px; line-height: 1.45; max-width: 46%; }
#pw-title { top: 8px; left: 8px; }
#pw-title h1 { font-size: 16px; margin: 0 0 2px 0; }
#pw-legend { top: 8px; right: 8px; max-width: 300px; }
#pw-legend .sw { display: inline-block; width: 12px; height: 12px; border-radius: 50%; vertical-align: -2px;
  margin-right: 5px; box-sizing: border-box; }
#pw-legend .ln { display: inline-block; width: 18px; vertical-align: 3px; margin-right: 5px; }
#pw-foot { bottom: 8px; left: 8px; right: 8px; max-width: none; font-size: 10.5px; color: #444; }
#pw-foot .caveat { color: #8c2d04; }
"""


def _legend_html(req: SnapshotRequest, categories: list[str]) -> str:
    layers = req.visible
    rows = []
    if "events" in layers:
        for cat in categories:
            r, g, b = D.CATEGORY_COLOURS.get(cat, D.CATEGORY_COLOURS["other"])
            style = (
                f"background:rgb({r},{g},{b});border:1px solid #fff"
                if cat in D.FILLED
                else f"background:#fff;border:3px solid rgb({r},{g},{b})"
            )
            rows.append(f'<span class="sw" style="{style}"></span>{html_escape(cat)}')
        rows.append("<i>marker area: killed + injured (low figures)</i>")
    if "uncertainty" in layers and "events" in layers:
        rows.append(
            '<span class="sw" style="border:1.5px solid #d55e00;background:rgba(120,120,120,.1)"></span>'
            + html_escape(LAYER_LEGEND["uncertainty"])
        )
    if "claims" in layers:
        rows.append(
            '<span class="ln" style="border-top:3px dashed #783c8c"></span>'
            + html_escape(LAYER_LEGEND["claims"])
        )
    if "border" in layers:
        rows.append(
            '<span class="ln" style="border-top:3px solid #1e1e1e"></span>'
            + html_escape(LAYER_LEGEND["border"])
        )
    if "rivers" in layers:
        rows.append(
            '<span class="ln" style="border-top:2px solid #3c78c8"></span>'
            + html_escape(LAYER_LEGEND["rivers"])
        )
    if "bands" in layers:
        rows.append(
            '<span class="sw" style="border-radius:0;background:rgba(230,159,0,.35)"></span>'
            + html_escape(LAYER_LEGEND["bands"])
        )
    if "places" in layers:
        rows.append(
            '<span class="sw" style="width:6px;height:6px;background:#3c3c3c;vertical-align:1px"></span>'
            + html_escape(LAYER_LEGEND["places"])
        )
    if req.shade != "none" and "provinces" in layers:
        rows.append(f"provinces shaded by {html_escape(req.shade)} (light → dark)")
    return "<b>Legend</b><br>" + "<br>".join(rows)


def map_html(bundle: Bundle, req: SnapshotRequest, bands: gpd.GeoDataFrame | None = None) -> str:
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
    sel = select(bundle, req.filters)
    deck = deck_for(bundle, req, bands, sel)
    spec = json.loads(deck.to_json())
    spec.pop("mapStyle", None)  # no basemap: pydeck's sentinel is only meaningful to Streamlit
    spec.pop("mapProvider", None)
    # pydeck's bundle fills the tooltip template raw (Streamlit escapes, this does not).
    spec = D.escape_tooltips(undash(spec, req.the_view))
    placed = sel.placed
    categories = sorted(set(placed["category"]), key=lambda c: (c not in D.FILLED, c))
    asof = data_as_of(bundle)
    title = req.title or req.spec.title
    subtitle = (
        f"Filters: {req.filters.summary()} · {len(sel.events)} events selected, {len(placed)} with coordinates · "
        f"data version {bundle.version}, records to {asof:%d %b %Y}"
    )
    estimates = int((placed["geo_precision"].astype(int) >= 2).sum())
    caveat = ""
    if estimates and "events" in req.visible:
        caveat = (
            f"Caveat: {estimates} of {len(placed)} event locations are estimates (district or province level), "
            "not the site itself; circles (uncertainty layer) show their radii. Claimed origins are claims, not facts."
        )
    src = cited_sources(bundle, sel)
    sources = (
        "; ".join(f"{r.outlet} [{r.source_id}, {r.tier}]" for r in src.itertuples(index=False)) or "none"
    )
    foot = (
        (f'<div class="caveat">{html_escape(caveat)}</div>' if caveat else "")
        + f"<div>{html_escape(ATTRIBUTION)} Hover an event for details. Panj Watch data version "
        f"{html_escape(bundle.version)}.</div>" + f"<div>Sources cited: {html_escape(sources)}</div>"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html_escape(title)} — Panj Watch</title>
<style>{_CSS}</style>
<script>{deck_bundle_js()}</script>
</head>
<body>
<div id="deck-container"></div>
<div class="pw-box" id="pw-title"><h1>{html_escape(title)}</h1>{html_escape(subtitle)}</div>
<div class="pw-box" id="pw-legend">{_legend_html(req, categories)}</div>
<div class="pw-box" id="pw-foot">{foot}</div>
<script type="application/json" id="pw-deck">{_json_for_script(spec)}</script>
<script type="application/json" id="pw-tooltip">{_json_for_script(D.TOOLTIP)}</script>
<script>
  window.__pwFrames = 0;
  const deckInstance = createDeck({{
    container: document.getElementById("deck-container"),
    jsonInput: JSON.parse(document.getElementById("pw-deck").textContent),
    tooltip: JSON.parse(document.getElementById("pw-tooltip").textContent),
    showError: true,
  }});
  // Frames drawn so far: lets a headless browser know the map is on screen.
  if (deckInstance) deckInstance.setProps({{onAfterRender: () => {{ window.__pwFrames += 1; }}}});
</script>
</body>
</html>
"""


def file_name(req: SnapshotRequest) -> str:
    """Download name, e.g. ``panjwatch-sector-2025.html``."""
    years = "-".join(map(str, sorted(req.filters.years))) or "all"
    return f"panjwatch-{req.page}-{years}.html"
