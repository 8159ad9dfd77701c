"""Cached loading at the edge: the only place the app reads files.

The composition is :func:`geo.data.bundle.build_bundle` (the CLI uses the same):
the curated bundle, the analysts' imported datasets (``geo.data.store``) next to the
curated events (column ``dataset``) and the derived map layers. The cache is
keyed on :func:`geo.data.bundle.bundle_key` (curated files, catalogue and store
stamps), so an import or a deletion shows up on the next rerun of every page.
A stored dataset that cannot be loaded is set aside and named by
:func:`show_store_notices`; it never takes a page down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.data.bundle import Settings, build_bundle, bundle_key
from geo.data.importers.common import release_memory
from geo.data.load import Bundle
from geo.data.paths import DATA_DIR, default_seeds_dir
from geo.data.store import store_dir
from geo.report.text import md_escape


@dataclass
class AppData:
    """The loaded bundle plus precomputed map furniture and the store's notices."""

    bundle: Bundle
    bands: gpd.GeoDataFrame
    notices: list[str] = field(default_factory=list)


def data_dir() -> Path:
    """Data folder: ``PANJWATCH_DATA`` if set (tests use it), else the bundled data."""
    return Path(os.environ.get("PANJWATCH_DATA", DATA_DIR))


def settings() -> Settings:
    """What the app shows: the data folder, the seeds found beside it, every stored dataset."""
    return Settings(data_dir=data_dir(), seeds_dir=default_seeds_dir(), store_root=store_dir())


# A resource cache, not a data cache: st.cache_data would pickle and copy the (up to a
# million-row) bundle on every rerun of every session. Pages treat the bundle as read-only.
@st.cache_resource(show_spinner="Loading the curated and imported data…", max_entries=1)
def _load(key: tuple, _settings: Settings) -> AppData:
    # ``key`` is only the cache key: edited files get a new one and reload.
    opened = build_bundle(_settings)
    return AppData(bundle=opened.bundle, bands=opened.bands, notices=opened.notices)


_last_key: tuple | None = None


def load_app_data() -> AppData:
    """Load (cached by data and store version) and validate; raises ``DataError`` on bad curated data."""
    global _last_key
    s = settings()
    key = bundle_key(s)
    if _last_key is not None and key != _last_key:
        # Drop the old bundle before building the new one, so two million-row copies never coexist.
        _load.clear()
        release_memory()
    _last_key = key
    return _load(key, s)


def show_store_notices(app: AppData) -> None:
    """Name every stored dataset set aside (and leftovers cleaned) at the top of the page."""
    if not app.notices:
        return
    with st.expander(
        f"Imported data: {len(app.notices)} notice(s) — the rest of the data is shown", expanded=True
    ):
        for line in app.notices:
            st.warning(md_escape(line))
