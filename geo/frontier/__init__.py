"""The frontier as a line: chainage along the Tajik–Afghan border, sectors and recent rates.

* :mod:`geo.frontier.chainage` — the west → east line and vectorised linear referencing;
* :mod:`geo.frontier.reference` — events, landmarks and facing provinces on the line (the service);
* :mod:`geo.frontier.sectors` and :mod:`geo.frontier.rates` — counts per sector and month, and the
  exact Poisson rate comparison of the recent weeks against each sector's baseline;
* :mod:`geo.frontier.glance` — computed sentences (the seed attacks, the latest cluster);
* :mod:`geo.frontier.chart` (Altair strip, small multiples), :mod:`geo.frontier.figure`
  (matplotlib PNG/SVG/PDF) and :mod:`geo.frontier.mapdeck` (the stretch on a pydeck map).

Nothing here imports Streamlit; ``pages/frontier.py`` renders it.
"""
