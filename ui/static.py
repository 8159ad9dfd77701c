"""Large deck data served as files: Streamlit's static folder, content-addressed.

The live maps' province fills, rivers and border lines are the same on every rerun of every
page; inline, they are ~115 KB of JSON that Streamlit sends, and the browser parses and walks,
each time. With ``server.enableStaticServing`` (``.streamlit/config.toml``) they are written once
to ``static/decks/<digest>.json`` beside ``app.py`` and fetched by deck.gl from the same server
(offline: nothing leaves the machine), which the browser caches. The folder is derived and
git-ignored; the oldest files go when it holds more than :data:`MAX_FILES`.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import time
from pathlib import Path

import pydeck as pdk
import streamlit as st

from geo.render.deck import publish_layer_data

#: Streamlit serves ``<folder of app.py>/static`` at ``app/static/``.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "decks"
URL_PREFIX = "app/static/decks/"
#: Files kept (a shaded map or a filter makes new data; each file is 1–100 KB).
MAX_FILES = 256


def _publish(payload: bytes) -> str:
    name = hashlib.blake2b(payload, digest_size=16).hexdigest() + ".json"
    path = STATIC_DIR / name
    if not path.exists():
        STATIC_DIR.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a browser never fetches half a file.
        fd, tmp = tempfile.mkstemp(dir=STATIC_DIR, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
        _prune()
    else:
        path.touch()  # recently used: pruned last
    return URL_PREFIX + name


def _prune() -> None:
    files = sorted(STATIC_DIR.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in files[: max(0, len(files) - MAX_FILES)]:
        old.unlink(missing_ok=True)


def served(deck: pdk.Deck) -> pdk.Deck:
    """``deck`` with its large layer data sent by URL when the server serves static files,
    else unchanged (inline: a server without static serving, or a folder we cannot write)."""
    if not st.get_option("server.enableStaticServing"):
        return deck
    try:
        return publish_layer_data(deck, _publish)
    except OSError:
        return deck


#: Large exports built to disk and served from here (streamed by the server, never held in memory).
EXPORT_DIR = Path(__file__).resolve().parent.parent / "static" / "exports"
EXPORT_URL_PREFIX = "app/static/exports/"
#: An export file is removed this long after it was built (seconds).
EXPORT_TTL_S = 3600


def export_path(file_name: str) -> tuple[Path, str]:
    """A new, unguessable place for one export: (path to write, URL to fetch it from).

    ``file_name`` is ours (``panjwatch-<years>-<version>-events.csv.gz``), never a user's;
    the random folder keeps one session's file from another's. Old exports are removed first.
    """
    if not st.get_option("server.enableStaticServing"):
        raise OSError("static serving is off: large exports need server.enableStaticServing")
    _prune_exports()
    token = secrets.token_urlsafe(16)
    folder = EXPORT_DIR / token
    folder.mkdir(parents=True, exist_ok=False)
    return folder / file_name, f"{EXPORT_URL_PREFIX}{token}/{file_name}"


def _prune_exports() -> None:
    if not EXPORT_DIR.is_dir():
        return
    cutoff = time.time() - EXPORT_TTL_S
    for folder in EXPORT_DIR.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                for f in folder.iterdir():
                    f.unlink(missing_ok=True)
                folder.rmdir()
        except OSError:
            continue
