"""Baseline for bench_maps.py: the smallest Streamlit page."""

import streamlit as st

st.title("Hello, world")
