"""Validate the curated tables, collecting every problem at once.

A problem names the file, the spreadsheet row (the header is row 1, the first
record row 2), the field and the offending value, so a curator can go straight
to the cell. Nothing stops at the first error: a run lists them all.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from geo.data.paths import CATALOGUE, DATA_DIR
from geo.data.schema import INTER_CODES, TABLES, Field

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or one file, when ``row`` is None)."""

    file: str
    row: int | None
    field: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        shown = "" if self.value in (None, "") else f" (value: {self.value!r})"
        return f"{where}: {self.message}{shown}"


class DataError(ValueError):
    """Raised by loaders when validation finds problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} data problem(s):\n{lines}")


def row_of(index: int) -> int:
    """Spreadsheet row of a 0-based record index (row 1 is the header)."""
    return int(index) + 2


def read_csv_text(path: Path, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV keeping every cell as text, so typing errors are reported per cell."""
    if not path.is_file():
        return None, [Problem(file, None, None, None, f"file not found: {path}")]
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [Problem(file, None, None, None, f"not a readable UTF-8 CSV: {exc}")]
    return df, []


def _convert(value: str, spec: Field) -> tuple[object, str | None]:
    """Return the typed value of a non-empty cell, or an error message."""
    if spec.kind == "int":
        try:
            number = int(value)
        except ValueError:
            return None, "not a whole number"
    elif spec.kind == "float":
        try:
            number = float(value)
        except ValueError:
            return None, "not a number"
        if number != number:  # NaN slips through float()
            return None, "not a number"
    elif spec.kind == "date":
        # date.fromisoformat also takes "20251126"; curated files use the dashed form only.
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None, "not an ISO date (YYYY-MM-DD)"
        try:
            return date.fromisoformat(value), None
        except ValueError:
            return None, "not a calendar date"
    elif spec.kind == "list":
        items = [v.strip() for v in value.split(";") if v.strip()]
        if spec.choices is not None:
            bad = [i for i in items if i not in spec.choices]
            if bad:
                return None, f"unknown value(s) {bad}; allowed: {sorted(spec.choices)}"
        return items, None
    else:
        if spec.choices is not None and value not in spec.choices:
            return None, f"not one of {sorted(spec.choices)}"
        return value, None
    if spec.choices is not None and number not in spec.choices:
        return None, f"not one of {sorted(spec.choices)}"
    if spec.lo is not None and number < spec.lo or spec.hi is not None and number > spec.hi:
        return None, f"out of range [{spec.lo}, {spec.hi}]"
    return number, None


def check_table(df: pd.DataFrame, schema: tuple[Field, ...], file: str) -> tuple[list[dict], list[Problem]]:
    """Type-check every cell against ``schema``; return typed records and problems."""
    problems: list[Problem] = []
    missing = [f.name for f in schema if f.name not in df.columns]
    for name in missing:
        problems.append(Problem(file, 1, name, None, "required column is missing from the header"))
    if missing:
        return [], problems
    records: list[dict] = []
    for i, raw in enumerate(df.to_dict("records")):
        rec: dict = {}
        for spec in schema:
            value = str(raw[spec.name]).strip()
            if value == "":
                if spec.required:
                    problems.append(Problem(file, row_of(i), spec.name, value, "required value is empty"))
                rec[spec.name] = [] if spec.kind == "list" else None
                continue
            typed, err = _convert(value, spec)
            if err:
                problems.append(Problem(file, row_of(i), spec.name, value, err))
            rec[spec.name] = typed
        records.append(rec)
    return records, problems


def _unique(records: list[dict], key: str, file: str) -> list[Problem]:
    seen: dict[str, int] = {}
    out = []
    for i, r in enumerate(records):
        k = r.get(key)
        if k is None:
            continue
        if not ID_RE.match(str(k)):
            out.append(Problem(file, row_of(i), key, k, "ids use letters, digits, '.', '_' and '-' only"))
        if k in seen:
            out.append(Problem(file, row_of(i), key, k, f"duplicate id (first on row {row_of(seen[k])})"))
        else:
            seen[k] = i
    return out


