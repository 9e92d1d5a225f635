"""Benchmark the vector indexes against LangChain's stock ``FAISS.from_texts`` on the same texts.

Run ``python -m eval.bench_index`` (the full taxonomy + the configured catalog: tens of minutes on
two cores) or ``python -m eval.bench_index --sample 2000`` (a quick run). It measures, in one run:

* a full build from an empty folder (per part: texts, embedding and indexing seconds);
* a rebuild after a catalog change (one credential retitled): only the catalog is re-embedded,
  and the ratio full build / catalog rebuild;
* loading (with every check), then query latency p50/p95 for single queries (embed + search and
  search alone) and for batches of 100, per part, over 100 real job titles and skill phrases;
* peak resident memory;
* the baseline: ``FAISS.from_texts`` with ``HuggingFaceEmbeddings`` (the same model by path) on the
  same distinct texts, queried through ``similarity_search`` — build and latency ratios, and how
  often both put the same key first.

``--json`` prints the figures as JSON (the table goes to stderr then).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

JOB_TITLES = (
    "software engineer",
    "senior python developer",
    "data analyst",
    "data scientist",
    "registered nurse",
    "nursing assistant",
    "truck driver",
    "forklift operator",
    "welder",
    "electrician",
    "plumber",
    "accountant",
    "bookkeeper",
    "marketing manager",
    "social media coordinator",
    "sales representative",
    "customer service representative",
    "call center agent",
    "project manager",
    "scrum master",
    "product owner",
    "UX designer",
    "graphic designer",
    "web developer",
    "front-end developer",
    "devops engineer",
    "cloud architect",
    "network administrator",
    "IT support technician",
    "cybersecurity analyst",
    "machine learning engineer",
    "database administrator",
    "HR generalist",
    "recruiter",
    "payroll specialist",
    "warehouse associate",
    "logistics coordinator",
    "chef",
    "line cook",
    "barista",
    "hotel receptionist",
    "elementary school teacher",
    "teaching assistant",
    "pharmacy technician",
    "dental hygienist",
    "medical assistant",
    "CNC machinist",
    "HVAC technician",
    "construction laborer",
    "solar panel installer",
)
SKILL_PHRASES = (
    "SQL",
    "structured query language",
    "Python programming",
    "Excel pivot tables",
    "data visualisation",
    "Tableau dashboards",
    "statistical analysis",
    "machine learning",
    "Kubernetes",
    "Docker containers",
    "AWS cloud services",
    "Linux system administration",
    "Java Spring Boot",
    "React front-end",
    "REST API design",
    "agile methodologies",
    "stakeholder management",
    "budget planning",
    "negotiate contracts",
    "public speaking",
    "team leadership",
    "customer relationship management",
    "patient care",
    "administer medication",
    "wound dressing",
    "infection control",
    "forklift operation",
    "MIG welding",
    "read blueprints",
    "electrical wiring",
    "plumbing repairs",
    "HVAC maintenance",
    "food safety",
    "inventory management",
    "cash handling",
    "bookkeeping",
    "tax preparation",
    "payroll processing",
    "recruitment interviews",
    "onboarding new employees",
    "lesson planning",
    "classroom management",
    "graphic design with Adobe Photoshop",
    "SEO optimisation",
    "social media marketing",
    "copywriting",
    "technical writing",
    "quality assurance testing",
    "network security",
    "incident response",
)
QUERIES: tuple[str, ...] = JOB_TITLES + SKILL_PHRASES


def _rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {"p50": float("nan"), "p95": float("nan")}

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"p50": pick(0.50) * 1000, "p95": pick(0.95) * 1000, "mean": statistics.fmean(ordered) * 1000}


def _lc_search(store: Any, k: int, query: str) -> Any:
    return store.similarity_search(query, k=k)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from assistant.adapters.search.documents import build_documents
    from assistant.adapters.search.embedding import make_embedder
    from assistant.adapters.search.indexes import load_indexes
    from assistant.core.catalog import Catalog
    from assistant.core.ports import CREDENTIALS, OCCUPATIONS, PARTS, SKILLS
    from assistant.settings import Settings
    from index.build import build_indexes
    from index.bundle import load_taxonomy
    from index.catalogs import load_catalog

    settings = Settings()
    if args.backend:
        embedding = settings.embedding.model_copy(update={"backend": args.backend})
        settings = settings.model_copy(update={"embedding": embedding})
    if args.threads:
        # ours (torch or onnxruntime) and the baseline's torch get the same number of threads
        import torch

        torch.set_num_threads(args.threads)
        embedding = settings.embedding.model_copy(update={"threads": args.threads})
        settings = settings.model_copy(update={"embedding": embedding})
    out: dict[str, Any] = {
        "sample": args.sample,
        "queries": len(QUERIES),
        "k": args.k,
        "cpus": os.cpu_count(),
        "threads": args.threads,
        "load_average_at_start": os.getloadavg()[0],
    }

    def say(*parts: object) -> None:
        if not args.quiet:
            print(*parts, file=sys.stderr)

    started = time.perf_counter()
    taxonomy = load_taxonomy(settings.bundle_dir)
    catalog = load_catalog(
        settings.catalog_path, mapping=settings.catalog_mapping, known_skill_uris=taxonomy.skills.keys()
    )
    out["load_inputs_s"] = time.perf_counter() - started
    docs = build_documents(PARTS, taxonomy=taxonomy, catalog=catalog)
    if args.sample:
        docs[SKILLS] = docs[SKILLS].sample(args.sample)
        docs[OCCUPATIONS] = docs[OCCUPATIONS].sample(args.sample)
    out["counts"] = {part: d.counts() for part, d in docs.items()}

    started = time.perf_counter()
    embedder = make_embedder(settings.embedding, cache_dir=settings.models_path)
    embedder.embed(["warm-up"])
    embedder.clear_cache()
    out["embedder"] = {**embedder.describe(), "load_s": time.perf_counter() - started}
    say(f"embedder: {out['embedder']}")

    workdir = Path(args.index_dir or tempfile.mkdtemp(prefix="stackwise-bench-"))
    index_dir = workdir / "index"

    # -- full build --------------------------------------------------------------------------------
    say(f"full build into {index_dir} …")
    report = build_indexes(
        index_dir,
        embedder=embedder,
        documents=docs,
        force=True,
        hnsw_threshold=settings.index_hnsw_threshold,
        progress=not args.quiet,
    )
    out["full_build"] = report.as_dict()
    full_s = report.seconds

    # -- catalog change ----------------------------------------------------------------------------
    credentials = list(catalog)
    credentials[0] = credentials[0].model_copy(update={"title": credentials[0].title + " (revised)"})
    changed = Catalog(catalog.institution, credentials, source=catalog.source)
    docs_changed = dict(docs)
    docs_changed[CREDENTIALS] = build_documents([CREDENTIALS], taxonomy=taxonomy, catalog=changed)[CREDENTIALS]
    embedder.clear_cache()
    before = getattr(embedder, "texts_encoded", 0)
    say("rebuild after a catalog change …")
    report = build_indexes(
        index_dir,
        embedder=embedder,
        documents=docs_changed,
        hnsw_threshold=settings.index_hnsw_threshold,
        progress=not args.quiet,
    )
    out["catalog_rebuild"] = {**report.as_dict(), "texts_encoded": getattr(embedder, "texts_encoded", 0) - before}
    out["full_over_catalog_rebuild"] = full_s / report.seconds

    # -- load and query ----------------------------------------------------------------------------
    started = time.perf_counter()
    indexes = load_indexes(index_dir, embedder=embedder, documents=docs_changed)
    out["load_indexes_s"] = time.perf_counter() - started
    queries = list(QUERIES)
    out["rss_mib_after_load"] = _rss_mib()
    out["peak_rss_mib_ours"] = _peak_rss_mib()

    # -- baseline: LangChain's stock path, built on the same texts -----------------------------------
    baseline: dict[str, Any] | None = None
    if not args.no_baseline:
        baseline = _baseline_build(docs_changed, args, settings, say, indexes)

    # -- latency, ours and the baseline's interleaved query by query (both see the same load) --------
    say("timing queries …")
    latency: dict[str, Any] = {}
    for part in PARTS:
        bound = indexes.part(part)
        lc_store = baseline["stores"][part] if baseline else None
        single: list[float] = []
        lc_single: list[float] = []
        embedder.clear_cache()
        for query in queries:
            single.append(_timed(bound.search_one, query, args.k))
            if lc_store is not None:
                lc_single.append(_timed(_lc_search, lc_store, args.k, query))
        vectors = embedder.embed(queries)
        search_only = [_timed(bound.search_vectors, vectors[row : row + 1], args.k) for row in range(len(queries))]
        batches: list[float] = []
        lc_batches: list[float] = []
        for _ in range(args.repeat):
            embedder.clear_cache()
            batches.append(_timed(bound.search, queries, args.k))
            if lc_store is not None and baseline is not None:
                lc_batches.append(_timed(_lc_batch, lc_store, baseline["embeddings"], args.k, queries))
        latency[part] = {
            "index_type": bound.store.index_type,
            "single_ms": _percentiles(single),
            "single_search_only_ms": _percentiles(search_only),
            "batch100_ms": _percentiles(batches),
        }
        if baseline is not None:
            ours = [hits[0].key if hits else None for hits in bound.search(queries, args.k)]
            theirs = (
                [
                    docs_[0].metadata["key"] if docs_ else None
                    for docs_ in (lc_store.similarity_search(q, k=1) for q in queries)
                ]
                if lc_store is not None
                else []
            )
            sampled = baseline["build"][part]["texts"] < baseline["build"][part]["of_texts"]
            baseline["latency"][part] = {
                "index_filled_from_our_vectors": sampled,
                "single_ms": _percentiles(lc_single),
                "batch100_ms": _percentiles(lc_batches),
                "top1_same_key_as_ours": sum(a == b for a, b in zip(ours, theirs, strict=True)) / len(queries),
            }
    out["latency"] = latency

    # -- quality: HNSW against exact search on the same vectors ------------------------------------
    recall: dict[str, float] = {}
    top1: dict[str, float] = {}
    vectors = embedder.embed(queries)
    for part in PARTS:
        store = indexes.part(part).store
        if store.index_type != "hnsw":
            continue
        approx = store.search(vectors, args.k)
        exact = store.search(vectors, args.k, exact=True)
        found = sum(len({h.key for h in a} & {h.key for h in e}) for a, e in zip(approx, exact, strict=True))
        recall[part] = found / sum(len(e) for e in exact)
        top1[part] = sum(a[0].key == e[0].key for a, e in zip(approx, exact, strict=True) if e) / len(queries)
    out["hnsw_recall_at_k"] = recall
    out["hnsw_top1_same_as_exact"] = top1
    if baseline is not None:
        baseline.pop("stores")
        baseline.pop("embeddings")
        baseline["rss_mib_added"] = _rss_mib() - out["rss_mib_after_load"]
        out["baseline"] = baseline
    out["peak_rss_mib_total"] = _peak_rss_mib()
    out["load_average_at_end"] = os.getloadavg()[0]
    return out


def _reconstruct(store: Any) -> Any:
    import faiss

    flat = faiss.downcast_index(store.index.storage) if store.index_type == "hnsw" else store.index
    return flat.reconstruct_n(0, flat.ntotal)


def _timed(func: Callable[..., Any], *args: Any) -> float:
    started = time.perf_counter()
    func(*args)
    return time.perf_counter() - started


def _lc_batch(store: Any, embeddings: Any, k: int, queries: Sequence[str]) -> None:
    """LangChain has no batched search: embed the batch at once, then search vector by vector."""
    for vector in embeddings.embed_documents(list(queries)):
        store.similarity_search_by_vector(vector, k=k)


def _baseline_build(
    docs: dict[str, Any], args: argparse.Namespace, settings: Any, say: Callable[..., None], indexes: Any
) -> dict[str, Any]:
    """Time ``FAISS.from_texts``; with ``--baseline-sample`` on the first N texts of each part (scaled).

    A sampled baseline is then filled to full size with ``FAISS.from_embeddings`` (the stock class,
    vectors taken from our index), so its query latency is measured on an index as big as ours.
    """
    from langchain_community.vectorstores import FAISS
    from langchain_huggingface import HuggingFaceEmbeddings

    from assistant.adapters.search.documents import iter_texts
    from assistant.adapters.search.embedding import resolve_model_path

    started = time.perf_counter()
    embeddings = HuggingFaceEmbeddings(
        model_name=str(resolve_model_path(settings.embedding.model_path)),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": settings.embedding.batch_size},
    )
    embeddings.embed_query("warm-up")
    result: dict[str, Any] = {"model_load_s": time.perf_counter() - started, "build": {}, "latency": {}}
    total = 0.0
    stores = {}
    for part, documents in docs.items():
        first_key: dict[str, str] = {}
        for entry in documents.entries:
            first_key.setdefault(entry.text, entry.key)
        all_texts = list(iter_texts(documents))
        texts = all_texts[: args.baseline_sample] if args.baseline_sample else all_texts
        say(f"baseline: FAISS.from_texts over {len(texts)} of {len(all_texts)} {part} texts …")
        started = time.perf_counter()
        stores[part] = FAISS.from_texts(texts, embeddings, metadatas=[{"key": first_key[t]} for t in texts])
        seconds = time.perf_counter() - started
        if len(texts) < len(all_texts):
            store = indexes.part(part).store
            vectors = _reconstruct(store)
            stores[part] = FAISS.from_embeddings(
                list(zip(store.texts, vectors.tolist(), strict=True)),
                embeddings,
                metadatas=[{"key": first_key[t]} for t in store.texts],
            )
        # with --baseline-sample, scaled to all texts at the measured rate (embedding dominates)
        scaled = seconds * len(all_texts) / max(1, len(texts))
        total += scaled
        result["build"][part] = {
            "texts": len(texts),
            "of_texts": len(all_texts),
            "seconds": seconds,
            "seconds_scaled_to_all": scaled,
        }
    result["build_seconds"] = total
    result["sampled"] = bool(args.baseline_sample)
    result["stores"] = stores
    result["embeddings"] = embeddings
    return result


def _table(out: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str]] = []

    def fmt(value: float | None, unit: str = "") -> str:
        return "—" if value is None else f"{value:,.2f}{unit}"

    base = out.get("baseline")
    full = out["full_build"]
    rows.append(
        (
            "full build (s)" + (" [baseline scaled from --baseline-sample]" if base and base["sampled"] else ""),
            fmt(full["seconds"]),
            fmt(base["build_seconds"]) if base else "—",
            fmt(base["build_seconds"] / full["seconds"], "×") if base else "—",
        )
    )
    for part, report in full["parts"].items():
        b = base["build"][part]["seconds_scaled_to_all"] if base else None
        rows.append(
            (
                f"  {part}: {report['counts'].get('texts')} texts, {report['index_type']}",
                fmt(report["seconds"]),
                fmt(b),
                fmt(b / report["seconds"], "×") if b else "—",
            )
        )
    rows.append(("rebuild after catalog change (s)", fmt(out["catalog_rebuild"]["seconds"]), "", ""))
    rows.append(("  texts re-embedded", str(out["catalog_rebuild"]["texts_encoded"]), "", ""))
    rows.append(("  ratio full build / catalog rebuild", fmt(out["full_over_catalog_rebuild"], "×"), "", ""))
    rows.append(("load indexes with checks (s)", f"{out['load_indexes_s']:.3f}", "", ""))
    for part, lat in out["latency"].items():
        bl = base["latency"][part] if base else None
        for label, key in (("single query", "single_ms"), ("batch of 100", "batch100_ms")):
            for q in ("p50", "p95"):
                ours = lat[key][q]
                theirs = bl[key][q] if bl else None
                rows.append(
                    (f"{part} {label} {q} (ms)", fmt(ours), fmt(theirs), fmt(theirs / ours, "×") if theirs else "—")
                )
        rows.append(
            (
                f"{part} search only, single p50/p95 (ms)",
                f"{lat['single_search_only_ms']['p50']:.3f} / {lat['single_search_only_ms']['p95']:.3f}",
                "",
                "",
            )
        )
        if bl and bl["top1_same_key_as_ours"] is not None:
            rows.append((f"{part} top-1 key same as baseline", f"{bl['top1_same_key_as_ours']:.0%}", "", ""))
    for part, value in out["hnsw_recall_at_k"].items():
        rows.append((f"{part} HNSW recall@{out['k']} vs exact", f"{value:.3f}", "", ""))
        rows.append((f"{part} HNSW top-1 same as exact", f"{out['hnsw_top1_same_as_exact'][part]:.0%}", "", ""))
    rows.append(("RSS after loading the indexes (MiB)", fmt(out["rss_mib_after_load"]), "", ""))
    rows.append(
        (
            "peak RSS (MiB): ours (build+load) / whole run",
            fmt(out["peak_rss_mib_ours"]),
            fmt(out["peak_rss_mib_total"]),
            "",
        )
    )
    if base:
        rows.append(("RSS added by the baseline (MiB)", "", fmt(base["rss_mib_added"]), ""))
    header = ("metric", "stackwise", "langchain FAISS", "baseline/ours")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(4)]
    lines = [
        f"embedder: {out['embedder']['model_id']} ({out['embedder']['backend']}), {out['cpus']} CPUs, "
        f"{out['queries']} queries, k={out['k']}, threads={out['threads'] or 'default'}, "
        f"load average at start {out['load_average_at_start']:.2f}"
        + (f", sample={out['sample']}" if out["sample"] else ""),
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_index", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=None, help="limit each taxonomy part to about N texts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    parser.add_argument("--backend", choices=("torch", "onnx", "auto"), help="override STACKWISE_EMBEDDING_BACKEND")
    parser.add_argument("--index-dir", type=Path, help="build here instead of a temporary folder")
    parser.add_argument("--no-baseline", action="store_true", help="skip the LangChain FAISS.from_texts baseline")
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=None,
        help="baseline embeds only the first N texts of each part (build time scaled to all texts); its "
        "index is then filled to full size from our vectors so query latency is measured at full size",
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="embedding threads for ours and the baseline (default: libraries')"
    )
    parser.add_argument("-k", type=int, default=10, help="hits per query (default 10)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the 100-query batch (default 5)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    out = run(args)
    table = _table(out)
    if args.json:
        print(table, file=sys.stderr)
        print(json.dumps(out, indent=2, default=str))
    else:
        print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
