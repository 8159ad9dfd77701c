"""The hostile-input corpus (tests/hostile_corpus.py) through the importer, the CLI and the app.

For every case: no traceback; one clear message and the store unchanged, or rows
read = imported + rejected with every rejection naming its row and field (and
the ones the generator knows about present); data text imported unchanged; CLI
output with every control character escaped.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_corpus import TEXT_FIELDS, Case, corpus, sizes  # noqa: E402

from geo.data.importers import NotCSVError, import_file  # noqa: E402
from geo.data.paths import REPO_ROOT  # noqa: E402
from geo.data.store import Store, StoreError  # noqa: E402

CASES = corpus()
#: File fields of the text cases → the event column they land in (as is, trimmed).
LANDS_IN = {
    "acled": {
        "actor1": "actor1",
        "actor2": "actor2",
        "assoc_actor_1": "assoc_actor_1",
        "assoc_actor_2": "assoc_actor_2",
        "location": "location",
        "notes": "notes",
        "source": "source",
        "admin1": "admin1",
        "admin2": "admin2",
        "country": "country",
        "sub_event_type": "sub_event_type",
        "inter1": "inter1",
        "inter2": "inter2",
    },
    "ucdp": {
        "side_a": "actor1",
        "side_b": "actor2",
        "where_coordinates": "location",
        "source_office": "source",
        "adm_1": "admin1",
        "adm_2": "admin2",
        "country": "country",
    },
}
# Raw control characters that must never reach a terminal from file data.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _snapshot(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """A store that already holds one good dataset: a failed import must leave it byte for byte."""
    root = tmp_path_factory.mktemp("base") / "store"
    import_file(REPO_ROOT / "tests" / "fixtures" / "acled_current.csv", "acled", "base", store=Store(root))
    return root


def _fresh(base_store: Path, tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(base_store, root)
    return root


def _check_outcome(case: Case, out, before: dict, root: Path) -> None:
    assert case.expect != "message", f"{case.name}: expected one message, got {out.summary()}"
    assert out.rows_read == out.loaded + out.rejected_rows, out.summary()
    if case.rows is not None:
        assert out.rows_read == case.rows, out.summary()
    rej = out.rejects
    assert rej["row"].between(2, out.rows_read + 1).all() or rej.empty, rej.to_string()
    assert (rej["field"].astype(str).str.len() > 0).all() and (rej["problem"].str.len() > 0).all()
    for r, f in case.rejects:
        hit = (rej["row"] == r) & (rej["field"] == f)
        assert hit.any(), f"{case.name}: no rejection for row {r} field {f}:\n{rej.to_string()}"
    after = _snapshot(root)
    if out.info is None:
        assert after == before, "nothing imported, yet the store changed"
    else:
        assert {k: v for k, v in after.items() if k.startswith("base.")} == {
            k: v for k, v in before.items() if k.startswith("base.")
        }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_import_file(case: Case, base_store, tmp_path):
    root = _fresh(base_store, tmp_path)
    before = _snapshot(root)
    try:
        out = import_file(case.data, case.fmt, case.dataset, store=Store(root))
    except (NotCSVError, StoreError) as exc:
        msg = str(exc)
        assert case.expect != "rows" or case.rows is None, f"{case.name}: refused whole: {msg}"
        assert msg and "\n" not in msg and len(msg) < 600, msg
        assert _snapshot(root) == before
        return
    _check_outcome(case, out, before, root)
    if case.payload is not None and out.info is not None:
        ev = Store(root).read(case.dataset) if hasattr(Store(root), "read") else None
        ev = ev if ev is not None else pd.read_parquet(out.info.path)
        first = ev[ev["source_row"] == 2]
        assert len(first) == 1, f"{case.name}: the row with the payload in every text field was not imported"
        want = case.payload.strip()
        for src, col in LANDS_IN[case.fmt].items():
            assert src in TEXT_FIELDS[case.fmt]
            assert str(first.iloc[0][col]) == want, f"{case.name}: {col} changed: {first.iloc[0][col]!r}"
        ids = set(ev["event_id"].astype(str))
        assert f"{case.dataset}:{(case.payload + '#2').strip()}" in ids


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli(case: Case, base_store, tmp_path, capsys):
    from geo.cli.main import main

    root = _fresh(base_store, tmp_path)
    before = _snapshot(root)
    path = tmp_path / f"{case.name}.csv"
    path.write_bytes(case.data)
    rc = main(
        ["import", "--format", case.fmt, str(path), "--dataset", case.dataset, "--store", str(root), "-q"]
    )
    out, err = capsys.readouterr()
    assert rc in (0, 1, 2)
    assert "Traceback" not in out + err and "unexpected error" not in err, err
    assert not RAW_CONTROL.search(out + err), f"raw control character on the terminal: {(out + err)[:300]!r}"
    if rc != 0:
        assert _snapshot(root) == before
        assert err.strip() or "nothing imported" in out
    if case.expect == "message":
        assert rc != 0
    if case.klass == "names":
        assert rc == 2 and err.count("\n") == 1


def test_corpus_is_deterministic_and_covers_every_class():
    again = corpus()
    assert [c.data for c in again] == [c.data for c in CASES]
    assert set(sizes()) == {"structure", "encoding", "extreme", "names", "text"}
    assert all(n >= 9 for n in sizes().values())


def test_unclosed_quote_says_what_happened(base_store, tmp_path):
    case = next(c for c in CASES if c.name == "acled-unclosed-quote-row-5")
    out = import_file(case.data, "acled", "q", store=Store(_fresh(base_store, tmp_path)))
    problem = out.rejects.set_index("row").loc[5, "problem"]
    assert "unbalanced quote" in problem and "3 more line(s)" in problem
    assert (out.rows_read, out.loaded, out.rejected_rows) == (4, 3, 1)


def test_every_page_renders_after_importing_every_accepted_case(tmp_path, monkeypatch):
    from apptest import run_app

    root = tmp_path / "store"
    store = Store(root)
    kept = 0
    for i, case in enumerate(c for c in CASES if c.klass in ("text", "extreme", "structure", "encoding")):
        try:
            out = import_file(case.data, case.fmt, f"h{i}", store=store)
        except (NotCSVError, StoreError):
            continue
        kept += out.info is not None
    assert kept >= 40
    monkeypatch.setenv("PANJWATCH_STORE", str(root))
    for page in (
        "pages/briefing.py",
        "pages/regional_map.py",
        "pages/sector_map.py",
        "pages/incidents.py",
        "pages/timeline.py",
        "pages/sources.py",
        "pages/import_data.py",
    ):
        run_app(page=page)


def _upload_sample() -> list[Case]:
    """Per class and format: the first case, every name case's first (a hostile dataset name),
    and one payload case; enough to drive every path of the upload page at AppTest's cost."""
    seen, out = set(), []
    for case in CASES:
        key = (case.klass, case.fmt, case.payload is not None)
        if key not in seen:
            seen.add(key)
            out.append(case)
    return out


