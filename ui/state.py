"""Filter state: one place, seeded from the URL once, mirrored back to it on every run."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.deck import View
from geo.filters import Filters
from geo.load import Bundle
from geo.urlstate import Vocab, parse_query, to_query

# Widget keys of the shared sidebar; they live in st.session_state across pages.
K_YEARS, K_ACTORS, K_ROLE, K_TYPES, K_TIER, K_FROM, K_TO = (
    "f_years",
    "f_actors",
    "f_role",
    "f_types",
    "f_tier",
    "f_from",
    "f_to",
)
K_VIEW, K_EVENT, K_NOTICES, K_SEEDED = "map_view", "selected_event", "url_notices", "_url_seeded"
ANY = "any"


def vocab(bundle: Bundle) -> Vocab:
    return Vocab(
        years=frozenset(int(y) for y in bundle.events["year"]), actors=frozenset(bundle.roles["actor"])
    )


def seed_from_url(bundle: Bundle) -> None:
    """On a session's first run, put the URL's filters into the widgets' state."""
    if st.session_state.get(K_SEEDED):
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    filters, view, event, notices = parse_query(params, vocab(bundle))
    if event and event not in set(bundle.events["event_id"]):
        notices.append(f"event '{event[:60]}' ignored (not in the data)")
        event = None
    st.session_state[K_YEARS] = list(filters.years)
    st.session_state[K_ACTORS] = list(filters.actors)
    st.session_state[K_ROLE] = filters.role or ANY
    st.session_state[K_TYPES] = list(filters.types)
    st.session_state[K_TIER] = filters.tier or ANY
    st.session_state[K_FROM] = filters.date_from
    st.session_state[K_TO] = filters.date_to
    st.session_state[K_VIEW] = view
    st.session_state[K_EVENT] = event
    st.session_state[K_NOTICES] = notices
    st.session_state[K_SEEDED] = True


def current_filters() -> Filters:
    """The shared selection, read from the sidebar widgets' state."""
    ss = st.session_state
    role = ss.get(K_ROLE, ANY)
    tier = ss.get(K_TIER, ANY)
    d_from: date | None = ss.get(K_FROM)
    d_to: date | None = ss.get(K_TO)
    return Filters(
        years=tuple(sorted(ss.get(K_YEARS, []))),
        actors=tuple(ss.get(K_ACTORS, [])),
        role=None if role == ANY else role,
        types=tuple(sorted(ss.get(K_TYPES, []))),
        tier=None if tier == ANY else tier,
        date_from=d_from,
        date_to=d_to,
    )


def current_view() -> View | None:
    return st.session_state.get(K_VIEW)


def set_view(view: View | None) -> None:
    st.session_state[K_VIEW] = view


def selected_event() -> str | None:
    return st.session_state.get(K_EVENT)


def select_event(event_id: str | None) -> None:
    st.session_state[K_EVENT] = event_id


def sync_url() -> None:
    """Write the current filters, view and selection to the URL (only if changed)."""
    wanted = to_query(current_filters(), current_view(), selected_event())
    have = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    if have != wanted:
        st.query_params.from_dict(wanted)
