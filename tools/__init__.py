"""Maintenance scripts of the book (run them with `python -m tools.NAME`)."""
