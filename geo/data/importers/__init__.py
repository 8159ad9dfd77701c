"""Importers of analysts' own event data (ACLED, UCDP GED) into the local store.

``import_file(source, fmt, dataset)`` is the one entry point (CLI and page);
``read_acled``/``read_ucdp`` only read and check a file. Every column mapping
is documented in the module docstrings and in ``geo/data/importers/README.md``.
The names are imported on first use (a module ``__getattr__``), not when the
package is: ``panjwatch`` imports :mod:`geo.data.importers.textsafe` and
:mod:`geo.data.importers.formats` at start and must not load pandas and pyarrow
with them (issue 13). ``geo.data.store`` and the other ``geo.data`` modules below
the importers never import this package, so there is no cycle.
"""

from __future__ import annotations

from geo.data.importers.formats import FORMATS

__all__ = [
    "read_acled",
    "read_ucdp",
    "ImportResult",
    "NotCSVError",
    "import_file",
    "ImportOutcome",
    "FORMATS",
]


def __getattr__(name: str):
    # Plain import statements (not importlib), so tests/test_import_graph.py sees these edges.
    if name == "read_acled":
        from geo.data.importers.acled import read_acled as value
    elif name == "read_ucdp":
        from geo.data.importers.ucdp import read_ucdp as value
    elif name in ("ImportResult", "NotCSVError"):
        from geo.data.importers import common

        value = getattr(common, name)
    elif name in ("import_file", "ImportOutcome"):
        from geo.data.importers import pipeline

        value = getattr(pipeline, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
