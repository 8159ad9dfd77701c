"""Short narratives of the violent events and the claims about them, written from the records.

Every sentence is assembled from fields of one event, its claims and its
sources: nothing is inferred beyond them. Strings are plain (unescaped) text;
the page escapes them for Markdown, the PDF draws them as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.load import Bundle
from geo.schema import GEO_PRECISION

#: Categories the briefing writes a narrative for.
VIOLENT = ("attack", "clash")


def _range(lo, hi) -> str | None:
    if pd.isna(lo):
        return None
    if pd.isna(hi) or int(hi) == int(lo):
        return str(int(lo))
    return f"{int(lo)}–{int(hi)}"


def when(e) -> str:
    """The event's date as the records support it (day, range or month only)."""
    start = pd.Timestamp(e["event_date"])
    end = pd.Timestamp(e["date_end"]) if pd.notna(e["date_end"]) else None
    prec = int(e["time_precision"])
    if prec == 3 and (end is None or (end.year, end.month) == (start.year, start.month)):
        return f"In {start:%B %Y}"
    if end is not None and end != start:
        if (end.year, end.month) == (start.year, start.month):
            return f"Between {start.day} and {end:%d %B %Y}".replace(" 0", " ")
        return f"Between {start:%d %B %Y} and {end:%d %B %Y}"
    if prec == 2:
        return f"On or about {start.day} {start:%B %Y}"
    return f"On {start.day} {start:%B %Y}"


def _who(name: str, assoc: str) -> str:
    return f"{name} ({assoc})" if assoc else name


def _where(e) -> str:
    parts = [str(e["location"])]
    district = str(e["admin2"] or "")
    if district and district not in parts[0]:
        parts.append(f"{district} district")
    admin = ", ".join(p for p in (str(e["admin1"] or ""), str(e["country"] or "")) if p)
    return ", ".join(parts) + (f" ({admin})" if admin else "")


def lead_sentence(e) -> str:
    """What happened, where and to whom, with the casualty figures (low–high where sources differ)."""
    what = str(e["sub_event_type"]).strip() or str(e["category"])
    article = "An" if what[:1].lower() in "aeiou" else "A"
    a1 = _who(str(e["actor1"]), str(e["assoc_actor_1"] or ""))
    a2 = _who(str(e["actor2"] or ""), str(e["assoc_actor_2"] or "")) if e["actor2"] else ""
    if e["event_type"] == "Battles" and a2:
        actors = f" between {a1} and {a2}"
    else:
        actors = f" by {a1}" + (f" on {a2}" if a2 else "")
    killed = _range(e["fatalities"], e["fatalities_high"])
    injured = _range(e["injured"], e["injured_high"])
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
        s += f", {float(e['border_distance_km']):.1f} km from the border (Natural Earth 1:10M line)"
        if pd.notna(e.get("facing_admin1")):
            s += f", facing {e['facing_admin1']} province of Afghanistan"
    return s + "."


@dataclass
class SpeakerClaims:
    """One column of the side-by-side claims: a speaker and what they said."""

    speaker: str
    lines: list[str]
    sources: list[str] = field(default_factory=list)


def claims_by_speaker(bundle: Bundle, event_id: str) -> list[SpeakerClaims]:
    """Claims about ``event_id`` grouped by speaker, in the order speakers first appear.

    Each line reads ``"<stance> — about <about>: <claim> [source_id]"``.
    """
    claims = bundle.claims[bundle.claims["event_id"] == event_id]
    out: list[SpeakerClaims] = []
    for speaker in dict.fromkeys(claims["speaker"]):
        rows = claims[claims["speaker"] == speaker]
        lines = []
        for c in rows.itertuples(index=False):
            body = f" ({c.speaker_body})" if c.speaker_body else ""
            date = f", {pd.Timestamp(c.claim_date):%d %b %Y}" if pd.notna(c.claim_date) else ""
            lines.append(f"{c.stance}{body} — about {c.about}: {c.claim} [{c.source_id}{date}]")
        out.append(SpeakerClaims(str(speaker), lines, list(dict.fromkeys(rows["source_id"]))))
    return out


