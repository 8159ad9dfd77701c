"""Readable names and phrases the narratives are written with (geo.wording)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.wording import actor_name, join_and, source_label, stance_phrase


@pytest.mark.parametrize(
    ("name", "speaking", "expected"),
    [
        ("Taliban (Afghanistan)", False, "the Taliban"),
        ("Tajikistan (government)", False, "the Tajik government"),
        ("Tajikistan (government)", True, "Tajik officials"),
        ("Pakistan (government)", True, "Pakistani officials"),
        ("Civilians (China)", False, "Chinese civilians"),
        ("Unidentified armed group", False, "an unidentified armed group"),
        ("Smuggling group (Afghanistan)", False, "a smuggling group (Afghanistan)"),
        ("Unnamed 'circle'", False, "an unnamed 'circle'"),
        ("Armed groups in Afghanistan", False, "armed groups in Afghanistan"),
        (
            "Attackers from Shahri Buzurg district (Afghanistan)",
            False,
            "attackers from Shahri Buzurg district (Afghanistan)",
        ),
        # Imported actor names are kept as the export gives them.
        ("Military Forces of Afghanistan (2021-)", False, "Military Forces of Afghanistan (2021-)"),
        ("RFE/RL sources", True, "RFE/RL sources"),
        ("", False, ""),
    ],
)
def test_actor_names_read_as_a_sentence_says_them(name, speaking, expected):
    assert actor_name(name, speaking) == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"source_id": "rferl-2024-11-18", "outlet": "RFE/RL", "published": "2024-11-18"},
            "RFE/RL, 18 Nov 2024",
        ),
        (
            {"source_id": "003_0ea83212063cb22b.txt", "outlet": "unidentified", "published": None},
            "unnamed outlet (seed 003)",
        ),
        ({"source_id": "fergana-143518", "outlet": "Fergana", "published": float("nan")}, "Fergana"),
    ],
)
def test_sources_read_by_outlet_and_date_never_by_file_name(row, expected):
    assert source_label(pd.Series(row)) == expected
    assert ".txt" not in source_label(pd.Series(row))


@pytest.mark.parametrize(
    ("stance", "speaker", "about", "expected"),
    [
        (
            "accuses",
            "Tajikistan (government)",
            "Criminal groups in Afghanistan",
            "blamed criminal groups in Afghanistan",
        ),
        ("denies", "Taliban (Afghanistan)", "Taliban (Afghanistan)", "denied involvement"),
        (
            "denies",
            "Taliban (Afghanistan)",
            "Pakistan (government)",
            "rejected the accusations of the Pakistani government",
        ),
        (
            "disputes",
            "Afghan media",
            "Armed intruders from Afghanistan",
            "disputed the account of armed intruders from Afghanistan",
        ),
        (
            "expresses solidarity",
            "Pakistan (government)",
            "Tajikistan (government)",
            "expressed solidarity with the Tajik government",
        ),
        ("resigns", "X", "Y", "resigns (Y)"),
    ],
)
def test_stances_keep_the_record_s_verb_and_attribution(stance, speaker, about, expected):
    assert stance_phrase(stance, speaker, about) == expected


def test_join_and():
    assert join_and([]) == "" and join_and(["a"]) == "a" and join_and(["a", "", "b", "c"]) == "a, b and c"
