"""``stackwise index``: build the vector indexes and report on them.

Mounted by ``assistant/cli.py``. The commands take the wiring root (taxonomy, catalog, settings, embedder)
from ``ctx.obj`` when a caller provides one, which is how tests run them on a fake embedder; the building
itself is offline tooling in :mod:`index.build`.
"""

from __future__ import annotations

import json
import os
import sys

import click

from assistant.bootstrap import Stackwise
from assistant.cli_errors import friendly_errors
from assistant.core.ports import CREDENTIALS, PARTS


def _service(ctx: click.Context) -> Stackwise:
    if isinstance(ctx.obj, Stackwise):
        return ctx.obj
    return Stackwise()


@click.group("index")
def index_group() -> None:
    """Vector indexes of skills, occupations and credentials (semantic search)."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@index_group.command("build")
@click.option("--catalog-only", is_flag=True, help="Only the credentials part (after a catalog change).")
@click.option("--force", is_flag=True, help="Rebuild even the parts that are up to date.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.pass_context
@friendly_errors
def build(ctx: click.Context, catalog_only: bool, force: bool, quiet: bool, as_json: bool) -> None:
    """Embed and index what is missing or stale; up-to-date parts are reused."""
    from index.build import build_indexes

    service = _service(ctx)
    settings = service.settings
    parts = (CREDENTIALS,) if catalog_only else PARTS
    taxonomy = service.taxonomy
    catalog = service.catalog
    embedder = service.embedder
    if not quiet:
        backend = getattr(embedder, "backend", "?")
        click.echo(f"model {embedder.model_id} ({backend}); index folder {settings.index_path}", err=True)
    report = build_indexes(
        settings.index_path,
        embedder=embedder,
        taxonomy=taxonomy,
        catalog=catalog,
        parts=parts,
        force=force,
        hnsw_threshold=settings.index_hnsw_threshold,
        progress=not quiet,
    )
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, default=str))
        return
    for name, part in report.parts.items():
        counts = part.counts
        what = f"{counts.get('keys', 0)} keys, {counts.get('texts', 0)} texts, {part.index_type}"
        if part.status == "reused":
            click.echo(f"{name:12} up to date ({what})")
        else:
            click.echo(f"{name:12} built in {part.seconds:.1f}s ({what}; {part.reason})")
    click.echo(f"done in {report.seconds:.1f}s: {settings.index_path}", err=True)


@index_group.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--no-check", is_flag=True, help="Skip comparing with the current taxonomy and catalog (faster).")
@click.pass_context
@friendly_errors
def stats(ctx: click.Context, as_json: bool, no_check: bool) -> None:
    """Counts per part, index types, model, dimension, size on disk, and whether each part is stale."""
    from assistant.adapters.search.documents import build_documents
    from assistant.adapters.search.indexes import index_stats

    service = _service(ctx)
    settings = service.settings
    model_id, dimension = service.embedder_identity()
    documents = None
    if not no_check:
        documents = build_documents(PARTS, taxonomy=service.taxonomy, catalog=service.catalog)
    result = index_stats(settings.index_path, model_id=model_id, dimension=dimension, documents=documents)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(f"index folder  {result['index_dir']}")
        click.echo(f"model         {model_id} ({dimension} dimensions)")
        for name, part in result["parts"].items():
            counts = part["counts"]
            line = f"{name:12}  {part['state']:8}"
            if counts:
                kinds = ", ".join(f"{v} {k}" for k, v in counts.items() if k not in ("entries", "texts", "keys"))
                line += (
                    f"  {part['index_type']:5} {counts.get('texts', 0):>7} vectors  {kinds};"
                    f" {part['bytes_on_disk'] / 2**20:.1f} MiB; built {part['built_at']}"
                )
            if part["reason"]:
                line += f"  — {part['reason']}"
            click.echo(line)
        if result.get("hint"):
            click.echo(result["hint"], err=True)
    if not result["ok"]:
        sys.exit(1)
