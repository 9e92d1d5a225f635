"""Fuzz the HTTP API with schemathesis against its own OpenAPI spec. ``python -m eval.api_fuzz``.

The real app runs in-process (ASGI) on the real data and indexes (the built ``.stackwise/index``; without
one, the small real stack of ``eval/realstack.py``), a temporary SQLite store and rate limits raised out of
the way. Before the run a learner uploads a résumé, starts a conversation and gets a brief from an assigned
advisor, so generated requests carry a real key (learner, advisor or admin, varied per request) and about
half of the ids they name (learner, session, brief, credential, occupation) exist: the fuzzer reaches the
handlers, not only 401 and 404. DELETE requests are pointed at throw-away objects made for them, so the
seeded world survives the run.

schemathesis runs its phases (examples, coverage, fuzzing, stateful) with every default check. The gate is
``not_a_server_error``: any 5xx answer, or an exception escaping the app, fails the run (exit 1). The other
checks (status code, content type, response schema and headers conformance, data acceptance, auth) are
counted and reported by kind. ``--json PATH`` writes the figures.

Then the attacks phase (``eval/api_attacks.py``, issue 18's red-team cases: non-encodable JSON, oversized
bodies, rate-limit dodges, brief ownership, hostile learner text, canaries in the logs) prints attempts, handled
and failures per family; any failure fails the run too. ``--attacks-only`` runs just that phase (quick);
``--no-attacks`` just schemathesis. The JSON figures carry the attacks' counts under ``attacks``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from starlette.types import ASGIApp, Message, Receive, Scope, Send  # noqa: E402

from assistant.bootstrap import Stackwise  # noqa: E402
from assistant.core.access import Role  # noqa: E402
from assistant.core.store import BriefRecord, ResumeRecord, Store, utcnow  # noqa: E402
from assistant.settings import Settings  # noqa: E402

if TYPE_CHECKING:
    from fastapi import FastAPI
    from schemathesis import Case as AnyCase
    from schemathesis.engine.recorder import ScenarioRecorder

    Case = AnyCase[Any]

GATE = "not_a_server_error"
PHASES = ("examples", "coverage", "fuzzing", "stateful")
UNLIMITED = "1000000/minute"
RESUME = (
    "Maya Okafor\nData Analyst\n\nSUMMARY\nData analyst with five years of experience building dashboards.\n\n"
    "EXPERIENCE\nData Analyst, Brightline Retail, 2021 - 2024\n"
    "- Wrote SQL queries and Python scripts for weekly revenue reporting.\n"
    "- Built Tableau dashboards; presented statistics to managers.\n\n"
    "SKILLS\nSQL, Python, Tableau, Excel, statistics\n"
)


# --- the app and a seeded world ----------------------------------------------------------------------


def fuzzable(service: Stackwise, **settings: Any) -> Stackwise:
    """The same loaded data and indexes with rate limits raised: the fuzzer must not be answered 429."""
    values = {**service.settings.model_dump(), "rate_limit": UNLIMITED, "guest_rate_limit": UNLIMITED, **settings}
    service.indexes  # noqa: B018 - loaded once here, shared by the root the fuzzer uses
    return service.sharing(Settings(**values))


@dataclass
class World:
    """The seeded store and who is who: what generated requests are pointed at."""

    app: FastAPI
    store: Store
    learner_id: str
    advisor_id: str
    spare_advisor_id: str
    keys: dict[str, str]  # role -> API key
    session_id: str
    brief_id: str
    credential_ids: tuple[str, ...]
    occupation_uri: str

    @classmethod
    def seed(cls, app: FastAPI, store: Store) -> World:
        """A learner with a résumé, a conversation and a brief from an assigned advisor, through the API."""
        from fastapi.testclient import TestClient

        learner, learner_key = store.create_user(Role.LEARNER, "Maya Okafor")
        advisor, advisor_key = store.create_user(Role.ADVISOR, "Advisor")
        spare, _ = store.create_user(Role.ADVISOR, "Spare advisor")
        _, admin_key = store.create_user(Role.ADMIN, "Admin")
        store.assign(advisor.id, learner.id)
        keys = {"learner": learner_key, "advisor": advisor_key, "admin": admin_key}
        client = TestClient(app)

        def call(role: str, method: str, url: str, **kwargs: Any) -> Any:
            response = client.request(method, url, headers={"Authorization": f"Bearer {keys[role]}"}, **kwargs)
            if response.status_code >= 300:
                raise RuntimeError(f"seeding: {method} {url} answered {response.status_code}: {response.text[:200]}")
            return response.json()

        call("learner", "PUT", "/v1/learners/me/resume/text", json={"text": RESUME})
        call("learner", "PUT", "/v1/learners/me/constraints", json={"budget": 2000, "hours_per_week": 8})
        session = call("learner", "POST", "/v1/sessions", json={})
        call(
            "learner",
            "POST",
            f"/v1/sessions/{session['id']}/messages",
            json={"text": "I want to become a data analyst"},
        )
        brief = call("advisor", "POST", f"/v1/learners/{learner.id}/briefs", json={"goal": "data analyst"})
        credentials = call("learner", "GET", "/v1/catalog", params={"limit": 20})["items"]
        occupation = call("learner", "GET", "/v1/occupations", params={"q": "data analyst"})[0]
        return cls(
            app=app,
            store=store,
            learner_id=learner.id,
            advisor_id=advisor.id,
            spare_advisor_id=spare.id,
            keys=keys,
            session_id=session["id"],
            brief_id=brief["id"],
            credential_ids=tuple(c["id"] for c in credentials),
            occupation_uri=occupation["uri"],
        )

    def intact(self) -> bool:
        """Whether the seeded learner, résumé, conversation, brief and assignment are all still there."""
        store = self.store
        return (
            store.get_user(self.learner_id) is not None
            and store.get_resume(self.learner_id) is not None
            and store.get_session(self.session_id) is not None
            and store.get_brief(self.brief_id) is not None
            and self.learner_id in store.advisees(self.advisor_id)
        )

    # --- throw-away targets for DELETE ---------------------------------------------------------------

    def disposable_learner(self) -> tuple[str, str]:
        """A learner with a résumé and the seeded learner's profile, assigned to the advisor: (id, key)."""
        user, key = self.store.create_user(Role.LEARNER, "Disposable")
        self.store.assign(self.advisor_id, user.id)
        self.store.save_resume(ResumeRecord(learner_id=user.id, filename="cv.txt", text=RESUME, uploaded_at=utcnow()))
        profile = self.store.get_profile(self.learner_id)
        if profile is not None:
            self.store.save_profile(profile.model_copy(update={"learner_id": user.id}))
        return user.id, key

    def disposable_session(self) -> str:
        return self.store.create_session(self.learner_id, "Disposable", "{}").id

    def disposable_brief(self) -> str:
        record = BriefRecord.new(self.learner_id, self.advisor_id, "Disposable", "# Disposable\n")
        return self.store.save_brief(record).id


