"""``panjwatch slides`` and :func:`geo.render.slides.build_slides`: the deck, read back with python-pptx."""

from __future__ import annotations

import io
import math
import re
import zipfile

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from geo.cli.main import main
from geo.query.filters import Filters
from geo.query.selection import select
from geo.render.briefpack import TITLE
from geo.render.slides import (
    CELL_CHARS,
    CLAIM_COLUMNS,
    CLAIM_ROWS_PER_SLIDE,
    CLAIMS_TITLE,
    PROPERTY_CHARS,
    build_slides,
    claim_table_rows,
    map_request,
    slides_file_name,
    text,
)
from geo.report.provenance import ATTRIBUTION, cited_sources, selection_line
from geo.report.stats import TOTALS_RULE, key_figures
from geo.report.text import clipped, drawn
from geo.report.wording import source_label
from tests.payloads import PAYLOAD_CASES, payload_bundle

Y2024 = Filters(years=(2024,))
TITLES = [TITLE, "Timeline", "Key figures", CLAIMS_TITLE]
#: Characters a slide's XML must never hold raw (they would corrupt it, reorder or hide text).
RAW_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")


def read(data: bytes):
    return Presentation(io.BytesIO(data))


def slide_text(slide) -> str:
    """Every text frame of the slide except its title, and every table cell, one per line."""
    out = []
    for sh in slide.shapes:
        if sh.has_text_frame and sh != slide.shapes.title:
            out.append(sh.text_frame.text)
        if sh.has_table:
            out += [c.text for row in sh.table.rows for c in row.cells]
    return "\n".join(out)


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def table_rows(slide) -> list[list[str]]:
    (shape,) = [sh for sh in slide.shapes if sh.has_table]
    rows = [[c.text for c in row.cells] for row in shape.table.rows]
    assert rows[0] == [head for _, head, _ in CLAIM_COLUMNS]
    return rows[1:]


