"""Make text from data safe for Markdown and HTML."""

from __future__ import annotations

import html
import re

# Every character Markdown (CommonMark + GFM, as Streamlit renders it) gives meaning to.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&\"'=])")


def md_escape(value: object) -> str:
    """Escape ``value`` so Markdown shows it literally: no links, images, HTML or math.

    A backslash before each special character defeats Markdown syntax
    (``[x](url)``, ``![](img)``, ``**``); ``<`` and ``&`` become entities so no tag
    or entity survives either.
    """
    text = "" if value is None else str(value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", " ")


def html_escape(value: object) -> str:
    """HTML-escape ``value`` (quotes included) for tooltips and HTML snippets."""
    return html.escape("" if value is None else str(value), quote=True)
