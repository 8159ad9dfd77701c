"""The shared filters and the map view as URL query parameters, both ways.

Names: one per filter, as declared in :data:`geo.query.fields.FIELDS` (``year``,
``actor`` and ``type`` repeatable; ``role``, ``tier``, ``from`` and ``to`` (ISO
dates) single), plus ``view`` (``lat,lon,zoom``) and ``event``. Values are parsed
as plain text against strict ASCII forms and known vocabularies; nothing is
evaluated or unpickled. Anything unknown or malformed is dropped with a plain-text
notice the page shows (never Markdown: a link must not be able to put a live
link, an image fetch or styled text on the page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from geo.query.fields import FIELDS, RANGES, Vocab, parse_date, range_problem
from geo.query.filters import Filters
from geo.report.text import shown
from geo.scene.view import MAX_LATITUDE, MAX_ZOOM, VIEW_RULE, View, parse_view

__all__ = [
    "KNOWN_PARAMS",
    "MAX_LATITUDE",
    "MAX_NOTICES",
    "MAX_VALUE_LEN",
    "MAX_ZOOM",
    "Vocab",
    "parse_date",
    "parse_query",
    "parse_view",
    "to_query",
]

KNOWN_PARAMS = (*(f.param for f in FIELDS), "view", "event")
MAX_VALUE_LEN = 200
#: At most this many notices are listed; the rest are counted.
MAX_NOTICES = 12


def _values(params: Mapping[str, Iterable[str] | str], name: str) -> list[str]:
    raw = params.get(name, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return [str(v) for v in items]


def parse_query(
    params: Mapping[str, Iterable[str] | str], vocab: Vocab
) -> tuple[Filters, View | None, str | None, list[str]]:
    """Read filters, view and selected event from query parameters.

    Every value is matched against its field's strict ASCII form (years, dates,
    view) or vocabulary (actors, roles, types, tiers); nothing is evaluated. A
    single-valued parameter given twice keeps its last value.

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

    values: dict[str, object] = {}
    for field in FIELDS:
        texts = _values(params, field.param)
        kept = []
        for v in texts if field.repeatable else texts[-1:]:
            if not ok(field.param, v):
                continue
            value = field.parse(v)
            if value is not None and field.accepts(value, vocab):
                kept.append(value)
            else:
                notices.append(field.notice(v, vocab))
        values[field.name] = kept if field.repeatable else (kept[0] if kept else None)
    for first, last in RANGES:
        problem = range_problem(first, last, values, cli=False)
        if problem:
            notices.append(problem)
            values[first.name] = values[last.name] = None

    view = None
    vv = _values(params, "view")
    if vv:
        view = parse_view(vv[-1])
        if view is None:
            notices.append(f"view '{shown(vv[-1], 40)}' ignored ({VIEW_RULE})")
    ev = _values(params, "event")
    event = None
    if ev and ok("event", ev[-1]):
        event = ev[-1]
    if len(notices) > MAX_NOTICES:
        notices = notices[:MAX_NOTICES] + [f"… and {len(notices) - MAX_NOTICES} more ignored"]
    return Filters.of(**values), view, event, notices


def to_query(filters: Filters, view: View | None = None, event: str | None = None) -> dict[str, list[str]]:
    """Query parameters for ``filters`` and ``view`` (only the non-default ones)."""
    q: dict[str, list[str]] = {}
    for field in FIELDS:
        texts = field.texts(getattr(filters, field.name))
        if texts:
            q[field.param] = texts
    if view is not None:
        q["view"] = [view.as_param()]
    if event:
        q["event"] = [event]
    return q
