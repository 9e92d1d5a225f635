"""The grounding check every reply passes before a learner sees it.

A reply may name only credentials the computed results (or a tool call this turn) produced, quote only
prices those credentials and routes carry, and name ESCO skills only from the learner's profile, the gap
or the credentials in play. It must not echo the system prompt (a canary token is planted in it), and it
is shown as plain Markdown: HTML and images are removed, links kept only to the catalog's own pages.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from assistant.core.catalog import Catalog
from assistant.core.dialogue.state import GuardReport
from assistant.core.linking import SkillLexicon
from assistant.core.taxonomy import Taxonomy

_ID_LIKE = re.compile(r"\b[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,12}){1,4}\b")
_PRICE = re.compile(r"(?:[$€£]\s?(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?))(?!\s*(?:hours?|h\b|%))")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>|<!--.*?-->|&lt;\s*/?\s*script", re.S)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_BARE_URL = re.compile(r"\bhttps?://[^\s)>\]]+")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
#: quoted evidence (“…”) and credential names (**ID — Title**) are checked as ids, not as skill claims
_QUOTED = re.compile(r"“[^”]*”|\*\*[A-Z][A-Z0-9-]+ — [^*]+\*\*")
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

    def __post_init__(self) -> None:
        self._titles = {c.title.casefold(): c.id for c in self.catalog if len(c.title) >= 10}

    def allowed_for(
        self, credential_ids: Iterable[str], skill_uris: Iterable[str] = (), extra_amounts: Iterable[Decimal] = ()
    ) -> Allowed:
        """Credentials in play widen to their prices, pages and skills (and the ones they stack into)."""
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
            amounts.add(credential.cost.amount)
            if credential.url:
                urls.add(credential.url)
            skills |= set(credential.skill_uris)
        if self.catalog.institution.url:
            urls.add(self.catalog.institution.url)
        return Allowed(frozenset(ids), frozenset(skills), frozenset(amounts), frozenset(urls))

    def sanitize(self, text: str, allowed: Allowed) -> tuple[str, list[str]]:
        """Remove HTML, images and links outside the catalog; say what was removed."""
        removed: list[str] = []
        if _HTML.search(text):
            removed.append("raw HTML")
            text = _HTML.sub("", text)
        if _IMAGE.search(text):
            removed.append("an image")
            text = _IMAGE.sub("", text)
        if _REF_DEF.search(text):
            removed.append("a link reference")
            text = _REF_DEF.sub("", text)

        def link(match: re.Match[str]) -> str:
            if match.group(2) in allowed.urls:
                return match.group(0)
            removed.append(f"a link to {match.group(2)[:60]}")
            return match.group(1)

        text = _LINK.sub(link, text)

        def bare(match: re.Match[str]) -> str:
            url = match.group(0).rstrip(".,;:")
            if url in allowed.urls or any(url.startswith(u) for u in allowed.urls):
                return match.group(0)
            removed.append(f"a link to {url[:60]}")
            return "[link removed]"

        text = _BARE_URL.sub(bare, text)
        return text.replace("<", "‹").replace(">", "›") if "<" in text else text, removed

    def check(self, text: str, allowed: Allowed) -> GuardReport:
        violations: list[str] = []
        if self.canary and self.canary in text:
            violations.append("the reply repeats the system prompt (canary found)")
        for secret in self.secrets:
            if secret and secret in text:
                violations.append("the reply repeats the system prompt")
        for token in dict.fromkeys(_ID_LIKE.findall(text)):
            if token in allowed.credential_ids:
                continue
            if token in self.catalog:
                violations.append(f"names credential {token}, which is not in the computed results")
            elif _looks_like_catalog_id(token, self.catalog.ids):
                violations.append(f"names credential {token}, which is not in the catalog")
        folded = text.casefold()
        for title, cid in self._titles.items():
            if title in folded and cid not in allowed.credential_ids:
                violations.append(
                    f"names '{self.catalog.get(cid).title}' ({cid}), which is not in the computed results"
                )
        for raw in _PRICE.findall(text):
            try:
                amount = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                continue
            if amount not in allowed.amounts:
                violations.append(f"quotes a price ({raw}) that no credential or route in play has")
        if self.lexicon is not None:
            labels = self._labels(allowed.skill_uris)
            prose = text
            for sentence in sorted(allowed.verbatim, key=len, reverse=True):
                prose = prose.replace(sentence, " ")
            for match in self.lexicon.find(_QUOTED.sub(" ", prose)):
                label = match.label.casefold()
                if match.skill_uri in allowed.skill_uris or label in labels or label in _PROSE_LABELS:
                    continue
                if len(match.label) <= 3:
                    continue
                violations.append(f"names the skill '{match.label}', which is not in the profile, gap or credentials")
        html_left = bool(_HTML.search(text) or _IMAGE.search(text))
        if html_left:
            violations.append("contains raw HTML or an image")
        for url in _BARE_URL.findall(text):
            clean = url.rstrip(".,;:")
            if clean not in allowed.urls and not any(clean.startswith(u) for u in allowed.urls):
                violations.append(f"links outside the catalog ({clean[:60]})")
        return GuardReport(ok=not violations, violations=tuple(dict.fromkeys(violations)))

    def _labels(self, uris: frozenset[str]) -> frozenset[str]:
        """Every label of the allowed skills: a label shared by several skills names any of them."""
        if self.taxonomy is None:
            return frozenset()
        out: set[str] = set()
        for uri in uris:
            skill = self.taxonomy.skills.get(uri)
            if skill is not None:
                out |= {label.casefold() for label in skill.labels}
        return frozenset(out)


def _looks_like_catalog_id(token: str, ids: Collection[str]) -> bool:
    """An id-shaped token with the prefix of the catalog's ids ("LPC-…") claims to be one."""
    prefixes = {cid.split("-", 1)[0] for cid in ids if "-" in cid}
    return token.split("-", 1)[0] in prefixes