def _check_events(
    events: list[dict], sources: dict[str, dict], places: dict[str, dict], file: str
) -> list[Problem]:
    out = _unique(events, "event_id", file)
    for i, e in enumerate(events):
        r = row_of(i)
        d, end = e.get("event_date"), e.get("date_end")
        if d is not None and e.get("year") is not None and d.year != e["year"]:
            out.append(Problem(file, r, "year", str(e["year"]), f"does not match event_date {d.isoformat()}"))
        if d is not None and end is not None and end < d:
            out.append(Problem(file, r, "date_end", end.isoformat(), "is before event_date"))
        lat, lon = e.get("latitude"), e.get("longitude")
        if (lat is None) != (lon is None):
            field = "longitude" if lon is None else "latitude"
            out.append(Problem(file, r, field, None, "latitude and longitude must be given together"))
        if lat is None and lon is None:
            basis = e.get("location_basis") or ""
            if not basis.lower().startswith("not placed"):
                out.append(
                    Problem(
                        file,
                        r,
                        "location_basis",
                        basis,
                        "an event without coordinates must say 'not placed: <why>'",
                    )
                )
        elif e.get("uncertainty_km") is None:
            out.append(Problem(file, r, "uncertainty_km", None, "required when the event has coordinates"))
        for lo, hi in (("fatalities", "fatalities_high"), ("injured", "injured_high")):
            if e.get(lo) is not None and e.get(hi) is not None and e[hi] < e[lo]:
                out.append(Problem(file, r, hi, str(e[hi]), f"is below {lo} ({e[lo]})"))
            if e.get(lo) is None and e.get(hi) is not None:
                out.append(Problem(file, r, lo, None, f"is empty while {hi} is given"))
        tiers = set()
        for sid in e.get("source_ids") or []:
            if sid not in sources:
                out.append(
                    Problem(file, r, "source_ids", sid, "unknown source id (not in seeds/catalogue.csv)")
                )
            else:
                tiers.add(sources[sid].get("tier"))
        tier = e.get("source_tier")
        if tiers and tier is not None:
            expected = "seed" if "seed" in tiers else "related"
            if tier != expected:
                out.append(Problem(file, r, "source_tier", tier, f"sources give tier '{expected}'"))
        pid = e.get("place_id")
        if pid and pid not in places:
            out.append(Problem(file, r, "place_id", pid, "unknown place id (not in places.csv)"))
        out += [Problem(file, r, f, v, m) for f, v, m in acled_coding_problems(e)]
        out += [Problem(file, r, f, v, m) for f, v, m in date_rule_problems(e)]
    return out


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
#: "17–18 November 2024", "night of 23–24 Dec 2025"; and across months "30 Nov – 1 Dec 2025".
_RANGE_RE = re.compile(r"\b(\d{1,2})\s*[–-]\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b")
_RANGE2_RE = re.compile(
    r"\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s*[–-]\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b"
)


def stated_range(basis: str) -> tuple[date, date] | None:
    """The first date range with a year that ``basis`` states, or ``None``.

    A range mentioned only to be set aside ("… but cites no source for it, so it is not
    used") has no year in this project's wording and is not picked up.
    """
    found = []
    for m in _RANGE_RE.finditer(basis):
        d1, d2, mon, y = m.groups()
        if mon.lower() in _MONTHS:
            found.append(
                (m.start(), (int(y), _MONTHS[mon.lower()], int(d1)), (int(y), _MONTHS[mon.lower()], int(d2)))
            )
    for m in _RANGE2_RE.finditer(basis):
        d1, m1, d2, m2, y = m.groups()
        if m1.lower() in _MONTHS and m2.lower() in _MONTHS:
            found.append(
                (m.start(), (int(y), _MONTHS[m1.lower()], int(d1)), (int(y), _MONTHS[m2.lower()], int(d2)))
            )
    if not found:
        return None
    _pos, a, b = min(found)
    try:
        return date(*a), date(*b)
    except ValueError:
        return None


def date_rule_problems(e: dict) -> list[tuple[str, str | None, str]]:
    """The project's date rule where ``date_basis`` states a range: the event starts on the
    range's first day, ``date_end`` is its last day, and the precision is not "exact day"."""
    rng = stated_range(e.get("date_basis") or "")
    if rng is None or e.get("event_date") is None:
        return []
    first, last = rng
    out = []
    if e["event_date"] != first:
        out.append(
            (
                "event_date",
                e["event_date"].isoformat(),
                f"date_basis states a range from {first.isoformat()}: a range starts on its first day",
            )
        )
    if e.get("date_end") != last:
        shown = e["date_end"].isoformat() if e.get("date_end") else None
        out.append(
            ("date_end", shown, f"date_basis states a range to {last.isoformat()}: date_end is its last day")
        )
    if e.get("time_precision") == 1:
        out.append(
            ("time_precision", "1", "a stated range is not an exact day (ACLED time_precision 2 or 3)")
        )
    return out


