"""One import, end to end: read → reject bad rows → join → find duplicates → store.

The same function serves the CLI (``panjwatch import``) and the Import data
page; both pass a ``progress(fraction, message)`` callback.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.data.duplicates import DUPLICATE_COLUMNS, curated_keys, find_duplicates
from geo.data.importers.acled import read_acled
from geo.data.importers.common import (
    LARGE_READ,
    ImportResult,
    NotCSVError,
    Source,
    empty_report,
    release_memory,
    source_name,
)
from geo.data.importers.enrichment import enrich_imported
from geo.data.importers.formats import FORMATS as FORMATS  # one reader each in READERS
from geo.data.importers.ucdp import read_ucdp
from geo.data.paths import DATA_DIR
from geo.data.store import DatasetInfo, Store, StoreError, shapes_version
from geo.data.store_names import check_name

READERS: dict[str, Callable[..., ImportResult]] = {"acled": read_acled, "ucdp": read_ucdp}

# Share of the progress bar each stage gets (reading is the bulk of a large file).
_READ, _JOIN, _DUPS = 0.45, 0.40, 0.10


@dataclass
class ImportOutcome:
    """What an import did.

    ``info`` is ``None`` when nothing was stored (every row rejected);
    ``duplicates`` pairs each new event with an event already loaded elsewhere;
    ``flags`` lists rows kept with a warning (same columns as ``rejects``);
    ``notes`` are the reader's sentences (date formats chosen, columns the file lacks).
    Always ``rows_read == loaded + rejected_rows``.
    """

    dataset: str
    fmt: str
    rows_read: int
    loaded: int
    rejects: pd.DataFrame
    duplicates: pd.DataFrame
    join_counts: dict[str, int]
    info: DatasetInfo | None
    notes: list[str] = field(default_factory=list)
    flags: pd.DataFrame = field(default_factory=empty_report)

    @property
    def rejected_rows(self) -> int:
        return int(self.rejects["row"].nunique()) if not self.rejects.empty else 0

    @property
    def flagged_rows(self) -> int:
        return int(self.flags["row"].nunique()) if not self.flags.empty else 0

    def headline(self) -> str:
        """The counts in one line."""
        if self.info is None:
            if self.rows_read == 0:
                return "nothing imported: the file has a header but no data rows; the store is unchanged"
            return (
                f"nothing imported: all {self.rows_read:,} row(s) of the file were rejected; "
                f"the store is unchanged"
            )
        dups = self.duplicates["event_id"].nunique() if not self.duplicates.empty else 0
        flagged = (
            f"; {self.flagged_rows:,} row(s) imported and flagged (kept, not rejected)"
            if self.flagged_rows
            else ""
        )
        return (
            f"dataset {self.dataset}: {self.loaded:,} event(s) imported from {self.rows_read:,} row(s); "
            f"{self.rejected_rows:,} row(s) rejected{flagged}; {dups:,} possible duplicate(s) of events "
            "already loaded"
        )

    def summary(self) -> str:
        """The report for the page: the counts, then the reader's notes (formats chosen, columns lacking)."""
        return self.headline() + "".join(f". {n}" for n in self.notes) + ("." if self.notes else "")


def _sha256(source: Source) -> str:
    h = hashlib.sha256()
    if isinstance(source, (bytes, bytearray, memoryview)):
        h.update(source)
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
    else:
        source.seek(0)
        for chunk in iter(lambda: source.read(1 << 22), b""):
            h.update(chunk)
        source.seek(0)
    return h.hexdigest()


