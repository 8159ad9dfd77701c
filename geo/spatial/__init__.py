"""Spatial rules: CRS, joins to provinces, the border line and bands, indexes, uncertainty, scope, binning."""
