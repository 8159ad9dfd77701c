"""Statements kept whole: a statement's claims travel together, whatever event filter is applied."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.statements import claims_about, statement_label, statements_about, statements_frame

STATEMENTS = statements_frame(
    [
        {
            "statement_id": "st-1",
            "speaker": "Tajikistan (government)",
            "speaker_body": "Ministry of Foreign Affairs",
            "statement_date": "2025-11-27",
            "date_basis": "b",
            "medium": "written statement",
            "source_ids": ["s1"],
            "event_ids": ["attack", "statement"],
            "summary": "x",
        }
    ]
)
CLAIMS = pd.DataFrame(
    {
        "claim_id": ["c1", "c2", "c3", "c4"],
        "event_id": ["attack", "attack", "statement", "other"],
        "statement_id": ["st-1", "", "st-1", ""],
        "speaker": ["T", "R", "T", "O"],
    }
)


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # The attack alone: its own claims, and the statement's claim on the statement event (re-pointed).
        (["attack"], {"c1": "attack", "c2": "attack", "c3": "attack"}),
        # The statement event alone: the statement's claim on the attack comes along; the reporter's does not.
        (["statement"], {"c1": "statement", "c3": "statement"}),
        # Both: each claim once, on its own event.
        (["attack", "statement"], {"c1": "attack", "c2": "attack", "c3": "statement"}),
        (["other"], {"c4": "other"}),
        ([], {}),
    ],
)
def test_claims_about_keeps_statements_whole(events, expected):
    got = claims_about(CLAIMS, STATEMENTS, events)
    assert dict(zip(got["claim_id"], got["event_id"], strict=True)) == expected
    assert got["claim_id"].is_unique
    if "c3" in expected:
        row = got.set_index("claim_id").loc["c3"]
        assert row["claim_event_id"] == "statement" and row["statement_medium"] == "written statement"


def test_without_statements_it_is_the_plain_per_event_filter():
    got = claims_about(CLAIMS, None, ["attack"])
    assert list(got["claim_id"]) == ["c1", "c2"]


def test_label_and_lookup():
    st = STATEMENTS.iloc[0]
    assert (
        statement_label(st)
        == "Tajikistan (government), Ministry of Foreign Affairs — written statement, 27 Nov 2025"
    )
    assert list(statements_about(STATEMENTS, ["statement"])["statement_id"]) == ["st-1"]
    assert statements_about(STATEMENTS, ["other"]).empty


def test_bundled_statement_is_whole_in_the_details_panel(bundle):
    from geo.report.details import event_details

    d = event_details(bundle, "pw-2025-11-27-tajik-mfa-statement")
    mfa = bundle.claims[bundle.claims["statement_id"] == "st-2025-11-27-tj-mfa"]
    assert set(mfa["claim_id"]) <= set(d.claims["claim_id"])
    # Each statement is linked to both the attack and its own statement event.
    for sid in ("st-2025-11-27-tj-mfa", "st-2025-11-af-mfa", "st-2025-11-27-pk-fo"):
        events = bundle.statements.set_index("statement_id").loc[sid, "event_ids"]
        assert "pw-2025-11-26-shohin-attack" in events and len(events) == 2
