"""Accessibility of every page in a real headless Chromium: an axe-core run per page at
1440×900 finds no serious or critical violations (issue 12).

axe-core is the copy bundled in the ``axe-playwright-python`` wheel, injected into the page
as a script: nothing is fetched from a CDN (the ``page`` fixture aborts non-local requests,
and the test checks that none was made).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.base import AXE_SCRIPT

pytestmark = pytest.mark.browser

#: The pages of app.py's st.navigation: (url path, the start of the page's title).
PAGES = [
    ("", "Briefing"),
    ("regional_map", "Regional map"),
    ("sector_map", "Border sector"),
    ("incidents", "Incidents"),
    ("timeline", "Timeline"),
    ("frontier", "Frontier"),
    ("sources", "Sources and method"),
    ("import", "Import data"),
]

#: Impacts that fail the test; "minor" and "moderate" findings are printed but allowed.
BLOCKING = {"serious", "critical"}

#: Scoped exclusions: parts of the page drawn by Streamlit's own widgets, which the app
#: cannot change. Each one names the exact selector and why; no rule is disabled globally.
EXCLUDE: list[list[str]] = []

# The page is done when its script run has finished (Streamlit marks the app root
# data-test-script-state="notRunning" once a run ends; "initial" before the first), its title is
# on screen and every chart has drawn (Vega-Lite's SVG marks, deck.gl's canvas): axe then sees
# what a person sees. Streamlit's "running" widget alone is no signal: it shows only after a delay.
READY = """title => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  const h1 = main && main.querySelector('h1');
  if (!h1 || !h1.innerText.startsWith(title)) return false;
  const vega = [...main.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  if (vega.some(c => !c.querySelector('svg g[class$="_marks"]'))) return false;
  const decks = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  return decks.every(c => c.querySelector('canvas'));
}"""


def run_axe(page) -> dict:
    """axe.run on the whole document (less :data:`EXCLUDE`), violations only."""
    page.evaluate(AXE_SCRIPT)
    context = {"include": [["html"]], "exclude": EXCLUDE}
    return page.evaluate(
        "([context, options]) => axe.run(context, options)",
        [context, {"resultTypes": ["violations"]}],
    )


def describe(violations: list[dict]) -> str:
    """One line per violation: id, impact, help text and its first few target selectors."""
    lines = []
    for v in violations:
        # A node's target is a list of selectors (more than one only across iframes / shadow roots).
        targets = [" >> ".join(map(str, n["target"])) for n in v["nodes"]]
        more = f" (+{len(targets) - 3} more)" if len(targets) > 3 else ""
        lines.append(f"{v['id']} [{v['impact']}] {v['help']}: {targets[:3]}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[t for _, t in PAGES])
def test_page_has_no_serious_or_critical_axe_violations(page, app_url, path, title):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_url}/{path}")
    page.wait_for_function(READY, arg=title, timeout=90_000)
    results = run_axe(page)
    violations = results["violations"]
    print(f"\naxe {results['testEngine']['version']} on {title}:\n{describe(violations) or 'no violations'}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{title}: serious/critical axe violations:\n{describe(blocking)}"
    assert page.watch.external == [], page.watch.external
