"""Column specifications of the curated tables, one table-driven place for all checks.

ACLED column names are used wherever ACLED has the concept (``event_date``,
``time_precision``, ``geo_precision``, ``actor1`` …); the rest are Panj Watch's
own (``event_id``, ``uncertainty_km``, ``location_basis``, ``source_ids`` …).
See ``data/README.md`` for the meaning of each column.
"""

from __future__ import annotations

from dataclasses import dataclass

#: ACLED time_precision: 1 = exact day, 2 = within a week or a stated range, 3 = month only.
TIME_PRECISION = {1: "exact day", 2: "within a week / range", 3: "month only"}
#: ACLED geo_precision: 1 = town/site, 2 = district (or nearby town), 3 = province/region.
GEO_PRECISION = {1: "town or site", 2: "district", 3: "province / region"}

EVENT_TYPES = frozenset(
    {
        "Battles",
        "Violence against civilians",
        "Explosions/Remote violence",
        "Riots",
        "Protests",
        "Strategic developments",
    }
)
#: Panj Watch's own grouping, used by the type filter and the timeline lanes.
CATEGORIES = frozenset(
    {"attack", "clash", "statement", "visit", "advisory", "call", "agreement", "protest", "other"}
)
STANCES = frozenset(
    {
        "accuses",
        "denies",
        "disputes",
        "condemns",
        "confirms",
        "reports",
        "advises",
        "demands",
        "offers cooperation",
        "welcomes",
        "expresses solidarity",
        "warns",
    }
)
#: ``seed`` = one of the seed documents in ``../shared/seeds``; ``related`` = public
#: reporting listed in ``related-reporting.md``, not verified against the seeds.
TIERS = frozenset({"seed", "related"})
#: The violent categories: what the attack, clash, killed and injured figures count, what the
#: narratives tell, what the maps fill. Every output imports this one tuple.
VIOLENT = ("attack", "clash")
#: ACLED actor-type codes (``inter1``/``inter2``) and their labels, as ACLED's codebook and the
#: importer (``geo.data.importers.acled_codes.INTER_CODES``) use them; events.csv stores the labels.
INTER_CODES = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
INTER_LABELS = frozenset(INTER_CODES.values())
#: ACLED ``civilian_targeting``: the one value it takes, or empty.
CIVILIAN_TARGETING = frozenset({"Civilian targeting"})
PLACE_KINDS = frozenset({"province", "district", "settlement", "capital", "river", "border", "site"})


@dataclass(frozen=True)
class Field:
    """One column: its type and the rule a cell must satisfy.

    ``kind`` is one of ``str``, ``int``, ``float``, ``date``, ``list`` (``;``-separated).
    ``lo``/``hi`` bound numbers (inclusive); ``choices`` bounds strings or list items.
    """

    name: str
    kind: str = "str"
    required: bool = False
    choices: frozenset | None = None
    lo: float | None = None
    hi: float | None = None


EVENTS = (
    Field("event_id", required=True),
    Field("event_date", "date", required=True),
    Field("date_end", "date"),
    Field("year", "int", required=True, lo=1989, hi=2100),
    Field("time_precision", "int", required=True, choices=frozenset(TIME_PRECISION)),
    Field("date_basis", required=True),
    Field("category", required=True, choices=CATEGORIES),
    Field("event_type", required=True, choices=EVENT_TYPES),
    Field("sub_event_type", required=True),
    Field("actor1", required=True),
    Field("assoc_actor_1"),
    Field("actor2"),
    Field("assoc_actor_2"),
    # ACLED's own actor names (e.g. "Military Forces of Tajikistan (1994-)") beside the readable
    # actor1/actor2 the pages show, so curated and imported actors filter together.
    Field("actor1_acled", required=True),
    Field("actor2_acled"),
    Field("inter1", required=True, choices=INTER_LABELS),
    Field("inter2", choices=INTER_LABELS),
    Field("interaction", "int", required=True, lo=10, hi=88),
    Field("civilian_targeting", choices=CIVILIAN_TARGETING),
    Field("country", required=True),
    Field("admin1"),
    Field("admin2"),
    Field("location", required=True),
    Field("latitude", "float", lo=-90, hi=90),
    Field("longitude", "float", lo=-180, hi=180),
    Field("geo_precision", "int", required=True, choices=frozenset(GEO_PRECISION)),
    Field("uncertainty_km", "float", lo=0, hi=1000),
    Field("location_basis", required=True),
    Field("place_id"),
    Field("source", required=True),
    Field("source_ids", "list", required=True),
    Field("source_tier", required=True, choices=TIERS),
    Field("notes", required=True),
    Field("fatalities", "int", lo=0, hi=1_000_000),
    Field("fatalities_high", "int", lo=0, hi=1_000_000),
    Field("injured", "int", lo=0, hi=1_000_000),
    Field("injured_high", "int", lo=0, hi=1_000_000),
    Field("casualty_basis", required=True),
)

CLAIMS = (
    Field("claim_id", required=True),
    Field("event_id", required=True),
    # The statement (statements.csv) this claim is part of, if it is part of one.
    Field("statement_id"),
    Field("claim_date", "date"),
    Field("speaker", required=True),
    Field("speaker_body"),
    Field("stance", required=True, choices=STANCES),
    Field("about", required=True),
    Field("claim", required=True),
    Field("quote"),
    Field("source_id", required=True),
    Field("origin_place_id"),
    Field("killed", "int", lo=0, hi=1_000_000),
    Field("injured", "int", lo=0, hi=1_000_000),
)

#: One official statement, modelled once: who, when, in what form, reported by which sources,
#: about which events. Its claims (claims.csv, ``statement_id``) are shown together.
STATEMENTS = (
    Field("statement_id", required=True),
    Field("speaker", required=True),
    Field("speaker_body"),
    Field("statement_date", "date"),
    Field("date_basis", required=True),
    Field("medium", required=True),
    Field("source_ids", "list", required=True),
    Field("event_ids", "list", required=True),
    Field("summary", required=True),
)

PLACES = (
    Field("place_id", required=True),
    Field("name", required=True),
    Field("kind", required=True, choices=PLACE_KINDS),
    Field("country", required=True),
    Field("latitude", "float", lo=-90, hi=90),
    Field("longitude", "float", lo=-180, hi=180),
    Field("geonameid", "int", lo=1),
    Field("shape_ref"),
    Field("uncertainty_km", "float", lo=0, hi=1000),
    Field("basis", required=True),
)

CATALOGUE = (
    Field("source_id", required=True),
    Field("tier", required=True, choices=TIERS),
    Field("outlet", required=True),
    Field("outlet_basis", required=True),
    Field("headline"),
    # "as published: <where it was read>" or "not given: <why>" / "not given (slug only): <why>".
    Field("headline_basis", required=True),
    Field("published", "date"),
    Field("date_basis", required=True),
    Field("sha256"),
    Field("url"),
    Field("supports", "list", required=True),
    Field("excerpt"),
)

#: File name (relative to the data folder, or the repo for the catalogue) → schema and id column.
TABLES = {
    "events": ("events.csv", EVENTS, "event_id"),
    "claims": ("claims.csv", CLAIMS, "claim_id"),
    "statements": ("statements.csv", STATEMENTS, "statement_id"),
    "places": ("places.csv", PLACES, "place_id"),
    "sources": ("catalogue.csv", CATALOGUE, "source_id"),
}
