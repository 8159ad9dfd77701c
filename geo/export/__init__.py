"""Data exports: CSV and GeoJSON tables, GeoPackage."""
