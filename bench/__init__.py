"""Benchmarks: run them by hand; they print figures (see each module's docstring)."""
