"""Checks of the claims table: what a claim attributes is said by its quote (or its
cited seed), and a figure a source gives lies within the event's low–high range.

:func:`attribution_problems` and :func:`figure_range_problems` check one claim and
return ``(field, value, message)`` tuples; the table check collects them as
:class:`~geo.data.problems.Problem` rows, so one run lists every problem.
"""

from __future__ import annotations

import re
from pathlib import Path

from geo.data.problems import Problem, _unique, row_of
from geo.data.schema import VIOLENT

#: Words a claim may attribute that must then stand in its quote: weapons, origin, labels.
KEY_TERMS = (
    "grenade",
    "firearm",
    "drone",
    "unmanned aerial vehicle",
    "explosive device",
    "automatic weapon",
    "from afghanistan",
    "afghan soil",
    "airspace",
    "terrorist",
    "circle",
    "smuggler",
    "patronage",
    # A country a claim names must be in its quote: cl-001 put AFP's "from Afghanistan" and
    # cl-017 seed 003's "inside Afghanistan" into quotes that do not say it.
    "afghanistan",
)
_NUMBER_WORDS = {
    0: ("zero", "no"),
    1: ("one", "a", "an", "another", "additional"),
    2: ("two",),
    3: ("three",),
    4: ("four",),
    5: ("five",),
    6: ("six",),
    7: ("seven",),
    8: ("eight",),
    9: ("nine",),
    10: ("ten",),
}


def _says_number(text: str, n: int) -> bool:
    words = re.findall(r"[a-z]+|\d+", text.casefold())
    return str(n) in words or any(w in words for w in _NUMBER_WORDS.get(n, ()))


#: Number words a quote states a casualty figure with (not "a"/"an": too common to mean a count).
_FIGURE_WORDS = {w for n, ws in _NUMBER_WORDS.items() if n for w in ws} - {"a", "an"}
#: Words that speak of the killed / injured ("killing", "dead"), not of "the killings" or a "deadly" strike.
_FIGURE_WORDS_OF = {
    "killed": re.compile(r"kill(ed|ing|s)?|dead|deaths?|lives"),
    "injured": re.compile(r"injur(ed|ing|ies|y)|wounded|wounding"),
}


def _states_figure(quote: str, field: str) -> bool:
    """True when a quote speaks of killed (or injured) people and gives a number in words or digits."""
    words = re.findall(r"[a-z]+|\d+", quote.casefold())
    talks = any(_FIGURE_WORDS_OF[field].fullmatch(w) for w in words)
    return talks and any(w.isdigit() or w in _FIGURE_WORDS for w in words)


#: How far before a quote (characters of the seed text) the speaker it is credited to may be named:
#: the quote's own paragraph or the one before it, not anywhere in the document.
SPEAKER_WINDOW = 1200
_SENTENCE_END = re.compile(r"[.!?][\"”’]?(?:\s|$)")


def _near_quote(source_text: str, quote: str, name: str) -> bool:
    pos = source_text.find(quote)
    if pos < 0:
        return name.casefold() in source_text.casefold()
    # "“…,” the foreign office said": the rest of the quote's sentence counts too.
    stop = _SENTENCE_END.search(source_text, pos + len(quote))
    window = source_text[max(0, pos - SPEAKER_WINDOW) : stop.end() if stop else len(source_text)]
    return name.casefold() in window.casefold()


def attribution_problems(claim: dict, source_text: str | None) -> list[tuple[str, str | None, str]]:
    """What a seed-sourced claim attributes that its quote (or cited seed) does not say.

    Each figure (``killed``, ``injured``) must be in the quote, as digits or a number word, and
    a quote that states a figure must have it recorded; each :data:`KEY_TERMS` word of the
    ``claim`` text must be in the quote; the ``speaker_body`` (who exactly spoke) must be named
    in the cited seed document, in the quote's sentence or within :data:`SPEAKER_WINDOW` characters
    before it; an outlet speaker ``"… (seed NNN)"`` cites seed NNN.
    """
    raw_quote = claim.get("quote") or ""
    quote = raw_quote.casefold()
    if not quote:
        return []
    out = []
    for field in ("killed", "injured"):
        n = claim.get(field)
        if n is not None and not _says_number(quote, int(n)):
            out.append((field, str(n), "this figure is not in the claim's quote"))
        if n is None and _states_figure(quote, field):
            out.append(
                (field, None, f"the quote states a {field} figure: record it (the figure this source gives)")
            )
    text = (claim.get("claim") or "").casefold()
    said: list[str] = []
    for term in KEY_TERMS:
        # "afghanistan" is not reported again once "from afghanistan" was.
        if term in text and term not in quote and not any(term in t for t in said):
            said.append(term)
            out.append(("claim", claim.get("claim"), f"says '{term}', which the claim's quote does not"))
    body = (claim.get("speaker_body") or "").strip()
    if body and source_text is not None and body.casefold() not in source_text.casefold():
        out.append(
            (
                "speaker_body",
                body,
                f"the cited seed document {claim.get('source_id')} does not name this speaker",
            )
        )
    elif body and source_text is not None and not _near_quote(source_text, raw_quote, body):
        out.append(
            (
                "speaker_body",
                body,
                f"seed document {claim.get('source_id')} does not name this speaker at the quote "
                f"(in its sentence or the {SPEAKER_WINDOW} characters before it): the sentence says who spoke",
            )
        )
    seed = re.search(r"\(seed (\d{3})\)\s*$", claim.get("speaker") or "")
    if seed and not str(claim.get("source_id") or "").startswith(seed.group(1)):
        out.append(
            (
                "source_id",
                claim.get("source_id"),
                f"the speaker is the outlet of seed {seed.group(1)}, so the claim cites that seed",
            )
        )
    return out


