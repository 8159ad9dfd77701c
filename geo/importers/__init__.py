"""Importers of analysts' own event data (ACLED, UCDP GED) into the local store.

``import_file(source, fmt, dataset)`` is the one entry point (CLI and page);
``read_acled``/``read_ucdp`` only read and check a file. Every column mapping
is documented in the module docstrings and in ``geo/importers/README.md``.
Names are loaded lazily: ``geo.store`` and the importers use each other.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "read_acled": "geo.importers.acled",
    "read_ucdp": "geo.importers.ucdp",
    "ImportResult": "geo.importers.common",
    "NotCSVError": "geo.importers.common",
    "import_file": "geo.importers.pipeline",
    "ImportOutcome": "geo.importers.pipeline",
    "FORMATS": "geo.importers.pipeline",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'geo.importers' has no attribute {name!r}")
