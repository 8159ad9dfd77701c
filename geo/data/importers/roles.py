"""Actor roles of imported events, vectorised (the same rows as :func:`geo.data.actors.actor_roles`).

``geo.data.actors.actor_roles`` walks events one by one in Python, which is right for
the curated table and takes tens of seconds at a million events. Here the
``;``-splitting is done once per distinct cell value (a few thousand actor
strings), rows are expanded with NumPy, and duplicates are dropped on integer
codes rather than strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# The same rules as geo.data.actors (kept in one place there; read from it, not copied).
from geo.data.actors import _DEFAULT_EVENT_ROLES, _EVENT_ROLES, ROLES

ACTOR_COLUMNS = tuple(_DEFAULT_EVENT_ROLES)


def _split_values(values) -> tuple[np.ndarray, list[str]]:
    """For each distinct cell text: how many actors it names, and all of them in order."""
    lists = [[a.strip() for a in str(v).split(";") if a.strip()] for v in values]
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    return lengths, [a for x in lists for a in x]


def event_roles(events: pd.DataFrame) -> pd.DataFrame:
    """Long table of ``(event_id, actor, role)`` for events without claims.

    Parameters
    ----------
    events : DataFrame
        ``event_id``, ``category`` and the four actor columns (text or category;
        ``;``-separated lists allowed).

    Returns
    -------
    DataFrame
        Columns ``event_id`` (text), ``actor`` and ``role`` (categories), one row
        per distinct triple, in event order. As a set of rows it equals
        ``geo.data.actors.actor_roles(events, <no claims>)``.
    """
    n = len(events)
    category = events["category"].astype("str").to_numpy()
    role_vocab = pd.Index(ROLES)
    rows_parts, actor_parts, role_parts, vocab_parts = [], [], [], []
    offset = 0
    for col in ACTOR_COLUMNS:
        s = events[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes, cats = s.cat.codes.to_numpy(), s.cat.categories
        else:
            codes, cats = pd.factorize(s, use_na_sentinel=True)
        lengths, flat = _split_values(cats)
        if not flat:
            continue
        per_row = np.where(codes >= 0, lengths[np.maximum(codes, 0)], 0)
        total = int(per_row.sum())
        if total == 0:
            continue
        rows = np.repeat(np.arange(n), per_row)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        within = np.arange(total) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        rows_parts.append(rows)
        actor_parts.append(offset + starts[codes[rows]] + within)
        vocab_parts.append(flat)
        offset += len(flat)
        role_of = {cat: mapping[col] for cat, mapping in _EVENT_ROLES.items()}
        role_names = pd.Series(category[rows]).map(role_of).fillna(_DEFAULT_EVENT_ROLES[col])
        role_parts.append(role_vocab.get_indexer(role_names))
    if not rows_parts:
        return pd.DataFrame(
            {
                "event_id": pd.Series(dtype="str"),
                "actor": pd.Series(dtype="category"),
                "role": pd.Series(dtype="category"),
            }
        )
    # Actor names from different columns share one vocabulary: the same name gets one code.
    names = pd.Index([a for part in vocab_parts for a in part])
    vocab = pd.Index(names.unique())
    remap = vocab.get_indexer(names)
    codes = pd.DataFrame(
        {
            "row": np.concatenate(rows_parts),
            "actor": remap[np.concatenate(actor_parts)],
            "role": np.concatenate(role_parts),
        }
    )
    codes = codes.drop_duplicates().sort_values("row", kind="stable")
    ids = events["event_id"]
    # Object ids stay object (shared string objects, 8 bytes a row); text ids stay text.
    taken = ids.to_numpy()[codes["row"].to_numpy()]
    return pd.DataFrame(
        {
            "event_id": pd.Series(taken, dtype=object if ids.dtype == object else "str"),
            "actor": pd.Categorical.from_codes(codes["actor"].to_numpy(), categories=vocab),
            "role": pd.Categorical.from_codes(codes["role"].to_numpy(), categories=role_vocab),
        }
    )
