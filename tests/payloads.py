"""One shared list of hostile text, for every test that checks a renderer or a sink keeps data inert.

Import :data:`PAYLOADS` (with :data:`PAYLOAD_IDS` for test ids), or build a whole data set
whose every text field is one payload with :func:`payload_bundle`, rather than writing a new
list: a sink tested against this list is tested against every class of trick at once.
"""

from __future__ import annotations

from dataclasses import replace

#: (name, text): one per class of trick a renderer or sink could fall for.
PAYLOAD_CASES: tuple[tuple[str, str], ...] = (
    ("html-script", "<script>alert(1)</script>"),
    ("html-img", '<img src=x onerror="alert(1)">'),
    ("html-entity", "&lt;b&gt; &amp; &#60;"),
    ("md-link", "[Session expired - sign in again](http://evil.example/login)"),
    ("md-image", "![t](http://evil.example/x.png)"),
    ("md-bold", "**OFFICIAL** _notice_ `code` # heading"),
    ("st-directive", ":red[**OFFICIAL NOTICE**] :material/warning: :smile:"),
    ("js-url", "javascript:alert(document.cookie)"),
    ("deck-expr", "@@=x()"),
    ("deck-const", "@@#ZZZ"),
    ("deck-enum", "@@#GL.ONE"),
    ("deck-type", "@@type"),
    ("deck-function", "@@function"),
    ("formula-hyperlink", '=HYPERLINK("http://evil.example","click")'),
    ("formula-plus", "+cmd|' /C calc'!A0"),
    ("formula-minus", "-2+3"),
    ("formula-at", "@SUM(A1:A9)"),
    ("formula-tab", "\t=1+1"),
    ("formula-cr", "\r=1+1"),
    ("formula-fullwidth", "\uff1d1+1"),
    ("formula-space", "  =1+1"),
    ("bidi", "\u202eevil\u202c gnp.exe"),
    ("nul", "a\x00b"),
    ("control", "bell\x07 esc\x1b[31m red"),
    ("newline", "line one\nline two\r\nline three"),
    ("math", "$x^2$ and \\frac{1}{2} $"),
    ("long", "long " * 4000 + "end"),
    ("long-word", "x" * 5000),
)
PAYLOADS: tuple[str, ...] = tuple(text for _, text in PAYLOAD_CASES)
PAYLOAD_IDS: tuple[str, ...] = tuple(name for name, _ in PAYLOAD_CASES)
#: Payloads a spreadsheet would run as a formula (each must be neutralised in a CSV).
FORMULA_PAYLOADS = tuple(t for n, t in PAYLOAD_CASES if n.startswith(("formula", "deck")))

#: Event fields that carry free text (ids included: imported ids come from the file).
EVENT_TEXT_FIELDS = (
    "event_id",
    "location",
    "admin1",
    "admin2",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "notes",
    "source",
    "date_basis",
    "location_basis",
    "casualty_basis",
    "sub_event_type",
    "event_type",
)
CLAIM_TEXT_FIELDS = ("speaker", "speaker_body", "stance", "about", "claim", "quote")


def payload_bundle(bundle, payload: str, places: bool = True, actors: bool = False):
    """The bundle with every event and claim text field set to ``payload``.

    Event ids become ``payload + "#<n>"`` (still unique, still starting with the
    payload) and claims and actor roles follow them; with ``places`` the
    gazetteer names are the payload too (they reach the map labels); with
    ``actors`` every actor of the roles table is the payload, so
    ``Filters(actors=(payload,))`` selects every event and the filter summary
    (subtitles, footers, file metadata) carries the payload.
    """
    ev = bundle.events.copy()
    ids = [f"{payload}#{i}" for i in range(len(ev))]
    id_map = dict(zip(ev["event_id"], ids, strict=True))
    for col in EVENT_TEXT_FIELDS:
        if col in ev.columns:
            ev[col] = ids if col == "event_id" else payload
    claims = bundle.claims.copy()
    claims["event_id"] = claims["event_id"].map(id_map)
    for col in CLAIM_TEXT_FIELDS:
        claims[col] = payload
    roles = bundle.roles.copy()
    roles["event_id"] = roles["event_id"].map(id_map)
    if actors:
        roles["actor"] = payload
    out = replace(bundle, events=ev, claims=claims, roles=roles)
    if places:
        pl = bundle.places.copy()
        pl["name"] = payload
        out = replace(out, places=pl)
    return out


def mixed_bundles(bundle, payloads=PAYLOADS):
    """Bundles that together put every payload in every text field of some event (and claim).

    Event ``i`` of bundle ``k`` carries payload ``k * n_events + i`` (cycled) in every
    text field, so a renderer that is slow per call sees the whole list in a few calls.
    """
    n = len(bundle.events)
    out = []
    for k in range(-(-len(payloads) // n)):
        ev = bundle.events.copy()
        texts = [payloads[(k * n + i) % len(payloads)] for i in range(n)]
        ids = [f"{t[:40]}#{k}-{i}" for i, t in enumerate(texts)]
        id_map = dict(zip(ev["event_id"], ids, strict=True))
        by_id = dict(zip(ids, texts, strict=True))
        for col in EVENT_TEXT_FIELDS:
            if col in ev.columns and col != "event_id":
                ev[col] = texts
        ev["event_id"] = ids
        claims = bundle.claims.copy()
        claims["event_id"] = claims["event_id"].map(id_map)
        for col in CLAIM_TEXT_FIELDS:
            claims[col] = claims["event_id"].map(by_id)
        roles = bundle.roles.copy()
        roles["event_id"] = roles["event_id"].map(id_map)
        out.append(replace(bundle, events=ev, claims=claims, roles=roles))
    return out
