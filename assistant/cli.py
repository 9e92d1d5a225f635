"""The ``stackwise`` command. Each sub-command is a thin shell over the service or an importer."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from assistant.bootstrap import Stackwise
from assistant.cli_errors import friendly_errors
from assistant.core.errors import DataValidationError
from assistant.settings import Settings

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@click.group()
@click.version_option(package_name="stackwise")
def main() -> None:
    """Stackwise: skills-gap analysis and stackable micro-credential routes."""


# -- data ------------------------------------------------------------------------------------------
@main.group()
def data() -> None:
    """Taxonomy data: derive the bundle from the official releases, check it, count it."""


@data.command("bundle")
@click.option("--source", "source", type=click.Path(path_type=Path), help="Folder laid out like ../shared/data.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Bundle folder to (re)write.")
@friendly_errors
def data_bundle(source: Path | None, out: Path | None) -> None:
    """Derive the compact taxonomy bundle (labels, codes, relations, numbers) from the sources."""
    from index.bundle import SourcePaths, build_bundle

    settings = Settings()
    manifest = build_bundle(SourcePaths(source or settings.source_data_dir), out or settings.bundle_dir)
    click.echo(json.dumps(manifest["counts"], indent=2))
    click.echo(f"bundle written to {out or settings.bundle_dir}", err=True)


@data.command("check")
@click.option("--source", "source", type=click.Path(path_type=Path), help="Folder laid out like ../shared/data.")
@friendly_errors
def data_check(source: Path | None) -> None:
    """Say whether the bundle was derived from the source files now present."""
    from assistant.adapters.files import sha256_of
    from index.bundle import SourcePaths, read_manifest

    settings = Settings()
    sources = SourcePaths(source or settings.source_data_dir)
    manifest = read_manifest(settings.bundle_dir)
    if not sources.present():
        click.echo(f"sources not present under {sources.root}; the bundle is used as shipped")
        return
    recorded = manifest.get("sources", {})
    stale = [name for name, path in sources.files().items() if recorded.get(name) != sha256_of(path)]
    if stale:
        click.echo(f"bundle is stale for: {', '.join(stale)}; run `stackwise data bundle`", err=True)
        sys.exit(1)
    click.echo("bundle matches the source files")


@data.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def data_stats(as_json: bool) -> None:
    """Counts of skills, occupations, relations, credentials and stack destinations, as loaded."""
    stats = Stackwise().stats()
    if as_json:
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    for key, value in stats.items():
        if isinstance(value, dict):
            value = "; ".join(f"{k}: {v}" for k, v in value.items())
        click.echo(f"{key:34} {value}")


# -- catalog ---------------------------------------------------------------------------------------
@main.group()
def catalog() -> None:
    """Institution catalogs: validate a file before using it."""


REPORT_HELP = "Where every issue goes (CSV, or JSON with a .json name); default: NAME.issues.csv beside the file."


def _reported(path: Path, report: Path | None, exc: DataValidationError) -> None:
    """Every issue to the report file, the summary and the first 50 to the terminal; exit 2."""
    from index.catalogs.issue_report import write_issue_report

    target = report or path.with_name(f"{path.stem}.issues.csv")
    summary = write_issue_report(exc.issues, target)
    click.echo(str(exc), err=True)
    click.echo("\n".join(summary.lines()), err=True)
    sys.exit(2)


@catalog.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(path_type=Path), help="Column mapping (CSV catalogs).")
@click.option("--report", type=click.Path(path_type=Path), help=REPORT_HELP)
@friendly_errors
def catalog_validate(path: Path, mapping: Path | None, report: Path | None) -> None:
    """Check every row and reference; print the first problems with their file, row and field, and write
    all of them, with a summary by field and kind, to a report file."""
    from index.catalogs import load_catalog

    taxonomy = Stackwise().taxonomy
    try:
        loaded = load_catalog(path, mapping=mapping, known_skill_uris=taxonomy.skills.keys())
    except DataValidationError as exc:
        _reported(path, report, exc)
    click.echo(
        f"{path}: {len(loaded)} credentials, {len(loaded.stack_destinations())} stack destinations, no problems found"
    )
    from index.catalogs.onboard.apply import unstated_counts

    unstated = {name: n for name, n in unstated_counts(loaded).items() if n}
    if unstated:
        listed = ", ".join(f"{name} {n}" for name, n in unstated.items())
        click.echo(f"not stated (shown to learners as not stated, never guessed): {listed}")


@catalog.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--from",
    "source_format",
    type=click.Choice(["ctdl", "ob3"]),
    required=True,
    help="CTDL JSON-LD (credentials, pathways) or Open Badges 3.0 achievements.",
)
@click.option(
    "--defaults",
    "defaults_path",
    type=click.Path(path_type=Path),
    required=True,
    help="YAML with the institution's defaults for elements the source does not state.",
)
@click.option("--institution", required=True, help="Institution name written into the catalog.")
@click.option("--country", default="US", show_default=True)
@click.option("--currency", default="USD", show_default=True)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Catalog file to write.")
@click.option("--report", type=click.Path(path_type=Path), help=REPORT_HELP)
@friendly_errors
def catalog_import(
    sources: tuple[Path, ...],
    source_format: str,
    defaults_path: Path,
    institution: str,
    country: str,
    currency: str,
    out: Path,
    report: Path | None,
) -> None:
    """Convert CTDL or Open Badges 3.0 files into a native catalog, refusing if anything is incomplete."""
    import yaml

    from assistant.core.catalog import Catalog
    from assistant.core.models import Institution
    from index.catalogs.export import write_catalog
    from index.importers.completion import ImportDefaults, ImportResult

    defaults = ImportDefaults.model_validate(yaml.safe_load(defaults_path.read_text(encoding="utf-8")) or {})
    if source_format == "ctdl":
        from index.importers.ctdl import read_ctdl

        result = read_ctdl(sources, defaults)
    else:
        from index.importers.open_badges import read_achievements

        results = [read_achievements(path, defaults) for path in sources]
        result = ImportResult(
            credentials=tuple(c for r in results for c in r.credentials),
            issues=tuple(i for r in results for i in r.issues),
            notes=tuple(n for r in results for n in r.notes),
        )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    try:
        result.raise_for_issues()
    except DataValidationError as exc:
        _reported(out, report, exc)
    owner = Institution(name=institution, country=country, currency=currency)
    imported = Catalog.build(owner, result.credentials, source=", ".join(map(str, sources)))
    write_catalog(out, owner, imported)
    click.echo(f"{out}: {len(imported)} credentials, {len(imported.stack_destinations())} stack destinations")


@catalog.command("onboard")
@click.argument("export", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Review folder to write.")
@click.option(
    "--mapping", type=click.Path(path_type=Path), help="Column mapping; inferred and written to --out if absent."
)
@click.option("--encoding", default="utf-8-sig", show_default=True, help="The export's text encoding.")
@click.option("--replace", is_flag=True, help="Overwrite a folder that already holds a review.")
@click.option(
    "--backend",
    type=click.Choice(["auto", "torch", "onnx"]),
    default="auto",
    show_default=True,
    help="Embedding backend for linking the catalog's sentences (auto: the int8 model when it matches fp32).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@friendly_errors
def catalog_onboard(
    export: Path, out: Path, mapping: Path | None, encoding: str, replace: bool, backend: str, as_json: bool
) -> None:
    """Propose a native catalog from a registrar's CSV export, with ESCO skills suggested from each course's
    own text, and write a review folder (mapping, review sheet, issues) for a person to check."""
    from collections.abc import Sequence
    from dataclasses import asdict

    from assistant.core.linking.linker import SkillMention
    from index.catalogs.onboard.pipeline import onboard
    from index.catalogs.onboard.technologies import technology_finder

    base = Settings()
    settings = base.model_copy(update={"embedding": base.embedding.model_copy(update={"backend": backend})})
    service = Stackwise(settings)
    skills = service.taxonomy.skills

    class Linker:
        """The product's linker, loaded on first use: a bad export is reported before the model loads."""

        def mentions_many(self, texts: Sequence[str]) -> Sequence[Sequence[SkillMention]]:
            return service.skill_linker.mentions_many(texts)

    try:
        summary = onboard(
            export,
            out,
            Linker(),
            is_language_skill=lambda uri: uri in skills and "language" in skills[uri].collections,
            mapping_path=mapping,
            technologies=technology_finder(service.taxonomy),
            encoding=encoding,
            replace=replace,
        )
    except DataValidationError as exc:
        _reported(out.with_name(f"{out.name}.issues.csv"), None, exc)
    if as_json:
        click.echo(json.dumps(asdict(summary), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{summary.courses} courses from {summary.rows} CSV records; {summary.rows_with_suggested_skills} with "
        f"suggested skills ({summary.auto_accepted_skills} of {summary.suggested_skills} accepted unattended); "
        f"prices stated {summary.prices_stated}; {summary.duplicate_groups} duplicate groups; {summary.issues} issues"
    )
    click.echo(
        f"review: {summary.review}\nmapping: {summary.mapping}{' (inferred)' if summary.mapping_inferred else ''}"
    )
    click.echo(f"issues: {summary.issues_file}")


@catalog.command("apply-review")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Native catalog file to write.")
@click.option("--institution", required=True, help="Institution name written into the catalog.")
@click.option("--country", default="US", show_default=True)
@click.option("--currency", default="USD", show_default=True, help="What a price without a currency is read in.")
@click.option(
    "--review", "review", type=click.Path(path_type=Path), help="The edited sheet (default FOLDER/review.csv)."
)
@click.option("--report", type=click.Path(path_type=Path), help=REPORT_HELP)
@friendly_errors
def catalog_apply_review(
    folder: Path, out: Path, institution: str, country: str, currency: str, review: Path | None, report: Path | None
) -> None:
    """Write the native catalog a reviewed onboarding folder describes: rejected courses left out, accepted
    skills only, fields a person edited taken as edited, what the export does not state left not stated."""
    from assistant.core.models import Institution
    from index.catalogs.export import write_catalog
    from index.catalogs.onboard.apply import apply_review

    owner = Institution(name=institution, country=country, currency=currency)
    taxonomy = Stackwise().taxonomy
    try:
        applied = apply_review(folder, institution=owner, known_skill_uris=taxonomy.skills.keys(), review_path=review)
    except DataValidationError as exc:
        _reported(out, report, exc)
    write_catalog(out, owner, applied.catalog)
    click.echo(f"{out}: " + "; ".join(applied.lines()))


@catalog.command("health")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(path_type=Path), help="Column mapping (CSV catalogs).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (stable keys).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the report as Markdown for a committee.")
@click.option("--routes/--no-routes", default=True, show_default=True, help="Plan each listed occupation's routes.")
@friendly_errors
def catalog_health(path: Path | None, mapping: Path | None, as_json: bool, as_markdown: bool, routes: bool) -> None:
    """How the catalog (the configured one, or PATH) stands: near-duplicates, credentials with no useful skills,
    stack destinations that cannot be completed, in-demand skills it does not teach, coverage of the
    occupations it prepares for, and the EU Annex I elements each record lacks."""
    root = Stackwise()
    if path is not None:
        from index.catalogs import load_catalog

        try:
            loaded = load_catalog(path, mapping=mapping, known_skill_uris=root.taxonomy.skills.keys())
        except DataValidationError as exc:
            _reported(path, None, exc)
        root = Stackwise(taxonomy=root.taxonomy, catalog=loaded)
    report = root.catalog_health.report(routes=routes)
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    elif as_markdown:
        click.echo(root.catalog_health.markdown(routes=routes), nl=False)
    else:
        click.echo(
            f"{report.catalog}: {report.credentials} credentials; {len(report.duplicates)} near-duplicate pairs; "
            f"{len(report.unaligned)} with no useful skills; {len(report.destinations)} stacking problems; "
            f"{len(report.demand_gaps)} in-demand skills not taught listed; {len(report.coverage)} occupations "
            f"covered; {len(report.completeness)} records missing an EU Annex I element ({report.seconds:.1f} s)"
        )
        click.echo("--json or --markdown for the findings", err=True)


