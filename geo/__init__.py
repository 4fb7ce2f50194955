"""Wijkatlas core: everything except the Streamlit pages.

Importable and testable without Streamlit; only :mod:`geo.web` touches
``streamlit`` (the store cache and session helpers for the pages).
"""

__version__ = "0.1.0"
