"""Extraction: entities, time expressions and events from canonical article text."""
