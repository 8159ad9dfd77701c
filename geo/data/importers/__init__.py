"""Importers of analysts' own event data (ACLED, UCDP GED) into the local store.

``import_file(source, fmt, dataset)`` is the one entry point (CLI and page);
``read_acled``/``read_ucdp`` only read and check a file. Every column mapping
is documented in the module docstrings and in ``geo/data/importers/README.md``.
The names are imported eagerly: ``geo.data.store`` and the other ``geo.data``
modules below the importers never import this package, so there is no cycle.
"""

from __future__ import annotations

from geo.data.importers.acled import read_acled
from geo.data.importers.common import ImportResult, NotCSVError
from geo.data.importers.pipeline import FORMATS, ImportOutcome, import_file
from geo.data.importers.ucdp import read_ucdp

__all__ = [
    "read_acled",
    "read_ucdp",
    "ImportResult",
    "NotCSVError",
    "import_file",
    "ImportOutcome",
    "FORMATS",
]
