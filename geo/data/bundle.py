"""One composition of what every page and every CLI command shows: curated + imported + derived layers.

:func:`open_bundle` loads the curated bundle (validated), merges the store's
datasets into it (all of them, as the app shows, or the ones named) and builds
the derived map layers (border bands). The Streamlit glue (``ui/data.py``) and
the ``export``, ``snapshot`` and ``brief`` commands all go through it, so a UI
download and the CLI give the same bytes for the same selection.

Nothing in the store can raise out of here: a dataset that cannot be read,
cast to the declared schema (:data:`geo.data.columns.SCHEMA`) or merged is
set aside, and :attr:`Opened.notices` names it with the cause. Only curated data
that fails validation raises (:class:`geo.data.problems.DataError`), as before.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data.columns import CURATED_DATASET, EXTRA_COLUMNS, concat_frames, conform
from geo.data.paths import DATA_DIR, default_seeds_dir
from geo.data.settings import env
from geo.data.store import Store, StoreError, shapes_version, store_dir

#: Imported events whose join notes are listed one by one in ``Bundle.report``;
#: above this a dataset gets one summary line (the import page has the breakdown).
REPORT_LINES_MAX = 200
#: ``join_method`` values of events that lie beyond every shipped province.
OUTSIDE_METHODS = ("outside", "unplaced")
_ENRICH_COLUMNS = (
    "join_admin1",
    "join_adm1_code",
    "join_country",
    "join_method",
    "join_distance_km",
    "admin1_mismatch",
    "border_distance_km",
    "border_line",
    "border_distance_detail_km",
    "facing_admin1",
)
_UNSET = object()


@dataclass(frozen=True)
class Settings:
    """Where the data comes from and which imported datasets to include.

    ``seeds_dir`` defaults to :func:`geo.data.paths.default_seeds_dir` (quotes checked
    when present); ``store_root`` to :func:`geo.data.store.store_dir`; ``datasets``
    ``None`` means every readable dataset (what the app shows).
    """

    data_dir: Path = DATA_DIR
    seeds_dir: Path | None | object = _UNSET
    catalogue: Path | None = None
    store_root: Path | None = None
    datasets: tuple[str, ...] | None = None

    @classmethod
    def from_env(cls) -> Settings:
        """What the app shows: ``PANJWATCH_DATA``, ``PANJWATCH_SEEDS`` and ``PANJWATCH_STORE``
        (:mod:`geo.data.settings`), each falling back to its documented default."""
        given = env("PANJWATCH_DATA")
        return cls(
            data_dir=Path(given) if given else DATA_DIR, seeds_dir=default_seeds_dir(), store_root=store_dir()
        )

    def resolved(self) -> Settings:
        seeds = default_seeds_dir() if self.seeds_dir is _UNSET else self.seeds_dir
        return dataclasses.replace(
            self,
            data_dir=Path(self.data_dir),
            seeds_dir=Path(seeds) if seeds else None,
            catalogue=Path(self.catalogue) if self.catalogue else None,
            store_root=Path(self.store_root) if self.store_root else store_dir(),
            datasets=tuple(self.datasets) if self.datasets is not None else None,
        )


@dataclass
class Opened:
    """The merged bundle, the border bands, and what was set aside or cleaned (one line each)."""

    bundle: object
    bands: gpd.GeoDataFrame
    notices: list[str] = field(default_factory=list)
    datasets: tuple[str, ...] = ()
    #: The border line with every event on it (:class:`geo.frontier.reference.Frontier`), or ``None``.
    frontier: object | None = None


def _file_stamp(p: Path) -> str:
    try:
        st = p.stat()
    except OSError:
        return f"{p.name}:-"
    return f"{p.name}:{st.st_size}:{st.st_mtime_ns}"


def bundle_key(settings: Settings) -> tuple:
    """Cache key: settings, the curated files' stamp (catalogue included) and the store's stamp."""
    from geo.data.load import data_stamp

    s = settings.resolved()
    catalogue = s.catalogue or s.data_dir.parent / "seeds" / "catalogue.csv"
    store = Store(s.store_root)
    return (
        str(s.data_dir),
        str(s.seeds_dir),
        str(s.catalogue),
        str(s.store_root),
        s.datasets,
        data_stamp(s.data_dir) + ";" + _file_stamp(catalogue),
        store.stamp(),
    )


def build_bundle(settings: Settings | None = None) -> Opened:
    """Load, merge and derive without caching (see :func:`open_bundle`)."""
    from geo.data.importers.common import release_memory
    from geo.data.load import load_bundle
    from geo.frontier.reference import build_frontier
    from geo.spatial.bands import border_bands

    s = (settings or Settings()).resolved()
    bundle = load_bundle(s.data_dir, s.seeds_dir, s.catalogue)
    store = Store(s.store_root)
    notices = store.clean_leftovers() + store.problems()
    bundle, set_aside, names = merge_store(bundle, store, s.data_dir, s.datasets)
    notices += set_aside
    release_memory()
    frontier = None
    try:
        frontier = build_frontier(
            bundle.events, bundle.border_detail, bundle.admin1, bundle.places, s.data_dir
        )
        bundle.chainage = frontier.refs
    except ValueError as exc:  # bad landmarks (DataError) or a border that does not merge into one line
        notices.append(f"The frontier view and the border-stretch filter are unavailable: {exc}")
    return Opened(
        bundle=bundle, bands=border_bands(bundle.border), notices=notices, datasets=names, frontier=frontier
    )


class LiveBundle:
    """The bundle for one :class:`Settings`, rebuilt when a file it was built from changes.

    Holds at most one bundle: on a change (:func:`bundle_key`) the old one is dropped
    before the new one is built, so two million-row bundles never coexist. Safe to
    share between threads (the app's sessions): one builds, the others wait for it.
    The app keeps one per settings at its loading edge (``ui/data.py``).
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = (settings or Settings()).resolved()
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._opened: Opened | None = None

    def stale(self) -> bool:
        """Whether :meth:`get` would build (first use, or the files changed)."""
        return bundle_key(self.settings) != self._key

    def get(self) -> Opened:
        """The current bundle, built if the data, the catalogue or the store changed.

        Raises
        ------
        geo.data.validate.DataError
            The curated data fails validation (the store never raises).
        """
        from geo.data.importers.common import release_memory

        key = bundle_key(self.settings)
        with self._lock:
            if key != self._key or self._opened is None:
                self._opened, self._key = None, None
                release_memory()
                self._opened = build_bundle(self.settings)
                self._key = key
            return self._opened


def open_bundle(settings: Settings | None = None) -> Opened:
    """The bundle the app would show for ``settings``, built now (one CLI command's view).

    Raises
    ------
    geo.data.problems.DataError
        The curated data fails validation (the store never raises).
    """
    return build_bundle(settings)


# --- merging the store into the curated bundle ---------------------------------------------


def with_dataset_columns(events: gpd.GeoDataFrame, dataset: str = CURATED_DATASET) -> gpd.GeoDataFrame:
    """Curated events with the imported-only columns added (``dataset`` set, the rest missing)."""
    out = events.copy()
    out["dataset"] = pd.Categorical([dataset] * len(out))
    out["source_row"] = pd.array([pd.NA] * len(out), dtype="Int64")
    for col in ("inter1", "inter2"):  # curated events carry their ACLED actor types (issue 10)
        out[col] = pd.Categorical(out[col].fillna("").astype(str) if col in out else [""] * len(out))
    out["fatalities_best"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"


def _load_one(
    store: Store, name: str, stored_shapes: str, current: str, shapes, data_dir
) -> gpd.GeoDataFrame:
    gdf = store.read(name)
    if stored_shapes != current:
        if shapes is None:
            from geo.data.load import load_shapes

            frames, _ = load_shapes(Path(data_dir) / "shapes")
            shapes = (frames["admin1"], frames["border"], frames["border_detail"])
        from geo.data.importers.enrichment import enrich_imported

        base = gdf.drop(columns=[c for c in _ENRICH_COLUMNS if c in gdf])
        gdf = enrich_imported(base, *shapes)
    return conform(gdf)


def load_store_events(store: Store, data_dir: Path | str = DATA_DIR, shapes=None) -> gpd.GeoDataFrame | None:
    """Every readable stored dataset's events in one frame (re-joined if the shapes changed).

    Datasets that cannot be read are left out; :func:`merge_store` says which and why.
    """
    current = shapes_version(data_dir)
    parts = []
    for info in store.datasets():
        try:
            parts.append(_load_one(store, info.name, info.shapes_version, current, shapes, data_dir))
        except Exception:  # noqa: BLE001 - set aside; merge_store reports the cause
            continue
    return concat_frames(parts) if parts else None


def imported_report(events: pd.DataFrame) -> list[str]:
    """Join notes for imported events: one line each when few, else one summary per dataset."""
    from geo.spatial.enrich import join_report

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


def merge_store(bundle, store: Store, data_dir: Path | str = DATA_DIR, names: tuple[str, ...] | None = None):
    """The bundle with the store's events next to the curated ones, and what was set aside.

    Curated events get ``dataset = "curated"``; imported events keep their
    dataset label, their join and border columns and add their actor roles to
    ``roles``. Every part is cast to the declared schema before the merge. The
    bundle's ``version`` gains the merged datasets' version. Rows are in date,
    then id order (:func:`geo.data.load.sort_events`); the index is a fresh ``RangeIndex``.

    Parameters
    ----------
    names : tuple of str, optional
        Datasets to merge (default: every readable one).

    Returns
    -------
    (Bundle, list of str, tuple of str)
        The merged bundle; one line per dataset set aside (name and cause); the
        names merged.
    """
    from geo.data.importers.roles import event_roles
    from geo.data.load import sort_events

    curated = with_dataset_columns(bundle.events)
    claims = bundle.claims.assign(event_id=bundle.claims["event_id"].astype(object))
    roles = bundle.roles.assign(event_id=bundle.roles["event_id"].astype(object))
    shapes = (bundle.admin1, bundle.border, bundle.border_detail)
    current = shapes_version(data_dir)
    notices: list[str] = []
    parts, role_parts, reports, merged = [], [], [], []
    for info in store.datasets():
        if names is not None and info.name not in names:
            continue
        try:
            gdf = _load_one(store, info.name, info.shapes_version, current, shapes, data_dir)
            order = [c for c in curated.columns if c in gdf] + [c for c in gdf.columns if c not in curated]
            gdf = gdf[order]
            gdf["event_id"] = gdf["event_id"].astype(object)
            role_parts.append(event_roles(gdf))
            reports.append(imported_report(gdf))
        except StoreError as exc:
            notices.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - nothing in the store may raise into a page
            notices.append(f"dataset {info.name} is set aside: it cannot be loaded ({_short(exc)})")
            continue
        parts.append(gdf)
        merged.append(info.name)
    # Event ids as Python strings: pandas' ``isin`` on Arrow-backed text walks its argument in
    # Python (7 s for a million ids in geo.query.selection.select); on object arrays it hashes in C.
    if not parts:
        curated["event_id"] = curated["event_id"].astype(object)
        out = dataclasses.replace(bundle, events=sort_events(curated), claims=claims, roles=roles)
        return out, notices, ()
    curated = conform(curated)
    curated["event_id"] = curated["event_id"].astype(object)
    try:
        events = concat_frames([curated, *parts])
    except Exception:  # noqa: BLE001 - find the part(s) that do not merge and set them aside
        keep = []
        for name, part, rp, rep in zip(merged, parts, role_parts, reports, strict=True):
            try:
                concat_frames([curated, part])
            except Exception as exc:  # noqa: BLE001
                notices.append(f"dataset {name} is set aside: it cannot be merged ({_short(exc)})")
                continue
            keep.append((name, part, rp, rep))
        if not keep:
            out = dataclasses.replace(bundle, events=sort_events(curated), claims=claims, roles=roles)
            return out, notices, ()
        merged, parts, role_parts, reports = (list(x) for x in zip(*keep, strict=True))
        events = concat_frames([curated, *parts])
    del parts
    events = sort_events(events)
    out = dataclasses.replace(
        bundle,
        events=events,
        claims=claims,
        roles=concat_frames([roles, *role_parts]).reset_index(drop=True),
        version=f"{bundle.version}-store-{store.version(merged)}",
        report=bundle.report + [line for rep in reports for line in rep],
    )
    return out, notices, tuple(merged)


def merge_into_bundle(bundle, store: Store | None = None, data_dir: Path | str = DATA_DIR):
    """:func:`merge_store` with every dataset, returning only the bundle."""
    return merge_store(bundle, store or Store(), data_dir)[0]


# --- what is out of view -------------------------------------------------------------------


def join_breakdown(events: pd.DataFrame) -> pd.DataFrame:
    """Imported events per dataset and join result (``within``, ``boundary``, ``nearest``, ``outside``, ``unplaced``).

    Returns
    -------
    DataFrame
        One row per dataset (index), one column per join method, counts.
    """
    if "dataset" not in events or events.empty:
        return pd.DataFrame()
    imported = events[events["dataset"].astype("str") != CURATED_DATASET]
    if imported.empty:
        return pd.DataFrame()
    return pd.crosstab(imported["dataset"].astype("str"), imported["join_method"].astype("str"))


def outside_events(events: pd.DataFrame, dataset: str | None = None) -> pd.DataFrame:
    """Imported events beyond every shipped province (or without coordinates), optionally of one dataset."""
    if "dataset" not in events or events.empty:
        return events.iloc[:0]
    ds = events["dataset"].astype("str")
    mask = (ds != CURATED_DATASET) & events["join_method"].astype("str").isin(OUTSIDE_METHODS)
    if dataset is not None:
        mask &= ds == dataset
    return events[mask.to_numpy()]


def outside_note(events: pd.DataFrame) -> str | None:
    """One sentence for a map page: how many selected imported events lie outside the map region."""
    out = outside_events(events)
    if out.empty:
        return None
    per = out["dataset"].astype("str").value_counts().sort_index()
    parts = ", ".join(f"{n:,} of {name}" for name, n in per.items())
    return (
        f"{len(out):,} imported event(s) of this selection lie outside the map region (beyond the shipped "
        f"provinces): {parts}. The Import data page lists them and offers them as CSV."
    )


__all__ = [
    "Settings",
    "Opened",
    "open_bundle",
    "build_bundle",
    "bundle_key",
    "merge_store",
    "merge_into_bundle",
    "load_store_events",
    "with_dataset_columns",
    "imported_report",
    "join_breakdown",
    "outside_events",
    "outside_note",
    "dataset_counts",
    "EXTRA_COLUMNS",
]


def dataset_counts(events: pd.DataFrame, dataset: str) -> dict[str, int]:
    """Events of one dataset in the bundle by join result: ``within`` (a boundary counts as within), ``nearest``, ``outside`` (no coordinates counts as outside)."""
    if "dataset" not in events or events.empty:
        return {"within": 0, "nearest": 0, "outside": 0}
    method = events.loc[(events["dataset"].astype("str") == dataset).to_numpy(), "join_method"].astype("str")
    return {
        "within": int(method.isin(["within", "boundary"]).sum()),
        "nearest": int((method == "nearest").sum()),
        "outside": int(method.isin(OUTSIDE_METHODS).sum()),
    }
