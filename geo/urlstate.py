"""The shared filters and the map view as URL query parameters, both ways.

Names: ``year`` (repeatable), ``actor`` (repeatable), ``role``, ``type``
(repeatable), ``tier``, ``from`` and ``to`` (ISO dates), ``view``
(``lat,lon,zoom``). Values are parsed as plain text against known vocabularies;
nothing is evaluated or unpickled. Anything unknown or malformed is dropped with
a notice the page shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from geo.actors import ROLES
from geo.deck import View
from geo.filters import Filters
from geo.schema import CATEGORIES, TIERS

KNOWN_PARAMS = ("year", "actor", "role", "type", "tier", "from", "to", "view", "event")
MAX_VALUE_LEN = 200


@dataclass(frozen=True)
class Vocab:
    """What the URL may name: the years and actors present in the data."""

    years: frozenset[int]
    actors: frozenset[str]


def _values(params: Mapping[str, Iterable[str] | str], name: str) -> list[str]:
    raw = params.get(name, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return [str(v) for v in items]


def parse_query(
    params: Mapping[str, Iterable[str] | str], vocab: Vocab
) -> tuple[Filters, View | None, str | None, list[str]]:
    """Read filters, view and selected event from query parameters.

    Returns
    -------
    filters : Filters
    view : View or None
        ``None`` when ``view`` is absent or malformed.
    event : str or None
        The ``event`` parameter (an event id) if present; checked by the caller.
    notices : list of str
        One line per ignored parameter or value.
    """
    notices: list[str] = []
    for name in params:
        if name not in KNOWN_PARAMS:
            notices.append(f"unknown URL parameter '{name}' ignored")

    def ok(name: str, v: str) -> bool:
        if len(v) > MAX_VALUE_LEN:
            notices.append(f"URL parameter '{name}' is too long and was ignored")
            return False
        return True

    years: list[int] = []
    for v in _values(params, "year"):
        if not ok("year", v):
            continue
        if v.isdigit() and int(v) in vocab.years:
            years.append(int(v))
        else:
            notices.append(f"year '{v}' ignored (available: {', '.join(map(str, sorted(vocab.years)))})")
    actors = []
    for v in _values(params, "actor"):
        if ok("actor", v) and v in vocab.actors:
            actors.append(v)
        elif len(v) <= MAX_VALUE_LEN:
            notices.append(f"actor '{v}' ignored (not in the data)")
    types = []
    for v in _values(params, "type"):
        if ok("type", v) and v in CATEGORIES:
            types.append(v)
        elif len(v) <= MAX_VALUE_LEN:
            notices.append(f"type '{v}' ignored (one of {', '.join(sorted(CATEGORIES))})")

    def single(name: str, allowed) -> str | None:
        vals = _values(params, name)
        if not vals:
            return None
        v = vals[-1]
        if ok(name, v) and v in allowed:
            return v
        if len(v) <= MAX_VALUE_LEN:
            notices.append(f"{name} '{v}' ignored (one of {', '.join(sorted(allowed))})")
        return None

    role = single("role", ROLES)
    tier = single("tier", TIERS)

    def iso(name: str) -> date | None:
        vals = _values(params, name)
        if not vals:
            return None
        v = vals[-1]
        try:
            if len(v) == 10:
                return date.fromisoformat(v)
        except ValueError:
            pass
        notices.append(f"'{name}' date '{v[:40]}' ignored (use YYYY-MM-DD)")
        return None

    d_from, d_to = iso("from"), iso("to")
    if d_from and d_to and d_from > d_to:
        notices.append("'from' is after 'to': date range ignored")
        d_from = d_to = None

    view = None
    vv = _values(params, "view")
    if vv:
        view = parse_view(vv[-1])
        if view is None:
            notices.append(f"view '{vv[-1][:40]}' ignored (use lat,lon,zoom, e.g. 37.8,70.0,7)")
    ev = _values(params, "event")
    event = ev[-1] if ev and len(ev[-1]) <= MAX_VALUE_LEN else None
    filters = Filters(
        years=tuple(sorted(set(years))),
        actors=tuple(dict.fromkeys(actors)),
        role=role,
        types=tuple(sorted(set(types))),
        tier=tier,
        date_from=d_from,
        date_to=d_to,
    )
    return filters, view, event, notices


def parse_view(text: str) -> View | None:
    """``"lat,lon,zoom"`` → :class:`View`, or ``None`` if malformed or out of range."""
    parts = text.split(",")
    if len(parts) != 3:
        return None
    try:
        lat, lon, zoom = (float(p) for p in parts)
    except ValueError:
        return None
    if not all(math.isfinite(x) for x in (lat, lon, zoom)):
        return None
    if not (-85 <= lat <= 85 and -180 <= lon <= 180 and 0 <= zoom <= 20):
        return None
    return View(lat, lon, zoom)


def to_query(filters: Filters, view: View | None = None, event: str | None = None) -> dict[str, list[str]]:
    """Query parameters for ``filters`` and ``view`` (only the non-default ones)."""
    q: dict[str, list[str]] = {}
    if filters.years:
        q["year"] = [str(y) for y in filters.years]
    if filters.actors:
        q["actor"] = list(filters.actors)
    if filters.role:
        q["role"] = [filters.role]
    if filters.types:
        q["type"] = list(filters.types)
    if filters.tier:
        q["tier"] = [filters.tier]
    if filters.date_from:
        q["from"] = [filters.date_from.isoformat()]
    if filters.date_to:
        q["to"] = [filters.date_to.isoformat()]
    if view is not None:
        q["view"] = [view.as_param()]
    if event:
        q["event"] = [event]
    return q
