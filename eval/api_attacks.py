"""The red-team cases of issue 18, replayed against the in-process app: the attacks phase of ``eval.api_fuzz``.

Deterministic (the seed picks every made-up key, address and canary), on the seeded world the fuzzer uses. Each
family counts attempts and how many were handled as they must be:

- non-encodable JSON: a lone surrogate (``"\\ud800"`` as a raw escape), NaN, Infinity, -Infinity and 1e999 in
  every string and number field of every JSON-body operation of the OpenAPI spec (the rest of the body valid,
  each alternative of a union walked), as the whole body and as a key: 422, the raw value not echoed, never
  5xx; counted apart under ``application/json`` and under ``Application/JSON; charset=utf-8`` (media types are
  case-insensitive, and FastAPI parses that body as JSON too);
- oversized bodies: every JSON operation over ``max_request_kb`` and every upload over ``max_upload_mb``, with
  Content-Length and chunked (none): 413, the body not echoed;
- rate-limit dodges: on a copy of the app with a low limit, once the caller's address is refused, made-up API
  keys (both headers) and spoofed X-Forwarded-For / X-Real-IP / Forwarded must still be 429, on API calls and
  guest sign-ups; the app is served as ``stackwise serve`` serves it (uvicorn's proxy-headers middleware only
  for the proxies ``STACKWISE_TRUSTED_PROXIES`` names: none, and a named one the client is not);
- brief ownership: a second advisor of the same learner (and the learner, an unassigned advisor, nobody) tries
  PATCH/PUT/DELETE on the first advisor's brief: 401/403/404 (405 where the path has no such method) and
  the brief unchanged; the second advisor still reads it, lists it and exports it;
- hostile learner text: a learner named ``![a](https://evil.example/n.png)<img src=x onerror=alert(1)>`` with
  ``<script>`` résumé lines and chat: the brief's content_md, questions and Markdown export (one row) hold no
  live ``<img``, ``<script``, ``![`` or bare address (backslash-escaped, as ``markdown_text`` writes it, is
  fine); its title (another row) is plain text by contract: the name exactly as typed, and the OpenAPI schema
  says to escape it before showing it (the pages do: ``tests/e2e/test_learner_text_e2e.py``);
- log hygiene: every free-text field sent (names, résumés, uploads, skills, goals, postings, chat, brief goals,
  notes and text) carries a unique canary, in traffic of its own (a row: no 5xx) and in the requests above; a
  handler on the root, app and server loggers, all at DEBUG, sees every record of the run, and none may hold a
  canary.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.body_gate import NON_FINITE, NOT_UTF8, SURROGATE
from assistant.core.access import Role
from assistant.core.formatting import markdown_text

if TYPE_CHECKING:
    import httpx2 as httpx  # what starlette's test client answers with

    from eval.api_fuzz import World

GUEST_PATH = "/v1/auth/guest"
SENTINEL = "@@stackwise-attack@@"
CONTENT_TYPES = ("application/json", "Application/JSON; charset=utf-8")
LOW_LIMIT, LOW_GUEST_LIMIT = 5, 3
CLIENT_ADDRESS = "127.0.0.1"  # the address uvicorn trusts by default: where a spoofed header used to be believed
NAMED_PROXY = "10.0.0.5"
HOSTILE_NAME = "![a](https://evil.example/n.png)<img src=x onerror=alert(1)>"
HOSTILE_GOAL = "data analyst <img src=x onerror=alert(1)>"
APP_LOGGERS = ("stackwise", "assistant", "uvicorn", "uvicorn.error", "uvicorn.access", "fastapi")

FAMILIES = {
    "json": "non-encodable JSON",
    "json_case": "non-encodable JSON, Content-Type in mixed case",
    "oversized": "oversized bodies",
    "rate_limit": "rate-limit dodges",
    "ownership": "brief ownership",
    "hostile_text": "hostile learner text (content, export)",
    "hostile_title": "hostile learner text (brief title is plain text)",
    "canary_traffic": "canary traffic (no 5xx)",
    "logs": "log hygiene (records)",
}


# --- counting ----------------------------------------------------------------------------------------


@dataclass
class Family:
    label: str
    attempts: int = 0
    handled: int = 0
    examples: list[str] = field(default_factory=list)  # the first failures, explained

    @property
    def failures(self) -> int:
        return self.attempts - self.handled

    def check(self, ok: bool, what: str) -> bool:
        """Count one attempt; ``what`` says what failed, kept for the first few failures."""
        self.attempts += 1
        if ok:
            self.handled += 1
        elif len(self.examples) < 8:
            self.examples.append(what)
        return ok


@dataclass
class AttackReport:
    families: dict[str, Family]
    seconds: float = 0.0
    canaries: int = 0  # distinct canary strings sent
    log_records: int = 0  # log records inspected
    log_loggers: dict[str, int] = field(default_factory=dict)  # how many of them each logger wrote
    dodges: dict[str, int] = field(default_factory=dict)  # rate-limit dodge -> requests that got through (not 429)
    dodge_requests: int = 0  # requests per dodge
    tracebacks: dict[str, int] = field(default_factory=dict)  # exceptions raised in the app

    @property
    def attempts(self) -> int:
        return sum(f.attempts for f in self.families.values())

    @property
    def failures(self) -> int:
        return sum(f.failures for f in self.families.values())

    def lines(self) -> list[str]:
        width = max(len(f.label) for f in self.families.values())
        out = [f"{'family':<{width}}  {'attempts':>8}  {'handled':>8}  {'failures':>8}"]
        for family in self.families.values():
            out.append(f"{family.label:<{width}}  {family.attempts:8d}  {family.handled:8d}  {family.failures:8d}")
        return out

    def summary(self) -> str:
        loggers = ", ".join(f"{name or 'root'} {n}" for name, n in list(self.log_loggers.items())[:6])
        through = sum(self.dodges.values())
        return (
            f"rate-limit dodges: {len(self.dodges)} kinds x {self.dodge_requests} requests after the limit, "
            f"{through} got through\n"
            f"attacks: {self.attempts} attempts, {self.failures} failures in {self.seconds:.0f} s; "
            f"{self.canaries} canaries sent, {self.log_records} log records inspected"
            + (f" ({loggers})" if loggers else "")
            + f", {self.families['logs'].failures} hold a canary"
        )

    def details(self) -> list[str]:
        """The first failures of each family, and exceptions raised in the app."""
        out = []
        for family in self.families.values():
            out += [f"{family.label}: {example}" for example in family.examples]
        out += [f"raised in the app ({n}x):\n{text}" for text, n in self.tracebacks.items()]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "failures": self.failures,
            "seconds": round(self.seconds, 1),
            "canaries": self.canaries,
            "log_records": self.log_records,
            "log_loggers": self.log_loggers,
            "dodges_passed": self.dodges,
            "dodge_requests": self.dodge_requests,
            "tracebacks": self.tracebacks,
            "families": {
                key: {
                    "label": f.label,
                    "attempts": f.attempts,
                    "handled": f.handled,
                    "failures": f.failures,
                    "examples": f.examples,
                }
                for key, f in self.families.items()
            },
        }


# --- canaries and the log capture --------------------------------------------------------------------


class Canaries:
    """Unique, seeded strings to put in free text: any one found in a log record is a leak."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"canary:{seed}")
        self.issued: list[str] = []

    def __call__(self) -> str:
        token = f"cnry{self._rng.getrandbits(48):012x}"
        self.issued.append(token)
        return token

    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, self.issued)) or "(?!)", re.IGNORECASE)


