"""The timeline: annotations computed from the data, honest date spans, the spec the
page sends (AppTest from app.py), the brush and pick round trip, playback, and the
offline PNG/SVG export."""

from __future__ import annotations

import io
import json
import socket
import struct
import xml.etree.ElementTree as ET
from datetime import date

import pandas as pd
import pytest
from apptest import APP, run_app
from PIL import Image
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from geo.query.filters import Filters, event_span
from geo.query.selection import select
from geo.render import timeline as tl
from geo.render.timeline.marks import _overlaps, _text_box
from geo.render.timeline.style import TEXT_PX

PAGE = "pages/timeline.py"
SHOHIN = "pw-2025-11-26-shohin-attack"
SHODAK = "pw-2025-11-30-shodak-attack"
HAMADONI = "pw-2025-11-20-hamadoni-drone-strike"
ZARBUZ = "pw-2024-11-18-zarbuz-attack"
PAK_AFGHAN = "pw-2025-10-pak-afghan-border-clashes"
BOGH = "pw-2025-12-23-bogh-post-clash"
DAY_MS = 86_400_000
# Session-state keys of the shared sidebar (ui/state.py) and of the playback (ui/playback.py).
K_YEARS, K_FROM, K_TO, K_PLAY_DAY = "f_years", "f_from", "f_to", "playback-day"


# ---------------------------------------------------------------------------
# Pure geo.render.timeline
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_id", "previous", "since", "first_day", "after", "by"),
    [
        # The first attack in the data; RFE/RL's sources spoke on the day but are media,
        # so the first *official* reaction is China's foreign ministry the next day.
        # (Data: the attack is the night of 17–18 Nov, so the reaction is 1–2 days after it.)
        (ZARBUZ, None, None, "2024-11-19", (1, 2), ("China (government): Ministry of Foreign Affairs",)),
        # After a month-only event the gap is a range: 1 Oct … 31 Oct 2025 to 20 Nov.
        (HAMADONI, PAK_AFGHAN, (20, 50), "2025-11-20", (0, 0), ("Tajikistan (government): Security forces",)),
        (
            SHOHIN,
            HAMADONI,
            (6, 6),
            "2025-11-27",
            (1, 1),
            # (Data: seed 003 names the ministry "Foreign Ministry", seeds 002 "Ministry of Foreign Affairs";
            # seed 004 names Pakistan's "foreign office" and "foreign ministry", and dates its own report
            # "Pakistan on Thursday condemned" with no body named.)
            (
                "Tajikistan (government): Ministry of Foreign Affairs",
                "Tajikistan (government): Foreign Ministry",
                "Pakistan (government): Foreign Office",
                "Pakistan (government): Foreign Ministry",
                "Pakistan (government)",
            ),
        ),
        (SHODAK, SHOHIN, (4, 4), "2025-12-01", (1, 1), ("Tajikistan (government): Border Troops",)),
        # Its only claims are undated: no reaction can be dated.
        (PAK_AFGHAN, ZARBUZ, (317, 348), None, None, ()),
    ],
)
def test_attack_notes_are_computed_from_the_data(bundle, event_id, previous, since, first_day, after, by):
    note = tl.attack_notes(bundle.events, bundle.claims)[event_id]
    assert note.previous_id == previous
    assert note.days_since_previous == since
    assert note.first_reaction_date == (pd.Timestamp(first_day) if first_day else None)
    assert note.first_reaction_days == after
    assert note.first_reaction_by == by


def test_previous_attack_follows_the_selection(bundle):
    # With 2024 filtered out the Oct 2025 clashes have no predecessor in the selection.
    sel = select(bundle, Filters(years=(2025,)))
    notes = tl.attack_notes(sel.events, sel.claims)
    assert notes[PAK_AFGHAN].previous_id is None
    assert notes[PAK_AFGHAN].lines()[0] == "first attack or clash in this selection"
    assert "6 days after the previous attack or clash" in notes[SHOHIN].lines()[0]