UPLOADS = _upload_sample()


@pytest.mark.parametrize("case", UPLOADS, ids=[c.name for c in UPLOADS])
def test_upload_page(case: Case, base_store, tmp_path, monkeypatch):
    """The corpus through the Import page's uploader: no traceback, the outcome on the page agrees
    with the importer (rows read = imported + rejected), or one message and the store unchanged."""
    from apptest import run_app

    root = _fresh(base_store, tmp_path)
    monkeypatch.setenv("PANJWATCH_STORE", str(root))
    before = _snapshot(root)
    at = run_app(page="pages/import_data.py")
    at.file_uploader(key="import-file").set_value((f"{case.name}.csv", case.data, "text/csv")).run()
    at.radio(key="import-format").set_value(case.fmt).run()
    name_box = next(t for t in at.text_input if t.label == "Dataset name")
    name_box.set_value(case.dataset).run()
    at.button(key="import-go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics: dict[str, int] = {}
    for m in at.metric:  # the outcome's metrics come first; the stored datasets' follow
        if m.label in {"Rows read", "Events imported", "Rows rejected"}:
            metrics.setdefault(m.label, int(m.value.replace(",", "")))
    if "Events imported" in metrics:  # an outcome (a stored dataset has "Rows read" only)
        assert metrics["Rows read"] == metrics["Events imported"] + metrics["Rows rejected"], metrics
        if case.rows is not None:
            assert metrics["Rows read"] == case.rows
        if metrics["Events imported"] == 0:
            assert _snapshot(root) == before
    else:  # refused whole: one message, nothing written
        assert case.expect == "message" or case.rows is None, f"{case.name}: refused whole on the page"
        assert at.error and at.error[0].value.strip()
        assert _snapshot(root) == before
    # Whatever the file held, no page shows it as live markup afterwards.
    for page in ("pages/incidents.py", "pages/regional_map.py"):
        after = run_app(page=page)
        assert not after.exception
