"""``panjwatch`` loads a heavy library only when a command needs it (issue 13).

Building the parser (every subcommand with all its options) and printing any
``--help`` must not import GeoPandas, pandas, matplotlib and the rest: their
declarations come from light modules (:mod:`geo.scene.choices`,
:mod:`geo.render.options`, :mod:`geo.data.importers.formats`, :mod:`geo.query.fields`),
and each command imports its own modules when it runs. ``validate`` needs pandas and
GeoPandas for the tables and shapes, but none of the renderers.

Each case runs in a fresh interpreter (the test process has these libraries loaded
already) and lists ``sys.modules``. Nothing here is timed: ``bench/bench_cli.py`` is.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys

import pytest

#: Libraries ``validate`` must not import: renderers, slides, the app.
RENDERERS = (
    "matplotlib",
    "pydeck",
    "pptx",
    "PIL",
    "jinja2",
    "altair",
    "vl_convert",
    "python_calamine",
    "playwright",
    "streamlit",
)
#: Libraries the parser and every ``--help`` must not import: the data stack and every renderer.
HEAVY = ("geopandas", "pandas", "numpy", "shapely", "pyproj", "pyogrio", "pyarrow", *RENDERERS)

#: What the child does after ``import geo.cli.main``: nothing, build the parser, or run ``main``.
STAGES = {
    "import geo.cli.main": None,
    "build_parser()": "parser",
    "panjwatch --help": ["--help"],
    **{
        f"panjwatch {cmd} --help": [cmd, "--help"]
        for cmd in ("validate", "export", "snapshot", "brief", "slides", "import", "datasets")
    },
}

_CHILD = """
import contextlib, io, json, sys
import geo.cli.main as m
what = json.loads(sys.argv[1])
out = io.StringIO()
if what == "parser":
    m.build_parser()
elif what is not None:
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = m.main(what)
        except SystemExit as exc:
            code = exc.code
    if code not in (0, None):
        sys.exit(f"exit {code}: {out.getvalue()}")
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))
"""


@functools.cache
def loaded_after(what: str) -> frozenset[str]:
    """Top-level modules in ``sys.modules`` of a fresh interpreter after ``what`` (a STAGES key or ``validate``)."""
    arg = ["validate"] if what == "validate" else STAGES[what]
    r = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(arg)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    return frozenset(json.loads(r.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", HEAVY)
@pytest.mark.parametrize("stage", list(STAGES))
def test_the_parser_and_help_import_no_heavy_library(stage, module):
    assert module not in loaded_after(stage), f"{stage} imported {module}"


@pytest.mark.parametrize("module", RENDERERS)
def test_validate_imports_no_renderer(module):
    assert module not in loaded_after("validate"), f"panjwatch validate imported {module}"


def test_the_child_sees_what_it_imports():
    """The check itself works: validate does load GeoPandas (the shapes), so an import shows up."""
    assert {"geopandas", "pandas"} <= loaded_after("validate")


def test_the_light_declarations_agree_with_the_code_that_uses_them():
    """Page names, import formats, shading metrics and default maps are declared once, light;
    the heavy modules re-export them or hold one entry per name."""
    from geo.data.importers import formats
    from geo.data.importers.pipeline import FORMATS, READERS
    from geo.render import briefpack, options, request
    from geo.report import stats
    from geo.scene import choices
    from geo.scene.request import PAGES
    from geo.spatial.border import FACING_MAX_KM
    from geo.spatial.scope import FRONTIER_KM

    assert tuple(PAGES) == choices.PAGE_NAMES
    assert tuple(READERS) == formats.FORMATS and FORMATS is formats.FORMATS
    assert stats.SHADE_METRICS is choices.SHADE_METRICS
    assert briefpack.DEFAULT_MAPS is options.DEFAULT_MAPS
    assert set(options.DEFAULT_MAPS) <= set(PAGES)
    for name in ("FORMATS", "ENGINES", "SIZE_PRESETS", "MIME"):
        assert getattr(request, name) is getattr(options, name)
    assert FACING_MAX_KM == FRONTIER_KM


def test_the_importers_package_still_offers_its_names():
    """``geo.data.importers`` loads its names on first use, not at import; they are the real ones."""
    import geo.data.importers as imp
    from geo.data.importers.acled import read_acled
    from geo.data.importers.common import NotCSVError
    from geo.data.importers.pipeline import import_file

    assert imp.read_acled is read_acled and imp.NotCSVError is NotCSVError and imp.import_file is import_file
    assert set(imp.__all__) <= set(dir(imp))
    with pytest.raises(AttributeError):
        imp.no_such_name  # noqa: B018
