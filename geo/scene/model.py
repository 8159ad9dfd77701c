"""The renderer-neutral map: :class:`Scene` and its parts.

A scene is what a map shows, decided once: which layers, in which order, with
which features (lon/lat, EPSG:4326) and style; the legend entries; the caveats;
which labels matter most; whether imported events are markers or hexagon bins.
The deck (:mod:`geo.render.deck`), print (:mod:`geo.render.print_map`) and
offline HTML (:mod:`geo.render.html`) renderers only draw it.

Style values in :attr:`SceneLayer.style` are either constants (colours as
0–255 RGBA lists, sizes in CSS pixels) or the name of a feature field holding
the value per feature (``{"fill": "fill"}``), as deck.gl accessors do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.scene.view import View

#: Layer kinds a renderer must know how to draw.
KINDS = ("polygons", "lines", "points", "markers", "leaders", "circles", "text", "bins")
#: Legend swatch kinds.
SWATCHES = (
    "disc",
    "ring",
    "note",
    "hexes",
    "circle",
    "dashed",
    "line",
    "bands",
    "dots",
    "patch",
    "ramp",
    "outline",
)


@dataclass
class SceneLayer:
    """One drawable layer.

    Attributes
    ----------
    id : str
        Stable layer id (the deck.gl layer id; selections are read by it).
    group : str
        The layer group (toggle) it belongs to.
    kind : str
        One of :data:`KINDS`.
    features : list of dict or GeoDataFrame
        ``polygons``/``lines``: a GeoDataFrame in EPSG:4326 (per-feature style in
        columns); the rest: records with ``[lon, lat]`` positions.
    style : dict
        Constants or feature-field names (see the module docstring).
    pickable : bool
        Hover and click select its features (they carry ``tip_*`` text fields).
    priority : int
        Text layers: lower is placed first when labels compete for room (print).
    ndigits : int
        Decimals of the coordinates a screen renderer sends (level of detail).
    paint : DataFrame, optional
        ``polygons``: per-feature style columns, indexed like ``features`` (so a
        renderer can clip the features and keep their paint).
    """

    id: str
    group: str
    kind: str
    features: Any
    style: dict = field(default_factory=dict)
    pickable: bool = False
    priority: int = 0
    ndigits: int = 4
    paint: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"layer {self.id}: unknown kind {self.kind!r}; renderers draw {', '.join(KINDS)}"
            )

    def records(self) -> list[dict]:
        """Features as records (``polygons``/``lines`` layers return an empty list)."""
        return [] if isinstance(self.features, gpd.GeoDataFrame) else list(self.features)


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: the swatch to draw and the label beside it.

    ``colour`` is 0–255 RGB(A); ``style`` holds swatch details (``filled``, ``width``
    in print points, ``ramp`` colours); ``explanation`` is extra text a renderer may
    append (the print legend does, with its own counts for hexagons).
    """

    group: str
    label: str
    swatch: str
    colour: tuple = ()
    style: dict = field(default_factory=dict)
    explanation: str = ""

    def __post_init__(self) -> None:
        if self.swatch not in SWATCHES:
            raise ValueError(
                f"legend entry {self.label!r}: unknown swatch {self.swatch!r}; use one of {', '.join(SWATCHES)}"
            )


@dataclass
class BinPlan:
    """The markers-versus-bins decision: which selected events a map counts in hexagons.

    ``events`` are the placed events; ``mask`` is true for those binned; ``bbox``
    (lon/lat) limits the bins to the page's box; ``cell_px`` is the hexagon width in
    CSS pixels (renderers convert it to ground km at their own scale).
    """

    events: gpd.GeoDataFrame
    mask: np.ndarray
    bbox: tuple[float, float, float, float] | None
    cell_px: float

    @property
    def count(self) -> int:
        return int(self.mask.sum())


@dataclass
class Scene:
    """What one map shows (see the module docstring).

    ``markers`` are the events drawn one by one (the ``events`` layer's features);
    ``caveats`` are keyed (``estimates``, ``claims``, ``border``) so a renderer that
    words one differently for its own extent (the print, "on this map") replaces it;
    ``placed``/``unplaced`` account for every selected event; ``facing`` names the
    provinces outlined; ``shade`` is the shading metric and ``shade_max`` its top.
    """

    page: str
    title: str
    view: View
    medium: str
    visible: tuple[str, ...]
    layers: list[SceneLayer]
    legend: list[LegendEntry]
    caveats: dict[str, str]
    n_selected: int
    placed: gpd.GeoDataFrame
    unplaced: list[str]
    bins: BinPlan | None = None
    facing: tuple[str, ...] = ()
    shade: str = "none"
    shade_max: int | None = None
    categories: list[str] = field(default_factory=list)
    #: Computes :attr:`credits` when a renderer first asks (set by ``build_scene``): the live
    #: deck never does, and citing sources walks every selected event's source list.
    credits_from: Callable[[], dict] | None = None
    #: Frames of the locator inset (``admin1``, ``border``): context, not layers.
    base: dict = field(default_factory=dict)

    @cached_property
    def credits(self) -> dict:
        """What the data credits and how current it is: ``version``, ``as_of`` (Timestamp),
        ``filters`` (summary), ``sources`` (cited, one line), ``cited`` (rows), ``attribution``;
        empty for a scene built from frames alone."""
        return self.credits_from() if self.credits_from is not None else {}

    def layer(self, layer_id: str) -> SceneLayer | None:
        """The layer with id ``layer_id``, if drawn."""
        return next((lyr for lyr in self.layers if lyr.id == layer_id), None)

    def layer_ids(self) -> list[str]:
        return [lyr.id for lyr in self.layers]

    @property
    def markers(self) -> list[dict]:
        lyr = self.layer("events")
        return lyr.records() if lyr is not None else []

    def summary(self) -> dict:
        """Small, JSON-ready description (layer ids, kinds, feature counts, legend, caveats), for tests."""

        def n(lyr: SceneLayer) -> int:
            return len(lyr.features)

        return {
            "page": self.page,
            "medium": self.medium,
            "view": self.view.as_param(),
            "layers": [
                {
                    "id": lyr.id,
                    "group": lyr.group,
                    "kind": lyr.kind,
                    "features": n(lyr),
                    "priority": lyr.priority,
                }
                for lyr in self.layers
            ],
            "legend": [
                {"group": e.group, "label": e.label, "swatch": e.swatch, "colour": list(e.colour)}
                for e in self.legend
            ],
            "caveats": dict(self.caveats),
            "selected": self.n_selected,
            "placed": len(self.placed),
            "unplaced": len(self.unplaced),
            "binned": 0 if self.bins is None else self.bins.count,
            "facing": list(self.facing),
            "categories": list(self.categories),
        }


def frame_records(df: pd.DataFrame, cols: list[str]) -> list[dict]:
    """Plain records of ``cols`` (numpy scalars become Python ones)."""
    return df[cols].to_dict("records")
