"""Data text is inert in every file the app or the CLI writes, tested with the one shared payload list.

:mod:`tests.test_sinks` covers deck.gl JSON and the offline HTML map; this file
covers the rest, each sink against every payload of :mod:`tests.payloads` in every
text field it shows: SVG, PDF and PNG snapshots, the briefing pack PDF, the
timeline PNG/SVG, the CSV exports (events, claims, places) and the rejects file
kept in the store, the GeoPackage, the PowerPoint deck, the command line's output,
and the Streamlit pages with a hostile imported dataset.

What "inert" means per sink: an SVG parses as XML and has no script, event
handler or link from data, and its text is the payload drawn literally (controls
and bidi overrides as visible escapes, ``$`` not read as math); a PDF has no
JavaScript, URI or Launch action and its text is extractable as drawn; a CSV cell
never starts a formula (negative numbers stay numbers); a GeoPackage holds the
text as is (NUL as U+FFFD, said in its metadata); terminal output escapes controls;
Markdown never carries a live link or image; a PPTX is well-formed XML in every part,
with no control character, hyperlink or external target, and its text runs are the
payload drawn literally.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from functools import cache

import matplotlib
import matplotlib.image as mpimg
import pytest

from geo.query.filters import Filters
from geo.render.snapshot import RC, RC_LOCK, SnapshotRequest, compose, render, snapshot
from geo.report.text import drawn
from tests.payloads import (
    FORMULA_PAYLOADS,
    PAYLOAD_CASES,
    PAYLOAD_IDS,
    PAYLOADS,
    mixed_bundles,
    payload_bundle,
)

#: Characters that must never reach a drawing raw (they would break XML, reorder or hide text).
RAW_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
#: A small page: the text path is the same at every size, and drawing is faster.
SMALL = dict(width_px=960, height_px=540, dpi=96)


def hostile(bundle, payload: str):
    """The bundle with ``payload`` in every event, claim, place and actor text, and filters naming it."""
    return payload_bundle(bundle, payload, actors=True), Filters(actors=(payload,))


@cache
def _session_bundle():
    from geo.data.load import load_bundle
    from geo.data.paths import DATA_DIR, default_seeds_dir

    return load_bundle(DATA_DIR, default_seeds_dir())


@cache
def drawn_snapshots() -> dict:
    """Every payload's snapshot (``payload`` as the title, in the filters and in every data field).

    Each figure is composed once and saved as SVG and PNG, as :func:`geo.render.snapshot.snapshot`
    does for one format (composing does not depend on the format), and added as one
    page of a PDF (as the briefing pack adds its maps): embedding the fonts is most
    of a PDF's cost, paid here once instead of 28 times. Returns
    ``{payload: {"svg": bytes, "png": bytes}, "pdf": bytes}`` (page ``i`` is payload ``i``).
    """
    from matplotlib.backends.backend_pdf import PdfPages

    from geo.render.snapshot import METADATA

    out: dict = {}
    pdf_buf = io.BytesIO()
    with RC_LOCK, matplotlib.rc_context(RC), PdfPages(pdf_buf, metadata=dict(METADATA["pdf"])) as pdf:
        for payload in PAYLOADS:
            b, f = hostile(_session_bundle(), payload)
            req = SnapshotRequest(page="sector", filters=f, title=payload, **SMALL)
            fig, _layout, _info = compose(b, req)
            out[payload] = {fmt: render(fig, fmt, title=req.title) for fmt in ("svg", "png")}
            pdf.savefig(fig)
    out["pdf"] = pdf_buf.getvalue()
    return out


# ------------------------------------------------------------------------------ SVG

SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_checked(data: bytes) -> tuple[ET.Element, str]:
    """Parse ``data`` (it must be well-formed XML); assert nothing in it is active; return root and text."""
    root = ET.fromstring(data)
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        assert tag not in ("script", "foreignobject", "a", "iframe", "object", "embed"), tag
        for attr, value in el.attrib.items():
            name = attr.rsplit("}", 1)[-1].lower()
            assert not name.startswith("on"), f"event handler {attr}={value[:60]!r}"
            if name == "href":
                assert value.startswith(("#", "data:image/png;base64,")), f"href {value[:60]!r}"
            if name in ("src", "action", "formaction", "style", "filter", "mask", "clip-path"):
                # (Text in aria-label/description attributes is only text.)
                assert "javascript:" not in value.lower() and "url(http" not in value.lower(), (
                    f"{attr}={value[:60]!r}"
                )
    text = "\n".join("".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))
    return root, text


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_svg_snapshot_is_well_formed_inert_and_literal(payload):
    data = drawn_snapshots()[payload]["svg"]
    root, text = svg_checked(data)
    doc = data.decode("utf-8")
    assert not RAW_HIDDEN.search(doc), "a control or bidi character reached the SVG raw"
    # The title is the payload whole, drawn literally: escapes for controls, `$` as a `$`.
    assert drawn(payload) in text.split("\n")
    # The payload also reaches the map's numbered key and labels (not just the title).
    assert text.count(drawn(payload)[:8]) >= 2, "the payload never reached the map's text"
    if "$" in payload:
        assert "$x^2$" in text, "dollar signs were read as math"
    # Text stays text (svg.fonttype "none"): no glyph outlines, which mathtext would need.
    assert 'id="DejaVuSans' not in doc


@pytest.mark.parametrize("page", ["regional", "sector"])
def test_svg_snapshot_of_mixed_payloads(bundle, page):
    """Every payload at once, one per event, on both map pages (place labels, key, claims)."""
    seen = set()
    for b in mixed_bundles(bundle):
        data = snapshot(b, SnapshotRequest(page=page, fmt="svg", **SMALL))
        _root, text = svg_checked(data)
        assert not RAW_HIDDEN.search(data.decode("utf-8"))
        seen.update(p for p in PAYLOADS if drawn(p)[:8] in text)
    assert len(seen) >= len(PAYLOADS) // 2, f"only {len(seen)} payloads reached the map's text"


def test_cli_snapshot_svg_with_hostile_title(tmp_path, capsys):
    from geo.cli.main import main

    payload = "<script>alert(1)</script> $x$ \x1b[31m\u202e"
    out = tmp_path / "map.svg"
    assert (
        main(
            [
                "snapshot",
                "--page",
                "sector",
                "--width",
                "960",
                "--height",
                "540",
                "--dpi",
                "96",
                "--title",
                payload,
                "-o",
                str(out),
            ]
        )
        == 0
    )
    _root, text = svg_checked(out.read_bytes())
    assert drawn(payload) in text.split("\n")
    assert "\x1b" not in capsys.readouterr().out


# ------------------------------------------------------------------------------ PDF

#: PDF names that make a viewer run code, open a link or start a program.
PDF_ACTIONS = frozenset(
    ("/JavaScript", "/JS", "/URI", "/Launch", "/OpenAction", "/AA", "/SubmitForm", "/GoToR", "/Names")
)


def _pdf_actions(obj, seen: set, found: list) -> None:
    """Collect every action name used as a key or a name value in the objects reachable from ``obj``.

    Walks the parsed object graph (what a viewer reads), not the raw bytes, whose
    compressed streams can hold any byte sequence, ``/JS(`` included.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    if isinstance(obj, IndirectObject):
        key = (obj.idnum, obj.generation)
        if key in seen:
            return
        seen.add(key)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):  # stream objects too (their dictionary)
        for k, v in obj.items():
            if k in PDF_ACTIONS:
                found.append(k)
            _pdf_actions(v, seen, found)
    elif isinstance(obj, ArrayObject):
        for v in obj:
            _pdf_actions(v, seen, found)
    elif isinstance(obj, NameObject) and obj in PDF_ACTIONS:
        found.append(str(obj))