_SEEN = "_stackwise_attack_seen"


class LogCapture(logging.Handler):
    """Every log record of the run, as text (message, exception and stack), from the root, app and server loggers.

        While attached, the root and the app's and server's loggers are lowered to DEBUG, so whatever the server
        process would write at any level is seen (libraries that set their own level, such as SQLAlchemy's WARNING,
        keep it). Records of the in-process test client (httpx, and asyncio's debug line for the event loop it starts
    per request) are the harness's, not the server's: not kept. A
        record reaching several of the loggers is kept once.
    """

    CLIENT = ("httpx", "httpx2", "httpcore", "hpack")

    def __init__(self, loggers: Iterable[str] = ("", *APP_LOGGERS)) -> None:
        super().__init__(logging.DEBUG)
        self.names = tuple(dict.fromkeys(loggers))
        self.texts: list[str] = []
        self.by_logger: Counter[str] = Counter()
        self._levels: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, _SEEN, False) or record.name.split(".")[0] in self.CLIENT:
            return
        if record.name == "asyncio" and record.levelno == logging.DEBUG:
            return  # "Using selector": the test client starts an event loop per request
        setattr(record, _SEEN, True)
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            message = f"{record.msg} {record.args!r}"
        parts = [record.name, message]
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        parts += [record.exc_text or "", record.stack_info or ""]
        self.texts.append("\n".join(parts))
        self.by_logger[record.name] += 1

    def __enter__(self) -> LogCapture:
        for name in self.names:
            logger = logging.getLogger(name)
            logger.addHandler(self)
            self._levels[name] = logger.level
            logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.names:
            logging.getLogger(name).removeHandler(self)
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)

    def leaks(self, pattern: re.Pattern[str]) -> list[str]:
        return [text for text in self.texts if pattern.search(text)]


