"""The gate study compares fitted models with the hand-set gate on goals each model never saw."""

from __future__ import annotations

import ast
import random

from eval.relevance_model import FEATURE_SETS, compare


def _rows() -> list[dict[str, float | int | str]]:
    rng = random.Random(7)
    rows: list[dict[str, float | int | str]] = []
    for goal in range(6):
        for n in range(12):
            label = int(n < 6)
            noise = {f: rng.random() * 0.2 for f in {*FEATURE_SETS["+ all candidates"], "kin"}}
            rows.append(
                {"goal": f"goal {goal}", "credential": f"C-{goal}-{n}", "label": label, "admitted": int(n < 8)}
                | {f: v + (0.5 if label and f == "goal_rank" else 0.0) for f, v in noise.items()}
            )
    return rows


def test_a_feature_that_separates_the_judgments_ranks_them_out_of_sample() -> None:
    lines = compare(_rows())
    assert lines[0] == "72 judged pairs over 6 goals, 36 relevant; the hand-set gate admits 48, 36 of them relevant"
    by_name = {line.split(":")[0].strip(): line for line in lines[1:]}
    assert "AUC 1.000; its top 48: 36 relevant" in by_name["+ goal rank"]  # goal_rank alone separates them
    assert "AUC 1.000" not in by_name["product terms"]  # noise only


def test_the_fitted_gate_is_written_over_fit_and_crowd_as_the_product_adds_them() -> None:
    """goal_rank is fit − crowd: a positive rank weight becomes a negative crowd weight, and the admitting
    chance is one at which the pairs admitted left-one-goal-out are 90% relevant."""
    from eval.relevance_model import fit_gate

    rows = [{**row, "catalog": "demo" if int(str(row["goal"])[-1]) < 3 else "edx"} for row in _rows()]
    lines = fit_gate(rows)
    assert lines[0] == "72 judged development pairs over 6 goals, 36 relevant"
    assert lines[1].startswith("demo: fitted gate (left-one-goal-out) admits ")
    constants = {line.split(" = ")[0]: line.split(" = ")[1] for line in lines if " = " in line}
    weights = ast.literal_eval(constants["FITTED"])  # the printed dict literal, as pasted into relevance.py
    assert set(weights) == {"fit", "crowd", "topic", "share", "in_field", "kin"} and weights["crowd"] < 0
    assert 0.0 < float(constants["ADMIT"]) < 1.0


def test_the_elective_bar_stops_above_the_first_elective_judged_not_relevant() -> None:
    from eval.relevance_model import clean_bar

    assert clean_bar([(0.9, True), (0.62, True), (0.41, False), (0.2, True)]) == 0.45
    assert clean_bar([(0.97, False)]) == 0.95  # nothing clean: the strictest bar
    assert clean_bar([(0.3, True)]) == 0.05  # nothing judged not relevant: as low as the steps go
