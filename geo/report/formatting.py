"""How numbers and casualty figures read everywhere: one formatter each, one "missing" mark.

Every page, tooltip, table and export that shows a count or a low–high casualty
figure calls these, so "3,017 events", "4–5 injured" and a missing figure ("–")
read the same on the Briefing, in the details panel and in the incidents table.
"""

from __future__ import annotations

import pandas as pd

#: What a missing count or casualty figure reads as (an en dash), everywhere.
MISSING = "–"


def _missing(value) -> bool:
    # pd.isna covers None, NaN, pd.NA and NaT; anything else (a string, a list) is not "missing".
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_count(n) -> str:
    """A whole number with thousands separators: ``3017`` → ``"3,017"``; missing → ``"–"``.

    Parameters
    ----------
    n : int, float, numpy or pandas scalar, or None
        A count. Floats are rounded to the nearest whole number (counts and casualty
        totals are whole; a float here is a pandas sum, not a measurement).
    """
    if _missing(n):
        return MISSING
    return f"{round(float(n)):,}"


def fmt_range(lo, hi=None, best=None, *, missing: str | None = MISSING) -> str | None:
    """A low–high figure: ``"4–5"``, ``"3"`` when both agree, ``"–"`` when the low one is missing.

    Parameters
    ----------
    lo : int or None
        The lowest figure any source gives (ACLED's ``fatalities``; UCDP's ``low``).
    hi : int or None
        The highest figure; missing or equal to ``lo`` gives a single number.
    best : int or None
        UCDP's best estimate (``fatalities_best``), shown as ``"5–9 (best 7)"`` when
        present, unless low, high and best are one and the same number.
    missing : str or None
        What a missing low figure reads as: the dash in tables and cards, ``"not reported"``
        in a tooltip, ``None`` where a sentence leaves the figure out.

    Returns
    -------
    str
        With thousands separators (``"5,649–10,994 (best 7,012)"``).
    """
    if _missing(lo):
        return missing
    lo_i = round(float(lo))
    hi_i = lo_i if _missing(hi) else round(float(hi))
    text = fmt_count(lo_i) if hi_i == lo_i else f"{fmt_count(lo_i)}–{fmt_count(hi_i)}"
    if not _missing(best) and not (hi_i == lo_i == round(float(best))):
        text += f" (best {fmt_count(best)})"
    return text


def fmt_day(value, *, long: bool = False) -> str:
    """A day as every output writes it: ``"1 Dec 2025"``, or ``"1 December 2025"`` with ``long``
    (in sentences). Never a leading zero."""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}" if long else f"{ts.day} {ts:%b %Y}"


def fmt_event_day(value, time_precision) -> str:
    """An event's day as its record supports it: ``"Dec 2025"`` for month precision (3), else :func:`fmt_day`."""
    return f"{pd.Timestamp(value):%b %Y}" if int(time_precision) == 3 else fmt_day(value)
