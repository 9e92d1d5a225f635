"""``stackwise advise``: profile + target + constraints → gap, recommendations and routes.

Mounted by the main command group (``main.add_command(advise)``). Everything it needs comes through
an :class:`AdviseDeps` (taxonomy, catalog, how a résumé and a posting become skills, the similarity
and title-search ports, the planner), so the résumé linker and the vector index plug in with
:func:`make_advise_command` and tests pass fakes instead of patching.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from assistant.cli_errors import friendly_errors
from assistant.core.advice import (
    AdviceOptions,
    AdviceService,
    AutoPlanner,
    ExploreTarget,
    OccupationTarget,
    PostingSkill,
    PostingTarget,
    RoutePlanner,
    SkillSimilarity,
    Target,
    TitleSearch,
    compare_targets,
    extract_skills,
    is_optional_line,
    render_markdown,
    render_whatif,
    skills_from_terms,
)
from assistant.core.catalog import Catalog
from assistant.core.models import (
    Constraints,
    DeliveryMode,
    EarnedCredential,
    EvidenceSource,
    HeldSkill,
    LearnerProfile,
)
from assistant.core.taxonomy import Taxonomy

ProfileBuilder = Callable[[Path, Taxonomy], LearnerProfile]
PostingReader = Callable[[str, Taxonomy], PostingTarget]


def lexical_resume_profile(path: Path, taxonomy: Taxonomy) -> LearnerProfile:
    """Stand-in résumé reader until the linker is wired: file → numbered lines → skills named by ESCO labels."""
    from assistant.adapters.documents import parse_resume_file

    document = parse_resume_file(path.read_bytes(), path.name)
    lines = [(line.line_no, line.text, line.section.value) for line in document.lines if not line.heading]
    return LearnerProfile(skills=tuple(extract_skills(taxonomy, lines, EvidenceSource.RESUME)))


def lexical_posting(text: str, taxonomy: Taxonomy) -> PostingTarget:
    """Stand-in posting reader: skills named in its lines; lines saying 'nice to have' etc. are optional."""
    from assistant.adapters.documents import parse_pasted_text

    document = parse_pasted_text(text)
    title = next((line.text for line in document.lines if line.text.strip()), None)
    lines = [(line.line_no, line.text, line.section.value) for line in document.lines]
    found = extract_skills(taxonomy, lines, EvidenceSource.JOB_POSTING)
    skills = []
    for skill in found:
        evidence = skill.evidence[0] if skill.evidence else None
        optional = evidence is not None and is_optional_line(evidence.text)
        skills.append(
            PostingSkill(skill_uri=skill.skill_uri, label=skill.label, required=not optional, evidence=evidence)
        )
    if not skills:
        raise click.UsageError("no ESCO skill was recognised in the posting")
    return PostingTarget(title=title, skills=tuple(skills))


def _default_taxonomy() -> Taxonomy:
    from assistant.bootstrap import build_service

    return build_service().taxonomy


def _default_catalog() -> Catalog:
    from assistant.bootstrap import build_service

    return build_service().catalog


def _default_similarity() -> SkillSimilarity | None:
    """Cosine between label vectors from the configured embedder; None (with a warning) if it cannot load."""
    from assistant.core.advice import EmbedderSimilarity

    try:
        from index.embedding import make_embedder

        similarity = EmbedderSimilarity(make_embedder())
        similarity.similarity(["check"], ["check"])
    except Exception as exc:  # any failure to load the model degrades to structural matching
        click.echo(f"warning: similarity model unavailable ({exc}); matching by ESCO structure only", err=True)
        return None
    return similarity


@dataclass
class AdviseDeps:
    """What the command needs; each field is called lazily, only when the command uses it."""

    taxonomy: Callable[[], Taxonomy] = _default_taxonomy
    catalog: Callable[[], Catalog] = _default_catalog
    profile_builder: ProfileBuilder = lexical_resume_profile
    posting_reader: PostingReader = lexical_posting
    similarity: Callable[[], SkillSimilarity | None] = _default_similarity
    title_search: Callable[[], TitleSearch | None] = lambda: None
    planner: Callable[[float], RoutePlanner] = field(default=lambda limit: AutoPlanner(time_limit_s=limit))


def _date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _profile(
    deps: AdviseDeps, taxonomy: Taxonomy, resume: Path | None, skills: str | None, profile_path: Path | None
) -> tuple[LearnerProfile, list[str]]:
    notes: list[str] = []
    profile = LearnerProfile()
    if profile_path is not None:
        profile = LearnerProfile.model_validate_json(profile_path.read_text(encoding="utf-8"))
    held: list[HeldSkill] = list(profile.skills)
    if resume is not None:
        held.extend(deps.profile_builder(resume, taxonomy).skills)
    if skills:
        found, unresolved = skills_from_terms(taxonomy, [s for s in skills.split(",") if s.strip()])
        held.extend(found)
        if unresolved:
            notes.append(f"Not recognised as ESCO skills: {', '.join(unresolved)}.")
    return profile.model_copy(update={"skills": tuple(held)}), notes


def _constraints(base: Constraints, **given: Any) -> Constraints:
    values = base.model_dump()
    values.update({k: v for k, v in given.items() if v not in (None, (), frozenset())})
    return Constraints.model_validate(values)


def _badges(paths: Sequence[Path], catalog: Catalog) -> list[EarnedCredential]:
    from index.importers.open_badges import read_earned_credentials

    earned: list[EarnedCredential] = []
    for path in paths:
        result = read_earned_credentials(path, catalog=catalog.credentials, name=path.name)
        result.raise_for_issues()
        earned.extend(result.earned)
    return earned


def make_advise_command(deps_factory: Callable[[], AdviseDeps] = AdviseDeps) -> click.Command:
    """The ``advise`` command bound to the dependencies ``deps_factory`` returns."""

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
        "--time-limit",
        default=5.0,
        show_default=True,
        type=click.FloatRange(0.1, 600),
        help="CP-SAT seconds for the shared stage and for each route objective.",
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
        time_limit: float,
        output: str,
    ) -> None:
        """Gap, recommended credentials and stacking routes for a profile and a target."""
        if sum((bool(targets), posting is not None, explore)) != 1:
            raise click.UsageError("give exactly one of --target, --posting or --explore")
        if len(targets) > 3:
            raise click.UsageError("a what-if compares at most three targets")
        if resume is None and not skills and profile_path is None and not held and not badges:
            raise click.UsageError("give a profile: --resume, --skills, --profile, --held or --badges")
        deps = deps_factory()
        taxonomy = deps.taxonomy()
        catalog = deps.catalog()
        profile, notes = _profile(deps, taxonomy, resume, skills, profile_path)
        constraints = _constraints(
            profile.constraints,
            budget=budget,
            currency=currency or (catalog.institution.currency if budget is not None else None),
            hours_per_week=hours_per_week,
            deadline=_date(deadline),
            delivery_modes=frozenset(modes),
            min_eqf_level=min_eqf,
            max_eqf_level=max_eqf,
            languages=frozenset(languages),
        )
        profile = profile.model_copy(
            update={
                "constraints": constraints,
                "earned_credentials": tuple(dict.fromkeys((*profile.earned_credentials, *held))),
            }
        )
        advice = AdviceService(
            taxonomy,
            catalog,
            similarity=deps.similarity() if semantic else None,
            title_search=deps.title_search(),
            planner=deps.planner(time_limit),
        )
        kwargs: dict[str, Any] = {"earned": _badges(badges, catalog), "options": AdviceOptions(start=_date(start))}
        target_list: list[Target]
        if explore:
            target_list = [ExploreTarget(limit=explore_limit)]
        elif posting is not None:
            target_list = [deps.posting_reader(posting.read_text(encoding="utf-8"), taxonomy)]
        else:
            target_list = [OccupationTarget(title=t) for t in targets]
        if len(target_list) > 1:
            comparison = compare_targets(advice, profile, target_list, **kwargs)
            if output == "json":
                click.echo(json.dumps(comparison.model_dump(mode="json"), indent=2, ensure_ascii=False))
                return
            click.echo(render_whatif(comparison))
            for result in comparison.results:
                click.echo("---\n")
                click.echo(render_markdown(result))
            return
        result = advice.advise(profile, target_list[0], **kwargs)
        if notes:
            result = result.model_copy(update={"notes": (*notes, *result.notes)})
        if output == "json":
            click.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        else:
            click.echo(render_markdown(result))

    return advise


advise = make_advise_command()
