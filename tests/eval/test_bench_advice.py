"""Padding as the issue counts it: a route step that covers no core gap skill and is no prerequisite of
another step, read from the catalog's prerequisites rather than the step's own ``unlocks``."""

from __future__ import annotations

from assistant.core.models import Route, RouteStep
from eval.bench_advice import padding_steps
from tests.core.advice.tiny import S, make_catalog


def _route(*steps: tuple[str, tuple[str, ...]]) -> Route:
    return Route.model_construct(steps=tuple(RouteStep.model_construct(credential_id=c, covers=v) for c, v in steps))


def test_a_step_that_covers_nothing_is_padding_unless_another_step_needs_it() -> None:
    catalog = make_catalog()
    core = {S + "sql"}
    # C-110 needs C-101 in the catalog: C-101 is a prerequisite, not padding, though it covers nothing here
    assert padding_steps(_route(("C-101", ()), ("C-110", (S + "sql",))), catalog, core) == []
    # alone, C-101 covers nothing and unlocks nothing
    assert padding_steps(_route(("C-101", ())), catalog, core) == ["C-101"]
    # a step whose covers name no core gap skill is padding too
    assert padding_steps(_route(("C-150", (S + "other",))), catalog, core) == ["C-150"]