@pytest.mark.parametrize(
    ("speaker", "body", "official"),
    [
        ("Tajikistan (government)", "Ministry of Foreign Affairs", True),
        ("Taliban (Afghanistan)", "Ministry of Foreign Affairs", True),
        ("Taliban (Afghanistan)", "Foreign Minister Amir Khan Muttaqi", True),
        ("China (government)", "", True),
        ("RFE/RL sources", "unnamed sources", False),
        ("Afghan media", "", False),
        ("Unidentified outlet (seed 003)", "reporter", False),
    ],
)
def test_official_speakers(speaker, body, official):
    assert tl.is_official(speaker, body) is official


def test_focus_window_of_the_26_november_attack(bundle):
    note = tl.attack_notes(bundle.events, bundle.claims)[SHOHIN]
    assert tl.focus_window(note) == (pd.Timestamp("2025-11-15"), pd.Timestamp("2025-12-05"))


def test_month_and_range_events_are_spans_covering_every_possible_day(bundle):
    marks = tl.timeline_marks(bundle.events, bundle.claims).set_index("mark_id")
    start, end = event_span(bundle.events)
    expected_spans = set(bundle.events.loc[end > start, "event_id"])
    assert expected_spans == {ZARBUZ, PAK_AFGHAN, BOGH}  # the 2024 attack is the night of 17–18 Nov
    assert set(marks.index[marks["span"]]) == expected_spans
    # 00:00 of the first possible day to 24:00 of the last one.
    assert marks.loc[PAK_AFGHAN, "t"] == pd.Timestamp("2025-10-01").value // 10**6
    assert (marks.loc[PAK_AFGHAN, "t2"] - marks.loc[PAK_AFGHAN, "t"]) / DAY_MS == 31
    assert (marks.loc[BOGH, "t2"] - marks.loc[BOGH, "t"]) / DAY_MS == 2
    # A day-precision event is a point at noon, not a span.
    assert not marks.loc[SHOHIN, "span"]
    assert marks.loc[SHOHIN, "t"] == pd.Timestamp("2025-11-26 12:00").value // 10**6


def test_casualty_ranges_show_low_and_high(bundle):
    marks = tl.timeline_marks(bundle.events, bundle.claims).set_index("mark_id")
    # Zarbuz: injured 4 or 5 depending on the source → a dashed ring for the high figure.
    assert marks.loc[ZARBUZ, "casualties"] == "killed 1; injured 4–5"
    assert marks.loc[ZARBUZ, "size_high"] > marks.loc[ZARBUZ, "size"]
    assert pd.isna(marks.loc[SHOHIN, "size_high"])
    assert marks.loc[HAMADONI, "casualties"] == "killed 2; injured not reported"


def test_reactions_are_dated_claims_about_attacks_grouped_by_speaker_and_day(bundle):
    marks = tl.timeline_marks(bundle.events, bundle.claims)
    reactions = marks[marks["kind"] == "reaction"]
    claims = bundle.claims
    prim = set(bundle.events.loc[bundle.events["category"].isin(tl.PRIMARY), "event_id"])
    dated = claims[claims["event_id"].isin(prim) & claims["claim_date"].notna()]
    assert len(reactions) == len(dated.groupby(["event_id", "speaker", "claim_date"]))
    tajik = reactions.set_index("mark_id").loc[f"{SHOHIN}|Tajikistan (government)|2025-11-27"]
    assert tajik["label_focus"] == "accuses, condemns… +1 d"
    assert tajik["lane"] == "Tajikistan (government)"
    undated = tl.undated_claims(bundle.events, claims)
    assert set(undated["claim_id"]) == set(
        claims.loc[claims["event_id"].isin(prim) & claims["claim_date"].isna(), "claim_id"]
    )


