"""``panjwatch`` command line: validate the data, export selections, run the app."""

from __future__ import annotations

import argparse
import importlib
import runpy
import sys
from pathlib import Path

from geo.cli.selection import add_selection_args, load_selection
from geo.data.importers.textsafe import terminal_safe
from geo.data.paths import DATA_DIR, REPO_ROOT, default_seeds_dir

TABLE_CHOICES = ("events", "claims", "places")
#: Modules adding subcommands: each has ``register(subparsers)`` that adds its parser(s)
#: and sets ``func`` (a callable taking the parsed args, returning the exit code).
COMMAND_MODULES: tuple[str, ...] = ("geo.cli.briefing", "geo.cli.slides", "geo.cli.importing")
FORMAT_CHOICES = ("geojson", "csv", "gpkg")


def _cmd_validate(args: argparse.Namespace) -> int:
    # Only the checks and the shapes: not the enrichment, the bundle or any renderer (issue 13).
    from geo.data.shapes import load_shapes
    from geo.data.validate import check_all

    seeds = Path(args.seeds) if args.seeds else default_seeds_dir()
    if args.seeds and not seeds.is_dir():
        print(f"panjwatch validate: --seeds {args.seeds}: no such folder", file=sys.stderr)
        return 2
    # The shapes are read once: the coverage check measures against the frames load_shapes read.
    shapes, shape_problems = load_shapes(Path(args.data) / "shapes")
    _records, problems = check_all(args.data, seeds, args.catalogue, shapes=shapes)
    problems += shape_problems
    for p in problems:
        print(terminal_safe(p))
    checked = (
        f"seed documents in {seeds}" if seeds else "no seed folder found: quotes and checksums not checked"
    )
    if problems:
        print(f"{len(problems)} problem(s) found ({checked}).", file=sys.stderr)
        return 1
    print(f"OK: data in {args.data} is valid ({checked}).")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.export.tables import to_csv_bytes, to_geojson_bytes
    from geo.query.selection import provenance, select

    bundle, filters, code = load_selection("export", args)
    if code:
        return code
    if args.format == "gpkg":
        from geo.export.gpkg import write_gpkg

        out = Path(args.output)
        if out.suffix.lower() != ".gpkg":
            print(
                f"panjwatch export: --format gpkg needs an output file ending in .gpkg, got {out.name!r}",
                file=sys.stderr,
            )
            return 2
        if not out.parent.is_dir():
            print(f"panjwatch export: folder {str(out.parent)!r} does not exist", file=sys.stderr)
            return 2
        counts = write_gpkg(out, bundle, filters)
        layers = ", ".join(f"{k} {v}" for k, v in counts.items())
        # Filters name actors from the data: controls are shown escaped on the terminal.
        print(
            f"wrote GeoPackage {out} (EPSG:4326; all layers, --table ignored): {layers}; "
            f"filters: {terminal_safe(filters.summary())}"
        )
        return 0
    sel = select(bundle, filters)
    if args.table == "events":
        table = sel.events
    elif args.table == "claims":
        table = sel.claims
    else:
        used = set(sel.events["place_id"]) | set(sel.claims["origin_place_id"])
        table = bundle.places[bundle.places["place_id"].isin(used)]
    prov = provenance(bundle, filters, sel.events)
    if args.format == "csv":
        data = to_csv_bytes(table)
    else:
        if args.table == "claims":
            import geopandas as gpd

            pts = sel.events.set_index("event_id").geometry
            table = gpd.GeoDataFrame(table, geometry=list(pts.reindex(table["event_id"])), crs="EPSG:4326")
        data = to_geojson_bytes(table, prov)
    out = Path(args.output)
    out.write_bytes(data)
    print(
        f"wrote {len(table)} {args.table} to {out} ({len(data):,} bytes); {terminal_safe(prov.split('; sources')[0])}"
    )
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    # The launcher lives with the Streamlit glue in ui/, so geo/ never imports Streamlit.
    sys.argv = [str(REPO_ROOT / "ui" / "serve.py"), *args.streamlit_args]
    runpy.run_path(sys.argv[0], run_name="__main__")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and ``--help``)."""
    p = argparse.ArgumentParser(prog="panjwatch", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check every curated file; exit 1 listing all problems")
    v.add_argument("--data", default=str(DATA_DIR), help="data folder (default: bundled data)")
    v.add_argument("--seeds", help="seed documents folder (default: ../shared/seeds if present)")
    v.add_argument("--catalogue", help="source catalogue CSV (default: seeds/catalogue.csv)")
    v.set_defaults(func=_cmd_validate)

    e = sub.add_parser(
        "export", help="write the selected table as GeoJSON or CSV, or everything as a GeoPackage"
    )
    e.add_argument("--table", choices=TABLE_CHOICES, default="events")
    e.add_argument("--format", choices=FORMAT_CHOICES, required=True)
    e.add_argument("-o", "--output", required=True)
    add_selection_args(e)
    e.set_defaults(func=_cmd_export)

    r = sub.add_parser("run", help="start the Streamlit app on the bundled data")
    r.add_argument("streamlit_args", nargs=argparse.REMAINDER)
    r.set_defaults(func=_cmd_run)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``panjwatch`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["run"]:
        # Everything after "run" goes to Streamlit untouched (argparse would take
        # "--server.port" as one of ours).
        return _cmd_run(argparse.Namespace(streamlit_args=argv[1:]))
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
