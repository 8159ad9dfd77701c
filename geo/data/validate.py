"""Validate the curated tables, collecting every problem at once.

A problem names the file, the spreadsheet row (the header is row 1, the first
record row 2), the field and the offending value, so a curator can go straight
to the cell. Nothing stops at the first error: a run lists them all.

:func:`check_all` runs every check: the problem type and per-table reading live in
:mod:`geo.data.problems`, the table checks in :mod:`geo.data.check_events`,
:mod:`geo.data.check_claims`, :mod:`geo.data.check_sources` and (the events' own
prose) :mod:`geo.data.check_wording`; the places, statements and coverage checks are here.
"""

from __future__ import annotations

import re
from pathlib import Path

from geo.data.check_claims import _check_claims
from geo.data.check_events import _check_events
from geo.data.check_sources import _check_sources
from geo.data.check_wording import wording_problems
from geo.data.paths import CATALOGUE, DATA_DIR
from geo.data.problems import Problem, _unique, check_table, read_csv_text, row_of
from geo.data.schema import TABLES


def _check_places(places: list[dict], file: str) -> list[Problem]:
    out = _unique(places, "place_id", file)
    for i, p in enumerate(places):
        r = row_of(i)
        lat, lon = p.get("latitude"), p.get("longitude")
        if (lat is None) != (lon is None):
            out.append(Problem(file, r, "latitude", None, "latitude and longitude must be given together"))
        if lat is None and not p.get("shape_ref") and p.get("kind") != "site":
            out.append(
                Problem(
                    file,
                    r,
                    "latitude",
                    None,
                    "a place needs coordinates or a shape_ref (only sites may lack both)",
                )
            )
    out += [
        Problem(file, row_of(i), f, v, m) for i, p in enumerate(places) for f, v, m in ambiguity_problems(p)
    ]
    return out


#: A coordinate pair a place's basis gives farther than this from its point is another
#: candidate for the name, not a survey variant of the same point (km, geodesic).
CANDIDATE_KM = 10.0
_PAIR_RE = re.compile(r"(?<![\d.])(-?\d{1,2}\.\d{2,}),\s*(-?\d{1,3}\.\d{2,})(?![\d.])")


def ambiguity_problems(place: dict) -> list[tuple[str, str | None, str]]:
    """An ambiguous place name says so and its radius contains every candidate point.

    A candidate is a coordinate pair the ``basis`` gives more than :data:`CANDIDATE_KM` from the
    place's point (WGS 84 geodesic distance, km). A place with one must say "ambiguous" in its
    ``name`` and ``basis``; one that says "ambiguous" must give at least one candidate; and
    ``uncertainty_km`` must reach the farthest candidate.
    """
    lat, lon = place.get("latitude"), place.get("longitude")
    if lat is None or lon is None:
        return []
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    basis = place.get("basis") or ""
    far = []
    for a, b in _PAIR_RE.findall(basis):
        plat, plon = float(a), float(b)
        if -90 <= plat <= 90 and -180 <= plon <= 180:
            km = geod.inv(lon, lat, plon, plat)[2] / 1000
            if km > CANDIDATE_KM:
                far.append((km, a, b))
    said = "ambiguous" in basis.casefold()
    out = []
    if far and not (said and "ambiguous" in (place.get("name") or "").casefold()):
        km, a, b = max(far)
        out.append(
            (
                "basis",
                basis,
                f"gives another point for the name ({a}, {b}, {km:.1f} km away): say 'ambiguous name' "
                "in the name and the basis, and what each candidate is",
            )
        )
    if said and not far:
        out.append(("basis", basis, "says the name is ambiguous but gives no other candidate point"))
    radius = place.get("uncertainty_km")
    if far and radius is not None and radius < max(far)[0]:
        km, a, b = max(far)
        out.append(
            (
                "uncertainty_km",
                str(radius),
                f"does not reach the candidate at {a}, {b} ({km:.1f} km away)",
            )
        )
    return out


def check_all(
    data_dir: Path | str = DATA_DIR,
    seeds_dir: Path | str | None = None,
    catalogue: Path | str | None = None,
    *,
    shapes: dict | None = None,
) -> tuple[dict[str, list[dict]], list[Problem]]:
    """Validate events, claims, places and the source catalogue together.

    Parameters
    ----------
    data_dir : path
        Folder holding ``events.csv``, ``claims.csv`` and ``places.csv``.
    seeds_dir : path, optional
        Folder of seed documents; when given, seed checksums and every quote
        are checked against the files. ``None`` skips those checks.
    catalogue : path, optional
        Source catalogue; defaults to ``<data_dir>/../seeds/catalogue.csv``.
    shapes : dict of str to GeoDataFrame, optional
        The frames :func:`geo.data.shapes.load_shapes` read from ``<data_dir>/shapes``, so
        the coverage check does not read ``admin1`` and ``border`` a second time; a
        frame not given is read from its file.

    Returns
    -------
    records : dict of str to list of dict
        Typed records per table (``events``, ``claims``, ``places``, ``sources``).
    problems : list of Problem
        Every problem found; empty when the data is clean.
    """
    data_dir = Path(data_dir)
    beside = data_dir.parent / "seeds" / "catalogue.csv"
    catalogue = Path(catalogue) if catalogue else (beside if beside.is_file() else CATALOGUE)
    seeds = Path(seeds_dir) if seeds_dir else None
    problems: list[Problem] = []
    records: dict[str, list[dict]] = {}
    for table, (fname, schema, _key) in TABLES.items():
        path = catalogue if table == "sources" else data_dir / fname
        label = f"seeds/{fname}" if table == "sources" else f"data/{fname}"
        df, probs = read_csv_text(path, label)
        problems += probs
        if df is None:
            records[table] = []
            continue
        recs, probs = check_table(df, schema, label)
        records[table] = recs
        problems += probs
    by_id = {t: {r[k]: r for r in records[t] if r.get(k)} for t, (_f, _s, k) in TABLES.items()}
    problems += _check_sources(records["sources"], by_id["events"], seeds, "seeds/catalogue.csv")
    problems += _check_places(records["places"], "data/places.csv")
    problems += _check_events(records["events"], by_id["sources"], by_id["places"], "data/events.csv")
    problems += _check_claims(
        records["claims"], by_id["events"], by_id["sources"], by_id["places"], seeds, "data/claims.csv"
    )
    problems += _check_statements(
        records["statements"], records["claims"], by_id["events"], by_id["sources"], "data/statements.csv"
    )
    problems += _check_wording(records["events"], by_id["sources"], seeds, "data/events.csv")
    problems += _check_coverage(
        records["events"], by_id["places"], data_dir / "shapes", "data/events.csv", shapes or {}
    )
    return records, problems


