"""Regional map: provinces, border, rivers, places and the selected events."""

import streamlit as st

from geo.deck import REGIONAL_LAYERS, REGIONAL_VIEW, regional_deck
from geo.selection import select
from geo.stats import SHADE_METRICS, province_totals
from geo.text import md_escape
from ui import data, details, exports, mapui, sidebar, state

app = data.load_app_data()
b = app.bundle
sel = select(b, state.current_filters())

st.title("Regional map")
st.caption(f"{len(sel.events)} events · {md_escape(sel.filters.summary())} · no basemap: works offline")
c1, c2 = st.columns([3, 1])
with c1:
    layers = mapui.layer_toggles("regional", (*REGIONAL_LAYERS, "uncertainty"), REGIONAL_LAYERS)
with c2:
    shade_by = st.selectbox("Shade provinces by", list(SHADE_METRICS), key="regional-shade")
view = mapui.view_picker("regional", REGIONAL_VIEW, sel.events)
shade = province_totals(sel.events, shade_by) if SHADE_METRICS[shade_by] else None

deck = regional_deck(
    sel.events, b.admin1, b.border, b.rivers, b.places, view=view, layers=layers, shade=shade,
    basemap=st.session_state.get(sidebar.BASEMAP_KEY, False),
)
mapui.show_deck(deck, key="regional-map")
mapui.legend(layers, sorted(set(sel.events["category"])), shade_by if shade is not None else None)
mapui.unplaced_notice(sel.events, b.report)
details.render_details(b, state.selected_event())
exports.render_map_downloads("regional", sel, layers, view)
