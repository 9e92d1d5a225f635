"""Stackwise: a skills-gap advisor that recommends stackable micro-credentials."""

__version__ = "0.1.0"
