"""Baseline for bench_maps.py: the smallest Streamlit page with a deck.gl map.

One ScatterplotLayer of 300 fixed points over the Panj, no basemap (``map_provider=None``, as
the app's decks without a basemap), drawn with ``st.pydeck_chart``. Wide layout and 560 px tall,
as the app's map pages (``ui.mapui.show_deck``), so the canvas is about as large.
"""

import random

import pydeck as pdk
import streamlit as st

st.set_page_config(page_title="Bare pydeck", layout="wide")

rng = random.Random(13)
points = [{"position": [rng.uniform(67.5, 72.0), rng.uniform(36.8, 38.6)]} for _ in range(300)]
layer = pdk.Layer(
    "ScatterplotLayer",
    id="points",
    data=points,
    get_position="position",
    get_radius=3000,
    get_fill_color=[200, 30, 30, 200],
)
deck = pdk.Deck(
    layers=[layer],
    initial_view_state=pdk.ViewState(latitude=37.7, longitude=69.8, zoom=6.5),
    map_provider=None,
)
st.pydeck_chart(deck, height=560, key="bare-map")