def figure_range_problems(claim: dict, event: dict) -> list[tuple[str, str | None, str]]:
    """A figure a source gives for an event lies within the event's low–high range.

    ``fatalities``–``fatalities_high`` and ``injured``–``injured_high`` are the spread of what
    the sources say (ACLED's lowest figure first): a claim's ``killed``/``injured`` outside it
    means the event's range leaves a source out. Statements (figures 0) are not checked.
    """
    out = []
    for field, lo_f, hi_f in (
        ("killed", "fatalities", "fatalities_high"),
        ("injured", "injured", "injured_high"),
    ):
        n, lo, hi = claim.get(field), event.get(lo_f), event.get(hi_f)
        if n is None or event.get("category") not in VIOLENT:
            continue
        hi = lo if hi is None else hi
        if lo is None or n < lo or n > hi:
            shown = "not recorded" if lo is None else (f"{lo}" if lo == hi else f"{lo}–{hi}")
            out.append(
                (
                    field,
                    str(n),
                    f"this source's figure is outside its event's range ({lo_f} {shown}): widen the range "
                    "or say why in casualty_basis",
                )
            )
    return out


def _check_claims(
    claims: list[dict],
    events: dict[str, dict],
    sources: dict[str, dict],
    places: dict[str, dict],
    seeds_dir: Path | None,
    file: str,
) -> list[Problem]:
    out = _unique(claims, "claim_id", file)
    texts: dict[str, str | None] = {}
    for i, c in enumerate(claims):
        r = row_of(i)
        if c.get("event_id") and c["event_id"] not in events:
            out.append(Problem(file, r, "event_id", c["event_id"], "unknown event id (not in events.csv)"))
        sid = c.get("source_id")
        src = sources.get(sid) if sid else None
        if sid and src is None:
            out.append(Problem(file, r, "source_id", sid, "unknown source id (not in seeds/catalogue.csv)"))
        opid = c.get("origin_place_id")
        if opid:
            p = places.get(opid)
            if p is None:
                out.append(Problem(file, r, "origin_place_id", opid, "unknown place id (not in places.csv)"))
            elif p.get("latitude") is None:
                out.append(
                    Problem(
                        file, r, "origin_place_id", opid, "a claimed origin needs a place with coordinates"
                    )
                )
        quote = c.get("quote")
        if src is not None and src.get("tier") == "seed":
            if not quote:
                out.append(
                    Problem(
                        file, r, "quote", None, "a claim sourced to a seed document needs a verbatim quote"
                    )
                )
            elif seeds_dir is not None:
                if sid not in texts:
                    path = seeds_dir / sid
                    texts[sid] = path.read_text(encoding="utf-8") if path.is_file() else None
                if texts[sid] is not None and quote not in texts[sid]:
                    out.append(Problem(file, r, "quote", quote, f"not found verbatim in seed document {sid}"))
            out += [Problem(file, r, f, v, m) for f, v, m in attribution_problems(c, texts.get(sid))]
        ev = events.get(c.get("event_id") or "")
        if ev is not None:
            out += [Problem(file, r, f, v, m) for f, v, m in figure_range_problems(c, ev)]
        if ev is not None and sid and src is not None and sid not in (ev.get("source_ids") or []):
            out.append(
                Problem(
                    file,
                    r,
                    "source_id",
                    sid,
                    f"not among the sources of its event {c['event_id']} (source_ids)",
                )
            )
    return out
