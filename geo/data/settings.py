"""Every ``PANJWATCH_*`` environment variable, declared once and read through :func:`env`.

The README's "Settings" table is this declaration in prose; ``tests/test_settings.py``
checks the two agree and that no module in ``geo/``, ``ui/`` or ``pages/`` reads a
``PANJWATCH_*`` variable any other way, so a new setting cannot go undocumented.
An empty value counts as unset: a variable exported empty by a shell script must
not point the app at the current directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, the default in words, and what it sets."""

    name: str
    default: str
    what: str


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "PANJWATCH_STORE",
        "`local/store/`",
        "folder of imported datasets (one GeoParquet file per dataset, its rejects CSV beside it)",
    ),
    Variable("PANJWATCH_DATA", "`data/`", "curated data folder (tests point it at corrupted copies)"),
    Variable(
        "PANJWATCH_SEEDS",
        "`../shared/seeds`",
        "the seed documents `panjwatch validate` checks quotes against; without them those checks are "
        "skipped, said once",
    ),
    Variable(
        "PANJWATCH_CHROMIUM",
        "`/usr/bin/chromium`",
        "the browser the browser tests and the HTML-map snapshot use",
    ),
    Variable(
        "PANJWATCH_UPDATE_SNAPSHOTS",
        "unset",
        "tests only: `1` rewrites the deck and scene JSON snapshots in `tests/snapshots/`",
    ),
    Variable(
        "PANJWATCH_BENCH_COUNTRIES",
        "unset",
        "benchmarks only: `bench/bench_coverage.py` reads its country file from this path",
    ),
)
BY_NAME = {v.name: v for v in VARIABLES}


def env(name: str) -> str | None:
    """The value of the declared variable ``name``, or ``None`` when unset or empty.

    Raises
    ------
    KeyError
        ``name`` is not declared in :data:`VARIABLES` (an undocumented setting).
    """
    if name not in BY_NAME:
        raise KeyError(f"{name} is not a declared setting; add it to geo.data.settings.VARIABLES")
    return os.environ.get(name) or None


def readme_table() -> str:
    """The README's settings table (Markdown), generated from :data:`VARIABLES`."""
    rows = ["| variable | default | what |", "|---|---|---|"]
    rows += [f"| `{v.name}` | {v.default} | {v.what} |" for v in VARIABLES]
    return "\n".join(rows)
