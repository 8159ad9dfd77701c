"""Validation of the curated files: clean data passes; each kind of corruption is named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.data.paths import default_seeds_dir
from geo.data.validate import check_all

SEEDS = default_seeds_dir()
#: Rows that compare with the seed files: a fresh clone without ../shared skips them.
NEEDS_SEEDS = pytest.mark.skipif(SEEDS is None, reason="seed documents (../shared/seeds) not present")


def test_bundled_data_is_clean():
    _records, problems = check_all(seeds_dir=SEEDS)
    assert problems == [], "\n".join(map(str, problems))


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _set(data: Path, table: str, row: int, field: str, value: str) -> None:
    path = data / table if table != "catalogue.csv" else data.parent / "seeds" / table
    fields, rows = _rows(path)
    rows[row][field] = value
    _write(path, fields, rows)


# (file, record index, field blamed, bad value or {field: value}, words the message must contain)
CORRUPTIONS = [
    ("events.csv", 0, "event_date", "18/11/2024", "ISO date"),
    ("events.csv", 1, "event_date", "2024-02-30", "calendar date"),
    ("events.csv", 0, "year", "2023", "does not match event_date"),
    ("events.csv", 2, "time_precision", "4", "not one of"),
    ("events.csv", 3, "geo_precision", "0", "not one of"),
    ("events.csv", 4, "latitude", "97.5", "out of range"),
    ("events.csv", 4, "longitude", "east", "not a number"),
    ("events.csv", 5, "fatalities", "three", "whole number"),
    ("events.csv", 5, "fatalities_high", "0", "below fatalities"),
    ("events.csv", 6, "source_ids", "no-such-source", "unknown source id"),
    ("events.csv", 6, "source_tier", "related", "sources give tier"),
    ("events.csv", 7, "place_id", "atlantis", "unknown place id"),
    ("events.csv", 7, "category", "riot-ish", "not one of"),
    ("events.csv", 8, "notes", "", "required value is empty"),
    ("claims.csv", 0, "event_id", "pw-1999-01-01-nothing", "unknown event id"),
    ("claims.csv", 1, "source_id", "ghost.txt", "unknown source id"),
    pytest.param(
        "claims.csv",
        3,
        "quote",
        "Tajikistan declared war on everyone",
        "not found verbatim",
        marks=NEEDS_SEEDS,
    ),
    ("claims.csv", 3, "quote", "", "needs a verbatim quote"),
    ("claims.csv", 4, "stance", "shrugs", "not one of"),
    ("claims.csv", 2, "claim_date", "yesterday", "ISO date"),
    ("places.csv", 5, "latitude", "", "latitude and longitude"),
    ("places.csv", 5, "geonameid", "-4", "out of range"),
    pytest.param("catalogue.csv", 0, "sha256", "0" * 64, "checksum", marks=NEEDS_SEEDS),
    ("catalogue.csv", 7, "url", "", "needs its URL"),
    ("catalogue.csv", 2, "tier", "rumour", "not one of"),
    ("catalogue.csv", 1, "published", "Nov 2025", "ISO date"),
    # ACLED coding: interaction follows inter1/inter2; civilian targeting; a second actor's type and name.
    ("events.csv", 0, "interaction", "13", "ACLED interaction of Political militia x Civilians is 37"),
    ("events.csv", 0, "civilian_targeting", "", "ACLED codes 'Civilian targeting'"),
    ("events.csv", 14, "civilian_targeting", "Civilian targeting", "needs civilians as inter2"),
    ("events.csv", 14, "inter2", "", "its ACLED actor type is required"),
    ("events.csv", 14, "actor2_acled", "", "its ACLED name is required"),
    ("events.csv", 2, "inter1", "Army", "not one of"),
    # Dates by the project's rule: a range stated in date_basis starts on its first day, with date_end.
    ("events.csv", 0, "event_date", "2024-11-18", "a range starts on its first day"),
    ("events.csv", 0, "date_end", "", "date_end is its last day"),
    ("events.csv", 14, "time_precision", "1", "not an exact day"),
    # Every detail on the source that says it: figures and key terms in the quote, the speaker in the
    # cited seed, and every source a claim cites among its event's sources.
    ("claims.csv", 4, "claim", "A drone with grenades was used; three were killed.", "says 'grenade'"),
    ("claims.csv", 0, "claim", "Armed groups attacked from Afghanistan.", "says 'from afghanistan'"),
    ("claims.csv", 14, "killed", "3", "figure is not in the claim's quote"),
    pytest.param(
        "claims.csv",
        4,
        "speaker_body",
        "Ministry of Foreign Affairs",
        "does not name this speaker",
        marks=NEEDS_SEEDS,
    ),
    ("claims.csv", 15, "source_id", "24kg-2024-11-20", "not among the sources of its event"),
    # Statements kept whole: a claim agrees with its statement; a statement has claims.
    ("claims.csv", 3, "statement_id", "st-nothing", "unknown statement id"),
    ("claims.csv", 3, "statement_id", "st-2025-11-27-pk-fo", "is by 'Pakistan (government)'"),
    ("claims.csv", 3, "claim_date", "2025-11-28", "is dated 2025-11-27"),
    ("claims.csv", 0, "statement_id", "st-2025-11-27-tj-mfa", "not about this event"),
    ("statements.csv", 5, "event_ids", "pw-1999-nothing", "unknown event id"),
    ("statements.csv", 1, "source_ids", "ghost.txt", "unknown source id"),
    # Seed audit (issue 10): a figure the quote states is recorded; a source's figure within its
    # event's range; the speaker named at the quote, not elsewhere in the document; an outlet
    # speaker cites its own seed; a country the claim names is in its quote.
    ("claims.csv", 34, "killed", "", "the quote states a killed figure"),
    ("claims.csv", 1, "injured", "7", "outside its event's range"),
    pytest.param(
        "claims.csv",
        8,
        "speaker_body",
        "Ministry of Foreign Affairs",
        "does not name this speaker at the quote",
        marks=NEEDS_SEEDS,
    ),
    ("claims.csv", 34, "source_id", {"speaker": "Unidentified outlet (seed 001)"}, "cites that seed"),
    (
        "claims.csv",
        16,
        "claim",
        "Criminal groups inside Afghanistan continue destabilising actions.",
        "says 'afghanistan'",
    ),
    # A source's 'supports' and the events' source_ids agree, both ways.
    (
        "catalogue.csv",
        0,
        "supports",
        "pw-2025-11-26-shohin-attack",
        "cites this source, so supports must list it",
    ),
    (
        "catalogue.csv",
        5,
        "supports",
        "pw-2024-11-18-zarbuz-attack;pw-2025-11-20-hamadoni-drone-strike",
        "does not list this source in its source_ids",
    ),
    # Related reporting: outlet, headline and date given, or "not given" with the reason; no slug headlines.
    (
        "catalogue.csv",
        14,
        "headline",
        {
            "headline": "Tajikistan border guards foil armed attack from Afghanistan, two border guard officers killed",
            "headline_basis": "as published",
        },
        "looks rebuilt from the URL slug",
    ),
    ("catalogue.csv", 16, "headline_basis", "unknown", "headline is empty: say why"),
    ("catalogue.csv", 5, "headline_basis", "not given: no idea", "headline_basis must read 'as published"),
    ("catalogue.csv", 12, "date_basis", "date given in related-reporting.md", "published is empty"),
    ("catalogue.csv", 5, "date_basis", "not given: none", "says 'not given' but published has a date"),
    # Location uncertainty: a radius that does not reach the frontage its basis claims to cover.
    ("events.csv", 0, "uncertainty_km", "15", "states 36 km but uncertainty_km is 15"),
    (
        "events.csv",
        0,
        "location_basis",
        {
            "location_basis": "district level: Shŭrobod; 15 km covers the district's Panj frontage",
            "uncertainty_km": "15",
        },
        "does not contain the frontage",
    ),
    # Dated by the report or the announcement: the day is not the event's own, so not "exact day".
    ("events.csv", 1, "time_precision", "1", "dates the event by a report or an announcement"),
    ("events.csv", 8, "time_precision", "1", "dates the event by a report or an announcement"),
    # An ambiguous place name says so, and its radius holds every candidate; events coded to it too.
    ("places.csv", 10, "uncertainty_km", "20", "does not reach the candidate at 38.144, 71.234"),
    (
        "places.csv",
        10,
        "basis",
        {"name": "'Mohi Mai' district area, Afghan Darwaz"},
        "say 'ambiguous name' in the name and the basis",
    ),
    (
        "places.csv",
        6,
        "basis",
        "ambiguous name: Darvoz or Darwaz, centre Qalaikhumb (GeoNames 1221559)",
        "gives no other candidate point",
    ),
    (
        "events.csv",
        12,
        "uncertainty_km",
        {"place_id": "maimay-area", "uncertainty_km": "5"},
        "coded to the ambiguous place maimay-area",
    ),
    # Victims complete: a nationality the casualty basis counts is among the event's actors.
    ("events.csv", 0, "assoc_actor_2", "Chinese gold-mining exploration camp", "counts Tajik casualties"),
    # The event's own prose: each seed it cites is an event source, a phrase quoted for a seed is in
    # that seed, a figure credited to seeds is stated by each, an outlet it names is an event source.
    (
        "events.csv",
        5,
        "casualty_basis",
        {
            "source_ids": "002_42528b249955a706.txt;003_0ea83212063cb22b.txt;004_4178b4dfd89619a4.txt;"
            "trtworld-2025-11-27;globaltimes-2025-11-28;gazetaru-2025-12-01"
        },
        "cites seed 000 (000_5a70a13a6104a45c.txt), which is not among the event's source_ids",
    ),
    pytest.param(
        "events.csv",
        5,
        "date_basis",
        "'late on Tuesday, November 25' (seed 002); 26 Nov 2025 is a Wednesday",
        "whose text does not say it",
        marks=NEEDS_SEEDS,
    ),
    pytest.param(
        "events.csv",
        0,
        "casualty_basis",
        "killed 1 in every source; injured 7 per seeds 002 and 003",
        "credits 'injured 7' to seed 002",
        marks=NEEDS_SEEDS,
    ),
    (
        "events.csv",
        4,
        "casualty_basis",
        "2 killed per Asia-Plus; injured not reported",
        "names Asia-Plus (asiaplus-2025-12-25), which is not among the event's source_ids",
    ),
]


@pytest.mark.parametrize(("table", "index", "field", "value", "words"), CORRUPTIONS)
def test_each_corruption_is_reported_with_row_and_field(data_copy, table, index, field, value, words):
    # A dict value corrupts several cells of the row at once (a rule that relates two fields).
    for name, v in (value if isinstance(value, dict) else {field: value}).items():
        _set(data_copy, table, index, name, v)
    _records, problems = check_all(data_copy, SEEDS)
    hits = [p for p in problems if p.field == field and words in p.message]
    assert hits, f"no problem naming {field!r} with {words!r}; got: {[str(p) for p in problems]}"
    p = hits[0]
    assert p.file.endswith(table)
    assert p.row == index + 2, f"expected spreadsheet row {index + 2}, got {p.row}"
    assert str(p).startswith(p.file) and f"row {index + 2}" in str(p) and f"'{field}'" in str(p)


@pytest.mark.parametrize(("table", "index", "field", "value", "words"), CORRUPTIONS)
def test_panjwatch_validate_reports_each_corruption(data_copy, capsys, table, index, field, value, words):
    # The same table through the command a curator runs: exit 1, the cell named on stdout.
    from geo.cli.main import main

    for name, v in (value if isinstance(value, dict) else {field: value}).items():
        _set(data_copy, table, index, name, v)
    seeds = ["--seeds", str(SEEDS)] if SEEDS is not None else []
    code = main(
        [
            "validate",
            "--data",
            str(data_copy),
            "--catalogue",
            str(data_copy.parent / "seeds" / "catalogue.csv"),
            *seeds,
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    lines = [ln for ln in out.splitlines() if f"row {index + 2}" in ln and f"'{field}'" in ln and table in ln]
    assert any(words in ln for ln in lines), out


def test_duplicate_ids_name_both_rows(data_copy):
    fields, rows = _rows(data_copy / "events.csv")
    rows[3]["event_id"] = rows[1]["event_id"]
    _write(data_copy / "events.csv", fields, rows)
    _records, problems = check_all(data_copy, SEEDS)
    dup = [p for p in problems if "duplicate id" in p.message]
    assert dup and dup[0].row == 5 and "first on row 3" in dup[0].message


def test_missing_column_is_reported(data_copy):
    fields, rows = _rows(data_copy / "events.csv")
    fields.remove("geo_precision")
    for r in rows:
        r.pop("geo_precision")
    _write(data_copy / "events.csv", fields, rows)
    _records, problems = check_all(data_copy, SEEDS)
    assert any(p.field == "geo_precision" and "missing from the header" in p.message for p in problems)


def test_all_problems_are_reported_in_one_run(data_copy):
    _set(data_copy, "events.csv", 0, "event_date", "bad")
    _set(data_copy, "events.csv", 2, "geo_precision", "9")
    _set(data_copy, "claims.csv", 5, "event_id", "nope")
    _records, problems = check_all(data_copy, SEEDS)
    fields = {(p.file, p.field) for p in problems}
    assert {
        ("data/events.csv", "event_date"),
        ("data/events.csv", "geo_precision"),
        ("data/claims.csv", "event_id"),
    } <= fields


@pytest.mark.skipif(SEEDS is None, reason="seed documents (../shared/seeds) not present")
def test_uncatalogued_seed_is_reported(data_copy, tmp_path):
    seeds = tmp_path / "seedcopy"
    seeds.mkdir()
    for p in SEEDS.glob("*.txt"):
        (seeds / p.name).write_bytes(p.read_bytes())
    (seeds / "999_new.txt").write_text("a new article", encoding="utf-8")
    _records, problems = check_all(data_copy, seeds)
    assert any(p.value == "999_new.txt" and "not catalogued" in p.message for p in problems)


def test_not_a_csv_is_one_clear_message(data_copy):
    (data_copy / "claims.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    _records, problems = check_all(data_copy, SEEDS)
    mine = [p for p in problems if p.file == "data/claims.csv"]
    assert len(mine) == 1 and "UTF-8 CSV" in mine[0].message


def test_seeds_setting_that_does_not_exist_is_not_replaced_by_another_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("PANJWATCH_SEEDS", str(tmp_path / "missing"))
    assert default_seeds_dir() is None
    monkeypatch.setenv("PANJWATCH_SEEDS", str(tmp_path))
    assert default_seeds_dir() == tmp_path
