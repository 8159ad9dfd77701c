"""Checks of the sources table: a catalogue row's outlet, headline and date are given
or marked "not given" with the reason, and a headline is not its URL's slug turned
back into words.

:func:`source_field_problems` checks one row and returns ``(field, value, message)``
tuples; the table check collects them as :class:`~geo.data.problems.Problem` rows.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from geo.data.problems import Problem, _unique, row_of

NOT_GIVEN = "not given"
AS_PUBLISHED = "as published"


def slug_words(url: str | None) -> list[str]:
    """Words of a URL's last path segment when it is a readable slug (three words or more), else ``[]``.

    ``…/40333329/china-says-one-citizen-dead-four-injured-in-attack…`` gives ``["china", "says", …]``;
    ``…/page/202511/1349271.shtml`` and ``?p=39853`` give nothing.
    """
    path = re.sub(r"[?#].*$", "", str(url or "")).rstrip("/")
    last = path.rsplit("/", 1)[-1]
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.I)
    words = [w for w in re.split(r"[-_+]+", last.casefold()) if w]
    return words if sum(w.isalpha() for w in words) >= 3 else []


def looks_like_slug(headline: str | None, url: str | None) -> bool:
    """True when ``headline`` reads like its URL's slug turned back into words (a rebuilt headline).

    Compares the word sequences (ratio 0.8 or more), so a rebuilt headline that corrected a
    slug's typo ("borer" → "border") or added commas still matches.
    """
    from difflib import SequenceMatcher

    slug = slug_words(url)
    words = re.findall(r"[a-z0-9]+", str(headline or "").casefold().replace("'", ""))
    if not slug or not words:
        return False
    return SequenceMatcher(None, words, slug, autojunk=False).ratio() >= 0.8


def source_field_problems(s: dict) -> list[tuple[str, str | None, str]]:
    """A catalogue row's outlet, headline and date: each given, or marked "not given" with the reason.

    ``headline_basis`` reads ``"as published: <where it was read>"`` when a headline is given and
    ``"not given: <why>"`` (``"not given (slug only): …"`` when only a URL slug exists) when it is
    empty; ``date_basis`` starts ``"not given"`` exactly when ``published`` is empty. A headline
    that reads like its URL slug must say which text gives it (``"given in …"``, ``"seed text"``):
    slugs are not headlines.
    """
    out = []
    headline = (s.get("headline") or "").strip()
    hbasis = (s.get("headline_basis") or "").strip()
    hb = hbasis.casefold()
    if not headline and not hb.startswith(NOT_GIVEN):
        out.append(
            (
                "headline_basis",
                hbasis,
                "headline is empty: say why, 'not given: <reason>' (or 'not given (slug only): <reason>')",
            )
        )
    if headline and not hb.startswith(AS_PUBLISHED):
        out.append(
            (
                "headline_basis",
                hbasis,
                "a headline is given: headline_basis must read 'as published: <where it was read>'",
            )
        )
    if headline and looks_like_slug(headline, s.get("url")) and not ("given in" in hb or "seed text" in hb):
        out.append(
            (
                "headline",
                headline,
                "looks rebuilt from the URL slug: give the headline as published and the text that gives "
                "it, or leave it empty with 'not given (slug only): <reason>'",
            )
        )
    dbasis = (s.get("date_basis") or "").strip()
    if s.get("published") is None and not dbasis.casefold().startswith(NOT_GIVEN):
        out.append(("date_basis", dbasis, "published is empty: date_basis must say 'not given: <reason>'"))
    if s.get("published") is not None and dbasis.casefold().startswith(NOT_GIVEN):
        out.append(("date_basis", dbasis, "says 'not given' but published has a date"))
    return out


def _check_sources(
    sources: list[dict], events: dict[str, dict], seeds_dir: Path | None, file: str
) -> list[Problem]:
    out = _unique(sources, "source_id", file)
    for i, s in enumerate(sources):
        r = row_of(i)
        if s.get("tier") == "related" and not s.get("url"):
            out.append(Problem(file, r, "url", None, "a related (non-seed) source needs its URL"))
        if s.get("tier") == "seed":
            sha = s.get("sha256") or ""
            if not re.fullmatch(r"[0-9a-f]{64}", sha):
                out.append(
                    Problem(file, r, "sha256", sha, "a seed needs the SHA-256 of its file (64 hex digits)")
                )
            elif seeds_dir is not None:
                path = seeds_dir / s["source_id"]
                if not path.is_file():
                    out.append(Problem(file, r, "source_id", s["source_id"], f"no such file in {seeds_dir}"))
                elif hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                    out.append(Problem(file, r, "sha256", sha, "does not match the seed file's checksum"))
        for ev in s.get("supports") or []:
            if ev not in events:
                out.append(Problem(file, r, "supports", ev, "unknown event id (not in data/events.csv)"))
            elif s["source_id"] not in (events[ev].get("source_ids") or []):
                out.append(
                    Problem(file, r, "supports", ev, "the event does not list this source in its source_ids")
                )
        # Both directions: an event citing a source that does not say it supports the event.
        listed = set(s.get("supports") or [])
        for eid, e in events.items():
            if s.get("source_id") in (e.get("source_ids") or []) and eid not in listed:
                out.append(
                    Problem(
                        file, r, "supports", eid, f"event {eid} cites this source, so supports must list it"
                    )
                )
        out += [Problem(file, r, f, v, m) for f, v, m in source_field_problems(s)]
    if seeds_dir is not None:
        listed = {s["source_id"] for s in sources if s.get("tier") == "seed"}
        for path in sorted(seeds_dir.glob("*.txt")):
            if path.name not in listed:
                out.append(Problem(file, None, "source_id", path.name, "seed document is not catalogued"))
    return out
