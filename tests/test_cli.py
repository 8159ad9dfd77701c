"""``panjwatch`` end to end, through the console script as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli.main import main

PANJWATCH = [sys.executable, "-m", "geo.cli.main"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PANJWATCH, *args], capture_output=True, text=True, timeout=120)


def test_validate_passes_on_bundled_data():
    r = run("validate")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK")


def test_console_script_is_installed():
    exe = shutil.which("panjwatch") or str(Path(sys.executable).parent / "panjwatch")
    r = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "validate" in r.stdout


def test_validate_lists_every_problem_and_exits_1(data_copy):
    ev = data_copy / "events.csv"
    text = ev.read_text(encoding="utf-8").replace("2025-11-26,,2025", "2025-13-26,,2025", 1)
    ev.write_text(text, encoding="utf-8")
    claims = data_copy / "claims.csv"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(",accuses,", ",blames,", 1), encoding="utf-8"
    )
    r = run("validate", "--data", str(data_copy))
    assert r.returncode == 1
    assert "data/events.csv, row" in r.stdout and "field 'event_date'" in r.stdout
    assert "data/claims.csv, row" in r.stdout and "field 'stance'" in r.stdout and "'blames'" in r.stdout


def test_validate_with_missing_seeds_folder_is_a_usage_error(tmp_path):
    r = run("validate", "--seeds", str(tmp_path / "nope"))
    assert r.returncode == 2 and "no such folder" in r.stderr


@pytest.mark.parametrize(
    ("args", "expected_ids"),
    [
        (["--year", "2024"], {"pw-2024-11-18-zarbuz-attack", "pw-2024-11-19-china-mfa-statement"}),
        (
            ["--actor", "Pakistan (government)", "--role", "accuser"],
            {
                "pw-2025-11-26-shohin-attack",
                "pw-2025-11-27-pakistan-fo-statement",
                "pw-2025-10-pak-afghan-border-clashes",
            },
        ),
        (
            ["--year", "2025", "--actor", "Civilians (China)", "--role", "victim"],
            {"pw-2025-11-26-shohin-attack", "pw-2025-11-30-shodak-attack"},
        ),
    ],
)
def test_export_events_csv_selection(tmp_path, args, expected_ids):
    out = tmp_path / "e.csv"
    assert main(["export", "--format", "csv", *args, "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["event_id"] for r in rows} == expected_ids
    for col in ("join_admin1", "border_distance_km", "facing_admin1", "admin1_mismatch"):
        assert col in rows[0]


def test_export_geojson_keeps_unplaced_rows_with_null_geometry(tmp_path):
    out = tmp_path / "e.geojson"
    assert main(["export", "--format", "geojson", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "provenance" in doc
    nulls = [f for f in doc["features"] if f["geometry"] is None]
    assert [f["properties"]["event_id"] for f in nulls] == ["pw-2025-10-pak-afghan-border-clashes"]
    attack = next(f for f in doc["features"] if f["properties"]["event_id"] == "pw-2025-11-26-shohin-attack")
    assert attack["geometry"]["coordinates"] == pytest.approx([70.04865, 37.84137])
    assert attack["properties"]["join_admin1"] == "Khatlon"


@pytest.mark.parametrize("table", ["claims", "places"])
def test_export_other_tables(tmp_path, table):
    out = tmp_path / f"{table}.geojson"
    assert main(["export", "--table", table, "--format", "geojson", "--year", "2025", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["features"]) > 3


def test_export_csv_neutralises_formulas(data_copy, tmp_path):
    path = data_copy / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    rows[0]["notes"] = '=HYPERLINK("http://example.invalid","click") ' + rows[0]["notes"]
    rows[0]["location"] = "@SUM(1+1)"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    out = tmp_path / "e.csv"
    assert (
        main(["export", "--data", str(data_copy), "--format", "csv", "--year", "2024", "-o", str(out)]) == 0
    )
    got = next(
        r
        for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
        if r["event_id"] == rows[0]["event_id"]
    )
    assert got["notes"].startswith("'=HYPERLINK")
    assert got["location"] == "'@SUM(1+1)"
    assert float(got["longitude"]) == pytest.approx(70.04865)  # numbers stay numbers


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "xlsx", "-o", "x"], "invalid choice"),
        (["export", "--format", "csv"], "required"),
        (["export", "--format", "csv", "--year", "twenty", "-o", "x"], "invalid int value"),
        (["frobnicate"], "invalid choice"),
        (["export", "--format", "csv", "--actor", "Nobody At All", "-o", "x"], "unknown actor"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args, message):
    r = run(*args)
    assert r.returncode == 2
    assert message in r.stderr


# --- imported datasets: the CLI sees what the app shows ------------------------------------


@pytest.fixture
def two_datasets(tmp_path, monkeypatch):
    """A store the app and the CLI both read (PANJWATCH_STORE): one frontier dataset, one all outside."""
    import storekit as kit

    from geo.data.store import Store

    store = Store(tmp_path / "store")
    kit.put(
        store,
        "alpha",
        [{"lat": kit.KHWAHAN[0], "lon": kit.KHWAHAN[1], "id": j, "notes": "=cmd()"} for j in range(3)],
    )
    kit.put(
        store,
        "benin",
        [
            {"lat": kit.BENIN[0], "lon": kit.BENIN[1], "country": "Benin", "admin1": "Alibori", "id": j}
            for j in range(2)
        ],
    )
    monkeypatch.setenv("PANJWATCH_STORE", str(store.root))
    return store


def _app_data():
    from ui import data

    return data.load_app_data()  # the store folder is part of the settings: a fresh bundle


def test_ui_download_and_cli_give_the_same_bytes_with_imports(two_datasets, tmp_path):
    """The UI's generators (ui/exports.py) on the app's bundle = the CLI's files, byte for byte."""
    from geo.export.tables import to_csv_bytes, to_geojson_bytes
    from geo.query.filters import Filters
    from geo.query.selection import provenance, select
    from geo.render.snapshot import SIZE_PRESETS, SnapshotRequest, snapshot

    app = _app_data()
    assert set(app.bundle.events["dataset"].astype(str)) == {"curated", "alpha", "benin"}
    filters = Filters()
    sel = select(app.bundle, filters)
    ui = {
        "csv": to_csv_bytes(sel.events),
        "geojson": to_geojson_bytes(sel.events, provenance(app.bundle, filters, sel.events)),
    }
    for fmt, expected in ui.items():
        out = tmp_path / f"events.{fmt}"
        assert main(["export", "--format", fmt, "-o", str(out)]) == 0
        assert out.read_bytes() == expected, fmt
    assert b"alpha:1" in ui["csv"] and b"benin:0" in ui["csv"] and b"'=cmd()" in ui["csv"]
    w, h, dpi = SIZE_PRESETS["1920x1080"]
    req = SnapshotRequest(page="sector", filters=filters, width_px=w, height_px=h, dpi=dpi, fmt="png")
    out = tmp_path / "sector.png"
    assert main(["snapshot", "--page", "sector", "-o", str(out)]) == 0
    assert out.read_bytes() == snapshot(app.bundle, req, app.bands)


