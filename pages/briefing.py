"""Briefing: one screen of the current selection — lead sentence, map, figures, what happened, sources.

The first screen (1440×900) holds the lead sentence, the map with its legend and the
frontier-scoped figures; the map pages have the layers, zoom and details.
"""

import streamlit as st

from geo.query.selection import select
from geo.render.deck import draw
from geo.report.formatting import fmt_count
from geo.report.narrative import briefing_lead, briefing_stories, claims_table, source_label
from geo.report.provenance import cited_sources, selection_line
from geo.report.stats import key_figures
from geo.report.text import md_escape
from geo.scene.build import build_scene
from geo.scene.request import REGIONAL_LAYERS, MapRequest
from geo.scene.view import REGIONAL_VIEW, View
from ui import data, exports, mapui, sidebar, state, static

app = data.load_app_data()
b = app.bundle
sel = select(b, state.current_filters())

st.title("Briefing: the Tajikistan–Afghanistan border")
st.caption(md_escape(selection_line(b, sel)))

kf = key_figures(sel.events)
# First screen at 1440×900: the lead sentence beside the map and its legend, the figures under both.
lead_col, map_col = st.columns([3, 2], gap="large")
with lead_col:
    st.markdown(f"**{md_escape(briefing_lead(b, sel.events))}**")
    st.caption(" ".join(md_escape(s) for s in (kf.scope, *kf.left_out)))
with map_col:
    # A smaller frame than the map page's: zoomed out so the whole border still fits.
    view = View(REGIONAL_VIEW.latitude, REGIONAL_VIEW.longitude, REGIONAL_VIEW.zoom - 0.9)
    scene = build_scene(b, MapRequest("regional", sel.filters, REGIONAL_LAYERS, view), sel=sel)
    deck = draw(scene, basemap=st.session_state.get(sidebar.BASEMAP_KEY, False))
    st.pydeck_chart(static.served(deck), height=300, key="briefing-map")
    mapui.legend(scene)
for col, fig in zip(st.columns(len(kf.figures)), kf.figures, strict=True):
    col.metric(fig.label, fig.value, border=True)
    col.caption(md_escape(fig.note))

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("What happened", anchor=False)
    stories, counted = briefing_stories(b, sel.events)
    if counted:
        st.info(md_escape(counted))
    if not stories and not counted:
        st.info("No attacks or clashes in this selection.")
    for n in stories:
        with st.container(border=True, key=f"story-{n.event_id}"):
            st.markdown(f"**{md_escape(n.heading)}**")
            st.markdown(md_escape(n.text))
            st.caption(f"Casualty figures: {md_escape(n.casualty_basis)}")
            if n.scope_note:
                st.caption(md_escape(n.scope_note))
            if n.claims:
                table = claims_table(b, n.event_id)
                with st.expander(
                    f"Who said what: {fmt_count(len(table))} claim{'s' if len(table) != 1 else ''}"
                ):
                    # A dataframe shows its cells as text: nothing in a claim is read as Markdown.
                    st.dataframe(table, hide_index=True, width="stretch", key=f"claims-{n.event_id}")
with right:
    st.subheader("Sources", anchor=False)
    cited = cited_sources(b, sel)
    if cited.empty:
        st.caption(
            "No catalogue source is cited by this selection. Imported events carry their own `source` "
            "field (from the ACLED or UCDP export), shown in the incidents table and the data exports."
        )
    tiers = {"seed": "seed document", "related": "related reporting"}
    for _, s in cited.iterrows():
        head = f" — {md_escape(s['headline'])}" if s["headline"] else ""
        st.markdown(
            f"- **{md_escape(source_label(s))}**{head} ({md_escape(tiers.get(s['tier'], s['tier']))})"
        )

st.subheader("Downloads", anchor=False)
exports.render_data_downloads(sel, key="briefing")
