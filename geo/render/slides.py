"""The selection as a 16:9 PowerPoint deck (issue 12): map, timeline, key figures, who says what.

Slides, in order:

1. the title and a map snapshot (:func:`geo.render.snapshot.snapshot`, a PNG drawn at the
   slide's resolution), with the filter summary line and the attribution under it;
2. the timeline (the briefing pack's image, :func:`geo.render.briefpack.timeline_image`);
3. the key figures (:func:`geo.report.stats.key_figures`) with what each counts and what the
   figures leave out, as the Briefing page states them, under its lead sentence;
4. who says what: one native table row per claim of the selection
   (:func:`geo.report.narrative.claims_rows`), each attributed to its outlet and date. A
   selection with more than :data:`CLAIM_ROWS_PER_SLIDE` claims continues on further
   slides ("Who says what (2 of 3)") rather than running off the bottom of one.

Each slide's notes list the sources it draws on (outlet, headline, date, tier: never a
file name) and the selection. Nothing here computes a figure, a caption or a label: they
come from :mod:`geo.report`, as in the briefing pack and the Briefing page.

Every string from data goes in as a plain text run (python-pptx XML-escapes it) after
:func:`geo.report.text.drawn`, which writes controls, bidi overrides and the other
characters XML 1.0 cannot hold (NUL, ESC, lone surrogates) as visible escapes, so hostile
data can neither corrupt the file nor reorder its text. Long values are clipped
(:func:`geo.report.text.clipped`): a slide summarises, the data exports hold every record
whole. The file is deterministic: same bundle and selection → same bytes (fixed document
dates and zip timestamps).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import geopandas as gpd
import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from geo.data.load import Bundle
from geo.query.filters import Filters
from geo.query.selection import Selection, select
from geo.render.briefpack import DEFAULT_MAPS, TITLE, timeline_image
from geo.render.snapshot import SnapshotRequest, snapshot
from geo.report.narrative import briefing_lead, claims_rows, heading
from geo.report.provenance import ATTRIBUTION, cited_sources, data_as_of, selection_line
from geo.report.stats import TOTALS_RULE, key_figures
from geo.report.text import clipped, drawn
from geo.report.wording import source_label
from geo.spatial.scope import imported_mask

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#: 16:9 at PowerPoint's default widescreen size (13.333 × 7.5 in).
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.4)
TITLE_TOP, TITLE_H = Inches(0.25), Inches(0.75)
BODY_TOP = Inches(1.05)
FOOTER_H = Inches(0.7)
#: Pixels per inch of the pictures: the map is drawn at 150 dpi, the snapshot's slide preset.
MAP_DPI = 150
#: Rows of the claims table on one slide (at 8 pt, two or three lines a row, they fill it).
CLAIM_ROWS_PER_SLIDE = 12
CLAIMS_TITLE = "Who says what"
#: Characters per table cell, per headline figure line and per "left out" line: the deck
#: summarises; a 20,000-character note must not push the table off the slide.
CELL_CHARS = {"event": 90, "who": 120, "says": 40, "about": 90, "claim": 240, "source": 110}
LINE_CHARS = 400
#: Longest document property (title, subject …) the PPTX core properties may hold.
PROPERTY_CHARS = 255
#: Claims table columns: key of :func:`claims_rows` (``event``: the event's heading), header, width.
CLAIM_COLUMNS = (
    ("event", "Event", Inches(1.9)),
    ("who", "Who", Inches(2.0)),
    ("says", "Says", Inches(0.95)),
    ("about", "About", Inches(1.75)),
    ("claim", "Claim", Inches(4.33)),
    ("source", "Source", Inches(1.6)),
)
INK = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x66, 0x66, 0x66)
#: Document dates and zip entry times: fixed, so the same selection gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def text(value: object, limit: int | None = None) -> str:
    """``value`` as a slide shows it: clipped to ``limit`` characters, controls as visible escapes."""
    return drawn(value if limit is None else clipped(value, limit))


def _line(tf, s: str, size: float, bold: bool = False, italic: bool = False, colour=INK, first=False):
    """One paragraph of one plain run in text frame ``tf`` (the first paragraph if ``first``)."""
    p = tf.paragraphs[0] if first else tf.add_paragraph()
    run = p.add_run()
    run.text = s  # plain text: python-pptx escapes it for XML
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = colour
    return p


def _box(slide, left, top, width, height, lines, wrap: bool = True):
    """A text box holding ``lines`` of ``(text, size, style)``; style is "", "bold" or "italic"."""
    tf = slide.shapes.add_textbox(left, top, width, height).text_frame
    tf.word_wrap = wrap
    for i, (s, size, style, colour) in enumerate(lines):
        _line(tf, s, size, style == "bold", style == "italic", colour, first=i == 0)
    return tf


def _title(slide, s: str, size: float = 26.0) -> None:
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H
    tf = t.text_frame
    tf.word_wrap = True
    tf.paragraphs[0].text = ""
    run = tf.paragraphs[0].add_run()
    run.text = s
    run.font.size = Pt(size)
    run.font.bold = True
    run.font.color.rgb = INK


def _picture(slide, png: bytes, left, top, max_w, max_h):
    """``png`` fitted into the box (aspect kept), centred horizontally."""
    from PIL import Image

    w_px, h_px = Image.open(io.BytesIO(png)).size
    w = max_w
    h = int(w * h_px / w_px)
    if h > max_h:
        h, w = max_h, int(max_h * w_px / h_px)
    return slide.shapes.add_picture(io.BytesIO(png), left + (max_w - w) // 2, top, Emu(w), Emu(h))


def source_lines(bundle: Bundle, sources: pd.DataFrame) -> list[str]:
    """One line per cited source: outlet and date (:func:`source_label`), headline, tier, address."""
    out = []
    for _, r in sources.iterrows():
        bits = [source_label(r)]
        if r.get("headline"):
            bits.append(f"“{r['headline']}”")
        bits.append(f"{r['tier']} tier")
        if r.get("url"):
            bits.append(str(r["url"]))
        out.append(" · ".join(str(b) for b in bits))
    return out


def _notes(slide, bundle: Bundle, sel: Selection, sources: pd.DataFrame, extra: tuple[str, ...] = ()) -> None:
    """The slide's notes: the sources it draws on, then the selection (and ``extra`` lines)."""
    lines = ["Sources cited on this slide (outlet, date):"]
    lines += [f"– {text(s, LINE_CHARS)}" for s in source_lines(bundle, sources)] or [
        "– none in the catalogue"
    ]
    if imported_mask(sel.events).any():
        lines.append(
            "Imported events (ACLED, UCDP) carry their own source field, listed in the incidents table and the "
            "data exports."
        )
    lines += [text(selection_line(bundle, sel), LINE_CHARS), *(text(e, LINE_CHARS) for e in extra)]
    tf = slide.notes_slide.notes_text_frame
    _line(tf, lines[0], 12, first=True)
    for s in lines[1:]:
        _line(tf, s, 12)


