"""The one selection service: order, no needless copies, claims that follow their events."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import synthetic_store

from geo.data.bundle import merge_into_bundle
from geo.data.load import sort_events
from geo.query.filters import Filters
from geo.query.selection import select


@pytest.fixture(scope="module")
def merged(tmp_path_factory, bundle):
    """Curated events plus 3,000 imported ones spread over several years."""
    return merge_into_bundle(bundle, synthetic_store(tmp_path_factory.mktemp("sel"), 3000, seed=5))


def in_order(events: pd.DataFrame) -> bool:
    keys = list(zip(events["event_date"], events["event_id"], strict=True))
    return keys == sorted(keys)


@pytest.mark.parametrize("which", ["curated", "merged"])
def test_loaders_keep_events_in_date_then_id_order(bundle, merged, which):
    b = bundle if which == "curated" else merged
    assert in_order(b.events)
    assert b.events.index.equals(pd.RangeIndex(len(b.events)))


def test_curated_events_are_interleaved_with_imported_by_date(merged):
    datasets = merged.events["dataset"].astype(str)
    first_curated = datasets.eq("curated").to_numpy().argmax()
    assert first_curated > 0  # imported events from earlier years come before 2024


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(years=(2024,)), Filters(years=(2021, 2025)), Filters(actors=("Taliban",))],
    ids=["all", "2024", "two-years", "actor"],
)
def test_selection_is_ordered_and_matches_a_plain_filter(merged, filters):
    from geo.query.filters import apply_filters

    sel = select(merged, filters)
    want = merged.events[apply_filters(merged.events, merged.roles, filters).to_numpy(dtype=bool)]
    assert in_order(sel.events)
    assert sel.events["event_id"].tolist() == sort_events(want)["event_id"].tolist()
    assert set(sel.claims["event_id"]) <= set(sel.events["event_id"])
    expected_claims = merged.claims[merged.claims["event_id"].isin(set(sel.events["event_id"]))]
    assert len(sel.claims) == len(expected_claims)


def test_selecting_everything_does_not_copy_the_frame(merged):
    assert select(merged, Filters()).events is merged.events


def test_a_hand_built_unordered_bundle_still_gives_an_ordered_selection(bundle):
    shuffled = dataclasses.replace(bundle, events=bundle.events.sample(frac=1, random_state=3))
    assert not in_order(shuffled.events)
    sel = select(shuffled, Filters())
    assert in_order(sel.events)
    assert len(sel.events) == len(bundle.events)
