"""Cached loading at the edge: the only place the app reads files.

The curated bundle and the analysts' imported datasets (``geo.store``) are
loaded together: imported events sit next to the curated ones in
``bundle.events`` (column ``dataset``), with the same join and border columns,
and their actors in ``bundle.roles``. The cache is keyed on both the curated
data's and the store's change stamps, so an import or a deletion shows up on
the next rerun of every page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.bands import border_bands
from geo.importers.common import release_memory
from geo.load import Bundle, data_stamp, load_bundle
from geo.paths import DATA_DIR, default_seeds_dir
from geo.store import Store, merge_into_bundle, store_dir


@dataclass
class AppData:
    """The loaded bundle plus precomputed map furniture."""

    bundle: Bundle
    bands: gpd.GeoDataFrame


def data_dir() -> Path:
    """Data folder: ``PANJWATCH_DATA`` if set (tests use it), else the bundled data."""
    return Path(os.environ.get("PANJWATCH_DATA", DATA_DIR))


# A resource cache, not a data cache: st.cache_data would pickle and copy the (up to a
# million-row) bundle on every rerun of every session. Pages treat the bundle as read-only.
@st.cache_resource(show_spinner="Loading the curated and imported data…", max_entries=1)
def _load(data_path: str, seeds_path: str | None, stamp: str, store_path: str, store_stamp: str) -> AppData:
    # ``stamp`` and ``store_stamp`` are only cache keys: edited files get new ones and reload.
    bundle = load_bundle(data_path, seeds_path)
    bundle = merge_into_bundle(bundle, Store(store_path), data_path)
    release_memory()
    return AppData(bundle=bundle, bands=border_bands(bundle.border))


_last_key: tuple | None = None


def load_app_data() -> AppData:
    """Load (cached by data and store version) and validate; raises ``DataError`` on bad data."""
    global _last_key
    d = data_dir()
    seeds = default_seeds_dir()
    store = Store(store_dir())
    key = (str(d), str(seeds) if seeds else None, data_stamp(d), str(store.root), store.stamp())
    if _last_key is not None and key != _last_key:
        # Drop the old bundle before building the new one, so two million-row copies never coexist.
        _load.clear()
        release_memory()
    _last_key = key
    return _load(*key)
