"""What a map shows: the pages, their layers, and :class:`MapRequest`."""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.query.filters import Filters
from geo.report.stats import SHADE_METRICS
from geo.scene.layers import REGISTRY, page_layers
from geo.scene.view import REGIONAL_VIEW, SECTOR_VIEW, View

#: Layer groups (what a toggle switches) → deck layer ids, in draw order.
LAYER_IDS = {
    "provinces": "provinces",
    "bands": "border-bands",
    "rivers": "rivers",
    "border": "border",
    "places": "places",
    "place-labels": "place-labels",
    "uncertainty": "uncertainty",
    "leaders": "event-leaders",
    "claims": "claim-links",
    "claim-origins": "claim-origins",
    "claim-labels": "claim-labels",
    "bins": "event-bins",
    "events": "events",
}
#: Toggle labels of the layer groups (from the registry).
LAYER_LABELS = {d.group: d.label for d in REGISTRY}
REGIONAL_LAYERS = page_layers("regional", default_only=True)
SECTOR_LAYERS = page_layers("sector", default_only=True)


@dataclass(frozen=True)
class PageSpec:
    """What a map page shows by default."""

    key: str
    title: str
    view: View
    default_layers: tuple[str, ...]
    available: tuple[str, ...]


PAGES: dict[str, PageSpec] = {
    "regional": PageSpec(
        "regional",
        "Regional map: Tajikistan–Afghanistan border",
        REGIONAL_VIEW,
        REGIONAL_LAYERS,
        page_layers("regional"),
    ),
    "sector": PageSpec(
        "sector",
        "Border sector: Shamsiddin Shohin – Darvoz",
        SECTOR_VIEW,
        SECTOR_LAYERS,
        page_layers("sector"),
    ),
}


@dataclass(frozen=True)
class MapRequest:
    """A map to build a :class:`geo.scene.Scene` of, whatever draws it.

    Parameters
    ----------
    page : {"regional", "sector"}
    filters : Filters
        The shared selection.
    layers : tuple of str, optional
        Visible layer groups (keys of :data:`LAYER_LABELS`); ``None`` = the page's default.
    view : View, optional
        Centre and zoom; ``None`` = the page's default.
    shade : str
        Regional page only: province shading metric (:data:`geo.report.stats.SHADE_METRICS`).
    size : (width_px, height_px, dpi), optional
        A print of this size; ``None`` is the interactive (screen) map. Print scenes keep the
        shapes at full detail (the renderer clips them to its extent); screen scenes are
        simplified and clipped for the view.
    aggregate : bool
        Allow hexagon bins above :data:`geo.scene.policy.MAP_MARKERS_MAX` events.
    """

    page: str = "regional"
    filters: Filters = field(default_factory=Filters)
    layers: tuple[str, ...] | None = None
    view: View | None = None
    shade: str = "none"
    size: tuple[int, int, int] | None = None
    aggregate: bool = True

    @property
    def spec(self) -> PageSpec:
        return PAGES[self.page]

    @property
    def visible(self) -> tuple[str, ...]:
        return self.spec.default_layers if self.layers is None else tuple(self.layers)

    @property
    def the_view(self) -> View:
        return self.view or self.spec.view

    @property
    def medium(self) -> str:
        return "screen" if self.size is None else "print"

    def problems(self) -> list[str]:
        """Every reason the map cannot be built (empty when it is fine)."""
        if self.page not in PAGES:
            return [f"unknown page {self.page!r}; use one of {', '.join(PAGES)}"]
        out = []
        bad = [x for x in self.visible if x not in self.spec.available]
        if bad:
            out.append(
                f"layer(s) {', '.join(bad)} not on the {self.page} map; available: {', '.join(self.spec.available)}"
            )
        if self.shade not in SHADE_METRICS:
            out.append(f"unknown shading {self.shade!r}; use one of {', '.join(SHADE_METRICS)}")
        elif self.shade != "none" and self.page != "regional":
            out.append("province shading is available on the regional map only")
        return out + self.the_view.problems()