@pytest.mark.parametrize("focus", [None, SHOHIN, SHODAK, ZARBUZ])
def test_placed_labels_do_not_overlap_each_other_or_marks(bundle, focus):
    view = tl.timeline_view(bundle.events, bundle.claims, focus=focus, width=tl.PAGE_WIDTH_PX)
    laid = view.marks
    placed = laid[laid["label_row"].notna()]
    assert len(placed) >= 4
    lo, hi = (pd.Timestamp(d).value // 10**6 for d in view.domain)
    px = tl.PAGE_WIDTH_PX / (hi - lo)
    boxes = []
    for _, r in placed.iterrows():
        w, h = _text_box(r["label_text"], TEXT_PX)
        x = (r["label_x"] - lo) * px
        if r["label_row"] in ("above", "below"):
            boxes.append((x - w / 2, x + w / 2, r["label_y"], r["label_y"] + h))
        elif r["label_row"] == "right":
            boxes.append((x + 7, x + 7 + w, r["label_y"] - h / 2, r["label_y"] + h / 2))
        else:
            boxes.append((x - 7 - w, x - 7, r["label_y"] - h / 2, r["label_y"] + h / 2))
    for i, a in enumerate(boxes):
        assert -1e-6 <= a[0] and a[1] <= tl.PAGE_WIDTH_PX + 8
        assert not _overlaps(a, boxes[i + 1 :]), placed.iloc[i]["label_text"]


@pytest.mark.parametrize(
    ("filters", "params"),
    [
        (Filters(), ["brush", "pick", "pick_span"]),
        (Filters(years=(2024,)), ["brush", "pick", "pick_span"]),  # the 17–18 Nov 2024 attack is a span
        # Only the month-long Oct 2025 clashes: a bar and no point (their claims are undated).
        (Filters(types=("clash",), date_to=date(2025, 10, 31)), ["brush", "pick_span"]),
        (Filters(years=(2024,), types=("visit",)), ["brush"]),
    ],
)
def test_view_lists_exactly_the_selections_in_its_spec(bundle, filters, params):
    sel = select(bundle, filters)
    view = tl.timeline_view(sel.events, sel.claims, filters)
    spec = view.chart.to_dict()
    in_spec = {p["name"] for p in spec.get("params", []) if "select" in p}
    in_spec |= {p["name"] for lyr in spec["layer"] for p in lyr.get("params", []) if "select" in p}
    assert view.params == params == sorted(in_spec)


def test_overview_runs_from_the_month_before_the_first_event_to_the_last(bundle):
    view = tl.timeline_view(bundle.events, bundle.claims)
    lo, hi = view.domain
    assert lo == pd.Timestamp("2024-10-01")
    assert pd.Timestamp("2025-12-25") <= hi <= pd.Timestamp("2026-02-01")
    # The date filter bounds it instead.
    f = Filters(date_from=date(2025, 11, 1), date_to=date(2025, 11, 30))
    sel = select(bundle, f)
    assert tl.timeline_view(sel.events, sel.claims, f).domain == (
        pd.Timestamp("2025-11-01"),
        pd.Timestamp("2025-12-01"),
    )


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (
            {
                "brush": {
                    "t": [
                        pd.Timestamp("2025-11-18 07:00").value // 10**6,
                        pd.Timestamp("2025-12-02 13:00").value // 10**6,
                    ]
                }
            },
            (date(2025, 11, 18), date(2025, 12, 2)),
        ),
        # Dragged right to left.
        (
            {
                "brush": {
                    "t": [
                        pd.Timestamp("2025-12-02").value // 10**6 + 5,
                        pd.Timestamp("2025-11-18").value // 10**6,
                    ]
                }
            },
            (date(2025, 11, 18), date(2025, 12, 2)),
        ),
        # Ending exactly at midnight does not take in the day that starts there.
        (
            {
                "brush": {
                    "t": [
                        pd.Timestamp("2025-11-01").value // 10**6,
                        pd.Timestamp("2025-12-01").value // 10**6,
                    ]
                }
            },
            (date(2025, 11, 1), date(2025, 11, 30)),
        ),
        (
            {"brush": {"t": ["2025-11-18T00:00:00Z", "2025-11-20T12:00:00Z"]}},
            (date(2025, 11, 18), date(2025, 11, 20)),
        ),
        ({"brush": {}}, None),
        ({"pick": [{"event_id": SHOHIN}]}, None),
        (None, None),
    ],
)
def test_brush_dates(selection, expected):
    assert tl.brush_dates(selection) == expected


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"pick": [{"event_id": SHOHIN}], "pick_span": [], "brush": {}}, SHOHIN),
        ({"pick": [], "pick_span": [{"event_id": PAK_AFGHAN}]}, PAK_AFGHAN),
        ({"pick": [], "pick_span": [], "brush": {"t": [1, 2]}}, None),
        ({}, None),
        (None, None),
    ],
)
def test_picked_event(selection, expected):
    assert tl.picked_event(selection) == expected


