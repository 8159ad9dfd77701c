"""Timeline: the attacks, and who reacted how and how fast; linked to the shared filters and the maps."""

import re
from functools import partial

import streamlit as st

from geo.query.selection import select
from geo.render import timeline as tl
from geo.report.formatting import fmt_day
from geo.report.text import md_escape
from ui import data, details, playback, state

CHART_KEY = "timeline-chart"
K_FOCUS = "timeline-focus"
K_BRUSH = "timeline-brush"
K_LAST_PICK = "timeline-last-pick"

app = data.load_app_data()
b = app.bundle
filters = state.current_filters()
sel = select(b, filters)
marked, counted = tl.split_imported(sel.events)


def _on_select(signature: str) -> None:
    # Runs before the next script run, so it may still set the sidebar's date widgets.
    selection = st.session_state[CHART_KEY].selection
    picked = tl.picked_event(selection)
    if picked and picked != st.session_state.get(K_LAST_PICK):
        state.select_event(picked)
    st.session_state[K_LAST_PICK] = picked
    st.session_state[K_BRUSH] = (signature, tl.brush_dates(selection))


def _set_dates(date_from, date_to) -> None:
    st.session_state[state.K_FROM] = date_from
    st.session_state[state.K_TO] = date_to
    st.session_state[K_BRUSH] = (None, None)


def _set_focus(event_id) -> None:
    st.session_state[K_FOCUS] = event_id


st.title("Timeline: attacks and reactions")
st.caption(
    f"{len(sel.events)} events · {md_escape(filters.summary())} · click a mark for its details · "
    "drag across the chart to pick a date range for every page"
)
options = tl.focus_options(marked, sel.claims)
if st.session_state.get(K_FOCUS) not in (None, *options):
    st.session_state[K_FOCUS] = None
v1, v2 = st.columns([3, 1], vertical_alignment="bottom")
focus = v1.selectbox(
    "View",
    [None, *options],
    key=K_FOCUS,
    format_func=lambda k: "Overview: every selected date" if k is None else f"Focus: {options[k]}",
)
picked = state.selected_event()
if picked in options and picked != focus:
    v2.button(
        "Focus on the selected attack", key="timeline-focus-selected", on_click=_set_focus, args=(picked,)
    )
elif focus is not None:
    v2.button("Back to the overview", key="timeline-overview", on_click=_set_focus, args=(None,))
view = tl.timeline_view(
    marked,
    sel.claims,
    filters,
    focus=focus,
    width=tl.PAGE_WIDTH_PX,
    empty_text="No curated events here: the imported events are counted per month below"
    if len(counted)
    else None,
)
st.altair_chart(
    view.chart,
    on_select=partial(_on_select, view.key),
    selection_mode=view.params,
    key=CHART_KEY,
    theme=None,
)
if len(counted):
    st.caption(
        f"{len(counted):,} imported events are counted per month below, not drawn one by one (above "
        f"{tl.IMPORTED_MARKS_MAX} the timeline keeps marks for the curated record); the maps, the "
        "incidents table and the data exports have each of them."
    )
    st.altair_chart(
        tl.imported_counts_chart(tl.imported_counts(counted)), theme=None, key="timeline-imported"
    )
if view.note is not None:
    st.markdown(
        f"**{md_escape(view.note.label)}**\n"
        + "".join(f"\n- {md_escape(line)}" for line in view.note.lines())
    )

signature, brushed = st.session_state.get(K_BRUSH, (None, None))
c1, c2, c3, c4 = st.columns([3, 1.4, 1, 1], vertical_alignment="bottom")
if brushed and signature == view.key:
    c1.button(
        f"Use {fmt_day(brushed[0])} – {fmt_day(brushed[1])} as the date filter on every page",
        key="timeline-apply-brush",
        on_click=_set_dates,
        args=brushed,
        type="primary",
    )
elif filters.date_from or filters.date_to:
    c1.caption(f"Date filter: {filters.date_from or '…'} to {filters.date_to or '…'}")
if filters.date_from or filters.date_to:
    c2.button("Clear the date filter", key="timeline-clear-dates", on_click=_set_dates, args=(None, None))
stem = "panjwatch-timeline-" + re.sub(r"[^A-Za-z0-9_-]+", "-", focus or "overview")
source = tl.source_line(marked, b.sources, b.version)
c3.download_button(
    "PNG",
    data=partial(tl.timeline_png, marked, sel.claims, filters, focus, 2, source),
    file_name=f"{stem}.png",
    mime="image/png",
    on_click="ignore",
    icon=":material/download:",
    key="timeline-png",
    help="The current view with title, filters and sources, for a slide (rendered offline)",
)
c4.download_button(
    "SVG",
    data=partial(tl.timeline_svg, marked, sel.claims, filters, focus, source),
    file_name=f"{stem}.svg",
    mime="image/svg+xml",
    on_click="ignore",
    icon=":material/download:",
    key="timeline-svg",
)
undated = tl.undated_claims(marked, sel.claims)
if not undated.empty:
    with st.expander(f"{len(undated)} reaction(s) have no date in the sources and are not drawn"):
        for c in undated.itertuples(index=False):
            st.markdown(
                f"- {md_escape(c.speaker)} *{md_escape(c.stance)}* {md_escape(c.about)} (about {md_escape(c.event_id)})"
            )

left, right = st.columns([1.1, 1], gap="large")
with left:
    st.subheader("Details", anchor=False)
    details.render_details(b, state.selected_event())
with right:
    st.subheader("Playback", anchor=False)
    playback.render_playback(b, sel.events)
