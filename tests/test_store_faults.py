"""Store faults: corrupted files, concurrent writers, kills, read-only folders, a full disk, bad names.

Every fault gives a message naming the dataset and the cause; the other
datasets and the curated data keep working.
"""

from __future__ import annotations

import errno
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import storekit as kit

from geo.cli.main import main
from geo.data.bundle import Settings, build_bundle, merge_store
from geo.data.paths import REPO_ROOT
from geo.data.store import Store, StoreError
from geo.data.store_names import check_name

GOOD = [{"lat": kit.KHWAHAN[0], "lon": kit.KHWAHAN[1], "id": j} for j in range(3)]
OTHER = [{"lat": 37.1, "lon": 69.6, "admin1": "Takhar", "id": j} for j in range(5)]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "store")
    kit.put(s, "good", GOOD)
    kit.put(s, "victim", OTHER)
    return s


def _rewrite_meta(path: Path, **changes) -> None:
    t = pq.read_table(path)
    import json

    meta = json.loads(t.schema.metadata[b"panjwatch"])
    meta.update(changes)
    pq.write_table(
        t.replace_schema_metadata({**t.schema.metadata, b"panjwatch": json.dumps(meta).encode()}), path
    )


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _garbage_mid_file(p: Path) -> None:
    data = bytearray(p.read_bytes())
    # Past the magic, inside the first column chunks: ZSTD fails to decompress, the footer reads fine.
    for i in range(8, min(len(data) // 2, 4000)):
        data[i] = 0x5A
    p.write_bytes(bytes(data))


def _drop_column(p: Path) -> None:
    t = pq.read_table(p)
    meta = t.schema.metadata
    t = t.drop_columns(["source_tier"]).replace_schema_metadata(meta)
    pq.write_table(t, p)


def _foreign(p: Path) -> None:
    pq.write_table(pa.table({"x": [1, 2]}), p)


def _bad_dtype(p: Path) -> None:
    t = pq.read_table(p)
    meta = t.schema.metadata
    i = t.schema.get_field_index("fatalities")
    t = t.set_column(i, "fatalities", pa.array(["many"] * len(t))).replace_schema_metadata(meta)
    pq.write_table(t, p)


CORRUPTIONS = {
    "truncated": (_truncate, "not a readable Parquet file"),
    "garbage mid-file": (_garbage_mid_file, "cannot be read"),
    "foreign parquet": (_foreign, "without Panj Watch metadata"),
    "missing source_tier": (_drop_column, "source_tier"),
    "rows is text": (lambda p: _rewrite_meta(p, rows="many"), "'rows'"),
    "older schema": (lambda p: _rewrite_meta(p, schema=0), "schema 0"),
    "bad dtype": (_bad_dtype, "fatalities"),
    "rows mismatch": (lambda p: _rewrite_meta(p, rows=99), "metadata says 99"),
}


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_a_corrupted_dataset_is_set_aside_with_its_cause(bundle, store, case):
    corrupt, cause = CORRUPTIONS[case]
    corrupt(store.path("victim"))
    merged, notices, included = merge_store(bundle, store)
    assert included == ("good",)
    assert (merged.events["dataset"].astype(str) == "good").sum() == len(GOOD)
    problems = store.problems() + notices
    assert len(problems) == 1 and problems[0].startswith("dataset victim"), problems
    assert cause in problems[0], problems
    # The Import page lists it and can delete it.
    assert "victim" in [e.name for e in store.listing()]
    store.delete("victim")
    assert [e.name for e in store.listing()] == ["good"]


@pytest.mark.parametrize(
    "content", [b"\x00\xff\xfe garbage", b"row,field\n1,x\n", b"row,field,value,problem\nabc,x,y,z\n"]
)
def test_a_corrupted_rejects_file_gives_a_message(store, content):
    store.rejects_path("good").write_bytes(content)
    with pytest.raises(StoreError, match="rejection report good.rejects.csv"):
        store.rejects("good")
    assert len(store.read("good")) == len(GOOD)


def test_rejects_file_is_formula_safe_and_numbers_stay_numbers(tmp_path):
    s = Store(tmp_path / "s")
    rejects = pd.DataFrame(
        {
            "row": [2, 3, 4],
            "field": ["notes", "latitude", "actor1"],
            "value": ['=HYPERLINK("http://x")', "-91.5", "@SUM(A1)"],
            "problem": ["+cmd", "out of range", "ok"],
        }
    )
    kit.put(s, "mine", GOOD, rejects=rejects)
    text = s.rejects_path("mine").read_text()
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'+cmd" in text
    assert ",-91.5," in text
    back = s.rejects("mine")
    assert list(back["row"]) == [2, 3, 4] and back.loc[1, "value"] == "-91.5"


BAD_NAMES = {
    "": "empty",
    "abc\n": "control character",
    "a\x00b": "control character",
    "a/b": "path separator",
    "..": "starts with a dot",
    "a..b": "'..'",
    ".hidden": "starts with a dot",
    "a\x1b[31m": "control character",
    "x" * 41: "too long",
    "Upper": "upper-case",
    "a b": "characters other than",
    "-dash": "does not start",
    "curated": "reserved",
}


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_bad_dataset_names_say_what_is_allowed(name):
    with pytest.raises(StoreError) as exc:
        check_name(name)
    msg = str(exc.value)
    assert BAD_NAMES[name] in msg
    assert "\n" not in msg and "\x1b" not in msg and "\x00" not in msg
    if name != "curated":
        assert "lower-case letters, digits" in msg


def test_cli_refuses_an_empty_dataset_name(tmp_path, capsys):
    src = REPO_ROOT / "tests" / "fixtures" / "acled_current.csv"
    code = main(
        ["import", "--format", "acled", str(src), "--dataset", "", "--store", str(tmp_path / "s"), "-q"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "dataset name is empty" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s").exists() or not list((tmp_path / "s").glob("*.parquet"))


def test_one_writer_per_name_and_each_reports_its_own_data(tmp_path):
    s = Store(tmp_path / "s")
    kit.put(s, "same", GOOD)
    results = {}

    def write(tag, rows):
        try:
            results[tag] = kit.put(s, "same", rows, replace=True)
        except StoreError as exc:
            results[tag] = exc

    threads = [threading.Thread(target=write, args=(t, rows)) for t, rows in (("a", GOOD), ("b", OTHER))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = {"a": len(GOOD), "b": len(OTHER)}
    for tag, res in results.items():
        assert not isinstance(res, StoreError), res
        assert res.rows == rows[tag]  # its own rows, never the other import's
    assert len(s.read("same")) in rows.values()
    assert not [p for p in s.root.iterdir() if p.name.endswith(".tmp")]


def test_a_held_lock_gives_a_message(tmp_path, monkeypatch):
    s = Store(tmp_path / "s")
    monkeypatch.setattr("geo.data.store.LOCK_WAIT_S", 0.2)
    with s.lock("busy"), pytest.raises(StoreError, match="being written by another import"):
        kit.put(s, "busy", GOOD)
    assert not s.exists("busy")


KILL_SCRIPT = """
import os, signal, sys
sys.path.insert(0, {tests!r})
import pyarrow.parquet as pq
import storekit as kit
from geo.data.store import Store

def half(table, where, **kw):
    where.write(b"PAR1" + b"x" * 200_000)
    where.flush()
    os.kill(os.getpid(), signal.SIGKILL)

pq.write_table = half
kit.put(Store({root!r}), {name!r}, kit.GOOD_ROWS, replace=True)
"""


@pytest.mark.parametrize("name", ["good", "fresh"])
def test_sigkill_mid_write_leaves_the_store_as_it_was(bundle, store, name):
    before = store.path("good").read_bytes()
    kit.GOOD_ROWS = GOOD
    script = KILL_SCRIPT.format(tests=str(REPO_ROOT / "tests"), root=str(store.root), name=name)
    script = script.replace("kit.GOOD_ROWS", repr(GOOD))
    res = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert res.returncode == -9, res.stderr
    assert store.path("good").read_bytes() == before
    assert [e.name for e in store.listing()] == ["good", "victim"]
    leftovers = [p for p in store.root.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].stat().st_size > 100_000
    opened = build_bundle(Settings(store_root=store.root))
    assert any("removed" in n and "interrupted import" in n for n in opened.notices), opened.notices
    assert not [p for p in store.root.iterdir() if p.name.endswith(".tmp")]
    assert set(opened.datasets) == {"good", "victim"}


def test_full_disk_gives_a_message_and_keeps_the_store(store, monkeypatch):
    before = store.path("good").read_bytes()

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device", str(store.root / "x.tmp"))

    monkeypatch.setattr("geo.data.store.pq.write_table", full)
    with pytest.raises(StoreError, match="disk is full"):
        kit.put(store, "good", OTHER, replace=True)
    assert store.path("good").read_bytes() == before
    assert not [p for p in store.root.iterdir() if p.name.endswith(".tmp")]


def test_read_only_folder_gives_a_message(store, monkeypatch):
    def denied(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr("geo.data.store.os.replace", denied)
    with pytest.raises(StoreError, match="no permission to write"):
        kit.put(store, "new", GOOD)
    assert not store.exists("new")


def test_store_path_that_is_a_file(bundle, tmp_path):
    f = tmp_path / "store"
    f.write_text("not a folder")
    s = Store(f)
    with pytest.raises(StoreError, match="is a file, not a folder"):
        kit.put(s, "x", GOOD)
    assert s.problems() and "is a file" in s.problems()[0]
    opened = build_bundle(Settings(store_root=f))
    assert any("is a file" in n for n in opened.notices)
    assert len(opened.bundle.events) == len(bundle.events)


def test_cli_full_disk_is_one_line_and_non_zero(tmp_path, monkeypatch, capsys):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "s"))

    monkeypatch.setattr("geo.data.store.pq.write_table", full)
    src = REPO_ROOT / "tests" / "fixtures" / "acled_current.csv"
    code = main(
        ["import", "--format", "acled", str(src), "--dataset", "d", "--store", str(tmp_path / "s"), "-q"]
    )
    err = capsys.readouterr().err
    assert code != 0 and "disk is full" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
