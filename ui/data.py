"""Cached loading at the edge: the only place the app reads files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.bands import border_bands
from geo.load import Bundle, data_stamp, load_bundle
from geo.paths import DATA_DIR, default_seeds_dir


@dataclass
class AppData:
    """The loaded bundle plus precomputed map furniture."""

    bundle: Bundle
    bands: gpd.GeoDataFrame


def data_dir() -> Path:
    """Data folder: ``PANJWATCH_DATA`` if set (tests use it), else the bundled data."""
    return Path(os.environ.get("PANJWATCH_DATA", DATA_DIR))


@st.cache_data(show_spinner="Loading the curated data…", max_entries=4)
def _load(data_path: str, seeds_path: str | None, stamp: str) -> AppData:
    # ``stamp`` is only the cache key: edited files get a new one and reload.
    bundle = load_bundle(data_path, seeds_path)
    return AppData(bundle=bundle, bands=border_bands(bundle.border))


def load_app_data() -> AppData:
    """Load (cached by data version) and validate; raises ``DataError`` on bad data."""
    d = data_dir()
    seeds = default_seeds_dir()
    return _load(str(d), str(seeds) if seeds else None, data_stamp(d))
