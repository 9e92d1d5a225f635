"""``stackwise eval …``: the evaluation commands, each printing a table (or JSON) of all systems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from eval.linking import SYSTEMS


def _print(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(result["dataset"])
    rows = result["systems"]
    columns = list(next(iter(rows.values())))
    click.echo(f"{'system':12}" + "".join(f"{c:>12}" for c in columns))
    for name, scores in rows.items():
        click.echo(f"{name:12}" + "".join(f"{scores[c]:>12}" for c in columns))


_systems = click.option(
    "--systems", default=",".join(SYSTEMS), show_default=True, help="Comma-separated: stackwise, baseline, peer."
)


@click.group("eval")
def eval_group() -> None:
    """Evaluate skill linking, title normalisation and span extraction against the published sets."""


@eval_group.command("skills")
@click.option(
    "--dataset",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="Decorte et al. format: sentence, span, sub_span, label.",
)
@_systems
@click.option("--json", "as_json", is_flag=True)
def skills(dataset: Path, systems: str, as_json: bool) -> None:
    """RP@5, MRR, R@10 for sentence → ESCO skill ranking."""
    from assistant.bootstrap import Stackwise
    from eval.linking import evaluate_skills

    _print(evaluate_skills(Stackwise(), dataset, systems.split(",")), as_json)


@eval_group.command("titles")
@click.option(
    "--dataset",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="JobBERT format: vacancyTitle, conceptUri.",
)
@_systems
@click.option("--limit", type=int, default=None, help="Only the first N titles.")
@click.option("--json", "as_json", is_flag=True)
def titles(dataset: Path, systems: str, limit: int | None, as_json: bool) -> None:
    """accuracy@1, @5 and MRR for job title → ESCO occupation."""
    from assistant.bootstrap import Stackwise
    from eval.linking import evaluate_titles

    _print(evaluate_titles(Stackwise(), dataset, systems.split(","), limit), as_json)


@eval_group.command("spans")
@click.option(
    "--dataset",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="SkillSpan JSON lines (.json) or CoNLL BIO (Green et al.).",
)
@_systems
@click.option("--json", "as_json", is_flag=True)
def spans(dataset: Path, systems: str, as_json: bool) -> None:
    """Strict and overlap precision/recall/F1 of extracted skill spans."""
    from assistant.bootstrap import Stackwise
    from eval.linking import evaluate_spans

    _print(evaluate_spans(Stackwise(), dataset, systems.split(",")), as_json)


@eval_group.command("resumes")
@click.option(
    "--dataset",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="resume_entities JSON lines (testdata.json is held out; traindata.json is for development).",
)
@click.option("--limit", type=int, default=None, help="Only the first N résumés.")
@click.option("--json", "as_json", is_flag=True)
def resumes(dataset: Path, limit: int | None, as_json: bool) -> None:
    """Links on real résumés: the share that falls on names, employers, places, degrees; Skills coverage."""
    from assistant.bootstrap import Stackwise
    from eval.resume_entities import evaluate, load, report

    figures = evaluate(Stackwise(), load(dataset)[:limit])
    click.echo(json.dumps(figures, indent=2) if as_json else report(dataset.name, figures))


@eval_group.command("judged")
@click.option("--json", "as_json", is_flag=True)
def judged(as_json: bool) -> None:
    """Strict precision of the skills profiles keep, on hand-judged held-out résumés (eval/linking_judgments)."""
    from assistant.bootstrap import Stackwise
    from eval.judged_links import evaluate, report

    figures = evaluate(Stackwise())
    click.echo(json.dumps(figures, indent=2) if as_json else report(figures))


@eval_group.command("goals")
@click.option("--set", "which", default="dev", show_default=True, help="dev, heldout, or a JSONL file of items.")
@click.option("--words-only", is_flag=True, help="The resolver without the model (words, synonyms, typos).")
@click.option("--failures/--no-failures", default=None, help="List the items that failed (default: on for dev).")
@click.option("--json", "as_json", is_flag=True)
def goals(which: str, words_only: bool, failures: bool | None, as_json: bool) -> None:
    """Goal phrasings in everyday words (eval/goals): pass rate and silent wrong switches."""
    from assistant.bootstrap import Stackwise
    from assistant.core.goals import GoalResolver
    from assistant.usecases.goals import Goals
    from eval.goal_resolution import SETS, evaluate, load, report

    path = SETS / f"{which}.jsonl" if which in ("dev", "heldout") else Path(which)
    root = Stackwise()
    resolver = Goals(GoalResolver(root.taxonomy)) if words_only else root.goals
    figures = evaluate(resolver, load(path))
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    show = failures if failures is not None else which == "dev"
    click.echo(report(path.name + (" (words only)" if words_only else ""), figures, show))


@eval_group.command("abstain")
@click.option(
    "--dataset",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="Decorte et al. CSV: the LABEL NOT PRESENT spans are read.",
)
@click.option("--json", "as_json", is_flag=True)
def abstain(dataset: Path, as_json: bool) -> None:
    """How often no skill is kept where the annotators found none (LABEL NOT PRESENT spans)."""
    from assistant.bootstrap import Stackwise
    from eval.abstention import evaluate

    figures = evaluate(Stackwise(), dataset)
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(
        f"{figures['dataset']}: {figures['spans']} LABEL NOT PRESENT spans; abstained on "
        f"{figures['abstained']} ({100 * (figures['abstention_rate'] or 0):.1f}%); no candidate at all on "
        f"{100 * (figures['no_candidate_rate'] or 0):.1f}%; of {figures['labelled_spans']} spans with an ESCO label, "
        f"{figures['labelled_kept_right']} got that skill kept"
    )
