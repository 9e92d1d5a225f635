"""Importers that turn public source files into Stackwise records."""
