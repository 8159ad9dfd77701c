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
from pathlib import Path

from geo.cli.selection import add_selection_args, fail, load_selection, output_problems, view_arg
from geo.data.importers.textsafe import terminal_safe
from geo.render.options import ENGINES, FORMATS, SIZE_PRESETS
from geo.scene.choices import PAGE_NAMES, SHADE_METRICS

FORMAT_BY_SUFFIX = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def _layers(values: list[str]) -> tuple[str, ...] | None:
    if not values:
        return None
    out = []
    for v in values:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return tuple(dict.fromkeys(out))


def register(sub) -> None:
    """Add the ``snapshot`` and ``brief`` subcommands to ``panjwatch`` (the renderers load when one runs)."""
    s = sub.add_parser(
        "snapshot",
        help="draw a map page as PNG, SVG or PDF (same filters, layers and extent as the app)",
        description="Render a map page to a file with title, legend, scale bar, north arrow, attribution and sources.",
    )
    s.add_argument("--page", choices=PAGE_NAMES, default="regional")
    add_selection_args(s)
    s.add_argument(
        "--layers",
        action="append",
        default=[],
        help="comma-separated visible layers (default: the page's); e.g. provinces,border,events",
    )
    s.add_argument("--view", type=view_arg, help="map centre and zoom as lat,lon,zoom (default: the page's)")
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
    add_selection_args(b)
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


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write one map snapshot; exit code 0, 1 (bad data) or 2 (bad arguments)."""
    from geo.render.snapshot import SIZE_PRESETS, SnapshotRequest, chromium_available, snapshot

    out = Path(args.output)
    problems = output_problems(out)
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
        return fail("snapshot", problems)
    bundle, filters, code = load_selection("snapshot", args)
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
    problems = output_problems(out, ".pdf", "the briefing pack is a PDF")
    maps = tuple(m.strip() for m in args.maps.split(",") if m.strip())
    bad = [m for m in maps if m not in PAGES]
    if bad:
        problems.append(f"unknown map page(s) {bad}; use {', '.join(PAGES)} (comma-separated)")
    if problems:
        return fail("brief", problems)
    bundle, filters, code = load_selection("brief", args)
    if code:
        return code
    data = briefing_pack(bundle, filters, maps=maps, shade=args.shade)
    out.write_bytes(data)
    print(
        f"wrote briefing pack {out} ({len(data):,} bytes; maps: {', '.join(maps) or 'none'}); "
        f"filters: {terminal_safe(filters.summary())}; data version {bundle.version}"
    )
    return 0