def _digest(case: Case) -> int:
    """A stable hash of what was generated: the same case always gets the same caller and ids."""
    return zlib.crc32(repr((case.operation.label, case.path_parameters, case.query, case.body)).encode())


ROLES = ("learner", "advisor", "admin")


class Caller:
    """Auth provider: every generated request carries a real key, of a learner, an advisor or an admin.

    Given as auth (not as a generated header) so schemathesis knows it is valid and its ``ignored_auth``
    check retries without it and with a wrong one.
    """

    def __init__(self, world: World) -> None:
        self.world = world

    def get(self, case: Case, context: Any) -> str:
        return self.world.keys[ROLES[_digest(case) % len(ROLES)]]

    def set(self, case: Case, data: str, context: Any) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


class Targeting:
    """A ``map_case`` hook: about half the requests name ids that exist, so they reach the handlers.

    DELETE requests get throw-away objects made for them. The choice is a function of the generated case, so
    Hypothesis sees the same mapping when it replays an example.
    """

    def __init__(self, world: World) -> None:
        self.world = world

    def __call__(self, context: Any, case: Case) -> Case:
        world = self.world
        digest = _digest(case)
        role = ROLES[digest % len(ROLES)]
        real = (digest // len(ROLES)) % 2 == 0
        if case.method.upper() == "DELETE":
            self._delete(case, role, real)
            return case
        if not real:
            return case
        params = case.path_parameters
        if "learner_id" in params:
            params["learner_id"] = "me" if role == "learner" and digest % 5 == 0 else world.learner_id
        if "advisor_id" in params:
            params["advisor_id"] = world.spare_advisor_id
        if "session_id" in params:
            params["session_id"] = world.session_id
        if "brief_id" in params:
            params["brief_id"] = world.brief_id
        if "credential_id" in params:
            params["credential_id"] = world.credential_ids[digest % len(world.credential_ids)]
        if isinstance(case.query, dict):
            if "learner_id" in case.query:
                case.query["learner_id"] = world.learner_id
            if "uri" in case.query:
                case.query["uri"] = world.occupation_uri
        return case

    def _delete(self, case: Case, role: str, real: bool) -> None:
        """Deletes go to throw-away objects, also when schemathesis reuses an id it saw in a response."""
        world, params = self.world, case.path_parameters
        if "session_id" in params and (real or params["session_id"] == world.session_id):
            params["session_id"] = world.disposable_session()
        elif "brief_id" in params and (real or params["brief_id"] == world.brief_id):
            params["brief_id"] = world.disposable_brief()
        elif "advisor_id" in params and (real or params["advisor_id"] == world.advisor_id):
            params["advisor_id"], params["learner_id"] = world.spare_advisor_id, world.learner_id
            world.store.assign(world.spare_advisor_id, world.learner_id)
        elif "learner_id" in params and (real or params["learner_id"] in ("me", world.learner_id)):
            learner, key = world.disposable_learner()
            params["learner_id"] = learner
            if role == "learner" and "Authorization" in case.headers:
                case.headers["Authorization"] = f"Bearer {key}"


# --- the run -----------------------------------------------------------------------------------------


@dataclass
class OperationResult:
    label: str
    requests: int = 0
    server_errors: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # how to reproduce each 5xx (first few)
    first_failures: dict[str, str] = field(default_factory=dict)  # check -> its first failure, explained


SEQUENCES = "stateful: call sequences"


@dataclass
class FuzzReport:
    operations: dict[str, OperationResult]  # every operation of the spec, by label ("GET /v1/me")
    sequences: OperationResult  # the stateful phase: chains of calls across operations
    seconds: float
    errors: list[str] = field(default_factory=list)  # the engine's own (schema, generation), not the app's
    tracebacks: dict[str, int] = field(default_factory=dict)  # exceptions raised in the app, with counts
    world_intact: bool = True  # False: a request deleted the seeded objects, so later ones reached less code

    @property
    def rows(self) -> list[OperationResult]:
        return [*(self.operations[label] for label in sorted(self.operations)), self.sequences]

    @property
    def requests(self) -> int:
        return sum(o.requests for o in self.rows)

    @property
    def server_errors(self) -> int:
        return sum(o.server_errors for o in self.rows)

    @property
    def other_failures(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for row in self.rows:
            total.update(row.failures)
        return total

    def lines(self) -> list[str]:
        width = max(len(row.label) for row in self.rows)
        out = []
        for row in self.rows:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(row.failures.items()))
            counts = f"{row.label:<{width}}  {row.requests:5d} requests  {row.server_errors} 5xx"
            out.append(counts + (f"  ({kinds})" if kinds else ""))
        return out

    def summary(self) -> str:
        other = self.other_failures
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(other.items())) or "none"
        return (
            f"schemathesis: {len(self.operations)} operations, {self.requests} requests, "
            f"{self.server_errors} server errors (5xx); other check failures: {sum(other.values())} ({kinds})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "operations": len(self.operations),
            "requests": self.requests,
            "server_errors": self.server_errors,
            "other_failures": dict(self.other_failures),
            "seconds": round(self.seconds, 1),
            "errors": self.errors,
            "tracebacks": self.tracebacks,
            "world_intact": self.world_intact,
            "rows": {
                row.label: {
                    "requests": row.requests,
                    "server_errors": row.server_errors,
                    "failures": dict(row.failures),
                    "examples": row.examples,
                    "first_failures": row.first_failures,
                }
                for row in self.rows
            },
        }


