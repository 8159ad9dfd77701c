"""Links are inert: URL parameters are read strictly, shown as plain text, and a selection is an id.

Parsers are tested table-driven on ``geo.query.urlstate``; the page behaviour (notices
rendered as text, a stale selection cleared) with AppTest from app.py.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from geo.query.filters import Filters
from geo.query.urlstate import MAX_NOTICES, Vocab, parse_date, parse_query, parse_view
from geo.report.text import shown
from tests.apptest import run_app
from tests.payloads import PAYLOAD_IDS, PAYLOADS

VOCAB = Vocab(years=frozenset({2024, 2025}), actors=frozenset({"Taliban (Afghanistan)"}))


@pytest.mark.parametrize(
    "value",
    ["²", "①", "٢٠٢٥", "２０２５", "2025.0", "+2025", "-2025", "2_025", "20250", "0x7e9", "", "2025\x00"],
)
def test_year_accepts_only_ascii_digits_and_says_so(value):
    filters, _v, _e, notices = parse_query({"year": [value]}, VOCAB)
    assert filters.years == ()
    assert len(notices) == 1 and notices[0].startswith("year '"), notices


def test_year_with_surrounding_spaces_is_read():
    assert parse_query({"year": [" 2025 "]}, VOCAB)[0].years == (2025,)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2025-11-18", date(2025, 11, 18)),
        ("2025-02-30", None),
        ("２０２５-11-18", None),
        ("٢٠٢٥-11-18", None),
        ("2025-W47-1", None),
        ("20251118", None),
        ("2025-11-18T00:00", None),
        ("1024-11-18", None),  # a typo: before anything the app can draw
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("1900-01-01", date(1900, 1, 1)),
    ],
)
def test_parse_date_is_strict_and_bounded(text, want):
    assert parse_date(text) == want


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("37.8,70.0,8", True),
        ("-85.05,-180,0", True),
        ("85.05,180,20", True),
        ("85.1,70,8", False),
        ("-90,70,8", False),
        ("37.8,180.5,8", False),
        ("37.8,70,20.5", False),
        ("37.8,70,-1", False),
        ("٣٧,70,8", False),
        ("3_7,70,8", False),
        ("1e1,70,8", False),
        ("nan,70,8", False),
        ("inf,70,8", False),
        ("37.8,70", False),
        ("37.8,70,8,1", False),
        ("", False),
        ("37.8 ,70, 8", True),
    ],
)
def test_one_view_parser_with_range_checks(text, ok):
    assert (parse_view(text) is not None) == ok


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("where", ["actor", "event-name", "name", "year", "view", "from"])
def test_every_notice_is_one_short_visible_line(payload, where):
    params = {"name": {payload: ["1"]}, "event-name": {"event": [payload], payload[:30]: ["x"]}}.get(
        where, {where: [payload]}
    )
    _f, _v, _e, notices = parse_query(params, VOCAB)
    assert notices, "a hostile value is never accepted silently"
    for n in notices:
        assert len(n) < 400
        bad = [c for c in n if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
        assert bad == [], (n, bad)


def test_notices_are_capped():
    params = {f"p{i}": ["1"] for i in range(50)}
    notices = parse_query(params, VOCAB)[3]
    assert len(notices) == MAX_NOTICES + 1 and "38 more" in notices[-1]


def test_too_long_event_gets_a_notice():
    _f, _v, event, notices = parse_query({"event": ["e" * 500]}, VOCAB)
    assert event is None and any("too long" in n for n in notices)


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("abc", "abc"),
        ("a\u202eb", "a\\u202eb"),
        ("a\x00b\nc", "a\\x00b\\x0ac"),
        ("\u2060@@=x", "\\u2060@@=x"),
        ("x" * 70, "x" * 60 + "…"),
    ],
)
def test_shown_escapes_controls_and_truncates(value, want):
    assert shown(value) == want


# ---------------------------------------------------------------- pages (AppTest)

MARKDOWN_ELEMENTS = ("markdown", "warning", "info", "error", "success", "caption", "title", "subheader")
#: What must never reach a Markdown renderer raw from a link.
ACTIVE = ("](http", "![", ":red[", ":material/", "<img", "**OFFICIAL")


def markdown_bodies(at) -> list[str]:
    return [el.value for kind in MARKDOWN_ELEMENTS for el in at.get(kind)] + [
        el.value for el in at.sidebar.get("markdown")
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"actor": "[Session expired - click to sign in again](http://evil.example/login)"},
        {"actor": "![t](http://evil.example/x.png)"},
        {"event": "![t](http://evil.example/x.png)"},
        {"![t](http://evil.example/x.png)": "1"},
        {"actor": ":red[**OFFICIAL NOTICE**] :material/warning:"},
        {"type": '<img src=x onerror="alert(1)">'},
    ],
    ids=["md-link", "md-image-actor", "md-image-event", "md-image-name", "directive", "html"],
)
def test_link_values_are_shown_as_plain_text_never_markdown(params):
    at = run_app(params)
    bodies = markdown_bodies(at)
    for body in bodies:
        for token in ACTIVE:
            assert token not in body, (token, body)
    texts = [t.value for t in at.text]
    value = next(iter(params.values()))
    assert any(shown(value) in t or shown(next(iter(params))) in t for t in texts), texts
    assert any("link parameters" in w.value for w in at.warning)


@pytest.mark.parametrize("page", [None, "pages/regional_map.py", "pages/incidents.py", "pages/timeline.py"])
def test_unreadable_numbers_in_a_link_give_notices_on_every_page(page):
    at = run_app({"year": "²", "from": "２０２５-01-01", "to": "1024-11-18", "view": "٣٧,70,8"}, page)
    texts = " ".join(t.value for t in at.text)
    assert "year '²' ignored" in texts and "'from' date" in texts and "'to' date" in texts
    assert "view '" in texts


def test_a_selection_is_kept_by_id_and_cleared_with_a_notice_when_the_filters_drop_it():
    at = run_app(page="pages/incidents.py")

    def table_widget():
        (df,) = at.get("dataframe")
        return df.key, df.value

    key, table = table_widget()
    last = len(table) - 1
    picked = table["event_id"].iloc[last]
    at.session_state[key] = {"selection": {"rows": [last], "columns": []}}
    at.run()
    assert not at.exception and at.session_state["selected_event"] == picked
    year = int(picked[3:7])
    other = 2024 if year == 2025 else 2025
    assert not any("not in the current filters" in i.value for i in at.info)
    # Narrow to the other year: the event drops out, the row number is not reused.
    at.session_state["f_years"] = [other]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["selected_event"] is None
    assert any("not in the current filters" in i.value for i in at.info)
    new_key, new_table = table_widget()
    assert new_key != key, "new rows, new widget: no row is selected by an old position"
    # A pick in the new table selects that table's event.
    at.session_state[new_key] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert at.session_state["selected_event"] == new_table["event_id"].iloc[0]
    # Widening again keeps it (it is in the wider selection too).
    at.session_state["f_years"] = []
    at.run()
    assert at.session_state["selected_event"] == new_table["event_id"].iloc[0]
    assert not any("not in the current filters" in i.value for i in at.info)


def test_filters_default_when_every_value_is_bad():
    filters = parse_query({"year": ["①"], "tier": ["①"], "role": ["①"]}, VOCAB)[0]
    assert filters == Filters()


@pytest.mark.parametrize(
    ("params", "says"),
    [
        # The README's old example: a 2024 year with November 2025 dates.
        ({"year": "2024", "from": "2025-11-01", "to": "2025-11-30"}, "exclude each other"),
        ({"year": "2024", "type": "clash"}, "Without the Year filter, 2 events would match."),
    ],
)
def test_filters_that_select_nothing_say_why(params, says):
    at = run_app(params=params, page="pages/regional_map.py")
    texts = [t.value for t in at.text]
    assert any("No event matches these filters." in w.value for w in at.warning)
    assert any(says in t for t in texts), texts


def test_no_empty_notice_when_something_is_selected():
    at = run_app(params={"year": "2025"}, page="pages/regional_map.py")
    assert not any("No event matches" in w.value for w in at.warning)
