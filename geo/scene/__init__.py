"""One map model: :func:`geo.scene.build.build_scene` turns a :class:`geo.scene.request.MapRequest`
into a renderer-neutral :class:`geo.scene.model.Scene`.

- :mod:`geo.scene.request`: pages, layer groups, ``MapRequest``;
- :mod:`geo.scene.layers`: the layer registry (one entry per layer group);
- :mod:`geo.scene.context`: ``MapData``, the builders' shared ``Ctx`` and legend wording;
- :mod:`geo.scene.basemap` and :mod:`geo.scene.event_layers`: the layer builders;
- :mod:`geo.scene.style`: every colour, size and label rule;
- :mod:`geo.scene.policy`: curated versus imported and every threshold;
- :mod:`geo.scene.build`: ``build_scene`` / ``compose_scene``.

The renderers in :mod:`geo.render` only draw a scene. (Nothing is imported
here: ``geo.spatial.aggregate`` uses the policy and style modules, which must not pull
in the builders.)
"""