def claims_sentence(bundle: Bundle, event_id: str, limit: int = 4) -> str:
    """One sentence of who accuses, denies or confirms about whom (``limit`` statements at most)."""
    claims = bundle.claims[bundle.claims["event_id"] == event_id]
    if claims.empty:
        return "No claims about it are recorded."
    # Round robin over speakers, so a party with many statements does not crowd out the others.
    by_speaker: dict[str, list[str]] = {}
    for c in claims.itertuples(index=False):
        by_speaker.setdefault(c.speaker, [])
        pair = f"{c.speaker} — {c.stance}: {c.about}"
        if pair not in by_speaker[c.speaker]:
            by_speaker[c.speaker].append(pair)
    pairs = []
    depth = max(len(v) for v in by_speaker.values())
    for i in range(depth):
        pairs += [v[i] for v in by_speaker.values() if i < len(v)]
    more = len(pairs) - limit
    text = "; ".join(pairs[:limit])
    if more > 0:
        text += f"; and {more} more statement{'s' if more > 1 else ''} in the claims"
    return f"Claims (who — stance: about whom): {text}."


def sources_sentence(bundle: Bundle, e) -> str:
    """How many sources support the event, by tier."""
    src = bundle.sources.set_index("source_id")
    ids = [s for s in e["source_ids"] if s in src.index]
    tiers = src.loc[ids, "tier"].value_counts() if ids else pd.Series(dtype=int)
    seed, related = int(tiers.get("seed", 0)), int(tiers.get("related", 0))
    parts = []
    if seed:
        parts.append(f"{seed} seed document{'s' if seed > 1 else ''}")
    if related:
        parts.append(f"{related} related report{'s' if related > 1 else ''}")
    return f"Sources: {len(ids)} ({', '.join(parts) or 'none'}): {', '.join(ids)}."


@dataclass
class Narrative:
    """A short account of one violent event."""

    event_id: str
    heading: str
    text: str
    casualty_basis: str
    claims: list[SpeakerClaims]
    source_ids: list[str]


def heading(e) -> str:
    """``"26 Nov 2025 — attack, Shamsiddin Shohin"``: date, category and district or place."""
    d = pd.Timestamp(e["event_date"])
    date = d.strftime("%b %Y") if int(e["time_precision"]) == 3 else d.strftime("%d %b %Y")
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
    )


def attack_narratives(bundle: Bundle, events: pd.DataFrame) -> list[Narrative]:
    """Narratives of the attacks and clashes among ``events``, in date order."""
    violent = events[events["category"].isin(VIOLENT)].sort_values(["event_date", "event_id"], kind="stable")
    return [narrative(bundle, row) for _, row in violent.iterrows()]


def counted_sentence(counted: pd.DataFrame) -> str:
    """One sentence for the imported events a briefing counts instead of telling one by one."""
    from geo.timeline import IMPORTED_MARKS_MAX

    violent = int(counted["category"].isin(VIOLENT).sum())
    return (
        f"{len(counted):,} imported events ({violent:,} attacks and clashes) are counted in the figures "
        f"and on the maps, not told one by one here (above {IMPORTED_MARKS_MAX} imported events only the "
        "curated record is told); the incidents table and the data exports list each of them."
    )


def briefing_stories(bundle: Bundle, events: pd.DataFrame) -> tuple[list[Narrative], str | None]:
    """The attack narratives a briefing tells, and a sentence for the imported events it only counts.

    Above ``geo.timeline.IMPORTED_MARKS_MAX`` imported events (an ACLED export of a whole
    region), telling each would bury the curated record under thousands of generic stories
    and take minutes; they are counted instead (:func:`counted_sentence`), as the timeline does.
    """
    from geo.timeline import split_imported

    told, counted = split_imported(events)
    return attack_narratives(bundle, told), (counted_sentence(counted) if len(counted) else None)
