"""The read loop every importer runs: a format's :class:`Layout` and :func:`read_events`.

:func:`read_events` unpacks a container (``.xlsx``/``.zip``/``.gz``), opens the CSV,
reads it block by block through the format's normaliser, collects row-level
rejections (bad records, repeated event ids) and returns an
:class:`~geo.data.importers.common.ImportResult`. It sits above
``common``, ``containers`` and ``csvread``, which never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data.columns import concat_frames, set_dtypes, to_geodataframe
from geo.data.importers.common import (
    LARGE_READ,
    ImportResult,
    NotCSVError,
    Progress,
    Rejects,
    Source,
    no_progress,
    record_rows,
    release_memory,
)
from geo.data.importers.containers import unpack
from geo.data.importers.csvread import bad_record_rejects, open_csv, transcode_utf16

#: ``normalise(block, rejects, flags, dataset)`` → normalised frame indexed like ``block``
#: (global positions), rejections recorded by position. Columns whose name starts with
#: ``_`` are kept aside (raw date text, the file's year) for ``finalise``.
Normaliser = Callable[[pd.DataFrame, Rejects, Rejects, str], pd.DataFrame]
#: ``finalise(events, side, rejects, flags, notes)`` → events, with whole-file decisions (dates).
Finaliser = Callable[[pd.DataFrame, pd.DataFrame, Rejects, Rejects, list], pd.DataFrame]


@dataclass(frozen=True)
class Layout:
    """What :func:`read_events` needs to know about one export format."""

    fmt: str
    label: str
    aliases: dict[str, str]
    known: tuple[str, ...]
    required: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]
    other_formats: dict[str, tuple[str, ...]]
    reads: tuple[str, ...]
    normalise: Normaliser
    finalise: Finaliser
    column_notes: Callable[[set], list] = lambda _cols: []


def _concat_side(sides: list[pd.DataFrame]) -> pd.DataFrame:
    from pandas.api.types import union_categoricals

    if not sides:
        return pd.DataFrame()
    out = {}
    index = pd.Index(np.concatenate([s.index.to_numpy() for s in sides])) if sides else pd.Index([])
    for c in sides[0].columns:
        cols = [s[c] for s in sides]
        if all(isinstance(x.dtype, pd.CategoricalDtype) for x in cols):
            out[c] = pd.Series(union_categoricals([x.array for x in cols], ignore_order=True), index=index)
        else:
            out[c] = pd.Series(pd.concat(cols, ignore_index=True).array, index=index)
    return pd.DataFrame(out, index=index)


def read_events(
    source: Source,
    layout: Layout,
    *,
    dataset: str,
    progress: Progress | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Read an export (CSV, or a ``.xlsx``/``.zip`` holding one) block by block, normalise it,
    and collect row-level rejections.

    Rows the normaliser rejects, records with the wrong number of fields, empty
    records, a last record cut off inside a quoted value and repeated event ids
    (the first one wins) are reported; every other row is kept.

    Raises
    ------
    NotCSVError
        The input as a whole is not an export of this format (one message).
    """
    progress = progress or no_progress
    notes: list[str] = []
    source, container_note = unpack(source, sheet=sheet, max_bytes=max_bytes)
    if container_note:
        notes.append(container_note)
    source = transcode_utf16(source)
    try:
        blocks = open_csv(
            source,
            layout.label,
            layout.aliases,
            layout.required,
            layout.any_of,
            layout.other_formats,
            layout.known,
            layout.reads,
        )
    except NotCSVError as exc:
        if not container_note.startswith("read sheet"):
            raise
        # A workbook's other sheets (notes, a codebook) are not the data: say which sheet was read,
        # and speak of cells, not of the commas of the CSV the sheet was turned into.
        text = str(exc).replace(
            f"This is not a comma-separated {layout.label} export: the first line has no commas",
            f"This is not a table of {layout.label} events: its first row has a single cell",
        )
        raise NotCSVError(
            f"{text} This was {container_note.split(';')[0].removeprefix('read ')}: choose the sheet that "
            "holds the events (panjwatch import --sheet NAME, or the Sheet box of the Import page)."
        ) from None
    if blocks.trailing:
        notes.append(
            f"every line ends with {blocks.trailing} empty field(s) more than the header names "
            "(as UCDP's website download writes them); ignored"
        )
    if blocks.delimiter != ",":
        notes.append(f"fields are separated by {blocks.delimiter!r}")
    notes += layout.column_notes(set(blocks.columns))
    rejects, flags = Rejects(), Rejects()
    parts: list[pd.DataFrame] = []
    sides: list[pd.DataFrame] = []
    n_good = 0

    def take(df: pd.DataFrame) -> None:
        out = layout.normalise(df, rejects, flags, dataset)
        side = [c for c in out.columns if c.startswith("_")]
        sides.append(out[side])
        # Categories per block keep peak memory near the size of the result, not of the text.
        parts.append(set_dtypes(out.drop(columns=side)))

    for df in blocks.blocks(rejects, progress):
        n_good = int(df.index[-1]) + 1
        empty = df.isna().all(axis=1).to_numpy()
        if empty.any():
            rejects.add(df.index[empty].to_numpy(), "(line)", None, "empty row (every field is empty)")
            df = df[~empty]
        take(df)
        del df
    if not parts:
        take(pd.DataFrame({c: pd.Series(dtype=object) for c in blocks.columns}))
    bad_record_rejects(blocks, rejects)
    rows = record_rows(n_good, [r[0] for r in blocks.bad_records])
    last_row = n_good + len(blocks.bad_records) + 1
    if blocks.truncated_tail and n_good and last_row not in {r[0] for r in blocks.bad_records}:
        # The cut record still had every field (the cut fell in the last one), so Arrow kept it.
        rejects.add(
            np.array([n_good - 1]), "(line)", None, "truncated line: the file ends inside a quoted value"
        )
    events = concat_frames(parts)
    parts.clear()
    events = layout.finalise(events, _concat_side(sides), rejects, flags, notes)
    events["source_row"] = rows[events.index.to_numpy()]
    keep = ~np.isin(events.index.to_numpy(), rejects.rejected_positions())
    ids = events["event_id"].where(keep)
    dup = (ids.duplicated(keep="first") & ids.notna()).to_numpy()
    if dup.any():
        first_row = events.loc[keep].drop_duplicates("event_id").set_index("event_id")["source_row"]
        dup_ids = events.loc[dup, "event_id"]
        rejects.add(
            events.index[dup].to_numpy(),
            "event id",
            dup_ids.str.split(":", n=1).str[-1],
            "duplicate event id in this file (first at row " + dup_ids.map(first_row).astype(str) + ")",
        )
        keep &= ~dup
    events = events[keep]
    report = rejects.frame(rows)
    flagged = flags.frame(rows)
    flagged = flagged[~flagged["row"].isin(report["row"])].reset_index(drop=True)
    result = ImportResult(
        layout.fmt,
        to_geodataframe(events),
        report,
        rows_read=n_good + len(blocks.bad_records),
        notes=[n for n in notes if n],
        flags=flagged,
    )
    if n_good >= LARGE_READ:
        release_memory()
    return result
