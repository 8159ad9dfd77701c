"""Panj Watch core: loading, validation, spatial joins, layer and chart specs, exports.

Nothing in this package imports Streamlit; pages and ``ui/`` call into it.
"""

from geo.data.paths import DATA_DIR, REPO_ROOT, default_seeds_dir

__all__ = ["DATA_DIR", "REPO_ROOT", "default_seeds_dir"]
