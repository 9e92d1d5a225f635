"""``stackwise advise``: profile + target + constraints → gap, recommendations and routes.

The command only translates: it reads the flags into a profile, earned badges and goals, and asks the
same :class:`~assistant.usecases.advising.Advising` use case the API, the chat and the briefs ask, over the
wiring root (``make_advise_command(root=...)`` lets tests pass one built on fakes).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.bootstrap import Stackwise
from assistant.cli_errors import friendly_errors
from assistant.core.advice import (
    AdviceService,
    AutoPlanner,
    ExploreTarget,
    GreedyPlanner,
    OccupationTarget,
    RoutePlanner,
    read_terms,
    render_markdown,
    render_whatif,
)
from assistant.core.errors import StackwiseError
from assistant.core.models import Constraints, DeliveryMode, EarnedCredential, EvidenceSource, LearnerProfile
from assistant.usecases.advising import Advising, Goal, PostingText


class BatchItem(BaseModel):
    """One line of a ``--batch`` file: a profile and a target; paths are relative to the file's folder."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    target: str = Field(min_length=1)
    resume: Path | None = None
    skills: str | None = None
    held: list[str] = []
    budget: Decimal | None = None
    hours_per_week: float | None = Field(default=None, ge=0.5)


PLANNERS: dict[str, Callable[[float], RoutePlanner]] = {
    "auto": lambda limit: AutoPlanner(time_limit_s=limit),
    "greedy": lambda _limit: GreedyPlanner(),
}


def _date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _profile(
    root: Stackwise, resume: Path | None, skills: str | None, profile_path: Path | None
) -> tuple[LearnerProfile, list[str]]:
    notes: list[str] = []
    profile = LearnerProfile()
    if profile_path is not None:
        profile = LearnerProfile.model_validate_json(profile_path.read_text(encoding="utf-8"))
    if resume is not None:
        read = root.reader.profile_from_file(resume)
        profile = profile.with_read(EvidenceSource.RESUME, read.skills, read.unconfirmed, read.technologies)
    if skills:
        typed = read_terms(root.taxonomy, [s for s in skills.split(",") if s.strip()])
        profile = profile.add(typed.skills).add_technologies(typed.technologies)
        if typed.unresolved:
            notes.append(f"Not recognised as ESCO skills or O*NET technologies: {', '.join(typed.unresolved)}.")
    return profile, notes


def _constraints(base: Constraints, **given: Any) -> Constraints:
    values = base.model_dump()
    values.update({k: v for k, v in given.items() if v not in (None, (), frozenset())})
    return Constraints.model_validate(values)


def _badges(root: Stackwise, paths: Sequence[Path]) -> list[EarnedCredential]:
    return [badge for path in paths for badge in root.read_badges(path.read_bytes(), path.name, root.catalog)]


def _run_batch(
    built: Stackwise, advising: Advising, path: Path, base: Constraints, start: date | None
) -> tuple[int, int]:
    """Advise every line of ``path`` (JSON Lines of ``BatchItem``) with one loaded model and index; print one
    JSON line per item (its result, or its error in plain words). Returns (items, failures)."""
    items = failures = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        items += 1
        out: dict[str, Any] = {"line": number}
        try:
            item = BatchItem.model_validate_json(line)
            out["id"] = item.id
            resume = None if item.resume is None else (path.parent / item.resume)
            profile, notes = _profile(built, resume, item.skills, None)
            constraints = _constraints(base, budget=item.budget, hours_per_week=item.hours_per_week)
            held = tuple(dict.fromkeys((*profile.earned_credentials, *item.held)))
            profile = profile.model_copy(update={"constraints": constraints, "earned_credentials": held})
            result = advising.result(profile, [], OccupationTarget(title=item.target), start=start)
            if notes:
                result = result.model_copy(update={"notes": (*notes, *result.notes)})
            out["result"] = result.model_dump(mode="json")
        except (ValidationError, StackwiseError, OSError) as exc:
            failures += 1
            out["error"] = _batch_error(exc)
        click.echo(json.dumps(out, ensure_ascii=False))
    return items, failures


def _batch_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors())
    if isinstance(exc, OSError):
        return f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
    return str(exc).splitlines()[0]


def _advice(root: Stackwise, semantic: bool, planner: RoutePlanner) -> AdviceService:
    """The root's advice with this command's planner; without meaning (``--no-semantic``, or a model that
    cannot load) skills match by ESCO structure only, and the command says so."""
    advice = root.advice.with_planner(planner)
    if not semantic or advice.similarity is None:
        return replace(advice, similarity=None)
    try:
        advice.similarity.similarity(["check"], ["check"])
    except Exception as exc:  # any failure to load the model degrades to structural matching
        click.echo(f"warning: similarity model unavailable ({exc}); matching by ESCO structure only", err=True)
        return replace(advice, similarity=None)
    return advice


