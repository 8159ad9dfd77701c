"""Briefing: narratives from the records, the briefing pack PDF, the landing and sources pages."""

from __future__ import annotations

import csv
import io
import time

import pandas as pd
import pytest
from apptest import run_app as app
from pypdf import PdfReader

from geo.data.paths import DATA_DIR
from geo.query.filters import Filters
from geo.query.selection import select
from geo.render.briefpack import TITLE, border_line_agreement, briefing_pack
from geo.render.snapshot import PAGES, cited_sources
from geo.report.formatting import fmt_range
from geo.report.narrative import (
    VIOLENT,
    attack_narratives,
    briefing_lead,
    claims_by_speaker,
    claims_sentence,
    lead_sentence,
    source_label,
    when,
)
from geo.report.stats import key_figures
from geo.spatial.scope import FRONTIER_KM, FRONTIER_RULE

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
            "Between 28 November 2025 and 2 December 2025",
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
            ["Between 17 and 18 November 2024", "1 killed and 4–5 injured", "Zarbuz"],
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
    assert (
        "Sources: 8 (5 seed documents, 3 related reports)" in shohin.text
    )  # data: Gazeta.ru (cl-016) now cited
    # Sources by outlet and date, never by file name; actors by readable names.
    assert "TRT World, 27 Nov 2025" in shohin.text and ".txt" not in shohin.text
    assert "an unidentified armed group on Chinese civilians" in shohin.text
    for n in stories:
        assert ".txt" not in n.text and "related-reporting" not in n.text, n.text


def test_claims_are_grouped_by_speaker_for_side_by_side_columns(bundle):
    cols = claims_by_speaker(bundle, "pw-2025-11-26-shohin-attack")
    claims = bundle.claims[bundle.claims["event_id"] == "pw-2025-11-26-shohin-attack"]
    # One column per speaker, headed by the readable name (issue 10: no raw fields).
    assert len(cols) == len(dict.fromkeys(claims["speaker"]))
    assert [c.speaker for c in cols][:3] == ["Tajik officials", "The Taliban", "Pakistani officials"]
    assert sum(len(c.lines) for c in cols) == len(claims)
    taliban = next(c for c in cols if c.speaker == "The Taliban")
    assert any(line.startswith("denies") for line in taliban.lines)


def test_claims_sentence_gives_every_speaker_a_turn(bundle):
    s = claims_sentence(bundle, "pw-2025-11-26-shohin-attack", limit=4)
    for speaker in ("Tajik officials", "the Taliban", "Pakistani officials", "Chinese officials"):
        assert speaker in s
    assert (
        "the Taliban denied involvement" in s and "Tajik officials blamed criminal groups in Afghanistan" in s
    )
    assert "more speaker" in claims_sentence(bundle, "pw-2025-11-26-shohin-attack", limit=2)


def test_claims_lines_cite_outlets_not_file_names(bundle):
    lines = [line for c in claims_by_speaker(bundle, "pw-2025-11-26-shohin-attack") for line in c.lines]
    assert lines and not any(".txt" in line for line in lines)
    assert any(line.endswith("[ET Online (The Economic Times), AFP copy, 27 Nov 2025]") for line in lines)


# ----------------------------------------------------------------------------- frontier scope


