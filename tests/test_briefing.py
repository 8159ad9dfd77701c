"""Briefing: narratives from the records, the briefing pack PDF, the landing and sources pages."""

from __future__ import annotations

import csv
import io
import time

import pandas as pd
import pytest
from apptest import run_app as app
from pypdf import PdfReader

from geo.briefpack import TITLE, border_line_agreement, briefing_pack
from geo.filters import Filters
from geo.narrative import VIOLENT, attack_narratives, claims_by_speaker, claims_sentence, lead_sentence, when
from geo.selection import select
from geo.snapshot import PAGES, cited_sources
from geo.stats import key_figures

Y2025 = Filters(years=(2025,))


def event(bundle, event_id: str):
    return bundle.events.set_index("event_id", drop=False).loc[event_id]


def pdf_text(data: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


# ----------------------------------------------------------------------------- narratives


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"event_date": "2025-11-26", "date_end": None, "time_precision": 1}, "On 26 November 2025"),
        ({"event_date": "2024-11-18", "date_end": None, "time_precision": 2}, "On or about 18 November 2024"),
        (
            {"event_date": "2025-12-23", "date_end": "2025-12-24", "time_precision": 2},
            "Between 23 and 24 December 2025",
        ),
        ({"event_date": "2025-10-01", "date_end": "2025-10-31", "time_precision": 3}, "In October 2025"),
        ({"event_date": "2025-10-01", "date_end": None, "time_precision": 3}, "In October 2025"),
        (
            {"event_date": "2025-11-28", "date_end": "2025-12-02", "time_precision": 2},
            "Between 28 November 2025 and 02 December 2025",
        ),
    ],
)
def test_when_says_only_what_the_date_precision_supports(row, expected):
    r = {k: (pd.Timestamp(v) if k != "time_precision" and v else v) for k, v in row.items()}
    r["date_end"] = r["date_end"] if r["date_end"] is not None else pd.NaT
    assert when(r) == expected


@pytest.mark.parametrize(
    ("event_id", "parts"),
    [
        (
            "pw-2024-11-18-zarbuz-attack",
            ["On or about 18 November 2024", "1 killed and 4–5 injured", "Zarbuz"],
        ),
        (
            "pw-2025-11-26-shohin-attack",
            ["On 26 November 2025", "air/drone strike", "3 killed and 1 injured"],
        ),
        (
            "pw-2025-12-23-bogh-post-clash",
            ["Between 23 and 24 December 2025", "armed clash between", "5 killed"],
        ),
        ("pw-2025-10-pak-afghan-border-clashes", ["In October 2025", "not placed on the map", "70 killed"]),
    ],
)
def test_lead_sentence_is_built_from_the_record(bundle, event_id, parts):
    s = lead_sentence(event(bundle, event_id))
    for part in parts:
        assert part in s, (part, s)


def test_narratives_cover_the_attacks_and_clashes_in_date_order(bundle):
    sel = select(bundle, Y2025)
    stories = attack_narratives(bundle, sel.events)
    violent = sel.events[sel.events["category"].isin(VIOLENT)]
    assert [n.event_id for n in stories] == list(violent.sort_values(["event_date", "event_id"])["event_id"])
    shohin = next(n for n in stories if n.event_id == "pw-2025-11-26-shohin-attack")
    assert "district level (±36 km)" in shohin.text and "facing Badakhshan" in shohin.text
    # Border distance as a range over the uncertainty area, the coded point's figure secondary.
    assert "0–" in shohin.text and "km from the border over the uncertainty area" in shohin.text
    assert "Sources: 7 (5 seed documents, 2 related reports)" in shohin.text


def test_claims_are_grouped_by_speaker_for_side_by_side_columns(bundle):
    cols = claims_by_speaker(bundle, "pw-2025-11-26-shohin-attack")
    claims = bundle.claims[bundle.claims["event_id"] == "pw-2025-11-26-shohin-attack"]
    assert [c.speaker for c in cols] == list(dict.fromkeys(claims["speaker"]))
    assert sum(len(c.lines) for c in cols) == len(claims)
    taliban = next(c for c in cols if c.speaker == "Taliban (Afghanistan)")
    assert any(line.startswith("denies") for line in taliban.lines)


