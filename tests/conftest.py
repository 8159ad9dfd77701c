"""Shared fixtures: the real bundle, tiny hand-built shapes, and a live app in Chromium.

Browser tests use Debian's Chromium (/usr/bin/chromium) driven by Playwright,
headless with software WebGL; the app runs on a free localhost port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from geo.data.paths import DATA_DIR, REPO_ROOT, default_seeds_dir

CHROMIUM = os.environ.get("PANJWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_PREFIXES = (
    "http://localhost",
    "http://127.0.0.1",
    "ws://localhost",
    "ws://127.0.0.1",
    "data:",
    "blob:",
    "about:",
)


@pytest.fixture(scope="session", autouse=True)
def _empty_import_store(tmp_path_factory):
    """Point the analysts' import store at an empty folder, so a developer's own
    ``local/store`` never leaks into tests (the live app inherits the variable)."""
    old = os.environ.get("PANJWATCH_STORE")
    os.environ["PANJWATCH_STORE"] = str(tmp_path_factory.mktemp("store"))
    yield
    if old is None:
        os.environ.pop("PANJWATCH_STORE", None)
    else:
        os.environ["PANJWATCH_STORE"] = old


@pytest.fixture(scope="session")
def bundle():
    """The bundled data, validated against the seed documents when they are present."""
    from geo.data.load import load_bundle

    return load_bundle(DATA_DIR, default_seeds_dir())


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of ``data/`` and ``seeds/`` (for corrupting); returns the data dir."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    shutil.copytree(REPO_ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "data"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(script: Path, env_extra: dict | None = None, timeout: float = 60.0):
    """Start ``streamlit run script`` on a free port; return (process, base URL)."""
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env_extra or {})}
    # The app is started as users start it (``panjwatch run``), other scripts with streamlit.
    launcher = (
        ["-m", "geo.cli.main", "run"]
        if Path(script).resolve() == (REPO_ROOT / "app.py").resolve()
        else ["-m", "streamlit", "run", str(script)]
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            *launcher,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode()[-2000:]}")
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="session")
def app_url():
    """Base URL of the real app, served on localhost for the whole session."""
    proc, url = start_streamlit(REPO_ROOT / "app.py")
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (software WebGL)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Records every request and console error of a page."""

    # Streamlit's frontend probes "<page path>/_stcore/{health,host-config}" to find its base
    # URL before falling back to the root; those 404s (and their console lines) are expected.
    PROBES = ("/_stcore/health", "/_stcore/host-config")

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.failed: list[str] = []
        self._console: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.failed.append(r.url) if r.status >= 400 else None)
        page.on("console", lambda m: self._console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self._console.append(str(e)))

    @property
    def errors(self) -> list[str]:
        """Console errors, less the resource-load lines of Streamlit's base-URL probes."""
        unexpected = [u for u in self.failed if not u.split("?")[0].endswith(self.PROBES)]
        return [m for m in self._console if unexpected or not m.startswith("Failed to load resource")]

    @property
    def external(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_PREFIXES)]


@pytest.fixture
def page(chromium):
    """A fresh browser page (1400×1000) with request and console watching; blocks non-local requests."""
    ctx = chromium.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    watch = PageWatch(pg)
    # Abort anything leaving the machine so a regression fails fast instead of hanging.
    pg.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(LOCAL_PREFIXES) else route.abort(),
    )
    pg.watch = watch
    yield pg
    ctx.close()


@pytest.fixture(autouse=True)
def _apptest_uses_navigation(monkeypatch):
    """Run AppTest the way ``panjwatch run`` runs the app: st.navigation, not legacy pages/.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, and a ``pages/``
    folder then makes Streamlit run a non-default page's file directly on reruns, without
    app.py (no sidebar, no URL sync). ``panjwatch run`` sets the flag once for the server;
    here it is set after each reset.
    """
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    base = pages_manager.PagesManager

    class NavigationOnly(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            base.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", NavigationOnly)


def synthetic_store(root: Path, n: int, seed: int):
    """A store under ``root`` holding one deterministic synthetic ACLED export of ``n`` events
    (dataset ``synth``): the imported data of the scale, map, timeline and briefing tests."""
    from geo.data.importers import import_file
    from geo.data.store import Store
    from geo.data.synth import write_acled_csv

    store = Store(Path(root) / "store")
    import_file(write_acled_csv(Path(root) / "synth.csv", n, seed=seed), "acled", "synth", store=store)
    return store
