"""Annotations of the attacks: days since the previous attack and the first official reaction, and the focus window around one attack.

:func:`attack_notes` gives one :class:`AttackNote` per attack or clash;
:func:`focus_window` and :func:`focus_options` give the date range the chart
zooms to when an analyst picks one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.query.filters import event_span
from geo.render.timeline.style import FOCUS_AFTER_DAYS, FOCUS_BEFORE_DAYS, PRIMARY, STANCE_ORDER
from geo.render.timeline.text import _day_short, _days, is_official, short_place
from geo.report.formatting import fmt_day


@dataclass(frozen=True)
class AttackNote:
    """Computed facts about one attack or clash, for the focus view.

    Day counts are whole days between possible dates: a span (month-only or
    ``date_end``) gives a range ``(low, high)``.
    """

    event_id: str
    category: str
    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    previous_id: str | None
    previous_label: str | None
    days_since_previous: tuple[int, int] | None
    first_reaction_date: pd.Timestamp | None
    first_reaction_days: tuple[int, int] | None
    first_reaction_by: tuple[str, ...]
    first_reaction_stances: tuple[str, ...]

    def lines(self) -> list[str]:
        """Plain-text annotation lines (unescaped data)."""
        out = []
        if self.days_since_previous is None:
            out.append("first attack or clash in this selection")
        else:
            lo, hi = self.days_since_previous
            out.append(f"{_days(lo, hi)} after the previous attack or clash ({self.previous_label})")
        if self.first_reaction_date is None:
            out.append("no dated official reaction in the data")
        else:
            lo, hi = self.first_reaction_days
            after = "the same day" if hi == 0 else f"after {_days(lo, hi)}"
            out.append(
                f"first official reaction {after} ({fmt_day(self.first_reaction_date)}): "
                + ", ".join(self.first_reaction_stances)
            )
            out.append("by " + "; ".join(self.first_reaction_by))
        return out


def _event_label(e, start, end) -> str:
    prec = int(e["time_precision"])
    when = f"{start:%B %Y}" if (prec == 3 and end > start) else fmt_day(start)
    return f"{when} {e['category']}, {short_place(e['location'])}"


def attack_notes(events: pd.DataFrame, claims: pd.DataFrame) -> dict[str, AttackNote]:
    """Annotations of every attack and clash in ``events``, keyed by ``event_id``.

    Parameters
    ----------
    events : DataFrame
        Events (the current selection); only categories in :data:`PRIMARY` are annotated,
        and "previous" means the previous one of those in ``events``.
    claims : DataFrame
        Claims; a reaction is a claim about the attack with a ``claim_date`` on or after
        its first possible day, spoken by a state (see :func:`is_official`).
    """
    prim = events[events["category"].isin(PRIMARY)]
    if prim.empty:
        return {}
    start, end = event_span(prim)
    order = pd.DataFrame({"start": start, "end": end, "id": prim["event_id"]}).sort_values(
        ["start", "id"], kind="stable"
    )
    notes: dict[str, AttackNote] = {}
    prev = None
    dated = claims[claims["claim_date"].notna()]
    for idx, row in order.iterrows():
        e = prim.loc[idx]
        s, t = row["start"], row["end"]
        label = _event_label(e, s, t)
        if prev is None:
            since = None
            prev_id = prev_label = None
        else:
            ps, pt, pe = prev
            since = (max(int((s - pt).days), 0), int((t - ps).days))
            prev_id, prev_label = pe["event_id"], _event_label(pe, ps, pt)
        mine = dated[(dated["event_id"] == e["event_id"]) & (pd.to_datetime(dated["claim_date"]) >= s)]
        mine = mine[[is_official(sp, b) for sp, b in zip(mine["speaker"], mine["speaker_body"], strict=True)]]
        if mine.empty:
            first = None
            first_days = None
            by: tuple[str, ...] = ()
            stances: tuple[str, ...] = ()
        else:
            first = pd.Timestamp(pd.to_datetime(mine["claim_date"]).min())
            at = mine[pd.to_datetime(mine["claim_date"]) == first]
            first_days = (max(int((first - t).days), 0), int((first - s).days))
            by = tuple(
                dict.fromkeys(
                    f"{sp}: {b}" if b else str(sp)
                    for sp, b in zip(at["speaker"], at["speaker_body"], strict=True)
                )
            )
            stances = tuple(st for st in STANCE_ORDER if st in set(at["stance"]))
        notes[e["event_id"]] = AttackNote(
            event_id=e["event_id"],
            category=str(e["category"]),
            label=label,
            start=s,
            end=t,
            previous_id=prev_id,
            previous_label=prev_label,
            days_since_previous=since,
            first_reaction_date=first,
            first_reaction_days=first_days,
            first_reaction_by=by,
            first_reaction_stances=stances,
        )
        prev = (s, t, e)
    return notes


def focus_window(note: AttackNote) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of the focus view around an attack."""
    return (note.start - pd.Timedelta(days=FOCUS_BEFORE_DAYS), note.end + pd.Timedelta(days=FOCUS_AFTER_DAYS))


def focus_options(events: pd.DataFrame, claims: pd.DataFrame) -> dict[str, str]:
    """``event_id`` → menu label of each attack or clash one can focus on, oldest first."""
    out = {}
    for eid, n in attack_notes(events, claims).items():
        a, b = focus_window(n)
        out[eid] = f"{n.label} ({_day_short(a)} – {fmt_day(b)})"
    return out
