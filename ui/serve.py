"""Start the Streamlit server on app.py (run by ``panjwatch run``; args go to Streamlit).

Streamlit treats a ``pages/`` folder as a legacy multipage app until the first run of
app.py calls ``st.navigation``: a first visitor landing on a page URL would get that
page without app.py (no sidebar, no filters). app.py always uses st.navigation, so the
flag is set before the server starts.
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as stcli

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(args: list[str]) -> int:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), "--server.headless", "true", *args]
    return stcli.main()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
