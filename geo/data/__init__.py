"""Curated records and imported datasets: schema, validation, loading, the store, importers, the bundle."""
