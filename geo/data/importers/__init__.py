"""Importers of analysts' own event data (ACLED, UCDP GED) into the local store.

``import_file(source, fmt, dataset)`` is the one entry point (CLI and page);
``read_acled``/``read_ucdp`` only read and check a file. Every column mapping
is documented in the module docstrings and in ``geo/data/importers/README.md``.
Names are loaded lazily: ``geo.data.store`` and the importers use each other.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "read_acled": "geo.data.importers.acled",
    "read_ucdp": "geo.data.importers.ucdp",
    "ImportResult": "geo.data.importers.common",
    "NotCSVError": "geo.data.importers.common",
    "import_file": "geo.data.importers.pipeline",
    "ImportOutcome": "geo.data.importers.pipeline",
    "FORMATS": "geo.data.importers.pipeline",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'geo.data.importers' has no attribute {name!r}")
