"""Statements kept whole: one official statement, its claims together, whichever event they sit on.

A statement (``data/statements.csv``) is modelled once — speaker, date, medium,
sources — and is linked to every event it is about (the attack it comments on and
the statement event itself). Its claims live in ``claims.csv`` with a
``statement_id``, each still on one event. :func:`claims_about` gives, for a set
of events, their own claims plus every other claim of the statements linked to
them, so a details panel, a timeline or an export filtered to one event never
shows half a statement.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.report.formatting import fmt_day

#: Statement columns copied onto each claim row by :func:`claims_about`.
STATEMENT_COLUMNS = ("statement_date", "statement_medium", "statement_speaker_body", "statement_summary")


def statements_frame(records: list[dict]) -> pd.DataFrame:
    """Typed statements table from validated records (``source_ids``/``event_ids`` as tuples)."""
    cols = [
        "statement_id",
        "speaker",
        "speaker_body",
        "statement_date",
        "date_basis",
        "medium",
        "source_ids",
        "event_ids",
        "summary",
    ]
    df = pd.DataFrame.from_records(records, columns=cols)
    df["statement_date"] = pd.to_datetime(df["statement_date"])
    for col in ("source_ids", "event_ids"):
        df[col] = df[col].map(lambda v: tuple(v) if isinstance(v, (list, tuple)) else ())
    return df.fillna({"speaker_body": ""})


def statement_label(st) -> str:
    """ "Tajikistan (government), Ministry of Foreign Affairs — written statement, 27 Nov 2025"."""
    who = str(st["speaker"]) + (f", {st['speaker_body']}" if st.get("speaker_body") else "")
    when = fmt_day(st["statement_date"]) if pd.notna(st.get("statement_date")) else "date not stated"
    return f"{who} — {st['medium']}, {when}"


def claims_about(
    claims: pd.DataFrame, statements: pd.DataFrame | None, event_ids: Iterable[str]
) -> pd.DataFrame:
    """Claims about ``event_ids``, every statement whole.

    Parameters
    ----------
    claims : DataFrame
        The bundle's claims (one row per claim, with ``event_id`` and ``statement_id``).
    statements : DataFrame or None
        :func:`statements_frame`; ``None`` or empty gives the plain per-event claims.
    event_ids : iterable of str
        The selected events.

    Returns
    -------
    DataFrame
        The claims whose ``event_id`` is selected, plus the other claims of every
        statement linked to a selected event. A claim whose own event is not
        selected is shown under the first selected event of its statement
        (``event_id`` re-pointed, ``claim_event_id`` keeps its own), so no claim is
        listed twice. Statement columns (:data:`STATEMENT_COLUMNS`, ``statement``
        label) are added; claims outside any statement get empty ones.
    """
    wanted = list(dict.fromkeys(event_ids))
    wanted_set = set(wanted)
    own = claims[claims["event_id"].isin(wanted_set)]
    if statements is None or statements.empty or "statement_id" not in claims:
        return own.assign(claim_event_id=own["event_id"])
    linked = {}
    for sid, evs in zip(statements["statement_id"], statements["event_ids"], strict=True):
        hits = [e for e in evs if e in wanted_set]
        if hits:
            linked[sid] = hits[0]
    mates = claims[claims["statement_id"].isin(linked) & ~claims["event_id"].isin(wanted_set)]
    moved = mates.assign(claim_event_id=mates["event_id"], event_id=mates["statement_id"].map(linked))
    out = pd.concat([own.assign(claim_event_id=own["event_id"]), moved])
    out = out.sort_values(["claim_id"], kind="stable")
    st = statements.set_index("statement_id")
    sid = out["statement_id"].fillna("")
    out["statement_date"] = sid.map(st["statement_date"])
    out["statement_medium"] = sid.map(st["medium"]).fillna("")
    out["statement_speaker_body"] = sid.map(st["speaker_body"]).fillna("")
    out["statement_summary"] = sid.map(st["summary"]).fillna("")
    labels = {k: statement_label(row) for k, row in st.iterrows()}
    out["statement"] = sid.map(labels).fillna("")
    return out


def statements_about(statements: pd.DataFrame | None, event_ids: Iterable[str]) -> pd.DataFrame:
    """The statements linked to any of ``event_ids`` (in file order)."""
    if statements is None or statements.empty:
        return pd.DataFrame(columns=["statement_id"])
    wanted = set(event_ids)
    return statements[statements["event_ids"].map(lambda evs: bool(wanted.intersection(evs)))]
