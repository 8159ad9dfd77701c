"""Dataset names in the store: the rule, the check that names what is wrong, and a valid name made from a file name.

Names prefix imported event ids (``"<dataset>:<source id>"``) and name the
files on disk, so :func:`check_name` refuses anything that could escape the
store folder or clash with the reserved name ``curated``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from geo.data.columns import CURATED_DATASET
from geo.data.store_files import StoreError

NAME_MAX = 40
#: Dataset names: lower-case letters, digits, ``-`` and ``_``; they prefix event ids.
NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
NAME_RULE = f"use 1–{NAME_MAX} lower-case letters, digits, '-' or '_', starting with a letter or digit"
RESERVED = frozenset({CURATED_DATASET})


def check_name(name: str) -> str:
    """Return ``name`` if it is a valid, unreserved dataset name; else raise :class:`StoreError`.

    The message says what is wrong (empty, too long, a control character, a path
    separator, a leading dot …) and what is allowed; the name is shown escaped.
    """
    if not isinstance(name, str) or not name:
        raise StoreError(f"the dataset name is empty: {NAME_RULE}")
    shown = repr(name[:60]) + ("…" if len(name) > 60 else "")
    why = None
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in name):
        why = "it contains a control character (newline, tab, NUL …)"
    elif "/" in name or "\\" in name or os.sep in name:
        why = "it contains a path separator"
    elif name.startswith("."):
        why = "it starts with a dot"
    elif ".." in name:
        why = "it contains '..'"
    elif len(name) > NAME_MAX:
        why = f"it is too long ({len(name)} characters; at most {NAME_MAX})"
    elif name != name.lower() and NAME_RE.fullmatch(name.lower()):
        why = "it has upper-case letters"
    elif not NAME_RE.fullmatch(name):
        why = (
            "it has characters other than a-z, 0-9, '-' and '_'"
            if name[0].isalnum()
            else ("it does not start with a letter or digit")
        )
    if why:
        raise StoreError(f"dataset name {shown} is not allowed: {why}; {NAME_RULE}")
    if name in RESERVED:
        raise StoreError(f"dataset name {name!r} is reserved for the curated records")
    return name


def suggest_name(filename: str) -> str:
    """A valid dataset name made from a file name (``ACLED Afghanistan 2024.csv`` → ``acled-afghanistan-2024``)."""
    base = Path(filename).name
    if base.lower().endswith((".gz", ".zip")):  # acled.csv.gz → acled, not acled-csv
        base = base.rsplit(".", 1)[0]
    stem = Path(base).stem.lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-_")[:NAME_MAX].strip("-_")
    slug = slug or "dataset"
    return slug if slug not in RESERVED else f"{slug}-import"
