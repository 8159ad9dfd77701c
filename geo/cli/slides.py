"""``panjwatch slides``: the selection as a 16:9 PowerPoint deck (map, timeline, key figures, claims).

Example::

    panjwatch slides --year 2025 -o briefing.pptx

Bad arguments print one clear line per problem on stderr and exit with code 2;
data that fails validation exits with 1 (as ``snapshot`` and ``brief``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli.selection import add_selection_args, fail, load_selection, output_problems
from geo.data.importers.textsafe import terminal_safe
from geo.render.options import DEFAULT_MAPS
from geo.scene.choices import PAGE_NAMES, SHADE_METRICS


def register(sub) -> None:
    """Add the ``slides`` subcommand to ``panjwatch`` (python-pptx loads when it runs)."""
    s = sub.add_parser(
        "slides",
        help="write a 16:9 PowerPoint deck: map, timeline, key figures, who says what (sources in the notes)",
        description="Write the selection as a PowerPoint deck (.pptx) for a briefing.",
    )
    add_selection_args(s)
    s.add_argument("--page", choices=PAGE_NAMES, default=DEFAULT_MAPS[0], help="map page of the first slide")
    s.add_argument(
        "--shade", choices=tuple(SHADE_METRICS), default="none", help="regional map: shade provinces by"
    )
    s.add_argument("-o", "--output", required=True, help=".pptx file to write")
    s.set_defaults(func=cmd_slides)


def cmd_slides(args: argparse.Namespace) -> int:
    """Write the slide deck; exit code 0, 1 (bad data) or 2 (bad arguments)."""
    from geo.query.filters import Filters
    from geo.render.slides import build_slides, map_request

    out = Path(args.output)
    problems = output_problems(out, ".pptx", "the slide deck is a PowerPoint file")
    # The map's own checks (as ``snapshot`` makes them): --shade on the sector map, say.
    problems += map_request(Filters(), args.page, shade=args.shade).problems()
    if problems:
        return fail("slides", problems)
    bundle, filters, code = load_selection("slides", args)
    if code:
        return code
    data = build_slides(bundle, filters, page=args.page, shade=args.shade)
    out.write_bytes(data)
    print(
        f"wrote slide deck {out} ({len(data):,} bytes; map: {args.page}); "
        f"filters: {terminal_safe(filters.summary())}; data version {bundle.version}"
    )
    return 0