@pytest.mark.parametrize(
    ("datasets", "present", "absent"),
    [
        ([], ["alpha:0", "benin:0"], []),
        (["alpha"], ["alpha:0"], ["benin:"]),
        (["benin", "alpha"], ["alpha:0", "benin:1"], []),
    ],
)
def test_export_dataset_option_chooses_imports(two_datasets, tmp_path, datasets, present, absent):
    out = tmp_path / "e.csv"
    args = [a for d in datasets for a in ("--dataset", d)]
    assert main(["export", "--format", "csv", *args, "-o", str(out)]) == 0
    text = out.read_text()
    assert "pw-" in text  # curated events are always there
    assert all(p in text for p in present) and not any(a in text for a in absent)


def test_export_unknown_dataset_is_a_usage_error(two_datasets, tmp_path, capsys):
    assert main(["export", "--format", "csv", "--dataset", "nope", "-o", str(tmp_path / "e.csv")]) == 2
    err = capsys.readouterr().err
    assert "unknown dataset(s) 'nope'" in err and "alpha, benin" in err


def test_cli_names_a_set_aside_dataset_and_still_exports(two_datasets, tmp_path, capsys):
    two_datasets.path("benin").write_bytes(b"PAR1 truncated")
    out = tmp_path / "e.csv"
    assert main(["export", "--format", "csv", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "note: dataset benin (benin.parquet) is set aside" in err
    assert "alpha:0" in out.read_text()
    assert main(["export", "--format", "csv", "--dataset", "benin", "-o", str(out)]) == 1
