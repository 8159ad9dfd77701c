"""A scene's legend as HTML, for the live map (Streamlit) and the offline HTML export.

One Jinja2 template (``templates/legend.html``) with autoescape on: labels are
escaped by the template engine, never by string building; swatch colours come
from :mod:`geo.scene.style` through :func:`geo.scene.style.css`.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from geo.scene.model import LegendEntry
from geo.scene.style import css

TEMPLATES = Path(__file__).with_name("templates")
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
ENV.globals["css"] = css

#: Layouts: the live map's legend runs on one line under the map; the export's is a box.
LAYOUTS = {
    "inline": {
        "box_style": "font-size:13px;line-height:1.8",
        "sep": " &nbsp;·&nbsp; ",
        "sep_first": " &nbsp;",
    },
    "block": {"box_style": "", "sep": "<br>", "sep_first": "<br>"},
}


def legend_html(entries: list[LegendEntry], layout: str = "inline", heading: str = "") -> str:
    """The legend ``entries`` (a scene's :attr:`~geo.scene.model.Scene.legend`) as an HTML fragment."""
    return ENV.get_template("legend.html").render(entries=entries, heading=heading, **LAYOUTS[layout])
