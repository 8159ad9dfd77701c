"""Beyond one machine: the same enrichment on dask-geopandas partitions (optional extra).

Install with ``pip install 'panjwatch[scale]'`` (dask-geopandas and distributed).
Each partition goes through :func:`geo.data.importers.enrichment.enrich_imported`
(so :func:`geo.spatial.enrich.enrich_events`, unchanged); the shapes are small and are
shipped to every worker once. Nothing here imports dask until it is called.

Typical use on a cluster::

    from distributed import Client
    client = Client("tcp://scheduler:8786")          # or LocalCluster() on one machine
    enrich_parquet("s3://bucket/acled/*.parquet", "s3://bucket/acled-enriched/", client=client)

where the input is GeoParquet written by :func:`geo.data.store.Store.write` or any
GeoParquet of normalised events (see :mod:`geo.data.columns`), and the
output is one GeoParquet file per partition.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.data.paths import DATA_DIR


def _require_dask():
    try:
        import dask_geopandas
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "the partitioned path needs the 'scale' extra: pip install 'panjwatch[scale]' "
            "(dask-geopandas>=0.4, distributed>=2024.1)"
        ) from exc
    return dask_geopandas


def _shapes(data_dir: Path | str):
    from geo.data.load import load_shapes

    frames, problems = load_shapes(Path(data_dir) / "shapes")
    if problems:
        raise ValueError("the shapes cannot be read: " + "; ".join(str(p) for p in problems[:3]))
    return frames["admin1"], frames["border"], frames["border_detail"]


def _enrich_partition(part: gpd.GeoDataFrame, admin1, border, border_detail) -> gpd.GeoDataFrame:
    from geo.data.importers.enrichment import enrich_imported

    return enrich_imported(part, admin1, border, border_detail)


def enrich_partitioned(
    events: gpd.GeoDataFrame,
    npartitions: int = 4,
    data_dir: Path | str = DATA_DIR,
    client=None,
) -> gpd.GeoDataFrame:
    """Enrich ``events`` in ``npartitions`` dask partitions and gather the result.

    Parameters
    ----------
    events : GeoDataFrame
        Normalised imported events (EPSG:4326).
    npartitions : int
        Number of partitions (tasks).
    data_dir : path
        Curated data folder whose ``shapes/`` are used for the join.
    client : distributed.Client, optional
        Run on this cluster; default: dask's current scheduler.

    Returns
    -------
    GeoDataFrame
        The same rows and columns as :func:`geo.data.importers.enrichment.enrich_imported`, in order.
    """
    dask_geopandas = _require_dask()
    admin1, border, border_detail = _shapes(data_dir)
    dgdf = dask_geopandas.from_geopandas(events, npartitions=npartitions)
    meta = _enrich_partition(events.iloc[:1], admin1, border, border_detail).iloc[:0]
    out = dgdf.map_partitions(_enrich_partition, admin1, border, border_detail, meta=meta)
    result = client.compute(out).result() if client is not None else out.compute()
    return gpd.GeoDataFrame(result, geometry="geometry", crs=events.crs)


def enrich_parquet(src: str | Path, dst: str | Path, data_dir: Path | str = DATA_DIR, client=None) -> int:
    """Read GeoParquet partitions from ``src``, enrich each, write them to ``dst``; return the row count.

    Nothing is gathered on the calling machine: each worker reads, joins and
    writes its own partitions, so the data may be larger than any one machine.
    """
    dask_geopandas = _require_dask()
    admin1, border, border_detail = _shapes(data_dir)
    dgdf = dask_geopandas.read_parquet(src)
    meta = _enrich_partition(dgdf.head(1, npartitions=-1), admin1, border, border_detail).iloc[:0]
    out = dgdf.map_partitions(_enrich_partition, admin1, border, border_detail, meta=meta)
    written = out.to_parquet(dst, compute=False)
    (client.compute(written).result() if client is not None else written.compute())
    count = dask_geopandas.read_parquet(dst).map_partitions(len).sum()
    return int(client.compute(count).result() if client is not None else count.compute())
