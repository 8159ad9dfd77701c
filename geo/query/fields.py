"""The seven filters, declared once: :data:`FIELDS`.

Each :class:`FilterField` says what a filter is called in a link (``?year=``), on
the command line (``--year``) and in the sidebar (``Year``), of what kind it is
(a year list, a multi- or a single-choice from a vocabulary, a date), how one
value is read and checked, why a bad one is refused, and how the selection reads
in the summary line. Everything that reads or writes a selection is derived from
it: :func:`geo.query.urlstate.parse_query` and :func:`~geo.query.urlstate.to_query`
(links), :meth:`geo.query.filters.Filters.summary`, the options of every CLI
command that takes a selection (:mod:`geo.cli.selection`), and the sidebar and its
session state (``ui/sidebar.py``, ``ui/state.py``).

Adding a filter is one record here, its field on :class:`geo.query.filters.Filters`
and its rule in :func:`geo.query.filters.apply_filters`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Literal

from geo.data.actors import ROLES, actor_vocabulary, near_actor_names, unknown_actors_message
from geo.data.schema import CATEGORIES, TIERS
from geo.report.text import shown
from geo.spatial.scope import FRONTIER_KM

#: What the phrases read: a :class:`geo.query.filters.Filters` (not imported, since
#: filters.py is built on this module and the import graph stays acyclic).
Filters = Any

#: Strict ASCII forms: ``str.isdigit`` accepts "²" and "①", which ``int()`` does not read,
#: and ``date.fromisoformat`` accepts more than the link format (Arabic-Indic digits,
#: "20251101", ISO week dates) that nothing in the app writes.
_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Dates a filter may set: the app draws nothing outside them (and pandas timestamps
#: stop at 1677 and 2262).
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)
#: Above this many known actors a refused name gets no near-match hint (difflib is quadratic).
NEAR_MATCH_MAX = 100_000

#: Chainage a filter may set (km along the border from the Uzbekistan tripoint; the WDB-II
#: line is ~1,204 km, so anything up to this bound is a real stretch or its open end).
KM_MAX = 5000.0
_KM = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,3})?")

Kind = Literal["years", "multi", "single", "date", "km"]


@dataclass(frozen=True)
class Vocab:
    """What a selection may name: the years and actors present in the data.

    ``present_types`` are the event categories the data holds (the sidebar offers
    only those; a link or the CLI may name any of :data:`geo.data.schema.CATEGORIES`).
    """

    years: frozenset[int]
    actors: frozenset[str]
    present_types: frozenset[str] = CATEGORIES

    @classmethod
    def of(cls, events, roles) -> Vocab:
        """The years of ``events`` and every actor name of ``roles``, readable and ACLED forms
        (:func:`geo.data.actors.actor_vocabulary`), so ``?actor=Military Forces of Tajikistan (1994-)``
        selects the curated events coded with that form."""
        return cls(
            years=frozenset(int(y) for y in events["year"].dropna().unique()),  # unique: 1M rows
            actors=frozenset(actor_vocabulary(roles)),
            present_types=frozenset(events["category"].dropna().unique()) & CATEGORIES,
        )

    @cached_property
    def actor_list(self) -> list[str]:
        """The actors sorted: the sidebar's order, and a stable order for near matches."""
        return sorted(self.actors)


def parse_date(text: str) -> date | None:
    """``"YYYY-MM-DD"`` (ASCII digits, :data:`DATE_MIN` to :data:`DATE_MAX`) → date, else ``None``."""
    if not _DATE.fullmatch(text):
        return None
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return None
    return d if DATE_MIN <= d <= DATE_MAX else None


def parse_km(text: str) -> float | None:
    """ASCII ``"320"`` or ``"320.5"`` (0 to :data:`KM_MAX`) → km along the border, else ``None``."""
    text = text.strip()
    if not _KM.fullmatch(text):
        return None
    km = float(text)
    return km if km <= KM_MAX else None


def fmt_km(km: float) -> str:
    """``320.0`` → ``"320"``, ``320.25`` → ``"320.2"``: one decimal at most, as a link and the summary write it."""
    return f"{round(float(km), 1):g}"


def parse_year(text: str) -> int | None:
    """Four ASCII digits (surrounding spaces allowed) → the year, else ``None``."""
    return int(text) if _YEAR.fullmatch(text.strip()) else None


