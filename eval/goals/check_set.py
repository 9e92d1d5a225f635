"""Validate the goal-phrase evaluation set (dev.jsonl and heldout.jsonl).

Run from the project root:  .venv/bin/python eval/goals/check_set.py
Stdlib only; reads the ESCO v1.1.1 occupations CSV straight from the zip.
Exits non-zero if any check fails. Prints counts by kind and expect (never item text).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ESCO_ZIP = HERE.parents[2] / "shared" / "data" / "esco" / "esco_v1.1.1_classification_en_csv.zip"
if not ESCO_ZIP.exists():
    ESCO_ZIP = Path("/work/shared/data/esco/esco_v1.1.1_classification_en_csv.zip")

FILES = {"dev": (HERE / "dev.jsonl", 160), "heldout": (HERE / "heldout.jsonl", 60)}
REQUIRED = {
    "id": str,
    "text": str,
    "kind": str,
    "expect": str,
    "accept": list,
    "accept_labels": list,
    "field": bool,
    "note": str,
}
KINDS = {"specific", "ambiguous", "field", "nonsense", "typo", "us_uk", "sentence", "abbreviation"}
EXPECTS = {"resolved", "clarify", "not_found"}
URI_PREFIX = "http://data.europa.eu/esco/occupation/"


def load_esco() -> dict[str, str]:
    with zipfile.ZipFile(ESCO_ZIP) as z:
        name = next(n for n in z.namelist() if "occupations_en" in n)
        with z.open(name) as fh:
            rows = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8"))
            return {r["conceptUri"]: r["preferredLabel"].strip() for r in rows}


def norm_text(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def main() -> int:
    esco = load_esco()
    errors: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}

    for split, (path, minimum) in FILES.items():
        if not path.exists():
            errors.append(f"{split}: missing file {path}")
            continue
        items = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.append((n, json.loads(line)))
            except json.JSONDecodeError as e:
                errors.append(f"{split}:{n}: bad JSON ({e})")
        if len(items) < minimum:
            errors.append(f"{split}: {len(items)} items, need >= {minimum}")

        kinds: Counter[str] = Counter()
        expects: Counter[str] = Counter()
        cross: Counter[tuple[str, str]] = Counter()
        for n, it in items:
            where = f"{split}:{n}"
            if not isinstance(it, dict):
                errors.append(f"{where}: not an object")
                continue
            for key, typ in REQUIRED.items():
                if key not in it:
                    errors.append(f"{where}: missing key {key!r}")
                elif not isinstance(it[key], typ):
                    errors.append(f"{where}: {key!r} should be {typ.__name__}")
            extra = set(it) - set(REQUIRED)
            if extra:
                errors.append(f"{where}: unexpected keys {sorted(extra)}")
            if any(k not in it or not isinstance(it[k], REQUIRED[k]) for k in REQUIRED):
                continue
            iid, text, kind, expect = it["id"], it["text"], it["kind"], it["expect"]
            if iid in seen_ids:
                errors.append(f"{where}: duplicate id {iid!r} (also in {seen_ids[iid]})")
            seen_ids[iid] = where
            if not text.strip():
                errors.append(f"{where}: empty text")
            t = norm_text(text)
            if t in seen_texts:
                errors.append(f"{where}: duplicate text (also in {seen_texts[t]})")
            seen_texts[t] = where
            if kind not in KINDS:
                errors.append(f"{where}: kind {kind!r} not in {sorted(KINDS)}")
            if expect not in EXPECTS:
                errors.append(f"{where}: expect {expect!r} not in {sorted(EXPECTS)}")
            if not it["note"].strip():
                errors.append(f"{where}: empty note")
            acc, labels = it["accept"], it["accept_labels"]
            if len(acc) != len(labels):
                errors.append(f"{where}: accept and accept_labels differ in length")
            if len(set(acc)) != len(acc):
                errors.append(f"{where}: duplicate URI in accept")
            for uri, label in zip(acc, labels, strict=False):
                if not isinstance(uri, str) or not uri.startswith(URI_PREFIX):
                    errors.append(f"{where}: not an ESCO occupation URI: {uri!r}")
                elif uri not in esco:
                    errors.append(f"{where}: URI not in ESCO v1.1.1: {uri}")
                elif not isinstance(label, str) or esco[uri] != label.strip():
                    errors.append(f"{where}: label {label!r} != ESCO preferredLabel {esco[uri]!r}")
            if expect == "not_found" and acc:
                errors.append(f"{where}: not_found item must have empty accept")
            if expect in ("resolved", "clarify") and not acc:
                errors.append(f"{where}: {expect} item needs a non-empty accept")
            if it["field"] and expect != "clarify":
                errors.append(f"{where}: field=true only makes sense with expect=clarify")
            if kind == "field" and not it["field"]:
                errors.append(f"{where}: kind=field should have field=true")
            if kind == "nonsense" and expect != "not_found":
                errors.append(f"{where}: kind=nonsense should expect not_found")
            kinds[kind] += 1
            expects[expect] += 1
            cross[(kind, expect)] += 1

        total = len(items)
        print(f"== {split}: {total} items ({path.name})")
        print(
            "  by kind:   "
            + ", ".join(f"{k}={kinds[k]} ({100 * kinds[k] / max(total, 1):.0f}%)" for k in sorted(kinds))
        )
        print("  by expect: " + ", ".join(f"{e}={expects[e]}" for e in sorted(expects)))
        print("  field=true: " + str(sum(1 for _, it in items if isinstance(it, dict) and it.get("field") is True)))
        print("  kind x expect: " + ", ".join(f"{k}/{e}={c}" for (k, e), c in sorted(cross.items())))

    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for problem in errors:
            print("  - " + problem)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
