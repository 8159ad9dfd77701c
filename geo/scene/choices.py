"""The names a map request chooses among, as plain values with no heavy imports.

``panjwatch`` declares ``--page`` and ``--shade`` from these before anything is
loaded (issue 13); :data:`geo.scene.request.PAGES` has one page spec per name
(tests/test_cli_imports.py checks they agree) and :mod:`geo.report.stats`
re-exports :data:`SHADE_METRICS`.
"""

from __future__ import annotations

#: The map pages, in the order of :data:`geo.scene.request.PAGES`.
PAGE_NAMES = ("regional", "sector")
#: Regional map: province shading choice → the province statistic it shades by (``None``: no shading).
SHADE_METRICS = {"none": None, "incidents": "incidents", "killed": "fatalities", "casualties": "casualties"}
