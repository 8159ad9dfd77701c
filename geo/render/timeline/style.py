"""The timeline's fixed choices: lanes, focus window, plot geometry in pixels, fonts and colours.

Every other timeline module reads these constants; the colours come from the
map's palette (:mod:`geo.scene.style`) so an attack is the same colour on the
map, the timeline and the frontier chart.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from geo.data.schema import VIOLENT
from geo.scene.style import CATEGORY_COLOURS, CLAIM_COLOUR

#: Categories drawn as primary marks in the top lane.
PRIMARY = VIOLENT
PRIMARY_LANE = "Attacks & clashes"
#: Colour key of the reaction marks (dated claims); not an event category.
REACTION = "reaction"
#: Focus window around an attack: days before its first and after its last possible day.
FOCUS_BEFORE_DAYS = 11
FOCUS_AFTER_DAYS = 9
#: Geometry of the plot, in pixels.
#: Room for two tiers of two-line labels above and below the attack marks.
PRIMARY_LANE_PX = 150
LANE_PX = 42
HEADER_PX = 15
STACK_PX = 12
WIDTH_PX = 1000
#: Plot width labels are fitted to on the page: the main column of a 1,400 px window with the
#: sidebar open. Wider windows only add room; the chart itself stretches to the column.
PAGE_WIDTH_PX = 840
#: Size of every label, axis and legend text of the chart, px: 12 px is the smallest a
#: briefing viewer reads at arm's length (issue 12); titles are larger.
TEXT_PX = 12
#: Average advance of a character of the :data:`TEXT_PX` label font (Liberation Sans, ~0.58 em),
#: for collision checks.
CHAR_PX = 7.0
FONT = "Liberation Sans, DejaVu Sans, Helvetica, Arial, sans-serif"
DAY_MS = 86_400_000
#: When no event is selected the axis still needs a range.
EMPTY_DOMAIN = (pd.Timestamp("2024-10-01"), pd.Timestamp("2026-01-01"))
#: Stances in the order a reaction label lists them (the sharpest first).
STANCE_ORDER = (
    "accuses",
    "denies",
    "disputes",
    "condemns",
    "demands",
    "confirms",
    "reports",
    "advises",
    "offers cooperation",
    "welcomes",
)
# A claim is "official" when a government speaks or the speaking body is an office of
# state; media and unnamed sources are reactions too, but not official ones.
_OFFICIAL_BODY = re.compile(
    r"ministry|government|embassy|foreign|border troops|security forces|authorities|office|president|spokes",
    re.IGNORECASE,
)
_MEDIA = re.compile(r"media|outlet|sources|reporter|news", re.IGNORECASE)
SHAPES = {"attack / clash": "circle", "other event": "square", "reaction (dated claim)": "triangle-up"}
PRECISION_OPACITY = {"exact day": 1.0, "within a week": 0.45}


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


COLOURS = {**{k: _hex(v) for k, v in CATEGORY_COLOURS.items()}, REACTION: _hex(CLAIM_COLOUR)}


def chart_title(text, subtitle, size: int = 15, offset: int | None = None) -> alt.TitleParams:
    """The title block every chart of the app draws (timeline, its export, the frontier strip):
    left-anchored, the house font, a dark-grey subtitle at 12 px."""
    kw = {} if offset is None else {"offset": offset}
    return alt.TitleParams(
        text=text,
        subtitle=subtitle,
        anchor="start",
        fontSize=size,
        subtitleFontSize=12,
        font=FONT,
        subtitleFont=FONT,
        subtitleColor="#333",
        **kw,
    )
