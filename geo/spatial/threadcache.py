"""Per-thread caches of prepared GEOS structures, keyed by content.

GEOS builds a prepared geometry's internal indexes lazily and does not make that thread-safe
(libgeos/geos#825), and Streamlit runs every session's script in its own thread, so a prepared
line or polygon index is shared only within one thread. Keys are digests of the content
(:func:`frame_digest`, :func:`array_digest`), never ``id()``: a recycled id cannot hit a stale
entry, and equal content built twice shares one entry.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import geopandas as gpd
import numpy as np
import shapely

T = TypeVar("T")


class ThreadCache(Generic[T]):
    """A small cache per thread: at most ``size`` entries, the oldest dropped first."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._local = threading.local()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The entry for ``key`` in this thread, built by ``build()`` on a miss."""
        cache = getattr(self._local, "entries", None)
        if cache is None:
            cache = self._local.entries = {}
        hit = cache.get(key)
        if hit is None:
            hit = build()
            while len(cache) >= self.size:
                cache.pop(next(iter(cache)))
            cache[key] = hit
        return hit


def frame_digest(gdf: gpd.GeoDataFrame, columns: tuple[str, ...] = ()) -> str:
    """Digest of a frame's CRS, geometry (WKB) and the text of ``columns``."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update((gdf.crs.to_wkt() if gdf.crs is not None else "").encode())
    digest.update(b"".join(shapely.to_wkb(gdf.geometry.to_numpy(), include_srid=False)))
    for col in columns:
        digest.update(b"\x1e" + "\x1f".join(gdf[col].astype(str)).encode())
    return digest.hexdigest()


def array_digest(values: np.ndarray) -> str:
    """Digest of an array's shape, dtype and bytes (a line's coordinates)."""
    a = np.ascontiguousarray(values)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{a.shape}{a.dtype}".encode())
    digest.update(a.tobytes())
    return digest.hexdigest()
