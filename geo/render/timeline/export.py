"""Offline export of the timeline: the chart with its source line and key, as PNG or SVG (vl-convert).

The exported chart is the page's chart without the interactive parts, with the
sources and the symbol key written under it so a saved image stands alone.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.query.filters import Filters
from geo.render.timeline.chart import _configure, timeline_view
from geo.render.timeline.style import FONT, TEXT_PX, WIDTH_PX, chart_title
from geo.render.timeline.text import SOURCE_LINE_CHARS
from geo.report.provenance import cited_ids
from geo.report.text import clipped, drawn_strings


def source_line(events: pd.DataFrame, sources: pd.DataFrame | None = None, version: str | None = None) -> str:
    """The export's source line: the outlets the drawn events cite.

    With the source catalogue (``Bundle.sources``) outlets come from the cited
    ``source_ids``; without it, from the events' free-text ``source`` column.
    """
    if sources is not None and "source_ids" in events:
        cited = cited_ids(events)
        cat = sources[sources["source_id"].isin(cited)]
        names = [f"{o} ({t})" for o, t in zip(cat["outlet"], cat["tier"], strict=True)]
    else:
        names = [o.strip() for s in events.get("source", []) for o in str(s).split(";") if o.strip()]
    # "unidentified (seeds 000, 001)" and the like: one entry for all unnamed outlets.
    outlets = dict.fromkeys(
        "unidentified outlets (seed documents)" if n.startswith("unidentified") else n for n in names
    )
    listed = "; ".join(outlets) if outlets else "none"
    ver = f" (data version {version})" if version else ""
    return f"Panj Watch{ver}: curated from seed documents and related public reporting. Sources: {listed}"


def _wrap(text: str, limit: int = 170) -> list[str]:
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > limit:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


KEY_LINE = (
    "Disc area: killed + injured (low figures); dashed ring: the high figure. Bars: dates known only to the "
    "month or a range. Faded: date known within a week. Triangles: dated claims (accusations, denials …) — claims, not facts."
)


def export_chart(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    filters: Filters | None = None,
    focus: str | None = None,
    source: str | None = None,
) -> alt.VConcatChart:
    """The timeline as exported: the same view, then a key and a source line under the legends."""
    view = timeline_view(events, claims, filters, focus, width=WIDTH_PX, interactive=False)
    # The source line names outlets from data: a few lines at most, or a 20,000-character
    # outlet makes a footer 1,500 px tall.
    lines = _wrap(KEY_LINE) + _wrap(clipped(source or source_line(events), SOURCE_LINE_CHARS))
    foot = (
        alt.Chart(pd.DataFrame({"text": ["\n".join(lines)]}))
        .mark_text(
            align="left",
            baseline="top",
            lineBreak="\n",
            fontSize=TEXT_PX,
            color="#555",
            font=FONT,
            limit=WIDTH_PX,
        )
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
        .properties(
            width=WIDTH_PX, height=len(lines) * 13, name="footer", view=alt.ViewBackground(stroke=None)
        )
    )
    main = view.layer.properties(title=alt.TitleParams(text=""))
    out = alt.vconcat(main, foot, spacing=14).properties(
        title=chart_title(view.title, view.subtitle, size=16, offset=10),
        padding=16,
        background="white",
    )
    return _configure(out)


def _vl_version() -> str | None:
    import vl_convert as vlc

    want = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return want if want in vlc.get_vegalite_versions() else None


def _spec_for_export(events, claims, filters, focus, source) -> dict:
    # vl-convert draws text through an SVG parser that aborts the whole process (a Rust
    # panic, no exception) on a character XML cannot hold, such as NUL: every string of
    # the spec is drawn text, controls and bidi overrides escaped ("\n" kept: the footer
    # breaks lines there).
    return drawn_strings(
        export_chart(events, claims, filters, focus, source).to_dict(validate=False), keep="\n"
    )


def timeline_png(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    filters: Filters | None = None,
    focus: str | None = None,
    scale: float = 2,
    source: str | None = None,
) -> bytes:
    """The timeline as PNG bytes, rendered offline by vl-convert (no network allowed).

    ``scale`` multiplies the ~1,100 px wide layout (2 → about 2,200 px, slide quality).
    """
    import vl_convert as vlc

    return vlc.vegalite_to_png(
        _spec_for_export(events, claims, filters, focus, source),
        vl_version=_vl_version(),
        scale=scale,
        allowed_base_urls=[],
    )


def timeline_svg(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    filters: Filters | None = None,
    focus: str | None = None,
    source: str | None = None,
) -> str:
    """The timeline as an SVG document, rendered offline by vl-convert (no network allowed)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(
        _spec_for_export(events, claims, filters, focus, source),
        vl_version=_vl_version(),
        allowed_base_urls=[],
    )
