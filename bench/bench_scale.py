"""Scale benchmark: import and join at 100k and 1M events, filter changes, payload, memory, and Folium.

Run: .venv/bin/python bench/bench_scale.py [--runs 3] [--skip-1m] [--skip-browser]

Prints medians of ``--runs`` runs (each measured in a fresh process, so peak RSS is
that run's own), with same-run baselines:

1. import (read + check + join + store) of synthetic ACLED exports of 100k and 1M
   events (``geo.data.synth``: events coded to a gazetteer of places, as ACLED's are),
   and of 100k events that each have their own point (the join's worst case);
2. the join: the same enrichment as ``geo.spatial.enrich.enrich_events`` done by a per-row
   Shapely loop on a 10k sample vs the vectorised path on the same sample;
3. the app's load of the store (curated + imported, merged) and peak RSS;
4. a filter change at 100k and 1M: ``geo.query.selection.select`` + deck + JSON (server
   time) and the deck JSON bytes sent; and the whole regional page through AppTest;
5. the same 10k points on our regional map page vs a Folium map through
   streamlit-folium (bench-only dependency), in headless Chromium: bytes received
   and time until the points are painted, read from the page's own clock (ours: the
   frame after deck.gl's first WebGL draw; Folium: the frame after all 10,000
   markers are in Leaflet's SVG), each load started with both servers idle; once as
   a first visit (empty browser cache) and once as a returning viewer (cache kept).
   Folium loads Leaflet from a CDN, which this machine cannot reach: Leaflet 1.9.3
   is served locally from ``bench/out/leaflet`` when present (``cd bench/out/leaflet
   && npm pack leaflet@1.9.3 && tar xzf leaflet-1.9.3.tgz``), its other CDN files are
   answered empty and anything else off-machine is blocked; without Leaflet the
   Folium map cannot paint and only bytes are reported.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
LEAFLET_DIR = OUT / "leaflet" / "package" / "dist"
#: Markers of both maps are drawn in this colour (Okabe–Ito vermillion), so one detector finds both.
MARK = (213, 94, 0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def csv_for(size: str, unique: bool = False) -> Path:
    from geo.data.synth import write_acled_csv

    name = f"synth-{size}{'-unique' if unique else ''}.csv"
    path = OUT / name
    if not path.exists():
        print(f"  generating {path.name} …", flush=True)
        write_acled_csv(path, SIZES[size], n_places=0 if unique else None)
    return path


# --- workers (each runs in its own process) ------------------------------------------------


def worker_import(csv: str, store: str) -> dict:
    from geo.data.importers import import_file
    from geo.data.store import Store

    stages: dict[str, float] = {}

    def progress(_f: float, message: str) -> None:
        stages.setdefault(message.split(" ")[0], time.perf_counter())

    t0 = time.perf_counter()
    out = import_file(csv, "acled", "bench", store=Store(store), replace=True, progress=progress)
    dt = time.perf_counter() - t0
    # "joining …" starts the join; "looking for duplicates" ends it.
    join_s = stages.get("looking", t0) - stages.get("joining", t0)
    return {"seconds": dt, "join_seconds": join_s, "events": out.loaded, "peak_rss_mb": peak_rss_mb()}


def worker_load(store: str, filters: bool) -> dict:
    from geo.data.bundle import merge_into_bundle
    from geo.data.importers.common import release_memory
    from geo.data.load import load_bundle
    from geo.data.store import Store
    from geo.query.filters import Filters
    from geo.query.selection import select
    from geo.render.mapdecks import regional_deck

    t0 = time.perf_counter()
    bundle = merge_into_bundle(load_bundle(), Store(store))
    release_memory()
    load_s = time.perf_counter() - t0
    res = {"load_seconds": load_s, "events": len(bundle.events), "after_load_rss_mb": peak_rss_mb()}
    if filters:
        years = sorted(int(y) for y in bundle.events["year"].dropna().unique())
        changes = [
            ("all events", Filters()),
            ("one year", Filters(years=(years[len(years) // 2],))),
            ("one actor", Filters(actors=("Taliban",))),
            ("type + two years", Filters(types=("attack",), years=tuple(years[-2:]))),
        ]
        rows = []
        for label, f in changes:
            times, sizes = [], []
            for _ in range(3):
                t = time.perf_counter()
                sel = select(bundle, f)
                deck = regional_deck(sel.events, bundle.admin1, bundle.border, bundle.rivers, bundle.places)
                js = deck.to_json()
                times.append(time.perf_counter() - t)
                sizes.append(len(js.encode()))
            rows.append(
                {"label": label, "events": len(sel.events), "seconds": med(times), "bytes": sizes[-1]}
            )
            del sel, deck, js
        res["filters"] = rows
    res["peak_rss_mb"] = peak_rss_mb()
    return res


def worker_page(store: str) -> dict:
    """The whole regional page (sidebar, view picker, deck, legend, details) through AppTest."""
    from streamlit.testing.v1 import AppTest

    os.environ["PANJWATCH_STORE"] = store
    rows = []
    from ui import state

    for label, params in [
        ("first load", {}),
        ("one year", {state.K_YEARS: [2021]}),
        ("one actor", {state.K_ACTORS: ["Taliban"]}),
    ]:
        # A new session whose sidebar state holds the filter: the same script run as a sidebar change.
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        if params:
            at.session_state[state.K_SEEDED] = True
            for k, v in params.items():
                at.session_state[k] = v
        at.switch_page("pages/regional_map.py")
        if label == "first load":
            at.run()  # fills the data cache, shared by every session of the server
        t = time.perf_counter()
        at.run()
        dt = time.perf_counter() - t
        ok = not at.exception
        sent = sum(len(c.proto.json) for c in at.get("deck_gl_json_chart"))
        opts = sum(len(s.options) for s in at.selectbox)
        shown = at.caption[0].value.split(" events")[0] if at.caption else "?"
        rows.append(
            {
                "label": label,
                "seconds": dt,
                "ok": ok,
                "deck_bytes": sent,
                "selectbox_options": opts,
                "events": shown,
            }
        )
    return {"pages": rows, "peak_rss_mb": peak_rss_mb()}


def worker_join(n: int) -> dict:
    """Per-row Shapely loop vs the vectorised enrichment, same 10k sample, same columns."""
    import numpy as np
    import shapely
    from pyproj import Geod, Transformer
    from shapely.geometry import Point

    from geo.data.importers import read_acled
    from geo.data.importers.enrichment import enrich_imported
    from geo.data.load import load_shapes
    from geo.data.paths import DATA_DIR, METRIC_CRS
    from geo.spatial.enrich import enrich_events
    from geo.spatial.join import join_admin1

    shapes, _ = load_shapes(DATA_DIR / "shapes")
    admin1, border, detail = shapes["admin1"], shapes["border"], shapes["border_detail"]
    ev = read_acled(csv_for("100k"), dataset="b").events.iloc[:n]
    uniq = read_acled(csv_for("100k", unique=True), dataset="u").events.iloc[:n]
    safe = uniq.assign(
        country=uniq["country"]
        .astype(str)
        .where(uniq["country"].isin(["Afghanistan", "Tajikistan"]), "Afghanistan"),
        admin1=uniq["admin1"].astype(str),
    )

    to_m = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    back = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    geod = Geod(ellps="WGS84")
    polys = list(admin1.to_crs(METRIC_CRS).itertuples())
    lines = [shapely.union_all(g.to_crs(METRIC_CRS).geometry.to_numpy()) for g in (border, detail)]

    def row_loop(frame, with_border: bool) -> float:
        t = time.perf_counter()
        for lon, lat, country in zip(frame["longitude"], frame["latitude"], frame["country"], strict=True):
            p = Point(*to_m.transform(float(lon), float(lat)))
            hit = next((r for r in polys if r.geometry.intersects(p)), None)
            if hit is None:
                near = min(polys, key=lambda r: r.geometry.distance(p))
                side = near.country if near.geometry.distance(p) <= 10_000 else None
            else:
                side = hit.country
            if not with_border:
                continue
            dist = []
            for line in lines:
                a, b = shapely.ops.nearest_points(p, line)
                lo0, la0 = back.transform(a.x, a.y)
                lo1, la1 = back.transform(b.x, b.y)
                dist.append(geod.inv(lo0, la0, lo1, la1)[2] / 1000)
            side = side or {"Tajikistan": "TJ", "Afghanistan": "AF"}.get(country)
            if side and dist[0] <= 50:
                other = [r for r in polys if r.country != side]
                min(other, key=lambda r: r.geometry.distance(p))
        return time.perf_counter() - t

    res = {}
    for label, frame in (("unique points", uniq), ("ACLED-like places", ev)):
        res[label] = {
            "loop_full": row_loop(frame, True),
            "loop_join": row_loop(frame, False),
            "vec_join": _time(lambda f=frame: join_admin1(f.assign(admin1=f["admin1"].astype(str)), admin1)),
            "vec_full": _time(lambda: enrich_events(safe, admin1, border, detail))
            if label == "unique points"
            else _time(lambda f=frame: enrich_imported(f, admin1, border, detail)),
            "places": int(len(frame[["longitude", "latitude"]].drop_duplicates())),
        }
    res["n"] = n
    del np
    return res


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


WORKERS = {"import": worker_import, "load": worker_load, "page": worker_page, "join": worker_join}


def run_worker(kind: str, *args) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {kind} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- browser: ours vs Folium ---------------------------------------------------------------

FOLIUM_PAGE = """
import html, os
import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

