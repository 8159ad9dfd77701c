"""The one sidebar every page shares: one widget per filter of :data:`geo.query.fields.FIELDS`."""

from __future__ import annotations

import streamlit as st

from geo.data.load import Bundle
from geo.query.fields import FIELDS, KM_MAX, RANGES, FilterField, Vocab
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
    elif field.widget == "number_input":
        where.number_input(
            field.label,
            min_value=0.0,
            max_value=KM_MAX,
            step=10.0,
            format="%.1f",
            placeholder=field.placeholder,
            **common,
        )
    else:
        where.date_input(field.label, format="YYYY-MM-DD", **common)


def render_sidebar(bundle: Bundle) -> Filters:
    """Draw the shared filters and return the selection they describe."""
    sb = st.sidebar
    sb.header("Filters")
    vocab = state.vocab(bundle)
    firsts = {first.name: last for first, last in RANGES}
    lasts = {last.name for _, last in RANGES}
    for field in FIELDS:
        if field.name in firsts:  # first and last of a range side by side
            left, right = sb.columns(2)
            _widget(left, field, vocab)
            _widget(right, firsts[field.name], vocab)
        elif field.name not in lasts:
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
