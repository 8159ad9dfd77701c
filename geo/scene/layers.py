"""The layer registry: every layer group of the maps, declared once.

A :class:`LayerDef` says which pages offer a group (and whether it is on by
default), how its :class:`~geo.scene.model.SceneLayer` records are built from
the data, and what its legend entries are. The deck, print and HTML renderers
draw any layer of a known kind, so a new group is one entry here.
Registry order is draw order (bottom first). The builders live in
:mod:`geo.scene.basemap` (base map) and :mod:`geo.scene.event_layers` (data);
what they share, in :mod:`geo.scene.context`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geo.scene.basemap import (
    _bands,
    _bands_legend,
    _landmarks,
    _landmarks_legend,
    _line,
    _line_legend,
    _places,
    _places_legend,
    _provinces,
    _provinces_legend,
)
from geo.scene.context import Ctx
from geo.scene.event_layers import (
    _claims,
    _claims_legend,
    _events,
    _events_legend,
    _uncertainty,
    _uncertainty_legend,
)
from geo.scene.model import LegendEntry, SceneLayer


@dataclass(frozen=True)
class LayerDef:
    """One layer group: where it is offered, how it is built, how it is explained."""

    group: str
    label: str
    pages: dict[str, bool]  # page → on by default
    build: Callable[[Ctx], list[SceneLayer]]
    legend: Callable[[Ctx], list[LegendEntry]]
    legend_rank: int


BOTH = {"regional": True, "sector": True}
REGISTRY: tuple[LayerDef, ...] = (
    LayerDef("provinces", "Provinces", BOTH, _provinces, _provinces_legend, 90),
    LayerDef("bands", "Distance bands", {"sector": True}, _bands, _bands_legend, 60),
    LayerDef("rivers", "Rivers", BOTH, _line("rivers"), _line_legend("rivers"), 50),
    LayerDef("border", "Border", BOTH, _line("border"), _line_legend("border"), 40),
    LayerDef("places", "Places", BOTH, _places, _places_legend, 70),
    LayerDef("landmarks", "Landmarks", BOTH, _landmarks, _landmarks_legend, 75),
    LayerDef("claims", "Claimed origins", {"sector": True}, _claims, _claims_legend, 30),
    LayerDef(
        "uncertainty",
        "Uncertainty radii",
        {"regional": False, "sector": True},
        _uncertainty,
        _uncertainty_legend,
        20,
    ),
    LayerDef("events", "Events", BOTH, _events, _events_legend, 10),
)
BY_GROUP = {d.group: d for d in REGISTRY}


def page_layers(page: str, default_only: bool = False) -> tuple[str, ...]:
    """Layer groups a page offers: its defaults in toggle order, then the ones it offers switched off."""
    on = tuple(d.group for d in TOGGLE_ORDER if d.pages.get(page) is True)
    off = tuple(d.group for d in TOGGLE_ORDER if d.pages.get(page) is False)
    return on if default_only else on + off


# Toggles read in the order an analyst thinks of them (events last), not draw order.
TOGGLE_ORDER = tuple(
    BY_GROUP[g]
    for g in ("provinces", "bands", "rivers", "border", "places", "uncertainty", "claims", "events")
) + tuple(
    d
    for d in REGISTRY
    if d.group not in ("provinces", "bands", "rivers", "border", "places", "uncertainty", "claims", "events")
)
