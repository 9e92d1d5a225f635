"""Product names in text, read through O*NET's Technology Skills: "Tableau", "MS Excel", "AWS", "SolidWorks".

ESCO has few product names, so the embedding linker misreads them ("SolidWorks" → *Solidity*) or misses
them (Tableau, Power BI, Docker, CATIA). O*NET lists about 8,800 technology examples, each under an
occupation with its Hot Technology / In Demand flags. Each example gets the names a résumé uses for it:

* the example itself, less a generic tail ("Teradata software" → "Teradata");
* the name without the vendor, where the vendor names two or more examples ("Microsoft Excel" → "Excel",
  "Dassault Systemes CATIA" → "CATIA"), and "MS Excel" for Microsoft's;
* a trailing acronym spelled by the words before it ("Amazon Web Services AWS" → "AWS"), and the name
  without it ("Amazon Web Services").

Generic examples ("Cost accounting software") are not product names and are left out. Whether a name
can stand on its own depends on how ordinary its words are: ``vocabulary`` counts the lower-case words of
the ESCO skill and occupation labels, a stand-in for everyday working English.

* A name of several words stands, in any case, when the text capitalises one of its words; a vendor-less
  one made only of everyday words ("Business Intelligence", "SQL Developer" is fine) does not.
* One word: it stands, written with a capital (in a list also in lower case), when it is not an everyday
  word ("Tableau", "Docker"), or is a rare one and the product is hot or in demand ("Git", "Linux"); a
  vendor-less short name must be hot or in demand too ("Power BI", "Hive"). "Excel" is rare in the labels
  and listed by 100+ occupations: it stands. An acronym stands only in capitals ("AWS", "SAP").
* Otherwise a name is weak ("CRM" for the generic *customer relationship management*, "Developer" for
  *Oracle SQL Developer*): it counts only as a whole, capitalised item of a list that also names a product
  that stands; an everyday word ("Word", "Spark", "Database") only beside a product of the same vendor
  anywhere in the résumé ("Excel, Word, Outlook"; not "Excel, Database" for *Oracle Database*). A name the
  learner types as a tool they use counts whatever it needs.
* A one-letter name ("C", "R") counts only as a whole list item, in its own case.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.core.linking.lexicon import tokenize
from assistant.core.models import Evidence, HeldTechnology, OnetTechnology

MAX_NAME_TOKENS = 6
GENERIC_TAIL = frozenset({"software", "system", "systems", "suite"})
EVERYDAY = 3  # a lower-case word this frequent in the taxonomy's labels is an everyday word
PLAIN = 15  # ... and this frequent, a word that names no product even in Title Case
WIDELY_LISTED = 100  # O*NET occupations that list a product
_LIST_EDGE_BEFORE = ",;|•·:(/"
_CODE = re.compile(r"\s*[A-Z]\d+(?:\.\d+)+\b")  # what follows a standards body's acronym: "D1.1", "B31.3"
_JOIN = re.compile(r"[\s.\-]*")  # what may stand between the words of one name ("MS-Excel", "Oracle E- Business")
_LIST_EDGE_AFTER = ",;|•·)/."


@dataclass(frozen=True, slots=True)
class Technology:
    """One O*NET technology example, with its demand flags over every occupation that lists it."""

    name: str
    label: str  # as shown: "SQL (Structured query language)" for "Structured query language SQL"
    commodity: str
    hot_technology: bool
    in_demand: bool
    occupations: int
    skill_uri: str | None = None

    def held(self, evidence: Iterable[Evidence], *, confirmed: bool = False) -> HeldTechnology:
        """The learner's use of this product, with the O*NET facts shown beside it."""
        return HeldTechnology(
            name=self.name,
            label=self.label,
            commodity=self.commodity,
            hot_technology=self.hot_technology,
            in_demand=self.in_demand,
            skill_uri=self.skill_uri,
            evidence=tuple(evidence),
            confirmed=confirmed,
        )


