"""Download widgets: map snapshots, offline HTML, data files, the briefing pack and the slide deck.

Files are generated only when their button is clicked (Streamlit's deferred
``data`` callables), so drawing a page costs next to nothing (nothing built for
a file is computed before its click); the generators are the
``geo`` services the command line uses, so a download and ``panjwatch snapshot``
give the same bytes for the same selection.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.export.gpkg import to_gpkg_bytes
from geo.export.tables import to_csv_bytes, to_geojson_bytes, write_csv_gz
from geo.query.selection import Selection, provenance
from geo.render.briefpack import briefing_pack, pack_file_name
from geo.render.html import file_name as html_file_name
from geo.render.html import map_html
from geo.render.slides import MIME as PPTX_MIME
from geo.render.slides import build_slides, slides_file_name
from geo.render.snapshot import MIME, SIZE_PRESETS, SnapshotRequest, file_name, snapshot
from geo.report.text import md_escape
from geo.scene.view import View
from ui import data, static

SIZE_LABELS = {
    "1920x1080": "1920 × 1080 px (slides)",
    "a4-landscape": "A4 landscape, 300 dpi",
    "a4-portrait": "A4 portrait, 300 dpi",
}
FORMAT_LABELS = {"png": "PNG image", "svg": "SVG (vector, editable)", "pdf": "PDF (vector)"}


def _bands() -> gpd.GeoDataFrame:
    return data.load_app_data().bands


def render_map_downloads(page: str, sel: Selection, layers: tuple[str, ...], view: View) -> None:
    """Under a map: download what it shows (same filters, layers and extent) and its data.

    Parameters
    ----------
    page : {"regional", "sector"}
        The map page; the regional page's province shading is read from its widget.
    sel : Selection
        The page's selection (filters, events, claims).
    layers : tuple of str
        The visible layers.
    view : View
        The map's current centre and zoom.
    """
    app = data.load_app_data()
    bundle, bands = app.bundle, app.bands
    shade = st.session_state.get(f"{page}-shade", "none") if page == "regional" else "none"
    with st.expander("Download this map, its data or the briefing pack", icon=":material/download:"):
        c1, c2, c3 = st.columns([2, 2, 3])
        fmt = c1.selectbox(
            "Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.get, key=f"{page}-dl-format"
        )
        size = c2.selectbox("Size", list(SIZE_LABELS), format_func=SIZE_LABELS.get, key=f"{page}-dl-size")
        w, h, dpi = SIZE_PRESETS[size]
        req = SnapshotRequest(
            page=page,
            filters=sel.filters,
            layers=tuple(layers),
            view=view,
            width_px=w,
            height_px=h,
            dpi=dpi,
            fmt=fmt,
            shade=shade,
        )
        with c3:
            st.download_button(
                f"Map snapshot ({fmt.upper()})",
                data=lambda: snapshot(bundle, req, bands),
                file_name=file_name(req, bundle.version),
                mime=MIME[fmt],
                key=f"{page}-dl-snapshot",
                on_click="ignore",
                icon=":material/map:",
            )
            st.download_button(
                "Interactive map (offline HTML)",
                data=lambda: map_html(bundle, req, bands).encode("utf-8"),
                file_name=html_file_name(req),
                mime="text/html",
                key=f"{page}-dl-html",
                on_click="ignore",
                icon=":material/public:",
            )
        st.caption(
            "The snapshot has the same filters, layers and extent as the map above, with title, legend, "
            "scale bar, north arrow, sources and caveats; the HTML map works with no internet."
        )
        render_data_downloads(sel, key=page)


def _claims_geo(sel: Selection) -> gpd.GeoDataFrame:
    # Built on click only: indexing every selected event by id costs ~30 ms a rerun at 100k events.
    return gpd.GeoDataFrame(
        sel.claims,
        geometry=list(sel.events.set_index("event_id").geometry.reindex(sel.claims["event_id"])),
        crs="EPSG:4326",
    )


#: Bytes per event row of the Events CSV (measured: 1,000,000 synthetic imported events -> 651 MB;
#: the curated events, with long notes, ~1,030).
CSV_BYTES_PER_EVENT = (650, 1_050)
#: Above this many events the panel says how large the CSV will be before it is built.
LARGE_EXPORT = 100_000


def _large_csv(sel: Selection, file_name: str, key: str) -> None:
    """The Events CSV of a large selection: built on request, gzip-compressed, to disk, with a
    progress bar, then fetched from this server's static folder (streamed from disk, so neither
    the server nor Streamlit holds the file in memory)."""
    done = st.session_state.get(key)
    if done and done.get("selection") == sel.filters.summary() and done.get("rows") == len(sel.events):
        st.link_button(
            f"Download Events CSV (.gz, {done['bytes'] / 1e6:,.1f} MB)",
            done["url"],
            icon=":material/download:",
        )
        return
    if not st.button("Prepare Events CSV (.gz)", key=f"{key}-prepare"):
        return
    bar = st.progress(0.0, text="Writing the Events CSV…")
    try:
        path, url = static.export_path(file_name)
        size = write_csv_gz(
            sel.events, path, progress=lambda f: bar.progress(f, text=f"Writing the Events CSV… {f:.0%}")
        )
    except OSError as exc:
        bar.empty()
        st.error(
            f"The Events CSV could not be written ({md_escape(str(exc))}); use `panjwatch export` instead."
        )
        return
    bar.empty()
    st.session_state[key] = {
        "selection": sel.filters.summary(),
        "rows": len(sel.events),
        "url": url,
        "bytes": size,
    }
    st.link_button(f"Download Events CSV (.gz, {size / 1e6:,.1f} MB)", url, icon=":material/download:")


def render_data_downloads(sel: Selection, key: str) -> None:
    """CSV, GeoJSON and GeoPackage of the selection, the briefing pack PDF and the slide deck."""
    app = data.load_app_data()
    bundle, bands = app.bundle, app.bands
    prov = provenance(bundle, sel.filters, sel.events)
    years = "-".join(map(str, sorted(sel.filters.years))) or "all"
    stem = f"panjwatch-{years}-{bundle.version}"
    cols = st.columns(5)
    buttons = [
        ("events-csv", "Events CSV", lambda: to_csv_bytes(sel.events), f"{stem}-events.csv", "text/csv"),
        ("claims-csv", "Claims CSV", lambda: to_csv_bytes(sel.claims), f"{stem}-claims.csv", "text/csv"),
        (
            "events-geojson",
            "Events GeoJSON",
            lambda: to_geojson_bytes(sel.events, prov),
            f"{stem}-events.geojson",
            "application/geo+json",
        ),
        (
            "claims-geojson",
            "Claims GeoJSON",
            lambda: to_geojson_bytes(_claims_geo(sel), prov),
            f"{stem}-claims.geojson",
            "application/geo+json",
        ),
        (
            "gpkg",
            "GeoPackage (QGIS)",
            lambda: to_gpkg_bytes(bundle, sel.filters),
            f"{stem}.gpkg",
            "application/geopackage+sqlite3",
        ),
    ]
    large = len(sel.events) > LARGE_EXPORT
    for col, (slug, label, make, name, mime) in zip(cols, buttons, strict=True):
        if large and slug == "events-csv":
            with col:
                _large_csv(sel, f"{stem}-events.csv.gz", key=f"{key}-dl-{slug}")
            continue
        col.download_button(
            label, data=make, file_name=name, mime=mime, key=f"{key}-dl-{slug}", on_click="ignore"
        )
    pack_col, slides_col = st.columns(2)
    pack_col.download_button(
        "Briefing pack (PDF)",
        data=lambda: briefing_pack(bundle, sel.filters, bands=bands),
        file_name=pack_file_name(sel.filters, bundle.version),
        mime="application/pdf",
        key=f"{key}-dl-pack",
        on_click="ignore",
        icon=":material/description:",
        type="primary",
    )
    # The same deck as ``panjwatch slides`` with these filters (its default map, the sector page).
    slides_col.download_button(
        "Slides (PowerPoint)",
        data=lambda: build_slides(bundle, sel.filters, bands=bands),
        file_name=slides_file_name(sel.filters, bundle.version),
        mime=PPTX_MIME,
        key=f"{key}-dl-slides",
        on_click="ignore",
        icon=":material/slideshow:",
    )
    if len(sel.events) > LARGE_EXPORT:
        st.caption(
            f"{len(sel.events):,} events: each file is built when its button is clicked. The Events CSV "
            f"({len(sel.events) * CSV_BYTES_PER_EVENT[0] / 1e6:,.0f}–{len(sel.events) * CSV_BYTES_PER_EVENT[1] / 1e6:,.0f}"
            " MB uncompressed) is written to disk gzip-compressed, with progress, and downloaded from there; "
            "open it with any CSV tool that reads .gz (pandas, QGIS, 7-Zip), or narrow the filters."
        )
    st.caption(
        f"Every file carries its provenance (the GeoJSON a `provenance` member, the GeoPackage a `metadata` "
        f"table, the CSV its file name and this line): {md_escape(prov)}"
    )
