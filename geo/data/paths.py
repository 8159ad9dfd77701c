"""Where the bundled data and the seed documents live."""

from __future__ import annotations

from pathlib import Path

from geo.data.settings import env

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
CATALOGUE = REPO_ROOT / "seeds" / "catalogue.csv"

#: Metric CRS for distances and areas in this region (UTM zone 42N, metres).
METRIC_CRS = "EPSG:32642"
#: Storage CRS of every shipped file (RFC 7946 GeoJSON: lon/lat on WGS84).
WGS84 = "EPSG:4326"


def default_seeds_dir() -> Path | None:
    """Return the seed-document folder if it is present, else ``None``.

    ``PANJWATCH_SEEDS`` wins (a folder that does not exist gives ``None``: a wrong
    setting must not silently check against other documents); otherwise
    ``../shared/seeds`` next to the checkout, which is where developer machines and CI
    have it.
    """
    given = env("PANJWATCH_SEEDS")
    chosen = Path(given) if given else REPO_ROOT.parent / "shared" / "seeds"
    return chosen if chosen.is_dir() else None