# --- the OpenAPI spec walked: every scalar field of every JSON body ------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    alternatives = schema.get("anyOf") or schema.get("oneOf") or []
    return [a for a in alternatives if a.get("type") != "null"]


def skeleton(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A small valid value for a schema: required fields only, the first alternative of a union."""
    schema = _resolve(spec, schema)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if alternatives := _alternatives(schema):
        return skeleton(spec, alternatives[0])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: skeleton(spec, properties[name]) for name in schema.get("required", []) if name in properties}
    if kind == "array":
        return [skeleton(spec, schema.get("items", {})) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        if schema.get("format") == "date":
            return "2031-06-30"
        if schema.get("pattern") == "^[A-Z]{3}$":
            return "USD"
        return "data analyst"
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return None


def leaves(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Iterator[tuple[str, Any]]:
    """(field path, a valid body with that scalar field replaced by SENTINEL), for every scalar field."""
    schema = _resolve(spec, schema)
    if depth > 8:
        return
    if alternatives := _alternatives(schema):
        for alternative in alternatives:
            yield from leaves(spec, alternative, depth + 1)
    elif schema.get("type") == "object" or "properties" in schema:
        base = skeleton(spec, schema)
        for name, sub in schema.get("properties", {}).items():
            for path, value in leaves(spec, sub, depth + 1):
                yield (f"{name}.{path}" if path else name), {**base, name: value}
    elif schema.get("type") == "array":
        for path, value in leaves(spec, schema.get("items", {}), depth + 1):
            yield (f"[].{path}" if path else "[]"), [value]
    else:
        yield "", SENTINEL


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    kinds: tuple[str, ...]  # the request body's media types
    schema: dict[str, Any]  # the body's schema for the first of them

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def body_operations(spec: dict[str, Any]) -> list[Operation]:
    out = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            content = (operation.get("requestBody") or {}).get("content") or {}
            if content:
                kinds = tuple(content)
                out.append(Operation(method.upper(), path, kinds, content[kinds[0]].get("schema", {})))
    return out


def json_cases(spec: dict[str, Any], operation: Operation) -> list[tuple[str, str]]:
    """(field path, the JSON body text with SENTINEL's place kept as ``"@@…@@"``) for the operation, deduplicated;
    plus the whole body as the value, and a key holding it."""
    seen: dict[str, str] = {}
    for path, body in leaves(spec, operation.schema):
        seen.setdefault(json.dumps(body), path or "(body)")
    cases = [(path, text) for text, path in seen.items()]
    if json.dumps(SENTINEL) not in seen:
        cases.append(("(body)", json.dumps(SENTINEL)))
    cases.append(("(key)", "{" + json.dumps(SENTINEL) + ": 1}"))
    return cases


# --- driving the app ---------------------------------------------------------------------------------


class ClientAddress:
    """The app as a server on a socket sees it: the peer address is set (the test client says "testclient")."""

    def __init__(self, app: ASGIApp, host: str) -> None:
        self.app = app
        self.host = host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, "client": (self.host, 50000)}
        await self.app(scope, receive, send)


def as_served(app: ASGIApp, trusted_proxies: str) -> ASGIApp:
    """The app as ``stackwise serve`` runs it under uvicorn: the proxy-headers middleware only when the launcher
    turns it on, trusting the addresses it names (uvicorn by default trusts 127.0.0.1)."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from assistant.launcher import proxy_arguments

    arguments = proxy_arguments(trusted_proxies)
    if "--proxy-headers" in arguments:
        trusted = arguments[arguments.index("--forwarded-allow-ips") + 1]
        return cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=trusted))
    return app