def test_claims_sentence_gives_every_speaker_a_turn(bundle):
    s = claims_sentence(bundle, "pw-2025-11-26-shohin-attack", limit=4)
    for speaker in (
        "Tajikistan (government)",
        "Taliban (Afghanistan)",
        "Pakistan (government)",
        "China (government)",
    ):
        assert speaker in s
    assert "more statements" in s


# ----------------------------------------------------------------------------- the pack


@pytest.fixture(scope="module")
def pack(bundle):
    return briefing_pack(bundle, Y2025)


def test_pack_has_title_filters_figures_narrative_and_every_source(bundle, pack):
    text = pdf_text(pack)
    assert TITLE in text and "Filters: years 2025" in text
    sel = select(bundle, Y2025)
    kf = key_figures(sel.events)
    assert f"{kf['killed']} killed" in text and f"{kf['attacks']} attacks" in text
    for n in attack_narratives(bundle, sel.events):
        assert n.heading in text
    for sid in cited_sources(bundle, sel)["source_id"]:
        assert sid in text.replace(" ", ""), sid
    for heading in ("What happened", "Timeline", "Who said what", "Sources", "Method and caveats"):
        assert heading in text
    assert PAGES["sector"].title in text and PAGES["regional"].title in text


def test_pack_map_pages_are_landscape_and_text_pages_portrait(pack):
    pages = PdfReader(io.BytesIO(pack)).pages
    shapes = ["landscape" if p.mediabox.width > p.mediabox.height else "portrait" for p in pages]
    assert shapes[0] == "portrait" and shapes.count("landscape") == 2 and len(pages) >= 5


def test_pack_is_deterministic(bundle, pack):
    assert briefing_pack(bundle, Y2025) == pack


def test_pack_states_the_measured_border_caveat(bundle, pack):
    a = border_line_agreement(bundle)
    assert a["ne_km"] == pytest.approx(1170.6, abs=0.1)
    assert f"{a['ne_km']:,.1f} km long against the published ~1,350 km" in pdf_text(pack)


def test_pack_without_attacks_says_so(bundle):
    text = pdf_text(briefing_pack(bundle, Filters(types=("statement",)), maps=()))
    assert "No attacks or clashes in this selection." in text


def test_pack_rejects_an_unknown_map(bundle):
    with pytest.raises(ValueError, match="unknown page"):
        briefing_pack(bundle, Y2025, maps=("world",))


# ----------------------------------------------------------------------------- pages


def test_landing_page_is_the_briefing_with_the_key_figures(bundle):
    at = app({"year": "2025"})
    assert at.title[0].value.startswith("Briefing")
    kf = key_figures(select(bundle, Y2025).events)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Attacks"] == kf["attacks"] and metrics["Killed"] == kf["killed"]
    assert metrics["Injured"] == kf["injured"] and metrics["Clashes"] == kf["clashes"]
    assert len(at.get("deck_gl_json_chart")) == 1
    md = " ".join(m.value for m in at.markdown).replace("\\", "")
    for n in attack_narratives(bundle, select(bundle, Y2025).events):
        assert n.heading in md
    for outlet in cited_sources(bundle, select(bundle, Y2025))["outlet"]:
        assert outlet in md


def test_landing_page_escapes_text_from_data(data_copy, monkeypatch):
    path = data_copy / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    row = next(r for r in rows if r["event_id"] == "pw-2025-11-30-shodak-attack")
    row["notes"] = "[click](http://evil.invalid) ![x](http://evil.invalid/i.png) <b>bold</b> $x^2$"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setenv("PANJWATCH_DATA", str(data_copy))
    at = app({"year": "2025"})
    md = " ".join(m.value for m in at.markdown)
    assert "](http" not in md.replace("\\](http", "")
    assert "<b>" not in md and "\\<b\\>bold\\</b\\>" in md
    assert "\\$x^2\\$" in md