@dataclass(frozen=True, slots=True)
class TechnologyMatch:
    """A product named in a text: which technology, the words used, where (character offsets)."""

    technology: Technology
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Alias:
    name: str  # the technology's name
    surface: str  # the alias as written in the data
    gaps: tuple[str, ...]  # what stands between its tokens ("/" in "PL/SQL")
    needs: str  # "": names the product on its own; "any": only beside a product that does; "kin": beside one
    # of the same vendor


def label_vocabulary(labels: Iterable[str]) -> dict[str, int]:
    """How often each lower-case word occurs in ``labels``: "developer" often, "tableau" never."""
    return dict(Counter(w for label in labels for w in re.findall(r"[a-z][a-z]+", label)))


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _spelled(acronym: str, words: list[str]) -> bool:
    """Whether ``acronym`` abbreviates the last words of ``words``: "AWS" for "Amazon Web Services", "HTML"
    for "Hypertext markup language", "JMS" for "Oracle Java Message Service"."""
    letters = "".join(c for c in acronym if c.isalpha()).casefold()
    for first in range(len(words) - 1):
        initials = "".join(w[0] for w in words[first:] if w[:1].isalpha()).casefold()
        if len(initials) >= 2 and initials[0] == letters[0] and _subsequence(initials, letters):
            return True
    return False


def _spelled_out(words: list[str]) -> bool:
    """A name ending in the acronym of the words before it: "Amazon Web Services AWS"."""
    return len(words) >= 2 and _is_acronym(words[-1]) and _spelled(words[-1], words[:-1])


def _subsequence(short: str, long: str) -> bool:
    remaining = iter(long)
    return all(c in remaining for c in short)


def _label(words: list[str]) -> str:
    """The name as shown: without a generic tail, an acronym first ("AWS (Amazon Web Services)")."""
    if _spelled_out(words):
        return f"{words[-1]} ({' '.join(words[:-1])})"
    return " ".join(words)


def _vendor(name: str) -> str:
    return name.split()[0]


def _proper(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or any(c.isupper() for c in word[1:])


def _letters(words: Iterable[str]) -> int:
    return sum(c.isalpha() for word in words for c in word)


def _kind_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.casefold())} - {"software", "use"}


def kind_links(
    technologies: Iterable[OnetTechnology], technology_skills: Mapping[str, str], label_of: Callable[[str], str]
) -> dict[str, str]:
    """Products linked to the ESCO skill named for their kind of software: Microsoft Excel is O*NET's
    "Spreadsheet software", whose one linked product (Google Sheets) is ESCO's "use spreadsheets software",
    a skill named for the kind itself; so Excel shows that skill too. Only where every linked product of the
    kind agrees on one skill and the skill's label names the kind: "Enterprise resource planning ERP
    software" links SAP ERP to "SAP R3", which is one product, not the kind, so its other products get
    nothing; and only for a product listed under that kind alone (O*NET lists Microsoft Outlook under word
    processing, but as e-mail software too, so it gets none). Returns example → skill URI for the products
    that have no link of their own."""
    rows = list(technologies)
    linked: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        uri = technology_skills.get(row.example)
        if uri:
            linked[row.commodity_title].add(uri)
    kinds: dict[str, str] = {}
    for commodity, uris in linked.items():
        words = _kind_words(commodity)
        if len(uris) == 1 and words and words <= _kind_words(label_of(next(iter(uris)))):
            kinds[commodity] = next(iter(uris))
    listed: dict[str, set[str]] = defaultdict(set)  # a product can be listed under several kinds
    for row in rows:
        listed[row.example].add(row.commodity_title)
    out: dict[str, str] = {}
    for example, commodities in listed.items():
        found = {kinds.get(c) for c in commodities}
        if example not in technology_skills and len(found) == 1 and None not in found:
            out[example] = kinds[next(iter(commodities))]
    return out