class Driver:
    """Requests to the seeded world's app, as a role of the world or with a key of one's own."""

    def __init__(self, world: World, app: ASGIApp | None = None) -> None:
        from eval.api_fuzz import Served

        self.world = world
        self.served = Served(app if app is not None else world.app)
        self.client = TestClient(self.served)

    def headers(self, who: str | None) -> dict[str, str]:
        if who is None:
            return {}
        key = self.world.keys.get(who, who)  # a role of the world, or a key
        return {"Authorization": f"Bearer {key}"}

    def request(self, who: str | None, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(who), **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def title_description(self) -> str:
        """What the OpenAPI schema says of a brief's ``title``."""
        spec = self.client.get("/openapi.json").json()
        return str(spec["components"]["schemas"]["BriefOut"]["properties"]["title"].get("description", ""))

    def fill(self, path: str, role: str | None) -> str:
        """The operation's path with ids of the seeded world (``me`` for the learner's own)."""
        world = self.world
        ids = {
            "learner_id": "me" if role == "learner" else world.learner_id,
            "session_id": world.session_id,
            "brief_id": world.brief_id,
            "advisor_id": world.advisor_id,
            "credential_id": world.credential_ids[0] if world.credential_ids else "none",
        }
        return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "none"), path)


def role_for(path: str) -> str | None:
    """Who may call the operation, so that without the gate a request would reach the handler."""
    if path == GUEST_PATH:
        return None
    if path.startswith("/v1/users"):
        return "admin"
    if "brief" in path:
        return "advisor"
    return "learner"


def _short(response: httpx.Response) -> str:
    return f"{response.status_code} {response.text[:200]!r}"


def _echoes(response: httpx.Response, *raw: str) -> bool:
    """Whether the answer repeats any of ``raw`` (the gate's own messages, which name the refused forms, aside)."""
    text = response.text
    for own in (SURROGATE, NON_FINITE, NOT_UTF8):
        text = text.replace(json.dumps(own)[1:-1], "").replace(own, "")
    return any(r and r.lower() in text.lower() for r in raw) or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


# --- the families ------------------------------------------------------------------------------------


def non_encodable_json(driver: Driver, families: dict[str, Family], canaries: Canaries) -> None:
    """Each non-encodable or non-finite value in each scalar field, under ``application/json`` (family ``json``) and
    the same type in mixed case (``json_case``), which a JSON parser reads as JSON all the same."""
    spec = driver.world.app.openapi()
    for operation in body_operations(spec):
        if "application/json" not in operation.kinds:
            continue
        role = role_for(operation.path)
        url = driver.fill(operation.path, role)
        for path, template in json_cases(spec, operation):
            marker = canaries()
            tokens = (
                ("\\ud800", '"\\ud800"', "\\ud800"),
                ("text + \\udfff", f'"{marker} \\udfff"', marker),
                ("NaN", "NaN", "NaN"),
                ("Infinity", "Infinity", "Infinity"),
                ("-Infinity", "-Infinity", "Infinity"),
                ("1e999", "1e999", "1e999"),
            )
            for name, token, raw in tokens:
                if path == "(key)" and not token.startswith('"'):
                    continue  # a key is a string
                body = template.replace(json.dumps(SENTINEL), token)
                for kind, family in zip(CONTENT_TYPES, (families["json"], families["json_case"]), strict=True):
                    response = driver.request(role, operation.method, url, content=body, headers={"content-type": kind})
                    family.check(
                        response.status_code == 422 and not _echoes(response, raw, marker),
                        f"{operation.label} [{path}] {name} as {kind!r}: {_short(response)}",
                    )


def _multipart_field(spec: dict[str, Any], operation: Operation) -> str:
    properties = _resolve(spec, operation.schema).get("properties", {})
    for name, sub in properties.items():
        sub = _resolve(spec, sub)
        items = _resolve(spec, sub.get("items", {}))
        if "binary" in (sub.get("format"), items.get("format")) or "contentMediaType" in sub:
            return str(name)
    return next(iter(properties), "file")


