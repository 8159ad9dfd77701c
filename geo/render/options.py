"""What an export may ask for, as plain values with no heavy imports.

``panjwatch snapshot``, ``brief`` and ``slides`` declare their options from these
before anything is loaded (issue 13); :mod:`geo.render.request` checks a
:class:`~geo.render.request.SnapshotRequest` against them and re-exports them.
"""

from __future__ import annotations

FORMATS = ("png", "svg", "pdf")
ENGINES = ("matplotlib", "chromium")
#: Named sizes: width px, height px, dpi. A4 at 300 dpi is 3508 × 2480 px.
SIZE_PRESETS: dict[str, tuple[int, int, int]] = {
    "1920x1080": (1920, 1080, 150),
    "a4-landscape": (3508, 2480, 300),
    "a4-portrait": (2480, 3508, 300),
}
MIN_PX, MAX_PX = 320, 12000
MIN_DPI, MAX_DPI = 50, 600
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: Map pages of the briefing pack (and the deck's first map), in order.
DEFAULT_MAPS = ("sector", "regional")
