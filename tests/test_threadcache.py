"""geo.spatial.threadcache: per-thread entries keyed by content, never by id()."""

from __future__ import annotations

import re
import threading

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from geo.spatial.threadcache import ThreadCache, array_digest, frame_digest


def test_each_thread_builds_its_own_entry_once():
    cache: ThreadCache = ThreadCache(4)
    built: list[int] = []

    def build():
        built.append(threading.get_ident())
        return object()

    first = cache.get("k", build)
    assert cache.get("k", build) is first and len(built) == 1
    seen = []
    t = threading.Thread(target=lambda: seen.append(cache.get("k", build)))
    t.start()
    t.join()
    assert len(built) == 2 and seen[0] is not first  # another thread: its own prepared object


def test_oldest_entry_goes_first():
    cache: ThreadCache = ThreadCache(2)
    for k in "abc":
        cache.get(k, lambda k=k: k)
    calls = []
    cache.get("a", lambda: calls.append("a") or "a")
    assert calls == ["a"]  # "a" was dropped when "c" came


def test_digests_follow_content_not_identity():
    pts = gpd.GeoDataFrame({"name": ["x", "y"]}, geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:4326")
    assert frame_digest(pts, ("name",)) == frame_digest(pts.copy(), ("name",))
    assert frame_digest(pts, ("name",)) != frame_digest(pts.assign(name=["x", "z"]), ("name",))
    assert frame_digest(pts) != frame_digest(pts.to_crs("EPSG:32642"))
    a = np.array([[0.0, 1.0], [2.0, 3.0]])
    assert array_digest(a) == array_digest(a.copy()) != array_digest(a[::-1])


def test_no_cache_is_keyed_by_id():
    from geo.data.paths import REPO_ROOT

    code = [
        *(REPO_ROOT / "geo").rglob("*.py"),
        *(REPO_ROOT / "ui").rglob("*.py"),
        *(REPO_ROOT / "pages").rglob("*.py"),
    ]
    keyed = [
        str(p.relative_to(REPO_ROOT))
        for p in code
        if re.search(r"\bkey\w* = id\(|\[id\(", p.read_text(encoding="utf-8"))
    ]
    assert keyed == []
