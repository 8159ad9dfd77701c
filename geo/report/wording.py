"""Readable wording shared by the narratives: actor names, sources by outlet and date, stances.

Every phrase is built from a record's own fields: names are made readable ("Taliban
(Afghanistan)" → "the Taliban"), never re-attributed, and a stance keeps the record's verb.
Strings are plain (unescaped) text.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.report.formatting import fmt_day

#: Country → adjective, for readable actor names ("Tajikistan (government)" → "Tajik officials").
DEMONYMS = {
    "Afghanistan": "Afghan",
    "China": "Chinese",
    "India": "Indian",
    "Iran": "Iranian",
    "Kazakhstan": "Kazakh",
    "Kyrgyzstan": "Kyrgyz",
    "Pakistan": "Pakistani",
    "Russia": "Russian",
    "Tajikistan": "Tajik",
    "Turkmenistan": "Turkmen",
    "Uzbekistan": "Uzbek",
}
# First words of generic (not proper) actor names: written in lower case mid-sentence,
# with an article when singular ("an unidentified armed group").
_GENERIC = {
    "armed", "attackers", "criminal", "smuggling", "unidentified", "unnamed", "unknown", "militants", "security",
}  # fmt: skip
_NAME = re.compile(r"^(?P<name>.+?) \((?P<qual>[^()]+)\)$")


#: Words of ACLED's title-case generic names written in lower case mid-sentence
#: ("Unidentified Armed Group (Tajikistan)" → "an unidentified armed group in Tajikistan").
_COMMON_WORDS = {"armed", "group", "groups", "militia", "gunmen", "unidentified", "unknown", "forces"}
_SEED_SPEAKER = re.compile(r"^(?P<name>.+?) \(seed (?P<n>\d{3})\)$")


def actor_name(name, speaking: bool = False) -> str:
    """A record's actor name as a sentence says it (readable, never re-attributed).

    ``"Taliban (Afghanistan)"`` → ``"the Taliban"``; ``"Tajikistan (government)"`` →
    ``"the Tajik government"`` (``"Tajik officials"`` when ``speaking``); ``"Civilians (China)"``
    → ``"Chinese civilians"``; ``"Unidentified armed group"`` → ``"an unidentified armed
    group"``; ``"Armed groups (unnamed)"`` → ``"unnamed armed groups"``; a generic name with a
    country in brackets says where, in ACLED's sense (``"Unidentified Armed Group
    (Tajikistan)"`` → ``"an unidentified armed group in Tajikistan"``, ``"Attackers from Shahri
    Buzurg district (Afghanistan)"`` → ``"attackers from Shahri Buzurg district, Afghanistan"``);
    an outlet speaker of a seed reads by its outlet (``"ET Online/AFP (seed 002)"`` →
    ``"ET Online/AFP"``, ``"Unidentified outlet (seed 000)"`` → ``"the unnamed outlet of seed
    000"``). Other names (imported ACLED/UCDP actors such as ``"Military Forces of
    Afghanistan (2021-)"``) are kept as they are. A ``;``-separated list reads as one phrase
    (``"the Chinese government and the Tajik government"``).
    """
    name = " ".join(str(name or "").split())
    if not name:
        return ""
    if ";" in name:
        return join_and([actor_name(n, speaking) for n in name.split(";")])
    seed = _SEED_SPEAKER.match(name)
    if seed:
        base = seed["name"]
        if base.casefold() in ("unidentified outlet", "unnamed outlet"):
            return f"the unnamed outlet of seed {seed['n']}"
        return base
    m = _NAME.match(name)
    qual = None
    if m:
        base, qual = m["name"], m["qual"]
        if base == "Taliban":
            return "the Taliban"
        if qual == "government" and base in DEMONYMS:
            return f"{DEMONYMS[base]} officials" if speaking else f"the {DEMONYMS[base]} government"
        if base == "Civilians" and qual in DEMONYMS:
            return f"{DEMONYMS[qual]} civilians"
    first = name.split()[0].lower()
    if first not in _GENERIC:
        return name
    if m is not None:
        # A generic name's bracket is where it is active (a country) or a word about it ("unnamed").
        base = m["name"]
        if qual in DEMONYMS:
            text = base + (f", {qual}" if re.search(r" (from|in) ", base) else f" in {qual}")
        elif re.fullmatch(r"[a-z][a-z-]*", qual):
            text = f"{qual} {base[0].lower()}{base[1:]}"
        else:
            text = name
    else:
        text = name
    words = text.split(" ")
    text = " ".join(
        w.lower() if (i == 0 or w.lower() in _COMMON_WORDS) and w[:1].isupper() and w[1:].islower() else w
        for i, w in enumerate(words)
    )
    head = re.split(r" in | from |, | \(", text)[0].split()[-1].strip("'\"")
    if head.endswith("s"):
        return text
    return ("an " if text[0] in "aeiou" else "a ") + text


def capitalise(s: str) -> str:
    """``s`` with its first letter in upper case (the rest untouched: "the Taliban" → "The Taliban")."""
    return s[:1].upper() + s[1:]


def source_label(src, with_date: bool = True) -> str:
    """A source as a reader knows it: outlet and publication date, never a file name.

    ``src`` is a row of ``bundle.sources``. A seed document whose outlet is not named
    reads ``"unnamed outlet (seed 003)"``, the seed's number as the data's own notes cite it.
    """
    outlet = str(src.get("outlet") or "").strip()
    sid = str(src.get("source_id") or src.name or "")
    if not outlet or outlet.lower() == "unidentified":
        outlet = "unnamed outlet" + (f" (seed {sid[:3]})" if sid[:3].isdigit() else "")
    published = src.get("published")
    if with_date and published is not None and not pd.isna(published) and str(published).strip():
        outlet += f", {fmt_day(published)}"
    return outlet


def stance_phrase(stance: str, speaker: str, about: str) -> str:
    """What a claim does, in the past tense, about whom: ``"blamed criminal groups in Afghanistan"``.

    Denials of one's own involvement read ``"denied involvement"``; other stances keep the
    record's verb, so nothing is said that the claim does not say.
    """
    who = actor_name(about)
    if stance == "denies":
        return "denied involvement" if about == speaker else f"rejected the accusations of {who}"
    verbs = {
        "accuses": "blamed {}",
        "disputes": "disputed the account of {}",
        "condemns": "condemned {}",
        "confirms": "confirmed the reports about {}",
        "demands": "made demands of {}",
        "reports": "reported on {}",
        "offers cooperation": "offered cooperation to {}",
        "advises": "advised {}",
        "welcomes": "welcomed {}",
        "expresses solidarity": "expressed solidarity with {}",
        "warns": "warned {}",
    }
    return verbs.get(stance, f"{stance} ({{}})").format(who)


def join_and(items: list[str]) -> str:
    """``"a, b and c"`` (empty items dropped)."""
    items = [i for i in items if i]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
