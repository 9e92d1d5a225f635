"""The attacks phase of ``eval.api_fuzz`` (``eval/api_attacks.py``): issue 18's red-team cases, on the lexical stack.

The seeded world is the fuzzer's, over the real taxonomy and demo catalog with a fake embedder (no model, no
index files) and a temporary SQLite store; the phase runs once for the module (a few seconds) and every family
it counts must be handled in full. Families that still fail because of a known server bug are marked xfail
(strict: when the server is fixed they pass, and the mark must go).
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api.app import create_app
from assistant.core.formatting import markdown_text
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings
from eval.api_attacks import (
    FAMILIES,
    HOSTILE_NAME,
    SENTINEL,
    AttackReport,
    Canaries,
    Family,
    LogCapture,
    Operation,
    attack,
    dodges_against,
    inspect_logs,
    json_cases,
    leaves,
    live_markup,
)
from eval.api_fuzz import UNLIMITED, World
from tests.builders import lexical_root

KNOWN_BUGS: dict[str, str] = {}  # family -> the server bug that still fails it (strict xfail)


@pytest.fixture(scope="module")
def world(taxonomy: Taxonomy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    state = tmp_path_factory.mktemp("attacks")
    settings = Settings(
        state_dir=state,
        database_url=f"sqlite:///{state / 'attacks.db'}",
        rate_limit=UNLIMITED,
        guest_rate_limit=UNLIMITED,
        max_upload_mb=1,  # the oversized uploads stay small
    )
    root = lexical_root(taxonomy).sharing(settings)
    yield World.seed(create_app(root), root.store)
    root.close()


@pytest.fixture(scope="module")
def report(world: World) -> AttackReport:
    return attack(world, seed=0, dodges=5)


def test_every_family_is_attempted(report: AttackReport) -> None:
    print("\n".join(report.lines()))
    assert set(report.families) == set(FAMILIES)
    assert all(f.attempts > 0 for key, f in report.families.items() if key != "logs")
    assert report.families["json"].attempts >= 300  # every scalar field of every JSON body, six values
    assert report.canaries > 100
    assert report.dodges and report.dodge_requests == 5
    assert report.tracebacks == {}


@pytest.mark.parametrize(
    "family",
    [
        pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key])) if key in KNOWN_BUGS else key
        for key in FAMILIES
    ],
)
def test_the_family_is_handled_in_full(report: AttackReport, family: str) -> None:
    counted = report.families[family]
    assert counted.failures == 0, "\n".join(counted.examples)


def test_no_dodge_gets_past_the_rate_limit(report: AttackReport) -> None:
    assert set(report.dodges.values()) == {0}
    assert any("proxies none" in kind for kind in report.dodges)
    assert any("proxies 10.0.0.5" in kind for kind in report.dodges)


def test_the_dodge_check_catches_a_server_that_believes_any_local_proxy(world: World) -> None:
    """The control: served as uvicorn serves by default (X-Forwarded-For believed from 127.0.0.1, the client's
    address here), every spoofed address is a fresh bucket and the family counts each one that got through."""
    family = Family("control")
    passed = dodges_against(world, "127.0.0.1", family, Canaries(seed=1), random.Random(1), 3)
    assert passed["proxies 127.0.0.1, API, spoofed X-Forwarded-For"] == 3
    assert passed["proxies 127.0.0.1, API, made-up X-API-Key"] == 0
    assert family.failures >= 6  # API and guest sign-ups, spoofed with and without a key


def test_the_figures_serialise(report: AttackReport) -> None:
    figures = json.loads(json.dumps(report.as_dict()))
    assert figures["attempts"] == sum(f["attempts"] for f in figures["families"].values())
    assert figures["failures"] == report.failures
    assert set(figures["families"]["json"]) >= {"attempts", "handled", "failures", "examples"}


# --- the pieces, without the app ---------------------------------------------------------------------


def test_live_markup_is_told_from_escaped_markup() -> None:
    assert len(live_markup(HOSTILE_NAME)) == 3  # the image, its bare address and the tag
    assert live_markup("see https://evil.example/x") and live_markup("\\https://evil.example/x")
    assert live_markup("<SCRIPT>alert(1)</SCRIPT>")
    assert live_markup(markdown_text(HOSTILE_NAME)) == []
    assert live_markup(markdown_text("<script>alert(1)</script>")) == []
    assert live_markup("\\\\<img src=x>")  # an escaped backslash leaves the tag live
    assert live_markup("&lt;img src=x&gt; and a plain ! [ bracket") == []


def test_every_scalar_field_of_a_body_gets_the_value_in_turn() -> None:
    spec = {
        "components": {
            "schemas": {
                "Goal": {
                    "type": "object",
                    "properties": {"kind": {"const": "occupation"}, "title": {"type": "string"}},
                    "required": ["kind", "title"],
                },
                "Body": {
                    "type": "object",
                    "properties": {
                        "target": {"oneOf": [{"$ref": "#/components/schemas/Goal"}]},
                        "budget": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["target"],
                },
            }
        }
    }
    schema = {"$ref": "#/components/schemas/Body"}
    base = {"target": {"kind": "occupation", "title": "data analyst"}}
    assert dict(leaves(spec, schema)) == {
        "target.kind": {"target": {"kind": SENTINEL, "title": "data analyst"}},
        "target.title": {"target": {"kind": "occupation", "title": SENTINEL}},
        "budget": {**base, "budget": SENTINEL},
        "tags.[]": {**base, "tags": [SENTINEL]},
    }
    cases = dict(json_cases(spec, Operation("POST", "/x", ("application/json",), schema)))
    assert cases["(body)"] == json.dumps(SENTINEL)
    assert cases["(key)"] == "{" + json.dumps(SENTINEL) + ": 1}"
    assert len(cases) == 6


def test_a_canary_in_any_log_record_is_a_failure() -> None:
    canaries = Canaries(seed=7)
    token, quiet = canaries(), canaries()
    assert token != quiet and token.startswith("cnry")
    logger = logging.getLogger("stackwise.test_attacks")
    before = logging.getLogger("stackwise").level
    with LogCapture() as capture:
        logger.debug("parsed %s", token.upper())  # any level, any case
        logger.info("nothing personal here")
        logging.getLogger("httpx").warning("the test client's own line %s", token)  # the client's: not kept
    assert logging.getLogger("stackwise").level == before
    logger.warning("after the capture: %s", token)
    report = AttackReport({key: Family(label) for key, label in FAMILIES.items()})
    inspect_logs(report, capture, canaries)
    logs = report.families["logs"]
    assert (report.log_records, logs.attempts, logs.failures) == (2, 2, 1)
    assert token in logs.examples[0].lower()


def test_the_command_takes_the_attack_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--attacks-only`` skips schemathesis and writes the attacks' counts under ``attacks``."""
    import eval.api_fuzz as api_fuzz

    calls: list[str] = []

    def fake_attack(world: object, **kwargs: object) -> AttackReport:
        calls.append("attack")
        report = AttackReport({key: Family(label) for key, label in FAMILIES.items()})
        report.families["json"].check(True, "")
        report.families["oversized"].check(False, "413 expected")
        return report

    class FakeWorld:
        def __enter__(self) -> object:
            return object()

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr("eval.api_attacks.attack", fake_attack)
    monkeypatch.setattr(api_fuzz, "real_world", lambda *args: FakeWorld())
    monkeypatch.setattr(api_fuzz, "fuzz", lambda *a, **k: pytest.fail("schemathesis ran"))
    out = tmp_path / "figures.json"
    assert api_fuzz.main(["--attacks-only", "--json", str(out)]) == 1
    figures = json.loads(out.read_text())
    assert calls == ["attack"] and set(figures) == {"attacks"}
    assert figures["attacks"]["families"]["oversized"]["failures"] == 1
