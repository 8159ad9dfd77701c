"""The local store of imported datasets, kept next to (never inside) the curated data.

One GeoParquet file per dataset, ``<name>.parquet``, in ``local/store/`` at the
repository root (git-ignored), or in the folder named by ``PANJWATCH_STORE``.
Each file holds the dataset's events already enriched (EPSG:4326), cast to the
declared schema (:data:`geo.data.columns.SCHEMA`), and, in its Parquet
metadata under ``panjwatch``, what was imported: format, source file and its
SHA-256, time, row counts and the version of the shapes the join used.
Rejected rows are kept beside it in ``<name>.rejects.csv`` (formula-safe).

Curated records are never written here and never overwritten: imported event
ids are ``"<dataset>:<source id>"`` and the name ``curated`` is reserved.

Faults. One writer per dataset name at a time (``fcntl`` lock on
``.<name>.lock``, released by the kernel if the writer dies). A write goes to a
temporary file with a unique name, fsynced, then renamed into place, so a
failed or killed import leaves the store as it was and never shows a partial
dataset; leftover temporary files of killed imports are removed (and reported)
by :meth:`Store.clean_leftovers`. Every operating-system failure (read-only
folder, full disk, a store path that is a file) becomes a :class:`StoreError`
with a one-line message. A file that cannot be read as a dataset is named with
its cause by :meth:`Store.problems` and :meth:`Store.listing`, and can still be
deleted. Dataset names are checked by :mod:`geo.data.store_names`; file formats and
checks live in :mod:`geo.data.store_files`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geo.data.columns import (
    EXTRA_COLUMNS,
    SchemaError,
    conform,
    shared_points,
)
from geo.data.paths import DATA_DIR, REPO_ROOT, WGS84
from geo.data.settings import env
from geo.data.store_files import (
    REJECTED,
    REPORT_COLUMNS,
    SCHEMA_VERSION,
    STORE_ENV,
    DatasetInfo,
    StoreError,
    _to_arrow,
    check_frame,
    os_message,
    read_info,
    report_with_status,
    safe_cell,
    short,
    write_rejects,
)
from geo.data.store_names import NAME_RE, RESERVED, check_name

DEFAULT_STORE = REPO_ROOT / "local" / "store"
#: Seconds a writer waits for another writer of the same dataset name to finish.
LOCK_WAIT_S = 10.0
_TMP_RE = re.compile(r"\.(?P<name>[a-z0-9][a-z0-9_-]{0,39})\.(?:parquet|rejects\.csv)(?:\.[^/]*)?\.tmp")


def store_dir() -> Path:
    """The store folder: ``PANJWATCH_STORE`` if set, else ``local/store`` in the repository."""
    given = env(STORE_ENV)
    return Path(given) if given else DEFAULT_STORE


def shapes_version(data_dir: Path | str = DATA_DIR) -> str:
    """Content hash of the shape files: stored joins made with other shapes are redone."""
    h = hashlib.sha256()
    for p in sorted((Path(data_dir) / "shapes").glob("*.geojson")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@dataclass(frozen=True)
class Entry:
    """One dataset file in the store: its info when readable, else why it is set aside."""

    name: str
    path: Path
    info: DatasetInfo | None
    problem: str | None


class Store:
    """Datasets in one folder; see the module docstring for the layout."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root is not None else store_dir()

    def path(self, name: str) -> Path:
        return self.root / f"{check_name(name)}.parquet"

    def rejects_path(self, name: str) -> Path:
        return self.root / f"{check_name(name)}.rejects.csv"

    def root_problem(self) -> str | None:
        """Why the store folder cannot be used at all (a file, unreadable), else ``None``."""
        if self.root.exists() and not self.root.is_dir():
            return f"the store path {self.root} is a file, not a folder; set {STORE_ENV} to a folder"
        return None

    def _files(self) -> list[Path]:
        try:
            if not self.root.is_dir():
                return []
            return sorted(
                p for p in self.root.glob("*.parquet") if NAME_RE.fullmatch(p.stem) and p.stem not in RESERVED
            )
        except OSError:
            return []

    def listing(self) -> list[Entry]:
        """Every dataset file, readable or not (the Import page lists and deletes both)."""
        out = []
        for p in self._files():
            info, problem = read_info(p)
            out.append(Entry(p.stem, p, info, problem))
        return out

    def datasets(self) -> list[DatasetInfo]:
        """Every readable dataset, by name; the others are named by :meth:`problems`."""
        return [e.info for e in self.listing() if e.info is not None]

    def problems(self) -> list[str]:
        """One line per file in the store folder that cannot be read as a dataset, with the cause."""
        root = self.root_problem()
        if root:
            return [root]
        return [
            f"dataset {e.name} ({e.path.name}) is set aside: {e.problem}" for e in self.listing() if e.problem
        ]

    def info(self, name: str) -> DatasetInfo:
        p = self.path(name)
        info, problem = read_info(p) if p.is_file() else (None, None)
        if info is None:
            raise StoreError(
                f"dataset {name!r} cannot be read: {problem}"
                if problem
                else f"no dataset named {name!r} in {self.root}"
            )
        return info

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def stamp(self) -> str:
        """Cheap change detector (names, sizes, modification times) for cache keys."""
        parts = []
        for p in self._files():
            with contextlib.suppress(OSError):
                st = p.stat()
                parts.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
        return ";".join(parts)

    def version(self, names: list[str] | None = None) -> str:
        """Content version of the store (or of ``names``): changes when a dataset is added, replaced or deleted."""
        infos = [i for i in self.datasets() if names is None or i.name in names]
        if not infos:
            return ""
        h = hashlib.sha256()
        for i in infos:
            h.update(f"{i.name}|{i.source_sha256}|{i.imported_at}|{i.rows}".encode())
        return h.hexdigest()[:12]

    # --- writing ---------------------------------------------------------------------------

    def _ensure_root(self) -> None:
        problem = self.root_problem()
        if problem:
            raise StoreError(problem)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(os_message(exc, "cannot create the store folder")) from None

    @contextlib.contextmanager
    def lock(self, name: str, wait_s: float | None = None):
        """Hold the one-writer lock of dataset ``name`` (waits up to ``wait_s``, default :data:`LOCK_WAIT_S`, seconds).

        Raises
        ------
        StoreError
            Another import or deletion of the same name still holds it, or the lock
            file cannot be created (read-only folder, full disk).
        """
        self._ensure_root()
        lock_path = self.root / f".{check_name(name)}.lock"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(os_message(exc, f"cannot write dataset {name!r}")) from None
        try:
            deadline = time.monotonic() + (LOCK_WAIT_S if wait_s is None else wait_s)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreError(
                            f"dataset {name!r} is being written by another import right now; "
                            "try again when it has finished"
                        ) from None
                    time.sleep(0.1)
            yield
        finally:
            os.close(fd)

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
        flags: pd.DataFrame | None = None,
    ) -> DatasetInfo:
        """Write one enriched dataset atomically; refuse to overwrite unless ``replace``.

        Parameters
        ----------
        name : str
            Dataset label (see :func:`check_name`).
        events : GeoDataFrame
            Enriched events in EPSG:4326 whose ids start with ``"<name>:"``.
        rejects : DataFrame, optional
            The rejection report, kept as ``<name>.rejects.csv`` (formula-safe).
        flags : DataFrame, optional
            Rows kept with a warning (same columns); kept in the same file with
            ``status`` ``"kept, flagged"`` (rejected rows have ``"rejected"``).

        Returns
        -------
        DatasetInfo
            What this call wrote (built from its own metadata, never re-read: a
            later import of the same name cannot be reported as this one).

        Raises
        ------
        StoreError
            Bad or taken name, another writer of the name, or any OS failure
            (the store is then as it was).
        """
        path = self.path(name)
        if len(events) and not events["event_id"].astype("str").str.startswith(f"{name}:").all():
            raise StoreError(f"every event id of dataset {name!r} must start with '{name}:'")
        meta = {
            "schema": SCHEMA_VERSION,
            "dataset": name,
            "format": fmt,
            "source_name": source_name,
            "source_sha256": source_sha256,
            "imported_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "rows": len(events),
            "rejected": 0 if rejects is None or rejects.empty else int(rejects["row"].nunique()),
            "duplicates": int(duplicates),
            "flagged": 0 if flags is None or flags.empty else int(flags["row"].nunique()),
            "shapes_version": shapes_version,
        }
        report = report_with_status(rejects, flags)
        try:
            frame = conform(events.drop(columns=["source_ids"], errors="ignore"))
        except SchemaError as exc:
            raise StoreError(f"dataset {name!r} cannot be stored: {exc}") from None
        table = _to_arrow(frame, meta)
        del frame
        with self.lock(name):
            if path.exists() and not replace:
                raise StoreError(
                    f"a dataset named {name!r} already exists; choose another name or replace it"
                )
            self.clean_leftovers(only=name)
            token = f"{os.getpid()}-{secrets.token_hex(4)}"
            tmp = self.root / f".{name}.parquet.{token}.tmp"
            rtmp = self.root / f".{name}.rejects.csv.{token}.tmp"
            try:
                with open(tmp, "wb") as f:
                    pq.write_table(table, f, compression="zstd")
                    f.flush()
                    os.fsync(f.fileno())
                if not report.empty:
                    write_rejects(report, rtmp)
                os.replace(tmp, path)
                if rtmp.exists():
                    os.replace(rtmp, self.rejects_path(name))
                else:
                    self.rejects_path(name).unlink(missing_ok=True)
            except OSError as exc:
                raise StoreError(os_message(exc, f"dataset {name!r} was not stored")) from None
            finally:
                for t in (tmp, rtmp):
                    with contextlib.suppress(OSError):
                        t.unlink(missing_ok=True)
        return DatasetInfo(
            name=name,
            fmt=fmt,
            source_name=source_name,
            source_sha256=source_sha256,
            imported_at=meta["imported_at"],
            rows=meta["rows"],
            rejected=meta["rejected"],
            duplicates=meta["duplicates"],
            shapes_version=shapes_version,
            path=path,
            flagged=meta["flagged"],
        )

    def clean_leftovers(self, only: str | None = None) -> list[str]:
        """Remove temporary files left by killed imports; one line per file removed (or not removable).

        A temporary file is only removed when no writer holds its dataset's lock,
        so a running import keeps its own.
        """
        try:
            candidates = sorted(p for p in self.root.iterdir() if _TMP_RE.fullmatch(p.name))
        except OSError:
            return []
        lines = []
        for p in candidates:
            name = _TMP_RE.fullmatch(p.name)["name"]
            if only is not None and name != only:
                continue
            try:
                size = p.stat().st_size
                ctx = self.lock(name, wait_s=0) if only is None else contextlib.nullcontext()
                with ctx:
                    p.unlink()
                lines.append(
                    f"removed {p.name} ({size / 1e6:.1f} MB), left by an interrupted import of {name}"
                )
            except StoreError:
                continue  # a writer of that name is running: the file is its own
            except OSError as exc:
                lines.append(f"cannot remove {p.name}, left by an interrupted import: {exc.strerror or exc}")
        return lines

    # --- reading ---------------------------------------------------------------------------

    def read(self, name: str, columns: list[str] | None = None) -> gpd.GeoDataFrame:
        """One dataset's events (EPSG:4326) cast to the declared schema, ``source_ids`` empty tuples.

        Raises
        ------
        StoreError
            No such dataset, or it cannot be read, cast or trusted (the message
            says why: unreadable Parquet, missing columns, bad ids or coordinates).
        """
        p = self.path(name)
        if not p.is_file():
            raise StoreError(f"no dataset named {name!r} in {self.root}")
        info, problem = read_info(p)
        if info is None:
            raise StoreError(f"dataset {name} is set aside: {problem}")
        try:
            if columns is not None:
                return conform(pq.read_table(p, columns=columns).to_pandas())
            # Points are rebuilt from longitude/latitude (the values they were made from): faster
            # than decoding WKB and it skips reading the geometry column at all.
            names = [n for n in pq.read_schema(p).names if n != "geometry"]
            table = pq.read_table(p, columns=names)
            df = table.to_pandas(self_destruct=True, split_blocks=True)
            del table
        except (OSError, pa.ArrowException, ValueError, KeyError) as exc:
            raise StoreError(f"dataset {name} is set aside: its file cannot be read ({short(exc)})") from None
        try:
            df = conform(df)
        except SchemaError as exc:
            raise StoreError(f"dataset {name} is set aside: {exc}") from None
        check_frame(name, df, info.rows)
        df.insert(df.columns.get_loc("source_tier"), "source_ids", pd.Series([()] * len(df), dtype=object))
        geom = shared_points(df["longitude"].to_numpy(dtype=float), df["latitude"].to_numpy(dtype=float))
        return gpd.GeoDataFrame(df, geometry=geom, crs=WGS84)

    def rejects(self, name: str) -> pd.DataFrame:
        """The rejection report kept with a dataset (empty if none was kept), flagged rows included.

        Columns ``row``, ``field``, ``value``, ``problem`` and ``status``: ``"rejected"``
        (not imported) or ``"kept, flagged"`` (imported with a warning); a report written
        before flagged rows were kept has ``"rejected"`` throughout.

        Raises
        ------
        StoreError
            The report exists but cannot be read as one (the dataset itself is unaffected).
        """
        p = self.rejects_path(name)
        if not p.is_file():
            return pd.DataFrame(columns=[*REPORT_COLUMNS])
        try:
            df = pd.read_csv(p, dtype="str", keep_default_na=False, encoding="utf-8")
        except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise StoreError(f"the rejection report {p.name} cannot be read: {short(exc)}") from None
        missing = [c for c in ("row", "field", "value", "problem") if c not in df]
        if missing:
            raise StoreError(f"the rejection report {p.name} lacks the column(s) {', '.join(missing)}")
        rows = pd.to_numeric(df["row"], errors="coerce")
        if rows.isna().any():
            bad = int(rows.isna().to_numpy().argmax()) + 2
            raise StoreError(f"the rejection report {p.name} has no row number on its line {bad}")
        df["row"] = rows.astype("int64")
        if "status" not in df:
            df["status"] = REJECTED
        return df

    def delete(self, name: str) -> None:
        """Remove a dataset (readable or not) and its rejection report."""
        p = self.path(name)
        if not p.is_file():
            raise StoreError(f"no dataset named {name!r} in {self.root}")
        with self.lock(name):
            try:
                p.unlink()
                self.rejects_path(name).unlink(missing_ok=True)
            except OSError as exc:
                raise StoreError(os_message(exc, f"dataset {name!r} was not deleted")) from None

    def duplicate_keys(self, exclude: str | None = None) -> pd.DataFrame:
        """The columns duplicate detection compares, for every readable stored event (cheap column reads)."""
        parts = []
        for info in self.datasets():
            if info.name == exclude:
                continue
            try:
                df = self.read(
                    info.name, columns=["event_id", "event_date", "latitude", "longitude", "category"]
                )
            except StoreError:
                continue  # set aside: the pages name it; it cannot hold duplicates of anything shown
            df["dataset"] = info.name
            df["fmt"] = info.fmt
            parts.append(df)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


__all__ = [
    "Store",
    "StoreError",
    "DatasetInfo",
    "Entry",
    "store_dir",
    "shapes_version",
    "EXTRA_COLUMNS",
    "safe_cell",
    "os_message",
]
