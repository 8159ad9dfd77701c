"""Imported events on the timeline: up to a cap they are marks like the curated ones; above it they become daily counts.

An ACLED export of a whole country is hundreds of thousands of events; past
:data:`IMPORTED_MARKS_MAX` they are drawn as a bar chart of events per day
(:func:`imported_counts_chart`) instead of one mark each.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.render.timeline.chart import _configure
from geo.render.timeline.style import COLOURS, PAGE_WIDTH_PX
from geo.scene.policy import TIMELINE_MARKS_MAX, curated_mask

#: Above this many imported events in a selection, the timeline counts them per month
#: (:func:`imported_counts`) instead of drawing one labelled mark each: stacking and label
#: placement cost ~2 ms a mark (2,000 marks: 4 s; 12,000: 32 s), and a briefing timeline is
#: read mark by mark. Curated events are always marks. The maps make the same split
#: at their own threshold. The number lives in geo.scene.policy with every other threshold.
IMPORTED_MARKS_MAX = TIMELINE_MARKS_MAX


def split_imported(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(drawn as marks, counted per month)``: imported events go to the second part only when
    there are more than :data:`IMPORTED_MARKS_MAX` of them; curated events always stay marks."""
    if "dataset" not in events:
        return events, events.iloc[0:0]
    imported = ~curated_mask(events)
    if imported.sum() <= IMPORTED_MARKS_MAX:
        return events, events.iloc[0:0]
    return events[~imported], events[imported]


def imported_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per calendar month and category: ``month`` (first day), ``category``, ``count``,
    ``killed`` (sum of low figures), sorted by month then category."""
    cols = ["month", "category", "count", "killed"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(events["event_date"]).dt.to_period("M").dt.to_timestamp(),
            "category": events["category"].astype(str),
            "killed": events["fatalities"].astype("Float64").fillna(0),
        }
    )
    out = frame.groupby(["month", "category"], observed=True).agg(
        count=("killed", "size"), killed=("killed", "sum")
    )
    out = out.reset_index()
    out["killed"] = out["killed"].round().astype(int)
    return out[cols].sort_values(["month", "category"], kind="stable").reset_index(drop=True)


def imported_counts_chart(counts: pd.DataFrame, width: int = PAGE_WIDTH_PX) -> alt.Chart:
    """Stacked monthly bars of :func:`imported_counts`, coloured as the maps colour categories."""
    cats = sorted(counts["category"].unique()) if len(counts) else []
    chart = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None),
            y=alt.Y("sum(count):Q", title="events / month"),
            color=alt.Color(
                "category:N",
                scale=alt.Scale(domain=cats, range=[COLOURS.get(c, COLOURS["other"]) for c in cats]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="month"),
                alt.Tooltip("category:N"),
                alt.Tooltip("count:Q", title="events", format=","),
                alt.Tooltip("killed:Q", title="killed (low figures)", format=","),
            ],
        )
        .properties(width=width, height=160)
    )
    return _configure(chart)
