"""Short narratives of the violent events and the claims about them, written from the records.

Every sentence is assembled from fields of one event, its claims and its
sources: nothing is inferred beyond them. Strings are plain (unescaped) text;
the page escapes them for Markdown, the PDF draws them as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.data.load import Bundle
from geo.data.schema import GEO_PRECISION, VIOLENT
from geo.report.formatting import fmt_count, fmt_day, fmt_event_day, fmt_range
from geo.report.wording import actor_name, capitalise, join_and, source_label, stance_phrase
from geo.spatial.scope import FRONTIER_KM, FRONTIER_NAME, frontier_status, imported_mask, split_frontier
from geo.spatial.uncertainty import row_border_text


def when(e) -> str:
    """The event's date as the records support it (day, range or month only)."""
    start = pd.Timestamp(e["event_date"])
    end = pd.Timestamp(e["date_end"]) if pd.notna(e["date_end"]) else None
    prec = int(e["time_precision"])
    if prec == 3 and (end is None or (end.year, end.month) == (start.year, start.month)):
        return f"In {start:%B %Y}"
    if end is not None and end != start:
        if (end.year, end.month) == (start.year, start.month):
            return f"Between {start.day} and {fmt_day(end, long=True)}"
        return f"Between {fmt_day(start, long=True)} and {fmt_day(end, long=True)}"
    if prec == 2:
        return f"On or about {fmt_day(start, long=True)}"
    return f"On {fmt_day(start, long=True)}"


_CIVILIANS = re.compile(r"^(?P<adj>\w+) civilians$")


def _who(name: str, assoc: str) -> str:
    """An actor with its associated actors, readably: ``"Chinese and Tajik civilians (a camp)"``.

    Associated civilians join the main civilians (ACLED lists the injured Tajik employee as
    ``Civilians (Tajikistan)`` beside ``Civilians (China)``); other associates follow in brackets.
    """
    main = actor_name(name)
    # Associated actors are a ";"-separated list (ACLED's convention), each named readably.
    parts = [actor_name(a) for a in str(assoc or "").split(";") if a.strip()]
    civ = _CIVILIANS.match(main)
    if civ:
        adjs = [civ["adj"]] + [m["adj"] for p in parts if (m := _CIVILIANS.match(p))]
        parts = [p for p in parts if not _CIVILIANS.match(p)]
        main = f"{join_and(list(dict.fromkeys(adjs)))} civilians"
    parts = [p.removeprefix("the ") for p in parts]
    return f"{main} ({'; '.join(parts)})" if parts else main


def _where(e) -> str:
    parts = [str(e["location"])]
    district = str(e["admin2"] or "")
    if district and district not in parts[0]:
        parts.append(f"{district} district")
    admin = ", ".join(p for p in (str(e["admin1"] or ""), str(e["country"] or "")) if p)
    return ", ".join(parts) + (f" ({admin})" if admin else "")


def lead_sentence(e) -> str:
    """What happened, where and to whom, with the casualty figures (low–high where sources differ)."""
    what = str(e["sub_event_type"]).strip()
    what = str(e["category"]) if what.lower() in ("", "other", "nan") else what
    article = "An" if what[:1].lower() in "aeiou" else "A"
    a1 = _who(str(e["actor1"]), str(e["assoc_actor_1"] or ""))
    a2 = _who(str(e["actor2"] or ""), str(e["assoc_actor_2"] or "")) if e["actor2"] else ""
    if e["event_type"] == "Battles" and a2:
        actors = f" between {a1} and {a2}"
    else:
        actors = f" by {a1}" + (f" on {a2}" if a2 else "")
    killed = fmt_range(e["fatalities"], e["fatalities_high"], missing=None)
    injured = fmt_range(e["injured"], e["injured_high"], missing=None)
    toll = []
    if killed is not None:
        toll.append(f"{killed} killed")
    if injured is not None:
        toll.append(f"{injured} injured")
    tail = f": {' and '.join(toll)}" if toll else ": casualties not reported"
    if not pd.isna(e["latitude"]):
        where = _where(e)
        place = f" {where}" if where.lower().startswith(("near ", "in ", "at ", "on ")) else f" at {where}"
    else:
        place = f" ({e['location']}; not placed on the map)"
    return f"{when(e)}, {article.lower()} {what.lower()}{actors}{place}{tail}."


