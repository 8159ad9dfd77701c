"""The bundled records joined to the bundled shapes: the facts a briefing repeats."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from geo.data.paths import default_seeds_dir

SEED_ATTACKS = ["pw-2024-11-18-zarbuz-attack", "pw-2025-11-26-shohin-attack"]


@pytest.mark.parametrize("event_id", SEED_ATTACKS)
def test_seed_attacks_join_to_khatlon_on_the_tajik_side(bundle, event_id):
    e = bundle.events.set_index("event_id").loc[event_id]
    assert e["join_admin1"] == "Khatlon" and e["join_country"] == "TJ"
    assert e["join_method"] == "within" and e["admin1_mismatch"] is False or e["admin1_mismatch"] == False  # noqa: E712
    # District-centre estimate (Shŭrobod) is ~11 km from the NE 1:10M line and ~11 km from WDB-II.
    assert 8.0 < e["border_distance_km"] < 15.0
    assert 8.0 < e["border_distance_detail_km"] < 15.0
    assert e["facing_admin1"] == "Badakhshan"
    assert e["geo_precision"] == 2 and e["uncertainty_km"] >= 10


def test_seed_attacks_share_one_coordinate(bundle):
    pts = bundle.events.set_index("event_id").loc[SEED_ATTACKS].geometry
    assert pts.iloc[0].equals(pts.iloc[1])


def test_casualty_disagreements_are_kept_as_ranges(bundle):
    e = bundle.events.set_index("event_id").loc["pw-2024-11-18-zarbuz-attack"]
    assert (e["fatalities"], e["injured"], e["injured_high"]) == (1, 4, 5)
    claims = bundle.claims[bundle.claims["event_id"] == "pw-2024-11-18-zarbuz-attack"]
    assert set(claims["injured"].dropna()) == {4, 5}  # who says 4 and who says 5 are both recorded


def test_required_events_are_present(bundle):
    ids = set(bundle.events["event_id"])
    for eid in [
        *SEED_ATTACKS,
        "pw-2025-11-27-tajik-mfa-statement",
        "pw-2025-11-27-taliban-mfa-response",
        "pw-2025-11-27-pakistan-fo-statement",
        "pw-2025-11-28-china-embassy-advisory",
        "pw-2025-11-15-tajik-delegation-kabul",
        "pw-2025-11-27-taliban-badakhshan-delegation",
        "pw-2025-10-pak-afghan-border-clashes",
        "pw-2025-11-30-shodak-attack",
        "pw-2025-12-23-bogh-post-clash",
        "pw-2025-11-20-hamadoni-drone-strike",
        "pw-2025-12-02-muttaqi-muhriddin-call",
    ]:
        assert eid in ids


def test_non_seed_events_are_tiered_related(bundle):
    ev = bundle.events.set_index("event_id")
    for eid in [
        "pw-2025-11-30-shodak-attack",
        "pw-2025-12-23-bogh-post-clash",
        "pw-2025-11-20-hamadoni-drone-strike",
    ]:
        assert ev.loc[eid, "source_tier"] == "related"
        tiers = bundle.sources.set_index("source_id").loc[list(ev.loc[eid, "source_ids"]), "tier"]
        assert set(tiers) == {"related"}


def test_nothing_is_dropped_and_every_unjoined_event_is_reported(bundle):
    unjoined = bundle.events[~bundle.events["join_method"].isin(["within", "boundary"])]
    assert len(unjoined) > 0
    for eid in unjoined["event_id"]:
        assert any(line.startswith(eid) for line in bundle.report), eid


def test_month_precision_event_spans_its_month(bundle):
    from geo.query.filters import event_span

    ev = bundle.events[bundle.events["time_precision"] == 3]
    start, end = event_span(ev)
    assert (end - start).dt.days.min() >= 27


def test_roles_cover_accusers_accused_deniers_and_victims(bundle):
    r = bundle.roles
    assert {"accuser", "accused", "denier", "victim", "respondent"} <= set(r["role"])
    denied = r[(r["actor"] == "Taliban (Afghanistan)") & (r["role"] == "denier")]["event_id"]
    assert "pw-2025-11-26-shohin-attack" in set(denied)
    accused = r[(r["actor"] == "Taliban (Afghanistan)") & (r["role"] == "accused")]["event_id"]
    assert "pw-2025-11-26-shohin-attack" in set(accused)


@pytest.mark.skipif(default_seeds_dir() is None, reason="seed documents not present")
def test_catalogue_checksums_and_quotes_match_the_seeds(bundle):
    seeds = default_seeds_dir()
    cat = bundle.sources[bundle.sources["tier"] == "seed"]
    assert len(cat) == len(list(seeds.glob("*.txt")))
    for sid, sha in zip(cat["source_id"], cat["sha256"], strict=True):
        assert hashlib.sha256((seeds / sid).read_bytes()).hexdigest() == sha
    seeded = bundle.claims[bundle.claims["source_id"].isin(cat["source_id"])]
    assert len(seeded) > 10
    for sid, quote in zip(seeded["source_id"], seeded["quote"], strict=True):
        assert quote and quote in (seeds / sid).read_text(encoding="utf-8")


def test_coordinates_in_the_catalogue_are_estimates_with_basis(bundle):
    placed = bundle.events[bundle.events["latitude"].notna()]
    assert placed["uncertainty_km"].notna().all()
    assert placed["location_basis"].str.len().min() > 20
    assert pd.api.types.is_integer_dtype(placed["geo_precision"])


@pytest.mark.parametrize("event_id", [*SEED_ATTACKS, "pw-2025-12-23-bogh-post-clash"])
def test_district_coded_attacks_cover_the_frontage_and_give_a_border_range(bundle, event_id):
    from geo.spatial.uncertainty import FRONTAGE_RULES, district_frontage, reach_km

    e = bundle.events.set_index("event_id").loc[event_id]
    rule = FRONTAGE_RULES[e["place_id"]]
    places = bundle.places.set_index("place_id")
    nbs = [(places.loc[p, "longitude"], places.loc[p, "latitude"]) for p in rule.neighbours]
    frontage = district_frontage(
        (e["longitude"], e["latitude"]),
        nbs,
        bundle.admin1[bundle.admin1["adm1_code"] == rule.province],
        bundle.border,
    )
    near, far = reach_km((e["longitude"], e["latitude"]), frontage)
    # Measured with the shipped shapes: the frontage is 11.5–35 km from Shŭrobod, and the radius reaches all of it.
    assert 11 < near < 12 and 34 < far <= e["uncertainty_km"]
    # The range over the uncertainty area starts at the border; the coded point's 11.5 km is secondary.
    assert e["border_km_min"] == 0 and e["border_km_max"] > far


# Seed facts the record must carry, each with its verbatim quote (issue 10's audit): (event, source, words of the quote).
SEED_FACTS = [
    ("pw-2025-11-26-shohin-attack", "002_42528b249955a706.txt", "the drone crossed into Tajik airspace"),
    ("pw-2025-11-27-pakistan-fo-statement", "004_4178b4dfd89619a4.txt", "share the grief and anguish"),
    (
        "pw-2025-11-27-pakistan-fo-statement",
        "002_42528b249955a706.txt",
        "expressing solidarity with China and Tajikistan",
    ),
    ("pw-2025-11-27-pakistan-fo-statement", "001_6decd86fbc8d5e71.txt", "enabling US drone operations"),
    (
        "pw-2025-11-27-pakistan-fo-statement",
        "000_5a70a13a6104a45c.txt",
        "alleged sheltering of Islamic State",
    ),
    ("pw-2025-11-27-tajik-mfa-statement", "000_5a70a13a6104a45c.txt", "serious threat to regional stability"),
    ("pw-2024-11-18-zarbuz-attack", "002_42528b249955a706.txt", "cross-border gunfire"),
    ("pw-2024-11-18-zarbuz-attack", "002_42528b249955a706.txt", "greater accountability from the Taliban"),
    (
        "pw-2025-11-26-shohin-attack",
        "002_42528b249955a706.txt",
        "Badakhshan province—directly across from the attack site",
    ),
    ("pw-2025-11-26-shohin-attack", "001_6decd86fbc8d5e71.txt", "Khatlon region has become a stronghold"),
    ("pw-2025-11-26-shohin-attack", "003_0ea83212063cb22b.txt", "a drone equipped with an explosive device"),
    ("pw-2025-11-26-shohin-attack", "001_6decd86fbc8d5e71.txt", "grenades and automatic weapons"),
    (
        "pw-2025-11-26-shohin-attack",
        "002_42528b249955a706.txt",
        "unmanned aerial vehicle equipped with grenades and firearms",
    ),
    (
        "pw-2025-11-15-tajik-delegation-kabul",
        "002_42528b249955a706.txt",
        "the fate of Afghanistan’s embassy in Dushanbe",
    ),
    (
        "pw-2025-11-27-tajik-mfa-statement",
        "001_6decd86fbc8d5e71.txt",
        "criminal groups from a neighbouring country",
    ),
    (
        "pw-2025-11-27-tajik-mfa-statement",
        "004_4178b4dfd89619a4.txt",
        "the assault targeted a compound belonging to Shohin SM",
    ),
]


@pytest.mark.parametrize(("event_id", "source_id", "words"), SEED_FACTS)
def test_seed_facts_are_recorded_with_their_quote(bundle, event_id, source_id, words):
    c = bundle.claims
    hits = c[
        (c["event_id"] == event_id)
        & (c["source_id"] == source_id)
        & c["quote"].str.contains(words, regex=False)
    ]
    assert len(hits) == 1, (event_id, source_id, words)
    ev = bundle.events.set_index("event_id").loc[event_id]
    assert source_id in ev["source_ids"]


# --------------------------------------------------------------------------- coverage of the shipped provinces


@pytest.mark.parametrize(
    ("event_id", "code"),
    [
        ("pw-2025-11-15-tajik-delegation-kabul", "AFG-1767"),  # Kabul: beyond the old clipped window
        ("pw-2025-11-27-pakistan-fo-statement", "PAK-1110"),  # Islamabad Capital Territory
    ],
)
def test_capital_events_join_their_own_province(bundle, event_id, code):
    e = bundle.events.set_index("event_id").loc[event_id]
    assert (e["join_adm1_code"], e["join_method"]) == (code, "within")
    assert not e["admin1_mismatch"]


def test_every_placed_event_of_a_shipped_country_is_within_a_province(bundle):
    from geo.data.names import country_codes

    ev = bundle.events[bundle.events["latitude"].notna()]
    shipped = set(bundle.admin1["country"]) - {"CN"}  # of China only Xinjiang is shipped
    own = country_codes(ev["country"]).fillna("")
    mine = own.map(lambda codes: bool(set(codes.split(";")) & shipped)).to_numpy(dtype=bool)
    assert mine.sum() >= 10
    assert set(ev.loc[mine, "join_method"]) <= {"within", "boundary"}


def test_events_outside_every_province_are_reported_with_their_country(bundle):
    ev = bundle.events[bundle.events["join_method"] == "outside"]
    for eid, country in zip(ev["event_id"], ev["country"], strict=True):
        line = next(x for x in bundle.report if x.startswith(eid))
        assert "not joined to a province" in line and country in line, line