def pdf_checked(data: bytes):
    """Assert the PDF has no action or annotation; return (reader, extracted text of every page)."""
    import pypdf

    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    found: list[str] = []
    _pdf_actions(reader.trailer, set(), found)
    assert not found, f"action names in the PDF: {sorted(set(found))}"
    for page in reader.pages:
        # matplotlib writes an /Annots array on every page (for ``url=`` links); it must stay empty.
        annots = page.get("/Annots")
        assert annots is None or len(annots.get_object()) == 0, "a page has annotations (links)"
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_check_finds_an_action_that_a_viewer_would_run():
    import pypdf
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    w = pypdf.PdfWriter()
    w.add_blank_page(72, 72)
    w._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(AssertionError, match="action names"):
        pdf_checked(buf.getvalue())


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def snapshot_pdf_pages() -> list[str]:
    _reader, _text = pdf_checked(drawn_snapshots()["pdf"])
    return [page.extract_text() for page in _reader.pages]


@pytest.mark.parametrize("i", range(len(PAYLOADS)), ids=PAYLOAD_IDS)
def test_pdf_snapshot_is_inert_and_its_text_literal(i):
    text = snapshot_pdf_pages()[i]
    # Extraction drops spaces unevenly; the drawn characters are all there, in order.
    assert squash(drawn(PAYLOADS[i])) in squash(text)
    assert not RAW_HIDDEN.search(text)


