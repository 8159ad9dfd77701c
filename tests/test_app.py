"""AppTest for every page, started from app.py: specs, filters, URL round-trip."""

from __future__ import annotations

import json

import pytest
from apptest import APP, deck_spec
from apptest import run_app as app
from streamlit.testing.v1 import AppTest

from geo.render.mapdecks import escape_tooltips

MAP_PAGES = {
    "pages/regional_map.py": [
        "provinces",
        "rivers",
        "border",
        "places",
        "place-labels",
        "landmarks",
        "landmark-labels",
        "event-leaders",
        "events",
    ],
    "pages/sector_map.py": [
        "provinces",
        "border-bands",
        "rivers",
        "border",
        "places",
        "place-labels",
        "landmarks",
        "landmark-labels",
        "claim-links",
        "claim-origins",
        "claim-labels",
        "uncertainty",
        "event-leaders",
        "events",
    ],
}
PAGES = [*MAP_PAGES, "pages/incidents.py"]


def qp(at: AppTest, name: str) -> list[str]:
    """A query parameter as a list (AppTest gives a bare string for one value)."""
    v = at.query_params.get(name, [])
    return [v] if isinstance(v, str) else list(v)


def layer(spec: dict, layer_id: str) -> dict:
    return next(lyr for lyr in spec["layers"] if lyr["id"] == layer_id)


def event_ids(spec: dict) -> set[str]:
    return {d["event_id"] for d in layer(spec, "events")["data"]}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(page):
    at = app(page=page)
    assert at.title[0].value


@pytest.mark.parametrize(("page", "ids"), MAP_PAGES.items())
def test_map_layer_ids_and_no_basemap(page, ids):
    spec = deck_spec(app(page=page))
    assert [lyr["id"] for lyr in spec["layers"]] == ids
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")  # Streamlit's "no basemap" sentinel


@pytest.mark.parametrize("page", MAP_PAGES)
def test_year_filter_2024_leaves_only_the_2024_events(page, bundle):
    spec = deck_spec(app({"year": "2024"}, page))
    ids = event_ids(spec)
    assert "pw-2024-11-18-zarbuz-attack" in ids
    years = bundle.events.set_index("event_id").loc[sorted(ids), "year"]
    assert set(years) == {2024}


def test_actor_filter_narrows_events_by_claims():
    at = app({"actor": "Taliban (Afghanistan)", "role": "denier"}, "pages/regional_map.py")
    ids = event_ids(deck_spec(at))
    assert "pw-2025-11-26-shohin-attack" in ids
    assert "pw-2024-11-18-zarbuz-attack" not in ids
    assert "pw-2025-11-28-china-embassy-advisory" not in ids


def test_sidebar_year_widget_filters_and_state_survives_page_switch():
    # AppTest shows the entry script's sidebar only on the default page, so the widget is
    # set there, then the map page is opened: the filter must follow.
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.sidebar.multiselect(key="f_years").set_value([2024]).run()
    assert qp(at, "year") == ["2024"]
    at.switch_page("pages/regional_map.py").run()
    assert not at.exception
    assert event_ids(deck_spec(at)) == {"pw-2024-11-18-zarbuz-attack", "pw-2024-11-19-china-mfa-statement"}
    assert qp(at, "year") == ["2024"]
    at.switch_page("pages/sector_map.py").run()
    assert event_ids(deck_spec(at)) == {"pw-2024-11-18-zarbuz-attack", "pw-2024-11-19-china-mfa-statement"}


def test_url_parameters_round_trip():
    params = {
        "year": ["2025"],
        "actor": ["Pakistan (government)"],
        "role": "accuser",
        "type": ["attack", "statement"],
        "tier": "seed",
        "from": "2025-11-01",
        "to": "2025-11-30",
        "view": "37.8414,70.0487,9.00",
    }
    at = app(params, "pages/regional_map.py")
    got = {k: qp(at, k) for k in params}
    assert got["year"] == ["2025"] and got["actor"] == ["Pakistan (government)"]
    assert got["role"] == ["accuser"] and sorted(got["type"]) == ["attack", "statement"]
    assert (
        got["from"] == ["2025-11-01"]
        and got["to"] == ["2025-11-30"]
        and got["view"] == ["37.8414,70.0487,9.00"]
    )
    spec = deck_spec(at)
    assert spec["initialViewState"] == {"latitude": 37.8414, "longitude": 70.0487, "zoom": 9.0}
    assert event_ids(spec) == {"pw-2025-11-26-shohin-attack", "pw-2025-11-27-pakistan-fo-statement"}


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"year": "1066"}, "year '1066' ignored"),
        ({"view": "nan,nan,9"}, "view 'nan,nan,9' ignored"),
        ({"from": "yesterday"}, "'from' date 'yesterday' ignored"),
        ({"actor": "__import__('os')"}, "ignored (not in the data)"),
        ({"colour": "red"}, "unknown URL parameter 'colour'"),
        ({"role": "emperor"}, "role 'emperor' ignored"),
    ],
)
def test_bad_url_parameters_give_a_notice_not_an_exception(params, notice):
    at = app(params, "pages/regional_map.py")
    texts = [t.value for t in at.text]  # notices are plain text (tests/test_links.py)
    assert any(notice in t for t in texts), texts
    assert len(event_ids(deck_spec(at))) > 5  # the bad value was ignored, the page still works


