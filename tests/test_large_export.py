"""Large Events CSV: written gzip-compressed to disk chunk by chunk, with progress, served by URL."""

from __future__ import annotations

import gzip

import pytest
from apptest import run_app

from geo.export.tables import to_csv_bytes, write_csv_gz
from geo.query.filters import Filters
from geo.query.selection import select


def test_gzip_file_holds_exactly_the_csv_and_progress_reaches_one(bundle, tmp_path):
    events = select(bundle, Filters()).events
    seen: list[float] = []
    path = tmp_path / "events.csv.gz"
    size = write_csv_gz(events, path, progress=seen.append)
    assert gzip.decompress(path.read_bytes()) == to_csv_bytes(events)
    assert size == path.stat().st_size and not list(tmp_path.glob("*.part"))
    assert seen[-1] == 1.0 and seen == sorted(seen)
    again = tmp_path / "again.csv.gz"
    write_csv_gz(events, again)
    assert again.read_bytes() == path.read_bytes()  # deterministic (gzip mtime 0)


def test_chunks_report_progress_per_chunk(bundle, tmp_path, monkeypatch):
    import geo.export.tables as tables

    events = select(bundle, Filters()).events
    seen: list[float] = []
    monkeypatch.setattr(tables, "CSV_CHUNK_ROWS", 4)
    tables.write_csv(events, open(tmp_path / "x.csv", "wb"), chunk_rows=4, progress=seen.append)
    assert len(seen) == -(-len(events) // 4) and seen[0] == 0.0


@pytest.mark.parametrize("page", ["pages/regional_map.py"])
def test_large_selection_offers_a_prepared_gzip_link(monkeypatch, tmp_path, bundle, page):
    import ui.exports as exports
    import ui.static as static

    monkeypatch.setattr(exports, "LARGE_EXPORT", 5)  # the curated 15 events count as "large" here
    monkeypatch.setattr(static, "EXPORT_DIR", tmp_path / "exports")
    at = run_app(page=page)
    key = "regional-dl-events-csv"
    assert not any(b.key == key for b in at.get("download_button"))
    at.button(key=f"{key}-prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    links = [b for b in at.get("link_button") if "Download Events CSV (.gz" in b.proto.label]
    assert len(links) == 1
    url = links[0].proto.url
    assert url.startswith("app/static/exports/") and url.endswith("-events.csv.gz")
    rel = url.removeprefix("app/static/exports/")
    data = gzip.decompress((tmp_path / "exports" / rel).read_bytes())
    from geo.data.bundle import open_bundle

    assert data == to_csv_bytes(select(open_bundle().bundle, Filters()).events)  # what the app shows
    # The next rerun keeps the link (same selection); no second build.
    at.run()
    assert [b.proto.url for b in at.get("link_button") if "Events CSV" in b.proto.label] == [url]
