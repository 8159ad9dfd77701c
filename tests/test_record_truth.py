"""The record, audited (issue 10): ACLED coding, actor forms, dates and attribution rules on tiny inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data.actors import actor_roles
from geo.data.check_events import acled_coding_problems, interaction_code
from geo.query.filters import Filters, apply_filters


def _events(rows):
    cols = [
        "event_id",
        "category",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "actor1_acled",
        "actor2_acled",
    ]
    return pd.DataFrame(rows, columns=cols)


CURATED = _events(
    [
        (
            "c-strike",
            "attack",
            "Tajikistan (government)",
            "",
            "Smugglers",
            "",
            "Military Forces of Tajikistan (1994-)",
            "Unidentified Armed Group (Tajikistan)",
        ),
        (
            "c-statement",
            "statement",
            "Tajikistan (government)",
            "",
            "",
            "",
            "Government of Tajikistan (1994-)",
            "",
        ),
        (
            "c-attack",
            "attack",
            "Unidentified armed group",
            "",
            "Civilians (China)",
            "Civilians (Tajikistan); camp",
            "Unidentified Armed Group (Tajikistan)",
            "Civilians (China)",
        ),
    ]
)
# An imported ACLED event carries ACLED names only (no *_acled columns, no readable name).
IMPORTED = pd.DataFrame(
    [
        (
            "i-1",
            "clash",
            "Military Forces of Tajikistan (1994-)",
            "",
            "Unidentified Armed Group (Tajikistan)",
            "",
        )
    ],
    columns=["event_id", "category", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2"],
)
NO_CLAIMS = pd.DataFrame(columns=["event_id", "speaker", "stance", "about"])


def _select(actor, role=None):
    events = pd.concat([CURATED, IMPORTED], ignore_index=True)
    roles = pd.concat([actor_roles(CURATED, NO_CLAIMS), actor_roles(IMPORTED, NO_CLAIMS)], ignore_index=True)
    mask = apply_filters(
        events.assign(year=2025, source_tier="seed"), roles, Filters(actors=(actor,), role=role)
    )
    return sorted(events.loc[mask, "event_id"])


@pytest.mark.parametrize(
    ("actor", "role", "expected"),
    [
        # The readable name matches its curated events and the imported events under any ACLED form of it.
        ("Tajikistan (government)", None, ["c-statement", "c-strike", "i-1"]),
        # An ACLED name matches the imported events and the curated events coded with that form only.
        ("Military Forces of Tajikistan (1994-)", None, ["c-strike", "i-1"]),
        ("Government of Tajikistan (1994-)", None, ["c-statement"]),
        # Civilians among an attack's associated targets are victims too (the injured Tajik employee).
        ("Civilians (Tajikistan)", "victim", ["c-attack"]),
        ("Civilians (China)", "victim", ["c-attack"]),
    ],
)
def test_actor_filter_matches_either_form(actor, role, expected):
    assert _select(actor, role) == expected


@pytest.mark.parametrize(
    ("inter1", "inter2", "code"),
    [
        ("Political militia", "Civilians", 37),
        ("State forces", "Political militia", 13),
        ("State forces", "State forces", 11),
        ("External/Other forces", "State forces", 18),  # lower code first
        ("External/Other forces", "Civilians", 78),
        ("State forces", None, 10),  # sole actor
    ],
)
def test_interaction_is_the_two_actor_types_lower_first(inter1, inter2, code):
    assert interaction_code(inter1, inter2) == code


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (
            {
                "event_type": "Violence against civilians",
                "inter1": "Political militia",
                "inter2": "Civilians",
                "actor2": "c",
                "actor2_acled": "c",
                "interaction": 37,
                "civilian_targeting": None,
            },
            "civilian_targeting",
        ),
        (
            {
                "event_type": "Battles",
                "inter1": "State forces",
                "inter2": "Political militia",
                "actor2": "x",
                "actor2_acled": "x",
                "interaction": 13,
                "civilian_targeting": "Civilian targeting",
            },
            "civilian_targeting",
        ),
        (
            {
                "event_type": "Battles",
                "inter1": "State forces",
                "inter2": "Political militia",
                "actor2": "x",
                "actor2_acled": "x",
                "interaction": 31,
                "civilian_targeting": None,
            },
            "interaction",
        ),
        (
            {
                "event_type": "Battles",
                "inter1": "State forces",
                "inter2": None,
                "actor2": "x",
                "actor2_acled": "x",
                "interaction": 10,
                "civilian_targeting": None,
            },
            "inter2",
        ),
    ],
)
def test_acled_coding_rules(event, field):
    assert field in [f for f, _v, _m in acled_coding_problems(event)]


def test_correct_acled_coding_passes():
    ok = {
        "event_type": "Explosions/Remote violence",
        "inter1": "Political militia",
        "inter2": "Civilians",
        "actor2": "Civilians (China)",
        "actor2_acled": "Civilians (China)",
        "interaction": 37,
        "civilian_targeting": "Civilian targeting",
    }
    assert acled_coding_problems(ok) == []


@pytest.mark.parametrize(
    ("claim", "source_text", "fields"),
    [
        # Figures must be in the quote, as digits or words ("another" counts as one).
        (
            {
                "quote": "killing three Chinese nationals and injuring another",
                "killed": 3,
                "injured": 1,
                "claim": "x",
            },
            None,
            [],
        ),
        (
            {"quote": "one additional Chinese national was injured", "killed": 3, "injured": 1, "claim": "x"},
            None,
            ["killed"],
        ),
        # A key term of the claim text must be in the quote (cl-005: grenades credited to seed 003).
        (
            {"quote": "a drone equipped with an explosive device", "claim": "A drone with grenades"},
            None,
            ["claim"],
        ),
        (
            {
                "quote": "armed groups carried out an attack",
                "claim": "armed groups attacked from Afghanistan",
            },
            None,
            ["claim"],
        ),
        # The speaker must be named in the cited seed (Interior Ministry, not "Ministry of Interior").
        (
            {"quote": "q", "claim": "x", "speaker_body": "Ministry of Interior", "source_id": "s"},
            "the Taliban-run Interior Ministry announced",
            ["speaker_body"],
        ),
        (
            {"quote": "q", "claim": "x", "speaker_body": "Interior Ministry", "source_id": "s"},
            "the Taliban-run Interior Ministry announced",
            [],
        ),
    ],
)
def test_attribution_must_be_in_the_quote_or_source(claim, source_text, fields):
    from geo.data.check_claims import attribution_problems

    assert [f for f, _v, _m in attribution_problems(claim, source_text)] == fields


# ----------------------------------------------------------------------------- related reporting


@pytest.mark.parametrize(
    ("headline", "url", "expected"),
    [
        # The two rebuilt headlines the audit found (issue 10): the slug's words, one typo corrected.
        (
            "Tajikistan border guards foil armed attack from Afghanistan, two border guard officers killed",
            "https://asiaplustj.info/en/news/tajikistan/incidents/20251225/tajikistan-border-guards-foil-"
            "armed-attack-from-afghanistan-two-borer-guard-officers-killed",
            True,
        ),
        (
            "Tajik delegation meets with Afghanistan's border minister in Kabul",
            "https://www.ariananews.af/tajik-delegation-meets-with-afghanistans-border-minister-in-kabul/",
            True,
        ),
        # A published headline unlike its slug, and URLs without a slug.
        (
            "Attack From Afghanistan Kills Chinese National In Tajikistan, Sources Say",
            "https://rferl.org/amp/attack-afghan-tajik-border-death-chinese-national-taliban/33206367.html",
            False,
        ),
        ("Anything at all", "https://www.globaltimes.cn/page/202511/1349271.shtml", False),
        ("Anything at all", "https://timesca.com/?p=39853", False),
        ("Anything", None, False),
    ],
)
def test_slug_rebuilt_headlines_are_recognised(headline, url, expected):
    from geo.data.check_sources import looks_like_slug

    assert looks_like_slug(headline, url) is expected


def test_every_source_has_outlet_date_and_headline_or_says_why():
    from geo.data.catalogue import catalogue_table
    from geo.data.load import load_bundle

    table = catalogue_table(load_bundle().sources).set_index("source")
    for sid, row in table.iterrows():
        assert row["tier"] in ("seed", "related") and row["outlet"], sid
        for field, word in (("headline", "headline: not given"), ("published", "date: not given")):
            # A field is either given or reads "not given" with its reason in 'missing'.
            assert row[field] != "not given" or word in row["missing"], (sid, field)
    # The five related sources without a date, and the slug-only headlines, say so.
    undated = {s for s, r in table.iterrows() if r["tier"] == "related" and r["published"] == "not given"}
    assert undated == {"exclusivekz-ozodi-2025-11", "fergana-143518", "mfa-af-47188", "timesca-39853",
                       "ariananews-2025-11"}  # fmt: skip
    slug_only = {s for s, r in table.iterrows() if "slug only" in r["missing"]}
    assert {"asiaplus-2025-12-25", "ariananews-2025-11"} <= slug_only


# ----------------------------------------------------------------------------- ACLED actor forms on the CLI


@pytest.mark.parametrize(
    ("cmd", "out"), [(["export", "--format", "csv"], "o.csv"), (["brief"], "o.pdf"), (["snapshot"], "o.png")]
)
def test_cli_refuses_an_unknown_actor_in_one_line_naming_near_matches(cmd, out, tmp_path, capsys):
    from geo.cli.main import main

    code = main([*cmd, "--actor", "Military Forces of Tajikistan", "-o", str(tmp_path / out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert "unknown actor(s) ['Military Forces of Tajikistan']" in err[0]
    assert "'Military Forces of Tajikistan (1994-)'" in err[0]


def test_cli_export_by_acled_name_selects_the_curated_events_coded_with_it(tmp_path):
    import csv as _csv

    from geo.cli.main import main

    out = tmp_path / "e.csv"
    assert (
        main(
            ["export", "--format", "csv", "--actor", "Military Forces of Tajikistan (1994-)", "-o", str(out)]
        )
        == 0
    )
    with out.open(encoding="utf-8", newline="") as f:
        ids = {r["event_id"] for r in _csv.DictReader(line for line in f if not line.startswith("#"))}
    assert "pw-2025-11-20-hamadoni-drone-strike" in ids and "pw-2025-12-23-bogh-post-clash" in ids


# ----------------------------------------------------------------------------- data/README.md


def test_data_readme_documents_every_column_of_every_table():
    """Every column of every data/*.csv and of the catalogue is named in data/README.md (as `col`)."""
    import csv as _csv

    from geo.data.paths import CATALOGUE, DATA_DIR

    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    missing = []
    for path in [*sorted(DATA_DIR.glob("*.csv")), CATALOGUE]:
        with path.open(encoding="utf-8", newline="") as f:
            header = next(_csv.reader(f))
        assert f"`{path.name}`" in readme or path.name == "catalogue.csv", path.name
        missing += [f"{path.name}:{c}" for c in header if f"`{c}`" not in readme]
    assert missing == []
    for rule in ("Date range rule", "Radius from basis", "Precision codes"):
        assert rule in readme


# ----------------------------------------------------------------------------- seed facts, held in the record
# One row per factual statement of the seeds the audit checked (issue 10): the claim that holds it
# (seed, a verbatim fragment of its quote, speaker, stance, event). Fragments are checked against the
# seed files when ../shared/seeds is present.

_T, _TB, _PK, _CN = (
    "Tajikistan (government)",
    "Taliban (Afghanistan)",
    "Pakistan (government)",
    "China (government)",
)
_ATT, _TJS, _PKS = (
    "pw-2025-11-26-shohin-attack",
    "pw-2025-11-27-tajik-mfa-statement",
    "pw-2025-11-27-pakistan-fo-statement",
)
_Z = "pw-2024-11-18-zarbuz-attack"
SEED_FACTS = [
    ("000", "killing three Chinese nationals and injuring one", "Unidentified outlet (seed 000)", "reports", _ATT),
    ("000", "criminal groups located in the neighbouring country", _T, "accuses", _TJS),
    ("000", "continuing to commit acts aimed at destabilising the situation", _T, "accuses", _TJS),
    ("000", "did not explicitly blame Afghanistan", "Unidentified outlet (seed 000)", "reports", _ATT),
    ("000", "avoided blaming each other directly", "Unidentified outlet (seed 000)", "reports", _ATT),
    ("000", "carried out by a “circle”", _TB, "accuses", _ATT),
    ("000", "issued condolences to China and Tajikistan", _TB, "condemns", _ATT),
    ("000", "Hafiz Zia Ahmad", _TB, "offers cooperation", _ATT),
    ("000", "US drone strikes", _TB, "accuses", _PKS),
    ("000", "permitted ISKP training camps", "Afghan military analysts", "accuses", _PKS),
    ("000", "serious threat to regional stability", _T, "warns", _TJS),
    ("001", "grenades and automatic weapons", "Unidentified outlet (seed 001)", "reports", _ATT),
    ("001", "pushing conflicting narratives", "Unidentified outlet (seed 001)", "reports", _ATT),
    ("001", "without directly naming Afghanistan", _T, "accuses", _TJS),
    ("001", "rejected suggestions of involvement", _TB, "denies", _ATT),
    ("001", "information-sharing and technical cooperation", _TB, "offers cooperation", _ATT),
    ("001", "allowing dangerous actors to operate freely", _PK, "accuses", _ATT),
    ("001", "enabling US drone operations", _TB, "accuses", _PKS),
    ("001", "Khatlon region has become a stronghold", "Security analysts", "reports", _ATT),
    ("001", "identity of the attackers remains unclear", "Unidentified outlet (seed 001)", "reports", _ATT),
    ("002", "launched from Afghanistan, Tajik authorities said", _T, "accuses", _ATT),
    ("002", "second deadly strike on Chinese workers", "ET Online/AFP (seed 002)", "reports", _ATT),
    ("002", "All three victims were identified as Chinese employees", "ET Online/AFP (seed 002)", "reports", _ATT),
    ("002", "patrol zone of the “Istiqlol” Border Guard Post", _T, "reports", _ATT),
    ("002", "unmanned aerial vehicle equipped with grenades and firearms", _T, "reports", _ATT),
    ("002", "crossed into Tajik airspace", _T, "reports", _ATT),
    ("002", "one additional Chinese national was injured", _CN, "confirms", _ATT),
    ("002", "stopped short of directly blaming the Taliban regime", "ET Online/AFP (seed 002)", "reports", _ATT),
    ("002", "act of terrorist groups", _T, "condemns", _ATT),
    ("002", "injuring five others—including four fellow Chinese nationals and one Tajik employee",
     "ET Online/AFP (seed 002)", "reports", _Z),
    ("002", "cross-border gunfire", "ET Online/AFP (seed 002)", "reports", _Z),
    ("002", "greater accountability from the Taliban", _T, "demands", _Z),
    ("002", "Badakhshan province—directly across from the attack site", "Tajik security analysts", "reports", _ATT),
    ("002", "joint economic projects", "ET Online/AFP (seed 002)", "reports", "pw-2025-11-15-tajik-delegation-kabul"),
    ("002", "deep-rooted historical and cultural relations", _TB, "welcomes", "pw-2025-11-15-tajik-delegation-kabul"),
    ("002", "evacuate as soon as possible", _CN, "advises", "pw-2025-11-28-china-embassy-advisory"),
    ("002", "while expressing solidarity with China and Tajikistan", _PK, "expresses solidarity", _PKS),
    ("002", "our Chinese friends and Tajik partners", _PK, "expresses solidarity", _PKS),
    ("002", "around 70 lives on both sides", "ET Online/AFP (seed 002)", "reports", "pw-2025-10-pak-afghan-border-clashes"),
    ("002", "brokered by Qatar and Turkey", "ET Online/AFP (seed 002)", "reports", "pw-2025-10-pak-afghan-border-clashes"),
    ("002", "rein in Tehrik-e-Taliban Pakistan (TTP)", _PK, "accuses", "pw-2025-10-pak-afghan-border-clashes"),
    ("002", "Kabul rejects the accusations", _TB, "denies", "pw-2025-10-pak-afghan-border-clashes"),
    ("002", "shelters anti-Taliban groups", _TB, "accuses", "pw-2025-10-pak-afghan-border-clashes"),
    ("003", "carried out from across the border with Afghanistan", _T, "accuses", _ATT),
    ("003", "firearms and a drone equipped with an explosive device", _T, "reports", _ATT),
    ("003", "three employees of Shohin SM, all Chinese citizens, were killed", _T, "confirms", _ATT),
    ("003", "four Chinese nationals and one Tajik man", _T, "accuses", _Z),
    ("003", "accused each other of harboring armed groups", "Unidentified outlet (seed 003)", "reports", _ATT),
    ("003", "the killing of foreign nationals", _T, "condemns", _TJS),
    ("003", "continue destabilizing actions", _T, "accuses", _TJS),
    ("003", "Maulavi Abdul Mannan Hasan", _TB, "reports", "pw-2025-11-27-taliban-badakhshan-delegation"),
    ("003", "has not publicly acknowledged the visit", "Unidentified outlet (seed 003)", "reports",
     "pw-2025-11-27-taliban-badakhshan-delegation"),
    ("004", "condemned the killing of three Chinese workers", _PK, "condemns", _ATT),
    ("004", "expressing solidarity with Beijing and Dushanbe", _PK, "expresses solidarity", _PKS),
    ("004", "under the patronage of Afghan Taliban regime", _PK, "accuses", _ATT),
    ("004", "Concrete and verifiable action", _PK, "demands", _ATT),
    ("004", "denies it harbors militant groups", _TB, "denies", _PKS),
    ("004", "including the Pakistani Taliban (TTP)", _PK, "accuses", _PKS),
]  # fmt: skip


@pytest.mark.parametrize(("seed", "fragment", "speaker", "stance", "event_id"), SEED_FACTS)
def test_each_seed_fact_is_held_by_an_attributed_claim(bundle, seed, fragment, speaker, stance, event_id):
    from geo.data.paths import default_seeds_dir

    c = bundle.claims
    hit = c[
        c["source_id"].str.startswith(seed)
        & c["quote"].fillna("").str.contains(fragment, regex=False)
        & (c["speaker"] == speaker)
        & (c["stance"] == stance)
        & (c["event_id"] == event_id)
    ]
    assert len(hit) >= 1, f"no {speaker} / {stance} claim on {event_id} quoting {fragment!r} from seed {seed}"
    seeds = default_seeds_dir()
    if seeds is not None:
        text = next(seeds.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
        assert fragment in text


@pytest.mark.parametrize(
    ("event_id", "date", "end", "precision", "killed", "injured"),
    [
        (_Z, "2024-11-17", "2024-11-18", 2, (1, 1), (4, 5)),
        (_ATT, "2025-11-26", None, 1, (3, 3), (1, 1)),
        ("pw-2025-10-pak-afghan-border-clashes", "2025-10-01", "2025-10-31", 3, (70, 70), (None, None)),
        (_TJS, "2025-11-27", None, 1, (0, 0), (0, 0)),
        (_PKS, "2025-11-27", None, 1, (0, 0), (0, 0)),
        ("pw-2025-11-28-china-embassy-advisory", "2025-11-28", None, 1, (0, 0), (0, 0)),
        ("pw-2025-11-27-taliban-badakhshan-delegation", "2025-11-27", None, 2, (0, 0), (0, 0)),
    ],
)
def test_seed_dates_and_figures_of_the_events(bundle, event_id, date, end, precision, killed, injured):
    e = bundle.events.set_index("event_id").loc[event_id]

    def num(v):
        return None if pd.isna(v) else int(v)

    assert str(pd.Timestamp(e["event_date"]).date()) == date
    assert (None if pd.isna(e["date_end"]) else str(pd.Timestamp(e["date_end"]).date())) == end
    assert int(e["time_precision"]) == precision
    assert (num(e["fatalities"]), num(e["fatalities_high"])) == killed
    assert (num(e["injured"]), num(e["injured_high"])) == injured


@pytest.mark.parametrize(
    ("quote", "field", "states"),
    [
        ("killing three Chinese nationals and injuring one", "killed", True),
        ("killing three Chinese nationals and injuring one", "injured", True),
        ("claimed around 70 lives on both sides", "killed", True),
        # Not a figure: "the killings", a "deadly" strike, the "second" attack.
        ("strongly condemning the killings", "killed", False),
        ("The attack marks the second deadly strike on Chinese workers", "killed", False),
        ("one additional Chinese national was injured", "killed", False),
    ],
)
def test_a_quote_that_states_a_figure_is_recognised(quote, field, states):
    from geo.data.check_claims import _states_figure

    assert _states_figure(quote, field) is states
