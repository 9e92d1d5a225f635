"""Adapters: the outside world (files, models, stores) behind the pure core.

Each adapter imports its third-party library lazily, so the core and the tests that fake an adapter
never pay for, or depend on, libraries they do not use.
"""
