"""Renderers of a :class:`geo.scene.model.Scene`: they draw it and decide nothing.

- :mod:`geo.render.deck`: pydeck / deck.gl (the live map; explicit layer ids);
- :mod:`geo.render.html`: the offline HTML page (the deck inlined, legend from a Jinja2 template);
- :mod:`geo.render.print_map` and the other ``print_*`` modules: matplotlib (PNG, SVG, PDF).
"""