def oversized_bodies(driver: Driver, family: Family, canaries: Canaries) -> None:
    world = driver.world
    settings = world.app.state.root.settings
    spec = world.app.openapi()
    json_limit = settings.max_request_kb * 1024
    upload_limit = int(settings.max_upload_mb * 1024 * 1024)
    for operation in body_operations(spec):
        role = role_for(operation.path)
        url = driver.fill(operation.path, role)
        marker = canaries()
        if "application/json" in operation.kinds:
            payload = json.dumps({"text": f"{marker} " + "A" * (json_limit + 1024)}).encode()
            kind = "application/json"
        elif "multipart/form-data" in operation.kinds:
            boundary = f"attack{marker}"
            name = _multipart_field(spec, operation)
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{marker}.txt"\r\n'
                "Content-Type: text/plain\r\n\r\n"
            ).encode()
            payload = (
                head + marker.encode() + b" " + b"A" * (upload_limit + 256 * 1024) + f"\r\n--{boundary}--\r\n".encode()
            )
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            continue
        for mode in ("content-length", "chunked"):
            content: bytes | Iterator[bytes] = payload if mode == "content-length" else _chunks(payload)
            response = driver.request(role, operation.method, url, content=content, headers={"content-type": kind})
            sent = response.request.headers
            if (mode == "chunked") == ("content-length" in sent):
                raise RuntimeError(f"the client did not send {mode}: {dict(sent)}")
            family.check(
                response.status_code == 413 and len(response.content) < 1000 and not _echoes(response, marker),
                f"{operation.label} {len(payload)} bytes, {mode}: {_short(response)}",
            )


def _chunks(payload: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(payload), size):
        yield payload[start : start + size]


def _address(rng: random.Random) -> str:
    return f"{rng.choice((203, 198, 192))}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _made_up_key(rng: random.Random) -> str:
    return "sw_" + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32)
    )


def rate_limit_dodges(world: World, family: Family, canaries: Canaries, rng: random.Random, n: int) -> dict[str, int]:
    """Both proxy set-ups; returns how many dodging requests got through (not 429), by set-up, target and kind."""
    passed: dict[str, int] = {}
    for trusted in ("", NAMED_PROXY):
        passed |= dodges_against(world, trusted, family, canaries, rng, n)
    return passed


def dodges_against(
    world: World, trusted: str, family: Family, canaries: Canaries, rng: random.Random, n: int
) -> dict[str, int]:
    """The dodges against a copy of the app with low limits, served trusting the ``trusted`` proxies (as the
    launcher sets uvicorn up), to a client at 127.0.0.1."""
    from assistant.api.app import create_app

    root = world.app.state.root
    settings = root.settings.model_copy(
        update={
            "rate_limit": f"{LOW_LIMIT}/minute",
            "guest_rate_limit": f"{LOW_GUEST_LIMIT}/minute",
            "rate_limit_storage": "memory://",  # fresh counters for this app
            "trusted_proxies": trusted,
        }
    )
    driver = Driver(
        world, ClientAddress(as_served(create_app(root.sharing(settings, store=world.store)), trusted), CLIENT_ADDRESS)
    )
    setup = f"proxies {trusted or 'none'}"

    def spoofed(with_key: bool) -> dict[str, str]:
        address = _address(rng)
        headers = {"X-Forwarded-For": address, "X-Real-IP": address, "Forwarded": f"for={address}"}
        return {**headers, "X-API-Key": _made_up_key(rng)} if with_key else headers

    variants: dict[str, Callable[[], dict[str, str]]] = {
        "made-up X-API-Key": lambda: {"X-API-Key": _made_up_key(rng)},
        "made-up bearer key": lambda: {"Authorization": f"Bearer {_made_up_key(rng)}"},
        "spoofed X-Forwarded-For": lambda: spoofed(False),
        "spoofed X-Forwarded-For + made-up key": lambda: spoofed(True),
    }

    def call(target: str, headers: dict[str, str]) -> int:
        if target == "API":
            return driver.request(None, "GET", "/v1/occupations", params={"q": "nurse"}, headers=headers).status_code
        body = {"display_name": f"Guest {canaries()}"}
        return driver.request(None, "POST", GUEST_PATH, json=body, headers=headers).status_code

    passed: dict[str, int] = {}
    for target, limit in (("API", LOW_LIMIT), ("guest sign-up", LOW_GUEST_LIMIT)):
        statuses = [call(target, {}) for _ in range(limit + 1)]
        family.check(
            statuses[-1] == 429 and all(s < 500 for s in statuses),
            f"{setup}, {target}: the address is never refused: {statuses}",
        )
        for name, make in variants.items():
            got = [call(target, make()) for _ in range(n)]
            through = passed[f"{setup}, {target}, {name}"] = sum(s != 429 for s in got)
            for status in got:
                family.check(status == 429, f"{setup}, {target}, {name}: {through} of {n} got through ({status})")
    # a real key keeps its own bucket: the address's refusal does not lock its holder out
    me = driver.request("learner", "GET", "/v1/me")
    family.check(me.status_code == 200, f"{setup}: a real key is refused with its address: {_short(me)}")
    return passed


