"""Playback: step or play through time; a small regional map shows the events up to that day.

Stepping reruns only a fragment (the map and its controls), so the timeline
above is not redrawn. "Play" reruns the fragment on a timer; the timer is set
when the fragment is created, so starting and stopping need one full rerun.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo.data.load import Bundle
from geo.render.mapdecks import REGIONAL_LAYERS, View, regional_deck
from geo.render.timeline.interact import events_until, playback_steps
from geo.render.timeline.style import PRIMARY
from geo.report.text import md_escape
from ui import static

#: Events named under "New:" for one day at most (an imported export can start hundreds on a day).
NEW_LISTED = 12
K_DAY = "playback-day"
K_PLAYING = "playback-playing"
K_JUST_STARTED = "playback-just-started"
K_JUST_PAUSED = "playback-just-paused"
#: Seconds between steps while playing: long enough to read the caption.
STEP_SECONDS = 1.5
#: Wider than the regional page's view: Dushanbe, Kabul and Islamabad (where the reactions
#: come from) fit in the ~400 × 380 px map next to the details panel.
PLAYBACK_VIEW = View(36.6, 70.2, 5.2)


def _fmt(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _set_day(day: date) -> None:
    st.session_state[K_DAY] = day


def _step(steps: list[date], delta: int) -> None:
    i = steps.index(st.session_state[K_DAY]) + delta
    st.session_state[K_DAY] = steps[max(0, min(i, len(steps) - 1))]


def _pause() -> None:
    st.session_state[K_PLAYING] = False
    st.session_state[K_JUST_PAUSED] = True


def render_playback(bundle: Bundle, events: pd.DataFrame) -> None:
    """Step/play controls and a regional map of ``events`` up to the chosen day (cumulative)."""
    steps = playback_steps(events)
    if not steps:
        st.info("No events to play back with the current filters.")
        return
    if st.session_state.get(K_DAY) not in steps:
        st.session_state[K_DAY] = steps[-1]
    playing = bool(st.session_state.get(K_PLAYING))

    @st.fragment(run_every=STEP_SECONDS if playing else None)
    def player() -> None:
        # Paused (by the callback, before this run): a full rerun drops the timer; no step is taken,
        # so the day shown when Pause was clicked is the day that stays.
        if st.session_state.pop(K_JUST_PAUSED, False):
            st.rerun()
        # The run that starts playing shows the first day; the timer's runs step on.
        if st.session_state.get(K_PLAYING) and not st.session_state.pop(K_JUST_STARTED, False):
            i = steps.index(st.session_state[K_DAY])
            if i + 1 < len(steps):
                st.session_state[K_DAY] = steps[i + 1]
            else:
                # The end: stop the timer (a full rerun recreates the fragment without it).
                st.session_state[K_PLAYING] = False
                st.rerun()
        # Material icons ship with Streamlit (no font download); the tooltips say it in words.
        cols = st.columns([1, 1, 2, 1, 1], gap="small")
        cols[0].button(
            "",
            key="playback-first",
            icon=":material/first_page:",
            help="First day",
            on_click=_set_day,
            args=(steps[0],),
        )
        cols[1].button(
            "",
            key="playback-prev",
            icon=":material/chevron_left:",
            help="Previous day with an event",
            on_click=_step,
            args=(steps, -1),
        )
        if st.session_state.get(K_PLAYING):
            cols[2].button(
                "Pause",
                key="playback-pause",
                icon=":material/pause:",
                type="primary",
                width="stretch",
                on_click=_pause,
            )
        elif cols[2].button(
            "Play", key="playback-play", icon=":material/play_arrow:", type="primary", width="stretch"
        ):
            if st.session_state[K_DAY] == steps[-1]:
                st.session_state[K_DAY] = steps[0]
            st.session_state[K_PLAYING] = True
            st.session_state[K_JUST_STARTED] = True
            st.rerun()
        cols[3].button(
            "",
            key="playback-next",
            icon=":material/chevron_right:",
            help="Next day with an event",
            on_click=_step,
            args=(steps, 1),
        )
        cols[4].button(
            "",
            key="playback-last",
            icon=":material/last_page:",
            help="Last day",
            on_click=_set_day,
            args=(steps[-1],),
        )
        day = st.select_slider("Show events up to", options=steps, key=K_DAY, format_func=_fmt)
        shown = events_until(events, day)
        start = pd.to_datetime(shown["event_date"]).dt.date
        new = shown[start == day]
        violent = int(shown["category"].isin(PRIMARY).sum())
        st.caption(
            f"Up to {_fmt(day)}: {len(shown)} of {len(events)} events ({violent} attacks or clashes) · "
            "month-only events appear from the first of their month"
        )
        listed = [
            f"{md_escape(c)} — {md_escape(loc)}"
            for c, loc in zip(
                new["category"].iloc[:NEW_LISTED], new["location"].iloc[:NEW_LISTED], strict=True
            )
        ]
        more = f"; and {len(new) - NEW_LISTED:,} more" if len(new) > NEW_LISTED else ""
        st.markdown("**New:** " + "; ".join(listed) + more)
        deck = regional_deck(
            shown,
            bundle.admin1,
            bundle.border,
            bundle.rivers,
            bundle.places,
            view=PLAYBACK_VIEW,
            layers=REGIONAL_LAYERS,
        )
        st.pydeck_chart(static.served(deck), height=380, key="playback-map")

    player()
