"""Comparison across regions from an output folder: tables, the DuckDB store, the HTML report."""