def test_playback_is_cumulative_and_month_events_start_on_the_first(bundle):
    steps = tl.playback_steps(bundle.events)
    assert steps == sorted(set(steps)) and steps[0] == date(2024, 11, 17)
    assert date(2025, 10, 1) in steps  # the month-only clashes
    counts = [len(tl.events_until(bundle.events, d)) for d in steps]
    assert counts == sorted(counts) and counts[-1] == len(bundle.events)
    assert set(tl.events_until(bundle.events, date(2025, 11, 26))["event_id"]) >= {SHOHIN, PAK_AFGHAN}
    assert SHODAK not in set(tl.events_until(bundle.events, date(2025, 11, 29))["event_id"])


# ---------------------------------------------------------------------------
# The spec the page sends (AppTest, from app.py)
# ---------------------------------------------------------------------------


def app(params: dict | None = None) -> AppTest:
    return run_app(params, PAGE)


def chart(at: AppTest) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The timeline's Vega-Lite spec and its datasets (Streamlit sends them as Arrow)."""
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    proto = charts[0].proto
    data = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in proto.datasets}
    return json.loads(proto.spec), data


def layer_data(spec: dict, data: dict, name: str) -> pd.DataFrame:
    for lyr in spec["layer"]:
        if lyr.get("name") == name:
            return data[lyr["data"]["name"]]
    return pd.DataFrame(columns=["event_id", "kind"])


def drawn_events(spec: dict, data: dict) -> set[str]:
    marks = pd.concat([layer_data(spec, data, "points"), layer_data(spec, data, "spans")])
    return set(marks.loc[marks["kind"] != "reaction", "event_id"])


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({}, Filters()),
        ({"year": "2024"}, Filters(years=(2024,))),
        ({"year": "2025"}, Filters(years=(2025,))),
        ({"type": ["attack", "clash"]}, Filters(types=("attack", "clash"))),
        ({"tier": "seed"}, Filters(tier="seed")),
        ({"actor": "China (government)"}, Filters(actors=("China (government)",))),
        (
            {"from": "2025-11-20", "to": "2025-11-28"},
            Filters(date_from=date(2025, 11, 20), date_to=date(2025, 11, 28)),
        ),
        # Nothing selected: an empty chart (lanes and a message), not an error.
        ({"year": "2024", "type": "visit"}, Filters(years=(2024,), types=("visit",))),
    ],
)
def test_chart_draws_exactly_the_filtered_events(bundle, params, filters):
    spec, data = chart(app(params))
    expected = set(select(bundle, filters).events["event_id"])
    assert drawn_events(spec, data) == expected
    # Reactions belong to drawn attacks only.
    pts = layer_data(spec, data, "points")
    assert set(pts.loc[pts["kind"] == "reaction", "event_id"]) <= expected


def test_2024_filter_leaves_only_2024_marks(bundle):
    # The shared sidebar's year widget (AppTest shows the sidebar on the default page), then
    # the timeline: the filter follows.
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.sidebar.multiselect(key=K_YEARS).set_value([2024]).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    spec, data = chart(at)
    ids = drawn_events(spec, data)
    assert ids == {ZARBUZ, "pw-2024-11-19-china-mfa-statement"}
    pts = layer_data(spec, data, "points")
    years = pd.to_datetime(pts["t"], unit="ms").dt.year
    assert set(years) == {2024}
    assert "2024" in spec["title"]["text"] and "years 2024" in spec["title"]["subtitle"][0]


def test_month_precision_events_are_drawn_as_spans(bundle):
    spec, data = chart(app({"year": "2025"}))
    spans_layer = next(lyr for lyr in spec["layer"] if lyr.get("name") == "spans")
    assert spans_layer["mark"]["type"] == "rect"
    assert {"x", "x2"} <= set(spans_layer["encoding"])
    spans = layer_data(spec, data, "spans").set_index("event_id")
    month = bundle.events[(bundle.events["time_precision"] == 3) & (bundle.events["year"] == 2025)]
    assert set(month["event_id"]) <= set(spans.index)
    assert (spans.loc[PAK_AFGHAN, "t2"] - spans.loc[PAK_AFGHAN, "t"]) / DAY_MS == 31
    # …and not also as a point on a made-up day.
    assert PAK_AFGHAN not in set(layer_data(spec, data, "points")["event_id"])


