"""Text for the print renderer: bundled fonts, measuring, wrapping, literal drawing, saving.

Fonts are loaded by path from ``geo/fonts`` and rcParams are swapped in under
:data:`RC_LOCK`, so output is deterministic (same figure → same bytes: no
dates or versions in the metadata, a fixed SVG hash salt).
"""

from __future__ import annotations

import io
import re
import threading
from functools import lru_cache
from pathlib import Path

from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font, LoadFlags

from geo.report.text import clipped, drawn

FONT_DIR = Path(__file__).parent.parent / "fonts"
FONT_FILES = {
    "regular": FONT_DIR / "DejaVuSans.ttf",
    "bold": FONT_DIR / "DejaVuSans-Bold.ttf",
    "italic": FONT_DIR / "DejaVuSans-Oblique.ttf",
}
# rcParams are global; rendering holds this lock while they are swapped in.
RC_LOCK = threading.RLock()
RC = {
    "pdf.fonttype": 42,  # TrueType: text stays text (searchable, extractable)
    "svg.fonttype": "none",  # SVG text as <text>, editable in Inkscape/Illustrator
    "svg.hashsalt": "panjwatch",  # stable ids → identical SVG bytes
    "svg.image_inline": True,
    "font.family": "DejaVu Sans",
    "axes.unicode_minus": False,
    "path.simplify": True,
}
#: File metadata with every date and version left out, so bytes are reproducible.
METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    "svg": {"Date": None, "Creator": None},
}
#: White outline under map labels. Drawn as a separate stroke-only copy so the label
#: itself stays real text in PDF and SVG (path effects turn text into outlines).
HALO_ONLY = [patheffects.Stroke(linewidth=2.2, foreground="white")]


@lru_cache(maxsize=8)
def _ft2(style: str) -> FT2Font:
    f = FT2Font(str(FONT_FILES[style]))
    f.set_size(_MEASURE_SIZE, 72)
    return f


_MEASURE_SIZE = 100.0
_MEASURE_LOCK = threading.Lock()
#: Agg hints glyphs at small pixel sizes, which widens text by up to ~4 % over the
#: font's own advances; wrapping to this share of the width keeps lines inside.
WRAP_SLACK = 0.95


def font(size: float, style: str = "regular") -> FontProperties:
    """Bundled DejaVu Sans at ``size`` points (``style``: regular, bold, italic)."""
    return FontProperties(fname=str(FONT_FILES[style]), size=size)


@lru_cache(maxsize=4096)
def _advance(style: str, char: str) -> float:
    # Unhinted advance at 100 pt, in points: per-character, so measuring is a sum
    # (FT2Font.set_text lays out whole strings and is ~1000× slower per call).
    with _MEASURE_LOCK:
        f = _ft2(style)
        # A character the font lacks (e.g. a full-width '＝') is drawn as the font's
        # missing-glyph box: measure that box rather than fail.
        gid = f.get_char_index(ord(char))
        g = f.load_glyph(gid, flags=LoadFlags.NO_HINTING)
        return g.linearHoriAdvance / 65536.0


def text_width(text: str, size: float, style: str = "regular") -> float:
    """Advance width of ``text`` in points at ``size`` points (bundled font, no kerning), as drawn."""
    return sum(_advance(style, c) for c in drawn(text)) * size / _MEASURE_SIZE


def wrap(text: str, width_pt: float, size: float, style: str = "regular") -> list[str]:
    """Greedy word wrap of ``text`` to ``width_pt`` points; words are never split."""
    limit = width_pt * WRAP_SLACK
    lines: list[str] = []
    # A line break in data (LF, CRLF or a bare CR) breaks the line; other controls are escaped.
    for para in re.split(r"\r\n|\r|\n", str(text)):
        line = ""
        for word in _split_long(drawn(para).split(), limit, size, style):
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, style) > limit:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _split_long(words: list[str], limit: float, size: float, style: str) -> list[str]:
    # A word wider than the line (a long URL) is cut into pieces that fit, preferably after "/".
    out = []
    for word in words:
        while text_width(word, size, style) > limit and len(word) > 1:
            cut = 1
            while cut < len(word) and text_width(word[: cut + 1], size, style) <= limit:
                cut += 1
            slash = word.rfind("/", 0, cut)
            if slash > cut // 2:
                cut = slash + 1
            out.append(word[:cut])
            word = word[cut:]
        out.append(word)
    return out


def put_text(
    target, x: float, y: float, s: str, size: float, style: str = "regular", halo: bool = False, **kw
):
    """Draw data text literally: no mathtext (a ``$`` in a headline stays a ``$``), controls escaped."""
    s = drawn(s)
    if halo:
        target.text(
            x,
            y,
            s,
            fontproperties=font(size, style),
            parse_math=False,
            path_effects=HALO_ONLY,
            **{**kw, "color": "white"},
        )
    return target.text(x, y, s, fontproperties=font(size, style), parse_math=False, **kw)


#: Longest map label (characters, as drawn): a label is a name, and its halo is drawn as an
#: outline path, so a 20,000-character one would add ~60 MB to an SVG.
MAP_LABEL_CHARS = 80


def map_label(s: str) -> str:
    """``s`` as a map label draws it: controls escaped, at most :data:`MAP_LABEL_CHARS` characters."""
    return clipped(drawn(s), MAP_LABEL_CHARS)


def annotate(ax, s: str, xy, offset_pt, size: float, style: str = "regular", halo: bool = True, **kw):
    """Label the data point ``xy`` with ``s`` offset by ``offset_pt`` points; no mathtext, controls escaped."""
    s = map_label(s)
    common = dict(
        xytext=offset_pt,
        textcoords="offset points",
        fontproperties=font(size, style),
        parse_math=False,
        annotation_clip=False,
    )
    if halo:
        ax.annotate(s, xy, path_effects=HALO_ONLY, **common, **{**kw, "color": "white"})
    return ax.annotate(s, xy, **common, **kw)


def render(fig: Figure, fmt: str, title: str = "", subject: str = "") -> bytes:
    """Save ``fig`` as ``fmt`` with reproducible metadata."""
    meta = dict(METADATA[fmt])
    if fmt in ("pdf", "svg") and title:
        meta["Title"] = drawn(title)
    if fmt == "pdf" and subject:
        meta["Subject"] = drawn(subject)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=fig.dpi, facecolor=fig.get_facecolor(), metadata=meta)
    return buf.getvalue()
