"""What every command that takes a selection shares: the filter options, the bundle, the view.

``export``, ``snapshot`` and ``brief`` add the seven filter options from the one
declaration (:data:`geo.query.fields.FIELDS`) with :func:`add_selection_args`, and
read them with :func:`load_selection`: the same options, checks and messages on
every command. Values that do not depend on the data (roles, types, tiers, the
date form) are checked by argparse; years and actors are checked against the
loaded data, one line each (an unknown actor names the near matches), exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.data.importers.textsafe import terminal_safe
from geo.data.paths import DATA_DIR
from geo.query.fields import FIELDS, RANGES, FilterField, Vocab, range_problem

if TYPE_CHECKING:  # pandas and pyproj load when a command runs, not to build the parser (issue 13)
    from geo.query.filters import Filters
    from geo.scene.view import View

_METAVAR = {"years": "YEAR", "date": "YYYY-MM-DD", "multi": "NAME", "km": "KM"}


def fail(cmd: str, problems: list[str]) -> int:
    """Print each problem as one line on stderr (controls escaped); the exit code for bad arguments, 2."""
    for p in problems:
        print(f"panjwatch {cmd}: {terminal_safe(p)}", file=sys.stderr)
    return 2


def _value_type(field: FilterField):
    what = "a date" if field.kind == "date" else "a border km"

    def parse(text: str):
        value = field.parse(text)
        if value is None:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what} ({field.refusal(text, None)})")
        return value

    parse.__name__ = field.kind
    return parse


def output_problems(out: Path, suffix: str | None = None, what: str = "") -> list[str]:
    """Why ``out`` cannot be written (a folder, a missing folder, the wrong suffix), one line each."""
    problems = []
    if out.is_dir():
        problems.append(f"output {str(out)!r} is a folder; give a file name")
    elif not out.parent.is_dir():
        problems.append(f"folder {str(out.parent)!r} does not exist")
    if suffix and out.suffix.lower() != suffix:
        problems.append(f"{what}: the output must end in {suffix}, got {out.name!r}")
    return problems


def view_arg(text: str) -> View:
    """argparse type of ``--view``: :func:`geo.scene.view.parse_view`, the links' parser."""
    from geo.scene.view import VIEW_RULE, parse_view

    view = parse_view(text)
    if view is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a map view ({VIEW_RULE})")
    return view


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """One option per :data:`~geo.query.fields.FIELDS` record, in an argument group."""
    g = p.add_argument_group("filters (as the app's sidebar)")
    for field in FIELDS:
        kw: dict = {"dest": field.name, "help": field.help}
        if field.repeatable:
            kw.update(action="append", default=[])
        if field.fixed is not None:
            kw["choices"] = tuple(field.fixed)
        else:
            kw["metavar"] = _METAVAR.get(field.kind)
        if field.kind == "years":
            kw["type"] = int  # argparse's own "invalid int value" message
        elif field.kind in ("date", "km"):
            kw["type"] = _value_type(field)
        g.add_argument(field.option, **kw)


def add_dataset_arg(p: argparse.ArgumentParser) -> None:
    """``--dataset NAME`` (repeatable): the imported datasets to include; default all, as the app shows."""
    p.add_argument(
        "--dataset",
        action="append",
        default=[],
        metavar="NAME",
        help="imported dataset to include (repeatable; default: every dataset in the store, as the app shows)",
    )


def add_selection_args(p: argparse.ArgumentParser) -> None:
    """The filters plus where the data comes from (``--data``, ``--catalogue``, ``--dataset``)."""
    add_filter_args(p)
    p.add_argument("--data", default=str(DATA_DIR), help="data folder (default: bundled data)")
    p.add_argument("--catalogue", help="source catalogue CSV (default: seeds/catalogue.csv)")
    add_dataset_arg(p)


def filters_from_args(args: argparse.Namespace, vocab: Vocab) -> tuple[Filters, list[str]]:
    """The selection ``args`` describe and the problems with it (one line each, naming the option)."""
    from geo.query.filters import Filters

    values = {f.name: getattr(args, f.name, f.empty) for f in FIELDS}
    problems = []
    for field in FIELDS:
        if field.unknown is None:
            continue
        given = values[field.name] if field.repeatable else [v for v in (values[field.name],) if v]
        bad = [v for v in given if not field.accepts(v, vocab)]
        if bad:
            problems.append(f"{field.option}: {field.unknown(bad, vocab)}")
    problems += [p for first, last in RANGES if (p := range_problem(first, last, values, cli=True))]
    return Filters.of(**values), problems


def open_cli_bundle(cmd: str, args):
    """The bundle the app would show (:func:`geo.data.bundle.open_bundle`) for ``args``, or an exit code.

    Returns ``(bundle, 0)``, or ``(None, 1)`` for bad curated data or a named
    dataset that is set aside, ``(None, 2)`` for an unknown dataset name. Notices
    (datasets set aside, leftovers cleaned) go to stderr, one line each.
    """
    from geo.data.bundle import Settings, open_bundle
    from geo.data.problems import DataError
    from geo.data.store import Store, store_dir

    names = tuple(dict.fromkeys(getattr(args, "dataset", None) or ())) or None
    if names:
        store = Store(store_dir())
        listed = [e.name for e in store.listing()]
        unknown = [n for n in names if n not in listed]
        if unknown:
            shown = ", ".join(repr(n) for n in unknown)
            print(
                f"panjwatch {cmd}: unknown dataset(s) {shown}; in {store.root}: {', '.join(listed) or 'none'}",
                file=sys.stderr,
            )
            return None, 2
    try:
        opened = open_bundle(Settings(data_dir=Path(args.data), catalogue=args.catalogue, datasets=names))
    except DataError as exc:
        for line in str(exc).split("\n"):  # one problem a line, each shown with controls escaped
            print(terminal_safe(line), file=sys.stderr)
        return None, 1
    for line in opened.notices:
        print(f"panjwatch {cmd}: note: {terminal_safe(line)}", file=sys.stderr)
    missing = [n for n in names or () if n not in opened.datasets]
    if missing:
        print(
            f"panjwatch {cmd}: dataset(s) {', '.join(missing)} set aside (see the notes above); nothing written",
            file=sys.stderr,
        )
        return None, 1
    return opened.bundle, 0


def load_selection(cmd: str, args: argparse.Namespace):
    """Bundle and filters for ``args``, or an exit code: ``(bundle, filters, 0)``, else ``(None, None, 1 or 2)``."""
    bundle, code = open_cli_bundle(cmd, args)
    if code:
        return None, None, code
    filters, problems = filters_from_args(args, Vocab.of(bundle.events, bundle.roles))
    if problems:
        return None, None, fail(cmd, problems)
    return bundle, filters, 0
