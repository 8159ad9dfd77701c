"""One settings declaration (issue 11): the README table, the readers, and the live bundle.

Every ``PANJWATCH_*`` variable is declared in :mod:`geo.data.settings`; the README's
table is generated from it, and no module in the app reads one any other way.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from geo.data.bundle import LiveBundle, Settings
from geo.data.paths import DATA_DIR, REPO_ROOT
from geo.data.settings import VARIABLES, env, readme_table

APP_CODE = [
    *(REPO_ROOT / "geo").rglob("*.py"),
    *(REPO_ROOT / "ui").rglob("*.py"),
    *(REPO_ROOT / "pages").rglob("*.py"),
]
APP_CODE.append(REPO_ROOT / "app.py")


def test_readme_settings_table_is_the_declaration():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "README's Settings table differs; paste geo.data.settings.readme_table()"


def test_every_variable_named_anywhere_is_declared():
    declared = {v.name for v in VARIABLES}
    files = [*APP_CODE, *(REPO_ROOT / "tests").glob("*.py"), *(REPO_ROOT / "bench").glob("*.py")]
    named = {m for f in files for m in re.findall(r"PANJWATCH_[A-Z_]+", f.read_text(encoding="utf-8"))}
    assert named - declared == set(), "undeclared settings"


def test_app_reads_settings_only_through_env():
    direct = re.compile(r"os\.(?:environ|getenv)[^\n]*PANJWATCH_|environ\.get\(\s*[A-Z_]*ENV")
    offenders = [
        str(f.relative_to(REPO_ROOT))
        for f in APP_CODE
        if f.name != "settings.py" and direct.search(f.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("value, expected", [("", None), ("/x/y", "/x/y"), (None, None)])
def test_env_empty_counts_as_unset(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("PANJWATCH_DATA", raising=False)
    else:
        monkeypatch.setenv("PANJWATCH_DATA", value)
    assert env("PANJWATCH_DATA") == expected


def test_env_refuses_an_undeclared_name():
    with pytest.raises(KeyError, match="not a declared setting"):
        env("PANJWATCH_" + "NOPE")  # built, so the scan above does not see it


@pytest.mark.parametrize(
    "var, attr, make",
    [
        ("PANJWATCH_DATA", "data_dir", lambda tmp: tmp),
        ("PANJWATCH_STORE", "store_root", lambda tmp: tmp / "store"),
        ("PANJWATCH_SEEDS", "seeds_dir", lambda tmp: tmp),
    ],
)
def test_settings_from_env_reads_each_variable(monkeypatch, tmp_path, var, attr, make):
    monkeypatch.setenv(var, str(make(tmp_path)))
    assert Path(getattr(Settings.from_env(), attr)) == make(tmp_path)


def test_settings_from_env_defaults(monkeypatch):
    for v in ("PANJWATCH_DATA", "PANJWATCH_STORE"):
        monkeypatch.delenv(v, raising=False)
    s = Settings.from_env()
    assert s.data_dir == DATA_DIR and s.store_root == REPO_ROOT / "local" / "store"


def test_a_seeds_setting_that_does_not_exist_checks_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("PANJWATCH_SEEDS", str(tmp_path / "missing"))
    assert Settings.from_env().seeds_dir is None


def test_live_bundle_rebuilds_only_when_a_file_changes(tmp_path):
    catalogue = tmp_path / "catalogue.csv"
    shutil.copy(REPO_ROOT / "seeds" / "catalogue.csv", catalogue)
    live = LiveBundle(Settings(catalogue=catalogue, store_root=tmp_path / "store", seeds_dir=None))
    assert live.stale()
    first = live.get()
    assert not live.stale() and live.get() is first
    st = catalogue.stat()
    os.utime(catalogue, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # an edited catalogue
    assert live.stale()
    second = live.get()
    assert second is not first and live.get() is second
    assert len(second.bundle.events) == len(first.bundle.events)