def _footer(slide, lines) -> None:
    _box(slide, MARGIN, SLIDE_H - FOOTER_H - Inches(0.1), SLIDE_W - 2 * MARGIN, FOOTER_H, lines)


def _map_slide(prs, bundle, sel, req: SnapshotRequest, bands, sources) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    _title(slide, TITLE, 22.0)
    box_w, box_h = SLIDE_W - 2 * MARGIN, SLIDE_H - BODY_TOP - FOOTER_H - Inches(0.2)
    _picture(slide, snapshot(bundle, req, bands), MARGIN, BODY_TOP, box_w, box_h)
    _footer(
        slide,
        [
            (text(selection_line(bundle, sel), LINE_CHARS), 11.0, "", INK),
            (ATTRIBUTION + " Map: Web Mercator (EPSG:3857).", 9.0, "", MUTED),
        ],
    )
    _notes(slide, bundle, sel, sources, (ATTRIBUTION,))


def _timeline_slide(prs, bundle, sel, filters, sources) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, "Timeline")
    png, why = timeline_image(sel, filters)
    box_w, box_h = SLIDE_W - 2 * MARGIN, SLIDE_H - BODY_TOP - FOOTER_H - Inches(0.2)
    if png:
        _picture(slide, png, MARGIN, BODY_TOP, box_w, box_h)
    else:
        _box(slide, MARGIN, BODY_TOP, box_w, Inches(1), [(text(why, LINE_CHARS), 14.0, "italic", MUTED)])
    _footer(slide, [(text(f"Filters: {filters.summary()}", LINE_CHARS), 11.0, "", INK)])
    _notes(slide, bundle, sel, sources)


