"""``panjwatch import`` and ``panjwatch datasets``: analysts' own data into the local store.

``panjwatch import --format acled|ucdp FILE [--dataset NAME] [--replace] [--store DIR]``
reads the export, rejects bad rows (listed with their row numbers), joins the
rest to provinces and the border, reports possible duplicates of events
already loaded, and stores the dataset. Exit codes: 0 imported (even with some
rows rejected), 1 nothing imported (not a CSV export, or every row rejected),
2 bad arguments (missing file, bad or taken dataset name).

``panjwatch datasets [--delete NAME] [--store DIR]`` lists or deletes datasets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from geo.paths import DATA_DIR

#: Rejections printed on the terminal; the full report is kept in the store.
SHOW_REJECTS = 20


def _stderr_progress():
    last = [-1.0, ""]
    start = time.perf_counter()

    def report(fraction: float, message: str) -> None:
        # One line per stage change or 10 % step, so a log stays readable.
        if message != last[1] or fraction - last[0] >= 0.1 or fraction >= 1.0:
            print(f"[{time.perf_counter() - start:6.1f}s {fraction:4.0%}] {message}", file=sys.stderr)
            last[0], last[1] = fraction, message

    return report


def _cmd_import(args: argparse.Namespace) -> int:
    from geo.importers.common import NotCSVError
    from geo.importers.pipeline import import_file
    from geo.store import Store, StoreError, suggest_name

    path = Path(args.file)
    if not path.is_file():
        print(f"panjwatch import: {args.file}: no such file", file=sys.stderr)
        return 2
    # An explicit --dataset '' is checked (and refused), not replaced by the file name.
    dataset = args.dataset if args.dataset is not None else suggest_name(path.name)
    store = Store(args.store) if args.store else Store()
    try:
        outcome = import_file(
            path, args.format, dataset, store=store, data_dir=args.data, replace=args.replace,
            progress=None if args.quiet else _stderr_progress(),
        )
    except StoreError as exc:
        print(f"panjwatch import: {exc}", file=sys.stderr)
        return 2
    except NotCSVError as exc:
        print(f"panjwatch import: {path.name}: {exc}", file=sys.stderr)
        return 1
    rejects = outcome.rejects
    if not rejects.empty:
        print(f"{outcome.rejected_rows:,} row(s) rejected:")
        for r in rejects.head(SHOW_REJECTS).itertuples(index=False):
            value = f" {r.value!r}" if r.value else ""
            print(f"  row {r.row}: {r.field}{value}: {r.problem}")
        if len(rejects) > SHOW_REJECTS:
            where = store.rejects_path(dataset) if outcome.info else "(not stored: nothing was imported)"
            print(f"  … {len(rejects) - SHOW_REJECTS:,} more; full report: {where}")
    if not outcome.duplicates.empty:
        kinds = outcome.duplicates["kind"].value_counts()
        print(
            "possible duplicates of events already loaded: "
            + ", ".join(f"{n:,} {k}" for k, n in kinds.items())
            + f" (e.g. {outcome.duplicates.iloc[0]['event_id']} ~ {outcome.duplicates.iloc[0]['other_event_id']})"
        )
    if outcome.join_counts:
        print("joined to provinces: " + ", ".join(f"{n:,} {m}" for m, n in sorted(outcome.join_counts.items())))
    print(outcome.summary())
    if outcome.info is not None:
        print(f"stored in {outcome.info.path}")
        return 0
    return 1


def _cmd_datasets(args: argparse.Namespace) -> int:
    from geo.store import Store, StoreError

    store = Store(args.store) if args.store else Store()
    if args.delete:
        try:
            store.delete(args.delete)
        except StoreError as exc:
            print(f"panjwatch datasets: {exc}", file=sys.stderr)
            return 2
        print(f"deleted dataset {args.delete}")
        return 0
    for line in store.clean_leftovers():
        print(f"note: {line}", file=sys.stderr)
    infos = store.datasets()
    if not infos:
        print(f"no imported datasets in {store.root}")
    for i in infos:
        print(f"{i.name}\t{i.fmt}\t{i.rows:,} events\t{i.rejected:,} rejected\t{i.source_name}\t{i.imported_at} UTC")
    for p in store.problems():
        print(f"warning: {p}", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add ``import`` and ``datasets`` to the ``panjwatch`` command line."""
    from geo.importers.pipeline import FORMATS

    p = subparsers.add_parser("import", help="import an ACLED or UCDP GED CSV export into the local store")
    p.add_argument("--format", choices=FORMATS, required=True, help="acled or ucdp (UCDP GED)")
    p.add_argument("file", help="the CSV export")
    p.add_argument("--dataset", help="store label (default: from the file name); prefixes event ids")
    p.add_argument("--replace", action="store_true", help="replace a dataset of the same name")
    p.add_argument("--store", help="store folder (default: $PANJWATCH_STORE or local/store)")
    p.add_argument("--data", default=str(DATA_DIR), help="curated data folder (shapes for the join)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=_cmd_import)

    d = subparsers.add_parser("datasets", help="list (or --delete) imported datasets")
    d.add_argument("--delete", metavar="NAME", help="delete this dataset")
    d.add_argument("--store", help="store folder (default: $PANJWATCH_STORE or local/store)")
    d.set_defaults(func=_cmd_datasets)