def import_file(
    source: Source,
    fmt: str,
    dataset: str,
    *,
    store: Store | None = None,
    data_dir: Path | str = DATA_DIR,
    replace: bool = False,
    name: str | None = None,
    progress: Callable[[float, str], None] | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
) -> ImportOutcome:
    """Import an ACLED or UCDP GED export (CSV, ``.xlsx``, ``.zip``) into the store as dataset ``dataset``.

    Parameters
    ----------
    source : path, bytes or binary stream
        The CSV export.
    fmt : {"acled", "ucdp"}
    dataset : str
        Store label (checked before reading anything).
    store : Store, optional
        Default: :func:`geo.data.store.store_dir`.
    data_dir : path
        Curated data folder (its shapes are used for the join; its events for duplicates).
    replace : bool
        Replace an existing dataset of the same name (only once the new one is ready).
    name : str, optional
        File name to record (default: from ``source``).
    progress : callable, optional
        ``progress(fraction 0–1, message)``.
    sheet : str, optional
        Sheet of an Excel workbook (default: the first).
    max_bytes : int, optional
        Limit on the uncompressed data of a workbook or archive
        (default :data:`geo.data.importers.containers.MAX_BYTES`, the upload limit).

    Raises
    ------
    NotCSVError
        The file is not a CSV export of this format (one message; store unchanged).
    StoreError
        Bad dataset name, or it exists and ``replace`` is false.
    """
    from geo.data.load import load_shapes

    if fmt not in READERS:
        raise StoreError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    store = store or Store()
    check_name(dataset)
    if store.exists(dataset) and not replace:
        raise StoreError(f"a dataset named {dataset!r} already exists; choose another name or replace it")
    report = progress or (lambda _f, _m: None)

    def reading(f: float, _stage: str) -> None:
        report(_READ * f, "reading and checking rows")

    result = READERS[fmt](source, dataset=dataset, progress=reading, sheet=sheet, max_bytes=max_bytes)
    if result.events.empty:
        report(1.0, "done: nothing to import")
        return ImportOutcome(
            dataset,
            fmt,
            result.rows_read,
            0,
            result.rejects,
            pd.DataFrame(columns=DUPLICATE_COLUMNS),
            {},
            None,
            result.notes,
            result.flags,
        )
    # Stored in the order pages show events (date, then id), so a selection is already sorted;
    # sorting before the join keeps one copy of the frame alive at a time.
    events = result.events.sort_values(["event_date", "event_id"], kind="stable", ignore_index=True)
    result.events = events.iloc[:0]
    if len(events) >= LARGE_READ:
        release_memory()

    report(_READ, f"joining {len(events):,} events to provinces and the border")
    frames, problems = load_shapes(Path(data_dir) / "shapes")
    if problems:
        raise StoreError("the shapes cannot be read: " + "; ".join(str(p) for p in problems[:3]))

    def joining(f: float, _stage: str) -> None:
        report(_READ + _JOIN * f, "joining to provinces and the border")

    enriched = enrich_imported(
        events, frames["admin1"], frames["border"], frames["border_detail"], progress=joining
    )
    del events

    report(_READ + _JOIN, "looking for duplicates in the other datasets")
    others = pd.concat([curated_keys(data_dir), store.duplicate_keys(exclude=dataset)], ignore_index=True)
    dups = (
        find_duplicates(enriched, fmt, others)
        if not others.empty
        else pd.DataFrame(columns=DUPLICATE_COLUMNS)
    )

    report(_READ + _JOIN + _DUPS, "writing the dataset to the store")
    info = store.write(
        dataset,
        enriched,
        fmt=fmt,
        source_name=name or source_name(source),
        source_sha256=_sha256(source),
        shapes_version=shapes_version(data_dir),
        rejects=result.rejects,
        duplicates=dups["event_id"].nunique() if not dups.empty else 0,
        replace=replace,
        flags=result.flags,
    )
    counts = {str(k): int(v) for k, v in enriched["join_method"].value_counts().items() if v}
    report(1.0, "done")
    return ImportOutcome(
        dataset,
        fmt,
        result.rows_read,
        len(enriched),
        result.rejects,
        dups,
        counts,
        info,
        result.notes,
        result.flags,
    )


__all__ = ["import_file", "ImportOutcome", "FORMATS", "READERS", "NotCSVError", "StoreError"]