def _figures_slide(prs, bundle, sel, sources) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, "Key figures")
    kf = key_figures(sel.events)
    width = SLIDE_W - 2 * MARGIN
    _box(
        slide,
        MARGIN,
        BODY_TOP,
        width,
        Inches(1.2),
        [(text(briefing_lead(bundle, sel.events), 600), 15.0, "bold", INK)],
    )
    n, gap = len(kf.figures), Inches(0.15)
    w, top, h = (width - gap * (n - 1)) // n, Inches(2.45), Inches(2.1)
    for i, f in enumerate(kf.figures):
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN + i * (w + gap), top, w, h)
        card.fill.solid()
        card.fill.fore_color.rgb = RGBColor(0xF4, 0xF4, 0xF2)
        card.line.color.rgb = RGBColor(0xCC, 0xCC, 0xCC)
        card.shadow.inherit = False
        tf = card.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.TOP
        p = _line(tf, text(f.value), 30.0 if len(f.value) <= 9 else 20.0, bold=True, first=True)
        p.alignment = PP_ALIGN.LEFT
        _line(tf, text(f.label), 13.0, bold=True).alignment = PP_ALIGN.LEFT
        _line(tf, text(f.note, LINE_CHARS), 10.0, colour=MUTED).alignment = PP_ALIGN.LEFT
    caveats = [kf.scope, TOTALS_RULE, *kf.left_out]
    _box(
        slide,
        MARGIN,
        top + h + Inches(0.2),
        width,
        SLIDE_H - (top + h + Inches(0.3)),
        [(text(s, LINE_CHARS), 10.5, "italic", MUTED) for s in caveats],
    )
    _notes(slide, bundle, sel, sources, tuple(f"{f.label}: {f.value} ({f.note})" for f in kf.figures))


def claim_table_rows(bundle: Bundle, sel: Selection) -> pd.DataFrame:
    """The claims of the selection as the claims slides list them: :func:`claims_rows` plus ``event``.

    ``event`` is the heading of the event the claim is listed under (``"26 Nov 2025 — attack,
    Shamsiddin Shohin"``); ``source_id`` is kept for the notes.
    """
    rows = claims_rows(bundle, sel.claims)
    events = sel.events.set_index("event_id", drop=False)
    rows.insert(
        0,
        "event",
        [heading(events.loc[eid]) if eid in events.index else str(eid) for eid in sel.claims["event_id"]],
    )
    rows["source_id"] = list(sel.claims["source_id"])
    return rows


def _claims_slides(prs, bundle, sel) -> None:
    rows = claim_table_rows(bundle, sel)
    pages = [rows.iloc[i : i + CLAIM_ROWS_PER_SLIDE] for i in range(0, len(rows), CLAIM_ROWS_PER_SLIDE)] or [
        rows
    ]
    for k, page in enumerate(pages, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        _title(slide, CLAIMS_TITLE + (f" ({k} of {len(pages)})" if len(pages) > 1 else ""))
        width = SLIDE_W - 2 * MARGIN
        if page.empty:
            _box(
                slide,
                MARGIN,
                BODY_TOP,
                width,
                Inches(1),
                [("No claims recorded for this selection.", 14.0, "italic", MUTED)],
            )
        else:
            shape = slide.shapes.add_table(
                len(page) + 1, len(CLAIM_COLUMNS), MARGIN, BODY_TOP, width, Inches(0.3) * (len(page) + 1)
            )
            table = shape.table
            for j, (key, head, col_w) in enumerate(CLAIM_COLUMNS):
                table.columns[j].width = col_w
                cell = table.cell(0, j)
                cell.text_frame.paragraphs[0].text = ""
                _line(cell.text_frame, head, 10.0, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF), first=True)
                for i, value in enumerate(page[key], start=1):
                    cell = table.cell(i, j)
                    cell.margin_top = cell.margin_bottom = Inches(0.03)
                    cell.text_frame.word_wrap = True
                    _line(cell.text_frame, text(value, CELL_CHARS[key]), 8.0, first=True)
            for i in range(len(page) + 1):
                table.rows[i].height = Inches(0.3)
        first, last = (k - 1) * CLAIM_ROWS_PER_SLIDE + 1, (k - 1) * CLAIM_ROWS_PER_SLIDE + len(page)
        count = f"Claims {first}–{last} of {len(rows)}. " if len(pages) > 1 else ""
        _footer(
            slide,
            [
                (
                    count + "Claims are what a party says, not established facts; each is attributed to the "
                    "outlet that reported it.",
                    10.0,
                    "italic",
                    MUTED,
                )
            ],
        )
        cited = bundle.sources[bundle.sources["source_id"].isin(set(page["source_id"]))]
        _notes(slide, bundle, sel, cited)


