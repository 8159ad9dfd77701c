"""The one sidebar every page shares: one widget per filter of :data:`geo.query.fields.FIELDS`."""

from __future__ import annotations

import streamlit as st

from geo.data.load import Bundle
from geo.query.fields import DATE_TO, FIELDS, FilterField, Vocab
from geo.query.filters import Filters
from geo.report.text import md_escape
from ui import state

BASEMAP_KEY = "online_basemap"


def _widget(where, field: FilterField, vocab: Vocab) -> None:
    """Draw ``field``'s widget (kind and label from its declaration), bound to its session key."""
    common = {"key": field.key, "help": field.widget_help}
    if field.widget == "multiselect":
        where.multiselect(field.label, field.choices(vocab), placeholder=field.placeholder, **common)
    elif field.widget == "selectbox":
        where.selectbox(field.label, [state.ANY, *field.choices(vocab)], **common)
    elif field.widget == "radio":
        where.radio(field.label, [state.ANY, *field.choices(vocab)], horizontal=True, **common)
    else:
        where.date_input(field.label, format="YYYY-MM-DD", **common)


def render_sidebar(bundle: Bundle) -> Filters:
    """Draw the shared filters and return the selection they describe."""
    sb = st.sidebar
    sb.header("Filters")
    vocab = state.vocab(bundle)
    columns = None
    for field in FIELDS:
        if field.widget == "date_input":  # the first and last day side by side
            columns = columns or sb.columns(2)
            _widget(columns[field is DATE_TO], field, vocab)
        else:
            _widget(sb, field, vocab)
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
