"""Border-sector map: the Shamsiddin Shohin / Darvoz stretch of the Panj."""

import streamlit as st

from geo.query.selection import select
from geo.render.deck import draw
from geo.report.provenance import border_note
from geo.scene.build import build_scene
from geo.scene.request import PAGES, MapRequest
from ui import data, details, exports, mapui, sidebar, state

app = data.load_app_data()
b = app.bundle
sel = select(b, state.current_filters())

st.title("Border sector: Shamsiddin Shohin – Darvoz")
st.caption(
    "Event points are district-level estimates: circles show each one's uncertainty radius. "
    f"{border_note(b.border)} Dashed links are claimed "
    "points of origin, labelled with who claims them — claims, not facts."
)
layers = mapui.layer_toggles("sector", PAGES["sector"].available, PAGES["sector"].default_layers)
view = mapui.view_picker("sector", PAGES["sector"].view, sel.events)
scene = build_scene(b, MapRequest("sector", sel.filters, layers, view), bands=app.bands, sel=sel)
deck = draw(scene, basemap=st.session_state.get(sidebar.BASEMAP_KEY, False))
mapui.show_deck(deck, key="sector-map")
mapui.legend(scene)
mapui.unplaced_notice(sel.events, b.report)
details.render_details(b, state.selected_event())
exports.render_map_downloads("sector", sel, layers, view)
