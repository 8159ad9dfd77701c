"""ACLED's codebook as the importer applies it: event types (current and pre-2019) to the app's categories, actor-type codes to labels, the interaction code and civilian targeting.

Vectorised over a block; :mod:`geo.data.importers.acled` calls these while it
normalises an export. The mapping of every column is documented in that
module's docstring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.data.importers.common import Rejects, clean_text, tidy_categories
from geo.data.schema import INTER_CODES as SCHEMA_INTER_CODES

#: ACLED event_type (lower case, current and pre-2019) → (event_type, category).
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "battles": ("Battles", "clash"),
    "battle-no change of territory": ("Battles", "clash"),
    "battle-government regains territory": ("Battles", "clash"),
    "battle-non-state actor overtakes territory": ("Battles", "clash"),
    "battle-non-state actors overtake territory": ("Battles", "clash"),
    "violence against civilians": ("Violence against civilians", "attack"),
    "explosions/remote violence": ("Explosions/Remote violence", "attack"),
    "remote violence": ("Explosions/Remote violence", "attack"),
    "protests": ("Protests", "protest"),
    "riots": ("Riots", "protest"),
    "riots/protests": ("Protests", "protest"),
    "strategic developments": ("Strategic developments", "other"),
    "strategic development": ("Strategic developments", "other"),
    "headquarters or base established": ("Strategic developments", "other"),
    "non-violent transfer of territory": ("Strategic developments", "other"),
}

#: Numeric actor-type codes of 2019–2022 exports → the labels current exports use. The codes
#: are declared once, in :data:`geo.data.schema.INTER_CODES`; ``0`` (no actor) is an empty cell.
INTER_CODES = {"0": "", **{str(k): v for k, v in SCHEMA_INTER_CODES.items()}}
#: Actor-type label → its code, for ``interaction``.
_INTER_NUMBER = {v: k for k, v in SCHEMA_INTER_CODES.items()}
#: ACLED event types in which civilians can be the primary target (codebook: civilian_targeting).
CIVILIAN_TARGET_TYPES = ("Violence against civilians", "Explosions/Remote violence")
CIVILIAN_TARGETING_VALUE = "Civilian targeting"


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    return clean_text(df[col]) if col in df else pd.Series("", index=df.index, dtype="str")


def _type_key(values: pd.Series) -> pd.Series:
    """Event type as compared: lower case, single spaces, no spaces around hyphens or slashes."""
    key = values.str.lower().str.replace(r"\s+", " ", regex=True)
    return key.str.replace(r"\s*([-/])\s*", r"\1", regex=True)


def _type_numbers(labels: pd.Series) -> np.ndarray:
    """Actor-type code of each label (0 where it is not one of ACLED's), via its few distinct values."""
    cat = labels if isinstance(labels.dtype, pd.CategoricalDtype) else labels.astype("category")
    lut = np.array([_INTER_NUMBER.get(str(c), 0) for c in cat.cat.categories] + [0], dtype=np.int64)
    return lut[cat.cat.codes.to_numpy()]  # code -1 (missing) takes the trailing 0


def interaction_codes(inter1: pd.Series, inter2: pd.Series) -> pd.Series:
    """ACLED ``interaction`` from the two actor-type labels (codebook): the two codes, lower
    first (``17``: State forces × Civilians); one actor alone is ``N0``; NA when ``inter1`` is
    not one of ACLED's labels."""
    a, b = _type_numbers(inter1), _type_numbers(inter2)
    lo = np.where((b == 0) | (a <= b), a, b)
    hi = np.where((b == 0) | (a <= b), b, a)
    return pd.Series(pd.array(np.where(a > 0, lo * 10 + hi, 0), dtype="Int64"), index=inter1.index).where(
        a > 0
    )


def _interaction_code(cell: str) -> int | None:
    """One ``interaction`` cell → code: ``17``; ``State forces-Civilians``; ``Protesters only``."""
    text = cell.strip()
    if text.isdigit() and len(text) == 2 and 10 <= int(text) <= 88:
        return int(text)
    if text.endswith(".0") and text[:-2].isdigit():  # a spreadsheet's number
        return _interaction_code(text[:-2])
    if text.endswith(" only"):  # one actor: "Protesters only"
        first, second = text.removesuffix(" only"), ""
    else:  # "State forces-Civilians" (no actor-type label has a hyphen)
        first, _, second = text.partition("-")
    a, b = _INTER_NUMBER.get(first.strip()), _INTER_NUMBER.get(second.strip())
    if a is None or (second.strip() and b is None):
        return None
    return a * 10 if b is None else min(a, b) * 10 + max(a, b)


def _interaction(df: pd.DataFrame, inter1: pd.Series, inter2: pd.Series, flags: Rejects) -> pd.Series:
    derived = interaction_codes(inter1, inter2)
    if "interaction" not in df:
        return derived
    # Few distinct cells (ACLED has ~40 interactions): each read once, mapped back by code.
    raw = tidy_categories(df["interaction"])
    mapping = pd.array([_interaction_code(str(c)) for c in raw.cat.categories] + [None], dtype="Int64")
    value = pd.Series(mapping[raw.cat.codes.to_numpy()], index=df.index, dtype="Int64")
    unread = (raw.notna() & value.isna()).to_numpy()
    flags.add(
        df.index[unread].to_numpy(),
        "interaction",
        df["interaction"][unread],
        "kept, flagged: not an ACLED interaction code (10–88, or 'State forces-Civilians'); "
        "derived from inter1/inter2 instead",
    )
    differ = (value.notna() & derived.notna() & (value != derived)).fillna(False).to_numpy()
    flags.add(
        df.index[differ].to_numpy(),
        "interaction",
        df["interaction"][differ],
        "kept as published, flagged: inter1/inter2 make it " + derived[differ].astype("string"),
    )
    return value.fillna(derived)


def _civilian_targeting(
    df: pd.DataFrame, event_type: pd.Series, inter2: pd.Series, flags: Rejects
) -> pd.Series:
    if "civilian_targeting" not in df:
        # Older layouts: ACLED's rule (codebook 2023): every Violence against civilians event, and
        # explosions/remote violence whose target (actor2) is civilians.
        civ = (event_type == CIVILIAN_TARGET_TYPES[0]) | (
            (event_type == CIVILIAN_TARGET_TYPES[1]) & (inter2 == "Civilians")
        )
        return (
            pd.Series(civ.to_numpy(), index=df.index)
            .map({True: CIVILIAN_TARGETING_VALUE, False: ""})
            .astype("str")
        )
    raw = _text(df, "civilian_targeting")
    key = raw.str.lower()
    ok = (key == "") | (key == CIVILIAN_TARGETING_VALUE.lower())
    flags.add(
        df.index[~ok].to_numpy(),
        "civilian_targeting",
        df["civilian_targeting"][~ok],
        f"kept, flagged: ACLED's civilian_targeting is '{CIVILIAN_TARGETING_VALUE}' or empty; stored empty",
    )
    return key.where(~ok | (key == ""), CIVILIAN_TARGETING_VALUE).where(ok, "").astype("str")
