"""Regional map: provinces, border, rivers, places and the selected events."""

import streamlit as st

from geo.query.selection import select
from geo.render.deck import draw
from geo.report.stats import SHADE_METRICS
from geo.report.text import md_escape
from geo.scene.build import build_scene
from geo.scene.request import PAGES, MapRequest
from ui import data, details, exports, mapui, sidebar, state

app = data.load_app_data()
b = app.bundle
sel = select(b, state.current_filters())

st.title("Regional map")
st.caption(f"{len(sel.events)} events · {md_escape(sel.filters.summary())} · no basemap: works offline")
c1, c2 = st.columns([3, 1])
with c1:
    layers = mapui.layer_toggles("regional", PAGES["regional"].available, PAGES["regional"].default_layers)
with c2:
    shade_by = st.selectbox("Shade provinces by", list(SHADE_METRICS), key="regional-shade")
view = mapui.view_picker("regional", PAGES["regional"].view, sel.events)
shade = shade_by if SHADE_METRICS[shade_by] else "none"

scene = build_scene(b, MapRequest("regional", sel.filters, layers, view, shade), sel=sel)
deck = draw(scene, basemap=st.session_state.get(sidebar.BASEMAP_KEY, False))
mapui.show_deck(deck, key="regional-map")
mapui.legend(scene)
mapui.unplaced_notice(sel.events, b.report)
details.render_details(b, state.selected_event())
exports.render_map_downloads("regional", sel, layers, view)
