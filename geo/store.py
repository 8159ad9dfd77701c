"""The local store of imported datasets, kept next to (never inside) the curated data.

One GeoParquet file per dataset, ``<name>.parquet``, in ``local/store/`` at the
repository root (git-ignored), or in the folder named by ``PANJWATCH_STORE``.
Each file holds the dataset's events already enriched (EPSG:4326) and, in its
Parquet metadata under ``panjwatch``, what was imported: format, source file
and its SHA-256, time, row counts and the version of the shapes the join used.
Rejected rows are kept beside it in ``<name>.rejects.csv``.

Curated records are never written here and never overwritten: imported event
ids are ``"<dataset>:<source id>"`` and the name ``curated`` is reserved.
Writes go to a temporary file renamed into place, so a failed import leaves
the store as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from geo.importers.columns import (
    CURATED_DATASET,
    EXTRA_COLUMNS,
    concat_frames,
    shared_points,
)
from geo.paths import DATA_DIR, REPO_ROOT, WGS84

STORE_ENV = "PANJWATCH_STORE"
DEFAULT_STORE = REPO_ROOT / "local" / "store"
#: Dataset names: lower-case letters, digits, ``-`` and ``_``; they prefix event ids.
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
RESERVED = frozenset({CURATED_DATASET})
META_KEY = b"panjwatch"
SCHEMA_VERSION = 1
#: Imported events whose join notes are listed one by one in ``Bundle.report``;
#: above this a dataset gets one summary line (the import page has the breakdown).
REPORT_LINES_MAX = 200


class StoreError(ValueError):
    """A store operation that cannot be done as asked (bad name, exists, not found)."""


def store_dir() -> Path:
    """The store folder: ``PANJWATCH_STORE`` if set, else ``local/store`` in the repository."""
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else DEFAULT_STORE


def check_name(name: str) -> str:
    """Return ``name`` if it is a valid, unreserved dataset name; else raise :class:`StoreError`."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise StoreError(
            f"dataset name {str(name)[:60]!r} is not allowed: use 1–40 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    if name in RESERVED:
        raise StoreError(f"dataset name {name!r} is reserved for the curated records")
    return name


def suggest_name(filename: str) -> str:
    """A valid dataset name made from a file name (``ACLED Afghanistan 2024.csv`` → ``acled-afghanistan-2024``)."""
    stem = Path(filename).stem.lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-_")[:40].strip("-_")
    slug = slug or "dataset"
    return slug if slug not in RESERVED else f"{slug}-import"