def brief_ownership(driver: Driver, family: Family, canaries: Canaries) -> None:
    world, store = driver.world, driver.world.store
    co_advisor, co_key = store.create_user(Role.ADVISOR, f"Co-advisor {canaries()}")
    store.assign(co_advisor.id, world.learner_id)
    _, stranger_key = store.create_user(Role.ADVISOR, f"Unassigned advisor {canaries()}")
    _, other_key = store.create_user(Role.LEARNER, f"Other learner {canaries()}")
    created = driver.request(
        "advisor", "POST", f"/v1/learners/{world.learner_id}/briefs", json={"goal": "data analyst"}
    )
    if not family.check(created.status_code == 201, f"the author could not write a brief: {_short(created)}"):
        return
    brief_id = created.json()["id"]
    url = f"/v1/briefs/{brief_id}"
    before = store.get_brief(brief_id)
    methods = {m.upper() for m in world.app.openapi()["paths"]["/v1/briefs/{brief_id}"]}
    writes: list[tuple[str, dict[str, Any] | None]] = [
        ("PATCH", {"notes": f"Overwritten {canaries()}"}),
        ("PATCH", {"content_md": f"# Replaced {canaries()}"}),
        ("PATCH", {"notes": f"Both {canaries()}", "content_md": f"# Both {canaries()}"}),
        ("PUT", {"notes": f"Put {canaries()}", "content_md": f"# Put {canaries()}"}),
        ("DELETE", None),
    ]
    for who, key, allowed in (
        ("second advisor of the learner", co_key, {403, 404}),
        ("the learner", world.keys["learner"], {403, 404}),
        ("an unassigned advisor", stranger_key, {403, 404}),
        ("another learner", other_key, {403, 404}),
        ("nobody (no key)", None, {401}),
    ):
        for method, body in writes:
            expected = allowed if method in methods else {*allowed, 405}
            response = driver.request(key, method, url, json=body)
            family.check(
                response.status_code in expected,
                f"{who}: {method} {url}: {_short(response)}",
            )
    after = store.get_brief(brief_id)
    family.check(
        after is not None and before is not None and after.model_dump() == before.model_dump(),
        "the brief changed or vanished after the refused writes",
    )
    for who, key, expected in (
        ("an unassigned advisor", stranger_key, {403, 404}),
        ("another learner", other_key, {403, 404}),
    ):
        response = driver.request(key, "GET", url)
        family.check(response.status_code in expected, f"{who} read it: {_short(response)}")
    for what, method, read_url in (
        ("reads", "GET", url),
        ("exports", "GET", f"{url}/export?format=md"),
        ("lists", "GET", f"/v1/learners/{world.learner_id}/briefs"),
    ):
        response = driver.request(co_key, method, read_url)
        ok = response.status_code == 200 and (what != "lists" or any(b["id"] == brief_id for b in response.json()))
        family.check(ok, f"the second advisor {what} it: {_short(response)}")
    edited = driver.request("advisor", "PATCH", url, json={"notes": f"The author's own {canaries()}"})
    family.check(edited.status_code == 200, f"the author cannot edit: {_short(edited)}")


_LIVE = re.compile(r"<(?:img|script)\b|!\[", re.IGNORECASE)


_BARE_ADDRESS = re.compile(r"https?://|(?i:\bwww\.)evil")


def live_markup(text: str) -> list[str]:
    """Each ``<img``, ``<script`` or ``![`` not escaped by a backslash, and each bare web address (a GFM viewer
    links one whatever is escaped around it), with a little context."""
    found = [text[max(0, m.start() - 20) : m.end() + 30] for m in _BARE_ADDRESS.finditer(text)]
    for match in _LIVE.finditer(text):
        start = match.start()
        slashes = len(text[:start]) - len(text[:start].rstrip("\\"))
        if slashes % 2 == 0:
            found.append(text[max(0, start - 20) : match.end() + 30])
    return found