_INTER_NUMBER = {label: code for code, label in INTER_CODES.items()}
#: ACLED event types in which civilians can be the primary target (codebook: civilian_targeting).
_VIOLENT_TYPES = ("Violence against civilians", "Explosions/Remote violence")


def interaction_code(inter1: str | None, inter2: str | None) -> int | None:
    """ACLED ``interaction``: the two actor-type codes, lower first (17, 37 …); one actor alone is N0."""
    a = _INTER_NUMBER.get(inter1 or "")
    b = _INTER_NUMBER.get(inter2 or "")
    if a is None:
        return None
    if b is None:
        return a * 10
    return min(a, b) * 10 + max(a, b)


def acled_coding_problems(e: dict) -> list[tuple[str, str | None, str]]:
    """ACLED coding rules of one typed event: (field, value, message) for each broken rule.

    ``interaction`` follows from ``inter1``/``inter2``; a second actor needs its type and
    ACLED name; ``civilian_targeting`` is set exactly when civilians (``inter2``) are the
    target of violence, and always for *Violence against civilians*.
    """
    out = []
    if e.get("actor2") and not e.get("inter2"):
        out.append(("inter2", None, "actor2 is given, so its ACLED actor type is required"))
    if e.get("actor2") and not e.get("actor2_acled"):
        out.append(("actor2_acled", None, "actor2 is given, so its ACLED name is required"))
    if not e.get("actor2") and (e.get("inter2") or e.get("actor2_acled")):
        out.append(("inter2", e.get("inter2"), "no actor2, so no inter2 / actor2_acled"))
    want = interaction_code(e.get("inter1"), e.get("inter2"))
    if want is not None and e.get("interaction") is not None and e["interaction"] != want:
        out.append(
            (
                "interaction",
                str(e["interaction"]),
                f"ACLED interaction of {e.get('inter1')} x {e.get('inter2') or 'no second actor'} is {want}",
            )
        )
    civ = e.get("inter2") == "Civilians" and e.get("event_type") in _VIOLENT_TYPES
    must = civ or e.get("event_type") == "Violence against civilians"
    if must and not e.get("civilian_targeting"):
        out.append(
            ("civilian_targeting", None, "civilians are the target, so ACLED codes 'Civilian targeting'")
        )
    if e.get("civilian_targeting") and not civ:
        out.append(
            (
                "civilian_targeting",
                e["civilian_targeting"],
                "civilian targeting needs civilians as inter2 in a violent event",
            )
        )
    return out


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
        if n is None or event.get("category") not in ("attack", "clash"):
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


def _check_places(places: list[dict], file: str) -> list[Problem]:
    out = _unique(places, "place_id", file)
    for i, p in enumerate(places):
        r = row_of(i)
        lat, lon = p.get("latitude"), p.get("longitude")
        if (lat is None) != (lon is None):
            out.append(Problem(file, r, "latitude", None, "latitude and longitude must be given together"))
        if lat is None and not p.get("shape_ref") and p.get("kind") != "site":
            out.append(
                Problem(
                    file,
                    r,
                    "latitude",
                    None,
                    "a place needs coordinates or a shape_ref (only sites may lack both)",
                )
            )
    return out


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


def check_all(
    data_dir: Path | str = DATA_DIR,
    seeds_dir: Path | str | None = None,
    catalogue: Path | str | None = None,
) -> tuple[dict[str, list[dict]], list[Problem]]:
    """Validate events, claims, places and the source catalogue together.

    Parameters
    ----------
    data_dir : path
        Folder holding ``events.csv``, ``claims.csv`` and ``places.csv``.
    seeds_dir : path, optional
        Folder of seed documents; when given, seed checksums and every quote
        are checked against the files. ``None`` skips those checks.
    catalogue : path, optional
        Source catalogue; defaults to ``<data_dir>/../seeds/catalogue.csv``.

    Returns
    -------
    records : dict of str to list of dict
        Typed records per table (``events``, ``claims``, ``places``, ``sources``).
    problems : list of Problem
        Every problem found; empty when the data is clean.
    """
    data_dir = Path(data_dir)
    beside = data_dir.parent / "seeds" / "catalogue.csv"
    catalogue = Path(catalogue) if catalogue else (beside if beside.is_file() else CATALOGUE)
    seeds = Path(seeds_dir) if seeds_dir else None
    problems: list[Problem] = []
    records: dict[str, list[dict]] = {}
    for table, (fname, schema, _key) in TABLES.items():
        path = catalogue if table == "sources" else data_dir / fname
        label = f"seeds/{fname}" if table == "sources" else f"data/{fname}"
        df, probs = read_csv_text(path, label)
        problems += probs
        if df is None:
            records[table] = []
            continue
        recs, probs = check_table(df, schema, label)
        records[table] = recs
        problems += probs
    by_id = {t: {r[k]: r for r in records[t] if r.get(k)} for t, (_f, _s, k) in TABLES.items()}
    problems += _check_sources(records["sources"], by_id["events"], seeds, "seeds/catalogue.csv")
    problems += _check_places(records["places"], "data/places.csv")
    problems += _check_events(records["events"], by_id["sources"], by_id["places"], "data/events.csv")
    problems += _check_claims(
        records["claims"], by_id["events"], by_id["sources"], by_id["places"], seeds, "data/claims.csv"
    )
    problems += _check_statements(
        records["statements"], records["claims"], by_id["events"], by_id["sources"], "data/statements.csv"
    )
    problems += _check_coverage(records["events"], by_id["places"], data_dir / "shapes", "data/events.csv")
    return records, problems