def shapes_version(data_dir: Path | str = DATA_DIR) -> str:
    """Content hash of the shape files: stored joins made with other shapes are redone."""
    h = hashlib.sha256()
    for p in sorted((Path(data_dir) / "shapes").glob("*.geojson")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@dataclass(frozen=True)
class DatasetInfo:
    """What the store knows about one dataset (from its Parquet metadata)."""

    name: str
    fmt: str
    source_name: str
    source_sha256: str
    imported_at: str
    rows: int
    rejected: int
    duplicates: int
    shapes_version: str
    path: Path

    def as_row(self) -> dict:
        """A display row (no path)."""
        return {
            "dataset": self.name,
            "format": self.fmt,
            "events": self.rows,
            "rejected rows": self.rejected,
            "possible duplicates": self.duplicates,
            "source file": self.source_name,
            "imported (UTC)": self.imported_at,
        }


class Store:
    """Datasets in one folder; see the module docstring for the layout."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root is not None else store_dir()

    def path(self, name: str) -> Path:
        return self.root / f"{check_name(name)}.parquet"

    def rejects_path(self, name: str) -> Path:
        return self.root / f"{check_name(name)}.rejects.csv"

    def _files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("*.parquet") if NAME_RE.match(p.stem) and p.stem not in RESERVED)

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset, by name; unreadable files are skipped (and named by :meth:`problems`)."""
        out = []
        for p in self._files():
            info = self._info(p)
            if info is not None:
                out.append(info)
        return out

    def problems(self) -> list[str]:
        """Files in the store folder that cannot be read as datasets."""
        return [f"{p.name}: not a readable Panj Watch dataset" for p in self._files() if self._info(p) is None]

    @staticmethod
    def _info(p: Path) -> DatasetInfo | None:
        try:
            meta = pq.read_schema(p).metadata or {}
            m = json.loads(meta[META_KEY])
        except Exception:  # noqa: BLE001 - any unreadable file is reported, not raised
            return None
        return DatasetInfo(
            name=p.stem,
            fmt=m.get("format", "?"),
            source_name=m.get("source_name", ""),
            source_sha256=m.get("source_sha256", ""),
            imported_at=m.get("imported_at", ""),
            rows=int(m.get("rows", 0)),
            rejected=int(m.get("rejected", 0)),
            duplicates=int(m.get("duplicates", 0)),
            shapes_version=m.get("shapes_version", ""),
            path=p,
        )

    def info(self, name: str) -> DatasetInfo:
        p = self.path(name)
        info = self._info(p) if p.is_file() else None
        if info is None:
            raise StoreError(f"no dataset named {name!r} in {self.root}")
        return info

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def stamp(self) -> str:
        """Cheap change detector (names, sizes, modification times) for cache keys."""
        return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in self._files())

    def version(self) -> str:
        """Content version of the store: changes whenever a dataset is added, replaced or deleted."""
        infos = self.datasets()
        if not infos:
            return ""
        h = hashlib.sha256()
        for i in infos:
            h.update(f"{i.name}|{i.source_sha256}|{i.imported_at}|{i.rows}".encode())
        return h.hexdigest()[:12]

    def write(
        self,
        name: str,
        events: gpd.GeoDataFrame,
        *,
        fmt: str,
        source_name: str,
        source_sha256: str,
        shapes_version: str,
        rejects: pd.DataFrame | None = None,
        duplicates: int = 0,
        replace: bool = False,
    ) -> DatasetInfo:
        """Write one enriched dataset atomically; refuse to overwrite unless ``replace``.

        Parameters
        ----------
        name : str
            Dataset label (see :func:`check_name`).
        events : GeoDataFrame
            Enriched events in EPSG:4326 whose ids start with ``"<name>:"``.
        rejects : DataFrame, optional
            The rejection report, kept as ``<name>.rejects.csv``.
        """
        path = self.path(name)
        if path.exists() and not replace:
            raise StoreError(f"a dataset named {name!r} already exists; choose another name or replace it")
        if len(events) and not events["event_id"].str.startswith(f"{name}:").all():
            raise StoreError(f"every event id of dataset {name!r} must start with '{name}:'")
        self.root.mkdir(parents=True, exist_ok=True)
        meta = {
            "schema": SCHEMA_VERSION,
            "dataset": name,
            "format": fmt,
            "source_name": source_name,
            "source_sha256": source_sha256,
            "imported_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "rows": len(events),
            "rejected": 0 if rejects is None else int(rejects["row"].nunique()),
            "duplicates": int(duplicates),
            "shapes_version": shapes_version,
        }
        frame = events.drop(columns=["source_ids"], errors="ignore")
        tmp = path.with_name(f".{path.name}.tmp")
        table = _to_arrow(frame, meta)
        try:
            pq.write_table(table, tmp, compression="zstd")
            if rejects is not None:
                rtmp = self.rejects_path(name).with_name(f".{name}.rejects.csv.tmp")
                rejects.to_csv(rtmp, index=False)
                os.replace(rtmp, self.rejects_path(name))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return self.info(name)

    def read(self, name: str, columns: list[str] | None = None) -> gpd.GeoDataFrame:
        """One dataset's events (EPSG:4326), with ``source_ids`` restored as empty tuples."""
        p = self.path(name)
        if not p.is_file():
            raise StoreError(f"no dataset named {name!r} in {self.root}")
        if columns is not None:
            return pq.read_table(p, columns=columns).to_pandas()
        # Points are rebuilt from longitude/latitude (the values they were made from): faster
        # than decoding WKB and it skips reading the geometry column at all.
        names = [n for n in pq.read_schema(p).names if n != "geometry"]
        table = pq.read_table(p, columns=names)
        df = table.to_pandas(self_destruct=True, split_blocks=True)
        del table
        df.insert(df.columns.get_loc("source_tier"), "source_ids", pd.Series([()] * len(df), dtype=object))
        geom = shared_points(df["longitude"].to_numpy(dtype=float), df["latitude"].to_numpy(dtype=float))
        return gpd.GeoDataFrame(df, geometry=geom, crs=WGS84)

    def rejects(self, name: str) -> pd.DataFrame:
        """The rejection report kept with a dataset (empty if none was kept)."""
        p = self.rejects_path(name)
        if not p.is_file():
            return pd.DataFrame(columns=["row", "field", "value", "problem"])
        return pd.read_csv(p, dtype={"field": "str", "value": "str", "problem": "str"}, keep_default_na=False)

    def delete(self, name: str) -> None:
        """Remove a dataset and its rejection report."""
        p = self.path(name)
        if not p.is_file():
            raise StoreError(f"no dataset named {name!r} in {self.root}")
        p.unlink()
        self.rejects_path(name).unlink(missing_ok=True)

    def duplicate_keys(self, exclude: str | None = None) -> pd.DataFrame:
        """The columns duplicate detection compares, for every stored event (cheap column reads)."""
        parts = []
        for info in self.datasets():
            if info.name == exclude:
                continue
            df = self.read(info.name, columns=["event_id", "event_date", "latitude", "longitude", "category"])
            df["dataset"] = info.name
            df["fmt"] = info.fmt
            parts.append(df)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _to_arrow(gdf: gpd.GeoDataFrame, meta: dict) -> pa.Table:
    """GeoParquet 1.0 table (WKB points, pandas dtypes kept) with our metadata attached."""
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    df["geometry"] = shapely.to_wkb(gdf.geometry.values)
    table = pa.Table.from_pandas(df, preserve_index=False)
    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"], "crs": gdf.crs.to_json_dict()}},
    }
    extra = {b"geo": json.dumps(geo).encode(), META_KEY: json.dumps(meta).encode()}
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})


