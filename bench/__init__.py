"""Benchmarks (run on demand: `python -m bench`); nothing here runs in CI."""
