"""Frontier: where along the border events happen (chainage × time) and which sectors run hot."""

from functools import partial

import streamlit as st

from geo.export.tables import to_csv_bytes
from geo.frontier import chart as fc
from geo.frontier import figure as ff
from geo.frontier.mapdeck import frontier_deck, in_stretch, stretch_view
from geo.frontier.reference import CORRIDOR_KM
from geo.frontier.sectors import WINDOWS, fmt_p
from geo.frontier.service import frontier_view, stretch_of, stretch_summary, without_stretch
from geo.query.fields import KM_FROM, KM_TO
from geo.query.selection import provenance, select
from geo.render.mapdecks import REGIONAL_VIEW
from geo.render.timeline.style import PAGE_WIDTH_PX
from geo.report.text import md_escape
from ui import data, details, mapui, sidebar, state

CHART_KEY = "frontier-strip"
K_LAST_PICK = "frontier-last-pick"

app = data.load_app_data()
b = app.bundle
frontier = app.frontier


def _on_select() -> None:
    selection = st.session_state[CHART_KEY].selection
    stretch = fc.brushed_stretch(selection)
    if stretch is not None:  # the stretch is a shared filter: every page and the link get it
        st.session_state[KM_FROM.key], st.session_state[KM_TO.key] = (round(v, 1) for v in sorted(stretch))
    picked = fc.picked_event(selection)
    if picked and picked != st.session_state.get(K_LAST_PICK):
        state.select_event(picked)
    st.session_state[K_LAST_PICK] = picked


def _clear_stretch() -> None:
    st.session_state[KM_FROM.key] = st.session_state[KM_TO.key] = None


if frontier is None:  # the notice at the top of the page says why
    st.title("Frontier")
    st.error(
        "The frontier view cannot be built from the shipped border line and landmarks; see the notice above."
    )
    st.stop()

filters = state.current_filters()
stretch = stretch_of(filters, frontier.line.length_km)
# The strip and the rates show the whole corridor with the stretch outlined; the map and the table the stretch.
sel = select(b, without_stretch(filters))

st.title("Frontier: where along the border, and is it getting worse")
c1, c2 = st.columns(2)
max_km = c1.slider(
    "Corridor: km either side of the border", 5, 100, int(CORRIDOR_KM), step=5, key="frontier-corridor"
)
sector_km = c2.select_slider(
    "Sector length (km of border)", [10, 25, 50, 100], value=25, key="frontier-sector"
)
view = frontier_view(frontier, sel.events, b.events["event_date"], filters, float(max_km), float(sector_km))
n = view.counts
st.caption(
    f"{n['in_corridor']:,} of {len(sel.events):,} selected events lie within {max_km} km of the border "
    f"({n['farther']:,} farther away, {n['unplaced']:,} not placed) · {md_escape(filters.summary())}"
)
for sentence in view.glance:
    st.markdown(f"**{md_escape(sentence)}**")

strip = fc.strip_chart(
    view.events,
    frontier.landmarks,
    frontier.facing,
    frontier.line.length_km,
    chosen=stretch,
    title="Events along the border through time",
    subtitle="▲ Tajik side · ▼ Afghan side · bar: the stretch inside a location's uncertainty circle · "
    "drag across to choose a stretch, click a mark for its details",
    width=PAGE_WIDTH_PX,
)
st.altair_chart(strip, on_select=_on_select, selection_mode=["stretch", "pick"], key=CHART_KEY, theme=None)
st.caption(md_escape(view.line_caption))

in_s = in_stretch(view.events, stretch)
chosen = view.events[in_s]
if stretch is not None:
    s1, s2 = st.columns([4, 1], vertical_alignment="center")
    s1.markdown(f"**Stretch {md_escape(stretch_summary(chosen, stretch))}**")
    s2.button("Clear the stretch", key="frontier-clear-stretch", on_click=_clear_stretch)
else:
    st.caption("No stretch chosen: the map shows every event in the corridor.")
map_events = sel.events.loc[chosen.index]
deck = frontier_deck(
    map_events,
    b.admin1,
    b.border_detail,
    b.rivers,
    b.places,
    frontier.line,
    stretch,
    view=stretch_view(frontier.line, *stretch) if stretch else state.current_view() or REGIONAL_VIEW,
    basemap=st.session_state.get(sidebar.BASEMAP_KEY, False),
)
left, right = st.columns([1.4, 1], gap="large")
with left:
    mapui.show_deck(deck, key="frontier-map")
    mapui.legend(("border", "rivers", "events"), sorted(set(map_events["category"])))
