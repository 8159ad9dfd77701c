"""The frontier scope of the headline figures, on tiny hand-built selections.

Each frame holds only the columns the figures read; distances are kilometres as the
enrichment gives them (``border_distance_km``, NaN for an event with no coordinates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.report.stats import key_figures
from geo.spatial.scope import FRONTIER_KM, FRONTIER_RULE, frontier_status, split_frontier

NA = pd.NA


def events(*rows: dict) -> pd.DataFrame:
    """A selection from row dicts; unspecified fields get curated-event defaults."""
    base = {
        "event_id": "e",
        "event_date": pd.Timestamp("2025-11-26"),
        "time_precision": 1,
        "category": "attack",
        "location": "somewhere",
        "country": "Tajikistan",
        "admin1": "Khatlon",
        "admin2": "Shamsiddin Shohin",
        "border_distance_km": 10.0,
        "dataset": "curated",
        "fatalities": 0,
        "fatalities_high": NA,
        "fatalities_best": NA,
        "injured": NA,
        "injured_high": NA,
    }
    frame = pd.DataFrame([{**base, "event_id": f"e{i}", **r} for i, r in enumerate(rows)])
    for col in ("fatalities", "fatalities_high", "fatalities_best", "injured", "injured_high"):
        frame[col] = frame[col].astype("Int64")
    return frame


@pytest.mark.parametrize(
    ("km", "status"),
    [
        (0.0, "inside"),
        (11.5, "inside"),
        (FRONTIER_KM, "inside"),
        (FRONTIER_KM + 0.01, "elsewhere"),
        (3596.8, "elsewhere"),
        (float("nan"), "unplaced"),
        (None, "unplaced"),
    ],
)
def test_frontier_status_of_one_distance(km, status):
    assert frontier_status(km) == status


def test_split_puts_every_event_in_exactly_one_part():
    df = events(*({"border_distance_km": d} for d in (0.0, 49.9, 50.0, 50.1, 285.0, np.nan)))
    s = split_frontier(df)
    assert list(s.inside) == [True, True, True, False, False, False]
    assert list(s.elsewhere) == [False, False, False, True, True, False]
    assert list(s.unplaced) == [False, False, False, False, False, True]
    assert (s.inside.astype(int) + s.elsewhere + s.unplaced == 1).all()


def test_split_without_border_distances_says_what_to_do():
    with pytest.raises(ValueError, match="border_distance_km.*enrich"):
        split_frontier(pd.DataFrame({"event_id": ["a"]}))


# What each selection should read: (rows, expected figure values, phrases the left-out lines hold).
CASES = {
    "frontier only": (
        [
            {"fatalities": 1, "fatalities_high": 2, "injured": 4, "injured_high": 5},
            {"category": "clash", "fatalities": 5, "border_distance_km": 0.8},
        ],
        {"attacks": "1", "clashes": "1", "killed": "6–7", "injured": "4–5", "events": "2"},
        [],
    ),
    "an unplaced clash elsewhere is named, not counted": (
        [
            {"fatalities": 3, "injured": 1},
            {
                "category": "clash",
                "fatalities": 70,
                "fatalities_high": 70,
                "border_distance_km": np.nan,
                "location": "Afghanistan–Pakistan border (several points)",
                "event_date": pd.Timestamp("2025-10-01"),
                "time_precision": 3,
                "country": "Afghanistan; Pakistan",
            },
        ],
        {"attacks": "1", "clashes": "0", "killed": "3", "injured": "1", "events": "1"},
        ["no coordinates", "Afghanistan–Pakistan border (several points), October 2025 (70 killed)"],
    ),
    "statements in the capitals are left out and listed": (
        [
            {"fatalities": 2},
            {"category": "statement", "border_distance_km": 124.0, "location": "Dushanbe"},
            {"category": "statement", "border_distance_km": 285.3, "location": "Kabul"},
        ],
        {"attacks": "1", "killed": "2", "injured": "–", "events": "1"},
        [f"more than {FRONTIER_KM:g} km", "2 statements (Dushanbe, Kabul)"],
    ),
    "imported events far away change nothing but are counted in words": (
        [
            {"fatalities": 3, "injured": 1},
            {"dataset": "acled-benin", "fatalities": 900, "border_distance_km": 5200.0, "category": "clash"},
            {"dataset": "acled-benin", "fatalities": 12, "border_distance_km": 5100.0},
            {"dataset": "acled-benin", "category": "protest", "border_distance_km": 5100.0},
        ],
        {"attacks": "1", "clashes": "0", "killed": "3", "injured": "1", "events": "1"},
        ["And 3 more events elsewhere in the imported data", "2 attacks and clashes, 912 killed"],
    ),
    "UCDP best beside low–high, thousands separated": (
        [
            {"fatalities": 3},
            {
                "dataset": "ged",
                "category": "clash",
                "fatalities": 5000,
                "fatalities_high": 10000,
                "fatalities_best": 6000,
            },
        ],
        {"clashes": "1", "killed": "5,003–10,003 (best 6,003)", "injured": "–"},
        [],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_key_figures_count_the_frontier_and_say_what_they_leave_out(case):
    rows, expected, phrases = CASES[case]
    kf = key_figures(events(*rows))
    assert {k: kf[k] for k in expected} == expected
    assert FRONTIER_RULE in kf.scope
    text = " ".join(kf.left_out)
    for phrase in phrases:
        assert phrase in text, (phrase, text)
    if not phrases:
        assert kf.left_out == ()


def test_injured_says_curated_only_when_imports_are_present():
    curated = events({"fatalities": 1, "injured": 2})
    mixed = events(
        {"fatalities": 1, "injured": 2}, {"dataset": "ged", "fatalities": 4, "border_distance_km": 3}
    )
    assert "curated records only" not in key_figures(curated).figure("injured").note
    note = key_figures(mixed).figure("injured").note
    assert "curated records only" in note and "ACLED and UCDP publish no injured figure" in note
    assert key_figures(mixed)["injured"] == "2" and key_figures(mixed)["killed"] == "5"


def test_thousands_of_events_read_with_separators():
    df = events(*([{"dataset": "acled", "category": "protest"}] * 3017))
    assert key_figures(df)["events"] == "3,017"


def test_many_unplaced_events_are_counted_after_the_first_few():
    df = events(*({"border_distance_km": np.nan, "location": f"place {i}"} for i in range(5)))
    line = key_figures(df).left_out[0]
    assert "place 0" in line and "place 2" in line and "place 3" not in line and "and 2 more" in line