@pytest.mark.parametrize("name", ["bidi", "nul", "control", "math", "html-script", "newline"])
def test_pdf_snapshot_file_metadata_is_drawn_text(bundle, name):
    """``snapshot(fmt="pdf")`` whole: the title and subject (filters) metadata are escaped too."""
    payload = dict(PAYLOAD_CASES)[name]
    b, f = hostile(bundle, payload)
    data = snapshot(b, SnapshotRequest(page="regional", filters=f, title=payload, fmt="pdf", **SMALL))
    reader, text = pdf_checked(data)
    assert reader.metadata.title == drawn(payload)
    assert drawn(payload) in reader.metadata.subject
    assert squash(drawn(payload)) in squash(text)


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_png_snapshot_renders(payload):
    data = drawn_snapshots()[payload]["png"]
    img = mpimg.imread(io.BytesIO(data), format="png")
    assert img.shape[:2] == (SMALL["height_px"], SMALL["width_px"])


# ---------------------------------------------------------------------- briefing pack


def pack_checked(data: bytes) -> str:
    reader, text = pdf_checked(data)
    assert not RAW_HIDDEN.search(text)
    assert not RAW_HIDDEN.search(reader.metadata.subject or "")
    # The timeline is drawn, not left out because a payload broke it.
    assert "Timeline not included" not in text
    return text


@pytest.mark.parametrize("name", ["nul", "control", "bidi", "md-link"])
def test_briefing_pack_with_one_payload_everywhere(bundle, name):
    """Every text field, every actor and the filters carry the payload (maps left out: tested above)."""
    from geo.render.briefpack import briefing_pack

    payload = dict(PAYLOAD_CASES)[name]
    b, f = hostile(bundle, payload)
    text = pack_checked(briefing_pack(b, f, maps=()))
    # The payload is in the narrative and the who-said-what columns, as drawn.
    assert squash(drawn(payload))[:30] in squash(text)


def test_briefing_pack_with_every_payload(bundle):
    """The mixed bundles (one payload per event): the whole pack renders, inert (map pages: tested above)."""
    from geo.render.briefpack import briefing_pack

    seen = set()
    for b in mixed_bundles(bundle):
        text = squash(pack_checked(briefing_pack(b, Filters(), maps=())))
        seen.update(p for p in PAYLOADS if squash(drawn(p))[:12] in text)
    assert len(seen) >= len(PAYLOADS) // 2, f"only {len(seen)} payloads reached the pack's text"


# ---------------------------------------------------------------------------- timeline


