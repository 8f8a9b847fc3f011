"""Briefing Reader: an offline reading and annotation desk for analysts."""

__version__ = "0.1.0"