def test_selection_modes_carry_the_event_id():
    spec, _ = chart(app({"year": "2025"}))
    params = {p["name"]: p for p in spec["params"]}
    assert set(params) == {"pick", "pick_span", "brush"}
    assert params["pick"]["select"]["fields"] == ["event_id"]
    assert params["pick_span"]["select"]["fields"] == ["event_id"]
    assert params["brush"]["select"]["encodings"] == ["x"]
    assert "url" not in json.dumps(spec["layer"])  # every dataset is inline


def test_focus_mode_zooms_and_annotates_the_26_november_attack():
    at = app({"year": "2025"})
    at.selectbox(key="timeline-focus").set_value(SHOHIN).run()
    spec, data = chart(at)
    assert spec["title"]["text"].endswith("15 Nov to 5 Dec 2025")
    lines = spec["title"]["subtitle"]
    assert any("6 days after the previous attack or clash (20 Nov 2025 attack" in s for s in lines)
    assert any(s.startswith("first official reaction after 1 day (27 Nov 2025)") for s in lines)
    assert {lyr.get("name") for lyr in spec["layer"]} >= {"focus_rule", "reaction_links", "since_previous"}
    # Only what falls in the window; both November attacks and the reactions between them.
    ids = drawn_events(spec, data)
    assert {HAMADONI, SHOHIN, SHODAK} <= ids and PAK_AFGHAN not in ids and BOGH not in ids
    assert "6 days after the previous attack or clash" in at.markdown[0].value


def test_selecting_an_attack_offers_its_focus_and_shows_the_details_panel():
    at = app({"year": "2025", "event": SHOHIN})
    assert any("LLC Shohin SM workers" in s.value for s in at.subheader)
    at.button(key="timeline-focus-selected").click().run()
    assert at.selectbox(key="timeline-focus").value == SHOHIN


def test_brushed_dates_become_the_shared_date_filter(bundle):
    at = app({"year": "2025"})
    # What the chart's on_select callback stores after a brush on this view.
    sel = select(bundle, Filters(years=(2025,)))
    view = tl.timeline_view(sel.events, sel.claims, Filters(years=(2025,)))
    at.session_state["timeline-brush"] = (view.key, (date(2025, 11, 18), date(2025, 12, 2)))
    at.run()
    at.button(key="timeline-apply-brush").click().run()
    assert at.session_state[K_FROM] == date(2025, 11, 18)
    assert at.session_state[K_TO] == date(2025, 12, 2)
    assert at.query_params["from"] in ("2025-11-18", ["2025-11-18"])  # shared with every page via the URL
    spec, data = chart(at)
    f = Filters(years=(2025,), date_from=date(2025, 11, 18), date_to=date(2025, 12, 2))
    assert drawn_events(spec, data) == set(select(bundle, f).events["event_id"])
    assert spec["title"]["text"] == "Attacks and reactions, 18 Nov 2025 – 2 Dec 2025"
    at.button(key="timeline-clear-dates").click().run()
    assert at.session_state[K_FROM] is None and at.session_state[K_TO] is None


def test_a_stale_brush_from_another_view_is_not_offered():
    at = app({"year": "2025"})
    at.session_state["timeline-brush"] = ("some other view", (date(2025, 11, 18), date(2025, 12, 2)))
    at.run()
    assert not [b for b in at.button if b.key == "timeline-apply-brush"]


