"""Every colour, size, line width and label rule of the maps, in one place.

The interactive deck (deck.gl, CSS pixels), the print snapshot (matplotlib,
points) and the offline HTML legend (CSS) all read these values; the
matplotlib and CSS forms are derived here (:func:`mpl`, :func:`css`, :func:`hex_colour`),
never copied. Colours are 0–255 RGB(A) tuples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data.schema import VIOLENT

# --------------------------------------------------------------------------- colours

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
CATEGORY_COLOURS: dict[str, tuple[int, int, int]] = {
    "attack": (213, 94, 0),
    "clash": (204, 121, 167),
    "statement": (0, 114, 178),
    "visit": (0, 158, 115),
    "advisory": (230, 159, 0),
    "call": (86, 180, 233),
    "agreement": (240, 228, 66),
    "protest": (120, 120, 120),
    "other": (120, 120, 120),
}
#: Violent categories are drawn as filled discs; the rest as rings.
FILLED = frozenset(VIOLENT)
BORDER_COLOUR = (30, 30, 30)
RIVER_COLOUR = (60, 120, 200)
CLAIM_COLOUR = (120, 60, 140)
#: Sequential single-hue ramp (light → dark blue) for province shading.
SHADE_RAMP = [
    (239, 243, 255),
    (198, 219, 239),
    (158, 202, 225),
    (107, 174, 214),
    (49, 130, 189),
    (8, 81, 156),
]
COUNTRY_FILL = {"TJ": (245, 240, 230), "AF": (235, 238, 242)}
COUNTRY_NAMES = {"TJ": "Tajikistan", "AF": "Afghanistan"}
#: Fill of the neighbours' provinces, drawn as context around the frontier.
CONTEXT_FILL = (240, 240, 240)
PROVINCE_LINE = (150, 150, 150)
CONTEXT_LINE = (190, 190, 190)
#: Outline of the provinces facing the shown events across the border (sector map).
FACING_LINE = (200, 90, 0)
#: Distance bands: one hue, more opaque nearer the line (alpha 90 → 30 of 255).
BAND_COLOUR = (230, 159, 0)
BAND_ALPHA = (90, 30)
PLACE_COLOUR = (60, 60, 60)
PLACE_LABEL_COLOUR = (40, 40, 40)
#: Print marks of the reference places by kind: matplotlib marker and size (points at k = 1).
PLACE_MARKS = {"capital": {"marker": "s", "print_pt": 4.6}, "settlement": {"marker": "o", "print_pt": 3.6}}
LEADER_COLOUR = (80, 80, 80)
UNCERTAINTY_FILL = (120, 120, 120, 25)
#: Sequential single-hue-family ramp (ColorBrewer YlOrRd, 6 classes): light = few events, dark = many.
BIN_RAMP = [(255, 255, 178), (254, 217, 118), (254, 178, 76), (253, 141, 60), (240, 59, 32), (189, 0, 38)]
BIN_ALPHA = 200
BIN_EDGE = (255, 255, 255, 180)
#: Landmarks along the border (data/landmarks.csv): dark-teal dots, white-edged, with a label.
LANDMARK_COLOUR = (0, 90, 100)

# Print furniture (matplotlib hex strings).
PAPER = "#ffffff"
INK = "#1e1e1e"
MUTED = "#5a5a5a"
FRAME = "#8a8a8a"
CAVEAT_COLOUR = "#8c2d04"
MAP_BACKGROUND = "#f4f4f2"
PROVINCE_LABEL_COLOUR = "#7a7a7a"

# --------------------------------------------------------------------------- sizes

#: Points per CSS pixel: deck.gl sizes are CSS pixels; print sizes are points.
PT_PER_PX = 0.75
#: Co-located events are drawn this many CSS pixels apart around their coded point.
SPREAD_PX = 14.0
#: Approximate width of a hexagon on screen (CSS px) and on paper (the same, in points × 0.75).
CELL_PX = 30.0
#: Web-mercator (deck.gl) font family of the map labels.
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class LineStyle:
    """A line layer: colour, width on screen per page (CSS px) and in print (points at k = 1)."""

    colour: tuple[int, int, int]
    screen_px: dict[str, float]
    print_pt: float


LINES = {
    "border": LineStyle(BORDER_COLOUR, {"regional": 2.5, "sector": 3.0}, 1.9),
    "rivers": LineStyle(RIVER_COLOUR, {"regional": 1.5, "sector": 2.0}, 1.1),
}


@dataclass(frozen=True)
class LabelStyle:
    """A text layer: size (CSS px on screen), colour, pixel offset; print size and style (points at k = 1).

    ``priority``: print labels are placed without overlap in increasing priority
    order (lower first); the interactive map draws them all.
    """

    size_px: int
    colour: tuple[int, ...]
    offset_px: tuple[int, int]
    print_pt: float
    print_style: str
    priority: int


LABELS = {
    "event-numbers": LabelStyle(0, (30, 30, 30), (0, 0), 7.5, "bold", 0),
    "place-labels": LabelStyle(13, (40, 40, 40, 255), (0, -12), 7.5, "regular", 1),
    "landmark-labels": LabelStyle(12, (*LANDMARK_COLOUR, 255), (0, 14), 6.8, "bold", 2),
    "claim-labels": LabelStyle(12, (*CLAIM_COLOUR, 255), (0, 12), 6.8, "italic", 3),
    "province-labels": LabelStyle(0, (122, 122, 122), (0, 0), 7.0, "italic", 4),
}


def event_radius_px(fatalities, injured) -> float:
    """Marker radius in CSS pixels: area grows with the casualty count (low figures)."""
    n = (0 if pd.isna(fatalities) else int(fatalities)) + (0 if pd.isna(injured) else int(injured))
    return round(6.0 + 3.0 * math.sqrt(n), 2)


def event_paint(category: str) -> dict:
    """Fill, outline and outline width (CSS px) of an event marker of ``category``."""
    colour = CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["other"])
    filled = category in FILLED
    return {
        "fill": [*colour, 255] if filled else [255, 255, 255, 220],
        "line": [255, 255, 255, 255] if filled else [*colour, 255],
        "line_px": 1.5 if filled else 3.0,
        "colour": [*colour, 255],
    }


def band_alphas(n: int) -> list[int]:
    """Alpha (0–255) of ``n`` distance bands, nearest first."""
    return [int(a) for a in np.linspace(BAND_ALPHA[0], BAND_ALPHA[1], n).round().astype(int)]


def shade_classes(values: np.ndarray) -> np.ndarray:
    """Ramp class (index into :data:`SHADE_RAMP`) of each value, linear from 0 to the maximum."""
    values = np.asarray(values, dtype=float)
    top = max(float(values.max()) if len(values) else 0.0, 1.0)
    return np.ceil(values / top * (len(SHADE_RAMP) - 1)).astype(int)


def bin_classes(count: np.ndarray, top: int) -> np.ndarray:
    """Ramp class of each count on a log scale (0 = lightest), so one hot cell does not wash out the rest."""
    top = max(int(top), 1)
    scaled = np.log1p(np.asarray(count, dtype=float)) / math.log1p(top)
    return np.clip(np.ceil(scaled * (len(BIN_RAMP) - 1)), 0, len(BIN_RAMP) - 1).astype(int)


# --------------------------------------------------------------------------- derived forms


def mpl(c, alpha: float | None = None) -> tuple[float, float, float, float]:
    """matplotlib RGBA (0–1) of a 0–255 colour; ``alpha`` (0–1) overrides its own."""
    r, g, b = c[:3]
    a = (c[3] / 255 if len(c) > 3 else 1.0) if alpha is None else alpha
    return (r / 255, g / 255, b / 255, a)


def hex_colour(c) -> str:
    """``#rrggbb`` of a 0–255 colour (alpha dropped)."""
    return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in c[:3]))


def css(c, alpha: float | None = None) -> str:
    """CSS ``rgb()``/``rgba()`` of a 0–255 colour; ``alpha`` (0–1) overrides its own."""
    r, g, b = (int(v) for v in c[:3])
    a = (c[3] / 255 if len(c) > 3 else None) if alpha is None else alpha
    return f"rgb({r},{g},{b})" if a is None else f"rgba({r},{g},{b},{a:.2f})"
