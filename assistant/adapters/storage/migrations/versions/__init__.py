"""One module per schema revision, oldest first (``0001_baseline`` is the schema of releases up to 0.x)."""
