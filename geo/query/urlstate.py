"""The shared filters and the map view as URL query parameters, both ways.

Names: ``year`` (repeatable), ``actor`` (repeatable), ``role``, ``type``
(repeatable), ``tier``, ``from`` and ``to`` (ISO dates), ``view``
(``lat,lon,zoom``). Values are parsed as plain text against strict ASCII forms and known
vocabularies; nothing is evaluated or unpickled. Anything unknown or malformed is
dropped with a plain-text notice the page shows (never Markdown: a link must not
be able to put a live link, an image fetch or styled text on the page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from geo.data.actors import ROLES, actor_vocabulary, near_actor_names
from geo.data.schema import CATEGORIES, TIERS
from geo.query.filters import Filters
from geo.render.mapdecks import View
from geo.report.text import shown

KNOWN_PARAMS = ("year", "actor", "role", "type", "tier", "from", "to", "view", "event")
MAX_VALUE_LEN = 200


@dataclass(frozen=True)
class Vocab:
    """What the URL may name: the years and actors present in the data."""

    years: frozenset[int]
    actors: frozenset[str]

    @classmethod
    def of(cls, events, roles) -> Vocab:
        """The years of ``events`` and every actor name of ``roles``, readable and ACLED forms
        (:func:`geo.data.actors.actor_vocabulary`), so ``?actor=Military Forces of Tajikistan (1994-)``
        selects the curated events coded with that form."""
        return cls(
            years=frozenset(int(y) for y in events["year"].dropna()),
            actors=frozenset(actor_vocabulary(roles)),
        )


def _values(params: Mapping[str, Iterable[str] | str], name: str) -> list[str]:
    raw = params.get(name, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return [str(v) for v in items]


#: Strict ASCII forms: ``str.isdigit`` accepts "²" and "①", which ``int()`` does not read,
#: and ``float``/``date.fromisoformat`` accept more than the link format (Arabic-Indic
#: digits, "1_0", ISO week dates) that nothing in the app writes.
_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,10})?")
#: Dates a link may set: the app draws nothing outside them (and pandas timestamps
#: stop at 1677 and 2262).
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)
#: Web Mercator (deck.gl's MapView) stops at ±85.0511°, not at the poles.
MAX_LATITUDE = 85.0511
MAX_ZOOM = 20.0
#: At most this many notices are listed; the rest are counted.
MAX_NOTICES = 12


def parse_query(
    params: Mapping[str, Iterable[str] | str], vocab: Vocab
) -> tuple[Filters, View | None, str | None, list[str]]:
    """Read filters, view and selected event from query parameters.

    Every value is matched against a strict ASCII form (years, dates, view) or a
    known vocabulary (actors, roles, types, tiers); nothing is evaluated.

    Returns
    -------
    filters : Filters
    view : View or None
        ``None`` when ``view`` is absent or malformed.
    event : str or None
        The ``event`` parameter (an event id) if present; checked by the caller.
    notices : list of str
        One plain-text line per ignored parameter or value (values excerpted with
        :func:`geo.report.text.shown`); never Markdown, render them as text.
    """
    notices: list[str] = []
    for name in params:
        if name not in KNOWN_PARAMS:
            notices.append(f"unknown URL parameter '{shown(name, 40)}' ignored")

    def ok(name: str, v: str) -> bool:
        if len(v) > MAX_VALUE_LEN:
            notices.append(f"URL parameter '{name}' is too long ({len(v):,} characters) and was ignored")
            return False
        return True

    years: list[int] = []
    for v in _values(params, "year"):
        if not ok("year", v):
            continue
        if _YEAR.fullmatch(v.strip()) and int(v) in vocab.years:
            years.append(int(v))
        else:
            notices.append(
                f"year '{shown(v)}' ignored (available: {', '.join(map(str, sorted(vocab.years)))})"
            )
    actors = []
    for v in _values(params, "actor"):
        if not ok("actor", v):
            continue
        if v in vocab.actors:
            actors.append(v)
        else:
            near = near_actor_names(v, vocab.actors) if len(vocab.actors) < 100_000 else []
            hint = f"; did you mean {', '.join(repr(shown(n)) for n in near)}?" if near else ""
            notices.append(f"actor '{shown(v)}' ignored (not in the data{hint})")
    types = []
    for v in _values(params, "type"):
        if not ok("type", v):
            continue
        if v in CATEGORIES:
            types.append(v)
        else:
            notices.append(f"type '{shown(v)}' ignored (one of {', '.join(sorted(CATEGORIES))})")

    def single(name: str, allowed) -> str | None:
        vals = _values(params, name)
        if not vals:
            return None
        v = vals[-1]
        if not ok(name, v):
            return None
        if v in allowed:
            return v
        notices.append(f"{name} '{shown(v)}' ignored (one of {', '.join(sorted(allowed))})")
        return None

    role = single("role", ROLES)
    tier = single("tier", TIERS)

    def iso(name: str) -> date | None:
        vals = _values(params, name)
        if not vals:
            return None
        v = vals[-1].strip()
        d = parse_date(v)
        if d is None:
            notices.append(
                f"'{name}' date '{shown(v, 40)}' ignored (use YYYY-MM-DD, {DATE_MIN.year} to {DATE_MAX.year})"
            )
        return d

    d_from, d_to = iso("from"), iso("to")
    if d_from and d_to and d_from > d_to:
        notices.append("'from' is after 'to': date range ignored")
        d_from = d_to = None

    view = None
    vv = _values(params, "view")
    if vv:
        view = parse_view(vv[-1])
        if view is None:
            notices.append(
                f"view '{shown(vv[-1], 40)}' ignored (use lat,lon,zoom, e.g. 37.8,70.0,7; "
                f"latitude within ±{MAX_LATITUDE}, longitude ±180, zoom 0 to {MAX_ZOOM:g})"
            )
    ev = _values(params, "event")
    event = None
    if ev and ok("event", ev[-1]):
        event = ev[-1]
    if len(notices) > MAX_NOTICES:
        notices = notices[:MAX_NOTICES] + [f"… and {len(notices) - MAX_NOTICES} more ignored"]
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


def parse_date(text: str) -> date | None:
    """``"YYYY-MM-DD"`` (ASCII digits, :data:`DATE_MIN` to :data:`DATE_MAX`) → date, else ``None``."""
    if not _DATE.fullmatch(text):
        return None
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return None
    return d if DATE_MIN <= d <= DATE_MAX else None


def parse_view(text: str) -> View | None:
    """``"lat,lon,zoom"`` (decimal degrees, web-mercator zoom) → :class:`View`, or ``None``.

    The one view parser (links and ``panjwatch snapshot --view``): ASCII decimals
    only; latitude within ±:data:`MAX_LATITUDE` (Web Mercator's limit), longitude
    within ±180, zoom 0 to :data:`MAX_ZOOM`.
    """
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 3 or not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    lat, lon, zoom = (float(p) for p in parts)
    if not (-MAX_LATITUDE <= lat <= MAX_LATITUDE and -180 <= lon <= 180 and 0 <= zoom <= MAX_ZOOM):
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
