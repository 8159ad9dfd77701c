"""Timeline of the attacks and the reactions to them: Vega-Lite specs and offline export.

The chart is one layered Vega-Lite view (built with Altair) so that one point
selection can pick any mark and one interval brush can span every lane:

* x is time: UTC milliseconds since the epoch. A day-precision event sits at
  noon of its day; an event known only to the month (ACLED ``time_precision``
  3) or with a ``date_end`` is a bar from 00:00 of its first possible day to
  24:00 of its last (:func:`geo.query.filters.event_span`), never a fake exact day.
* y is screen pixels from the top of the plot, computed here, so the attack
  lane can be taller than the actor swimlanes and marks that share a lane and a
  day are stacked instead of drawn on top of each other.

Lanes: attacks and clashes first (disc area ∝ killed + injured, low figures;
a dashed ring gives the high figure when sources differ), then one swimlane per
actor holding the other events that actor led (statements, visits, advisories,
calls) and its *reactions*: the dated claims about an attack or a clash from
the claims table, grouped per speaker and day.

Nothing here imports Streamlit; ``pages/timeline.py`` renders these specs.

The package's modules, lowest first: :mod:`~geo.render.timeline.style` (constants),
:mod:`~geo.render.timeline.text` (small helpers), :mod:`~geo.render.timeline.notes`
(annotations), :mod:`~geo.render.timeline.marks` (marks and layout),
:mod:`~geo.render.timeline.chart` (the chart), :mod:`~geo.render.timeline.interact`
(selections and playback), :mod:`~geo.render.timeline.export` (PNG/SVG) and
:mod:`~geo.render.timeline.imported` (imported events as counts). The public names
are re-exported here; the modules import each other, never this package.
"""

from __future__ import annotations

from geo.render.timeline.chart import TOOLTIP, TimelineView, timeline_view
from geo.render.timeline.export import KEY_LINE, export_chart, source_line, timeline_png, timeline_svg
from geo.render.timeline.imported import (
    IMPORTED_MARKS_MAX,
    imported_counts,
    imported_counts_chart,
    split_imported,
)
from geo.render.timeline.interact import brush_dates, events_until, picked_event, playback_steps
from geo.render.timeline.marks import (
    MARK_COLUMNS,
    lane_order,
    layout,
    overview_domain,
    plot_height,
    timeline_marks,
    undated_claims,
)
from geo.render.timeline.notes import AttackNote, attack_notes, focus_options, focus_window
from geo.render.timeline.style import (
    CHAR_PX,
    COLOURS,
    DAY_MS,
    EMPTY_DOMAIN,
    FOCUS_AFTER_DAYS,
    FOCUS_BEFORE_DAYS,
    FONT,
    HEADER_PX,
    LANE_PX,
    PAGE_WIDTH_PX,
    PRECISION_OPACITY,
    PRIMARY,
    PRIMARY_LANE,
    PRIMARY_LANE_PX,
    REACTION,
    SHAPES,
    STACK_PX,
    STANCE_ORDER,
    WIDTH_PX,
)
from geo.render.timeline.text import (
    LABEL_LIMIT_PX,
    SOURCE_LINE_CHARS,
    casualty_totals,
    disc_area_px,
    is_official,
    short_place,
)

__all__ = [
    "PRIMARY",
    "PRIMARY_LANE",
    "REACTION",
    "FOCUS_BEFORE_DAYS",
    "FOCUS_AFTER_DAYS",
    "PRIMARY_LANE_PX",
    "LANE_PX",
    "HEADER_PX",
    "STACK_PX",
    "WIDTH_PX",
    "PAGE_WIDTH_PX",
    "CHAR_PX",
    "FONT",
    "DAY_MS",
    "EMPTY_DOMAIN",
    "STANCE_ORDER",
    "SHAPES",
    "PRECISION_OPACITY",
    "COLOURS",
    "SOURCE_LINE_CHARS",
    "LABEL_LIMIT_PX",
    "short_place",
    "is_official",
    "casualty_totals",
    "disc_area_px",
    "AttackNote",
    "attack_notes",
    "focus_window",
    "focus_options",
    "MARK_COLUMNS",
    "undated_claims",
    "timeline_marks",
    "lane_order",
    "plot_height",
    "layout",
    "overview_domain",
    "TimelineView",
    "TOOLTIP",
    "timeline_view",
    "picked_event",
    "brush_dates",
    "playback_steps",
    "events_until",
    "source_line",
    "KEY_LINE",
    "export_chart",
    "timeline_png",
    "timeline_svg",
    "IMPORTED_MARKS_MAX",
    "split_imported",
    "imported_counts",
    "imported_counts_chart",
]
