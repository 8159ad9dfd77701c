"""URL query parameters ⇄ filters and view, table-driven."""

from __future__ import annotations

from datetime import date

import pytest

from geo.query.filters import Filters
from geo.query.urlstate import Vocab, parse_query, parse_view, to_query
from geo.render.mapdecks import View

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


# ----------------------------------------------------------------------------- ACLED actor forms (issue 10)


def test_an_acled_actor_name_in_the_link_selects_the_curated_events_of_that_actor(bundle):
    from geo.query.selection import select

    vocab = Vocab.of(bundle.events, bundle.roles)
    f, _v, _e, notices = parse_query({"actor": ["Military Forces of Tajikistan (1994-)"]}, vocab)
    assert notices == [] and f.actors == ("Military Forces of Tajikistan (1994-)",)
    ids = set(select(bundle, f).events["event_id"])
    # The Tajik forces' drone strike, the Bogh clash and the border troops' statement: curated
    # events coded with that ACLED form, with no import loaded.
    assert {
        "pw-2025-11-20-hamadoni-drone-strike",
        "pw-2025-12-23-bogh-post-clash",
        "pw-2025-12-01-tajik-border-troops-statement",
    } <= ids
    assert "pw-2025-11-27-tajik-mfa-statement" not in ids  # coded 'Government of Tajikistan (1994-)'


def test_an_unknown_actor_in_the_link_names_near_matches(bundle):
    vocab = Vocab.of(bundle.events, bundle.roles)
    f, _v, _e, notices = parse_query({"actor": ["Military Forces of Tajikistan"]}, vocab)
    assert f.actors == () and len(notices) == 1
    assert "ignored (not in the data; did you mean 'Military Forces of Tajikistan (1994-)'" in notices[0]


def test_the_app_takes_an_acled_actor_name_from_the_link():
    from tests.apptest import run_app

    at = run_app({"actor": "Military Forces of Tajikistan (1994-)"}, "pages/incidents.py")
    assert at.multiselect(key="f_actors").value == ["Military Forces of Tajikistan (1994-)"]
    assert not [t.value for t in at.text if "ignored" in str(t.value)]
