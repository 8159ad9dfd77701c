"""Border-sector map: the Shamsiddin Shohin / Darvoz stretch of the Panj."""

import streamlit as st

from geo.deck import SECTOR_LAYERS, SECTOR_VIEW, sector_deck
from geo.selection import select
from ui import data, details, exports, mapui, sidebar, state

app = data.load_app_data()
b = app.bundle
sel = select(b, state.current_filters())

st.title("Border sector: Shamsiddin Shohin – Darvoz")
st.caption(
    "Event points are district-level estimates: circles show each one's uncertainty radius. "
    "Distances are measured to the Natural Earth 1:10M border, which is 1,170.6 km long against the "
    "published ~1,350 km because generalisation cuts the Panj's meanders. Dashed links are claimed "
    "points of origin, labelled with who claims them — claims, not facts."
)
layers = mapui.layer_toggles("sector", SECTOR_LAYERS, SECTOR_LAYERS)
view = mapui.view_picker("sector", SECTOR_VIEW, sel.events)
deck = sector_deck(
    sel.events, sel.claims, b.admin1, b.border, b.rivers, b.places, app.bands, view=view, layers=layers,
    basemap=st.session_state.get(sidebar.BASEMAP_KEY, False),
)
mapui.show_deck(deck, key="sector-map")
mapui.legend(layers, sorted(set(sel.events["category"])))
mapui.unplaced_notice(sel.events, b.report)
details.render_details(b, state.selected_event())
exports.render_map_downloads("sector", sel, layers, view)