class TechnologyLexicon:
    """Token-sequence dictionary over the names of O*NET technology examples."""

    def __init__(
        self,
        technologies: Iterable[OnetTechnology],
        technology_skills: Mapping[str, str] | None = None,
        vocabulary: Mapping[str, int] | None = None,
    ) -> None:
        links = technology_skills or {}
        rows: dict[str, list[OnetTechnology]] = defaultdict(list)
        for row in technologies:
            rows[row.example].append(row)
        self.vocabulary = vocabulary or {}
        self.technologies: dict[str, Technology] = {}
        names: dict[str, tuple[list[str], bool]] = {}
        for example, items in rows.items():
            words = example.split()
            while len(words) > 1 and words[-1].casefold() in GENERIC_TAIL:
                words.pop()
            tail_cut = len(words) < len(example.split())
            if not words or len(words) > MAX_NAME_TOKENS or self._kind_of_software(words, tail_cut):
                continue
            self.technologies[example] = Technology(
                name=example,
                label=_label(words),
                commodity=items[0].commodity_title,
                hot_technology=any(i.hot_technology for i in items),
                in_demand=any(i.in_demand for i in items),
                occupations=len({i.onet_code for i in items}),
                skill_uri=links.get(example),
            )
            names[example] = (words, tail_cut)
        self._entries: dict[tuple[str, ...], list[_Alias]] = defaultdict(list)
        vendors = self._vendors(words for words, _ in names.values())
        # acronyms of kinds of software ("IDE" of "Integrated development environment IDE")
        self._kinds = {words[-1].casefold() for words, _ in names.values() if self._concept(words)}
        for example, (words, tail_cut) in names.items():
            technology = self.technologies[example]
            # "Customer relationship management CRM": a generic kind, whose acronym may mean something else
            concept = self._concept(words)
            for alias_words, kind in self._aliases(words, tail_cut, vendors):
                key = tuple(t.casefold() for t, _, _ in tokenize(" ".join(alias_words)))
                bucket = self._entries[key]
                if key and all(a.name != example for a in bucket):
                    needs = "any" if concept else self._needs(alias_words, kind, technology)
                    written = " ".join(alias_words)
                    tokens = tokenize(written)
                    gaps = tuple(written[a[2] : b[1]] for a, b in itertools.pairwise(tokens))
                    bucket.append(_Alias(example, written, gaps, needs))
        for bucket in self._entries.values():  # the most widely listed product first ("Oracle Java" before Sun's)
            bucket.sort(key=lambda a: (a.needs != "", -self.technologies[a.name].occupations, a.name))

    def __len__(self) -> int:
        return len(self.technologies)

    def _count(self, word: str) -> int:
        """How everyday a word is; 0 for one with inner capitals or digits ("MySQL", "S3")."""
        if any(c.isupper() or c.isdigit() for c in word[1:]) and not _is_acronym(word):
            return 0
        return self.vocabulary.get(re.sub(r"[^a-z]", "", word.casefold()), 0)  # "Act!" is the word "act"

    def _needs(self, words: list[str], kind: str, technology: Technology) -> str:
        """What must stand beside this name for it to count: nothing (""), another product ("any"), or a
        product of the same vendor ("kin": "Word" beside "Excel", not "Database" beside "Excel")."""
        wanted = technology.hot_technology or technology.in_demand
        short = kind != "name"
        counts = [self._count(w) for w in words]
        if kind == "suffix" and len(words) == 1 and _is_acronym(words[0]) and _letters(words) <= 3:
            return "any"  # "ERP" of "SAP ERP", "IOS" of "Cisco IOS": a kind or an ambiguous name on its own
        if len(words) > 1:
            return "" if not short or 0 in counts else "kin"
        if counts[0] >= EVERYDAY:
            return "kin"
        if short:
            stands = wanted and (not counts[0] or technology.occupations >= WIDELY_LISTED)
        else:
            stands = wanted or not counts[0]
        return "" if stands else "any"

    def _concept(self, words: list[str]) -> bool:
        """ "Customer relationship management CRM": a kind of software spelled out, whose acronym may mean
        something else in another field."""
        return _spelled_out(words) and (any(not _proper(w) for w in words[:-1]) or self._plain(words[:-1]))

    def _plain(self, words: list[str]) -> bool:
        """Every word a common one of the labels ("Event Management", "Electronic Time Clock"); a vendor's name
        is rarely written in lower case there ("microsoft" 11 times, "office" 300)."""
        return all(self._count(w) >= PLAIN for w in words)

    def _kind_of_software(self, words: list[str], tail_cut: bool) -> bool:
        """ "Cost accounting software", "Maintenance software": a kind of software, not a product."""
        if len(words) == 1:
            gerund = words[0].casefold().endswith("ing")  # "Clustering software", "Scripting software"
            return not _proper(words[0]) or (tail_cut and (self._count(words[0]) > 0 or gerund))
        if _spelled_out(words):
            return False  # "Customer relationship management CRM": its acronym may still name it, weakly
        # "Event Management Software" is as generic as "Cost accounting software"
        return all(not _proper(w) for w in words[1:]) or self._plain(words)

    @staticmethod
    def _vendors(names: Iterable[list[str]]) -> set[tuple[str, ...]]:
        counts: Counter[tuple[str, ...]] = Counter()
        for words in names:
            for k in range(1, len(words)):
                prefix = tuple(words[:k])
                if all(_proper(w) for w in prefix):
                    counts[prefix] += 1
        return {prefix for prefix, n in counts.items() if n >= 2}

    def _aliases(self, words: list[str], tail_cut: bool, vendors: set[tuple[str, ...]]) -> list[tuple[list[str], str]]:
        """(alias words, kind) for one name: the name itself ("name", or "cut" when a generic tail went and
        one word stayed, "Teradata"); its acronym and spelled-out form ("acronym"); the name without its
        trailing acronym ("head": "Eclipse" of "Eclipse IDE"); the name without its vendor ("suffix")."""
        out: list[tuple[list[str], str]] = [(words, "cut" if tail_cut and len(words) == 1 else "name")]
        if _spelled_out(words):
            out += [([words[-1]], "acronym"), (words[:-1], "acronym")]
        elif (
            len(words) >= 2
            and _is_acronym(words[-1])
            and (tuple(words[:-1]) not in vendors or words[-1].casefold() in self._kinds)
        ):
            out.append((words[:-1], "head"))  # "Eclipse IDE" is Eclipse, an IDE; "Oracle PL/SQL" is not all Oracle
        for k in range(1, len(words)):
            rest = words[k:]
            if tuple(words[:k]) not in vendors or not _proper(rest[0]) or _letters(rest) < 3:
                continue
            out.append((rest, "suffix"))
            if words[:k] == ["Microsoft"]:
                out.append((["MS", *rest], "suffix"))
        return out

    # -- matching -------------------------------------------------------------------------------
    def find(self, text: str, *, list_context: bool = False, typed: bool = False) -> list[TechnologyMatch]:
        """Every product named in ``text``, longest name first at each position, no overlaps. ``typed``: the
        learner typed it as something they use, so a weak name ("Power BI", "Word") counts too."""
        return self.find_in([(text, list_context)], typed=typed)[0]

    def find_in(self, texts: Sequence[tuple[str, bool]], *, typed: bool = False) -> list[list[TechnologyMatch]]:
        """The products of each (text, list context) of one document: a name that needs a product beside it
        finds it in its own line, one that needs its vendor's ("Word" beside "Excel") anywhere in the document."""
        raw = [self._scan(text, listed) for text, listed in texts]
        vendors = {_vendor(m.technology.name) for found in raw for m, needs in found if not needs}
        out = []
        for found in raw:
            company = any(not needs for _, needs in found)
            out.append(
                [
                    m
                    for m, needs in found
                    if typed
                    or not needs
                    or (needs == "any" and company)
                    or (needs == "kin" and _vendor(m.technology.name) in vendors)
                ]
            )
        return out

    def _scan(self, text: str, list_context: bool) -> list[tuple[TechnologyMatch, str]]:
        tokens = tokenize(text)
        out: list[tuple[TechnologyMatch, str]] = []
        position = 0
        while position < len(tokens):
            found = self._longest_at(text, tokens, position, list_context)
            if found is None:
                position += 1
                continue
            match, length, needs = found
            out.append((match, needs))
            position += length
        return out

    def _longest_at(
        self, text: str, tokens: list[tuple[str, int, int]], position: int, list_context: bool
    ) -> tuple[TechnologyMatch, int, str] | None:
        """The longest name at ``position``, and what must stand beside it (see :class:`_Alias`)."""
        for length in range(min(MAX_NAME_TOKENS + 1, len(tokens) - position), 0, -1):
            window = tokens[position : position + length]
            aliases = self._entries.get(tuple(t.casefold() for t, _, _ in window))
            if not aliases:
                continue
            start, end = window[0][1], window[-1][2]
            gaps = [text[a[2] : b[1]] for a, b in itertools.pairwise(window)]
            surface = [t for t, _, _ in window]
            whole_item = self._whole_item(text, start, end)
            written = text[start:end]
            # a name written exactly as in the text wins ("IOS" is Cisco's, never Apple's "iOS")
            exact = [a for a in aliases if a.surface == written]
            for alias in exact or aliases:
                if not all(_JOIN.fullmatch(gap) or gap == own for gap, own in zip(gaps, alias.gaps, strict=False)):
                    continue  # "Hadoop, Yarn" is two items, not "Apache Hadoop YARN"; "PL/SQL" is one name
                verdict = self._accept(alias, surface, text[start:end], list_context, whole_item)
                if verdict is not None and _is_acronym(alias.surface) and _CODE.match(text[end:]):
                    verdict = None  # "AWS D1.1", "ASME B31.3": a standard's code, not a product
                if verdict is not None:
                    technology = self.technologies[alias.name]
                    return TechnologyMatch(technology, text[start:end], start, end), length, verdict
        return None

    def _accept(
        self, alias: _Alias, surface: list[str], as_written: str, list_context: bool, whole_item: bool
    ) -> str | None:
        """What the name needs beside it here (see :class:`_Alias`); None: not a product here."""
        written = alias.surface.split()
        token, word = written[0], (as_written if len(written) == 1 else surface[0])  # "PL/SQL" is one word
        if len(written) == 1 and sum(c.isalpha() for c in token) <= 1:  # "C", "R"
            return "" if list_context and whole_item and word == token else None
        if _is_acronym(alias.surface.replace(" ", "")) and as_written != alias.surface:
            return None  # "ECLIPSE" (a simulator) is not "Eclipse" (an IDE)
        if alias.needs:
            capitalised = all(_proper(w) for w in surface)
            return alias.needs if list_context and whole_item and capitalised else None
        if len(written) > 1:
            return "" if list_context or any(_proper(t) for t in surface) else None
        if _is_acronym(token):
            return "" if word == token else None
        if any(c.isupper() or c.isdigit() or c in "+#." for c in token[1:]):  # "MySQL", "C++", "Node.js"
            shouted = word.isupper() and not self.vocabulary.get(token.casefold())  # "MYSQL"; not "SOLID"
            return "" if word == token or shouted or list_context else None
        if word.isupper() and len(word) > 1:  # "JAVA" in a list of capitals; "ADA" in a sentence is a law
            return "" if list_context else None
        if word.islower():  # "python" as a list item; not "zoom calls"
            return "" if list_context and whole_item else None
        return "" if word[:1].isupper() else None

    @staticmethod
    def _whole_item(text: str, start: int, end: int) -> bool:
        before = text[:start].rstrip()
        after = text[end:].lstrip()
        return (not before or before[-1] in _LIST_EDGE_BEFORE) and (not after or after[0] in _LIST_EDGE_AFTER)