# -- serving ---------------------------------------------------------------------------------------
@main.command("api")
@click.option("--host", default=None, help="Interface to bind (default from settings: 127.0.0.1).")
@click.option("--port", default=None, type=int)
def api(host: str | None, port: int | None) -> None:
    """Run the HTTP API only."""
    import uvicorn

    from assistant.launcher import KEEP_ALIVE_S

    settings = Settings()
    uvicorn.run(
        "assistant.api.app:app_from_settings",
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
        timeout_keep_alive=KEEP_ALIVE_S,
        proxy_headers=bool(settings.trusted_proxies.strip()),
        forwarded_allow_ips=settings.trusted_proxies.strip() or None,
    )


@main.command("serve")
@click.option("--no-ui", is_flag=True, help="Start the API only.")
@friendly_errors
def serve(no_ui: bool) -> None:
    """Load and check the data, then start the API and the Streamlit page on localhost."""
    from assistant.launcher import serve_all

    serve_all(Settings(), with_ui=not no_ui)


@main.group()
def users() -> None:
    """Accounts of the API: create users (their key is printed once), assign advisees."""


@users.command("create")
@click.option("--role", type=click.Choice(["learner", "advisor", "admin"]), required=True)
@click.option("--name", "display_name", required=True, help="Name shown to other users.")
@friendly_errors
def users_create(role: str, display_name: str) -> None:
    """Create a user and print its API key (only a hash is stored: keep the key)."""
    from assistant.core.access import Role

    root = Stackwise()
    user, key = root.store.create_user(Role(role), display_name)
    root.close()
    click.echo(f"{user.role.value} {user.id} ({user.display_name})\napi key: {key}")


@users.command("assign")
@click.argument("advisor_id")
@click.argument("learner_id")
@friendly_errors
def users_assign(advisor_id: str, learner_id: str) -> None:
    """Make LEARNER_ID an advisee of ADVISOR_ID."""
    root = Stackwise()
    root.store.assign(advisor_id, learner_id)
    root.close()
    click.echo(f"{learner_id} is now an advisee of {advisor_id}")


@users.command("list")
@friendly_errors
def users_list() -> None:
    root = Stackwise()
    for user in root.store.list_users():
        click.echo(f"{user.role.value:8} {user.id}  {user.display_name}")
    root.close()


def _mount_optional_groups() -> None:
    """Commands that live beside their code: ``index`` (vector indexes), ``eval``, ``advise`` and ``goals``."""
    from assistant.advise_cli import advise
    from assistant.goals_cli import goals_group
    from assistant.index_cli import index_group
    from eval.cli import eval_group

    main.add_command(index_group)
    main.add_command(eval_group)
    main.add_command(advise)
    main.add_command(goals_group)


_mount_optional_groups()
