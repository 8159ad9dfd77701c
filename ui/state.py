"""Filter state: one place, seeded from the URL once, mirrored back to it on every run."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from geo.data.load import Bundle
from geo.query.fields import BY_NAME, FIELDS, FilterField
from geo.query.filters import Filters
from geo.query.selection import empty_reasons
from geo.query.urlstate import Vocab, parse_query, to_query
from geo.render.mapdecks import View
from geo.report.text import md_escape, shown

# Widget keys of the shared sidebar (declared with each filter in geo.query.fields.FIELDS);
# they live in st.session_state across pages.
K_YEARS, K_ACTORS, K_ROLE, K_TYPES, K_TIER, K_FROM, K_TO = (
    BY_NAME[n].key for n in ("years", "actors", "role", "types", "tier", "date_from", "date_to")
)
K_VIEW, K_EVENT, K_NOTICES, K_SEEDED = "map_view", "selected_event", "url_notices", "_url_seeded"
ANY = "any"
#: (table key, event id) of the last row pick applied (see :func:`apply_row_pick`).
K_LAST_ROW_PICK = "_last_row_pick"


def vocab(bundle: Bundle) -> Vocab:
    return Vocab.of(bundle.events, bundle.roles)


def seed_from_url(bundle: Bundle) -> None:
    """On a session's first run, put the URL's filters into the widgets' state."""
    if st.session_state.get(K_SEEDED):
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    filters, view, event, notices = parse_query(params, vocab(bundle))
    if event and event not in set(bundle.events["event_id"]):
        notices.append(f"event '{shown(event)}' ignored (not in the data)")
        event = None
    for f in FIELDS:
        st.session_state[f.key] = to_widget(f, getattr(filters, f.name))
    st.session_state[K_VIEW] = view
    st.session_state[K_EVENT] = event
    st.session_state[K_NOTICES] = notices
    st.session_state[K_SEEDED] = True


def to_widget(field: FilterField, value):
    """A :class:`Filters` value → its sidebar widget's state (a list, a date, or a choice with "any")."""
    if field.repeatable:
        return list(value)
    if field.kind == "single":
        return value or ANY
    return value


def current_filters() -> Filters:
    """The shared selection, read from the sidebar widgets' state."""
    ss = st.session_state
    values = {f.name: ss.get(f.key, to_widget(f, f.empty)) for f in FIELDS}
    return Filters.of(**{n: None if v == ANY else v for n, v in values.items()})


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


def render_notices() -> None:
    """Say which link parameters were ignored, the values as plain text.

    The values come from whoever wrote the link: as Markdown, ``[Sign in](http://…)``
    would be a live link, ``![](http://…)`` an image fetched from another host and
    ``:red[…]`` styled text. ``st.text`` renders none of that; :func:`geo.report.text.shown`
    has already escaped control and bidi characters.
    """
    notices = st.session_state.get(K_NOTICES, [])
    if not notices:
        return
    with st.container(border=True, key="url-notices"):
        st.warning("Some link parameters could not be used and were ignored:", icon=":material/link_off:")
        for notice in notices:
            st.text(f"Link parameter: {notice}")


def render_empty_notice(bundle: Bundle) -> None:
    """When the filters select nothing, say which of them exclude each other or empty the
    selection alone (:func:`geo.query.selection.empty_reasons`), instead of a blank page."""
    reasons = empty_reasons(bundle, current_filters())
    if not reasons:
        return
    with st.container(border=True, key="empty-notice"):
        st.warning("No event matches these filters.", icon=":material/filter_alt_off:")
        for reason in reasons:
            st.text(reason)


def keep_selection(event_ids: pd.Series) -> str | None:
    """The selected event if ``event_ids`` (the filtered events) hold it; else clear it, with a notice.

    A selection is an event id, never a row number, so narrowing the filters can
    only drop it, not swap it for another event.
    """
    event = selected_event()
    if event is None:
        return None
    if bool((event_ids == event).any()):
        return event
    select_event(None)
    st.info(
        f"The selected event ({md_escape(shown(event))}) is not in the current filters, so the selection was "
        "cleared. Widen the filters or pick another event.",
        icon=":material/filter_alt_off:",
    )
    return None


def table_key(prefix: str, ids: Sequence[str]) -> str:
    """A widget key that changes whenever the table's rows (ids, in order) change.

    Streamlit keeps a table's row selection by position across reruns; a new key
    for new rows starts the new table with no row selected, so a position from
    the old rows is never read against the new ones.
    """
    h = hashlib.blake2b(digest_size=8)
    for i in ids:
        h.update(str(i).encode("utf-8", "surrogatepass") + b"\x00")
    return f"{prefix}-{h.hexdigest()}"


def apply_row_pick(key: str, ids: Sequence[str], rows: Sequence[int]) -> None:
    """Select the event of a newly clicked row, by id.

    ``ids`` are the table's rows as drawn under ``key`` (:func:`table_key`), so
    a row number is only ever read against the rows it was clicked on. Only a
    new pick changes the selection: a row still highlighted from earlier does
    not override an event picked since on a map. A row number out of range
    (which the key rules out) is ignored, not an error.
    """
    picked = ids[rows[0]] if rows and 0 <= rows[0] < len(ids) else None
    if picked is not None and (key, picked) != st.session_state.get(K_LAST_ROW_PICK):
        select_event(picked)
    st.session_state[K_LAST_ROW_PICK] = (key, picked)
