"""``panjwatch import`` and ``panjwatch datasets``: analysts' own data into the local store.

``panjwatch import --format acled|ucdp FILE [--dataset NAME] [--replace] [--store DIR] [--sheet NAME]
[--max-mb MB]`` reads the export (CSV; an ``.xlsx``/``.xls`` workbook, its first sheet or
``--sheet``; a ``.zip`` holding one of them; a ``.csv.gz``), rejects bad rows (listed with
their row numbers), lists rows kept with a warning as flagged (not rejected), joins the
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

from geo.data.importers.formats import FORMATS
from geo.data.importers.textsafe import terminal_safe
from geo.data.paths import DATA_DIR

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
    from geo.data.importers.common import NotCSVError
    from geo.data.importers.pipeline import import_file
    from geo.data.store import Store, StoreError
    from geo.data.store_names import suggest_name

    path = Path(args.file)
    if not path.is_file():
        print(f"panjwatch import: {terminal_safe(args.file)}: no such file", file=sys.stderr)
        return 2
    # An explicit --dataset '' is checked (and refused), not replaced by the file name.
    dataset = args.dataset if args.dataset is not None else suggest_name(path.name)
    store = Store(args.store) if args.store else Store()
    try:
        outcome = import_file(
            path,
            args.format,
            dataset,
            store=store,
            data_dir=args.data,
            replace=args.replace,
            progress=None if args.quiet else _stderr_progress(),
            sheet=args.sheet,
            max_bytes=int(args.max_mb * 1024 * 1024) if args.max_mb else None,
        )
    except StoreError as exc:
        print(f"panjwatch import: {terminal_safe(exc)}", file=sys.stderr)
        return 2
    except NotCSVError as exc:
        print(f"panjwatch import: {terminal_safe(path.name)}: {terminal_safe(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"panjwatch import: {terminal_safe(path.name)}: {terminal_safe(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort: one line, never a traceback on the terminal
        print(
            f"panjwatch import: {terminal_safe(path.name)}: unexpected error {type(exc).__name__}: "
            f"{terminal_safe(str(exc)[:300])}; the store is unchanged (please report this file)",
            file=sys.stderr,
        )
        return 1
    _print_report(outcome.rejects, f"{outcome.rejected_rows:,} row(s) rejected:")
    if len(outcome.rejects) > SHOW_REJECTS:
        where = store.rejects_path(dataset) if outcome.info else "(not stored: nothing was imported)"
        print(f"  … {len(outcome.rejects) - SHOW_REJECTS:,} more; full report: {terminal_safe(where)}")
    _print_report(
        outcome.flags, f"{outcome.flagged_rows:,} row(s) imported and flagged (kept, not rejected):"
    )
    if len(outcome.flags) > SHOW_REJECTS:
        where = store.rejects_path(dataset) if outcome.info else "(not stored: nothing was imported)"
        print(f"  … {len(outcome.flags) - SHOW_REJECTS:,} more; full report: {terminal_safe(where)}")
    elif not outcome.flags.empty and outcome.info is not None:
        print(f"  listed in {terminal_safe(store.rejects_path(dataset))} with status 'kept, flagged'")
    if not outcome.duplicates.empty:
        kinds = outcome.duplicates["kind"].value_counts()
        first = outcome.duplicates.iloc[0]
        print(
            "possible duplicates of events already loaded: "
            + ", ".join(f"{n:,} {terminal_safe(k)}" for k, n in kinds.items())
            + f" (e.g. {terminal_safe(first['event_id'])} ~ {terminal_safe(first['other_event_id'])})"
        )
    if outcome.join_counts:
        print(
            "joined to provinces: " + ", ".join(f"{n:,} {m}" for m, n in sorted(outcome.join_counts.items()))
        )
    for note in outcome.notes:
        print(f"note: {terminal_safe(note)}")
    print(terminal_safe(outcome.headline()))
    if outcome.info is not None:
        print(f"stored in {terminal_safe(outcome.info.path)}")
        return 0
    return 1


def _print_report(report, title: str) -> None:
    """The first rows of a rejection (or warning) report; file text shown with controls escaped."""
    if report.empty:
        return
    print(title)
    for r in report.head(SHOW_REJECTS).itertuples(index=False):
        value = f" '{terminal_safe(r.value)}'" if r.value else ""
        print(f"  row {r.row}: {terminal_safe(r.field)}{value}: {terminal_safe(r.problem)}")


def _cmd_datasets(args: argparse.Namespace) -> int:
    from geo.data.store import Store, StoreError

    store = Store(args.store) if args.store else Store()
    if args.delete:
        try:
            store.delete(args.delete)
        except StoreError as exc:
            print(f"panjwatch datasets: {terminal_safe(exc)}", file=sys.stderr)
            return 2
        print(f"deleted dataset {args.delete}")
        return 0
    for line in store.clean_leftovers():
        print(f"note: {terminal_safe(line)}", file=sys.stderr)
    infos = store.datasets()
    if not infos:
        print(f"no imported datasets in {store.root}")
    for i in infos:
        print(
            f"{i.name}\t{i.fmt}\t{i.rows:,} events\t{i.rejected:,} rejected\t{terminal_safe(i.source_name)}\t"
            f"{i.imported_at} UTC"
        )
    for p in store.problems():
        print(f"warning: {terminal_safe(p)}", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add ``import`` and ``datasets`` to the ``panjwatch`` command line (the importers load when one runs)."""
    p = subparsers.add_parser(
        "import", help="import an ACLED or UCDP GED export (CSV, xlsx/xls, zip, gz) into the local store"
    )
    p.add_argument("--format", choices=FORMATS, required=True, help="acled or ucdp (UCDP GED)")
    p.add_argument("file", help="the export: CSV, .xlsx/.xls workbook, .zip holding one, or .csv.gz")
    p.add_argument("--dataset", help="store label (default: from the file name); prefixes event ids")
    p.add_argument("--replace", action="store_true", help="replace a dataset of the same name")
    p.add_argument("--store", help="store folder (default: $PANJWATCH_STORE or local/store)")
    p.add_argument("--data", default=str(DATA_DIR), help="curated data folder (shapes for the join)")
    p.add_argument("--sheet", help="sheet of an Excel workbook (default: the first)")
    p.add_argument(
        "--max-mb",
        type=float,
        metavar="MB",
        help="limit on the uncompressed data of a .zip or .xlsx (default: the upload limit, 200 MB)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=_cmd_import)

    d = subparsers.add_parser("datasets", help="list (or --delete) imported datasets")
    d.add_argument("--delete", metavar="NAME", help="delete this dataset")
    d.add_argument("--store", help="store folder (default: $PANJWATCH_STORE or local/store)")
    d.set_defaults(func=_cmd_datasets)
