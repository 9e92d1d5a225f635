"""``stackwise goals resolve``: a goal in everyday words → resolved, clarify (with options) or not_found."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.bootstrap import Stackwise
from assistant.cli_errors import friendly_errors
from assistant.core.goals import GoalAnswer, GoalResolver
from assistant.usecases.goals import Goals


@click.group("goals")
def goals_group() -> None:
    """Goals in the learner's words: the same resolver the chat, the API and the pages use."""


def _line(answer: GoalAnswer) -> str:
    if answer.status == "resolved" and answer.occupation is not None:
        return f"resolved: {answer.occupation.label}" + (f"  ({answer.note})" if answer.note else "")
    if answer.status == "clarify":
        shown = "\n".join(f"  - {o.label}" + (f" ({o.facts})" if o.facts else "") for o in answer.options)
        return f"clarify: {answer.note}\n{shown}"
    return f"not_found: {answer.note}"


@goals_group.command("resolve")
@click.argument("text", required=False)
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="One phrase a line.")
@click.option("--json", "as_json", is_flag=True, help="JSON (one object a line with --file).")
@click.option("--words-only", is_flag=True, help="Do not load the model: words, synonyms and typos only.")
@friendly_errors
def goals_resolve(text: str | None, path: Path | None, as_json: bool, words_only: bool) -> None:
    """What TEXT (or each line of --file) means as a goal: an occupation, a question, or nothing close."""
    if (text is None) == (path is None):
        raise click.UsageError("give TEXT or --file, not both")
    root = Stackwise()
    goals = Goals(GoalResolver(root.taxonomy)) if words_only else root.goals
    lines = path.read_text(encoding="utf-8").splitlines() if path else [text or ""]
    for answer in goals.resolve_all(lines):
        if as_json or path:
            click.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=None if path else 2))
        else:
            click.echo(_line(answer))
