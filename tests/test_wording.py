"""Readable names and phrases the narratives are written with (geo.report.wording)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.report.wording import actor_name, join_and, source_label, stance_phrase


@pytest.mark.parametrize(
    ("name", "speaking", "expected"),
    [
        ("Taliban (Afghanistan)", False, "the Taliban"),
        ("Tajikistan (government)", False, "the Tajik government"),
        ("Tajikistan (government)", True, "Tajik officials"),
        ("Pakistan (government)", True, "Pakistani officials"),
        ("Civilians (China)", False, "Chinese civilians"),
        ("Unidentified armed group", False, "an unidentified armed group"),
        ("Smuggling group from Afghanistan", False, "a smuggling group from Afghanistan"),
        ("Unnamed 'circle'", False, "an unnamed 'circle'"),
        ("Armed groups in Afghanistan", False, "armed groups in Afghanistan"),
        # No raw brackets in a sentence (issue 10): a generic name's bracket says where or what.
        (
            "Attackers from Shahri Buzurg district (Afghanistan)",
            False,
            "attackers from Shahri Buzurg district, Afghanistan",
        ),
        ("Armed groups (unnamed)", False, "unnamed armed groups"),
        ("Unidentified Armed Group (Tajikistan)", False, "an unidentified armed group in Tajikistan"),
        ("Security analysts", True, "security analysts"),
        # Outlet speakers read by their outlet, never by the bracketed seed number alone.
        ("ET Online/AFP (seed 002)", True, "ET Online/AFP"),
        ("Unidentified outlet (seed 000)", True, "the unnamed outlet of seed 000"),
        # A list of actors reads as one phrase.
        (
            "China (government); Tajikistan (government)",
            False,
            "the Chinese government and the Tajik government",
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


def test_the_narratives_on_the_shipped_data_print_no_raw_actor_fields(bundle):
    """Issue 10: no "Civilians (China) (…)", "Tajikistan (government)" or "(seed 002)" speakers in
    what a reader sees: every bracketed actor field of the data that has a readable name is absent."""
    from geo.report.narrative import attack_narratives, briefing_lead, claims_by_speaker, claims_table

    ev, cl = bundle.events, bundle.claims
    fields = [*ev["actor1"], *ev["actor2"].dropna(), *cl["speaker"], *cl["about"]]
    for col in ("assoc_actor_1", "assoc_actor_2"):
        fields += [a.strip() for v in ev[col].dropna() for a in str(v).split(";")]
    raw = {f for f in fields if "(" in str(f) and actor_name(f) != f}
    assert {"Civilians (China)", "Tajikistan (government)", "ET Online/AFP (seed 002)"} <= raw
    texts = [briefing_lead(bundle, bundle.events)]
    for n in attack_narratives(bundle, bundle.events):
        texts.append(n.text)
        for c in claims_by_speaker(bundle, n.event_id):
            texts += [c.speaker, *c.lines]
        table = claims_table(bundle, n.event_id)
        texts += list(table["who"]) + list(table["about"])
    printed = sorted({(r, t[:80]) for t in texts for r in raw if r in t})
    assert printed == [], printed
    # The 2024 attack's victims: the Chinese workers and the injured Tajik employee, readably.
    story = next(t for t in texts if t.startswith("Between 17 and 18 November 2024"))
    assert "on Chinese and Tajik civilians (Chinese gold-mining exploration camp)" in story
