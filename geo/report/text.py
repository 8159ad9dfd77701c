"""Make text from data safe for Markdown and HTML."""

from __future__ import annotations

import html
import re
import unicodedata

# Every character Markdown (CommonMark + GFM, as Streamlit renders it) gives meaning to.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&\"'=])")


def md_escape(value: object) -> str:
    """Escape ``value`` so Markdown shows it literally: no links, images, HTML or math.

    A backslash before each special character defeats Markdown syntax
    (``[x](url)``, ``![](img)``, ``**``); ``<`` and ``&`` become entities so no tag
    or entity survives either. Control and format characters are shown as escapes
    (``\\x1b``, ``\\u202e``), as in every other sink.
    """
    text = "" if value is None else str(value)
    # Controls and bidi overrides as visible escapes (:func:`drawn`): a U+202E in a heading
    # would otherwise reverse the text the browser shows. Newlines become spaces below.
    text = _MD_SPECIAL.sub(r"\\\1", drawn(text, keep="\n"))
    return text.replace("\n", " ")


def html_escape(value: object) -> str:
    """HTML-escape ``value`` (quotes included) for tooltips and HTML snippets."""
    return html.escape("" if value is None else str(value), quote=True)


#: deck.gl's JSON converter (@deck.gl/json, which Streamlit and pydeck's standalone
#: bundle both run on the whole deck spec, layer data included) reads a string value
#: starting with "@@=" as an expression to compile and one starting with "@@#" as a
#: constant to look up; "@@type" and "@@function" are keys that instantiate a class or
#: call a function. Text from data must never be read that way.
DECK_PREFIX = "@@"
#: U+2060 WORD JOINER: invisible and zero-width in HTML tooltips and canvas labels, and
#: unlike U+FEFF not a byte-order mark. Put before ``@@`` it moves the prefix off the
#: start of the string, which is all the converter tests (``startsWith``).
INERT_MARK = "\u2060"


def deck_inert(value: str) -> str:
    """``value`` with :data:`INERT_MARK` in front if deck.gl would read it as code.

    Only strings starting with ``@@`` change, so ordinary text (and the deck
    snapshots) stay byte-identical.
    """
    return INERT_MARK + value if value.startswith(DECK_PREFIX) else value


#: Unicode categories a renderer or a terminal must not receive raw: controls (NUL, ESC,
#: CR …), format characters (bidi overrides such as U+202E, zero-width spaces, BOM),
#: line/paragraph separators, surrogates, private use and unassigned code points.
_HIDDEN = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")
#: Format characters that are part of ordinary writing: ZWNJ and ZWJ join or separate
#: letters in Dari, Pashto and Tajik text (and emoji); they reorder nothing.
_WRITING = frozenset("\u200c\u200d")


def _escape_char(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii") if ord(ch) > 0xFF else f"\\x{ord(ch):02x}"


def drawn(value: object, keep: str = "") -> str:
    """``value`` as a drawing (SVG, PDF, PNG text) must show it: literally, on one line.

    Control and format characters are written as visible escapes (``\\x00``,
    ``\\x1b``, ``\\u202e``, a newline as ``\\x0a``), as :func:`shown` does but
    without a length limit: an SVG stays well-formed XML (XML 1.0 cannot hold NUL
    or ESC), a bidi override cannot reorder the text a viewer displays, and the
    font is never asked for a glyph it has no advance for. ZWNJ and ZWJ, which
    Dari and Tajik spelling needs, are kept. Printable text (``$``, ``<``, ``=``)
    is unchanged: the renderer draws it as text (no mathtext, XML-escaped).
    Idempotent: the escapes are printable ASCII. Characters in ``keep`` (e.g.
    ``"\\n"`` for a renderer told to break lines there) are left as they are.
    """
    text = "" if value is None else str(value)
    if text.isprintable():  # the common case: nothing to do (space is printable)
        return text
    return "".join(
        _escape_char(ch)
        if unicodedata.category(ch) in _HIDDEN and ch not in _WRITING and ch not in keep
        else ch
        for ch in text
    )


def drawn_strings(obj, keep: str = ""):
    """``obj`` (nested dicts, lists and tuples, e.g. a Vega-Lite spec) with :func:`drawn` on every string.

    Keys are left alone (field names are the code's); numbers, booleans and
    ``None`` are kept; the input is not modified.
    """
    if isinstance(obj, str):
        return drawn(obj, keep)
    if isinstance(obj, dict):
        return {k: drawn_strings(v, keep) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(drawn_strings(v, keep) for v in obj)
    return obj


def shown(value: object, limit: int = 60) -> str:
    """``value`` as a short, visible, one-line excerpt for a message about it.

    Control and format characters (NUL, ESC, newlines, bidi overrides such as
    U+202E, zero-width characters) are written as escapes (``\\x1b``,
    ``\\u202e``), so a value can neither reorder nor hide the text around it;
    beyond ``limit`` characters the excerpt ends with ``…``. The result is
    still plain text: render it with ``st.text`` (or escape it for Markdown).
    """
    text = "" if value is None else str(value)
    cut = len(text) > limit
    out = []
    for ch in text[:limit]:
        out.append(_escape_char(ch) if unicodedata.category(ch) in _HIDDEN else ch)
    return "".join(out) + ("…" if cut else "")


def clipped(value: object, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, ending with ``…`` when cut.

    For data text placed in a fixed space (a snapshot's subtitle or caveat): a
    20,000-character actor name must not push the map off the page.
    """
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
