"""Pure-Python core: never imports Qt (tests/core/test_layers.py enforces it)."""
