"""Ports: the small interfaces through which the core sees embeddings and vector search.

Pure on purpose (stdlib, numpy, typing): skill linking, gap analysis and recommendation depend on
these shapes only, never on sentence-transformers, onnxruntime, FAISS or LangChain, which live in
``index/`` as adapters. Tests plug deterministic fakes into the same ports.

Parts and kinds of keys the index layer serves:

==============  ==================  ==========================================================
part            hit kind            key
==============  ==================  ==========================================================
``skills``      ``skill``           ESCO skill URI
``occupations`` ``occupation``      ESCO occupation URI (matched by ESCO or mapped O*NET titles)
``occupations`` ``onet-occupation`` O*NET-SOC code (matched by its O*NET titles)
``credentials`` ``credential``      catalog credential id
==============  ==================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

SKILLS = "skills"
OCCUPATIONS = "occupations"
CREDENTIALS = "credentials"
PARTS: tuple[str, ...] = (SKILLS, OCCUPATIONS, CREDENTIALS)

SKILL = "skill"
OCCUPATION = "occupation"
ONET_OCCUPATION = "onet-occupation"
#: an occupation's label and ESCO description in one text, never searched: how close a course is to every job
OCCUPATION_PROFILE = "occupation-profile"
CREDENTIAL = "credential"

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape ``(len(texts), dimension)``.

    ``model_id`` names the model and its weights (two embedders with the same id give the same
    vectors up to numerical noise), so an index can tell whether it was built with this model.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the best-matching text of one key, with its cosine similarity.

    ``source`` says which field matched (``preferred-label``, ``alt-label``, ``onet-reported``,
    ``outcome``…), so a caller can explain the match ("matched the O*NET reported title …").
    """

    kind: str
    key: str
    text: str
    score: float
    source: str = ""


@runtime_checkable
class MetadataFilter(Protocol):
    """Decides from a key's metadata whether the key may be returned."""

    def matches(self, metadata: Mapping[str, Any]) -> bool: ...


@dataclass(frozen=True)
class CredentialFilter:
    """Planning constraints on credentials; an unset field does not filter.

    Metadata read: ``delivery_mode``, ``eqf_level``, ``cost`` (amount, a string or number),
    ``currency``, ``duration_weeks``, ``language``, ``kind``, ``field``. ``max_cost`` compares
    amounts only when ``currency`` is unset or equal; a credential priced in another currency is
    excluded rather than compared wrongly. A value not stated (``None``) passes (see ``matches``).
    """

    delivery_modes: frozenset[str] = frozenset()
    min_eqf_level: int | None = None
    max_eqf_level: int | None = None
    max_cost: Decimal | float | None = None
    currency: str | None = None
    max_duration_weeks: float | None = None
    languages: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()
    exclude_ids: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for name in ("delivery_modes", "languages", "kinds", "fields", "exclude_ids"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, frozenset({value}))
            elif not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(str(v) for v in value))

    @property
    def is_empty(self) -> bool:
        return self == CredentialFilter()

    def matches(self, metadata: Mapping[str, Any]) -> bool:
        """Whether a credential meets every set constraint. A value the catalog does not state (``None``: an
        onboarded course with no price, level or mode given) is not a violation: it passes, and the plan
        built on it says what is unknown. An unknown id, kind or field of study still fails, as before."""
        if self.exclude_ids and metadata.get("id") in self.exclude_ids:
            return False
        mode = metadata.get("delivery_mode")
        if self.delivery_modes and mode is not None and mode not in self.delivery_modes:
            return False
        if self.languages and metadata.get("language") not in self.languages:
            return False
        if self.kinds and metadata.get("kind") not in self.kinds:
            return False
        if self.fields and metadata.get("field") not in self.fields:
            return False
        level = metadata.get("eqf_level")
        if self.min_eqf_level is not None and level is not None and level < self.min_eqf_level:
            return False
        if self.max_eqf_level is not None and level is not None and level > self.max_eqf_level:
            return False
        weeks = metadata.get("duration_weeks")
        if self.max_duration_weeks is not None and weeks is not None and float(weeks) > self.max_duration_weeks:
            return False
        cost = metadata.get("cost")
        if self.max_cost is not None and cost is not None:
            if self.currency is not None and metadata.get("currency") != self.currency:
                return False
            if Decimal(str(cost)) > Decimal(str(self.max_cost)):
                return False
        return True

    @classmethod
    def from_constraints(cls, constraints: Any, **extra: Any) -> CredentialFilter:
        """Read a learner's ``Constraints`` (duck-typed: budget, currency, delivery modes, levels, languages)."""
        return cls(
            delivery_modes=frozenset(str(m) for m in getattr(constraints, "delivery_modes", ()) or ()),
            min_eqf_level=getattr(constraints, "min_eqf_level", None),
            max_eqf_level=getattr(constraints, "max_eqf_level", None),
            max_cost=getattr(constraints, "budget", None),
            currency=getattr(constraints, "currency", None) if getattr(constraints, "budget", None) else None,
            languages=frozenset(getattr(constraints, "languages", ()) or ()),
            **extra,
        )


@runtime_checkable
class VectorIndex(Protocol):
    """Vectors in, best hits per key out.

    ``search`` returns, for each query vector, up to ``k`` hits with distinct keys, best first,
    each key scored by its best-matching text. ``kinds`` restricts the kinds of keys and
    ``filter`` their metadata; filtered-out keys are never returned, and ``k`` hits still come
    back whenever at least ``k`` keys pass.
    """

    @property
    def dimension(self) -> int: ...

    def __len__(self) -> int: ...

    def search(
        self,
        query_vectors: Vectors,
        k: int = 10,
        *,
        filter: MetadataFilter | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[list[Hit]]: ...


@runtime_checkable
class SemanticIndex(Protocol):
    """Texts in, hits out: a vector index bound to the embedder it was built with."""

    def search(
        self,
        texts: Sequence[str],
        k: int = 10,
        *,
        filter: MetadataFilter | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[list[Hit]]: ...

    def metadata(self, key: str) -> Mapping[str, Any]: ...
