"""Write every skill link the product reads from a set of résumés, with what a judge needs and what the
calibration model reads: ``python -m eval.link_dump --out links.jsonl SOURCE...``; with ``--technologies``,
the products the profile lists (O*NET technologies, keyed ``onet-technology:NAME``) instead.

A SOURCE is a folder of ``.txt`` résumés (each a document named ``folder/file``) or a resume_entities file
with ``:first-last`` (``traindata.json:0-11``: those résumés, named ``re-train-<n>``). Each row is one
mention on one line: the document and line, the line and its neighbours (for hard-wrapped sentences), the
phrase and its span, the ESCO skill (label, alternative labels, description), the route, the linker's
confidence and margin, the section, the features and the probability the current calibration gives.

The rows carry résumé text: write them outside the project (they are read by judges, not committed);
the judgments committed under ``eval/linking_judgments/`` keep only ``doc``, ``line_no``, ``skill_uri``
and the verdict.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.bootstrap import Stackwise
from assistant.core.advice import technology_lexicon_for
from assistant.core.profile import find_technologies, held_technologies, score_links


def documents(sources: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(document name, text) for each source: a folder of .txt files, or a resume_entities file range."""
    from eval.resume_entities import load

    for source in sources:
        path_text, _, span = source.partition(":")
        path = Path(path_text)
        if path.is_dir():
            for file in sorted(path.glob("*.txt")):
                yield f"{path.name}/{file.stem}", file.read_text(encoding="utf-8")
            continue
        resumes = load(path)
        first, _, last = span.partition("-") if span else ("0", "", str(len(resumes) - 1))
        split = "test" if "test" in path.name else "train"
        for resume in resumes[int(first) : int(last or first) + 1]:
            yield f"re-{split}-{resume.index}", resume.content


def dump(root: Stackwise, name: str, text: str) -> list[dict[str, Any]]:
    """The skill links of one résumé, as the product scores them (products read first, as it does)."""
    document = root.reader.document_from_text(text)
    linker = root.skill_linker
    products = find_technologies(document, technology_lexicon_for(root.taxonomy))
    rows = []
    for link in score_links(document, linker, root.link_calibration, root.taxonomy.occupations_requiring, products):
        mention, line = link.mention, document.line(link.line_no)
        skill = linker.skills[mention.uri]
        neighbours = {n.line_no: n.text for n in document.lines if abs(n.line_no - link.line_no) == 1}
        rows.append(
            {
                "id": f"{name}#{link.line_no}#{mention.uri.rsplit('/', 1)[-1]}",
                "doc": name,
                "line_no": link.line_no,
                "line": line.text,
                "before": neighbours.get(link.line_no - 1, ""),
                "after": neighbours.get(link.line_no + 1, ""),
                "phrase": mention.text,
                "span": [mention.start, mention.end],
                "skill_uri": mention.uri,
                "label": skill.preferred_label,
                "alt_labels": list(skill.alt_labels[:6]),
                "description": (skill.description or "")[:400],
                "method": mention.method,
                "confidence": mention.confidence,
                "margin": mention.margin,
                "section": line.section.value,
                "features": dict(link.features),
                "probability": link.probability,
            }
        )
    return rows


def dump_technologies(root: Stackwise, name: str, text: str) -> list[dict[str, Any]]:
    """The products the profile lists for one résumé, each with the first line that names it."""
    document = root.reader.document_from_text(text)
    rows = []
    for tool in held_technologies(document, find_technologies(document, technology_lexicon_for(root.taxonomy))):
        evidence = tool.evidence[0]
        line_no = evidence.line_no or 0
        neighbours = {n.line_no: n.text for n in document.lines if abs(n.line_no - line_no) == 1}
        span = evidence.span
        rows.append(
            {
                "id": f"{name}#{line_no}#{tool.key}",
                "doc": name,
                "line_no": line_no,
                "line": evidence.text,
                "before": neighbours.get(line_no - 1, ""),
                "after": neighbours.get(line_no + 1, ""),
                "phrase": evidence.text[span.start : span.end] if span else "",
                "span": [span.start, span.end] if span else None,
                "skill_uri": tool.key,
                "label": tool.label,
                "description": f"O*NET technology example '{tool.name}', a {tool.commodity}",
                "method": "technology",
                "probability": 1.0,
            }
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.link_dump", description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="folders of .txt résumés, or resume_entities FILE:first-last")
    parser.add_argument("--out", type=Path, required=True, help="JSON lines to write (outside the project)")
    parser.add_argument("--technologies", action="store_true", help="the products the profiles list instead")
    args = parser.parse_args(argv)
    root = Stackwise()
    count = 0
    with args.out.open("w", encoding="utf-8") as handle:
        for name, text in documents(args.sources):
            for row in (dump_technologies if args.technologies else dump)(root, name, text):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    print(f"{count} links written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