# --- duplicates across datasets ------------------------------------------------------------

#: Coordinates are compared rounded to this many decimals (0.01° ≈ 1.1 km north–south here).
DUP_DECIMALS = 2
#: Categories compared as one for "same day and place" (an ACLED battle may be a UCDP one-sided event).
_DUP_GROUP = {"attack": "violence", "clash": "violence"}
DUPLICATE_COLUMNS = ["event_id", "other_dataset", "other_event_id", "kind"]


def _dup_keys(df: pd.DataFrame) -> pd.DataFrame:
    cat = df["category"].astype("str")
    return pd.DataFrame(
        {
            "day": pd.to_datetime(df["event_date"]).dt.floor("D").to_numpy(),
            "lat": np.round(df["latitude"].astype(float).to_numpy(), DUP_DECIMALS),
            "lon": np.round(df["longitude"].astype(float).to_numpy(), DUP_DECIMALS),
            "group": cat.map(_DUP_GROUP).fillna(cat).to_numpy(),
        },
        index=df.index,
    )


def find_duplicates(new: pd.DataFrame, fmt: str, others: pd.DataFrame) -> pd.DataFrame:
    """Events of ``new`` that another dataset (or the curated table) already has.

    Two kinds are reported, both vectorised merges:

    * ``same source record`` — the same source id (the part after ``dataset:``)
      in another dataset of the same format (one ACLED export imported twice);
    * ``same day and place`` — same calendar day, coordinates equal to
      0.01° (≈1 km) and the same kind of event (attack and clash count as one).

    Parameters
    ----------
    new : DataFrame
        ``event_id``, ``event_date``, ``latitude``, ``longitude``, ``category``.
    fmt : str
        Format of ``new`` (``acled``/``ucdp``).
    others : DataFrame
        The same columns plus ``dataset`` and ``fmt`` for everything already loaded.

    Returns
    -------
    DataFrame
        ``event_id``, ``other_dataset``, ``other_event_id``, ``kind``; one row per pair.
    """
    if new.empty or others.empty:
        return pd.DataFrame(columns=DUPLICATE_COLUMNS)
    a = pd.DataFrame({"event_id": new["event_id"].astype("str").to_numpy()})
    a["sid"] = a["event_id"].str.split(":", n=1).str[-1]
    b = pd.DataFrame(
        {
            "other_event_id": others["event_id"].astype("str").to_numpy(),
            "other_dataset": others["dataset"].astype("str").to_numpy(),
            "fmt": others["fmt"].astype("str").to_numpy(),
        }
    )
    b["sid"] = b["other_event_id"].str.split(":", n=1).str[-1]
    same = a.merge(b[b["fmt"] == fmt], on="sid")
    same["kind"] = "same source record"
    ka = pd.concat([a[["event_id"]], _dup_keys(new).reset_index(drop=True)], axis=1)
    kb = pd.concat([b[["other_event_id", "other_dataset"]], _dup_keys(others).reset_index(drop=True)], axis=1)
    place = ka.merge(kb, on=["day", "lat", "lon", "group"])
    place["kind"] = "same day and place"
    out = pd.concat([same[DUPLICATE_COLUMNS], place[DUPLICATE_COLUMNS]], ignore_index=True)
    # A pair found both ways is one duplicate: keep the stronger reason.
    out = out.drop_duplicates(["event_id", "other_event_id"], keep="first")
    return out.sort_values(["event_id", "other_event_id"], ignore_index=True)


def curated_keys(data_dir: Path | str = DATA_DIR) -> pd.DataFrame:
    """The curated events' duplicate-detection columns, read straight from ``events.csv``."""
    p = Path(data_dir) / "events.csv"
    if not p.is_file():
        return pd.DataFrame()
    df = pd.read_csv(p, usecols=["event_id", "event_date", "latitude", "longitude", "category"])
    df = df.dropna(subset=["latitude", "longitude"])
    df["dataset"] = CURATED_DATASET
    df["fmt"] = CURATED_DATASET
    return df


# --- merging into the bundle ----------------------------------------------------------------


