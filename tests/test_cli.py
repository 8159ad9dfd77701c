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

from geo.cli import main

PANJWATCH = [sys.executable, "-m", "geo.cli"]


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
