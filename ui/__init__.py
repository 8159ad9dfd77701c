"""Streamlit glue shared by the pages: cached loaders, the sidebar, filter state, details panel."""