def timeline_inputs(b, f):
    from geo.query.selection import select
    from geo.render.timeline.imported import split_imported

    sel = select(b, f)
    marked, _counted = split_imported(sel.events)
    return marked, sel.claims


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_timeline_svg_is_well_formed_inert_and_literal(bundle, payload):
    """vl-convert aborted the whole process (a Rust panic, no exception) on a NUL in any label."""
    from geo.render.timeline.export import timeline_svg

    b, f = hostile(bundle, payload)
    svg = timeline_svg(*timeline_inputs(b, f), f)
    _root, text = svg_checked(svg.encode("utf-8"))
    assert not RAW_HIDDEN.search(svg)
    assert drawn(payload)[:8] in text, "the payload never reached the timeline's text"
    assert int(re.search(r'<svg[^>]* width="(\d+)', svg)[1]) < 4000, "data text stretched the chart"


def test_timeline_png_with_every_payload(bundle):
    from geo.render.timeline.export import timeline_png

    for b in mixed_bundles(bundle):
        f = Filters()
        img = mpimg.imread(io.BytesIO(timeline_png(*timeline_inputs(b, f), f, scale=1)), format="png")
        assert 500 < img.shape[1] < 4000


# -------------------------------------------------------------------------------- CSV

#: What a spreadsheet runs as a formula, written here independently of geo.export.tables's own check.
_LIVE_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def live_formula(cell: str) -> bool:
    """Would Excel or LibreOffice (with "trim spaces") read ``cell`` as a formula?"""
    if not cell:
        return False
    try:
        float(cell)
        return False  # a plain number: "-70.5" is read as the number
    except ValueError:
        pass
    return cell.startswith(_LIVE_START) or cell.lstrip(" \u00a0\u3000").startswith(_LIVE_START)


