"""The import formats by name, with no heavy imports: ``panjwatch import --format`` offers them
before anything is loaded (:data:`geo.data.importers.pipeline.READERS` has one reader each)."""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("acled", "ucdp")