with right:
    st.subheader("Details", anchor=False)
    details.render_details(b, state.selected_event())

if len(chosen):
    with st.expander(f"The {len(chosen):,} event(s) {'in the stretch' if stretch else 'in the corridor'}"):
        table = chosen.assign(
            date=chosen["event_date"].dt.strftime("%Y-%m-%d"),
            range_km=[
                f"{a:,.0f}–{z:,.0f}"
                for a, z in zip(chosen["chainage_lo_km"], chosen["chainage_hi_km"], strict=True)
            ],
        )
        st.dataframe(
            table[
                ["date", "category", "location", "chainage_km", "range_km", "side", "border_km", "casualties"]
            ],
            hide_index=True,
            column_config={
                "chainage_km": st.column_config.NumberColumn("km", format="%.1f"),
                "range_km": "range (km)",
                "border_km": st.column_config.NumberColumn("km from the line", format="%.1f"),
                "casualties": "killed + injured",
            },
        )

st.header("Sector rates", anchor=False)
st.caption(md_escape(view.rates_caption))
hot = view.rates[view.rates["more_than_usual"]]
if len(hot):
    st.markdown(
        "**More than usual:** "
        + md_escape(
            "; ".join(
                f"{r.label} ({r.landmarks or r.tj_province + ' | ' + r.af_province})"
                for r in hot.itertuples()
            )
        )
    )
else:
    st.markdown("No sector has more events than usual in the last 30 or 90 days (p < 0.05).")
if len(view.monthly):
    st.altair_chart(fc.small_multiples(view.monthly, view.rates), theme=None, key="frontier-sectors")
active = view.rates[view.rates["events"] > 0]
shown = active.assign(**{f"p_{w}": [fmt_p(p) for p in active[f"p_{w}d"]] for w in WINDOWS})
st.dataframe(
    shown[
        [
            "label",
            "landmarks",
            "tj_province",
            "af_province",
            "events",
            "casualties",
            *[c for w in WINDOWS for c in (f"n_{w}d", f"expected_{w}d", f"p_{w}", f"verdict_{w}d")],
            "ranges_crossing",
        ]
    ],
    hide_index=True,
    key="frontier-rates-table",
    column_config={
        "label": "sector",
        "tj_province": "Tajik side",
        "af_province": "Afghan side",
        "casualties": "killed + injured",
        **{f"n_{w}d": f"last {w} d" for w in WINDOWS},
        **{f"expected_{w}d": f"expected {w} d" for w in WINDOWS},
        **{f"p_{w}": f"p ({w} d)" for w in WINDOWS},
        **{f"verdict_{w}d": f"{w} d" for w in WINDOWS},
        "ranges_crossing": "ranges crossing the sector edge",
    },
)
title = f"Events per {sector_km:g} km border sector and month"
subtitle = (
    f"Filters: {filters.summary()} · within {max_km} km of the WDB-II border line · data version {b.version}"
)
footer = [view.rates_caption, provenance(b, filters, sel.events)]
d1, d2, d3, d4, d5 = st.columns(5)
d1.download_button(
    "Sectors CSV",
    data=partial(to_csv_bytes, ff.rates_csv_frame(view.rates)),
    file_name="panjwatch-frontier-sectors.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="frontier-dl-csv",
)
d2.download_button(
    "Events CSV",
    data=partial(to_csv_bytes, view.events),
    file_name="panjwatch-frontier-events.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="frontier-dl-events",
    help="Every event in the corridor with its chainage, range and side",
)
for col, fmt in zip((d3, d4, d5), ff.FORMATS, strict=True):
    col.download_button(
        fmt.upper(),
        data=partial(ff.rates_figure_bytes, view.rates, view.monthly, fmt, title, subtitle, footer),
        file_name=f"panjwatch-frontier-sectors.{fmt}",
        mime=ff.MIME[fmt],
        on_click="ignore",
        icon=":material/download:",
        key=f"frontier-dl-{fmt}",
    )