def make_advise_command(root: Callable[[], Stackwise] = Stackwise) -> click.Command:
    """The ``advise`` command over the wiring root ``root`` returns (built only when the command runs)."""

    @click.command("advise")
    @click.option("--resume", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Résumé file.")
    @click.option("--skills", help='Skills typed as text, comma-separated: "Python, SQL".')
    @click.option(
        "--profile", "profile_path", type=click.Path(exists=True, path_type=Path), help="LearnerProfile JSON."
    )
    @click.option("--target", "targets", multiple=True, help="Occupation title; give 2–3 for a what-if comparison.")
    @click.option("--posting", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Job posting text.")
    @click.option("--explore", is_flag=True, help="Rank occupations for this profile and advise on the best.")
    @click.option("--explore-limit", default=10, show_default=True, type=click.IntRange(1, 50))
    @click.option("--budget", type=Decimal, help="Total budget for a route.")
    @click.option("--currency", help="Currency of the budget (default: the catalog's).")
    @click.option("--hours-per-week", type=click.FloatRange(min=0.5), help="Study hours a week (default 10).")
    @click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), help="Finish by YYYY-MM-DD.")
    @click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), help="Plan from YYYY-MM-DD (default today).")
    @click.option(
        "--mode", "modes", multiple=True, type=click.Choice([m.value for m in DeliveryMode]), help="Repeatable."
    )
    @click.option("--min-eqf", type=click.IntRange(1, 8), help="Lowest EQF level to plan.")
    @click.option("--max-eqf", type=click.IntRange(1, 8), help="Highest EQF level to plan.")
    @click.option("--language", "languages", multiple=True, help="Two-letter language code; repeatable.")
    @click.option("--held", multiple=True, help="Catalog id of a credential already earned; repeatable.")
    @click.option("--badges", multiple=True, type=click.Path(exists=True, path_type=Path), help="Open Badges 3.0 JSON.")
    @click.option("--semantic/--no-semantic", default=True, show_default=True, help="Match skills by meaning too.")
    @click.option(
        "--planner",
        "planner_name",
        type=click.Choice(sorted(PLANNERS)),
        default="auto",
        show_default=True,
        help="auto: exact (CP-SAT) when the problem is small enough, else greedy. greedy: the heuristic only.",
    )
    @click.option(
        "--time-limit",
        default=5.0,
        show_default=True,
        type=click.FloatRange(0.1, 600),
        help="CP-SAT seconds for the shared stage and for each route objective.",
    )
    @click.option(
        "--batch",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="JSON Lines, one profile and target a line (id, target, resume or skills, held, budget, "
        "hours_per_week): the model loads once; prints one JSON line per profile.",
    )
    @click.option("--json", "output", flag_value="json", help="Print JSON.")
    @click.option("--markdown", "output", flag_value="markdown", default=True, help="Print Markdown (default).")
    @friendly_errors
    def advise(
        resume: Path | None,
        skills: str | None,
        profile_path: Path | None,
        targets: tuple[str, ...],
        posting: Path | None,
        explore: bool,
        explore_limit: int,
        budget: Decimal | None,
        currency: str | None,
        hours_per_week: float | None,
        deadline: datetime | None,
        start: datetime | None,
        modes: tuple[str, ...],
        min_eqf: int | None,
        max_eqf: int | None,
        languages: tuple[str, ...],
        held: tuple[str, ...],
        badges: tuple[Path, ...],
        semantic: bool,
        planner_name: str,
        time_limit: float,
        batch: Path | None,
        output: str,
    ) -> None:
        """Gap, recommended credentials and stacking routes for a profile and a target, or for every line of
        a ``--batch`` file (the other limits and options apply to each)."""

        def limits() -> dict[str, Any]:  # the limits given as options, for one profile or every line of a batch
            return {
                "hours_per_week": hours_per_week,
                "deadline": _date(deadline),
                "delivery_modes": frozenset(modes),
                "min_eqf_level": min_eqf,
                "max_eqf_level": max_eqf,
                "languages": frozenset(languages),
            }

        if batch is not None:
            if targets or posting is not None or explore or resume is not None or skills or profile_path:
                raise click.UsageError("--batch gives each line its profile and target: drop the others")
            built = root()
            started = time.perf_counter()
            planner = PLANNERS[planner_name](time_limit)
            base = _constraints(Constraints(), currency=currency or built.catalog.institution.currency, **limits())
            batch_advising = replace(built.advising, advice=_advice(built, semantic, planner))
            items, failures = _run_batch(built, batch_advising, batch, base, _date(start))
            seconds = time.perf_counter() - started
            click.echo(f"batch: {items} profiles, {failures} failed, {seconds:.1f} s", err=True)
            if failures:
                sys.exit(1)
            return
        if sum((bool(targets), posting is not None, explore)) != 1:
            raise click.UsageError("give exactly one of --target, --posting or --explore")
        if len(targets) > 3:
            raise click.UsageError("a what-if compares at most three targets")
        if resume is None and not skills and profile_path is None and not held and not badges:
            raise click.UsageError("give a profile: --resume, --skills, --profile, --held or --badges")
        built = root()
        profile, notes = _profile(built, resume, skills, profile_path)
        constraints = _constraints(
            profile.constraints,
            budget=budget,
            currency=currency or (built.catalog.institution.currency if budget is not None else None),
            **limits(),
        )
        held_ids = tuple(dict.fromkeys((*profile.earned_credentials, *held)))
        profile = profile.model_copy(update={"constraints": constraints, "earned_credentials": held_ids})
        earned = _badges(built, badges)
        planner = PLANNERS[planner_name](time_limit)
        advising: Advising = replace(built.advising, advice=_advice(built, semantic, planner))
        goals: list[Goal]
        if explore:
            goals = [ExploreTarget(limit=explore_limit)]
        elif posting is not None:
            goals = [PostingText(posting.read_text(encoding="utf-8"))]
        else:
            goals = [OccupationTarget(title=t) for t in targets]
        if len(goals) > 1:
            comparison = advising.compare_for(profile, earned, goals, start=_date(start))
            if output == "json":
                click.echo(json.dumps(comparison.model_dump(mode="json"), indent=2, ensure_ascii=False))
                return
            click.echo(render_whatif(comparison))
            for result in comparison.results:
                click.echo("---\n")
                click.echo(render_markdown(result))
            return
        result = advising.result(profile, earned, goals[0], start=_date(start))
        if notes:
            result = result.model_copy(update={"notes": (*notes, *result.notes)})
        if output == "json":
            click.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        else:
            click.echo(render_markdown(result))

    return advise


advise = make_advise_command()
