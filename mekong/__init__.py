"""Mekong cooperation dashboard: the logic behind the Streamlit pages."""