def where_sentence(e) -> str:
    """How precisely the place is known and how far it is from the border."""
    if pd.isna(e["latitude"]):
        return "No single coordinate is recorded for it."
    gp = int(e["geo_precision"])
    unc = f" (±{float(e['uncertainty_km']):g} km)" if pd.notna(e["uncertainty_km"]) else ""
    s = f"Location coded at {GEO_PRECISION.get(gp, '?')} level{unc}"
    if gp == 1:
        s = f"Location coded to the {GEO_PRECISION[1]}{unc}"
    if pd.notna(e.get("border_distance_km")) and e.get("join_method") in ("within", "boundary", "nearest"):
        s += ", " + row_border_text(e, "Natural Earth 1:10M line")
        if pd.notna(e.get("facing_admin1")):
            s += f", facing {e['facing_admin1']} province of Afghanistan"
    return s + "."


@dataclass
class SpeakerClaims:
    """One column of the side-by-side claims: a speaker and what they said."""

    speaker: str
    lines: list[str]
    sources: list[str] = field(default_factory=list)


def _source_labels(bundle: Bundle, ids, with_date: bool = True) -> dict[str, str]:
    src = bundle.sources.set_index("source_id", drop=False)
    return {sid: source_label(src.loc[sid], with_date) for sid in dict.fromkeys(ids) if sid in src.index}


def claims_by_speaker(bundle: Bundle, event_id: str) -> list[SpeakerClaims]:
    """Claims about ``event_id`` grouped by speaker, in the order speakers first appear.

    ``speaker`` is the readable name (``"Tajik officials"``, never the raw field); each line reads
    ``"<stance> (<body>) — about <about, readably>: <claim> [<outlet>, <claim date>]"``.
    """
    claims = bundle.claims[bundle.claims["event_id"] == event_id]
    labels = _source_labels(bundle, claims["source_id"])
    nodate = _source_labels(bundle, claims["source_id"], with_date=False)
    out: list[SpeakerClaims] = []
    for speaker in dict.fromkeys(claims["speaker"]):
        rows = claims[claims["speaker"] == speaker]
        lines = []
        for c in rows.itertuples(index=False):
            body = f" ({c.speaker_body})" if c.speaker_body else ""
            date = f", {fmt_day(c.claim_date)}" if pd.notna(c.claim_date) else ""
            # The claim's own date, else the source's publication date (in its label).
            label = (nodate if date else labels).get(c.source_id, str(c.source_id))
            lines.append(f"{c.stance}{body} — about {actor_name(c.about)}: {c.claim} [{label}{date}]")
        who = capitalise(actor_name(speaker, speaking=True))
        out.append(SpeakerClaims(who, lines, list(dict.fromkeys(rows["source_id"]))))
    return out


def claims_table(bundle: Bundle, event_id: str) -> pd.DataFrame:
    """Who says what about ``event_id``, one row per claim: a compact table for the page.

    Columns ``who`` (the speaker, readably, with the body that spoke), ``says`` (the stance),
    ``about``, ``claim`` (the record's summary) and ``source`` (outlet and date). Plain text.
    """
    return claims_rows(bundle, bundle.claims[bundle.claims["event_id"] == event_id])


def claims_rows(bundle: Bundle, claims: pd.DataFrame) -> pd.DataFrame:
    """:func:`claims_table` of any set of claims (e.g. a selection's), one row per claim, in order."""
    labels = _source_labels(bundle, claims["source_id"], with_date=False)
    rows = []
    for c in claims.itertuples(index=False):
        who = capitalise(actor_name(c.speaker, speaking=True))
        body = str(c.speaker_body or "").strip() if pd.notna(c.speaker_body) else ""
        date = f", {fmt_day(c.claim_date)}" if pd.notna(c.claim_date) else ""
        rows.append(
            {
                "who": f"{who} ({body})" if body else who,
                "says": str(c.stance),
                "about": capitalise(actor_name(c.about)),
                "claim": str(c.claim),
                "source": labels.get(c.source_id, str(c.source_id)) + date,
            }
        )
    return pd.DataFrame(rows, columns=["who", "says", "about", "claim", "source"])


