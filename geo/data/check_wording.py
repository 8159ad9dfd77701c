"""Checks of an event's own wording: what ``date_basis``, ``location_basis``, ``casualty_basis``
and ``notes`` attribute to a source must be the source's.

The claims table is checked quote by quote (:mod:`geo.data.check_claims`); the event-level text
is prose, so these rules read the two forms the curated prose uses to cite:

- a seed by number, ``seed 002`` / ``seeds 002 and 003`` / ``seeds 000 ('injuring one') and
  001 ('injuring another')`` / ``'late on Wednesday, November 26' (seed 002)``;
- a related report by its outlet's name, ``per Asia-Plus``.

Each cited source must be among the event's ``source_ids``; a phrase quoted for a seed must be in
that seed's text; a casualty figure credited to seeds (``injured 5 … per seeds 002 and 003``) must
be stated, with a killed/injured word, in one sentence of each; and every nationality the
casualty basis counts among the killed or injured must be among the event's actors (the 2024
attack's Tajik employee). :func:`wording_problems` returns ``(field, value, message)`` tuples.
"""

from __future__ import annotations

import re

from geo.data.check_claims import _FIGURE_WORDS_OF, _says_number

#: The event fields written as prose that may cite a source.
TEXT_FIELDS = ("date_basis", "location_basis", "casualty_basis", "notes")

_QUOTE = r"'([^']{3,})'"
#: "seed 002", "seeds 000 ('…') and 001 ('…')", "seeds 002, 003 and 004".
_CITE_RE = re.compile(
    r"\bseeds?\s+(\d{3}(?:\s*\("
    + _QUOTE
    + r"\))?(?:\s*(?:,\s*and|,|and|&|/)\s*\d{3}(?:\s*\("
    + _QUOTE
    + r"\))?)*)"
)
_ONE_RE = re.compile(r"(\d{3})(?:\s*\(" + _QUOTE + r"\))?")
#: "'phrase' (seed 002 …)", "seed 002 says 'phrase'" and "(seed 002) confirms 'phrase'".
_BEFORE_RE = re.compile(_QUOTE + r"\s*\(seed (\d{3})\b")
_AFTER_RE = re.compile(
    r"\bseed (\d{3})\)? (?:says|said|gives|writes|reports|confirms|puts)(?: only| that)? " + _QUOTE
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+")

#: Nationalities the casualty prose counts, and the country an actor's name then carries.
DEMONYMS = {
    "chinese": "China",
    "tajik": "Tajikistan",
    "afghan": "Afghanistan",
    "pakistani": "Pakistan",
    "uzbek": "Uzbekistan",
    "kyrgyz": "Kyrgyzstan",
    "russian": "Russia",
    "iranian": "Iran",
}
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|an?(?: additional)?|another|additional)"
_DEMONYM = "|".join(DEMONYMS)
#: "4 Chinese", "1 Tajik", "2 Tajik border guards", "one additional Chinese national".
_COUNTED_RE = re.compile(rf"\b{_COUNT}\s+(?:fellow\s+|more\s+)?({_DEMONYM})\b", re.IGNORECASE)