def read_csv_cells(data: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return rows[0], rows[1:]


def assert_csv_safe(data: bytes, payload: str, text_columns) -> None:
    header, rows = read_csv_cells(data)
    assert rows, "no rows"
    for r in rows:
        assert len(r) == len(header), "a cell split the row"
        for col, cell in zip(header, r, strict=True):
            assert not live_formula(cell), f"{col}: live formula {cell[:40]!r}"
            if col in text_columns:
                # Text otherwise intact: the payload itself, or behind the one quote that neutralises it.
                assert cell in (payload, "'" + payload) or cell.startswith(
                    (payload + "#", "'" + payload + "#")
                ), f"{col}: {cell[:40]!r}"


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_csv_exports_neutralise_formulas_and_keep_text(bundle, payload):
    from geo.export.tables import to_csv_bytes
    from geo.query.selection import select
    from tests.payloads import CLAIM_TEXT_FIELDS, EVENT_TEXT_FIELDS

    b, f = hostile(bundle, payload)
    sel = select(b, f)
    assert len(sel.events) == len(bundle.events)
    events_csv = to_csv_bytes(sel.events)
    assert_csv_safe(events_csv, payload, EVENT_TEXT_FIELDS)
    assert_csv_safe(to_csv_bytes(sel.claims), payload, CLAIM_TEXT_FIELDS)
    assert_csv_safe(to_csv_bytes(b.places), payload, ("name",))
    # Numbers stay numbers: coordinates (negative ones included, as a spreadsheet reads them).
    header, rows = read_csv_cells(events_csv)
    for col in ("latitude", "longitude", "fatalities"):
        i = header.index(col)
        assert all(r[i] == "" or float(r[i]) == float(r[i]) for r in rows)


def test_csv_keeps_negative_numbers_and_numeric_text_as_numbers():
    import pandas as pd

    from geo.export.tables import to_csv_bytes

    df = pd.DataFrame(
        {"lon": [-70.5, 71.25], "n": [-3, 4], "text": ["-12", "+3"], "f": [FORMULA_PAYLOADS[0], "-1e-3"]}
    )
    header, rows = read_csv_cells(to_csv_bytes(df))
    assert rows == [["-70.5", "-3", "-12", "'" + FORMULA_PAYLOADS[0]], ["71.25", "4", "+3", "-1e-3"]]


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_rejects_file_in_the_store_is_formula_safe(tmp_path, payload):
    import pandas as pd

    from geo.data.store import Store
    from tests.storekit import KHWAHAN, put

    store = Store(tmp_path / "store")
    rejects = pd.DataFrame(
        {
            "row": [2, 3, 4],
            "field": [payload, "fatalities", "longitude"],
            "value": [payload, "-5", "-70.25"],
            "problem": [payload, "negative count", "outside the region"],
        }
    )
    put(store, "hostile", [{"lat": KHWAHAN[0], "lon": KHWAHAN[1]}], rejects=rejects)
    data = store.rejects_path("hostile").read_bytes()
    header, rows = read_csv_cells(data)
    for r in rows:
        for col, cell in zip(header, r, strict=True):
            assert not live_formula(cell), f"{col}: live formula {cell[:40]!r}"
    first = dict(zip(header, rows[0], strict=True))
    assert {first[c] for c in ("field", "value", "problem")} <= {payload, "'" + payload}
    # Negative numbers stay numbers.
    assert [r[header.index("value")] for r in rows[1:]] == ["-5", "-70.25"]


# -------------------------------------------------------------------------- GeoPackage


def test_geopackage_holds_every_payload_as_text(bundle, tmp_path):
    """All payloads in one file per mixed bundle: text read back equal (NUL as U+FFFD, as documented)."""
    import pyogrio

    from geo.export.gpkg import LAYERS, NUL_REPLACEMENT, write_gpkg
    from geo.export.tables import flat_table
    from geo.query.selection import select

    seen = set()
    for k, b in enumerate(mixed_bundles(bundle)):
        path = tmp_path / f"hostile-{k}.gpkg"
        write_gpkg(path, b, Filters())
        # Layer names are ours, whatever the data says.
        assert [name for name, _ in pyogrio.list_layers(path)] == list(LAYERS)
        sel = select(b, Filters())
        got = pyogrio.read_dataframe(path, layer="events")
        want = flat_table(sel.events).reset_index(drop=True)
        # Field names are ours too (the columns of the events table), never a data value.
        assert set(got.columns) - {"geometry"} == set(want.columns)
        for col in ("notes", "location", "actor1", "source", "event_id"):
            expected = want[col].str.replace("\x00", NUL_REPLACEMENT, regex=False).tolist()
            assert got[col].tolist() == expected, col
            seen.update(p for p in PAYLOADS if p.replace("\x00", NUL_REPLACEMENT) in expected)
        claims = pyogrio.read_dataframe(path, layer="claims", read_geometry=False)
        assert claims["quote"].tolist() == [
            q.replace("\x00", NUL_REPLACEMENT) for q in sel.claims["quote"].reset_index(drop=True)
        ]
        meta = pyogrio.read_dataframe(path, layer="metadata", read_geometry=False)
        assert "U+FFFD" in dict(zip(meta["key"], meta["value"], strict=True))["text"]
    assert seen == set(PAYLOADS), set(PAYLOADS) - seen


# -------------------------------------------------------------------------------- PPTX


def test_pptx_deck_with_every_payload(bundle):
    """The mixed bundles (one payload per event): every part well-formed and inert, text literal."""
    from geo.render.slides import build_slides
    from tests.test_slides import read, slide_text, xml_checked

    seen = set()
    for b in mixed_bundles(bundle):
        data = build_slides(b, Filters())
        xml_checked(data)
        text = "\n".join(slide_text(s) for s in read(data).slides)
        seen.update(p for p in PAYLOADS if drawn(p)[:12] in text)
    assert len(seen) >= len(PAYLOADS) // 2, f"only {len(seen)} payloads reached the deck's text"


# ----------------------------------------------------------------------- command line

#: What must never reach a terminal raw: C0/C1 controls (ESC starts every ANSI sequence) and bidi.
TERMINAL_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CLI_PAYLOAD = "bell\x07 esc\x1b[31m red\x1b[2J \u202eRLO \x00nul\r\ncr"  # no ";": it separates actors


@pytest.fixture
def hostile_store(tmp_path, monkeypatch):
    """A store (``$PANJWATCH_STORE``) holding dataset ``evil``: payloads in its text and its source name."""
    from geo.data.importers.enrichment import enrich_imported
    from geo.data.paths import DATA_DIR
    from geo.data.store import Store, shapes_version
    from tests.storekit import KHWAHAN, events, shapes

    root = tmp_path / "store"
    monkeypatch.setenv("PANJWATCH_STORE", str(root))
    fields = {c: CLI_PAYLOAD for c in ("notes", "location", "actor1", "source", "assoc_actor_1")}
    gdf = enrich_imported(events("evil", [{"lat": KHWAHAN[0], "lon": KHWAHAN[1], **fields}]), *shapes())
    Store(root).write(
        "evil",
        gdf,
        fmt="acled",
        source_name=CLI_PAYLOAD + ".csv",
        source_sha256="0" * 64,
        shapes_version=shapes_version(DATA_DIR),
    )
    return root


def run_cli(capsys, argv) -> tuple[int, str]:
    from geo.cli.main import main

    code = main(argv)
    cap = capsys.readouterr()
    text = cap.out + cap.err
    raw = TERMINAL_RAW.search(text)
    assert not raw, (
        f"{argv[:2]}: raw {raw.group()!r} on the terminal: {text[max(raw.start() - 60, 0) : raw.end() + 20]!r}"
    )
    return code, text


def test_cli_datasets_listing_escapes_data(hostile_store, capsys):
    code, text = run_cli(capsys, ["datasets"])
    assert code == 0 and "evil\t" in text and "\\x1b[31m" in text and "\\u202e" in text


@pytest.mark.parametrize("table", ["events", "claims", "places"])
def test_cli_export_messages_escape_actor_names(hostile_store, capsys, tmp_path, table):
    code, text = run_cli(
        capsys,
        [
            "export",
            "--format",
            "csv",
            "--table",
            table,
            "--actor",
            CLI_PAYLOAD,
            "-o",
            str(tmp_path / "x.csv"),
        ],
    )
    assert code == 0 and "filters: actor bell\\x07 esc\\x1b[31m" in text


def test_cli_export_unknown_actor_and_gpkg_escape(hostile_store, capsys, tmp_path):
    code, _text = run_cli(
        capsys, ["export", "--format", "csv", "--actor", "x\x1b[2J", "-o", str(tmp_path / "x.csv")]
    )
    assert code == 2
    code, text = run_cli(
        capsys, ["export", "--format", "gpkg", "--actor", CLI_PAYLOAD, "-o", str(tmp_path / "x.gpkg")]
    )
    assert code == 0 and "\\x1b" in text


def test_cli_snapshot_brief_and_slides_messages_escape(hostile_store, capsys, tmp_path):
    small = ["--width", "960", "--height", "540", "--dpi", "96"]
    code, text = run_cli(capsys, ["snapshot", "--actor", CLI_PAYLOAD, *small, "-o", str(tmp_path / "x.png")])
    assert code == 0 and "\\x1b[31m" in text
    code, text = run_cli(
        capsys, ["brief", "--actor", CLI_PAYLOAD, "--maps", "", "-o", str(tmp_path / "b.pdf")]
    )
    assert code == 0 and "\\x1b[31m" in text
    pack_checked((tmp_path / "b.pdf").read_bytes())
    code, text = run_cli(capsys, ["slides", "--actor", CLI_PAYLOAD, "-o", str(tmp_path / "d.pptx")])
    assert code == 0 and "\\x1b[31m" in text
    from tests.test_slides import xml_checked

    xml_checked((tmp_path / "d.pptx").read_bytes())


def test_cli_import_messages_escape_header_names_and_values(tmp_path, capsys):
    """Header names and cell values of a hostile file are named in messages, escaped."""
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "event_id_cnty,event_date,year,x\x1b[2Jy,\u202eabc\n1,2024-01-01,2024,a,b\n", encoding="utf-8"
    )
    code, text = run_cli(
        capsys, ["import", "--format", "acled", str(bad), "--dataset", "bad", "--store", str(tmp_path / "s")]
    )
    assert code == 1 and "x\\x1b[2Jy" in text and "\\u202eabc" in text