def fuzz(
    world: World,
    *,
    max_examples: int = 50,
    phases: Sequence[str] = PHASES,
    seed: int | None = 0,
    progress: Callable[[str], None] | None = None,
) -> FuzzReport:
    """Run schemathesis over every operation of the app's OpenAPI spec, in-process."""
    import schemathesis
    from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
    from schemathesis.core.result import Ok
    from schemathesis.engine import events, from_schema

    config = schemathesis.Config.from_dict(
        {
            "seed": seed,
            "workers": 1,
            "continue-on-failure": True,
            "generation": {
                "max-examples": max_examples,
                "no-shrink": True,
                "with-security-parameters": False,
                "database": "none",
            },
            "phases": {name: {"enabled": name in phases} for name in PHASES},
            "suppress-health-check": ["all"],
            # 413 (body over the size limit) is a refusal too
            "checks": {
                "negative_data_rejection": {"expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, 413]}
            },
        }
    )
    served = Served(world.app)
    schema = schemathesis.openapi.from_asgi("/openapi.json", served, config=config)

    class WorldCaller(Caller):  # schemathesis instantiates the provider class itself, with no arguments
        def __init__(self) -> None:
            super().__init__(world)

    schema.auth(refresh_interval=None)(WorldCaller)
    schema.hook("map_case")(Targeting(world))
    labels = [op.ok().label for op in schema.get_all_operations() if isinstance(op, Ok)]
    operations = {label: OperationResult(label) for label in labels}
    sequences = OperationResult(SEQUENCES)
    errors: list[str] = []
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            label = event.recorder.label
            if event.phase.value == "stateful":
                result = sequences
            else:
                result = operations.setdefault(label, OperationResult(label))
            _count(result, event.recorder)
            if progress is not None:
                progress(f"{event.phase.value:<9} {label}: {len(event.recorder.interactions)} requests")
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.title}: {event.info.message}"[:1000])
        elif isinstance(event, events.FatalError):
            raise RuntimeError(f"schemathesis stopped: {event.exception}") from event.exception
    return FuzzReport(
        operations=operations,
        sequences=sequences,
        seconds=time.monotonic() - started,
        errors=errors,
        tracebacks=dict(served.tracebacks),
        world_intact=world.intact(),
    )


