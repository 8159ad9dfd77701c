"""Panj Watch — entry point: page config, the shared sidebar, navigation. Routing only."""

import streamlit as st

from geo.data.problems import DataError
from ui import data, sidebar, state

st.set_page_config(page_title="Panj Watch", layout="wide", initial_sidebar_state="auto")

try:
    app_data = data.load_app_data()
except DataError as exc:
    st.title("Panj Watch")
    st.error(f"The bundled data has {len(exc.problems)} problem(s); fix them and reload.")
    st.dataframe(
        [
            {"file": p.file, "row": p.row, "field": p.field, "value": p.value, "problem": p.message}
            for p in exc.problems
        ],
        hide_index=True,
    )
    st.stop()

state.seed_from_url(app_data.bundle)
sidebar.render_sidebar(app_data.bundle)
data.show_store_notices(app_data)

pages = [
    st.Page("pages/briefing.py", title="Briefing", url_path="home", default=True),
    st.Page("pages/regional_map.py", title="Regional map", url_path="regional_map"),
    st.Page("pages/sector_map.py", title="Border sector", url_path="sector_map"),
    st.Page("pages/incidents.py", title="Incidents", url_path="incidents"),
    st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
    st.Page("pages/frontier.py", title="Frontier", url_path="frontier"),
    st.Page("pages/sources.py", title="Sources and method", url_path="sources"),
    st.Page("pages/import_data.py", title="Import data", url_path="import"),
    # The default page lives at "/"; a link to /briefing (the README's, a bookmark) opens it too.
    st.Page("pages/briefing.py", title="Briefing", url_path="briefing", visibility="hidden"),
]
page = st.navigation(pages)

state.render_notices()
state.render_empty_notice(app_data.bundle)
page.run()
state.sync_url()