def curated_frontier_toll() -> tuple[int, int, list[dict]]:
    """Killed (low, high) in the attacks and clashes data/events.csv places in Tajikistan or
    Afghanistan, and the violent rows it does not (the expectation, read from the CSV itself)."""
    with (DATA_DIR / "events.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["category"] in VIOLENT]
    tj_af = [r for r in rows if r["country"] in ("Tajikistan", "Afghanistan") and r["latitude"]]
    lo = sum(int(r["fatalities"]) for r in tj_af)
    hi = sum(int(r["fatalities_high"] or r["fatalities"]) for r in tj_af)
    return lo, hi, [r for r in rows if r not in tj_af]


def test_shipped_killed_figure_is_the_tajik_afghan_toll(bundle):
    lo, hi, others = curated_frontier_toll()
    kf = key_figures(bundle.events)
    assert kf["killed"] == fmt_range(lo, hi)
    # The October 2025 Pakistan–Afghanistan clashes are in the data, not in the figure, and said so.
    pak = [r for r in others if "Pakistan" in r["country"]]
    assert pak, "fixture: the Pakistan–Afghanistan border clashes are in data/events.csv"
    left_out = " ".join(kf.left_out)
    for r in pak:
        assert (
            r["location"] in left_out
            and f"({fmt_range(r['fatalities'], r['fatalities_high'])} killed)" in left_out
        )
    assert FRONTIER_RULE in kf.scope


FAR_ACLED = (
    '"event_id_cnty","event_date","year","time_precision","event_type","sub_event_type","actor1","actor2",'
    '"country","admin1","location","latitude","longitude","geo_precision","source","notes","fatalities"\n'
    '"AFG90001","2024-05-02",2024,1,"Battles","Armed clash","Taliban","IS-K","Afghanistan","Kabul",'
    '"Kabul",34.5281,69.1723,1,"Pajhwok","far from the frontier",40\n'
    '"AFG90002","2024-06-03",2024,1,"Violence against civilians","Attack","IS-K","Civilians",'
    '"Afghanistan","Nangarhar","Jalalabad",34.4342,70.4478,1,"Pajhwok","far from the frontier",12\n'
    '"AFG90003","2025-01-04",2025,1,"Protests","Peaceful protest","Protesters","","Afghanistan","Kabul",'
    '"Kabul",34.5281,69.1723,1,"Pajhwok","far from the frontier",0\n'
)


@pytest.fixture(scope="module")
def far_store(tmp_path_factory):
    """A store with one hand-written ACLED export of three events in Kabul and Jalalabad,
    280–300 km from the Tajikistan–Afghanistan border."""
    from geo.data.importers import import_file
    from geo.data.store import Store

    root = tmp_path_factory.mktemp("far")
    (root / "far.csv").write_text(FAR_ACLED, encoding="utf-8")
    store = Store(root / "store")
    import_file(root / "far.csv", "acled", "far", store=store)
    return store


def test_an_import_far_from_the_frontier_changes_no_figure_and_is_counted_in_words(bundle, far_store):
    from geo.data.bundle import merge_into_bundle

    merged = merge_into_bundle(bundle, far_store)
    assert len(merged.events) == len(bundle.events) + 3
    before, after = key_figures(bundle.events), key_figures(merged.events)
    assert [f.value for f in after.figures] == [f.value for f in before.figures]
    assert "And 3 more events elsewhere in the imported data (2 attacks and clashes, 52 killed)" in " ".join(
        after.left_out
    )
    assert "curated records only" in after.figure("injured").note
    assert "curated records only" not in before.figure("injured").note
    assert briefing_lead(merged, merged.events) == briefing_lead(bundle, bundle.events)


def test_lead_sentence_says_what_where_when_how_many_and_who_blames_whom(bundle):
    lo, hi, _ = curated_frontier_toll()
    lead = briefing_lead(bundle, bundle.events)
    kf = key_figures(bundle.events)
    first, last = bundle.events[
        bundle.events["category"].isin(VIOLENT) & bundle.events["latitude"].notna()
    ].iloc[[0, -1]]["event_date"]
    assert lead.startswith(f"Between {first.day} {first:%B %Y} and ")
    assert f"{kf['attacks']} attacks and {kf['clashes']} clash" in lead
    assert f"killed {fmt_range(lo, hi)} and injured {kf['injured']}" in lead
    assert "Shamsiddin Shohin" in lead and "Darvoz" in lead and "Tajikistan–Afghanistan frontier" in lead
    # Claims attributed to their speakers, both sides; the off-frontier Pakistan clash is not in it.
    assert "Tajik officials blamed" in lead and "the Taliban denied involvement" in lead
    assert "Pakistan–Afghanistan" not in lead and "70" not in lead
    assert ".txt" not in lead and "(government)" not in lead
    only_2024 = briefing_lead(bundle, select(bundle, Filters(years=(2024,))).events)
    zarbuz = event(bundle, "pw-2024-11-18-zarbuz-attack")
    assert only_2024.startswith(f"{when(zarbuz)}, an attack on the")
    assert briefing_lead(bundle, select(bundle, Filters(types=("statement",))).events) == (
        "No attacks or clashes on the Tajikistan–Afghanistan frontier in this selection."
    )


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
    assert " ".join(briefing_lead(bundle, sel.events).split()) in text
    assert FRONTIER_RULE in text and "Afghanistan–Pakistan border (several points)" in text
    for n in attack_narratives(bundle, sel.events):
        assert n.heading in text
    for _, src in cited_sources(bundle, sel).iterrows():
        # By outlet and date (seeds without a named outlet by their number), never a file name.
        assert source_label(src).replace(" ", "") in text.replace(" ", ""), src["source_id"]
    assert ".txt" not in text
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
    sel = select(bundle, Y2025)
    kf = key_figures(sel.events)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {f.label: f.value for f in kf.figures}
    assert len(at.get("deck_gl_json_chart")) == 1
    legend = " ".join(h.proto.body for h in at.get("html") if "pw-legend" in h.proto.body)
    assert all(cat in legend for cat in set(sel.placed["category"].astype(str))) and "border" in legend
    md = " ".join(m.value for m in at.markdown).replace("\\", "")
    # The lead sentence comes first, before the stories.
    assert at.markdown[0].value.replace("\\", "") == f"**{briefing_lead(bundle, sel.events)}**"
    for n in attack_narratives(bundle, sel.events):
        assert n.heading in md
    for _, src in cited_sources(bundle, sel).iterrows():
        assert source_label(src) in md
    assert ".txt" not in md
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert FRONTIER_RULE in captions and "Afghanistan–Pakistan border (several points)" in captions
    assert "Not counted in the figures above: no coordinates" in captions
    # Who said what: one compact table per story with claims, sources by outlet, no file names.
    tables = [d.value for d in at.dataframe if "who" in d.value.columns]
    with_claims = [n for n in attack_narratives(bundle, sel.events) if n.claims]
    assert len(tables) == len(with_claims) and sum(map(len, tables)) == int(
        sel.claims["event_id"].isin([n.event_id for n in with_claims]).sum()
    )
    assert not any(t["source"].str.contains(r"\.txt", regex=True).any() for t in tables)


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
    # Each source's tier, and what is missing with the reason (issue 10, related reporting).
    assert set(catalogue["tier"]) == {"seed", "related"}
    asiaplus = catalogue.set_index("source").loc["asiaplus-2025-12-25"]
    assert asiaplus["headline"] == "not given" and "not given (slug only)" in asiaplus["missing"]
    assert catalogue.set_index("source").loc["rferl-2024-11-18", "missing"] == ""
    licences = next(t for t in tables if "licence" in t.columns)
    text = " ".join(licences["licence"]) + " ".join(licences["source"])
    for name in ("CC BY 4.0", "LGPL-3+", "public domain", "GeoNames", "Natural Earth"):
        assert name in text
    md = " ".join(m.value for m in at.markdown)
    # The NE line's length on the ellipsoid, as the map caveats (geo.report.provenance) give it.
    assert "1,170.2 km" in md and "~1,350 km" in md and "WDB-II" in md


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

    from geo.data.bundle import merge_into_bundle
    from geo.render.timeline.imported import IMPORTED_MARKS_MAX

    n = IMPORTED_MARKS_MAX + 200
    merged = merge_into_bundle(bundle, synthetic_store(tmp_path, n, seed=4))
    data = briefing_pack(merged, Filters())
    text = pdf_text(data)
    assert f"{n:,} imported events" in text and "not told one by one" in text
    curated = attack_narratives(bundle, select(bundle, Filters()).events)
    assert all(story.heading in text for story in curated)
    assert len(PdfReader(io.BytesIO(data)).pages) <= 12


def test_landing_page_with_a_large_import_counts_it_and_tells_the_curated_attacks(
    tmp_path, monkeypatch, bundle
):
    from conftest import synthetic_store

    from geo.render.timeline.imported import IMPORTED_MARKS_MAX

    n = IMPORTED_MARKS_MAX + 150
    monkeypatch.setenv("PANJWATCH_STORE", str(synthetic_store(tmp_path, n, seed=6).root))
    at = app()
    assert any(f"{n:,} imported events" in i.value for i in at.info)
    from geo.data.bundle import merge_into_bundle

    merged = merge_into_bundle(bundle, synthetic_store(tmp_path / "again", n, seed=6))
    kf = key_figures(merged.events)
    assert {m.label: m.value for m in at.metric} == {f.label: f.value for f in kf.figures}
    assert kf.numbers["elsewhere_imported"] + kf.numbers["events"] > len(bundle.events)
    md = " ".join(m.value for m in at.markdown).replace("\\", "")
    curated = attack_narratives(bundle, select(bundle, Filters()).events)
    assert all(story.heading in md for story in curated)
    stories = [c for c in at.caption if c.value.startswith("Casualty figures")]
    assert len(stories) == len(curated)
    # A selection of imported events only cites no catalogue source, and says so.
    only_imported = app({"type": "protest"})
    assert any("No catalogue source is cited" in c.value for c in only_imported.caption)


def test_landing_page_with_an_import_far_away_keeps_the_frontier_figures(bundle, far_store, monkeypatch):
    monkeypatch.setenv("PANJWATCH_STORE", str(far_store.root))
    at = app()
    kf = key_figures(bundle.events)
    assert {m.label: m.value for m in at.metric} == {f.label: f.value for f in kf.figures}
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "And 3 more events elsewhere in the imported data" in captions
    assert "curated records only — ACLED and UCDP publish no injured figure" in captions
    assert at.markdown[0].value.replace("\\", "") == f"**{briefing_lead(bundle, bundle.events)}**"


def test_a_ucdp_import_shows_best_beside_low_high_and_counts_the_far_event_in_words(bundle, tmp_path):
    """Two GED rows: one on the Panj at Khwahan (low 1, best 1, high 2), one in Kabul (3, 5, 9)."""
    from geo.data.bundle import merge_into_bundle
    from geo.data.importers import import_file
    from geo.data.paths import REPO_ROOT
    from geo.data.store import Store

    header, kunduz, khwahan = (
        (REPO_ROOT / "tests/fixtures/ucdp_ged.csv").read_text(encoding="utf-8").splitlines()[:3]
    )
    kabul = kunduz.replace("36.728,68.868,POINT (68.868 36.728)", "34.5281,69.1723,POINT (69.1723 34.5281)")
    assert kabul != kunduz and khwahan.endswith(",1,2,1") and kabul.endswith(",5,9,3")
    (tmp_path / "ged.csv").write_text("\n".join([header, kabul, khwahan]) + "\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    import_file(tmp_path / "ged.csv", "ucdp", "ged", store=store)
    merged = merge_into_bundle(bundle, store)
    lo, hi, _ = curated_frontier_toll()
    kf = key_figures(merged.events)
    assert kf["killed"] == fmt_range(lo + 1, hi + 2, best=lo + 1)
    assert kf["clashes"] == str(int(key_figures(bundle.events)["clashes"]) + 1)
    assert "UCDP's best estimate for its 1 event," in kf.figure("killed").note
    assert (
        "And 1 more event elsewhere in the imported data (1 attack or clash, 3–9 (best 5) killed)"
        in " ".join(kf.left_out)
    )
    assert kf["injured"] == key_figures(bundle.events)["injured"]


def test_an_imported_story_names_the_export_s_own_source(bundle, far_store):
    from geo.data.bundle import merge_into_bundle

    merged = merge_into_bundle(bundle, far_store)
    imported = merged.events[merged.events["dataset"] == "far"]
    stories = attack_narratives(merged, imported)
    assert len(stories) == 2 and all(n.frontier == "elsewhere" for n in stories)
    assert all("Source: Pajhwok (as given in the imported dataset far)." in n.text for n in stories)
    assert all(f"placed more than {FRONTIER_KM:g} km from the border" in n.scope_note for n in stories)
