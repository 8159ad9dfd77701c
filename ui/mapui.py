"""Map-page widgets shared by the map pages: layer toggles, view picker, the deck, legend."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk
import streamlit as st

from geo.data.bundle import outside_note
from geo.render.legend_html import legend_html
from geo.report.formatting import fmt_day
from geo.report.text import md_escape
from geo.scene.build import legend_entries
from geo.scene.model import Scene
from geo.scene.policy import ZOOM_CHOICES_MAX, curated_mask
from geo.scene.request import LAYER_IDS, LAYER_LABELS
from geo.scene.view import View
from ui import state, static

#: Most events offered in the "Zoom to" box.
MAX_ZOOM_CHOICES = ZOOM_CHOICES_MAX


def layer_toggles(page: str, available: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
    """Multi-select pills of the layers to draw."""
    chosen = st.pills(
        "Layers",
        list(available),
        selection_mode="multi",
        default=list(default),
        format_func=LAYER_LABELS.get,
        key=f"{page}-layers",
    )
    return tuple(k for k in available if k in (chosen or []))


def view_picker(page: str, default: View, events: pd.DataFrame) -> View:
    """'Zoom to' the page's default extent or one event; the choice goes to the URL.

    A view from a shared link stays until the user picks another one here.
    """
    placed = events[~(events.geometry.isna() | events.geometry.is_empty)]
    if "dataset" in placed and len(placed) > MAX_ZOOM_CHOICES:
        # With imported data the list would run to thousands: offer the curated events.
        placed = placed[curated_mask(placed)]
    placed = placed.head(MAX_ZOOM_CHOICES)
    views: dict[str, View | None] = {"Default extent": None}
    for loc, date, g in zip(placed["location"], placed["event_date"], placed.geometry, strict=True):
        views[f"{fmt_day(date)} — {loc[:60]}"] = View(round(g.y, 4), round(g.x, 4), max(default.zoom, 9.0))
    key = f"{page}-zoom"

    def _changed() -> None:
        state.set_view(views.get(st.session_state[key]))

    st.selectbox("Zoom to", list(views), key=key, on_change=_changed)
    return state.current_view() or default


def show_deck(deck: pdk.Deck, key: str) -> None:
    """Draw the deck; a newly clicked event (or claimed origin) becomes the selection."""
    ev = st.pydeck_chart(
        static.served(deck), on_select="rerun", selection_mode="single-object", key=key, height=560
    )
    objects = (ev.selection or {}).get("objects", {}) if ev is not None else {}
    picked = None
    for layer in (LAYER_IDS["events"], LAYER_IDS["claim-origins"]):
        for obj in objects.get(layer, []) or []:
            if isinstance(obj, dict) and obj.get("event_id"):
                picked = str(obj["event_id"])
                break
        if picked:
            break
    last_key = f"{key}-last-pick"
    if picked and picked != st.session_state.get(last_key):
        state.select_event(picked)
    st.session_state[last_key] = picked


def legend(
    scene: Scene | tuple[str, ...], categories: list[str] | None = None, shade_label: str | None = None
) -> None:
    """Legend of the map: the scene's entries (or, for a page drawing its own deck, the entries of
    ``layers`` and ``categories`` from the same registry), rendered by the one legend template."""
    if isinstance(scene, Scene):
        entries = scene.legend
    else:
        page = "sector" if "claims" in scene or "bands" in scene else "regional"
        entries = legend_entries(page, tuple(scene), categories or [])
    st.html(legend_html(entries, layout="inline"))


def unplaced_notice(events: pd.DataFrame, report: list[str]) -> None:
    """Say which selected events the map cannot show, and why (nothing silently dropped)."""
    note = outside_note(events)
    if note:
        st.caption(md_escape(note))
    ids = set(events["event_id"])
    lines = [r for r in report if r.split(":", 1)[0] in ids]
    if lines:
        with st.expander(f"{len(lines)} note(s) on placing the selected events"):
            for line in lines:
                st.text(line)
