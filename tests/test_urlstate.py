"""URL query parameters ⇄ filters and view, table-driven."""

from __future__ import annotations

from datetime import date

import pytest

from geo.deck import View
from geo.filters import Filters
from geo.urlstate import Vocab, parse_query, parse_view, to_query

VOCAB = Vocab(
    years=frozenset({2024, 2025}), actors=frozenset({"Tajikistan (government)", "Taliban (Afghanistan)"})
)


@pytest.mark.parametrize(
    ("filters", "view"),
    [
        (Filters(), None),
        (Filters(years=(2024,)), None),
        (
            Filters(years=(2024, 2025), actors=("Taliban (Afghanistan)",), role="denier"),
            View(37.8, 70.0, 8.0),
        ),
        (
            Filters(
                types=("attack", "visit"),
                tier="related",
                date_from=date(2025, 11, 1),
                date_to=date(2025, 12, 31),
            ),
            None,
        ),
    ],
)
def test_round_trip(filters, view):
    back, v, _event, notices = parse_query(to_query(filters, view), VOCAB)
    assert back == filters and notices == []
    assert v == (
        View(float(f"{view.latitude:.4f}"), float(f"{view.longitude:.4f}"), view.zoom) if view else None
    )


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"year": ["20x4"]}, "year '20x4' ignored"),
        ({"year": ["1999"]}, "year '1999' ignored"),
        ({"actor": ["Nobody"]}, "actor 'Nobody' ignored"),
        ({"type": ["massacre"]}, "type 'massacre' ignored"),
        ({"tier": ["gold"]}, "tier 'gold' ignored"),
        ({"from": ["2025-13-01"]}, "'from' date"),
        ({"from": ["2025-12-01"], "to": ["2025-11-01"]}, "'from' is after 'to'"),
        ({"view": ["1,2"]}, "view '1,2' ignored"),
        ({"view": ["91,70,8"]}, "view '91,70,8' ignored"),
        ({"view": ["inf,70,8"]}, "view 'inf,70,8' ignored"),
        ({"bogus": ["1"]}, "unknown URL parameter 'bogus'"),
        ({"actor": ["x" * 500]}, "too long"),
    ],
)
def test_malformed_values_are_dropped_with_a_notice(params, words):
    filters, view, _event, notices = parse_query(params, VOCAB)
    assert any(words in n for n in notices), notices
    assert filters == Filters() and view is None


def test_single_string_values_are_accepted():
    filters, _v, _e, _n = parse_query({"year": "2025", "role": "accuser"}, VOCAB)
    assert filters.years == (2025,) and filters.role == "accuser"


@pytest.mark.parametrize("text", ["37.8,70.0,8", " 37.8, 70.0 ,8 "])
def test_parse_view(text):
    assert parse_view(text) == View(37.8, 70.0, 8.0)
