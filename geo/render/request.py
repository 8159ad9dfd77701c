"""What an export of a map asks for: :class:`SnapshotRequest` (page, selection, layers, view, size, format).

Shared by the print snapshot, the offline HTML and the Chromium engine; it is a
:class:`geo.scene.request.MapRequest` plus the file's size and format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.query.filters import Filters
from geo.render.options import ENGINES as ENGINES  # re-exported: declared light, for the CLI
from geo.render.options import FORMATS, MAX_DPI, MAX_PX, MIN_DPI, MIN_PX
from geo.render.options import MIME as MIME
from geo.render.options import SIZE_PRESETS as SIZE_PRESETS
from geo.scene.request import PAGES, MapRequest, PageSpec
from geo.scene.view import View


@dataclass(frozen=True)
class SnapshotRequest:
    """What to draw and how big.

    Parameters
    ----------
    page : {"regional", "sector"}
        Which map page to reproduce.
    filters : Filters
        The shared selection.
    layers : tuple of str, optional
        Visible layer groups (:data:`geo.scene.request.LAYER_LABELS`); ``None`` = page default.
    view : View, optional
        Map centre and zoom as on the page; ``None`` = page default.
    width_px, height_px : int
        Output size in pixels (PNG) or, divided by ``dpi``, in inches (SVG, PDF).
    dpi : int
        Pixels per inch; sets the physical size of text and symbols.
    fmt : {"png", "svg", "pdf"}
    shade : str
        Regional page only: province shading metric (:data:`geo.report.stats.SHADE_METRICS`).
    title : str, optional
        Overrides the page title.
    """

    page: str = "regional"
    filters: Filters = field(default_factory=Filters)
    layers: tuple[str, ...] | None = None
    view: View | None = None
    width_px: int = 1920
    height_px: int = 1080
    dpi: int = 150
    fmt: str = "png"
    shade: str = "none"
    title: str | None = None

    @property
    def spec(self) -> PageSpec:
        return PAGES[self.page]

    @property
    def visible(self) -> tuple[str, ...]:
        return self.spec.default_layers if self.layers is None else tuple(self.layers)

    @property
    def the_view(self) -> View:
        return self.view or self.spec.view

    def map_request(self, printed: bool = True) -> MapRequest:
        """The scene request: a print of this size, or (``printed=False``) the screen map (offline HTML)."""
        size = (int(self.width_px), int(self.height_px), int(self.dpi)) if printed else None
        return MapRequest(self.page, self.filters, self.layers, self.view, self.shade, size)

    def problems(self) -> list[str]:
        """Every reason the request cannot be drawn (empty when it is fine)."""
        if self.page not in PAGES:
            return [f"unknown page {self.page!r}; use one of {', '.join(PAGES)}"]
        out = self.map_request(printed=False).problems()
        if self.fmt not in FORMATS:
            out.append(f"unknown format {self.fmt!r}; use one of {', '.join(FORMATS)}")
        for name, v in (("width", self.width_px), ("height", self.height_px)):
            if not MIN_PX <= int(v) <= MAX_PX:
                out.append(f"{name} {v} px is out of range ({MIN_PX}–{MAX_PX})")
        if not MIN_DPI <= int(self.dpi) <= MAX_DPI:
            out.append(f"dpi {self.dpi} is out of range ({MIN_DPI}–{MAX_DPI})")
        return out
