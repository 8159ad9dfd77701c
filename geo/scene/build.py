"""``build_scene(bundle, request) -> Scene``: every map decision, made once for every renderer."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.query.selection import select
from geo.report.provenance import ATTRIBUTION, border_caveat, cited_sources, data_as_of, sources_line
from geo.report.stats import province_totals
from geo.scene import style as S
from geo.scene.context import Ctx, MapData, facing_of, plan_bins, sector_pad
from geo.scene.layers import REGISTRY
from geo.scene.model import LegendEntry, Scene
from geo.scene.records import placed_only
from geo.scene.request import PAGES, MapRequest
from geo.spatial.bands import border_bands

CLAIMS_CAVEAT = "Claimed points of origin are what a party says, not established facts."
SPREAD_CAVEAT = "Events coded to the same point are drawn slightly apart, with a line to the coded point."


def estimates_caveat(markers: list[dict], uncertainty_on: bool, what: str = "event locations") -> str:
    """How many of ``markers`` (scene marker records) are estimated locations, or ``""`` if none are.

    ``what`` names the markers counted (the print snapshot says "numbered event
    locations on this map": the ones inside its extent).
    """
    est = [r for r in markers if int(r["geo_precision"]) >= 2]
    if not est:
        return ""
    radii = ", ".join(
        f"{r:g}" for r in sorted({float(r["uncertainty_km"]) for r in est if pd.notna(r["uncertainty_km"])})
    )
    return (
        f"{len(est)} of {len(markers)} {what} are estimates, known only to the district or province, "
        f"not the site itself"
        + (f"; circles show their uncertainty radii ({radii} km)" if radii and uncertainty_on else "")
        + f". {SPREAD_CAVEAT}"
    )


def order_categories(categories) -> list[str]:
    """Violent (filled) categories first, then alphabetical: the legend's order."""
    return sorted(set(categories), key=lambda c: (c not in S.FILLED, c))


def compose_scene(
    data: MapData,
    request: MapRequest,
    shade_values: pd.Series | None = None,
    border_caveat: str = "",
) -> Scene:
    """The :class:`~geo.scene.model.Scene` of ``request`` drawn from ``data`` (already filtered).

    Parameters
    ----------
    data : MapData
        The selected events and claims with the shapes (EPSG:4326).
    request : MapRequest
        Page, visible layers, view, shading, medium.
    shade_values : Series, optional
        Value per ``adm1_code`` to shade provinces by; computed from ``request.shade``
        when missing.
    border_caveat : str
        The border line's caveat (:func:`geo.report.provenance.border_caveat`), added when the
        border or the bands are visible.

    Raises
    ------
    ValueError
        ``request.problems()`` is not empty.
    """
    problems = request.problems()
    if problems:
        raise ValueError("; ".join(problems))
    visible, view, page = request.visible, request.the_view, request.page
    events = data.events
    placed = placed_only(events)
    if shade_values is None and request.shade != "none" and page == "regional":
        shade_values = province_totals(events, request.shade)
    pad = sector_pad() if page == "sector" else None
    bins = plan_bins(placed, len(events), request.aggregate, pad if request.size is None else None)
    markers_frame = placed[~bins.mask] if bins is not None else placed
    ctx = Ctx(
        data=data,
        page=page,
        view=view,
        visible=visible,
        screen=request.size is None,
        shade=request.shade,
        shade_values=shade_values,
        bins=bins,
        markers_frame=markers_frame,
        facing=facing_of(events) if page == "sector" else (),
        pad=pad,
        categories=order_categories(markers_frame["category"]) if "events" in visible else [],
    )
    layers = []
    legend: list[tuple[int, int, LegendEntry]] = []
    for d in REGISTRY:
        if d.group not in visible:
            continue
        layers += d.build(ctx)
        legend += [(d.legend_rank, i, e) for i, e in enumerate(d.legend(ctx))]
    entries = [e for _, _, e in sorted(legend, key=lambda t: (t[0], t[1]))]
    scene = Scene(
        page=page,
        title=request.spec.title,
        view=view,
        medium=request.medium,
        visible=visible,
        layers=layers,
        legend=entries,
        caveats={},
        n_selected=len(events),
        placed=placed,
        unplaced=[]
        if len(placed) == len(events)
        else [
            str(v)
            for v in events["location"].to_numpy()[
                (events.geometry.isna() | events.geometry.is_empty).to_numpy()
            ]
        ],
        bins=bins,
        facing=ctx.facing,
        shade=request.shade if shade_values is not None else "none",
        shade_max=(int(shade_values.max()) if len(shade_values) else 0) if shade_values is not None else None,
        categories=ctx.categories,
    )
    caveats = {}
    if "events" in visible:
        est = estimates_caveat(scene.markers, "uncertainty" in visible)
        if est:
            caveats["estimates"] = est
    links = scene.layer("claim-links")
    if links is not None and links.features:
        caveats["claims"] = CLAIMS_CAVEAT
    if border_caveat and ("border" in visible or "bands" in visible):
        caveats["border"] = border_caveat
    caveats.update(ctx.notes)
    scene.caveats = caveats
    return scene


def build_scene(bundle, request: MapRequest, bands: gpd.GeoDataFrame | None = None, sel=None) -> Scene:
    """The scene of ``request`` on ``bundle`` (selection by ``request.filters`` unless ``sel`` is given).

    ``bands``: the border distance bands (:func:`geo.spatial.bands.border_bands`), built when the
    sector map shows them and none are given.
    """
    from_sel = sel or select(bundle, request.filters)
    if bands is None and request.page == "sector" and "bands" in request.visible:
        bands = border_bands(bundle.border)
    data = MapData(
        events=from_sel.events,
        claims=from_sel.claims,
        admin1=bundle.admin1,
        border=bundle.border,
        rivers=bundle.rivers,
        places=bundle.places,
        bands=bands,
    )
    scene = compose_scene(data, request, border_caveat=border_caveat(bundle.border))
    scene.credits_from = lambda: {
        "version": bundle.version,
        "as_of": data_as_of(bundle),
        "filters": request.filters.summary(),
        "sources": sources_line(cited_sources(bundle, from_sel)),
        "cited": cited_sources(bundle, from_sel),
        "attribution": ATTRIBUTION,
    }
    scene.base = {"admin1": bundle.admin1, "border": bundle.border}
    return scene


def legend_entries(
    page: str,
    visible: tuple[str, ...],
    categories,
    shade_values: pd.Series | None = None,
    shade: str = "none",
) -> list[LegendEntry]:
    """The legend of a map whose scene the caller does not hold (a page drawing its own deck).

    Same registry, same entries as :func:`compose_scene` would give for these
    layers and categories; nothing that needs the data (facing provinces, bins,
    measured band labels) is included.
    """
    empty = gpd.GeoDataFrame({"category": []}, geometry=[], crs="EPSG:4326")
    ctx = Ctx(
        data=MapData(empty, pd.DataFrame(), empty, empty, empty, empty),
        page=page,
        view=PAGES[page].view,
        visible=tuple(visible),
        screen=True,
        shade=shade,
        shade_values=shade_values,
        bins=None,
        markers_frame=empty,
        facing=(),
        categories=order_categories(categories) if "events" in visible else [],
    )
    legend = [
        (d.legend_rank, i, e) for d in REGISTRY if d.group in visible for i, e in enumerate(d.legend(ctx))
    ]
    return [e for _, _, e in sorted(legend, key=lambda t: (t[0], t[1]))]