def hostile_text(driver: Driver, family: Family, titles: Family, canaries: Canaries) -> None:
    """The brief's Markdown (``family``) and its title (``titles``) hold the learner's text only escaped."""
    world = driver.world
    signed = driver.request(None, "POST", GUEST_PATH, json={"display_name": HOSTILE_NAME})
    if not family.check(signed.status_code == 201, f"the hostile learner could not sign up: {_short(signed)}"):
        return
    learner_id, key = signed.json()["user"]["id"], signed.json()["api_key"]
    resume = (
        f"Jo Hostile {canaries()}\nData Analyst\n\n<script>alert(1)</script>\n\nEXPERIENCE\n"
        f"- <script>alert(1)</script> Wrote SQL queries and Python scripts for revenue reports {canaries()}\n"
        "- Built Tableau dashboards <img src=x onerror=alert(1)> and presented statistics\n"
        "- ![a](https://evil.example/n.png) Cleaned data in Excel <script>alert(2)</script>\n\n"
        f"SKILLS\n<script>alert(1)</script> SQL, Python, Tableau, Excel, statistics {canaries()}\n"
    )
    uploaded = driver.request(key, "PUT", "/v1/learners/me/resume/text", json={"text": resume})
    family.check(uploaded.status_code == 200, f"the hostile résumé: {_short(uploaded)}")
    session = driver.request(key, "POST", "/v1/sessions", json={})
    if family.check(session.status_code == 201, f"the hostile learner's session: {_short(session)}"):
        said = f"I want to become a {HOSTILE_GOAL} <script>alert(1)</script>"
        message = driver.request(key, "POST", f"/v1/sessions/{session.json()['id']}/messages", json={"text": said})
        family.check(message.status_code < 300, f"the learner's message: {_short(message)}")
    assigned = driver.request("admin", "PUT", f"/v1/advisors/{world.advisor_id}/advisees/{learner_id}")
    family.check(assigned.status_code < 300, f"assigning the advisor: {_short(assigned)}")
    for goal in ("data analyst", None, HOSTILE_GOAL):
        created = driver.request("advisor", "POST", f"/v1/learners/{learner_id}/briefs", json={"goal": goal})
        if created.status_code >= 400:
            family.check(created.status_code < 500, f"brief for goal {goal!r}: {_short(created)}")
            continue
        brief = created.json()
        family.check(
            markdown_text(HOSTILE_NAME) in brief["content_md"],
            f"goal {goal!r}: the learner's name is not in the brief, escaped: {brief['content_md'][:200]!r}",
        )
        exported = driver.request("advisor", "GET", f"/v1/briefs/{brief['id']}/export?format=md")
        family.check(exported.status_code == 200, f"export: {_short(exported)}")
        read = driver.request("advisor", "GET", f"/v1/briefs/{brief['id']}").json()
        titles.check(  # plain text by contract (the schema says so): escaped for display by whoever shows it
            HOSTILE_NAME in brief["title"] and "plain text" in driver.title_description().lower(),
            f"goal {goal!r}: the title is not the plain-text name as typed, or the schema does not say it is plain"
            f" text: {brief['title'][:120]!r}",
        )
        for where, text in (
            ("content_md", brief["content_md"]),
            ("questions", "\n".join(brief.get("questions", []))),
            ("re-read content_md", read.get("content_md", "")),
            ("Markdown export", exported.text),
        ):
            live = live_markup(text)
            family.check(not live, f"goal {goal!r}, {where}: live markup {live[:3]}")