def test_sources_page_lists_the_catalogue_method_and_licences(bundle):
    at = app(page="pages/sources.py")
    assert at.title[0].value == "Sources and method"
    tables = [d.value for d in at.dataframe]
    catalogue = next(t for t in tables if "outlet" in t.columns)
    assert list(catalogue["source"]) == list(bundle.sources["source_id"])
    licences = next(t for t in tables if "licence" in t.columns)
    text = " ".join(licences["licence"]) + " ".join(licences["source"])
    for name in ("CC BY 4.0", "LGPL-3+", "public domain", "GeoNames", "Natural Earth"):
        assert name in text
    md = " ".join(m.value for m in at.markdown)
    assert "1,170.6 km" in md and "~1,350 km" in md and "WDB-II" in md


@pytest.mark.parametrize("page", ["pages/regional_map.py", "pages/sector_map.py"])
def test_map_pages_offer_the_downloads(page):
    at = app({"year": "2025"}, page)
    assert len(at.get("deck_gl_json_chart")) == 1
    assert at.selectbox(key=f"{page.split('/')[1].split('_')[0]}-dl-format").value == "png"


# ----------------------------------------------------------------------------- the briefer's path


@pytest.mark.browser
def test_briefer_downloads_sector_pdf_and_pack_from_the_app(page, app_url, bundle, tmp_path):
    """Filter to 2025, download the sector map as PDF and the briefing pack; check what is in them."""
    page.goto(f"{app_url}/sector_map?year=2025")
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=60_000)
    page.get_by_text("Download this map, its data or the briefing pack").click()
    fmt = page.get_by_test_id("stSelectbox").filter(has_text="Format")
    fmt.click()
    page.get_by_role("option", name="PDF (vector)").click()
    time.sleep(1.0)
    with page.expect_download(timeout=90_000) as dl:
        page.get_by_role("button", name="Map snapshot (PDF)").click()
    snap = tmp_path / dl.value.suggested_filename
    dl.value.save_as(snap)
    assert snap.suffix == ".pdf"
    text = pdf_text(snap.read_bytes())
    assert PAGES["sector"].title in text and "Filters: years 2025" in text
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="Briefing pack (PDF)").click()
    pack = dl.value.path().read_bytes()
    text = pdf_text(pack)
    assert TITLE in text and "Filters: years 2025" in text
    kf = key_figures(select(bundle, Y2025).events)
    assert f"{kf['killed']} killed" in text
    assert page.watch.external == [], page.watch.external


def test_pack_with_many_imported_events_tells_the_curated_record_and_counts_the_rest(tmp_path, bundle):
    """Above the timeline's mark limit the pack does not tell thousands of imported events one by
    one (nor stall doing so): it counts them, says so, and still tells every curated attack."""
    from conftest import synthetic_store

    from geo.store import merge_into_bundle
    from geo.timeline import IMPORTED_MARKS_MAX

    n = IMPORTED_MARKS_MAX + 200
    merged = merge_into_bundle(bundle, synthetic_store(tmp_path, n, seed=4))
    data = briefing_pack(merged, Filters())
    text = pdf_text(data)
    assert f"{n:,} imported events" in text and "not told one by one" in text
    curated = attack_narratives(bundle, select(bundle, Filters()).events)
    assert all(story.heading in text for story in curated)
    assert len(PdfReader(io.BytesIO(data)).pages) <= 12


def test_landing_page_with_a_large_import_counts_it_and_tells_the_curated_attacks(tmp_path, monkeypatch, bundle):
    from conftest import synthetic_store

    from geo.timeline import IMPORTED_MARKS_MAX

    n = IMPORTED_MARKS_MAX + 150
    monkeypatch.setenv("PANJWATCH_STORE", str(synthetic_store(tmp_path, n, seed=6).root))
    at = app()
    assert any(f"{n:,} imported events" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Events (all types)"] == str(len(bundle.events) + n)
    md = " ".join(m.value for m in at.markdown).replace("\\", "")
    curated = attack_narratives(bundle, select(bundle, Filters()).events)
    assert all(story.heading in md for story in curated)
    stories = [c for c in at.caption if c.value.startswith("Casualty figures")]
    assert len(stories) == len(curated)
    # A selection of imported events only cites no catalogue source, and says so.
    only_imported = app({"type": "protest"})
    assert any("No catalogue source is cited" in c.value for c in only_imported.caption)
