"""Incidents: a sortable, searchable table of the selected events, with the same details panel."""

import streamlit as st

from geo.query.selection import select
from geo.query.table import incident_table, limit_rows, search_events
from ui import data, details, state

app = data.load_app_data()
b = app.bundle
sel = select(b, state.current_filters())

st.title("Incidents")
query = st.text_input("Search", key="incidents-search", placeholder="place, actor, notes, source…")
events = search_events(sel.events, b.claims, query)
shown, hidden = limit_rows(events)
table = incident_table(shown)
st.caption(
    f"{len(table):,} of {len(sel.events):,} selected events · click a row for details"
    + (
        f" · {hidden:,} older imported events are not listed (the table keeps every curated event and "
        "the latest imported ones): search, narrow the filters, or download the CSV for all of them"
        if hidden
        else ""
    )
)
# Selections are event ids: a row number only means something for the rows it was clicked on.
state.keep_selection(sel.events["event_id"])
ids = list(table["event_id"])
key = state.table_key("incidents-table", ids)
picked = st.dataframe(
    table,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key=key,
    column_config={
        "event_id": None,
        "place": st.column_config.TextColumn(width="medium"),
        "actor 1": st.column_config.TextColumn(help="ACLED actor1: the side that acted (attacker, speaker)"),
        "actor 2": st.column_config.TextColumn(help="ACLED actor2: the other side (target, addressee)"),
        "border km": st.column_config.TextColumn(
            help="Distance to the Tajik–Afghan border, km: over the uncertainty area for an estimated "
            "location (range; then the coded point), else at the site"
        ),
        "± km": st.column_config.TextColumn(help="Uncertainty radius of the coded location, km"),
    },
)
state.apply_row_pick(key, ids, picked.selection.rows if picked is not None else [])
details.render_details(b, state.selected_event())
