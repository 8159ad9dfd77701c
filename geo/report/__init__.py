"""Words and figures: headline statistics, narrative, wording, details, provenance, text escaping, formatters."""