def _count(result: OperationResult, recorder: ScenarioRecorder) -> None:
    result.requests += len(recorder.interactions)
    for case_id, interaction in recorder.interactions.items():
        response = interaction.response
        if response is not None and response.status_code >= 500:
            result.server_errors += 1
            if len(result.examples) < 5:
                case = recorder.cases[case_id].value if case_id in recorder.cases else None
                curl = case.as_curl_command() if case is not None else interaction.request.uri
                result.examples.append(f"{response.status_code}: {_shorten(curl, 1500)}\n{response.text[:500]}")
    for checks in recorder.checks.values():
        for check in checks:
            if check.status.value == "failure" and check.name != GATE:
                result.failures[check.name] += 1
                if check.name not in result.first_failures and check.failure_info is not None:
                    failure = check.failure_info.failure
                    sample = _shorten(check.failure_info.code_sample, 600)
                    result.first_failures[check.name] = f"{failure.title}: {_shorten(failure.message, 900)}\n{sample}"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit // 2]} … {text[-limit // 2 :]}"


class Served:
    """The app as a server runs it: an exception inside becomes the 500 the client gets, and is kept.

    Starlette sends the 500 and then re-raises; in-process, that exception would reach schemathesis as a
    transport error instead of a response the ``not_a_server_error`` check sees.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.tracebacks: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            self.tracebacks["".join(traceback.format_exc().splitlines(keepends=True)[-12:])] += 1
            if not started:
                await send({"type": "http.response.start", "status": 500, "headers": []})
                await send({"type": "http.response.body", "body": b""})


# --- the command -------------------------------------------------------------------------------------


@contextmanager
def real_world(index_dir: Path | None, state_dir: Path) -> Iterator[World]:
    """The app on the real data and indexes with a temporary SQLite store, seeded."""
    from assistant.api.app import create_app

    settings = Settings(state_dir=state_dir, index_dir=index_dir or Settings().index_path)
    if (settings.index_path / "manifest.json").is_file():
        service = Stackwise(settings)
    else:
        from eval.realstack import small_real_service  # a checkout without a built index

        print(f"no index at {settings.index_path}; using the small real stack", file=sys.stderr)
        service = small_real_service(Stackwise(settings).taxonomy, state_dir)
    root = fuzzable(service, state_dir=state_dir, database_url=f"sqlite:///{state_dir / 'fuzz.db'}")
    try:
        yield World.seed(create_app(root), root.store)
    finally:
        root.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.api_fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=50, help="generated cases per operation and phase")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, of {', '.join(PHASES)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--index-dir", type=Path, default=None, help="default: the settings' index folder")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here as JSON")
    parser.add_argument("--verbose", action="store_true", help="print each scenario as it finishes")
    parser.add_argument("--attacks-only", action="store_true", help="run only the attacks phase (quick), no fuzzing")
    parser.add_argument("--no-attacks", action="store_true", help="run only schemathesis")
    parser.add_argument("--dodges", type=int, default=50, help="requests per rate-limit dodge and set-up (attacks)")
    args = parser.parse_args(argv)
    if args.attacks_only and args.no_attacks:
        parser.error("--attacks-only and --no-attacks exclude each other")
    from eval.api_attacks import LogCapture, attack

    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    report, attacks = None, None
    # the log capture covers the whole run: the app's set-up, the fuzzing and the attacks
    with (
        LogCapture() as capture,
        tempfile.TemporaryDirectory(prefix="stackwise-fuzz-") as tmp,
        real_world(args.index_dir, Path(tmp)) as world,
    ):
        progress = (lambda line: print(line, file=sys.stderr, flush=True)) if args.verbose else None
        if not args.attacks_only:
            report = fuzz(world, max_examples=args.max_examples, phases=phases, seed=args.seed, progress=progress)
        if not args.no_attacks:
            attacks = attack(world, capture=capture, seed=args.seed, dodges=args.dodges)
    figures: dict[str, Any] = {}
    if report is not None:
        _print_fuzz(report)
        figures = report.as_dict()
    if attacks is not None:
        if report is not None:
            print()
        for line in attacks.lines():
            print(line)
        for line in attacks.details():
            print(f"\nattack failed: {line}")
        print(attacks.summary())
        figures["attacks"] = attacks.as_dict()
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    failed = (report is not None and report.server_errors > 0) or (attacks is not None and attacks.failures > 0)
    return 1 if failed else 0


def _print_fuzz(report: FuzzReport) -> None:
    for line in report.lines():
        print(line)
    for row in report.rows:
        for example in row.examples:
            print(f"\n5xx in {row.label}:\n{example}")
    for text, count in report.tracebacks.items():
        print(f"\nraised in the app ({count}x):\n{text}")
    if not report.world_intact:
        print("note: the seeded learner's data was deleted during the run", file=sys.stderr)
    for error in report.errors:
        print(f"engine error: {error}", file=sys.stderr)
    print(report.summary() + f" in {report.seconds:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