# ---------------------------------------------------------------------- Streamlit pages

APP_PAGES = [
    "pages/briefing.py",
    "pages/regional_map.py",
    "pages/sector_map.py",
    "pages/incidents.py",
    "pages/timeline.py",
    "pages/frontier.py",
    "pages/sources.py",
    "pages/import_data.py",
]
#: A live Markdown link or image: ``](http`` or ``![`` with no backslash escaping it.
LIVE_MARKDOWN = re.compile(r"(?<!\\)!(?<!\\)\[|(?<!\\)\]\s*(?<!\\)\(\s*(?:https?|javascript|data):", re.I)


@pytest.fixture
def payload_store(tmp_path, monkeypatch):
    """A store (``$PANJWATCH_STORE``) holding dataset ``hostile``: one event per payload, every text field it."""
    import pandas as pd

    from geo.data.store import Store
    from tests.storekit import KHWAHAN, put

    root = tmp_path / "store"
    monkeypatch.setenv("PANJWATCH_STORE", str(root))
    fields = ("notes", "location", "admin2", "actor1", "actor2", "assoc_actor_1", "source", "sub_event_type")
    rows = [
        {
            "lat": KHWAHAN[0] + i * 0.01,
            "lon": KHWAHAN[1],
            "date": f"2024-03-{i % 28 + 1:02d}",
            **dict.fromkeys(fields, p),
        }
        for i, p in enumerate(PAYLOADS, start=1)
    ]
    rejects = pd.DataFrame(
        {
            "row": range(2, 2 + len(PAYLOADS)),
            "field": list(PAYLOADS),
            "value": list(PAYLOADS),
            "problem": list(PAYLOADS),
        }
    )
    put(Store(root), "hostile", rows, rejects=rejects)
    return root


