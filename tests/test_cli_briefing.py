"""``panjwatch snapshot``, ``panjwatch brief`` and ``panjwatch export --format gpkg`` end to end."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET

import pyogrio
import pytest
from PIL import Image
from pypdf import PdfReader

from geo.cli.main import main
from geo.data.paths import REPO_ROOT
from geo.render.snapshot import PAGES


def run(*args: str) -> subprocess.CompletedProcess:
    """The installed console script, as a briefer would call it from a shell script."""
    return subprocess.run(
        [sys.executable, "-m", "geo.cli.main", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def pdf_text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_snapshot_png_end_to_end(tmp_path):
    out = tmp_path / "sector.png"
    res = run(
        "snapshot", "--page", "sector", "--year", "2025", "--width", "1280", "--height", "720", "-o", str(out)
    )
    assert res.returncode == 0, res.stderr
    assert Image.open(out).size == (1280, 720)
    assert "years 2025" in res.stdout and "page sector" in res.stdout


@pytest.mark.parametrize(
    ("args", "suffix", "check"),
    [
        (["--page", "sector", "--year", "2025"], "pdf", "pdf"),
        (["--page", "regional", "--layers", "provinces,border", "--layers", "events"], "svg", "svg"),
        (["--page", "regional", "--shade", "killed", "--size", "a4-portrait", "--dpi", "100"], "png", "png"),
        (["--page", "sector", "--view", "38.45,70.79,10", "--type", "attack"], "pdf", "pdf"),
    ],
)
def test_snapshot_formats_in_process(tmp_path, capsys, args, suffix, check):
    out = tmp_path / f"map.{suffix}"
    assert main(["snapshot", *args, "-o", str(out)]) == 0
    data = out.read_bytes()
    if check == "pdf":
        page = args[args.index("--page") + 1]
        assert PAGES[page].title in pdf_text(out)
    elif check == "svg":
        texts = ["".join(e.itertext()) for e in ET.fromstring(data).iter("{http://www.w3.org/2000/svg}text")]
        assert "Legend" in texts and "Rivers (GSHHG / WDB-II)" not in texts  # rivers layer not asked for
    else:
        assert Image.open(io.BytesIO(data)).size == (2480, 3508)  # --dpi scales the print, not the pixels
    assert "wrote" in capsys.readouterr().out


def test_snapshot_format_from_the_flag_overrides_a_missing_extension(tmp_path):
    out = tmp_path / "map"
    assert main(["snapshot", "--format", "svg", "-o", str(out)]) == 0
    assert out.read_bytes().lstrip().startswith(b"<?xml")


def test_snapshot_is_deterministic_across_processes(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    for out in (a, b):
        assert run("snapshot", "--page", "sector", "--year", "2025", "-o", str(out)).returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_brief_end_to_end(tmp_path):
    out = tmp_path / "briefing.pdf"
    res = run("brief", "--year", "2025", "--maps", "sector", "-o", str(out))
    assert res.returncode == 0, res.stderr
    text = pdf_text(out)
    assert "Panj Watch briefing" in text and "Filters: years 2025" in text and "What happened" in text
    assert PAGES["sector"].title in text and PAGES["regional"].title not in text


def test_export_gpkg_end_to_end(tmp_path, bundle):
    out = tmp_path / "panjwatch.gpkg"
    res = run("export", "--format", "gpkg", "--year", "2024", "-o", str(out))
    assert res.returncode == 0, res.stderr
    events = pyogrio.read_dataframe(out, layer="events")
    assert set(events["event_id"]) == set(bundle.events.loc[bundle.events["year"] == 2024, "event_id"])
    assert events.crs.to_epsg() == 4326
    meta = pyogrio.read_dataframe(out, layer="metadata").set_index("key")["value"]
    assert meta["filters"] == "years 2024"


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_csv_and_geojson_still_work(tmp_path, fmt):
    out = tmp_path / f"events.{fmt}"
    assert main(["export", "--format", fmt, "--year", "2025", "-o", str(out)]) == 0
    assert out.stat().st_size > 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["snapshot", "-o", "{tmp}/map.gif"], "cannot tell the format"),
        (["snapshot", "--format", "pdf", "-o", "{tmp}/map.png"], "does not match the file extension"),
        (
            ["snapshot", "--page", "sector", "--layers", "roads", "-o", "{tmp}/m.png"],
            "layer(s) roads not on the sector map",
        ),
        (["snapshot", "--width", "50", "-o", "{tmp}/m.png"], "width 50 px is out of range"),
        (["snapshot", "--dpi", "5000", "-o", "{tmp}/m.png"], "dpi 5000 is out of range"),
        (["snapshot", "--page", "sector", "--shade", "killed", "-o", "{tmp}/m.png"], "regional map only"),
        (["snapshot", "--year", "1999", "-o", "{tmp}/m.png"], "year(s) [1999] not in the data"),
        (["snapshot", "--actor", "Nobody", "-o", "{tmp}/m.png"], "unknown actor(s) ['Nobody']"),
        (["snapshot", "--from", "2025-12-01", "--to", "2025-11-01", "-o", "{tmp}/m.png"], "is after --to"),
        (["snapshot", "-o", "{tmp}/no/such/folder/m.png"], "does not exist"),
        (["snapshot", "--engine", "chromium", "-o", "{tmp}/m.svg"], "PNG only"),
        (["brief", "-o", "{tmp}/pack.docx"], "must end in .pdf"),
        (["brief", "--maps", "sector,world", "-o", "{tmp}/pack.pdf"], "unknown map page(s) ['world']"),
        (["export", "--format", "gpkg", "-o", "{tmp}/x.sqlite"], "ending in .gpkg"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(tmp_path, capsys, args, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert not any(tmp_path.iterdir()), "nothing is written on bad arguments"


@pytest.mark.parametrize(
    "args",
    [
        ["snapshot", "--page", "national", "-o", "m.png"],
        ["snapshot", "--format", "tiff", "-o", "m.tiff"],
        ["snapshot", "--view", "north", "-o", "m.png"],
        ["snapshot", "--from", "2025-13-01", "-o", "m.png"],
        ["snapshot"],
        ["brief"],
    ],
)
def test_argparse_errors_exit_2(capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_console_script_reports_exit_2(tmp_path):
    res = run("snapshot", "--layers", "roads", "-o", str(tmp_path / "m.png"))
    assert res.returncode == 2 and "roads" in res.stderr and res.stdout == ""