def pictures(slide):
    return [sh for sh in slide.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def xml_checked(data: bytes) -> str:
    """Every XML part of the package: well-formed, no raw control, no link or external target."""
    import xml.etree.ElementTree as ET

    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                raw = z.read(name).decode("utf-8")
                ET.fromstring(raw)
                assert not RAW_HIDDEN.search(raw), f"{name}: raw control or bidi character"
                assert "hlinkClick" not in raw and 'TargetMode="External"' not in raw, name
                parts.append(raw)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def deck_2024(bundle):
    return build_slides(bundle, Y2024)


@pytest.fixture(scope="module")
def deck_all(bundle):
    return build_slides(bundle, Filters())


def test_deck_has_four_16_9_slides_with_their_titles(deck_2024, bundle):
    prs = read(deck_2024)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(select(bundle, Y2024).claims) <= CLAIM_ROWS_PER_SLIDE  # so one claims slide
    assert [s.shapes.title.text for s in prs.slides] == TITLES
    assert prs.core_properties.title == TITLE and prs.core_properties.subject == "Filters: years 2024"


def test_map_and_timeline_slides_hold_their_pictures(deck_2024):
    map_slide, timeline_slide, figures_slide, claims_slide = read(deck_2024).slides
    (m,) = pictures(map_slide)
    req = map_request(Y2024)
    assert Image.open(io.BytesIO(m.image.blob)).size == (req.width_px, req.height_px)
    assert m.width / m.height == pytest.approx(req.width_px / req.height_px, rel=0.01)
    (t,) = pictures(timeline_slide)
    assert Image.open(io.BytesIO(t.image.blob)).size[0] > 1500  # drawn at scale 2, slide quality
    assert "Timeline not included" not in slide_text(timeline_slide)
    assert not pictures(figures_slide) and not pictures(claims_slide)
    for shape in (m, t):  # inside the slide
        assert shape.left >= 0 and shape.top >= 0
        assert shape.left + shape.width <= Inches(13.333) and shape.top + shape.height <= Inches(7.5)


def test_map_slide_states_the_selection_and_the_attribution(deck_2024, bundle):
    text_ = slide_text(read(deck_2024).slides[0])
    assert selection_line(bundle, select(bundle, Y2024)) in text_
    assert "Filters: years 2024" in text_ and ATTRIBUTION in text_
    assert "Filters: years 2024" in slide_text(read(deck_2024).slides[1])


def test_key_figures_slide_says_what_they_count_and_leave_out(deck_2024, bundle):
    kf = key_figures(select(bundle, Y2024).events)
    text_ = slide_text(read(deck_2024).slides[2])
    for f in kf.figures:
        assert f"{f.value}\n{f.label}\n{f.note}" in text_
    for line in (kf.scope, TOTALS_RULE, *kf.left_out):
        assert line in text_


def test_claims_table_rows_are_the_claims_of_the_selection(deck_2024, bundle):
    sel = select(bundle, Y2024)
    rows = table_rows(read(deck_2024).slides[3])
    want = claim_table_rows(bundle, sel)
    assert len(rows) == len(sel.claims) == len(want) > 0
    keys = [k for k, _, _ in CLAIM_COLUMNS]
    assert rows == [[text(r[k], CELL_CHARS[k]) for k in keys] for _, r in want.iterrows()]
    # Attributed: every row names the outlet of its source, never a file name.
    assert all(r[-1] and ".txt" not in r[-1] for r in rows)


def test_every_slide_lists_its_sources_in_the_notes_by_outlet_and_date(deck_2024, bundle):
    sel = select(bundle, Y2024)
    slides = list(read(deck_2024).slides)
    cited = cited_sources(bundle, sel)
    assert len(cited)
    for slide in slides[:3]:
        n = notes(slide)
        assert n.startswith("Sources cited on this slide (outlet, date):")
        for _, src in cited.iterrows():
            assert source_label(src) in n
        assert ".txt" not in n and "Filters: years 2024" in n
    claims_notes = notes(slides[3])
    for sid in set(sel.claims["source_id"]):
        src = bundle.sources.set_index("source_id", drop=False).loc[sid]
        assert source_label(src) in claims_notes


def test_all_claims_continue_on_further_slides(deck_all, bundle):
    sel = select(bundle, Filters())
    slides = list(read(deck_all).slides)
    pages = math.ceil(len(sel.claims) / CLAIM_ROWS_PER_SLIDE)
    assert pages > 1 and len(slides) == 3 + pages
    titles = [s.shapes.title.text for s in slides]
    assert titles[:3] == TITLES[:3]
    assert titles[3:] == [f"{CLAIMS_TITLE} ({k} of {pages})" for k in range(1, pages + 1)]
    rows = [r for s in slides[3:] for r in table_rows(s)]
    assert len(rows) == len(sel.claims)
    assert f"Claims 1–{CLAIM_ROWS_PER_SLIDE} of {len(sel.claims)}." in slide_text(slides[3])
    xml_checked(deck_all)


def test_deck_is_deterministic_and_clean(deck_2024, bundle):
    assert build_slides(bundle, Y2024) == deck_2024
    xml_checked(deck_2024)
    assert slides_file_name(Y2024, "v1") == "panjwatch-slides-2024-v1.pptx"


def test_bad_map_request_raises(bundle):
    with pytest.raises(ValueError, match="regional map only"):
        build_slides(bundle, Y2024, page="sector", shade="killed")


def test_deck_with_imported_events(tmp_path, bundle):
    from conftest import synthetic_store

    from geo.data.bundle import merge_into_bundle

    merged = merge_into_bundle(bundle, synthetic_store(tmp_path, 300, seed=7))
    prs = read(build_slides(merged, Filters()))
    assert [s.shapes.title.text for s in prs.slides][:3] == TITLES[:3]
    assert "Imported events (ACLED, UCDP) carry their own source field" in notes(prs.slides[0])
    kf = key_figures(select(merged, Filters()).events)
    assert kf.figure("killed").value in slide_text(prs.slides[2])


@pytest.mark.parametrize("name", ["nul", "control", "bidi", "html-script", "newline", "long"])
def test_hostile_text_is_inert_and_literal(bundle, name):
    """The payload in every event, claim, place and actor field and in the filters."""
    payload = dict(PAYLOAD_CASES)[name]
    b, f = payload_bundle(bundle, payload, actors=True), Filters(actors=(payload,))
    data = build_slides(b, f)
    xml_checked(data)
    prs = read(data)
    sel = select(b, f)
    assert len(sel.events) == len(bundle.events)
    rows = [r for s in list(prs.slides)[3:] for r in table_rows(s)]
    assert len(rows) == len(sel.claims)
    claim_col = [k for k, _, _ in CLAIM_COLUMNS].index("claim")
    # The payload as drawn (controls as visible escapes), clipped to the cell: literally, never markup.
    assert {r[claim_col] for r in rows} == {drawn(payload if len(payload) <= 240 else payload[:239] + "…")}
    assert text(f"Filters: {f.summary()}", 400) in slide_text(prs.slides[1])
    assert prs.core_properties.subject == clipped(drawn(f"Filters: {f.summary()}"), PROPERTY_CHARS)
    if name == "nul":
        assert rows[0][claim_col] == "a\\x00b"


# --------------------------------------------------------------------------- command line


def test_cli_writes_a_readable_deck(tmp_path, capsys, deck_2024):
    out = tmp_path / "deck.pptx"
    assert main(["slides", "--year", "2024", "-o", str(out)]) == 0
    assert "wrote slide deck" in capsys.readouterr().out
    assert [s.shapes.title.text for s in read(out.read_bytes()).slides] == TITLES
    assert out.read_bytes() == deck_2024  # the same bytes as build_slides for the same selection


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["slides", "-o", "{tmp}/deck.ppt"], "must end in .pptx"),
        (["slides", "-o", "{tmp}/no/such/folder/deck.pptx"], "does not exist"),
        (["slides", "-o", "{tmp}"], "is a folder"),
        (["slides", "--year", "1999", "-o", "{tmp}/d.pptx"], "year(s) [1999] not in the data"),
        (["slides", "--actor", "Nobody", "-o", "{tmp}/d.pptx"], "unknown actor(s) ['Nobody']"),
        (["slides", "--from", "2025-12-01", "--to", "2025-11-01", "-o", "{tmp}/d.pptx"], "is after --to"),
        (["slides", "--shade", "killed", "-o", "{tmp}/d.pptx"], "regional map only"),
        (["slides", "--dataset", "nope", "-o", "{tmp}/d.pptx"], "unknown dataset(s) 'nope'"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line_each(tmp_path, capsys, args, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err, err
    # One line per problem, each naming the command (a folder as output is also not a .pptx).
    assert all(line.startswith("panjwatch slides: ") for line in err.strip().splitlines()), err
    assert not any(tmp_path.iterdir()), "nothing is written on bad arguments"


@pytest.mark.parametrize(
    "args",
    [["slides"], ["slides", "--page", "world", "-o", "d.pptx"], ["slides", "--type", "riot", "-o", "d.pptx"]],
)
def test_cli_argparse_errors_exit_2(capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


# ---------------------------------------------------------------------------------- the app


def test_download_button_gives_the_cli_bytes(monkeypatch, tmp_path):
    """The panel's "Slides (PowerPoint)" button is built on click only, from the CLI's service."""
    from streamlit.elements.widgets.button import ButtonMixin

    from tests.apptest import run_app

    seen = {}
    original = ButtonMixin.download_button

    def spy(self, label, data, *args, **kwargs):
        seen[kwargs.get("key")] = (label, data, kwargs.get("file_name"))
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", spy)
    run_app({"year": "2024"}, "pages/sector_map.py")
    label, make, name = seen["sector-dl-slides"]
    assert label == "Slides (PowerPoint)" and callable(make)  # deferred: nothing built yet
    assert name.startswith("panjwatch-slides-2024-") and name.endswith(".pptx")
    out = tmp_path / "deck.pptx"
    assert main(["slides", "--year", "2024", "-o", str(out)]) == 0
    assert make() == out.read_bytes()
