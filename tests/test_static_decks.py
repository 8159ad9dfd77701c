"""Large context layers go by URL (geo.render.deck.publish_layer_data, ui/static.py)."""

from __future__ import annotations

import json

import pydeck as pdk
import pytest

from geo.render.deck import PUBLISH_MIN_BYTES, draw, publish_layer_data
from geo.scene.build import build_scene
from geo.scene.request import MapRequest


def _store():
    files: dict[str, bytes] = {}

    def publish(payload: bytes) -> str:
        url = f"app/static/decks/{len(files)}.json"
        files[url] = payload
        return url

    return files, publish


@pytest.mark.parametrize("page", ["regional", "sector"])
def test_large_context_layers_go_by_url_and_pickable_ones_stay_inline(bundle, page):
    deck = draw(build_scene(bundle, MapRequest(page=page)))
    before = {lyr.id: json.dumps(lyr.data, sort_keys=True, separators=(",", ":")) for lyr in deck.layers}
    files, publish = _store()
    publish_layer_data(deck, publish)
    spec = json.loads(deck.to_json())
    assert len(deck.to_json()) <= 40_000  # issue 13's goal for the default view
    for lyr in deck.layers:
        if isinstance(lyr.data, str):
            assert not lyr.pickable and len(before[lyr.id]) >= PUBLISH_MIN_BYTES
            assert json.loads(files[lyr.data]) == json.loads(before[lyr.id])  # the same data, elsewhere
        else:
            assert lyr.pickable or len(before[lyr.id]) < PUBLISH_MIN_BYTES
    assert {"provinces", "rivers", "border"} <= {
        lyr["id"] for lyr in spec["layers"] if isinstance(lyr["data"], str)
    }
    assert not isinstance(next(lyr for lyr in deck.layers if lyr.id == "events").data, str)


def test_equal_data_gives_equal_bytes():
    big = [{"path": [[70.0 + i / 1000, 37.0]], "name": "x"} for i in range(400)]
    payloads = []
    for _ in range(2):
        deck = pdk.Deck(layers=[pdk.Layer("PathLayer", id="rivers", data=[dict(r) for r in big])])
        publish_layer_data(deck, lambda b: payloads.append(b) or "u")
    assert payloads[0] == payloads[1]


def test_static_folder_is_content_addressed_and_pruned(tmp_path, monkeypatch):
    from ui import static

    monkeypatch.setattr(static, "STATIC_DIR", tmp_path / "decks")
    monkeypatch.setattr(static, "MAX_FILES", 3)
    urls = [static._publish(f'{{"n":{i}}}'.encode()) for i in range(5)]
    assert len(set(urls)) == 5 and all(u.startswith(static.URL_PREFIX) for u in urls)
    assert static._publish(b'{"n":4}') == urls[4]  # same bytes, same name
    kept = sorted(p.name for p in (tmp_path / "decks").glob("*.json"))
    assert len(kept) == 3 and urls[4].rsplit("/", 1)[1] in kept
    assert not list((tmp_path / "decks").glob("*.tmp"))
