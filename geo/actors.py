"""Who plays which part in each event: the table behind "filter by actor"."""

from __future__ import annotations

import pandas as pd

#: Roles an actor can hold in an event, in display order.
ROLES = ("accuser", "accused", "denier", "respondent", "attacker", "victim", "target", "party", "participant")

# Event columns → role, by category: the attacker and the hit in an attack, both
# sides in a clash, everyone else a participant (delegations, callers, issuers).
_EVENT_ROLES = {
    "attack": {
        "actor1": "attacker",
        "assoc_actor_1": "attacker",
        "actor2": "victim",
        "assoc_actor_2": "target",
    },
    "clash": {"actor1": "party", "assoc_actor_1": "party", "actor2": "party", "assoc_actor_2": "party"},
}
_DEFAULT_EVENT_ROLES = {
    "actor1": "participant",
    "assoc_actor_1": "participant",
    "actor2": "participant",
    "assoc_actor_2": "participant",
}
# Claim stance → (role of the speaker, role of the party the claim is about or None).
_CLAIM_ROLES = {
    "accuses": ("accuser", "accused"),
    "denies": ("denier", None),
    "disputes": ("denier", None),
}


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value or "").split(";") if v.strip()]


def actor_roles(events: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Long table of ``(event_id, actor, role)``, one row per distinct triple.

    Parameters
    ----------
    events : DataFrame
        Needs ``event_id``, ``category``, ``actor1``, ``assoc_actor_1``, ``actor2``,
        ``assoc_actor_2`` (``;``-separated lists allowed in the assoc columns).
    claims : DataFrame
        Needs ``event_id``, ``speaker``, ``stance``, ``about``.

    Returns
    -------
    DataFrame
        Columns ``event_id``, ``actor``, ``role``; sorted, without duplicates.
    """
    rows: list[tuple[str, str, str]] = []
    cols = list(_DEFAULT_EVENT_ROLES)
    for eid, category, *actors in events[["event_id", "category", *cols]].itertuples(index=False):
        mapping = _EVENT_ROLES.get(category, _DEFAULT_EVENT_ROLES)
        for col, value in zip(cols, actors, strict=True):
            rows += [(eid, a, mapping[col]) for a in _split(value)]
    for eid, speaker, stance, about in claims[["event_id", "speaker", "stance", "about"]].itertuples(
        index=False
    ):
        speaker_role, about_role = _CLAIM_ROLES.get(stance, ("respondent", None))
        rows.append((eid, speaker, speaker_role))
        if about_role:
            rows.append((eid, about, about_role))
    out = pd.DataFrame(rows, columns=["event_id", "actor", "role"]).drop_duplicates()
    return out.sort_values(["event_id", "actor", "role"], ignore_index=True)
