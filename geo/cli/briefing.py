"""``panjwatch snapshot`` and ``panjwatch brief``: map snapshots and briefing packs from the command line.

Examples::

    panjwatch snapshot --page sector --year 2025 --format pdf -o sector.pdf
    panjwatch snapshot --page regional --layers provinces,border,events --size a4-landscape -o map.png
    panjwatch brief --year 2025 -o briefing.pdf

Bad arguments print one clear line per problem on stderr and exit with code 2;
data that fails validation exits with 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from geo.data.actors import ROLES
from geo.data.importers.textsafe import terminal_safe
from geo.data.paths import DATA_DIR
from geo.data.schema import CATEGORIES, TIERS
from geo.report.stats import SHADE_METRICS

FORMAT_BY_SUFFIX = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def _iso(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def _view(value: str):
    from geo.render.mapdecks import View

    try:
        lat, lon, zoom = (float(v) for v in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not lat,lon,zoom (e.g. 38.1,70.35,8.2)") from None
    return View(lat, lon, zoom)


def _filter_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (as the app's sidebar)")
    g.add_argument("--year", type=int, action="append", default=[], help="repeatable")
    g.add_argument("--actor", action="append", default=[], help="repeatable; any role unless --role")
    g.add_argument("--role", choices=ROLES)
    g.add_argument(
        "--type",
        dest="types",
        action="append",
        default=[],
        choices=sorted(CATEGORIES),
        help="event category; repeatable",
    )
    g.add_argument("--tier", choices=sorted(TIERS))
    g.add_argument("--from", dest="date_from", type=_iso, help="first day, YYYY-MM-DD")
    g.add_argument("--to", dest="date_to", type=_iso, help="last day, YYYY-MM-DD")
    p.add_argument("--data", default=str(DATA_DIR), help="data folder (default: bundled data)")
    p.add_argument("--catalogue", help="source catalogue CSV (default: seeds/catalogue.csv)")
    add_dataset_arg(p)


def add_dataset_arg(p: argparse.ArgumentParser) -> None:
    """``--dataset NAME`` (repeatable): the imported datasets to include; default all, as the app shows."""
    p.add_argument(
        "--dataset",
        action="append",
        default=[],
        metavar="NAME",
        help="imported dataset to include (repeatable; default: every dataset in the store, as the app shows)",
    )


def open_cli_bundle(cmd: str, args):
    """The bundle the app would show (:func:`geo.data.bundle.open_bundle`) for ``args``, or an exit code.

    Returns ``(bundle, 0)``, or ``(None, 1)`` for bad curated data or a named
    dataset that is set aside, ``(None, 2)`` for an unknown dataset name. Notices
    (datasets set aside, leftovers cleaned) go to stderr, one line each.
    """
    from geo.data.bundle import Settings, open_bundle
    from geo.data.store import Store, store_dir
    from geo.data.validate import DataError

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


def _layers(values: list[str]) -> tuple[str, ...] | None:
    if not values:
        return None
    out = []
    for v in values:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return tuple(dict.fromkeys(out))


def register(sub) -> None:
    """Add the ``snapshot`` and ``brief`` subcommands to ``panjwatch``."""
    from geo.render.snapshot import ENGINES, FORMATS, PAGES, SIZE_PRESETS

    s = sub.add_parser(
        "snapshot",
        help="draw a map page as PNG, SVG or PDF (same filters, layers and extent as the app)",
        description="Render a map page to a file with title, legend, scale bar, north arrow, attribution and sources.",
    )
    s.add_argument("--page", choices=tuple(PAGES), default="regional")
    _filter_args(s)
    s.add_argument(
        "--layers",
        action="append",
        default=[],
        help="comma-separated visible layers (default: the page's); e.g. provinces,border,events",
    )
    s.add_argument("--view", type=_view, help="map centre and zoom as lat,lon,zoom (default: the page's)")
    s.add_argument(
        "--shade", choices=tuple(SHADE_METRICS), default="none", help="regional map: shade provinces by"
    )
    s.add_argument(
        "--size",
        choices=tuple(SIZE_PRESETS),
        default="1920x1080",
        help="named size (width × height px and dpi); --width/--height/--dpi override it",
    )
    s.add_argument("--width", type=int, help="pixels")
    s.add_argument("--height", type=int, help="pixels")
    s.add_argument("--dpi", type=int, help="pixels per inch (sets text and symbol size)")
    s.add_argument("--format", choices=FORMATS, help="default: from the output file's extension")
    s.add_argument(
        "--engine",
        choices=ENGINES,
        default="matplotlib",
        help="matplotlib (default, deterministic) or chromium (screenshot of the interactive map, PNG)",
    )
    s.add_argument("--title", help="replace the page title")
    s.add_argument("-o", "--output", required=True, help="file to write")
    s.set_defaults(func=cmd_snapshot)

    b = sub.add_parser(
        "brief",
        help="write the briefing pack PDF (key figures, narrative, maps, timeline, claims, sources)",
        description="Write the one-click briefing pack of the selection as a PDF.",
    )
    _filter_args(b)
    b.add_argument(
        "--maps",
        default="sector,regional",
        help="comma-separated map pages to include, in order (default: sector,regional)",
    )
    b.add_argument(
        "--shade", choices=tuple(SHADE_METRICS), default="none", help="regional map: shade provinces by"
    )
    b.add_argument("-o", "--output", required=True, help="PDF file to write")
    b.set_defaults(func=cmd_brief)


def _fail(cmd: str, problems: list[str]) -> int:
    for p in problems:
        print(f"panjwatch {cmd}: {terminal_safe(p)}", file=sys.stderr)
    return 2


def _load(cmd: str, args):
    """Bundle and filters, or an exit code (1 for bad data, 2 for bad arguments)."""
    from geo.query.filters import Filters

    bundle, code = open_cli_bundle(cmd, args)
    if code:
        return None, None, code
    problems = []
    years = sorted({int(y) for y in bundle.events["year"]})
    bad_years = [y for y in args.year if y not in years]
    if bad_years:
        problems.append(f"year(s) {bad_years} not in the data; available: {years}")
    from geo.data.actors import actor_vocabulary, unknown_actors_message

    # Readable names and ACLED forms are both valid (an ACLED name selects curated events too).
    known = actor_vocabulary(bundle.roles)
    unknown = [a for a in args.actor if a not in set(known)]
    if unknown:
        problems.append(unknown_actors_message(unknown, known))
    if args.date_from and args.date_to and args.date_from > args.date_to:
        problems.append(f"--from {args.date_from} is after --to {args.date_to}")
    if problems:
        return None, None, _fail(cmd, problems)
    filters = Filters(
        years=tuple(sorted(set(args.year))),
        actors=tuple(args.actor),
        role=args.role,
        types=tuple(sorted(set(args.types))),
        tier=args.tier,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    return bundle, filters, 0


def _output_problems(out: Path) -> list[str]:
    if out.is_dir():
        return [f"output {str(out)!r} is a folder; give a file name"]
    if not out.parent.is_dir():
        return [f"folder {str(out.parent)!r} does not exist"]
    return []


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write one map snapshot; exit code 0, 1 (bad data) or 2 (bad arguments)."""
    from geo.render.snapshot import SIZE_PRESETS, SnapshotRequest, chromium_available, snapshot

    out = Path(args.output)
    problems = _output_problems(out)
    fmt = args.format or FORMAT_BY_SUFFIX.get(out.suffix.lower())
    if fmt is None:
        problems.append(
            f"cannot tell the format from {out.name!r}; add --format png|svg|pdf or use that extension"
        )
    elif out.suffix.lower() in FORMAT_BY_SUFFIX and FORMAT_BY_SUFFIX[out.suffix.lower()] != fmt:
        problems.append(f"--format {fmt} does not match the file extension {out.suffix!r}")
    if args.engine == "chromium" and not chromium_available():
        problems.append("--engine chromium needs /usr/bin/chromium and Playwright; use --engine matplotlib")
    w, h, dpi = SIZE_PRESETS[args.size]
    req = SnapshotRequest(
        page=args.page,
        layers=_layers(args.layers),
        view=args.view,
        width_px=args.width or w,
        height_px=args.height or h,
        dpi=args.dpi or dpi,
        fmt=fmt or "png",
        shade=args.shade,
        title=args.title,
    )
    problems += req.problems()
    if args.engine == "chromium" and fmt not in (None, "png"):
        problems.append("--engine chromium writes PNG only")
    if problems:
        return _fail("snapshot", problems)
    bundle, filters, code = _load("snapshot", args)
    if code:
        return code
    from dataclasses import replace

    req = replace(req, filters=filters)
    data = snapshot(bundle, req, engine=args.engine)
    out.write_bytes(data)
    print(
        f"wrote {out} ({req.fmt}, {req.width_px}×{req.height_px} px at {req.dpi} dpi, {len(data):,} bytes, "
        f"{args.engine}); page {req.page}; layers {','.join(req.visible)}; filters: {terminal_safe(filters.summary())}; "
        f"data version {bundle.version}"
    )
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the briefing pack PDF; exit code 0, 1 (bad data) or 2 (bad arguments)."""
    from geo.render.briefpack import briefing_pack
    from geo.render.snapshot import PAGES

    out = Path(args.output)
    problems = _output_problems(out)
    if out.suffix.lower() != ".pdf":
        problems.append(f"the briefing pack is a PDF: the output must end in .pdf, got {out.name!r}")
    maps = tuple(m.strip() for m in args.maps.split(",") if m.strip())
    bad = [m for m in maps if m not in PAGES]
    if bad:
        problems.append(f"unknown map page(s) {bad}; use {', '.join(PAGES)} (comma-separated)")
    if problems:
        return _fail("brief", problems)
    bundle, filters, code = _load("brief", args)
    if code:
        return code
    data = briefing_pack(bundle, filters, maps=maps, shade=args.shade)
    out.write_bytes(data)
    print(
        f"wrote briefing pack {out} ({len(data):,} bytes; maps: {', '.join(maps) or 'none'}); "
        f"filters: {terminal_safe(filters.summary())}; data version {bundle.version}"
    )
    return 0
