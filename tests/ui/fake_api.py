"""An in-memory Stackwise API (the v1 contract in /work/plan/API.md) served through httpx.MockTransport.

The pages under test talk to it through the real ``StackwiseClient``, so the page tests also check
paths, bearer keys, multipart uploads and the SSE parsing, without starting a server or the model.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

import httpx

from ui.client import StackwiseClient

ESCO = "http://data.europa.eu/esco/skill/"

VIEW: dict[str, Any] = {
    "target": {
        "kind": "occupation",
        "label": "data analyst",
        "occupation_uri": "http://data.europa.eu/esco/occupation/da",
        "reasons": ["matches the goal you named"],
        "alternatives": ["business analyst"],
        "wage_median": 82360.0,
        "growth_pct": 25.2,
    },
    "readiness": 0.62,
    "skills": [
        {
            "skill_uri": ESCO + "sql",
            "label": "SQL",
            "weight": 0.9,
            "status": "held",
            "core": True,
            "credit": 0.9,
            "required_by": [],
            "evidence": {
                "source": "resume",
                "text": "Wrote SQL (PostgreSQL) queries and dbt models for weekly revenue reporting.",
                "line_no": 11,
                "section": "WORK EXPERIENCE",
                "reference": None,
            },
            "explanation": "named in a work line",
        },
        {
            "skill_uri": ESCO + "stats",
            "label": "statistical analysis",
            "weight": 0.8,
            "status": "weak",
            "core": True,
            "credit": 0.3,
            "required_by": ["ESCO essential skill of data analyst"],
            "evidence": {
                "source": "resume",
                "text": "Relevant coursework: Statistics",
                "line_no": 22,
                "section": "EDUCATION",
                "reference": None,
            },
            "explanation": "coursework only",
        },
        {
            "skill_uri": ESCO + "warehouse",
            "label": "data warehousing",
            "weight": 0.7,
            "status": "missing",
            "core": True,  # an ESCO essential skill: planned for, as the real view marks it
            "credit": 0.0,
            "required_by": ["ESCO essential skill of data analyst", "O*NET technology skill of data analyst"],
            "evidence": None,
            "explanation": "",
        },
        {
            "skill_uri": ESCO + "present",
            "label": "present reports",
            "weight": 0.4,
            "status": "missing",
            "core": False,  # an optional skill: shown, grouped, not planned for
            "credit": 0.0,
            "required_by": ["ESCO optional skill of data analyst"],
            "evidence": None,
            "explanation": "",
        },
        {
            "skill_uri": ESCO + "funding",
            "label": "apply for research funding",
            "weight": 1.0,
            "status": "missing",
            "core": False,
            "research": True,  # ESCO's researcher block: grouped apart for a practitioner's goal
            "credit": 0.0,
            "required_by": ["ESCO essential skill of data analyst"],
            "evidence": None,
            "explanation": "",
        },
    ],
    "recommendations": [
        {
            "credential_id": "LPC-DA-210",
            "title": "Data Warehousing Foundations",
            "kind": "micro-credential",
            "cost": "650.00",
            "currency": "USD",
            "workload_hours": 60,
            "ects": 2.0,
            "eqf_level": 5,
            "delivery_mode": "online",
            "duration_weeks": 8,
            "url": "https://example.edu/da-210",
            "covers": [{"uri": ESCO + "warehouse", "label": "data warehousing"}],
            "reasons": ["covers a missing essential skill", "fits 6 hours a week"],
            "stacks_into": [{"uri": "LPC-CERT-DA", "label": "Certificate in Data Analytics (1 credit-hour)"}],
        },
        {  # there only to unlock the pick above: listed under it, not ranked on its own
            "credential_id": "LPC-SD-101",
            "title": "Programming Foundations with Python",
            "kind": "micro-credential",
            "cost": "300.00",
            "currency": "USD",
            "workload_hours": 30,
            "ects": None,
            "eqf_level": 4,
            "delivery_mode": "online",
            "duration_weeks": 4,
            "url": None,
            "covers": [],
            "reasons": ["prerequisite of LPC-DA-210 (Data Warehousing Foundations)"],
            "stacks_into": [],
            "prerequisite_of": "LPC-DA-210",
        },
        {
            "credential_id": "LPC-DA-120",
            "title": "Applied Statistics",
            "kind": "micro-credential",
            "cost": "450.00",
            "currency": "USD",
            "workload_hours": 45,
            "ects": None,
            "eqf_level": 4,
            "delivery_mode": "blended",
            "duration_weeks": 6,
            "url": None,
            "covers": [{"uri": ESCO + "stats", "label": "statistical analysis"}],
            "reasons": ["strengthens a weak core skill"],
            "stacks_into": [],
        },
    ],
    "routes": [
        {
            "objective": "most-coverage",
            "steps": [
                {
                    "credential_id": "LPC-DA-120",
                    "title": "Applied Statistics",
                    "start_week": 1,
                    "end_week": 6,
                    "cost": "450.00",
                    "covers": [],
                },
                {
                    "credential_id": "LPC-DA-210",
                    "title": "Data Warehousing Foundations",
                    "start_week": 7,
                    "end_week": 14,
                    "cost": "650.00",
                    "covers": [],
                },
            ],
            "total_cost": "1100.00",
            "currency": "USD",
            "total_hours": 105,
            "total_ects": 2.0,
            "weeks": 14,
            "coverage": 0.85,
            "stacks_toward": [
                {
                    "target_id": "LPC-CERT-DA",
                    "title": "Certificate in Data Analytics",
                    "credit_earned": 4,
                    "credit_required": 12,
                    "credit_unit": "credits",
                    "complete": False,
                }
            ],
            "optimal": True,
            "status": "OPTIMAL",
            "notes": [],
        },
        {
            "objective": "cheapest",
            "steps": [
                {
                    "credential_id": "LPC-DA-120",
                    "title": "Applied Statistics",
                    "start_week": 1,
                    "end_week": 6,
                    "cost": "450.00",
                    "covers": [],
                }
            ],
            "total_cost": "450.00",
            "currency": "USD",
            "total_hours": 45,
            "total_ects": 0,
            "weeks": 6,
            "coverage": 0.4,
            "stacks_toward": [],
            "optimal": True,
            "status": "OPTIMAL",
            "notes": ["Leaves data warehousing uncovered."],
        },
    ],
    "notes": [],
    "left_out": [
        {
            "credential_id": "LPC-WT-120",
            "title": "Wind Farm Monitoring",
            "reason": "far from data analyst (each teaches part of your gap, but most of it is about other work)",
        }
    ],
}


def _summary(cid: str, title: str, cost: str, hours: float, level: int) -> dict[str, Any]:
    """A catalog entry as GET /v1/catalog lists it (every field the API sends)."""
    return {
        "id": cid,
        "title": title,
        "kind": "micro-credential",
        "field": "data-it",
        "eqf_level": level,
        "workload_hours": hours,
        "ects": round(hours / 27, 1),
        "cost": cost,
        "currency": "USD",
        "duration_weeks": 6.0,
        "delivery_mode": "online",
        "language": "en",
        "url": None,
        "stacks_into": ["LPC-CERT-DA"],
        "prerequisites": [],
        "prerequisite_groups": [],
        "counts_toward": [{"id": "LPC-CERT-DA", "title": "Certificate in Data Analytics"}],
    }


CATALOG = [
    _summary("LPC-DA-101", "Spreadsheet Analytics", "450.00", 40, 4),
    _summary("LPC-DA-120", "Applied Statistics", "600.00", 60, 5),
    _summary("LPC-DA-210", "Data Warehousing Foundations", "800.00", 80, 5)
    | {
        # the catalog says either one is enough
        "prerequisites": ["LPC-DA-101", "LPC-SD-101"],
        "prerequisite_groups": [
            {
                "required": 1,
                "credentials": [
                    {"id": "LPC-DA-101", "title": "Spreadsheet Analytics"},
                    {"id": "LPC-SD-101", "title": "Programming Foundations with Python"},
                ],
            }
        ],
    },
]

OCCUPATION_DA = "http://data.europa.eu/esco/occupation/da"
OCCUPATION_HITS: list[dict[str, Any]] = [
    {
        "uri": OCCUPATION_DA,
        "label": "data analyst",
        "isco_group": "2511",
        "matched_label": "data analyst",
        "score": 1.0,
        "onet_codes": ["15-2051.01"],
    }
]


def _requirement(label: str, source: str, **extra: Any) -> dict[str, Any]:
    return {
        "label": label,
        "skill_uri": None,
        "source": source,
        "importance": None,
        "level": None,
        "hot_technology": False,
        "in_demand": False,
        "citation": {
            "esco-essential": "ESCO v1.1.1: data analyst — essential skill",
            "esco-optional": "ESCO v1.1.1: data analyst — optional skill",
        }.get(source, f"O*NET 29.2: Data Scientists (15-2051.00) — {label}"),
    } | extra


OCCUPATION_DETAIL: dict[str, Any] = {
    "uri": OCCUPATION_DA,
    "label": "data analyst",
    "description": "Data analysts import, inspect, clean, transform, validate, model or interpret data.",
    "isco_group": "2511",
    "onet_codes": ["15-2051.01"],
    "annual_median_wage_usd": 82360.0,
    "wage_source": "BLS OEWS May 2025, SOC 15-2051 (Data Scientists)",
    "projected_growth_pct_2020_2030": 25.2,
    "requirements": [
        _requirement("statistical analysis", "esco-essential", skill_uri=ESCO + "stats"),
        _requirement("data warehousing", "esco-optional"),
        _requirement("Critical Thinking", "onet-skill", importance=4.12, level=4.5),
        _requirement("Microsoft Power BI", "onet-technology", hot_technology=True, in_demand=True),
        _requirement("Oracle Database", "onet-technology"),
    ],
}

OCCUPATION_CREDENTIALS: dict[str, Any] = {
    "occupation_uri": OCCUPATION_DA,
    "label": "data analyst",
    "core_skills": 14,
    "hours_per_week": 15.0,
    "credentials": [
        CATALOG[1]
        | {"made_for": True, "teaches": [{"uri": ESCO + "stats", "label": "statistical analysis"}], "core_share": 0.2},
        CATALOG[2] | {"made_for": True, "teaches": [], "core_share": 0.0},
    ],
    "routes": deepcopy(VIEW["routes"]),
    "notes": ["Under these constraints the catalog can cover at most 85% of the core gap's weight."],
}


def _catalog_page(params: httpx.QueryParams) -> dict[str, Any]:
    """GET /v1/catalog as the API answers: the credentials passing every filter, and how many each hides alone."""
    words = params.get("q", "").casefold().split()
    tests: dict[str, Callable[[dict[str, Any]], bool]] = {}
    if "field" in params:
        tests["field"] = lambda c: c["field"] == params["field"]
    if "delivery_mode" in params:
        tests["delivery_mode"] = lambda c: c["delivery_mode"] == params["delivery_mode"]
    if "max_cost" in params:
        tests["max_cost"] = lambda c: c["cost"] is not None and float(c["cost"]) <= float(params["max_cost"])
    if words:
        tests["q"] = lambda c: all(w in c["title"].casefold() for w in words)
    items = [c for c in CATALOG if all(t(c) for t in tests.values())]
    hidden = {
        name: sum(1 for c in CATALOG if not test(c) and all(t(c) for other, t in tests.items() if other != name))
        for name, test in tests.items()
    }
    return {"total": len(items), "items": items, "hidden_by": hidden}


SKILL_HITS = [
    {"skill_uri": ESCO + "excel", "label": "use spreadsheets software", "matched_label": "Excel", "source": "esco"},
    {"skill_uri": ESCO + "sql", "label": "SQL", "matched_label": "SQL", "source": "esco"},
]

SUGGESTIONS = [
    {
        "label": "data analyst",
        "occupation_uri": "http://data.europa.eu/esco/occupation/da",
        "score": 0.81,
        "readiness": 0.6,
        "wage_median": 82360.0,
        "growth_pct": 25.2,
        "reasons": ["you hold 9 of its 14 core skills"],
    },
    {
        "label": "database administrator",
        "occupation_uri": "http://data.europa.eu/esco/occupation/dba",
        "score": 0.64,
        "readiness": 0.4,
        "wage_median": 98860.0,
        "growth_pct": 9.7,
        "reasons": ["SQL carries over"],
    },
]


def reply(text: str, *, view: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "text": text,
        "intent": extra.pop("intent", "goal"),
        "mode": "embedded",
        "view": view,
        "comparison": extra.pop("comparison", []),
        "focus": None,
        "suggestions": extra.pop("suggestions", []),
        "guard": {"ok": True, "violations": [], "regenerated": False, "fell_back": False},
        "tools": [],
    }


def sse(*events: tuple[str, dict[str, Any]]) -> bytes:
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()


@dataclass
class FakeApi:
    """State of the fake service; flip the ``fail_*`` fields to make an endpoint answer an error."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    advisees_of: dict[str, list[str]] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    briefs: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    fail_resume: str | None = None
    stream_events: Callable[[str], bytes] | None = None
    crash: bool = False
    building: str | None = None  # "skills 45% (part 1 of 3)": /ready says a first start's indexes are building
    check_answers: bool = False  # check every JSON answer against the real API's OpenAPI document
    answer_problems: list[str] = field(default_factory=list)
    skill_edits: list[dict[str, Any]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- set-up helpers ---------------------------------------------------------------------------
    def add_user(self, role: str, name: str) -> str:
        """A user and their key (the key is returned)."""
        uid = f"u{next(self._ids)}"
        self.users[uid] = {"id": uid, "role": role, "display_name": name}
        key = f"sw_{role}_{uid}"
        self.keys[key] = uid
        if role == "learner":
            self.profiles[uid] = self._empty_profile(uid)
        return key

    def user_of(self, key: str) -> dict[str, Any]:
        return self.users[self.keys[key]]

    def factory(self) -> Callable[[str | None], StackwiseClient]:
        transport = httpx.MockTransport(self.handle)
        return lambda key: StackwiseClient("http://fake.stackwise", api_key=key, transport=transport)

    @staticmethod
    def _empty_profile(uid: str) -> dict[str, Any]:
        return {
            "learner_id": uid,
            "skills": [],
            "unconfirmed": [],
            "technologies": [],
            "earned_credentials": [],
            "constraints": {},
            "resume": None,
        }

    def _edit_skills(self, profile: dict[str, Any], body: dict[str, Any]) -> httpx.Response:
        """PATCH /skills: confirm moves an offered skill into the counted ones, remove drops one, add appends."""
        confirm, remove = set(body.get("confirm", [])), set(body.get("remove", []))
        moved = [s | {"confirmed": True} for s in profile.get("unconfirmed", []) if s["skill_uri"] in confirm]
        profile["unconfirmed"] = [s for s in profile.get("unconfirmed", []) if s["skill_uri"] not in confirm | remove]
        profile["skills"] = [s for s in profile["skills"] if s["skill_uri"] not in remove] + moved
        profile["technologies"] = [t for t in profile.get("technologies", []) if t["key"] not in remove]
        added = [*body.get("add", []), *([ESCO + "typed"] if body.get("text") else [])]
        for uri in added:
            label = body.get("text") or uri.rsplit("/", 1)[-1]
            evidence = [{"source": "self-reported", "text": label}]
            profile["skills"].append(
                {"skill_uri": uri, "label": label, "confidence": 1.0, "confirmed": True, "evidence": evidence}
            )
        self.skill_edits.append(body)
        return httpx.Response(200, json=profile | {"notes": []})

    # -- the service ------------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        response = self._answer(request)
        if self.check_answers:
            from tests.ui.wire_contract import answer_problems

            self.answer_problems += answer_problems(request, response)
        return response

    def _answer(self, request: httpx.Request) -> httpx.Response:
        if self.crash:
            raise RuntimeError("simulated bug in the page's dependencies")
        method, path = request.method, request.url.path
        if (method, path) == ("GET", "/ready"):  # asked on every page run; not counted among the calls
            checks = {"taxonomy": "ok", "catalog": "ok", "storage": "ok"}
            if self.building is not None:
                checks["indexes"] = f"building: {self.building}"
            return httpx.Response(503 if self.building else 200, json={"ready": not self.building, "checks": checks})
        self.calls.append(f"{method} {path}")
        public = {("GET", "/v1/stats"), ("GET", "/v1/catalog"), ("POST", "/v1/auth/guest"), ("GET", "/v1/skills")}
        public |= {("GET", p) for p in ("/v1/occupations", "/v1/occupations/detail", "/v1/occupations/credentials")}
        if (method, path) in public:
            return self._public(method, path, request)
        auth = request.headers.get("authorization", "")
        uid = self.keys.get(auth.removeprefix("Bearer "))
        if uid is None:
            return _error(401, "Your key was not accepted.")
        me = self.users[uid]
        return self._private(method, path, request, me)

    def _public(self, method: str, path: str, request: httpx.Request) -> httpx.Response:
        if path == "/v1/stats":
            return httpx.Response(
                200, json={"skills": 13896, "occupations": 3039, "credentials": 3, "stack_destinations": 1}
            )
        if path == "/v1/catalog":
            return httpx.Response(200, json=_catalog_page(request.url.params))
        if path == "/v1/occupations":
            typed = request.url.params.get("q", "").casefold()
            return httpx.Response(200, json=[h for h in OCCUPATION_HITS if typed in h["label"]])
        if path in ("/v1/occupations/detail", "/v1/occupations/credentials"):
            if request.url.params.get("uri") != OCCUPATION_DA:
                return _error(404, "No ESCO occupation with that URI.")
            return httpx.Response(200, json=OCCUPATION_DETAIL if path.endswith("detail") else OCCUPATION_CREDENTIALS)
        if path == "/v1/skills":
            typed = request.url.params.get("q", "").casefold()
            hits = [h for h in SKILL_HITS if typed in h["matched_label"].casefold()]
            return httpx.Response(200, json=hits)
        key = self.add_user("learner", "Guest")
        return httpx.Response(201, json={"user": self.user_of(key), "api_key": key})

    def _private(self, method: str, path: str, request: httpx.Request, me: dict[str, Any]) -> httpx.Response:
        path = re.sub(r"^/v1/learners/me\b", f"/v1/learners/{me['id']}", path)
        body: dict[str, Any] = {}
        if request.headers.get("content-type", "").startswith("application/json") and request.content:
            body = json.loads(request.content)
        if (method, path) == ("GET", "/v1/me"):
            return httpx.Response(200, json=me)
        if (method, path) == ("GET", "/v1/advisees"):
            if me["role"] != "advisor":
                return _error(403, "Only advisors have advisees.")
            rows = [
                {
                    "id": lid,
                    "display_name": self.users[lid]["display_name"],
                    "has_resume": self.profiles[lid]["resume"] is not None,
                    "skills": len(self.profiles[lid]["skills"]),
                    "goal": "data analyst",
                    "updated_at": "2026-11-23T10:00:00Z",
                }
                for lid in self.advisees_of.get(me["id"], [])
            ]
            return httpx.Response(200, json=rows)
        if match := re.fullmatch(r"/v1/learners/([^/]+)(/.*)?", path):
            return self._learner(method, match.group(1), match.group(2) or "", request, body, me)
        if match := re.fullmatch(r"/v1/sessions(?:/([^/]+))?(/.*)?", path):
            return self._session(method, match.group(1), match.group(2) or "", body, me)
        if match := re.fullmatch(r"/v1/briefs/([^/]+)(/export)?", path):
            return self._brief(method, match.group(1), bool(match.group(2)), request, body)
        return _error(404, "Not found.")

    def _learner(
        self, method: str, lid: str, rest: str, request: httpx.Request, body: dict[str, Any], me: dict[str, Any]
    ) -> httpx.Response:
        allowed = lid == me["id"] or lid in self.advisees_of.get(me["id"], [])
        if lid not in self.profiles or not allowed:
            return _error(404, "No such learner.")
        profile = self.profiles[lid]
        if (method, rest) == ("PUT", "/resume"):
            if self.fail_resume:
                return _error(415, self.fail_resume)
            name, content = _upload(request)
            return self._read_resume(profile, name, content)
        if (method, rest) == ("PUT", "/resume/text"):
            return self._read_resume(profile, "pasted text", body["text"].encode())
        if (method, rest) in (("PUT", "/resume/stream"), ("PUT", "/resume/text/stream")):
            return self._read_resume_told(profile, request, body, rest)
        if (method, rest) == ("PATCH", "/skills"):
            return self._edit_skills(profile, body)
        if (method, rest) == ("GET", "/profile"):
            return httpx.Response(200, json=profile)
        if (method, rest) == ("PUT", "/credentials"):
            profile["earned_credentials"] = list(body["credential_ids"])
            return httpx.Response(200, json=profile)
        if (method, rest) == ("POST", "/badges"):
            if b"OpenBadgeCredential" not in _upload(request)[1]:
                return _error(422, "That file is not an Open Badges 3.0 credential.")
            profile["earned_credentials"] = [*profile["earned_credentials"], "LPC-DA-101"]
            taken = "“Spreadsheets” is Spreadsheet Analysis Essentials (LPC-DA-101) here: held, and its skills count."
            return httpx.Response(200, json={**profile, "notes": [taken]})
        if (method, rest) == ("GET", "/suggestions"):
            return httpx.Response(200, json={"options": SUGGESTIONS})
        if (method, rest) == ("POST", "/compare"):
            known = {o["label"]: o["readiness"] for o in SUGGESTIONS}  # one readiness per goal, as the service
            rows = [
                {
                    "target": goal,
                    "readiness": known.get(goal, 0.6 - 0.2 * i),
                    "gap_items": 3 + i,
                    "best_coverage": 0.9 - 0.1 * i,
                    "cheapest_cost": "450.00",
                    "fastest_weeks": 6 + i,
                    "wage_median": 80000.0 + 1000 * i,
                    "growth_pct": 5.0 + i,
                }
                for i, goal in enumerate(body["goals"])
            ]
            return httpx.Response(200, json={"rows": rows})
        if (method, rest) == ("DELETE", ""):
            erased = {"learner_id": lid, "resumes": int(profile["resume"] is not None), "profiles": 1}
            erased |= {"sessions": 0, "messages": 0, "briefs": 0, "assignments": 0}
            for sid in [s for s, data in self.sessions.items() if data["learner_id"] == lid]:
                erased["sessions"] += 1
                erased["messages"] += len(self.sessions.pop(sid)["messages"])
            del self.profiles[lid]
            self.keys = {k: u for k, u in self.keys.items() if u != lid}
            return httpx.Response(200, json=erased)
        if (method, rest) == ("POST", "/briefs"):
            if me["role"] != "advisor":
                return _error(403, "Only advisors write briefs.")
            bid = f"b{next(self._ids)}"
            goal = body.get("goal") or "data analyst"
            self.briefs[bid] = {
                "id": bid,
                "learner_id": lid,
                "advisor_id": me["id"],
                "title": f"Brief: {self.users[lid]['display_name']} → {goal}",
                "content_md": f"## Gap to {goal}\n\nReady now: 62%. Missing: data warehousing.",
                "notes": "",
                "created_at": "2026-11-23T10:00:00Z",
                "updated_at": "2026-11-23T10:00:00Z",
                "view": deepcopy(VIEW),
                "questions": ["How many hours a week can you give?", "Is online study possible?"],
            }
            return httpx.Response(201, json=self.briefs[bid])
        if (method, rest) == ("GET", "/briefs"):
            return httpx.Response(200, json=[b for b in self.briefs.values() if b["learner_id"] == lid])
        return _error(404, "Not found.")

    def _read_resume_told(
        self, profile: dict[str, Any], request: httpx.Request, body: dict[str, Any], rest: str
    ) -> httpx.Response:
        """As the real stream: ``progress`` per batch of lines, then ``profile``, or ``error`` in-band."""
        if rest == "/resume/stream":
            if self.fail_resume:
                answer = _error(415, self.fail_resume)
            else:
                name, content = _upload(request)
                answer = self._read_resume(profile, name, content)
        else:
            content = body["text"].encode()
            answer = self._read_resume(profile, "pasted text", content)
        if answer.status_code >= 400:
            events = sse(("error", {"detail": answer.json()["detail"], "status": answer.status_code}))
        else:
            total = max(1, len(content.splitlines()))
            steps = [("progress", {"done": min(total, done), "total": total}) for done in range(32, total + 32, 32)]
            events = sse(*steps, ("profile", answer.json()))
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=events)

    def _read_resume(self, profile: dict[str, Any], filename: str, content: bytes) -> httpx.Response:
        if not content.strip():
            return _error(422, "The résumé is empty.")
        lines = content.decode(errors="replace").splitlines()
        skills = [
            {
                "skill_uri": ESCO + "sql",
                "label": "SQL",
                "confidence": 0.93,
                "evidence": [{"source": "resume", "text": lines[0], "line_no": 1, "section": None, "reference": None}],
            },
            {"skill_uri": ESCO + "python", "label": "Python (computer programming)", "confidence": 0.9, "evidence": []},
        ]
        offered = [
            {
                "skill_uri": ESCO + "tableau",
                "label": "data visualisation software",
                "confidence": 0.62,
                "confirmed": False,
                "evidence": [{"source": "resume", "text": lines[-1], "line_no": len(lines), "section": None}],
            }
        ]
        profile["skills"] = skills
        profile["unconfirmed"] = offered
        profile["technologies"] = [
            {
                "key": "onet-technology:Tableau",
                "name": "Tableau",
                "label": "Tableau",
                "commodity": "Business intelligence and data analysis software",
                "hot_technology": True,
                "in_demand": True,
                "skill_uri": None,
                "confirmed": False,
                "evidence": [{"source": "resume", "text": lines[-1], "line_no": len(lines), "section": None}],
            }
        ]
        profile["resume"] = {"filename": filename, "uploaded_at": "2026-11-23T10:00:00Z", "lines": len(lines)}
        return httpx.Response(200, json=profile)

    def _session(
        self, method: str, sid: str | None, rest: str, body: dict[str, Any], me: dict[str, Any]
    ) -> httpx.Response:
        if sid is None and method == "POST":
            sid = f"s{next(self._ids)}"
            self.sessions[sid] = {"learner_id": me["id"], "messages": []}
            welcome = reply(
                "Hello! What work would you like to move into?", suggestions=["I want to be a data analyst"]
            )
            session = {"id": sid, "learner_id": me["id"], "title": "New plan", "mode": "embedded", "welcome": welcome}
            return httpx.Response(201, json=session | {"created_at": "2026-11-23T10:00:00Z", "updated_at": ""})
        if sid not in self.sessions or self.sessions[sid]["learner_id"] != me["id"]:
            return _error(404, "No such conversation.")
        text = str(body.get("text", ""))
        self.sessions[sid]["messages"].append(text)
        if (method, rest) == ("POST", "/messages/stream"):
            content = self.stream_events(text) if self.stream_events else self.default_stream(text)
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=content)
        if (method, rest) == ("POST", "/messages"):
            return httpx.Response(200, json={"reply": self.answer(text)})
        return _error(404, "Not found.")

    @staticmethod
    def answer(text: str) -> dict[str, Any]:
        if "compare" in text.lower():
            rows = [
                {"target": "data analyst", "readiness": 0.62, "gap_items": 3, "best_coverage": 0.85}
                | {"cheapest_cost": "450.00", "fastest_weeks": 6, "wage_median": 82360.0, "growth_pct": 25.2},
                {"target": "nurse", "readiness": 0.1, "gap_items": 12, "best_coverage": 0.3}
                | {"cheapest_cost": None, "fastest_weeks": None, "wage_median": 77600.0, "growth_pct": 9.0},
            ]
            table = "| goal | ready |\n|---|---|\n" + "\n".join(
                f"| {r['target']} | {r['readiness']:.0%} |" for r in rows
            )
            return reply(f"Here is how the two goals compare.\n{table}", intent="compare", comparison=rows)
        return reply(
            "You are **62%** of the way to data analyst. Data Warehousing Foundations (LPC-DA-210) covers the gap.",
            view=deepcopy(VIEW),
            suggestions=["Show the cheapest route", "Compare with nurse"],
        )

    def default_stream(self, text: str) -> bytes:
        final = self.answer(text)
        words = [f"{w} " for w in final["text"].split()]
        return sse(
            ("token", {"text": "A first draft that the guard rejects. "}),
            ("reset", {}),
            *[("token", {"text": w}) for w in words],
            ("reply", final),
        )

    def _brief(
        self, method: str, bid: str, export: bool, request: httpx.Request, body: dict[str, Any]
    ) -> httpx.Response:
        brief = self.briefs.get(bid)
        if brief is None:
            return _error(404, "No such brief.")
        if export:
            fmt = request.url.params.get("format")
            if fmt == "pdf":
                content, media = b"%PDF-1.4 fake brief", "application/pdf"
            else:
                content, media = (brief["content_md"] + "\n\n## Notes\n\n" + brief["notes"]).encode(), "text/markdown"
            disposition = f'attachment; filename="brief-{bid}.{fmt}"'
            return httpx.Response(
                200, content=content, headers={"content-type": media, "content-disposition": disposition}
            )
        if method == "PATCH":
            brief.update({k: v for k, v in body.items() if k in ("notes", "content_md")})
            brief["updated_at"] = f"2026-11-23T11:{next(self._ids):02d}:00Z"
            return httpx.Response(200, json=brief)
        if method == "GET":
            return httpx.Response(200, json=brief)
        return _error(404, "Not found.")


def _upload(request: httpx.Request) -> tuple[str, bytes]:
    """The file name and bytes of the multipart field ``file`` (the only field the API takes)."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    part = request.content.split(b"--" + boundary)[1]
    headers, _, body = part.partition(b"\r\n\r\n")
    assert b'name="file"' in headers
    name = re.search(rb'filename="([^"]+)"', headers)
    return (name.group(1).decode() if name else "upload"), body.removesuffix(b"\r\n")


def _error(status: int, detail: str) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail})
