"""Selections: the filter model, URL state, event selection and table search."""
