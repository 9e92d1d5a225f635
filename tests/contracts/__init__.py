"""Shared contract suites: every implementation of a port passes the same tests (the real adapter and the
deterministic fake the other tests use), so a fake cannot quietly do less than the adapter it stands for."""