def _check_statements(
    statements: list[dict], claims: list[dict], events: dict[str, dict], sources: dict[str, dict], file: str
) -> list[Problem]:
    """A statement is modelled once: its claims agree with it on speaker, event, source and date."""
    out = _unique(statements, "statement_id", file)
    by_id = {s["statement_id"]: s for s in statements if s.get("statement_id")}
    used: set[str] = set()
    for i, s in enumerate(statements):
        r = row_of(i)
        for sid in s.get("source_ids") or []:
            if sid not in sources:
                out.append(
                    Problem(file, r, "source_ids", sid, "unknown source id (not in seeds/catalogue.csv)")
                )
        for eid in s.get("event_ids") or []:
            if eid not in events:
                out.append(Problem(file, r, "event_ids", eid, "unknown event id (not in events.csv)"))
    cfile = "data/claims.csv"
    for i, c in enumerate(claims):
        st_id = c.get("statement_id")
        if not st_id:
            continue
        r = row_of(i)
        st = by_id.get(st_id)
        if st is None:
            out.append(
                Problem(cfile, r, "statement_id", st_id, "unknown statement id (not in statements.csv)")
            )
            continue
        used.add(st_id)
        if c.get("speaker") != st.get("speaker"):
            out.append(
                Problem(
                    cfile,
                    r,
                    "statement_id",
                    st_id,
                    f"statement {st_id} is by {st.get('speaker')!r}, not {c.get('speaker')!r}",
                )
            )
        if c.get("event_id") not in (st.get("event_ids") or []):
            out.append(
                Problem(
                    cfile,
                    r,
                    "statement_id",
                    st_id,
                    f"statement {st_id} is not about this event ({c.get('event_id')})",
                )
            )
        if c.get("source_id") not in (st.get("source_ids") or []):
            out.append(
                Problem(
                    cfile,
                    r,
                    "statement_id",
                    st_id,
                    f"source {c.get('source_id')} is not among the sources of statement {st_id}",
                )
            )
        sd, cd = st.get("statement_date"), c.get("claim_date")
        if sd is not None and cd is not None and sd != cd:
            out.append(
                Problem(
                    cfile, r, "claim_date", cd.isoformat(), f"statement {st_id} is dated {sd.isoformat()}"
                )
            )
    for i, s in enumerate(statements):
        if s.get("statement_id") and s["statement_id"] not in used:
            out.append(Problem(file, row_of(i), "statement_id", s["statement_id"], "no claim belongs to it"))
    return out


def _check_coverage(
    events: list[dict], places: dict[str, dict], shapes_dir: Path, file: str
) -> list[Problem]:
    """Each ``location_basis`` that states what its radius covers is checked against the shapes."""
    from geo.spatial.uncertainty import COVERAGE_RE, coverage_problem

    stating = [(i, e) for i, e in enumerate(events) if COVERAGE_RE.search(e.get("location_basis") or "")]
    if not stating:
        return []
    admin1_path, border_path = shapes_dir / "admin1.geojson", shapes_dir / "border_ne10m.geojson"
    if not (admin1_path.is_file() and border_path.is_file()):
        return []  # load_shapes reports missing shape files; nothing to measure against here
    import geopandas as gpd

    admin1 = gpd.read_file(admin1_path, engine="pyogrio")
    border = gpd.read_file(border_path, engine="pyogrio")
    out = []
    for i, e in stating:
        if e.get("latitude") is None or e.get("longitude") is None:
            continue
        found = coverage_problem(e, places, admin1, border)
        if found:
            field, msg = found
            out.append(Problem(file, row_of(i), field, str(e.get(field)), msg))
    return out