def canary_traffic(driver: Driver, family: Family, canaries: Canaries) -> None:
    """Every free-text field the API takes, each with a fresh canary; only 5xx counts here (the log check is
    what this traffic is for)."""
    world = driver.world
    signed = driver.request(None, "POST", GUEST_PATH, json={"display_name": f"Guest {canaries()}"})
    key = signed.json()["api_key"] if signed.status_code == 201 else world.keys["learner"]
    learner_id = signed.json()["user"]["id"] if signed.status_code == 201 else world.learner_id
    store = world.store
    store.assign(world.advisor_id, learner_id)
    resume = f"Sam Canary {canaries()}\nData Analyst\nSKILLS\nSQL, Python, statistics {canaries()}\n"
    calls: list[tuple[str | None, str, str, dict[str, Any]]] = [
        ("admin", "POST", "/v1/users", {"json": {"role": "learner", "display_name": f"New {canaries()}"}}),
        ("admin", "POST", "/v1/users", {"json": {"role": "advisor", "display_name": f"Adv {canaries()}"}}),
        (key, "PUT", "/v1/learners/me/resume/text", {"json": {"text": resume}}),
        (key, "PUT", "/v1/learners/me/resume", {"files": {"file": ("cv.txt", resume.encode(), "text/plain")}}),
        (key, "POST", "/v1/learners/me/badges", {"files": {"file": (f"{canaries()}.json", b"{}", "application/json")}}),
        (key, "PATCH", "/v1/learners/me/skills", {"json": {"text": f"SQL, {canaries()}", "add": [canaries()]}}),
        (key, "PATCH", "/v1/learners/me/skills", {"json": {"confirm": [canaries()], "remove": [canaries()]}}),
        (key, "PUT", "/v1/learners/me/credentials", {"json": {"credential_ids": [canaries()]}}),
        (key, "POST", "/v1/learners/me/advice", {"json": {"target": {"kind": "occupation", "title": canaries()}}}),
        (key, "POST", "/v1/learners/me/gap", {"json": {"target": {"kind": "posting", "text": f"SQL {canaries()}"}}}),
        (key, "POST", "/v1/learners/me/routes", {"json": {"target": {"kind": "occupation", "title": canaries()}}}),
        (key, "POST", "/v1/learners/me/compare", {"json": {"goals": [canaries(), f"data analyst {canaries()}"]}}),
        (key, "POST", "/v1/learners/me/recommendations", {"json": {"target": {"kind": "explore"}}}),
    ]
    for who, method, url, kwargs in calls:
        response = driver.request(who, method, url, **kwargs)
        family.check(response.status_code < 500, f"{method} {url}: {_short(response)}")
    session = driver.request(key, "POST", "/v1/sessions", json={})
    if family.check(session.status_code < 300, f"POST /v1/sessions: {_short(session)}"):
        sid = session.json()["id"]
        for text in (f"I want to become a {canaries()}", f"My name is {canaries()} and I know SQL", canaries()):
            response = driver.request(key, "POST", f"/v1/sessions/{sid}/messages", json={"text": text})
            family.check(response.status_code < 500, f"message: {_short(response)}")
        stream = driver.request(key, "POST", f"/v1/sessions/{sid}/messages/stream", json={"text": canaries()})
        family.check(stream.status_code < 500, f"stream: {_short(stream)}")
    for goal in (canaries(), f"data analyst {canaries()}"):
        brief = driver.request("advisor", "POST", f"/v1/learners/{learner_id}/briefs", json={"goal": goal})
        family.check(brief.status_code < 500, f"brief: {_short(brief)}")
        if brief.status_code == 201:
            url = f"/v1/briefs/{brief.json()['id']}"
            for body in ({"notes": f"Notes {canaries()}"}, {"content_md": f"# Brief {canaries()}"}):
                edit = driver.request("advisor", "PATCH", url, json=body)
                family.check(edit.status_code < 500, f"brief edit: {_short(edit)}")


# --- the phase ---------------------------------------------------------------------------------------


def attack(world: World, *, capture: LogCapture | None = None, seed: int = 0, dodges: int = 50) -> AttackReport:
    """Every family against the world's app. ``capture``: a log capture already attached (the whole run's);
    without one, the phase attaches its own. ``dodges``: requests per rate-limit dodge, per set-up."""
    if capture is None:
        with LogCapture() as own:
            return attack(world, capture=own, seed=seed, dodges=dodges)
    started = time.monotonic()
    families = {key: Family(label) for key, label in FAMILIES.items()}
    canaries = Canaries(seed)
    rng = random.Random(f"attack:{seed}")
    driver = Driver(world)
    non_encodable_json(driver, families, canaries)
    oversized_bodies(driver, families["oversized"], canaries)
    dodged = rate_limit_dodges(world, families["rate_limit"], canaries, rng, dodges)
    brief_ownership(driver, families["ownership"], canaries)
    hostile_text(driver, families["hostile_text"], families["hostile_title"], canaries)
    canary_traffic(driver, families["canary_traffic"], canaries)
    report = AttackReport(families, canaries=len(set(canaries.issued)), tracebacks=dict(driver.served.tracebacks))
    report.dodges, report.dodge_requests = dodged, dodges
    inspect_logs(report, capture, canaries)
    report.seconds = time.monotonic() - started
    return report


def inspect_logs(report: AttackReport, capture: LogCapture, canaries: Canaries) -> None:
    """The log family from every record captured so far (call again later in the run to cover more)."""
    logs = report.families["logs"] = Family(FAMILIES["logs"])
    pattern = canaries.pattern()
    for text in capture.texts:
        hit = pattern.search(text)
        logs.check(hit is None, f"log record holds {hit.group(0) if hit else ''}: {text[:300]!r}")
    report.log_records = len(capture.texts)
    report.log_loggers = dict(capture.by_logger.most_common())