@dataclass(frozen=True)
class FilterField:
    """One filter, as every surface names, reads, checks and tells it."""

    name: str
    """Attribute of :class:`~geo.query.filters.Filters`."""
    param: str
    """URL query parameter."""
    option: str
    """CLI option (repeatable for ``years`` and ``multi``)."""
    kind: Kind
    label: str
    """Sidebar label."""
    help: str
    """CLI help."""
    key: str
    """Session-state key of the sidebar widget (shared by every page)."""
    phrase: Callable[[Filters], str | None]
    """The selection's part of the summary line, or ``None`` (nothing selected, or told by another field)."""
    allowed: Callable[[Vocab], Collection] | None = None
    """The values accepted; ``None`` for dates (checked by their form and range only)."""
    options: Callable[[Vocab], Sequence] | None = None
    """The sidebar's choices; default ``sorted(allowed(vocab))``."""
    fixed: Collection | None = None
    """The vocabulary when it does not depend on the data: the CLI offers it as choices."""
    keep_order: bool = False
    """Multi-choice: keep the values in the order given (actors) instead of sorting them."""
    widget: Literal["multiselect", "selectbox", "radio", "date_input", "number_input"] = "multiselect"
    placeholder: str | None = None
    widget_help: str | None = None
    refusal: Callable[[str, Vocab], str] | None = None
    """Why a text value is refused, for a link's notice (the part in brackets)."""
    unknown: Callable[[list, Vocab], str] | None = None
    """The CLI's one line for values not in the data (data-dependent vocabularies only)."""

    @property
    def repeatable(self) -> bool:
        return self.kind in ("years", "multi")

    @property
    def empty(self) -> Any:
        """The value that selects everything."""
        return () if self.repeatable else None

    def parse(self, text: str) -> Any | None:
        """One text value (a link's, a CLI argument's) → the value, or ``None`` if malformed or unknown
        (checked against ``vocab`` where the vocabulary comes from the data: see :meth:`accepts`)."""
        if self.kind == "years":
            return parse_year(text)
        if self.kind == "date":
            return parse_date(text.strip())
        if self.kind == "km":
            return parse_km(text)
        return text

    def accepts(self, value: Any, vocab: Vocab) -> bool:
        return self.allowed is None or value in self.allowed(vocab)

    def normalise(self, values: Iterable | Any) -> Any:
        """Values (a list, a tuple, a single value, ``None``) → the :class:`Filters` field's value."""
        if not self.repeatable:
            return values if values not in ("", ()) else None
        values = tuple(values or ())
        return tuple(dict.fromkeys(values)) if self.keep_order else tuple(sorted(set(values)))

    def texts(self, value: Any) -> list[str]:
        """The field's value as text values (URL, CLI), ``[]`` when it selects everything."""
        if value is None or value == ():
            return []
        items = value if self.repeatable else (value,)
        if self.kind == "km":
            return [fmt_km(v) for v in items]
        return [v.isoformat() if isinstance(v, date) else str(v) for v in items]

    def choices(self, vocab: Vocab) -> list:
        """The sidebar's choices for ``vocab``."""
        if self.options is not None:
            return list(self.options(vocab))
        return sorted(self.allowed(vocab)) if self.allowed is not None else []

    def notice(self, text: str, vocab: Vocab) -> str:
        """A link's plain-text notice for a refused ``text``."""
        if self.kind in ("date", "km"):
            return f"'{self.param}' {'date' if self.kind == 'date' else 'km'} '{shown(text.strip(), 40)}' ignored ({self.refusal(text, vocab)})"
        return f"{self.param} '{shown(text)}' ignored ({self.refusal(text, vocab)})"


def _one_of(allowed: Collection) -> Callable[[str, Vocab], str]:
    return lambda _text, _vocab: f"one of {', '.join(sorted(allowed))}"


def _actor_refusal(text: str, vocab: Vocab) -> str:
    near = near_actor_names(text, vocab.actor_list) if len(vocab.actors) < NEAR_MATCH_MAX else []
    hint = f"; did you mean {', '.join(repr(shown(n)) for n in near)}?" if near else ""
    return f"not in the data{hint}"


def _dates(f: Filters) -> str | None:
    if f.date_from or f.date_to:
        return f"dates {f.date_from or '…'} to {f.date_to or '…'}"
    return None


def _actors(f: Filters) -> str | None:
    if not f.actors:
        return None
    return f"actor {' or '.join(f.actors)}" + (f" as {f.role}" if f.role else "")


def _stretch(f: Filters) -> str | None:
    if f.km_from is None and f.km_to is None:
        return None
    lo = fmt_km(f.km_from) if f.km_from is not None else "0"
    hi = fmt_km(f.km_to) if f.km_to is not None else "the east end"
    return f"border km {lo} to {hi} (events within {FRONTIER_KM:g} km of the Tajik–Afghan border)"


_DATE_RULE = f"use YYYY-MM-DD, {DATE_MIN.year} to {DATE_MAX.year}"
_KM_RULE = f"use km along the border, 0 to {KM_MAX:g}, e.g. 320 or 320.5"