#: Stances a one-line summary names first: who blames whom, and who denies.
_FIRST = {"denies": 0, "accuses": 1, "disputes": 2}


def _speaker_clauses(
    claims: pd.DataFrame, stances: tuple[str, ...] | None, per_speaker: int, verbs_max: int = 2
) -> list[str]:
    """One clause per speaker (in order of appearance): ``"Tajik officials blamed X, Y and 2 others"``.

    At most ``verbs_max`` kinds of statement per speaker (denials and accusations first) and
    ``per_speaker`` objects per kind; the claims table has the rest.
    """
    if stances is not None:
        claims = claims[claims["stance"].isin(stances)]
    clauses = []
    for speaker, rows in claims.groupby("speaker", sort=False):
        rows = rows.sort_values("stance", key=lambda st: st.map(_FIRST).fillna(9), kind="stable")
        parts: dict[str, list[str]] = {}
        for c in rows.itertuples(index=False):
            phrase = stance_phrase(c.stance, c.speaker, c.about)
            verb = phrase.split(" ")[0]
            if c.stance == "denies" and c.about == c.speaker:
                verb = phrase  # "denied involvement" takes no object list
            obj = phrase[len(verb) :].strip()
            if obj not in parts.setdefault(verb, []):
                parts[verb].append(obj)
        bits = []
        for verb, objs in list(parts.items())[:verbs_max]:
            objs = [o for o in objs if o]
            if len(objs) > per_speaker:
                more = len(objs) - per_speaker
                objs = objs[:per_speaker] + [f"{more} other{'s' if more > 1 else ''}"]
            bits.append(verb + (" " + join_and(objs) if objs else ""))
        clauses.append(f"{actor_name(speaker, speaking=True)} {join_and(bits)}")
    return clauses


def claims_sentence(bundle: Bundle, event_id: str, limit: int = 4) -> str:
    """One sentence of who said what about whom (``limit`` speakers at most), every claim attributed."""
    claims = bundle.claims[bundle.claims["event_id"] == event_id]
    if claims.empty:
        return "No claims about it are recorded."
    clauses = _speaker_clauses(claims, None, per_speaker=2)
    more = len(clauses) - limit
    text = "; ".join(clauses[:limit])
    if more > 0:
        text += f"; {more} more speaker{'s' if more > 1 else ''} in the claims"
    return capitalise(text) + "."


def sources_sentence(bundle: Bundle, e) -> str:
    """How many sources support the event, by tier, named by outlet and date."""
    src = bundle.sources.set_index("source_id")
    ids = [s for s in e["source_ids"] if s in src.index]
    dataset = e.get("dataset")
    if not ids and isinstance(dataset, str) and dataset != "curated":
        # Imported events cite no catalogue source: their export's own source field says who reported.
        text = " ".join(str(e.get("source") or "").split())
        return f"Source: {text or 'not given'} (as given in the imported dataset {dataset})."
    tiers = src.loc[ids, "tier"].value_counts() if ids else pd.Series(dtype=int)
    seed, related = int(tiers.get("seed", 0)), int(tiers.get("related", 0))
    parts = []
    if seed:
        parts.append(f"{seed} seed document{'s' if seed > 1 else ''}")
    if related:
        parts.append(f"{related} related report{'s' if related > 1 else ''}")
    named = "; ".join(_source_labels(bundle, ids).values())
    return f"Sources: {len(ids)} ({', '.join(parts) or 'none'}){': ' + named if named else ''}."


@dataclass
class Narrative:
    """A short account of one violent event."""

    event_id: str
    heading: str
    text: str
    casualty_basis: str
    claims: list[SpeakerClaims]
    source_ids: list[str]
    #: ``"inside"`` (counted in the headline figures), ``"elsewhere"`` or ``"unplaced"`` (not counted).
    frontier: str = "inside"

    @property
    def scope_note(self) -> str | None:
        """Why a story is told but not counted in the figures (``None`` when it is counted)."""
        if self.frontier == "unplaced":
            return "Not counted in the figures above: no coordinates, so no distance to the border."
        if self.frontier == "elsewhere":
            return f"Not counted in the figures above: placed more than {FRONTIER_KM:g} km from the border."
        return None


