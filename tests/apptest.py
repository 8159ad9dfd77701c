"""AppTest helpers shared by the page tests: start from app.py, as a user does."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from geo.data.paths import REPO_ROOT

APP = REPO_ROOT / "app.py"


def run_app(params: dict | None = None, page: str | None = None, timeout: float = 120) -> AppTest:
    """Run app.py with URL ``params``, then switch to ``page``; fail on any exception."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def deck_spec(at: AppTest) -> dict:
    """The one pydeck chart on the page, as JSON."""
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)
