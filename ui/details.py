"""The details panel: one implementation, used by every page."""

from __future__ import annotations

import streamlit as st

from geo.data.load import Bundle
from geo.report.details import event_details
from geo.report.text import md_escape


def render_details(bundle: Bundle, event_id: str | None) -> None:
    """Show what we know about ``event_id``: when, where, how sure, who said what."""
    if not event_id:
        st.info("Select an event on the map or in the table to see its details, claims and sources.")
        return
    d = event_details(bundle, event_id)
    if d is None:
        st.warning("The selected event is not in the data.")
        return
    with st.container(border=True, key="details-panel"):
        st.subheader(md_escape(d.title), anchor=False)
        st.caption(f"event id {md_escape(d.event_id)}")
        st.markdown(f"**When:** {md_escape(d.date)}  \n*{md_escape(d.date_basis)}*")
        st.markdown(f"**Where:** {md_escape(d.place)}  \n*{md_escape(d.place_basis)}*")
        st.markdown(f"**Casualties:** {md_escape(d.casualties)}  \n*{md_escape(d.casualty_basis)}*")
        st.markdown(f"**Border:** {md_escape(d.border)}")
        st.markdown(md_escape(d.notes))
        if not d.claims.empty:
            st.markdown("**Who said what**")
            speakers = list(dict.fromkeys(d.claims["speaker"]))
            cols = st.columns(min(len(speakers), 3))
            for i, speaker in enumerate(speakers):
                with cols[i % len(cols)]:
                    st.markdown(f"**{md_escape(speaker)}**")
                    for c in d.claims[d.claims["speaker"] == speaker].itertuples(index=False):
                        body = f" ({md_escape(c.speaker_body)})" if c.speaker_body else ""
                        st.markdown(
                            f"*{md_escape(c.stance)}*{body} — about {md_escape(c.about)}: {md_escape(c.claim)}"
                        )
                        if c.quote:
                            st.markdown(f"> “{md_escape(c.quote)}”")
                        part = (
                            f" · part of the statement: {md_escape(c.statement)}"
                            if getattr(c, "statement", "")
                            else ""
                        )
                        st.caption(
                            f"source: {md_escape(c.source_id)} — {md_escape(c.outlet)} ({md_escape(c.tier)}){part}"
                        )
        st.markdown("**Sources**")
        for s in d.sources.itertuples(index=False):
            head = f" — {md_escape(s.headline)}" if s.headline else ""
            date = f", {s.published}" if s.published else ""
            url = f" — {md_escape(s.url)}" if s.url else ""
            st.markdown(f"- {md_escape(s.outlet)}{head}{md_escape(date)} \\[{md_escape(s.tier)}\\]{url}")
