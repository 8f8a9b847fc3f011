"""Thin Qt layer over briefing_app.core."""
