"""Checks of the events table: each event's fields, the project's date rule where
``date_basis`` states a range, and ACLED's coding rules (interaction codes, violent types).

:func:`date_rule_problems` and :func:`acled_coding_problems` check one event and
return ``(field, value, message)`` tuples; the table check collects them as
:class:`~geo.data.problems.Problem` rows, so one run lists every problem.
"""

from __future__ import annotations

import re
from datetime import date

from geo.data.problems import Problem, _unique, row_of
from geo.data.schema import INTER_CODES


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
        elif pid and "ambiguous" in (places[pid].get("basis") or "").casefold():
            need, got = places[pid].get("uncertainty_km"), e.get("uncertainty_km")
            if need is not None and got is not None and got < need:
                out.append(
                    Problem(
                        file,
                        r,
                        "uncertainty_km",
                        str(got),
                        f"coded to the ambiguous place {pid}, whose candidates need {need:g} km",
                    )
                )
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


#: A ``date_basis`` that says the day is not the event's own (data/README: "dated by the report").
NOT_OWN_DAY_RE = re.compile(
    r"\bdated by (?:the|its) (?:report|announcement|publication)\b|\bon or before\b"
    r"|\bown day is not (?:given|stated)\b|\bnot stated in the sources\b",
    re.IGNORECASE,
)


def date_rule_problems(e: dict) -> list[tuple[str, str | None, str]]:
    """The project's date rules: where ``date_basis`` states a range, the event starts on the
    range's first day, ``date_end`` is its last day, and the precision is not "exact day"; where
    it says the event is dated by a report or an announcement (:data:`NOT_OWN_DAY_RE`), the day
    is not the event's own, so the precision is not "exact day" either."""
    basis = e.get("date_basis") or ""
    out = []
    if NOT_OWN_DAY_RE.search(basis) and e.get("time_precision") == 1:
        out.append(
            (
                "time_precision",
                "1",
                "date_basis dates the event by a report or an announcement, not its own day: "
                "ACLED time_precision 2 (or 3)",
            )
        )
    rng = stated_range(basis)
    if rng is None or e.get("event_date") is None:
        return out
    first, last = rng
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