def heading(e) -> str:
    """``"26 Nov 2025 — attack, Shamsiddin Shohin"``: date, category and district or place."""
    date = fmt_event_day(e["event_date"], e["time_precision"])
    place = str(e["admin2"] or "") or str(e["location"]).split(",")[0]
    return f"{date} — {e['category']}, {place}"


def narrative(bundle: Bundle, e) -> Narrative:
    """The narrative of one event row (a row of ``bundle.events``)."""
    text = " ".join(
        [
            lead_sentence(e),
            str(e["notes"]).strip(),
            where_sentence(e),
            claims_sentence(bundle, e["event_id"]),
            sources_sentence(bundle, e),
        ]
    )
    return Narrative(
        event_id=str(e["event_id"]),
        heading=heading(e),
        text=" ".join(text.split()),
        casualty_basis=str(e["casualty_basis"]),
        claims=claims_by_speaker(bundle, e["event_id"]),
        source_ids=list(e["source_ids"]),
        frontier=frontier_status(e.get("border_distance_km")),
    )


def attack_narratives(bundle: Bundle, events: pd.DataFrame) -> list[Narrative]:
    """Narratives of the attacks and clashes among ``events``, in date order."""
    violent = events[events["category"].isin(VIOLENT)].sort_values(["event_date", "event_id"], kind="stable")
    return [narrative(bundle, row) for _, row in violent.iterrows()]


def counted_sentence(counted: pd.DataFrame) -> str:
    """One sentence for the imported events a briefing counts instead of telling one by one."""
    from geo.render.timeline.imported import IMPORTED_MARKS_MAX

    violent = int(counted["category"].isin(VIOLENT).sum())
    return (
        f"{fmt_count(len(counted))} imported events ({fmt_count(violent)} attacks and clashes) are counted "
        "on the maps and, those on the frontier, in the figures; they are not told one by one here (above "
        f"{fmt_count(IMPORTED_MARKS_MAX)} imported events only the curated record is told); the incidents "
        "table and the data exports list each of them."
    )


def briefing_stories(bundle: Bundle, events: pd.DataFrame) -> tuple[list[Narrative], str | None]:
    """The attack narratives a briefing tells, and a sentence for the imported events it only counts.

    Above ``geo.render.timeline.IMPORTED_MARKS_MAX`` imported events (an ACLED export of a whole
    region), telling each would bury the curated record under thousands of generic stories
    and take minutes; they are counted instead (:func:`counted_sentence`), as the timeline does.
    """
    from geo.render.timeline.imported import split_imported

    told, counted = split_imported(events)
    return attack_narratives(bundle, told), (counted_sentence(counted) if len(counted) else None)


def _date(ts: pd.Timestamp, precision: int) -> str:
    return f"{ts:%B %Y}" if precision == 3 else f"{ts.day} {ts:%B %Y}"


def _span(violent: pd.DataFrame) -> str:
    """``"Between 18 November 2024 and 24 December 2025"`` (or the one event's own date)."""
    if len(violent) == 1:
        return when(violent.iloc[0])
    first, last = violent.iloc[0], violent.iloc[-1]
    ends = pd.to_datetime(violent["date_end"]).fillna(pd.to_datetime(violent["event_date"]))
    end_i = int(ends.to_numpy().argmax())
    end, end_prec = ends.iloc[end_i], int(violent["time_precision"].iloc[end_i])
    start = _date(pd.Timestamp(first["event_date"]), int(first["time_precision"]))
    stop = _date(pd.Timestamp(end), end_prec)
    if start == stop:
        return f"On {start}" if int(last["time_precision"]) != 3 else f"In {start}"
    return f"Between {start} and {stop}"