def test_playback_steps_and_shows_events_up_to_the_day(bundle):
    at = app()
    n = len(bundle.events)
    at.button(key="playback-first").click().run()
    assert at.session_state[K_PLAY_DAY] == date(2024, 11, 17)
    assert any(c.value.startswith(f"Up to 17 Nov 2024: 1 of {n} events") for c in at.caption)
    at.button(key="playback-next").click().run()
    at.button(key="playback-next").click().run()
    assert at.session_state[K_PLAY_DAY] == date(2025, 10, 1)
    assert any(c.value.startswith(f"Up to 1 Oct 2025: 3 of {n} events") for c in at.caption)
    at.button(key="playback-last").click().run()
    assert at.session_state[K_PLAY_DAY] == date(2025, 12, 23)
    at.button(key="playback-prev").click().run()
    assert at.session_state[K_PLAY_DAY] == date(2025, 12, 2)
    decks = at.get("deck_gl_json_chart")
    spec = json.loads(decks[-1].proto.json)
    ids = {d["event_id"] for lyr in spec["layers"] if lyr["id"] == "events" for d in lyr["data"]}
    placed = select(bundle, Filters()).placed
    assert ids == set(placed.loc[pd.to_datetime(placed["event_date"]) <= "2025-12-02", "event_id"])
    assert "pw-2025-12-23-bogh-post-clash" not in ids


def test_play_starts_from_the_beginning_and_pause_stops():
    at = app()
    at.button(key="playback-play").click().run()
    assert at.session_state["playback-playing"] is True
    # Play from the last day restarts at the first day and shows it before stepping on.
    assert at.session_state[K_PLAY_DAY] == date(2024, 11, 17)
    assert any(c.value.startswith("Up to 17 Nov 2024: 1 of") for c in at.caption)
    at.button(key="playback-pause").click().run()
    assert at.session_state["playback-playing"] is False
    # Pausing takes no step: the day shown when Pause was clicked stays.
    assert at.session_state[K_PLAY_DAY] == date(2024, 11, 17)
    assert [b for b in at.button if b.key == "playback-play"]


def test_page_has_png_and_svg_downloads():
    at = app()
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"PNG", "SVG"} <= labels


# ---------------------------------------------------------------------------
# Export, offline
# ---------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    """Fail on any socket connection from Python (vl-convert is also told: no base URLs)."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_texts(svg: str) -> str:
    root = ET.fromstring(svg)
    return " ".join(t for el in root.iter() if el.tag.endswith("text") for t in el.itertext())


@pytest.mark.parametrize(("scale", "min_width"), [(1, 1000), (2, 2000)])
def test_png_export_decodes_at_the_requested_scale(bundle, no_network, scale, min_width):
    f = Filters(years=(2025,))
    sel = select(bundle, f)
    data = tl.timeline_png(sel.events, sel.claims, f, focus=SHOHIN, scale=scale)
    w, h = png_size(data)
    assert min_width <= w <= min_width * 1.2 and h > 0.4 * w
    img = Image.open(io.BytesIO(data)).convert("RGB")
    colours = img.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # not a blank canvas


def test_svg_export_carries_title_filters_labels_and_sources(bundle, no_network):
    f = Filters(years=(2025,))
    sel = select(bundle, f)
    svg = tl.timeline_svg(
        sel.events,
        sel.claims,
        f,
        focus=SHOHIN,
        source=tl.source_line(sel.events, bundle.sources, bundle.version),
    )
    text = svg_texts(svg)
    assert "Focus: 26 Nov 2025 attack, LLC Shohin SM workers' camp" in text
    assert "Filters: years 2025" in text
    for label in (
        "26 Nov · LLC Shohin SM workers' camp",
        "30 Nov · Shodak village",
        "20 Nov · Hamadoni district",
        "Tajikistan (government)",
        "Pakistan (government)",
    ):
        assert label in text, label
    assert f"data version {bundle.version}" in text and "Sources:" in text
    assert "http" not in svg.replace("http://www.w3.org", "")


def test_svg_export_of_2024_has_only_2024(bundle):
    f = Filters(years=(2024,))
    sel = select(bundle, f)
    text = svg_texts(tl.timeline_svg(sel.events, sel.claims, f))
    assert "17–18 Nov" in text and "confirms (re 17 Nov)" in text
    assert "26 Nov" not in text and "Oct 2025" not in text


def test_export_with_nothing_selected_still_renders(bundle):
    f = Filters(years=(2024,), types=("visit",))
    sel = select(bundle, f)
    assert sel.events.empty
    assert "No events match the filters" in svg_texts(tl.timeline_svg(sel.events, sel.claims, f))
    png_size(tl.timeline_png(sel.events, sel.claims, f, scale=1))


# ---------------------------------------------------------------------------
# Imported events at scale: counted per month, curated events stay marks
# ---------------------------------------------------------------------------


