"""`stackwise advise` through click's runner, on the tiny taxonomy and catalog with fakes in the wiring root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant.advise_cli import make_advise_command
from assistant.bootstrap import Stackwise
from assistant.core.advice import AdviceService
from assistant.core.models import LearnerProfile
from tests.builders import small_linker
from tests.core.advice.tiny import CLEAN, DB, PY, SQL, FakeSimilarity, make_catalog, make_taxonomy
from tests.fakes import FakeEmbedder

TAXONOMY = make_taxonomy()
CATALOG = make_catalog()


def _root() -> Stackwise:
    """The tiny taxonomy and catalog, wired as the product wires them, on fakes: label similarity from
    ``FakeSimilarity``, the linker over fake embeddings, no title search."""
    embedder = FakeEmbedder()
    return Stackwise(
        taxonomy=TAXONOMY,
        catalog=CATALOG,
        embedder=embedder,
        skill_linker=small_linker(TAXONOMY, CATALOG, embedder),
        advice=AdviceService(TAXONOMY, CATALOG, similarity=FakeSimilarity()),
    )


def run(*args: str) -> Result:
    command = make_advise_command(_root)
    return CliRunner().invoke(command, ["--start", "2026-01-05", *args], catch_exceptions=False)


def test_json_has_profile_gap_recommendations_and_routes() -> None:
    result = run(
        "--skills", "Python, SQL, underwater basket weaving", "--target", "data analyst", "--budget", "900", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"profile", "target", "gap", "recommendations", "routes", "notes"} <= set(data)
    gap = {item["skill_uri"] for item in data["gap"]}
    assert PY not in gap and SQL not in gap and {DB, CLEAN} <= gap
    assert all(float(r["route"]["total_cost"]) <= 900 for r in data["routes"])
    assert data["routes"][0]["route"]["optimal"] is True
    assert any("underwater basket weaving" in note for note in data["notes"])


def test_markdown_resume_constraints_and_held(tmp_path: Path) -> None:
    resume = tmp_path / "cv.txt"
    resume.write_text("Analyst\nBuilt reports in Python and SQL\n", encoding="utf-8")
    result = run(
        "--resume", str(resume), "--target", "data analyst", "--mode", "online", "--held", "C-101",
        "--hours-per-week", "12", "--deadline", "2026-06-30", "--max-eqf", "5", "--language", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = result.output
    assert "# Advice: data analyst" in text and "## Routes" in text
    assert "credentials held: C-101" in text
    recommended = text.split("## Recommended credentials")[1].split("## Routes")[0]
    assert "C-101" not in recommended and "C-130" not in recommended  # held; onsite


def test_posting_explore_and_whatif(tmp_path: Path) -> None:
    posting = tmp_path / "job.txt"
    posting.write_text("Data Engineer\nYou will use databases daily.\nNice to have: Python\n", encoding="utf-8")
    data = json.loads(run("--skills", "SQL", "--posting", str(posting), "--json").output)
    assert data["target"]["kind"] == "posting"
    weights = {item["skill_uri"]: item["weight"] for item in data["gap"]}
    assert weights == {DB: 1.0, PY: 0.4}  # "nice to have" makes Python optional: shown, not planned for
    assert data["gap"][0]["requirements"][0]["citation"].startswith("Data Engineer, line 2")
    assert all(DB in step["covers"] or not step["covers"] for step in data["routes"][0]["route"]["steps"])
    explored = json.loads(run("--skills", "Java, use databases", "--explore", "--json").output)
    assert explored["explored"][0]["label"] == "software developer"
    whatif = run("--skills", "SQL", "--target", "data analyst", "--target", "software developer")
    assert whatif.exit_code == 0 and "# What if: comparing targets" in whatif.output
    assert whatif.output.count("# Advice:") == 2


def test_the_greedy_planner_and_a_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(LearnerProfile(earned_credentials=("C-105",)).model_dump_json(), encoding="utf-8")
    result = run("--profile", str(profile), "--target", "data analyst", "--json", "--planner", "greedy")
    data = json.loads(result.output)
    assert {r["route"]["solver"] for r in data["routes"]} == {"greedy"}
    assert not any(r["route"]["optimal"] for r in data["routes"])
    assert "C-105" in data["profile"]["earned_credentials"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--skills", "SQL"), "exactly one of"),
        (("--skills", "SQL", "--target", "x", "--explore"), "exactly one of"),
        (("--target", "data analyst"), "give a profile"),
        (("--skills", "SQL", "--target", "no such job zzz"), "no ESCO occupation matches"),
    ],
)
def test_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(make_advise_command(_root), list(args))
    assert result.exit_code == 2 and message in result.output


def test_batch_advises_every_line_with_one_root_and_reports_bad_lines(tmp_path: Path) -> None:
    """``--batch``: one JSON line out per line in, the root (model, indexes) built once; a bad line is reported
    in plain words and the others still advised (exit 1)."""
    (tmp_path / "cv.txt").write_text("Analyst\nBuilt reports in Python and SQL\n", encoding="utf-8")
    lines = [
        {"id": "ana", "skills": "Python, SQL", "target": "data analyst", "budget": "900"},
        {"id": "ben", "resume": "cv.txt", "target": "data analyst", "held": ["C-101"]},
        {"id": "cy", "target": "data analyst", "resume": "missing.txt"},
        {"id": "", "target": "data analyst"},
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    built: list[Stackwise] = []

    def root() -> Stackwise:
        built.append(_root())
        return built[-1]

    result = CliRunner().invoke(
        make_advise_command(root), ["--start", "2026-01-05", "--batch", str(batch)], catch_exceptions=False
    )
    assert result.exit_code == 1 and len(built) == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["ana", "ben", "cy", None]
    ana, ben, cy, empty = out
    assert {PY, SQL}.isdisjoint(item["skill_uri"] for item in ana["result"]["gap"])
    assert all(float(r["route"]["total_cost"]) <= 900 for r in ana["result"]["routes"])
    assert "C-101" in ben["result"]["profile"]["earned_credentials"]
    assert "missing.txt" in cy["error"] and "id" in empty["error"]
    assert "batch: 4 profiles, 2 failed" in result.stderr


def test_batch_takes_no_single_profile_flags(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"id": "a", "skills": "SQL", "target": "data analyst"}\n', encoding="utf-8")
    result = run("--batch", str(batch), "--target", "data analyst")
    assert result.exit_code == 2 and "--batch gives each line its profile and target" in result.output
