"""The source catalogue as a reader sees it: each source's tier, outlet, headline and date, and what is missing.

The Sources page shows this table; the rule that no field is empty without a reason is
:func:`geo.data.check_sources.source_field_problems`. Strings are plain text (a dataframe shows them as text).
"""

from __future__ import annotations

import pandas as pd

from geo.data.check_sources import NOT_GIVEN

#: Columns of :func:`catalogue_table`, in display order.
COLUMNS = ("source", "tier", "outlet", "headline", "published", "missing", "supports", "url")


def _text(value) -> str:
    return (
        ""
        if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value))
        else str(value).strip()
    )


def missing_fields(src) -> str:
    """What the catalogue does not know about one source, each with its reason; ``""`` when complete.

    ``"headline: not given (slug only): …; date: not given: …"`` — the reasons are the
    catalogue's own ``headline_basis`` / ``date_basis``; an unnamed outlet gives its ``outlet_basis``.
    """
    parts = []
    if _text(src.get("outlet")).casefold() in ("", "unidentified"):
        parts.append(f"outlet: not given ({_text(src.get('outlet_basis'))})")
    if not _text(src.get("headline")):
        parts.append(f"headline: {_text(src.get('headline_basis')) or NOT_GIVEN}")
    if not _text(src.get("published")):
        parts.append(f"date: {_text(src.get('date_basis')) or NOT_GIVEN}")
    return "; ".join(parts)


def catalogue_table(sources: pd.DataFrame) -> pd.DataFrame:
    """One row per catalogued source: tier, outlet, headline, date, what is missing and why.

    Parameters
    ----------
    sources : DataFrame
        ``bundle.sources`` (the typed rows of ``seeds/catalogue.csv``).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`; an absent headline or date reads ``"not given"`` and the
        ``missing`` column says why.
    """
    rows = []
    for src in sources.to_dict("records"):
        published = src.get("published")
        rows.append(
            {
                "source": _text(src.get("source_id")),
                "tier": _text(src.get("tier")),
                "outlet": _text(src.get("outlet")),
                "headline": _text(src.get("headline")) or NOT_GIVEN,
                "published": NOT_GIVEN
                if not _text(published)
                else pd.Timestamp(published).date().isoformat(),
                "missing": missing_fields(src),
                "supports": "; ".join(src.get("supports") or ()),
                "url": _text(src.get("url")),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
