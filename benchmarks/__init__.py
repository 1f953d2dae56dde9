"""Benchmarks: scripts that print figures. They are not tests; see benchmarks/README.md."""