def test_shared_coordinate_events_are_both_drawn_apart():
    spec = deck_spec(app({"year": "2024"}, "pages/regional_map.py"))
    spec = deck_spec(app(page="pages/regional_map.py"))
    data = {d["event_id"]: d for d in layer(spec, "events")["data"]}
    a, b = data["pw-2024-11-18-zarbuz-attack"], data["pw-2025-11-26-shohin-attack"]
    assert a["true_position"] == b["true_position"]
    assert a["position"] != b["position"] and a["displaced"] and b["displaced"]


def test_tooltips_escape_text_from_data(data_copy, monkeypatch):
    import csv

    path = data_copy / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    rows[0]["location"] = '<img src=x onerror="alert(1)">Zarbuz'
    rows[0]["notes"] = "[click](http://evil.invalid) ![x](http://evil.invalid/i.png) <b>bold</b>"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setenv("PANJWATCH_DATA", str(data_copy))
    at = app({"year": "2024", "event": rows[0]["event_id"]}, "pages/regional_map.py")
    spec = deck_spec(at)
    rec = next(d for d in layer(spec, "events")["data"] if d["event_id"] == rows[0]["event_id"])
    # Plain text in the record; the template's HTML is fixed, and Streamlit escapes each value.
    assert rec["tip_title"] == rows[0]["location"]
    # Streamlit carries the tooltip beside the deck JSON, not inside it.
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert "{tip_title}" in tooltip["html"]
    esc = next(
        d for d in layer(escape_tooltips(spec), "events")["data"] if d["event_id"] == rows[0]["event_id"]
    )
    assert esc["tip_title"] == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Zarbuz"
    md = " ".join(m.value for m in at.markdown)
    assert "](http" not in md.replace("\\](http", "")  # the link syntax is escaped
    assert "\\<b\\>bold\\</b\\>" in md
    assert any("\\<img src\\=x" in h.value for h in at.subheader)  # the details title is escaped too


def test_bad_data_shows_a_clear_message_not_a_traceback(data_copy, monkeypatch):
    ev = data_copy / "events.csv"
    ev.write_text(
        ev.read_text(encoding="utf-8").replace("2025-11-26,,2025", "2025-11-31,,2025", 1), encoding="utf-8"
    )
    monkeypatch.setenv("PANJWATCH_DATA", str(data_copy))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "problem" in at.error[0].value
    table = at.dataframe[0].value
    assert {"file", "row", "field", "value", "problem"} <= set(table.columns)
    assert "event_date" in set(table["field"])


def test_incidents_search_and_row_selection_opens_details():
    at = app(page="pages/incidents.py")
    at.text_input(key="incidents-search").input("Shohin drone").run()
    table = at.dataframe[0].value
    assert "pw-2025-11-26-shohin-attack" in set(table["event_id"]) and len(table) < 5


def test_url_event_opens_details_panel_with_claims_and_quotes():
    at = app({"event": "pw-2025-11-26-shohin-attack"}, "pages/sector_map.py")
    md = " ".join(m.value for m in at.markdown)
    assert "Who said what" in md
    assert "criminal groups located in the neighboring country" in md.replace("\\", "")
    assert "denies" in md and "accuses" in md


def _events(curated: int, imported: int):
    import pandas as pd

    n = curated + imported
    # Curated events spread through the date order (first, last and between).
    spots = {round(k * (n - 1) / max(curated - 1, 1)) for k in range(curated)}
    assert len(spots) == curated
    return pd.DataFrame(
        {
            "event_id": [f"e{i:05d}" for i in range(n)],
            "dataset": ["curated" if i in spots else "x" for i in range(n)],
        }
    )


@pytest.mark.parametrize(
    ("curated", "imported", "limit", "shown", "hidden"),
    [(3, 10, 100, 13, 0), (3, 10, 13, 13, 0), (3, 10, 8, 8, 5), (3, 10, 2, 3, 10), (0, 10, 4, 4, 6)],
)
def test_incident_table_keeps_curated_events_and_the_latest_imported(curated, imported, limit, shown, hidden):
    from geo.query.table import limit_rows

    events = _events(curated, imported)
    kept, left_out = limit_rows(events, limit)
    assert (len(kept), left_out) == (shown, hidden)
    assert (kept["dataset"] == "curated").sum() == (events["dataset"] == "curated").sum()
    assert list(kept["event_id"]) == sorted(kept["event_id"])  # order kept
    rest = events[events["dataset"] != "curated"]["event_id"]
    kept_rest = kept[kept["dataset"] != "curated"]["event_id"]
    assert list(kept_rest) == list(rest.iloc[len(rest) - len(kept_rest) :])  # the latest ones


def test_incidents_page_sends_at_most_the_row_limit(tmp_path, monkeypatch, bundle):
    from conftest import synthetic_store

    from geo.query.table import TABLE_ROWS_MAX

    n = TABLE_ROWS_MAX + 300
    monkeypatch.setenv("PANJWATCH_STORE", str(synthetic_store(tmp_path, n, seed=8).root))
    at = app(page="pages/incidents.py")
    table = at.dataframe[0].value
    assert len(table) == TABLE_ROWS_MAX
    assert set(bundle.events["event_id"]) <= set(table["event_id"])
    hidden = len(bundle.events) + n - TABLE_ROWS_MAX
    assert any(f"{hidden:,} older imported events are not listed" in c.value for c in at.caption)