def _check_statements(
    statements: list[dict], claims: list[dict], events: dict[str, dict], sources: dict[str, dict], file: str
) -> list[Problem]:
    """A statement is modelled once: its claims agree with it on speaker, event, source and date."""
    out = _unique(statements, "statement_id", file)
    by_id = {s["statement_id"]: s for s in statements if s.get("statement_id")}
    used: set[str] = set()
    for i, s in enumerate(statements):
        r = row_of(i)
        for sid in s.get("source_ids") or []:
            if sid not in sources:
                out.append(
                    Problem(file, r, "source_ids", sid, "unknown source id (not in seeds/catalogue.csv)")
                )
        for eid in s.get("event_ids") or []:
            if eid not in events:
                out.append(Problem(file, r, "event_ids", eid, "unknown event id (not in events.csv)"))
    cfile = "data/claims.csv"
    for i, c in enumerate(claims):
        st_id = c.get("statement_id")
        if not st_id:
            continue
        r = row_of(i)
        st = by_id.get(st_id)
        if st is None:
            out.append(
                Problem(cfile, r, "statement_id", st_id, "unknown statement id (not in statements.csv)")
            )
            continue
        used.add(st_id)
        if c.get("speaker") != st.get("speaker"):
            out.append(
                Problem(
                    cfile,
                    r,
                    "statement_id",
                    st_id,
                    f"statement {st_id} is by {st.get('speaker')!r}, not {c.get('speaker')!r}",
                )
            )
        if c.get("event_id") not in (st.get("event_ids") or []):
            out.append(
                Problem(
                    cfile,
                    r,
                    "statement_id",
                    st_id,
                    f"statement {st_id} is not about this event ({c.get('event_id')})",
                )
            )
        if c.get("source_id") not in (st.get("source_ids") or []):
            out.append(
                Problem(
                    cfile,
                    r,
                    "statement_id",
                    st_id,
                    f"source {c.get('source_id')} is not among the sources of statement {st_id}",
                )
            )
        sd, cd = st.get("statement_date"), c.get("claim_date")
        if sd is not None and cd is not None and sd != cd:
            out.append(
                Problem(
                    cfile, r, "claim_date", cd.isoformat(), f"statement {st_id} is dated {sd.isoformat()}"
                )
            )
    for i, s in enumerate(statements):
        if s.get("statement_id") and s["statement_id"] not in used:
            out.append(Problem(file, row_of(i), "statement_id", s["statement_id"], "no claim belongs to it"))
    return out


def _check_wording(
    events: list[dict], sources: dict[str, dict], seeds_dir: Path | None, file: str
) -> list[Problem]:
    """What each event's prose credits to a source is the source's (:mod:`geo.data.check_wording`)."""
    texts = {}
    if seeds_dir is not None and seeds_dir.is_dir():
        texts = {
            p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("[0-9][0-9][0-9]_*.txt"))
        }
    return [
        Problem(file, row_of(i), f, v, m)
        for i, e in enumerate(events)
        for f, v, m in wording_problems(e, sources, texts or None)
    ]


def _check_coverage(
    events: list[dict], places: dict[str, dict], shapes_dir: Path, file: str, shapes: dict
) -> list[Problem]:
    """Each ``location_basis`` that states what its radius covers is checked against the shapes."""
    from geo.spatial.uncertainty import COVERAGE_RE, coverage_problem

    stating = [(i, e) for i, e in enumerate(events) if COVERAGE_RE.search(e.get("location_basis") or "")]
    if not stating:
        return []
    admin1_path, border_path = shapes_dir / "admin1.geojson", shapes_dir / "border_ne10m.geojson"
    if not (admin1_path.is_file() and border_path.is_file()):
        return []  # load_shapes reports missing shape files; nothing to measure against here
    import geopandas as gpd

    admin1 = shapes["admin1"] if "admin1" in shapes else gpd.read_file(admin1_path, engine="pyogrio")
    border = shapes["border"] if "border" in shapes else gpd.read_file(border_path, engine="pyogrio")
    out = []
    for i, e in stating:
        if e.get("latitude") is None or e.get("longitude") is None:
            continue
        found = coverage_problem(e, places, admin1, border)
        if found:
            field, msg = found
            out.append(Problem(file, row_of(i), field, str(e.get(field)), msg))
    return out
