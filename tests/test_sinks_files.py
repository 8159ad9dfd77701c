"""Data text is inert in every file the app or the CLI writes, tested with the one shared payload list.

:mod:`tests.test_sinks` covers deck.gl JSON and the offline HTML map; this file
covers the rest, each sink against every payload of :mod:`tests.payloads` in every
text field it shows: SVG, PDF and PNG snapshots, the briefing pack PDF, the
timeline PNG/SVG, the CSV exports (events, claims, places) and the rejects file
kept in the store, the GeoPackage, the command line's output, and the Streamlit
pages with a hostile imported dataset. (There is no PPTX export.)

What "inert" means per sink: an SVG parses as XML and has no script, event
handler or link from data, and its text is the payload drawn literally (controls
and bidi overrides as visible escapes, ``$`` not read as math); a PDF has no
JavaScript, URI or Launch action and its text is extractable as drawn; a CSV cell
never starts a formula (negative numbers stay numbers); a GeoPackage holds the
text as is (NUL as U+FFFD, said in its metadata); terminal output escapes controls;
Markdown never carries a live link or image.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from functools import cache

import matplotlib
import matplotlib.image as mpimg
import pytest

from geo.filters import Filters
from geo.snapshot import RC, RC_LOCK, SnapshotRequest, compose, render, snapshot
from geo.text import drawn
from tests.payloads import (
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
    from geo.load import load_bundle
    from geo.paths import DATA_DIR, default_seeds_dir

    return load_bundle(DATA_DIR, default_seeds_dir())


@cache
def drawn_snapshots() -> dict:
    """Every payload's snapshot (``payload`` as the title, in the filters and in every data field).

    Each figure is composed once and saved as SVG and PNG, as :func:`geo.snapshot.snapshot`
    does for one format (composing does not depend on the format), and added as one
    page of a PDF (as the briefing pack adds its maps): embedding the fonts is most
    of a PDF's cost, paid here once instead of 28 times. Returns
    ``{payload: {"svg": bytes, "png": bytes}, "pdf": bytes}`` (page ``i`` is payload ``i``).
    """
    from matplotlib.backends.backend_pdf import PdfPages

    from geo.snapshot import METADATA

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
            assert "javascript:" not in value.lower(), f"{attr}={value[:60]!r}"
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
    from geo.cli import main

    payload = "<script>alert(1)</script> $x$ \x1b[31m\u202e"
    out = tmp_path / "map.svg"
    assert main(["snapshot", "--page", "sector", "--width", "960", "--height", "540", "--dpi", "96",
                 "--title", payload, "-o", str(out)]) == 0
    _root, text = svg_checked(out.read_bytes())
    assert drawn(payload) in text.split("\n")
    assert "\x1b" not in capsys.readouterr().out


# ------------------------------------------------------------------------------ PDF

#: PDF names that make a viewer run code, open a link or start a program.
PDF_ACTIONS = (b"/JavaScript", b"/JS", b"/URI", b"/Launch", b"/OpenAction", b"/AA", b"/SubmitForm", b"/GoToR")


def pdf_checked(data: bytes):
    """Assert the PDF has no action or annotation; return (reader, extracted text of every page)."""
    import pypdf

    assert data.startswith(b"%PDF-")
    for name in PDF_ACTIONS:
        assert not re.search(re.escape(name) + rb"[\s/<(\[]", data), f"{name.decode()} in the PDF"
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        # matplotlib writes an /Annots array on every page (for ``url=`` links); it must stay empty.
        annots = page.get("/Annots")
        assert annots is None or len(annots.get_object()) == 0, "a page has annotations (links)"
    assert "/Names" not in reader.trailer["/Root"] and "/OpenAction" not in reader.trailer["/Root"]
    return reader, "\n".join(page.extract_text() for page in reader.pages)


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
