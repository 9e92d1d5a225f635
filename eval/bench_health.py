"""Benchmark of the catalog health report.

    python -m eval.bench_health [--size 2000] [--routes]

Times the health checks on the demo catalog and on a generated catalog of ``--size`` credentials (the
generator the advice benchmark uses, over the occupations of its cases), in one run on this machine, and
prints what each found. The demand index (the taxonomy's skill demand, the same for every catalog) is built
once before the timing and reported on its own. ``--routes`` also plans the cheapest and fastest route for
each listed occupation, which dominates the time; it is reported separately.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from assistant.core.advice.matching import SkillMatcher
from assistant.core.health import catalog_health
from assistant.core.health.demand import demand_index

CASES = Path(__file__).parent / "advice_cases.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--routes", action="store_true", help="Also plan each listed occupation's routes.")
    args = parser.parse_args()

    import yaml

    from assistant.bootstrap import Stackwise
    from eval.catalog_gen import generate_catalog

    root = Stackwise()
    taxonomy = root.taxonomy
    started = time.perf_counter()
    demand_index(taxonomy)
    print(f"demand index (once per taxonomy): {time.perf_counter() - started:.2f} s")
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    occupations = [c["occupation_uri"] for c in cases if c.get("occupation_uri")]
    generated = generate_catalog(taxonomy, occupations, size=args.size, seed=args.seed)
    results = {}
    for name, catalog in (("demo", root.catalog), (f"generated-{len(generated)}", generated)):
        routes = root.catalog_health._routes if args.routes and name == "demo" else None
        started = time.perf_counter()
        report = catalog_health(catalog, taxonomy, SkillMatcher(taxonomy), routes=routes, name=name)
        seconds = time.perf_counter() - started
        results[name] = {
            "credentials": report.credentials,
            "seconds": round(seconds, 2),
            "duplicates": len(report.duplicates),
            "unaligned": len(report.unaligned),
            "destinations": len(report.destinations),
            "demand_gaps": len(report.demand_gaps),
            "coverage_rows": len(report.coverage),
            "incomplete": len(report.completeness),
            "routes_planned": routes is not None,
        }
        print(
            f"{name}: {report.credentials} credentials in {seconds:.2f} s"
            f"{' (with routes)' if routes else ''} on {os.cpu_count()} CPU cores; "
            f"{len(report.duplicates)} near-duplicate pairs, {len(report.unaligned)} unaligned, "
            f"{len(report.destinations)} stacking problems, {len(report.coverage)} occupations covered"
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