def _fixed_zip(data: bytes) -> bytes:
    """``data`` (a zip) rewritten with fixed entry times, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def map_request(
    filters: Filters, page: str = DEFAULT_MAPS[0], layers=None, view=None, shade: str = "none"
) -> SnapshotRequest:
    """The first slide's map: ``page`` drawn as a PNG filling the slide's picture box at :data:`MAP_DPI`."""
    box_w = SLIDE_W - 2 * MARGIN
    box_h = SLIDE_H - BODY_TOP - FOOTER_H - Inches(0.2)
    width_px = round(box_w / Inches(1) * MAP_DPI)
    return SnapshotRequest(
        page=page,
        filters=filters,
        layers=layers,
        view=view,
        width_px=width_px,
        height_px=round(width_px * box_h / box_w),
        dpi=MAP_DPI,
        fmt="png",
        shade=shade,
    )


def build_slides(
    bundle: Bundle,
    filters: Filters,
    page: str = DEFAULT_MAPS[0],
    layers: tuple[str, ...] | None = None,
    view=None,
    shade: str = "none",
    bands: gpd.GeoDataFrame | None = None,
) -> bytes:
    """The 16:9 deck of ``filters`` as ``.pptx`` bytes.

    Parameters
    ----------
    bundle : Bundle
        Loaded data.
    filters : Filters
        The selection; every slide's footer or notes say which.
    page : {"sector", "regional"}
        The map page of the first slide (default: the briefing pack's first map).
    layers, view :
        Visible layers and :class:`geo.scene.view.View` of the map (default: the page's).
    shade : str
        Province shading of the regional map.
    bands : GeoDataFrame, optional
        Border distance bands (built when needed).
    """
    req = map_request(filters, page, layers, view, shade)
    problems = req.problems()
    if problems:
        raise ValueError("; ".join(problems))
    sel = select(bundle, filters)
    sources = cited_sources(bundle, sel)

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _map_slide(prs, bundle, sel, req, bands, sources)
    _timeline_slide(prs, bundle, sel, filters, sources)
    _figures_slide(prs, bundle, sel, sources)
    _claims_slides(prs, bundle, sel)

    asof = datetime.combine(data_as_of(bundle).date(), datetime.min.time())
    core = prs.core_properties
    core.title = TITLE
    core.subject = clipped(drawn(f"Filters: {filters.summary()}"), PROPERTY_CHARS)
    core.author = core.last_modified_by = "Panj Watch"
    core.keywords = clipped(drawn(f"data version {bundle.version}"), PROPERTY_CHARS)
    core.created = core.modified = asof
    core.last_printed = asof
    core.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return _fixed_zip(buf.getvalue())


def slides_file_name(filters: Filters, version: str = "") -> str:
    """``panjwatch-slides-2025.pptx`` (years of the selection, or ``all``)."""
    years = "-".join(map(str, sorted(filters.years))) or "all"
    return f"panjwatch-slides-{years}" + (f"-{version}" if version else "") + ".pptx"
