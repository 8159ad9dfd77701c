"""Who plays which part in each event: the table behind "filter by actor"."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a table is built: the CLI's option declarations import ROLES
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


#: Readable actor columns -> the column holding the same actor's ACLED name.
_ACLED_NAME = {"actor1": "actor1_acled", "actor2": "actor2_acled"}


def actor_roles(events: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Long table of ``(event_id, actor, role, actor_acled)``, one row per distinct triple.

    ``actor_acled`` is the ACLED form of an event actor (``actor1_acled`` /
    ``actor2_acled``; for an associated actor the item itself when it is already in ACLED's
    "Civilians (<country>)" form), else NA: :func:`geo.query.filters.apply_filters` matches
    either form, so curated and imported events filter together. Civilians listed
    among an attack's associated targets are victims, like ``actor2``.

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
        Columns ``event_id``, ``actor``, ``role``, ``actor_acled``; sorted, without duplicates.
    """
    import pandas as pd

    rows: list[tuple[str, str, str, str | None]] = []
    cols = list(_DEFAULT_EVENT_ROLES)
    acled_cols = [c for c in _ACLED_NAME.values() if c in events]
    for rec in events[["event_id", "category", *cols, *acled_cols]].to_dict("records"):
        eid, category = rec["event_id"], rec["category"]
        mapping = _EVENT_ROLES.get(category, _DEFAULT_EVENT_ROLES)
        for col in cols:
            acled = str(rec.get(_ACLED_NAME.get(col, ""), "") or "").strip() or None
            for a in _split(rec[col]):
                role = mapping[col]
                if category == "attack" and col == "assoc_actor_2" and a.startswith("Civilians ("):
                    role = "victim"
                form = acled if col in _ACLED_NAME else (a if a.startswith("Civilians (") else None)
                rows.append((eid, a, role, form))
    for eid, speaker, stance, about in claims[["event_id", "speaker", "stance", "about"]].itertuples(
        index=False
    ):
        speaker_role, about_role = _CLAIM_ROLES.get(stance, ("respondent", None))
        rows.append((eid, speaker, speaker_role, None))
        if about_role:
            rows.append((eid, about, about_role, None))
    out = pd.DataFrame(rows, columns=["event_id", "actor", "role", "actor_acled"])
    out = out.drop_duplicates(["event_id", "actor", "role"])
    return out.sort_values(["event_id", "actor", "role"], ignore_index=True)


def actor_forms(roles: pd.DataFrame, actors) -> set[str]:
    """The names ``actors`` plus the ACLED form(s) paired with each readable one in ``roles``.

    "Tajikistan (government)" brings "Government of Tajikistan (1994-)" and "Military
    Forces of Tajikistan (1994-)", so imported events (which carry only ACLED names) match
    it. Not the other way round: an ACLED name picked in the filter matches curated rows
    through their ``actor_acled``, not every actor sharing its readable name.
    """
    wanted = set(actors)
    if "actor_acled" not in roles:
        return wanted
    pairs = roles[["actor", "actor_acled"]].dropna().drop_duplicates()
    return wanted | set(pairs.loc[pairs["actor"].isin(wanted), "actor_acled"])


def actor_vocabulary(roles: pd.DataFrame) -> list[str]:
    """Every actor name a filter may use: the readable names and the ACLED forms beside them, sorted.

    ``"Military Forces of Tajikistan (1994-)"`` is a valid filter value even with no import
    loaded: it selects the curated events coded with that ACLED form (see
    :func:`geo.query.filters.apply_filters`). The sidebar, the URL (``?actor=``) and the CLI
    (``--actor``) all check against this one list.
    """
    names = set(roles["actor"].dropna().astype(str))
    if "actor_acled" in roles:
        names |= set(roles["actor_acled"].dropna().astype(str))
    return sorted(n for n in names if n.strip())


def near_actor_names(name: str, known, limit: int = 3) -> list[str]:
    """Up to ``limit`` known names close to ``name``: case-insensitive containment first, then spelling.

    ``"tajikistan"`` finds ``"Tajikistan (government)"``; ``"Military Forces of Tajikistan"``
    finds ``"Military Forces of Tajikistan (1994-)"``; a misspelling ("Talibn") finds the
    nearest spellings (:func:`difflib.get_close_matches`, cutoff 0.6).
    """
    from difflib import get_close_matches

    known = list(known)
    folded = {k.casefold(): k for k in known}
    q = " ".join(str(name).split()).casefold()
    hits = [k for k in known if q and (q in k.casefold() or k.casefold() in q)]
    hits += [folded[m] for m in get_close_matches(q, list(folded), n=limit, cutoff=0.6)]
    return list(dict.fromkeys(hits))[:limit]


def unknown_actors_message(unknown, known) -> str:
    """One line for actor names that are not in the data, naming the near matches of each.

    ``"unknown actor(s) ['Talibn']; near matches: 'Talibn' → 'Taliban (Afghanistan)'"``;
    without any near match it says how many names are known instead of listing them all.
    """
    known = list(known)
    near = []
    for name in unknown:
        hits = near_actor_names(name, known)
        if hits:
            near.append(f"{name!r} → " + ", ".join(repr(h) for h in hits))
    tail = (
        "; near matches: " + "; ".join(near)
        if near
        else f"; no near match among the {len(known)} actor names in the data"
    )
    return f"unknown actor(s) {list(unknown)}" + tail