def _frame(curated: int, imported: int) -> pd.DataFrame:
    n = curated + imported
    return pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "dataset": ["curated"] * curated + ["acled-x"] * imported,
            "event_date": pd.to_datetime(["2021-01-15"] * (n // 2) + ["2021-03-02"] * (n - n // 2)),
            "category": (["attack", "clash"] * n)[:n],
            "fatalities": pd.array([1] * n, dtype="Int64"),
        }
    )


@pytest.mark.parametrize(
    ("curated", "imported", "marks", "counted"),
    [
        (15, 0, 15, 0),
        (15, tl.IMPORTED_MARKS_MAX, 15 + tl.IMPORTED_MARKS_MAX, 0),
        (15, tl.IMPORTED_MARKS_MAX + 1, 15, tl.IMPORTED_MARKS_MAX + 1),
        (0, 5000, 0, 5000),
    ],
)
def test_split_imported(curated, imported, marks, counted):
    drawn, summed = tl.split_imported(_frame(curated, imported))
    assert (len(drawn), len(summed)) == (marks, counted)
    if counted:
        assert (summed["dataset"] != "curated").all() and (drawn["dataset"] == "curated").all()


def test_split_without_a_dataset_column_draws_everything(bundle):
    events = bundle.events.drop(columns=["dataset"], errors="ignore")
    drawn, summed = tl.split_imported(events)
    assert len(drawn) == len(events) and summed.empty


def test_imported_counts_add_up_by_month_and_category():
    counts = tl.imported_counts(_frame(0, 1000))
    assert counts["count"].sum() == 1000 and counts["killed"].sum() == 1000
    assert list(counts["month"].dt.strftime("%Y-%m").unique()) == ["2021-01", "2021-03"]
    assert set(counts["category"]) == {"attack", "clash"}
    spec = tl.imported_counts_chart(counts).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["scale"]["range"] == [tl.COLOURS["attack"], tl.COLOURS["clash"]]


def test_page_counts_imported_events_per_month_and_keeps_curated_marks(tmp_path, monkeypatch, bundle):
    from conftest import synthetic_store

    monkeypatch.setenv(
        "PANJWATCH_STORE", str(synthetic_store(tmp_path, tl.IMPORTED_MARKS_MAX + 100, seed=3).root)
    )
    at = app()
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    main = charts[0].proto
    data = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in main.datasets}
    assert drawn_events(json.loads(main.spec), data) == set(bundle.events["event_id"])
    counts = pd.concat(convert_arrow_bytes_to_pandas_df(d.data.data) for d in charts[1].proto.datasets)
    assert counts["count"].sum() == tl.IMPORTED_MARKS_MAX + 100
    assert any("imported events are counted per month" in c.value for c in at.caption)


def test_empty_chart_says_what_the_page_asks():
    empty = tl.timeline_view(
        _frame(0, 0).assign(location="", time_precision=1),
        pd.DataFrame(columns=["event_id", "speaker", "stance", "about", "claim_date"]),
        empty_text="Counted below",
    )
    texts = [
        lyr["mark"].get("text") for lyr in empty.chart.to_dict()["layer"] if isinstance(lyr.get("mark"), dict)
    ]
    assert "Counted below" in texts


@pytest.mark.parametrize("focus", [None, SHOHIN, SHODAK, ZARBUZ])
def test_every_attack_is_labelled_and_no_chart_text_is_under_12_px(bundle, focus):
    view = tl.timeline_view(bundle.events, bundle.claims, focus=focus, width=tl.PAGE_WIDTH_PX)
    primary = view.marks[view.marks["lane"] == tl.PRIMARY_LANE]
    in_view = primary[
        (primary["t"] >= pd.Timestamp(view.domain[0]).value // 10**6)
        & (primary["t"] <= pd.Timestamp(view.domain[1]).value // 10**6)
    ]
    assert len(in_view) and in_view["label_row"].notna().all(), list(
        in_view.loc[in_view["label_row"].isna(), "label_text"]
    )
    sizes = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k.lower().endswith("fontsize") and isinstance(v, (int, float)):
                    sizes.append(v)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(view.chart.to_dict())
    assert sizes and min(sizes) >= 12, sorted(set(sizes))