def with_dataset_columns(events: gpd.GeoDataFrame, dataset: str = CURATED_DATASET) -> gpd.GeoDataFrame:
    """Curated events with the imported-only columns added (``dataset`` set, the rest missing)."""
    out = events.copy()
    out["dataset"] = pd.Categorical([dataset] * len(out))
    out["source_row"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["inter1"] = pd.Categorical([""] * len(out))
    out["inter2"] = pd.Categorical([""] * len(out))
    out["fatalities_best"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def load_store_events(store: Store, data_dir: Path | str = DATA_DIR, shapes=None) -> gpd.GeoDataFrame | None:
    """Every stored dataset's events in one frame, re-joined if the shapes changed since import.

    ``shapes`` is the bundle's ``(admin1, border, border_detail)``; it is only
    needed when a dataset was joined with other shapes.
    """
    infos = store.datasets()
    if not infos:
        return None
    current = shapes_version(data_dir)
    parts = []
    for info in infos:
        gdf = store.read(info.name)
        if info.shapes_version != current:
            if shapes is None:
                from geo.load import load_shapes

                frames, _ = load_shapes(Path(data_dir) / "shapes")
                shapes = (frames["admin1"], frames["border"], frames["border_detail"])
            from geo.importers.enrichment import enrich_imported

            base = gdf.drop(columns=[c for c in _ENRICH_COLUMNS if c in gdf])
            gdf = enrich_imported(base, *shapes)
        parts.append(gdf)
    return concat_frames(parts)


_ENRICH_COLUMNS = (
    "join_admin1", "join_adm1_code", "join_country", "join_method", "join_distance_km", "admin1_mismatch",
    "border_distance_km", "border_line", "border_distance_detail_km", "facing_admin1",
)


def imported_report(events: pd.DataFrame) -> list[str]:
    """Join notes for imported events: one line each when few, else one summary per dataset."""
    from geo.enrich import join_report

    if events.empty:
        return []
    lines: list[str] = []
    # admin1_mismatch is NA where the export gives no admin1: no note, and no NA in the mask.
    mismatch = events["admin1_mismatch"].astype("boolean").fillna(False)
    noted = events["join_method"].isin(["unplaced", "outside", "nearest"]) | mismatch
    for name, grp in events[noted.to_numpy()].groupby("dataset", observed=True):
        if len(grp) <= REPORT_LINES_MAX:
            lines += join_report(grp)
        else:
            counts = grp["join_method"].value_counts()
            parts = [f"{int(n):,} {m}" for m, n in counts.items() if n]
            lines.append(
                f"dataset {name}: {len(grp):,} events with join notes ({', '.join(parts)}); "
                "see the Import data page"
            )
    return lines


def merge_into_bundle(bundle, store: Store | None = None, data_dir: Path | str = DATA_DIR):
    """The bundle with the store's events next to the curated ones.

    Curated events get ``dataset = "curated"``; imported events keep their
    dataset label, their join and border columns (same as curated ones) and add
    their actor roles to ``roles``. The bundle's ``version`` gains the store's
    version, so exports and caches tell the two apart. Rows are in date, then id
    order (:func:`geo.load.sort_events`); the index is a fresh ``RangeIndex``.
    """
    from geo.importers.roles import event_roles
    from geo.load import sort_events

    store = store or Store()
    curated = with_dataset_columns(bundle.events)
    # Event ids as Python strings: pandas' ``isin`` on Arrow-backed text walks its argument in
    # Python (7 s for a million ids in geo.selection.select); on object arrays it hashes in C.
    curated["event_id"] = curated["event_id"].astype(object)
    claims = bundle.claims.assign(event_id=bundle.claims["event_id"].astype(object))
    roles = bundle.roles.assign(event_id=bundle.roles["event_id"].astype(object))
    shapes = (bundle.admin1, bundle.border, bundle.border_detail)
    imported = load_store_events(store, data_dir, shapes)
    if imported is None or imported.empty:
        return dataclasses.replace(bundle, events=sort_events(curated), claims=claims, roles=roles)
    imported = imported[[c for c in curated.columns if c in imported] + [c for c in imported if c not in curated]]
    imported["event_id"] = imported["event_id"].astype(object)
    imported_roles = event_roles(imported)
    report = imported_report(imported)
    events = concat_frames([curated, imported])
    del imported
    events = sort_events(events)
    return dataclasses.replace(
        bundle,
        events=events,
        claims=claims,
        roles=concat_frames([roles, imported_roles]).reset_index(drop=True),
        version=f"{bundle.version}-store-{store.version()}",
        report=bundle.report + report,
    )


__all__ = [
    "Store", "StoreError", "DatasetInfo", "store_dir", "check_name", "suggest_name", "shapes_version",
    "find_duplicates", "curated_keys", "merge_into_bundle", "load_store_events", "EXTRA_COLUMNS",
]
