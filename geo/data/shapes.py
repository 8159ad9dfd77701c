"""The shape files in ``data/shapes``: read them and check CRS, geometry validity and properties.

Apart from :mod:`geo.data.load` so that ``panjwatch validate`` reads the shapes without
importing the enrichment and the rest of the bundle's loading (issue 13);
:mod:`geo.data.load` re-exports both names.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.data.paths import WGS84
from geo.data.problems import Problem

#: Shape files in ``data/shapes`` and the properties each must carry.
SHAPES = {
    "admin1": ("admin1.geojson", ("adm1_code", "name", "country")),
    "border": ("border_ne10m.geojson", ("name",)),
    "border_detail": ("border_wdbii.geojson", ("name",)),
    "rivers": ("rivers.geojson", ("name",)),
}


def load_shapes(shapes_dir: Path) -> tuple[dict[str, gpd.GeoDataFrame], list[Problem]]:
    """Read the shape files; check CRS, geometry validity and properties."""
    frames: dict[str, gpd.GeoDataFrame] = {}
    problems: list[Problem] = []
    for key, (fname, props) in SHAPES.items():
        label = f"data/shapes/{fname}"
        path = shapes_dir / fname
        if not path.is_file():
            problems.append(Problem(label, None, None, None, f"file not found: {path}"))
            continue
        try:
            gdf = gpd.read_file(path, engine="pyogrio")
        except Exception as exc:  # pyogrio raises several types for broken files
            problems.append(Problem(label, None, None, None, f"cannot be read as GeoJSON: {exc}"))
            continue
        if gdf.crs is None or not gdf.crs.equals(WGS84):
            problems.append(Problem(label, None, "crs", str(gdf.crs), f"expected {WGS84}"))
        for p in props:
            if p not in gdf.columns:
                problems.append(Problem(label, None, p, None, "required property is missing"))
        invalid = ~gdf.geometry.is_valid
        for i in gdf.index[invalid]:
            problems.append(Problem(label, int(i) + 1, "geometry", None, "invalid geometry (feature number)"))
        frames[key] = gdf
    return frames, problems
