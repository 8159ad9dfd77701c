"""The one sidebar every page shares: year, dates, actor and role, type, tier."""

from __future__ import annotations

import streamlit as st

from geo.data.actors import ROLES, actor_vocabulary
from geo.data.load import Bundle
from geo.data.schema import CATEGORIES, TIERS
from geo.query.filters import Filters
from geo.report.text import md_escape
from ui import state

BASEMAP_KEY = "online_basemap"


def render_sidebar(bundle: Bundle) -> Filters:
    """Draw the shared filters and return the selection they describe."""
    sb = st.sidebar
    sb.header("Filters")
    years = sorted(int(y) for y in bundle.events["year"].dropna().unique())
    sb.multiselect("Year", years, key=state.K_YEARS, placeholder="all years")
    c1, c2 = sb.columns(2)
    c1.date_input("From", key=state.K_FROM, format="YYYY-MM-DD")
    c2.date_input("To", key=state.K_TO, format="YYYY-MM-DD")
    # Readable names and ACLED's forms beside them: a link or an analyst may use either.
    actors = actor_vocabulary(bundle.roles)
    sb.multiselect("Actor", actors, key=state.K_ACTORS, placeholder="any actor")
    sb.selectbox("…in the role of", [state.ANY, *ROLES], key=state.K_ROLE)
    present = sorted(set(bundle.events["category"].dropna().unique()) & CATEGORIES)
    sb.multiselect("Event type", present, key=state.K_TYPES, placeholder="all types")
    sb.radio(
        "Sources",
        [state.ANY, *sorted(TIERS)],
        key=state.K_TIER,
        horizontal=True,
        help="seed: the five seed documents; related: other public reporting, not verified against the seeds",
    )
    sb.divider()
    sb.toggle(
        "Online basemap",
        key=BASEMAP_KEY,
        value=False,
        help="Off by default: the maps work with no internet. On loads tiles from an online service.",
    )
    filters = state.current_filters()
    sb.caption(f"Showing: {md_escape(filters.summary())}")
    return filters
