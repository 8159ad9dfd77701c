"""Incident search: every word, in any field, literal and case-insensitive, on plain and categorical text."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.query.table import SEARCH_COLUMNS, search_events


def _events(categorical: bool) -> pd.DataFrame:
    ev = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4"],
            "location": ["Shŭrobod", "Dushanbe", None, "Kabul"],
            "actor1": ["Unidentified armed group", "Tajik MFA", "ISKP", None],
            "assoc_actor_1": [None, None, None, None],
            "actor2": ["Civilians (China)", None, "Military Forces of Tajikistan (1994-)", "Taliban"],
            "assoc_actor_2": [None, None, None, None],
            "notes": ["Drone attack on a camp", "Statement [a.b*]", "Clash near Bogh", "STRASSE talks"],
            "source": ["RFE/RL", "Asia-Plus", "AFP", "TOLOnews"],
            "category": ["attack", "statement", "clash", "statement"],
        }
    )
    if categorical:
        ev = ev.astype({c: "category" for c in SEARCH_COLUMNS})
    return ev


CLAIMS = pd.DataFrame(
    {
        "event_id": ["e2", "e4"],
        "speaker": ["Tajik MFA", "Taliban MFA"],
        "about": ["the attack", "the talks"],
        "claim": ["blames Afghanistan", "denies"],
        "quote": ["from the territory of Afghanistan", "no threat"],
    }
)


@pytest.mark.parametrize("categorical", [False, True], ids=["text", "categorical"])
@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("", ["e1", "e2", "e3", "e4"]),
        ("   ", ["e1", "e2", "e3", "e4"]),
        ("drone", ["e1"]),
        ("DRONE camp", ["e1"]),  # every word, any case
        ("drone bogh", []),  # both words must match the same event
        ("shŭrobod", ["e1"]),  # non-ASCII kept
        ("ШӮРОБОД", []),
        ("strasse", ["e4"]),
        ("[a.b*]", ["e2"]),  # literal, no regular expression
        (".*", []),
        ("(1994-)", ["e3"]),
        ("afghanistan", ["e2"]),  # found in a claim's quote
        ("denies", ["e4"]),  # found in a claim
        ("nan", []),  # a missing field is not the text 'nan'
        ("none", []),
        ("e3", ["e3"]),  # ids are searchable
    ],
)
def test_search(query, want, categorical):
    got = search_events(_events(categorical), CLAIMS, query)
    assert got["event_id"].astype(str).tolist() == want


@pytest.mark.parametrize("categorical", [False, True], ids=["text", "categorical"])
def test_case_is_ignored_in_cyrillic_and_tajik_letters(categorical):
    ev = _events(False)
    ev.loc[3, "location"] = "Шӯробод"
    if categorical:
        ev = ev.astype({"location": "category"})
    assert search_events(ev, CLAIMS.iloc[:0], "ШӮРОБОД")["event_id"].tolist() == ["e4"]


def test_non_text_values_are_searched_as_their_text():
    ev = _events(False).astype({"event_id": object})
    ev.loc[1, "event_id"] = 12345
    assert search_events(ev, CLAIMS.iloc[:0], "234")["event_id"].tolist() == [12345]


def test_search_keeps_order_index_and_columns(bundle):
    ev = bundle.events
    got = search_events(ev, bundle.claims, "attack")
    assert list(got.columns) == list(ev.columns)
    assert got.index.is_monotonic_increasing and set(got.index) <= set(ev.index)
    assert 0 < len(got) < len(ev)
