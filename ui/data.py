"""Cached loading at the edge: the only place the app reads files.

The composition is :func:`geo.data.bundle.build_bundle` (the CLI uses the same):
the curated bundle, the analysts' imported datasets (``geo.data.store``) next to the
curated events (column ``dataset``) and the derived map layers. The cache is
kept in a :class:`geo.data.bundle.LiveBundle`, which checks
:func:`geo.data.bundle.bundle_key` (curated files, catalogue and store stamps) on
every call, so an import or a deletion shows up on the next rerun of every page.
A stored dataset that cannot be loaded is set aside and named by
:func:`show_store_notices`; it never takes a page down.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.data.bundle import LiveBundle, Opened, Settings
from geo.report.text import md_escape

#: What every page reads: the bundle, its border bands, the store's notices and the
#: frontier line (:class:`geo.data.bundle.Opened`, shared by every session: read-only).
AppData = Opened


def settings() -> Settings:
    """What the app shows: the environment's settings (:meth:`geo.data.bundle.Settings.from_env`)."""
    return Settings.from_env()


def data_dir() -> Path:
    """Data folder: ``PANJWATCH_DATA`` if set (tests use it), else the bundled data."""
    return settings().data_dir


# A resource, not a data cache: st.cache_data would pickle and copy the (up to a
# million-row) bundle on every rerun of every session. One LiveBundle per settings;
# it rebuilds itself when a file changes, dropping the old bundle first.
@st.cache_resource(show_spinner=False, max_entries=4)
def _live(settings: Settings) -> LiveBundle:
    return LiveBundle(settings)


def load_app_data() -> AppData:
    """The current bundle (rebuilt when the data, catalogue or store changed); raises ``DataError`` on bad curated data."""
    # st.spinner shows only after 0.5 s, so the usual rerun (nothing changed) never flashes it.
    with st.spinner("Loading the curated and imported data…"):
        return _live(settings()).get()


def show_store_notices(app: AppData) -> None:
    """Name every stored dataset set aside (and leftovers cleaned) at the top of the page."""
    if not app.notices:
        return
    with st.expander(
        f"Imported data: {len(app.notices)} notice(s) — the rest of the data is shown", expanded=True
    ):
        for line in app.notices:
            st.warning(md_escape(line))