def _districts(violent: pd.DataFrame, limit: int = 3) -> str:
    """``"Shamsiddin Shohin, Hamadoni and Darvoz districts (Tajikistan)"``, most events first."""
    district = violent["admin2"].astype("string").fillna("").str.strip()
    province = violent["admin1"].astype("string").fillna("").str.strip()
    names = district.where(district != "", province.where(province == "", province + " province"))
    names = names[names != ""]
    if names.empty:
        return ""
    counts = names.value_counts(sort=False)
    order = sorted(counts.index, key=lambda n: -counts[n])
    shown = [n.removesuffix(" province") if n.endswith(" province") else n for n in order[:limit]]
    more = len(order) - limit
    kind = "districts" if all(not n.endswith(" province") for n in order[:limit]) else "areas"
    if len(order) == 1:
        kind = "province" if order[0].endswith(" province") else "district"
    where = join_and(shown + ([f"{fmt_count(more)} other places"] if more > 0 else []))
    countries = [c for c in violent["country"].dropna().unique() if c]
    tail = f" ({join_and(countries[:3])})" if countries and len(countries) <= 3 else ""
    return f"in {where} {kind}{tail}"


_LEAD_COLUMNS = (
    "event_id", "event_date", "date_end", "time_precision", "category", "admin1", "admin2", "country", "dataset",
    "fatalities", "fatalities_high", "fatalities_best", "injured", "injured_high",
)  # fmt: skip


def briefing_lead(bundle: Bundle, events: pd.DataFrame) -> str:
    """The sentence a duty officer reads aloud: what, where, when, how many, who blames, who denies.

    Counts the attacks and clashes on the frontier (:mod:`geo.spatial.scope`), as the key figures do;
    blame and denial come from the claims about them, each attributed to its speaker.

    Parameters
    ----------
    bundle : Bundle
        For the claims.
    events : DataFrame
        The selection's enriched events, with ``border_distance_km``.

    Returns
    -------
    str
        Plain (unescaped) text: one or two sentences.
    """
    from geo.report.stats import casualty_totals, category_mask

    split = split_frontier(events)
    counted = split.inside & category_mask(events, VIOLENT)
    # Only the columns the sentence reads: a whole-frame take of a large import costs seconds.
    cols = [c for c in _LEAD_COLUMNS if c in events]
    violent = events[cols].iloc[np.flatnonzero(counted)]
    if violent.empty:
        return f"No attacks or clashes on {FRONTIER_NAME} in this selection."
    violent = violent.sort_values(["event_date", "event_id"], kind="stable")
    attacks = int((violent["category"] == "attack").sum())
    clashes = len(violent) - attacks
    what = join_and(
        ([f"{fmt_count(attacks)} attack{'s' if attacks != 1 else ''}"] if attacks else [])
        + ([f"{fmt_count(clashes)} clash{'es' if clashes != 1 else ''}"] if clashes else [])
    )
    if len(violent) == 1:
        what = "an attack" if attacks else "a clash"
    imported = imported_mask(violent)
    if imported.any():
        what += f" ({fmt_count(int((~imported).sum()))} curated, {fmt_count(int(imported.sum()))} imported)"
    t = casualty_totals(violent)
    t.update({k: v for k, v in casualty_totals(violent, ~imported).items() if k.startswith("injured")})
    if t["killed_high"] == 0:
        toll = "with no deaths reported"
    else:
        toll = f"killed {fmt_range(t['killed_low'], t['killed_high'], t['killed_best'])}"
    if t["injured_events"] and t["injured_high"]:
        toll += f" and injured {fmt_range(t['injured_low'], t['injured_high'])}"
        if imported.any():
            toll += " (injured: curated records only)"
    where = _districts(violent)
    first = f"{_span(violent)}, {what} on {FRONTIER_NAME} {toll}" + (f", {where}" if where else "") + "."
    # Few events have claims: look the claims' ids up among the events, not the other way round.
    claimed = violent["event_id"][violent["event_id"].isin(set(bundle.claims["event_id"]))]
    claims = bundle.claims[bundle.claims["event_id"].isin(set(claimed))]
    clauses = _speaker_clauses(claims, ("accuses", "denies", "disputes"), per_speaker=2)
    if not clauses:
        return first
    more = len(clauses) - 4
    blame = "; ".join(clauses[:4]) + (f"; {more} more in the claims" if more > 0 else "")
    return f"{first} {capitalise(blame)}."