#: The filters, in the sidebar's and the summary line's order.
FIELDS: tuple[FilterField, ...] = (
    FilterField(
        name="years",
        param="year",
        option="--year",
        kind="years",
        label="Year",
        help="year; repeatable",
        key="f_years",
        phrase=lambda f: ("years " + ", ".join(map(str, sorted(f.years)))) if f.years else None,
        allowed=lambda v: v.years,
        placeholder="all years",
        refusal=lambda _t, v: f"available: {', '.join(map(str, sorted(v.years)))}",
        unknown=lambda bad, v: f"year(s) {bad} not in the data; available: {sorted(v.years)}",
    ),
    FilterField(
        name="date_from",
        param="from",
        option="--from",
        kind="date",
        label="From",
        help="first day, YYYY-MM-DD",
        key="f_from",
        phrase=_dates,
        widget="date_input",
        refusal=lambda _t, _v: _DATE_RULE,
    ),
    FilterField(
        name="date_to",
        param="to",
        option="--to",
        kind="date",
        label="To",
        help="last day, YYYY-MM-DD",
        key="f_to",
        phrase=lambda _f: None,  # told with date_from: "dates … to …"
        widget="date_input",
        refusal=lambda _t, _v: _DATE_RULE,
    ),
    FilterField(
        name="actors",
        param="actor",
        option="--actor",
        kind="multi",
        label="Actor",
        help="actor, readable or ACLED name; repeatable; any role unless --role",
        key="f_actors",
        phrase=_actors,
        allowed=lambda v: v.actors,
        options=lambda v: v.actor_list,
        keep_order=True,
        placeholder="any actor",
        refusal=_actor_refusal,
        unknown=lambda bad, v: unknown_actors_message(bad, v.actor_list),
    ),
    FilterField(
        name="role",
        param="role",
        option="--role",
        kind="single",
        label="…in the role of",
        help="the actors' role (any actor when no --actor)",
        key="f_role",
        phrase=lambda f: f"any actor as {f.role}" if f.role and not f.actors else None,
        allowed=lambda _v: ROLES,
        options=lambda _v: ROLES,
        fixed=ROLES,
        widget="selectbox",
        refusal=_one_of(ROLES),
    ),
    FilterField(
        name="types",
        param="type",
        option="--type",
        kind="multi",
        label="Event type",
        help="event category; repeatable",
        key="f_types",
        phrase=lambda f: ("types " + ", ".join(sorted(f.types))) if f.types else None,
        allowed=lambda _v: CATEGORIES,
        options=lambda v: sorted(v.present_types),
        fixed=tuple(sorted(CATEGORIES)),
        placeholder="all types",
        refusal=_one_of(CATEGORIES),
    ),
    FilterField(
        name="tier",
        param="tier",
        option="--tier",
        kind="single",
        label="Sources",
        help="source tier",
        key="f_tier",
        phrase=lambda f: f"sources: {f.tier} tier" if f.tier else None,
        allowed=lambda _v: TIERS,
        fixed=tuple(sorted(TIERS)),
        widget="radio",
        widget_help="seed: the five seed documents; related: other public reporting, not verified against the seeds",
        refusal=_one_of(TIERS),
    ),
    FilterField(
        name="km_from",
        param="km_from",
        option="--km-from",
        kind="km",
        label="Border km from",
        help="start of a stretch of the Tajik–Afghan border, km from the Uzbekistan tripoint (west)",
        key="f_km_from",
        phrase=_stretch,
        widget="number_input",
        placeholder="west end",
        widget_help="A stretch of the border (km from the Uzbekistan tripoint; the Frontier page's strip "
        f"sets it by dragging): events within {FRONTIER_KM:g} km of the border whose place, or its "
        "uncertainty, reaches the stretch.",
        refusal=lambda _t, _v: _KM_RULE,
    ),
    FilterField(
        name="km_to",
        param="km_to",
        option="--km-to",
        kind="km",
        label="to km",
        help="end of the stretch, km from the Uzbekistan tripoint",
        key="f_km_to",
        phrase=lambda _f: None,  # told with km_from
        widget="number_input",
        placeholder="east end",
        refusal=lambda _t, _v: _KM_RULE,
    ),
)
BY_NAME: dict[str, FilterField] = {f.name: f for f in FIELDS}
DATE_FROM, DATE_TO = BY_NAME["date_from"], BY_NAME["date_to"]
KM_FROM, KM_TO = BY_NAME["km_from"], BY_NAME["km_to"]
#: Fields that come in (first, last) pairs: the first may not be after the last.
RANGES: tuple[tuple[FilterField, FilterField], ...] = ((DATE_FROM, DATE_TO), (KM_FROM, KM_TO))


def summary_line(filters: Filters) -> str:
    """One line a reader can check an export or a snapshot against (``"all events"`` if nothing is selected)."""
    parts = [p for f in FIELDS if (p := f.phrase(filters))]
    return "; ".join(parts) if parts else "all events"


def range_problem(first: FilterField, last: FilterField, values: dict, *, cli: bool) -> str | None:
    """The one rule across a pair of :data:`RANGES` fields: the first is not after the last."""
    lo, hi = values.get(first.name), values.get(last.name)
    if lo is None or hi is None or lo <= hi:
        return None
    shown_lo, shown_hi = first.texts(lo)[0], last.texts(hi)[0]
    if cli:
        return f"{first.option} {shown_lo} is after {last.option} {shown_hi}"
    what = "date range" if first.kind == "date" else "border stretch"
    return f"'{first.param}' is after '{last.param}': {what} ignored"