st.set_page_config(page_title="Folium", layout="wide")
df = pd.read_parquet(os.environ["BENCH_POINTS"])
m = folium.Map(location=[37.75, 70.2], zoom_start=7, tiles=None)
for r in df.itertuples(index=False):
    tip = f"<b>{html.escape(str(r.location))}</b><br/>{r.event_date:%d %b %Y} · {html.escape(str(r.category))}<br/>killed {r.fatalities}"
    folium.CircleMarker([r.latitude, r.longitude], radius=5, color="#d55e00", weight=1, fill=True,
                        fill_color="#d55e00", fill_opacity=0.9, tooltip=tip).add_to(m)
st.title("Folium map")
st_folium(m, height=560, use_container_width=True, returned_objects=[])
"""


def _painted_fraction(png: bytes) -> float:
    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    # Vermillion markers, and the orange–red hexagon ramp of our bins (blended over pale provinces).
    hit = (img[..., 0] > 180) & (img[..., 2] < 120) & (img[..., 0] - img[..., 2] > 90)
    return float(hit.mean())


CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna.bootstrapcdn.com")


def _offline_answer(url: str) -> tuple[int, str, bytes] | None:
    """What this machine answers for a request that would leave it (Folium's CDN assets)."""
    if "leaflet@" in url and url.endswith(("leaflet.js", "leaflet.css")):
        kind = "text/css" if url.endswith(".css") else "application/javascript"
        return 200, kind, (LEAFLET_DIR / Path(url).name).read_bytes()
    if url.endswith((".js", ".css")):
        # jQuery, Bootstrap, awesome-markers, Font Awesome: unused by circle markers, but the
        # component loads them one after the other; an empty file lets it go on (in Folium's favour).
        return 200, "text/css" if url.endswith(".css") else "application/javascript", b""
    return None


def _wait_server_idle(pid: int, timeout: float = 180.0) -> None:
    """Wait until a Streamlit server has finished the script runs of closed sessions.

    A session whose tab closes mid-run keeps running its script on the server (the Folium
    page builds 10,000 markers in Python for ~20 s); measuring the other page meanwhile
    would charge it for that CPU. Idle = under 5% CPU over two consecutive 0.5 s windows.
    """
    import psutil

    proc = psutil.Process(pid)
    quiet, deadline = 0, time.perf_counter() + timeout
    while time.perf_counter() < deadline and quiet < 2:
        procs = [proc, *proc.children(recursive=True)]
        for q in procs:
            q.cpu_percent(None)
        time.sleep(0.5)
        busy = sum(q.cpu_percent(None) for q in procs)
        quiet = quiet + 1 if busy < 5.0 else 0


#: Installed in every frame. "Painted" is read from the page's own clock, so polling costs nothing:
#: ours at the frame after deck.gl's first WebGL draw (its first frame draws every layer from the
#: inline JSON), Folium's when all its circle markers are in Leaflet's SVG and a frame has passed.
PAINT_HOOK = """
(() => {
  const abs = () => performance.timeOrigin + performance.now();
  for (const proto of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    for (const name of ["drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced"]) {
      const orig = proto[name];
      if (!orig) continue;
      proto[name] = function (...args) {
        if (window.__pwDraw === undefined) {
          window.__pwDraw = abs();
          requestAnimationFrame(() => { window.__pwPainted = abs(); });
        }
        return orig.apply(this, args);
      };
    }
  }
  // Polled inside the frame (every 20 ms of its own clock): the component rewrites its
  // document, which would silently detach a MutationObserver.
  const want = __MARKERS__;
  const timer = setInterval(() => {
    if (document.querySelectorAll("path.leaflet-interactive").length >= want) {
      clearInterval(timer);
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__pwPainted = abs(); }));
    }
  }, 20);
})();
"""


def _painted_at(page) -> float | None:
    """Seconds from navigation start to the paint signal of any frame, or None yet."""
    origin = page.evaluate("() => performance.timeOrigin")
    for frame in page.frames:
        try:
            t = frame.evaluate("() => window.__pwPainted")
        except Exception:  # noqa: BLE001 - a frame navigating away between polls
            continue
        if t is not None:
            return (t - origin) / 1000.0
    return None


def measure_page(ctx, url: str, selector: str) -> dict:
    """Open ``url`` in a new tab of ``ctx``; bytes received and seconds until the markers are painted.

    Requests that would leave the machine are answered through the DevTools ``Fetch`` domain for
    those hosts only, so the browser's HTTP cache still works: a tab in a context that has
    loaded the page before is a returning viewer (warm cache), a fresh context a first visit.
    """
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    answered, blocked = [], []
    cdp.send(
        "Fetch.enable",
        {"patterns": [{"urlPattern": f"*://{h}/*"} for h in CDN_HOSTS] + [{"urlPattern": "https://*"}]},
    )

    def paused(e):
        url = e["request"]["url"]
        got = (
            _offline_answer(url)
            if url.split("/")[2] in CDN_HOSTS and (LEAFLET_DIR / "leaflet.js").is_file()
            else None
        )
        if got is None:
            blocked.append(url)
            cdp.send("Fetch.failRequest", {"requestId": e["requestId"], "errorReason": "BlockedByClient"})
            return
        status, kind, body = got
        answered.append(url)
        cdp.send(
            "Fetch.fulfillRequest",
            {
                "requestId": e["requestId"],
                "responseCode": status,
                "responseHeaders": [{"name": "Content-Type", "value": kind}],
                "body": base64.b64encode(body).decode(),
            },
        )

    cdp.on("Fetch.requestPaused", paused)
    got = {"http": 0, "ws": 0, "cached": 0}
    cdp.on(
        "Network.loadingFinished",
        lambda e: got.__setitem__("http", got["http"] + int(e.get("encodedDataLength", 0))),
    )
    cdp.on("Network.requestServedFromCache", lambda e: got.__setitem__("cached", got["cached"] + 1))

    def ws(e):
        data = e["response"].get("payloadData", "")
        got["ws"] += len(data) * 3 // 4 if e["response"].get("opcode") == 2 else len(data.encode())

    cdp.on("Network.webSocketFrameReceived", ws)
    page.goto(url)
    painted_at, visible = None, None
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline and painted_at is None:
        page.wait_for_timeout(100)
        painted_at = _painted_at(page)
    if painted_at is not None:
        # Not timed: check that what the signal announced is on screen (the markers' colour).
        page.wait_for_timeout(500)
        visible = _painted_fraction(page.locator(selector).first.screenshot(timeout=30_000))
        if visible < 0.003:
            painted_at = None
    page.wait_for_timeout(300)
    page.close()
    return {
        "painted_s": painted_at,
        "visible_fraction": visible,
        "http_bytes": got["http"],
        "ws_bytes": got["ws"],
        "from_cache": got["cached"],
        "answered": sorted({u.split("/")[2] for u in answered}),
        "blocked": sorted({u.split("/")[2] for u in blocked}),
    }


def browser_compare(runs: int) -> dict:
    from conftest import CHROMIUM, CHROMIUM_ARGS, start_streamlit
    from playwright.sync_api import sync_playwright

    from geo.data.importers import import_file
    from geo.data.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    store = Store(tmp / "store")
    import_file(csv_for("10k"), "acled", "bench10k", store=store)
    pts = store.read("bench10k")[
        ["latitude", "longitude", "location", "event_date", "category", "fatalities"]
    ]
    pd_path = tmp / "points.parquet"
    import pandas as pd

    pd.DataFrame(pts).assign(
        latitude=pts["latitude"].astype(float),
        longitude=pts["longitude"].astype(float),
        fatalities=pts["fatalities"].astype("Int64").fillna(0).astype(int),
        location=pts["location"].astype(str),
        category=pts["category"].astype(str),
    ).to_parquet(pd_path)
    folium_script = tmp / "folium_page.py"
    folium_script.write_text(FOLIUM_PAGE)
    leaflet = (LEAFLET_DIR / "leaflet.js").is_file()
    ours_proc, ours_url = start_streamlit(ROOT / "app.py", {"PANJWATCH_STORE": str(store.root)}, timeout=120)
    theirs_proc, theirs_url = start_streamlit(folium_script, {"BENCH_POINTS": str(pd_path)}, timeout=120)
    pages = {
        "ours": (ours_proc, f"{ours_url}/regional_map", '[data-testid="stDeckGlJsonChart"]'),
        "folium": (theirs_proc, theirs_url, 'iframe[title="streamlit_folium.st_folium"]'),
    }
    out = {"cold": {"ours": [], "folium": []}, "warm": {"ours": [], "folium": []}, "leaflet_local": leaflet}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            viewport = {"viewport": {"width": 1400, "height": 1000}}
            hook = PAINT_HOOK.replace("__MARKERS__", str(len(pts)))

            def context():
                ctx = browser.new_context(**viewport)
                ctx.add_init_script(hook)
                return ctx

            returning = {who: context() for who in pages}

            def one(who: str, ctx) -> dict:
                _proc, url, selector = pages[who]
                for q, _u, _s in pages.values():
                    _wait_server_idle(q.pid)
                return measure_page(ctx, url, selector)

            # Warm both servers (data caches, first script run) and the returning viewers' caches.
            for who in pages:
                one(who, returning[who])
            for _ in range(runs):
                for who in pages:
                    fresh = context()
                    out["cold"][who].append(one(who, fresh))
                    fresh.close()
                    out["warm"][who].append(one(who, returning[who]))
            browser.close()
    finally:
        for proc in (ours_proc, theirs_proc):
            proc.terminate()
            proc.wait(20)
        shutil.rmtree(tmp, ignore_errors=True)
    return out


# --- report ---------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-1m", action="store_true")
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        kind, *args = a.worker
        fn = WORKERS[kind]
        conv = {"load": lambda s, f: (s, f == "1"), "join": lambda n: (int(n),)}.get(kind, lambda *x: x)
        print(json.dumps(fn(*conv(*args)), default=str))
        return 0

    sys.path.insert(0, str(ROOT / "tests"))
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = ["100k"] if a.skip_1m else ["100k", "1m"]
    print(f"Panj Watch scale benchmark — medians of {a.runs} runs, each in a fresh process\n", flush=True)

    print("1. Import (read + row checks + join + store), synthetic ACLED exports")
    stores, joins = {}, {}
    for size in [*sizes, "100k-unique"]:
        unique = size.endswith("unique")
        csv = csv_for(size.split("-")[0], unique=unique)
        store = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
        runs = [run_worker("import", csv, store) for _ in range(a.runs)]
        stores[size] = store
        s = med([r["seconds"] for r in runs])
        joins[size] = med([r["join_seconds"] for r in runs])
        n = runs[0]["events"]
        print(
            f"   {size:12s} {n:>9,} events  {s:7.2f} s  {n / s:>10,.0f} events/s  (join {joins[size]:.2f} s)  "
            f"peak RSS {max(r['peak_rss_mb'] for r in runs):,.0f} MB",
            flush=True,
        )

    print(
        "\n2. Join: per-row Shapely loop vs vectorised, same 10k sample (same columns as geo.spatial.enrich)"
    )
    j = run_worker("join", 10_000)
    for label in ("unique points", "ACLED-like places"):
        r = j[label]
        print(f"   {label:18s} ({r['places']:,} distinct points)")
        print(
            f"     province join only : loop {r['loop_join']:6.2f} s  vectorised {r['vec_join']:6.3f} s  "
            f"→ {r['loop_join'] / r['vec_join']:6.1f}×"
        )
        print(
            f"     full enrichment    : loop {r['loop_full']:6.2f} s  vectorised {r['vec_full']:6.3f} s  "
            f"→ {r['loop_full'] / r['vec_full']:6.1f}×"
        )
    per_row = {
        "100k-unique": j["unique points"]["loop_full"] / j["n"],
        "other": j["ACLED-like places"]["loop_full"] / j["n"],
    }
    print(
        "   at scale (the loop's per-row cost from this 10k sample × events; the join timed inside step 1):"
    )
    for size, secs in joins.items():
        n = SIZES[size.split("-")[0]]
        loop = per_row["100k-unique" if size.endswith("unique") else "other"] * n
        print(f"     {size:12s} loop ≈ {loop:8.1f} s  vectorised join {secs:6.2f} s  → {loop / secs:6.1f}×")

    print("\n3–4. App: load of the store + curated data, and filter changes (select + deck + JSON)")
    for size in sizes:
        runs = [run_worker("load", stores[size], "1") for _ in range(a.runs)]
        print(
            f"   {size}: load {med([r['load_seconds'] for r in runs]):.2f} s ({runs[0]['events']:,} events); "
            f"peak RSS {max(r['peak_rss_mb'] for r in runs):,.0f} MB (load + four filter changes)"
        )
        for i, f in enumerate(runs[0]["filters"]):
            secs = med([r["filters"][i]["seconds"] for r in runs])
            print(
                f"     {f['label']:17s} {f['events']:>9,} events  server {secs * 1000:7.0f} ms  "
                f"deck JSON {f['bytes'] / 1024:7.0f} KiB"
            )
        page = run_worker("page", stores[size])
        for r in page["pages"]:
            print(
                f"     whole page via AppTest, {r['label']:10s} ({r['events']} events): {r['seconds'] * 1000:7.0f} ms  "
                f"deck {r['deck_bytes'] / 1024:6.0f} KiB  'Zoom to' options {r['selectbox_options']:,}"
                f"{'' if r['ok'] else '  (page raised)'}"
            )
        print(f"     whole-page peak RSS {page['peak_rss_mb']:,.0f} MB", flush=True)

    for store in stores.values():
        shutil.rmtree(store, ignore_errors=True)

    if not a.skip_browser:
        print(
            "\n5. The same 10k points in headless Chromium: our regional map vs Folium via streamlit-folium"
        )
        b = browser_compare(a.runs)
        mode = (
            "Leaflet 1.9.3 served locally from bench/out/leaflet; Folium's other CDN scripts and styles "
            "answered with empty files (not counted: in Folium's favour); anything else blocked"
            if b["leaflet_local"]
            else "Leaflet CDN blocked (not served locally): the Folium map cannot paint"
        )
        print(f"   ({mode}; each load starts with both servers idle)")
        tot = lambda rs: med([r["http_bytes"] + r["ws_bytes"] for r in rs])  # noqa: E731
        paint = lambda rs: [r["painted_s"] for r in rs if r["painted_s"] is not None]  # noqa: E731
        for cache, title in (
            ("cold", "first visit (empty browser cache)"),
            ("warm", "returning viewer (browser cache kept; Streamlit's bundles are immutable)"),
        ):
            print(f"   {title}")
            for who in ("ours", "folium"):
                rs = b[cache][who]
                pt = paint(rs)
                print(
                    f"     {who:7s} painted {med(pt) if pt else float('nan'):6.2f} s ({len(pt)}/{len(rs)} runs)  "
                    f"HTTP {med([r['http_bytes'] for r in rs]) / 1024:7.0f} KiB ({rs[0]['from_cache']} from cache)  "
                    f"websocket {med([r['ws_bytes'] for r in rs]) / 1024:6.0f} KiB  total {tot(rs) / 1024:7.0f} KiB  "
                    f"answered offline {rs[0]['answered']} blocked {rs[0]['blocked']}"
                )
            o, f = b[cache]["ours"], b[cache]["folium"]
            po, pf = paint(o), paint(f)
            print(
                f"     ratio Folium/ours: bytes {tot(f) / tot(o):.1f}×"
                + (f", time to paint {med(pf) / med(po):.1f}×" if po and pf else ""),
                flush=True,
            )
    print(f"\nthis process's peak RSS {peak_rss_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
