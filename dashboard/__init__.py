"""Streamlit only: pages, widgets, caching, translations."""