def markdown_bodies(at) -> list[str]:
    """The Markdown source of every element Streamlit renders as Markdown."""
    out = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "subheader",
        "header",
        "title",
    ):
        out += [str(el.value) for el in getattr(at, kind)]
    for kind in ("expander", "tabs"):
        out += [str(getattr(el, "label", "")) for el in getattr(at, kind)]
    return out


@pytest.mark.parametrize("page", APP_PAGES)
def test_pages_with_a_hostile_dataset_show_no_exception_and_no_live_markdown(payload_store, page):
    from tests.apptest import run_app

    params = {"event": "hostile:4"} if page in ("pages/incidents.py", "pages/sector_map.py") else None
    at = run_app(params=params, page=page)
    for body in markdown_bodies(at):
        live = LIVE_MARKDOWN.search(body)
        assert not live, f"{page}: live Markdown {body[max(live.start() - 40, 0) : live.end() + 40]!r}"
        assert "\x00" not in body and "\x1b" not in body and "\u202e" not in body, (
            f"{page}: raw control in {body[:80]!r}"
        )


# ----------------------------------------------------------------------------- GeoJSON


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_geojson_export_carries_the_payload_as_plain_json_text(bundle, payload):
    import json

    from geo.export.tables import to_geojson_bytes
    from geo.query.selection import select

    b, f = hostile(bundle, payload)
    sel = select(b, f)
    doc = json.loads(to_geojson_bytes(sel.events, "provenance: " + payload))
    assert doc["provenance"] == "provenance: " + payload
    props = [feat["properties"] for feat in doc["features"]]
    assert len(props) == len(sel.events)
    assert all(p["notes"] == payload and p["location"] == payload for p in props)