def _norm(text: str) -> str:
    """Compare prose with a seed across typographic quotes, dashes and line breaks."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).casefold()


def cited_seeds(text: str) -> list[tuple[str, str | None]]:
    """Every ``(seed number, quoted phrase or None)`` the prose cites, in order.

    >>> cited_seeds("seeds 000 ('injuring one') and 001 ('injuring another'); seed 002")
    [('000', 'injuring one'), ('001', 'injuring another'), ('002', None)]
    """
    # Keyed by where the seed's number stands, so "'…' (seed 002)" is one citation, with its phrase.
    at: dict[int, tuple[str, str | None]] = {}
    for m in _CITE_RE.finditer(text):
        for one in _ONE_RE.finditer(m.group(1)):
            at.setdefault(m.start(1) + one.start(), (one.group(1), one.group(2)))
    for m in _BEFORE_RE.finditer(text):
        at[m.start(2)] = (m.group(2), m.group(1))
    for m in _AFTER_RE.finditer(text):
        at[m.start(1)] = (m.group(1), m.group(2))
    return list(dict.fromkeys(at[pos] for pos in sorted(at)))


def outlet_names(outlet: str | None) -> list[str]:
    """The names prose may use for a catalogue outlet: ``"Exclusive.kz (citing Radio Ozodi)"`` →
    ``["Exclusive.kz", "Radio Ozodi"]``; an unidentified outlet has none."""
    if not outlet or outlet.strip().casefold() == "unidentified":
        return []
    head = re.split(r"\s*[(,]", outlet, maxsplit=1)[0].strip()
    names = [head] if len(head) >= 4 else []
    names += [n.strip() for n in re.findall(r"citing ([^)]+)\)", outlet)]
    return names


def _states_in_a_sentence(seed_text: str, field: str, n: int) -> bool:
    for sentence in _SENTENCES.split(seed_text):
        words = re.findall(r"[a-z]+", sentence.casefold())
        if any(_FIGURE_WORDS_OF[field].fullmatch(w) for w in words) and _says_number(sentence, n):
            return True
    return False


#: "injured 5 (…) per seeds 002 and 003", "killed 2 per seed 002", "3 killed (seed 002)".
_FIGURE_RE = re.compile(r"\b(killed|injured)\s+(\d+)\b|\b(\d+)\s+(?:[A-Za-z]+\s+){0,3}?(killed|injured)\b")


def _figure_problems(field: str, text: str, seed_texts: dict[str, str]) -> list[tuple[str, str, str]]:
    out = []
    for clause in text.split(";"):
        cites = [no for no, phrase in cited_seeds(clause) if phrase is None]
        if not cites:
            continue
        for m in _FIGURE_RE.finditer(clause):
            what, n = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            for no in cites:
                seed = seed_texts.get(no)
                if seed is not None and not _states_in_a_sentence(seed, what, int(n)):
                    out.append(
                        (
                            field,
                            clause.strip(),
                            f"credits '{what} {n}' to seed {no}, whose sentences do not state it",
                        )
                    )
    return out


def _victim_problems(e: dict) -> list[tuple[str, str, str]]:
    basis = e.get("casualty_basis") or ""
    # Victims of civilian targeting stand on the target side; in a clash either side's dead count.
    # "Unidentified Armed Group (Tajikistan)" names where a group acts, not who it is: left out.
    sides = ("actor2", "assoc_actor_2", "actor2_acled")
    if not e.get("civilian_targeting"):
        sides += ("actor1", "assoc_actor_1", "actor1_acled")
    actors = " ".join(
        str(e.get(f) or "") for f in sides if not str(e.get(f) or "").startswith("Unidentified")
    ).casefold()
    out = []
    for demonym in dict.fromkeys(m.group(1).casefold() for m in _COUNTED_RE.finditer(basis)):
        country = DEMONYMS[demonym]
        if country.casefold() not in actors and demonym not in actors:
            out.append(
                (
                    "assoc_actor_2",
                    e.get("assoc_actor_2"),
                    f"casualty_basis counts {demonym.title()} casualties; name them among the actors "
                    f"(e.g. 'Civilians ({country})')",
                )
            )
    return out


def wording_problems(
    e: dict, sources: dict[str, dict], seed_texts: dict[str, str] | None = None
) -> list[tuple[str, str | None, str]]:
    """What one event's prose attributes that its cited sources do not carry.

    Parameters
    ----------
    e : dict
        A typed event (``source_ids`` a list).
    sources : dict
        The catalogue by ``source_id``.
    seed_texts : dict, optional
        Seed number (``"002"``) to document text; without it the quote and figure checks
        are skipped (a fresh clone has no seeds) and only the source membership is checked.
    """
    own = set(e.get("source_ids") or [])
    seed_ids = {sid[:3]: sid for sid, s in sources.items() if s.get("tier") == "seed"}
    out: list[tuple[str, str | None, str]] = []
    for field in TEXT_FIELDS:
        text = e.get(field) or ""
        if not text:
            continue
        for no, phrase in cited_seeds(text):
            sid = seed_ids.get(no)
            if sid is None:
                out.append((field, text, f"cites seed {no}, which is not in the catalogue"))
                continue
            if sid not in own:
                out.append(
                    (field, text, f"cites seed {no} ({sid}), which is not among the event's source_ids")
                )
            seed = (seed_texts or {}).get(no)
            if phrase and seed is not None and _norm(phrase) not in _norm(seed):
                out.append((field, phrase, f"quoted for seed {no}, whose text does not say it"))
        folded = text.casefold()
        for sid, s in sources.items():
            if s.get("tier") == "seed" or sid in own:
                continue
            for name in outlet_names(s.get("outlet")):
                if re.search(rf"(?<![\w.]){re.escape(name.casefold())}(?![\w])", folded) and not any(
                    name in (sources.get(o, {}).get("outlet") or "") for o in own
                ):
                    out.append(
                        (field, text, f"names {name} ({sid}), which is not among the event's source_ids")
                    )
        if seed_texts:
            out += _figure_problems(field, text, seed_texts)
    if e.get("event_type") in ("Violence against civilians", "Explosions/Remote violence", "Battles"):
        out += _victim_problems(e)
    return out
