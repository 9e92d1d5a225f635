"""The grounding check every reply passes before a learner sees it.

A reply may name only credentials the computed results (or a tool call this turn) produced, quote only
prices those credentials and routes carry, and name ESCO skills only from the learner's profile, the gap
or the credentials in play. It must not echo the system prompt (a canary token is planted in it; eight of its
words in a row also count), and it is shown as plain Markdown: HTML and images are removed, links kept only to
the catalog's own pages, and ids the catalog lacks are removed wherever the text came from.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from assistant.core.catalog import Catalog
from assistant.core.dialogue.claims import BARE_URL, IMAGE, LINK, PRICE, RELATIVE_PRICE, SPELLED_PRICE
from assistant.core.dialogue.state import GuardReport
from assistant.core.linking import SkillLexicon
from assistant.core.taxonomy import Taxonomy

#: what reads as a credential id ("LPC-DA-101"): checked in replies, collected from core sentences, never echoed
ID_LIKE = re.compile(r"\b[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,12}){1,4}\b")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>|<!--.*?-->|&lt;\s*/?\s*script", re.S)
#: a price claim without a figure ("LPC-DA-110 is now free")
_FREE = re.compile(r"\b(?:is|are|now|for|completely|totally)\s+free\b|\bcosts? nothing\b|\bat no cost\b", re.I)
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
#: quoted evidence (“…”) and credential names (**ID — Title**) are checked as ids, not as skill claims
_CURLY_QUOTED = re.compile(r"“[^”]*”")
_QUOTED = re.compile(r"“[^”]*”|\*\*[A-Z][A-Z0-9-]+ — [^*]+\*\*")
#: a secret counts as repeated when this many of its words appear in a row
_SECRET_RUN = 8
#: labels that are everyday words in advice prose, not claims of a skill ("plan", "budget", "learn")
_PROSE_LABELS = frozenset(
    {
        "plan",
        "budget",
        "learn",
        "study",
        "teach",
        "advise",
        "write",
        "read",
        "communicate",
        "coordinate",
        "schedule",
        "route",
        "cost",
        "research",
        "english",
        "online",
    }
)


@dataclass(frozen=True)
class Allowed:
    """What a reply may name this turn."""

    credential_ids: frozenset[str] = frozenset()
    skill_uris: frozenset[str] = frozenset()
    amounts: frozenset[Decimal] = frozenset()
    urls: frozenset[str] = frozenset()
    #: sentences computed by the core (route notes, reasons): quoted as is, so not read as skill claims
    verbatim: frozenset[str] = frozenset()

    def merge(self, other: Allowed) -> Allowed:
        return Allowed(
            self.credential_ids | other.credential_ids,
            self.skill_uris | other.skill_uris,
            self.amounts | other.amounts,
            self.urls | other.urls,
            self.verbatim | other.verbatim,
        )


@dataclass
class Guard:
    """Checks replies against the catalog and the taxonomy's labels."""

    catalog: Catalog
    lexicon: SkillLexicon | None = None
    taxonomy: Taxonomy | None = None
    canary: str = ""
    secrets: tuple[str, ...] = ()
    _titles: dict[str, str] = field(default_factory=dict, init=False)
    _last_labels: tuple[frozenset[str], frozenset[str]] = field(default=(frozenset(), frozenset()), init=False)

    def __post_init__(self) -> None:
        self._titles = {c.title.casefold(): c.id for c in self.catalog if len(c.title) >= 10}

    def allowed_for(
        self, credential_ids: Iterable[str], skill_uris: Iterable[str] = (), extra_amounts: Iterable[Decimal] = ()
    ) -> Allowed:
        """Credentials in play widen to their prices, pages and skills (and the ones they stack into), including
        skills their learning outcomes name: an explanation quotes the outcomes, and relaying it is grounded."""
        ids = {cid for cid in credential_ids if cid in self.catalog}
        for cid in list(ids):
            credential = self.catalog.get(cid)
            ids |= {rule.target_id for rule in credential.stacks_into if rule.target_id in self.catalog}
            ids |= {p for p in credential.prerequisite_ids if p in self.catalog}
        for cid in list(ids):
            requirement = self.catalog.get(cid).stack_requirement
            if requirement is not None:
                ids |= {r for r in requirement.required_ids if r in self.catalog}
        amounts = {Decimal(a) for a in extra_amounts}
        urls: set[str] = set()
        skills = set(skill_uris)
        for cid in ids:
            credential = self.catalog.get(cid)
            if credential.cost is not None:
                amounts.add(credential.cost.amount)
            if credential.url:
                urls.add(credential.url)
            skills |= set(credential.skill_uris) | self._named_in_outcomes(cid)
        if self.catalog.institution.url:
            urls.add(self.catalog.institution.url)
        return Allowed(frozenset(ids), frozenset(skills), frozenset(amounts), frozenset(urls))

    def sanitize(self, text: str, allowed: Allowed) -> tuple[str, list[str]]:
        """Remove HTML, images, links outside the catalog, ids the catalog lacks and prices a named credential
        does not have; say what was removed. Echoed text (a search, a résumé line, a catalog outcome) can carry
        any of them, and the embedded mode shows what this leaves."""
        removed: list[str] = []
        if _HTML.search(text):
            removed.append("raw HTML")
            text = _HTML.sub("", text)
        if IMAGE.search(text):
            removed.append("an image")
            text = IMAGE.sub("", text)
        if _REF_DEF.search(text):
            removed.append("a link reference")
            text = _REF_DEF.sub("", text)

        def link(match: re.Match[str]) -> str:
            if match.group(2) in allowed.urls:
                return match.group(0)
            removed.append(f"a link to {match.group(2)[:60]}")
            return match.group(1)

        text = LINK.sub(link, text)

        def bare(match: re.Match[str]) -> str:
            url = match.group(0).rstrip(".,;:")
            if _own_url(url, allowed.urls):
                return match.group(0)
            removed.append(f"a link to {url[:60]}")
            return "[link removed]"

        text = BARE_URL.sub(bare, text)

        def unknown_id(match: re.Match[str]) -> str:
            token = match.group(0)
            if token in self.catalog or _in_labels(token, self._labels(allowed.skill_uris)):
                return token
            removed.append(f"credential id {token}, which is not in the catalog")
            return "[not in the catalog]"

        text = "\n".join(self._unpriced(line, allowed, removed) for line in text.split("\n"))
        for pattern, what in ((SPELLED_PRICE, "a price in words"), (RELATIVE_PRICE, "a discount or price claim")):
            if pattern.search(text):
                removed.append(what)
                text = pattern.sub("[price removed]", text)
        text = ID_LIKE.sub(unknown_id, text)
        return text.replace("<", "‹").replace(">", "›") if "<" in text else text, removed

    def check(self, text: str, allowed: Allowed, *, learner_quotes: bool = False) -> GuardReport:
        """``learner_quotes``: the text is composed in code, where “…” quotes only the learner's own words
        (a résumé line may name a course they took, in the catalog's words); there a catalog title inside
        such a quote is theirs, not a recommendation. Ids and prices are checked everywhere regardless."""
        violations: list[str] = []
        if self.canary and self.canary in text:
            violations.append("the reply repeats the system prompt (canary found)")
        runs = _runs(text)
        for secret in self.secrets:
            if secret and (secret in text or runs & _runs(secret)):
                violations.append("the reply repeats the system prompt")
        for token in dict.fromkeys(ID_LIKE.findall(text)):
            if token in allowed.credential_ids:
                continue
            if token in self.catalog:
                violations.append(f"names credential {token}, which is not in the computed results")
            elif not _in_labels(token, self._labels(allowed.skill_uris)):
                violations.append(f"names credential {token}, which is not in the catalog")
        folded = (_CURLY_QUOTED.sub(" ", text) if learner_quotes else text).casefold()
        for title, cid in self._titles.items():
            if title in folded and cid not in allowed.credential_ids:
                violations.append(
                    f"names '{self.catalog.get(cid).title}' ({cid}), which is not in the computed results"
                )
        for quoted in PRICE.finditer(text):
            raw = _raw_amount(quoted)
            if _decimal(raw) not in allowed.amounts:
                violations.append(f"quotes a price ({raw}) that no credential or route in play has")
        if any(self._free_claim(line) for line in text.splitlines()):
            violations.append("calls a credential free that has a price")
        if SPELLED_PRICE.search(text):
            violations.append("states a price in words")
        if RELATIVE_PRICE.search(text):
            violations.append("claims a discount, a giveaway or a relative price")
        if self.lexicon is not None:
            labels = self._labels(allowed.skill_uris)
            prose = text
            for sentence in sorted(allowed.verbatim, key=len, reverse=True):
                prose = prose.replace(sentence, " ")
            # a credential's catalog title names it, not a skill ("... in Information Technology")
            titles = (self.catalog.get(cid).title for cid in allowed.credential_ids if cid in self.catalog)
            for title in sorted(titles, key=len, reverse=True):
                prose = re.sub(re.escape(title), " ", prose, flags=re.IGNORECASE)
            for match in self.lexicon.find(_QUOTED.sub(" ", prose)):
                label = match.label.casefold()
                if match.skill_uri in allowed.skill_uris or label in labels or label in _PROSE_LABELS:
                    continue
                if len(match.label) <= 3:
                    continue
                violations.append(f"names the skill '{match.label}', which is not in the profile, gap or credentials")
        html_left = bool(_HTML.search(text) or IMAGE.search(text))
        if html_left:
            violations.append("contains raw HTML or an image")
        for url in BARE_URL.findall(text):
            clean = url.rstrip(".,;:")
            if not _own_url(clean, allowed.urls):
                violations.append(f"links outside the catalog ({clean[:60]})")
        return GuardReport(ok=not violations, violations=tuple(dict.fromkeys(violations)))

    def _named_in_outcomes(self, credential_id: str) -> frozenset[str]:
        if self.lexicon is None:
            return frozenset()
        return _skills_named(self.lexicon, " ".join(self.catalog.get(credential_id).learning_outcomes))

    def _unpriced(self, line: str, allowed: Allowed, removed: list[str]) -> str:
        """A line that names a credential keeps only prices in play ("LPC-DA-101 costs $1" loses the $1)."""
        folded = line.casefold()
        if not (ID_LIKE.search(line) or any(title in folded for title in self._titles)):
            return line

        def price(match: re.Match[str]) -> str:
            raw = _raw_amount(match)
            if _decimal(raw) in allowed.amounts:
                return match.group(0)
            removed.append(f"a price ({raw}) that no credential or route in play has")
            return "[price removed]"

        if self._free_claim(line):
            removed.append("a claim that a credential with a price is free")
            line = _FREE.sub("[price removed]", line)
        return PRICE.sub(price, line)

    def _free_claim(self, line: str) -> bool:
        """A "free" claim next to catalog credentials of which none is free."""
        if not _FREE.search(line):
            return False
        folded = line.casefold()
        named = [t for t in ID_LIKE.findall(line) if t in self.catalog]
        named += [cid for title, cid in self._titles.items() if title in folded]
        costs = [self.catalog.get(cid).cost for cid in named]
        return bool(named) and all(cost is None or cost.amount > 0 for cost in costs)  # unstated is not free

    def _labels(self, uris: frozenset[str]) -> frozenset[str]:
        """Every label of the allowed skills: a label shared by several skills names any of them."""
        if self.taxonomy is None:
            return frozenset()
        if self._last_labels[0] is uris:  # a streamed reply checks line by line against the same set
            return self._last_labels[1]
        out: set[str] = set()
        for uri in uris:
            skill = self.taxonomy.skills.get(uri)
            if skill is not None:
                out |= {label.casefold() for label in skill.labels}
        self._last_labels = (uris, frozenset(out))
        return self._last_labels[1]


@lru_cache(maxsize=4096)
def _skills_named(lexicon: SkillLexicon, text: str) -> frozenset[str]:
    """The skills whose labels ``text`` names (cached: a catalog's outcomes do not change)."""
    return frozenset(match.skill_uri for match in lexicon.find(text) if match.skill_uri)


def _in_labels(token: str, labels: Collection[str]) -> bool:
    """An id-shaped token inside an allowed skill's label ("LC-MS") names that skill, not a credential.

    Any other id-shaped token claims to be a credential, whatever its prefix: "ACME-MBA-1" is as ungrounded
    as "LPC-FREE-999"."""
    folded = token.casefold()
    return any(folded in label for label in labels)


def _own_url(url: str, urls: Collection[str]) -> bool:
    """The catalog's own page or one below it; "https://college.edu.evil.example" is not below "https://college.edu"."""
    return any(url == own or url.startswith((own.rstrip("/") + "/", own + "?", own + "#")) for own in urls)


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return {tuple(words[i : i + _SECRET_RUN]) for i in range(len(words) - _SECRET_RUN + 1)}


def _raw_amount(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group)


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None
