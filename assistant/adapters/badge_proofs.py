"""The proof an uploaded Open Badges 3.0 credential carries, checked offline with ``openbadgeslib``.

Vetted before adoption (2026-12-07): the library verifies VC-JWT (EdDSA, ES*, RS*; ``alg: none`` and key
confusion refused) and Data Integrity ``eddsa-rdfc-2022`` proofs over a bundled, allow-listed set of
JSON-LD contexts, and reaches the network only through the ``download`` function it is given, so here it
never does. What the result means, in four words a learner can read:

* ``verified``: the signature holds against a key this service trusts (an issuer's DID document placed in
  ``Settings.badge_issuers``, read locally; none by default);
* ``issuer unconfirmed``: the signature holds, but against a ``did:key`` the credential names for itself,
  so anyone could have made it;
* ``not checked``: the issuer's key could not be found offline (a ``did:web`` or web address not in the
  trusted folder), or the proof is of a kind the library does not read (``Ed25519Signature2020``);
* ``not verified``: the signature does not hold: the badge was changed after it was signed, or was
  signed by someone else.

A credential with no proof has no result (``None``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

ProofStatus = Literal["verified", "issuer unconfirmed", "not checked", "not verified"]
_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
_NO_KEY = ("not a DID", "could not fetch", "offline", "resolve", "no supported", "not in the bundled")


class _Offline:
    """The library's ``download``: DID documents from a trusted local folder, never the network."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def __call__(self, url: str, *args: Any, **kwargs: Any) -> bytes:
        host = re.sub(r"^https://", "", url).split("/", 1)[0]
        if self.folder is not None:
            path = self.folder / f"{host}.did.json"
            if path.is_file():
                return path.read_bytes()
        raise OSError(f"offline: no trusted DID document for {host}")


def check_proofs(data: bytes, trusted: Path | None = None) -> dict[str, tuple[ProofStatus, str]]:
    """Each signed credential in an upload (by its ``id``) → its proof status and a plain reason."""
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return {}
    download = _Offline(trusted)
    if _JWT.match(text):
        key, result = _check_jwt(text, download)
        return {key: result} if key else {}
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return {}
    out: dict[str, tuple[ProofStatus, str]] = {}
    for vc in _credentials(document):
        if isinstance(vc, str) and _JWT.match(vc.strip()):
            key, result = _check_jwt(vc.strip(), download)
            if key:
                out[key] = result
        elif isinstance(vc, Mapping) and vc.get("proof") and isinstance(vc.get("id"), str):
            out[vc["id"]] = _check_document(dict(vc), download)
    return out


def _credentials(node: Any) -> Iterator[Any]:
    """Badge credentials anywhere in an upload: the document itself, a list, a presentation or a CLR."""
    if isinstance(node, list):
        for item in node:
            yield from _credentials(item)
    elif isinstance(node, Mapping):
        types = node.get("type")
        kinds = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
        if kinds & _BADGE_TYPES:
            yield node
        for key in ("verifiableCredential", "credentials"):
            if key in node:
                yield from _credentials(node[key])
    elif isinstance(node, str):
        yield node


def _issuer(vc: Mapping[str, Any]) -> str:
    issuer = vc.get("issuer")
    return str(issuer.get("id", "")) if isinstance(issuer, Mapping) else str(issuer or "")


def _trust(did: str) -> tuple[ProofStatus, str]:
    if did.startswith("did:key:"):
        return "issuer unconfirmed", "the signature holds, but the issuer's key is one the badge names for itself"
    return "verified", f"the signature holds against the trusted key of {did}"


def _failed(exc: Exception) -> tuple[ProofStatus, str]:
    reason = str(exc).split("\n", 1)[0][:200]
    if any(word in reason for word in _NO_KEY):
        return "not checked", f"the issuer's key or the proof's kind could not be checked offline ({reason})"
    return "not verified", f"the signature does not hold ({reason})"


def _check_document(vc: dict[str, Any], download: _Offline) -> tuple[ProofStatus, str]:
    from openbadgeslib.ob3 import OB3LdpVerifier, OB3VerificationError

    did = _issuer(vc)
    if not did.startswith("did:"):
        return "not checked", f"the issuer ({did or 'unnamed'}) is not a DID whose key can be found offline"
    try:
        OB3LdpVerifier.for_issuer_did(did, download=download).verify(vc, download=download)
    except (OB3VerificationError, OSError, ValueError) as exc:
        return _failed(exc)
    return _trust(did)


def _check_jwt(token: str, download: _Offline) -> tuple[str | None, tuple[ProofStatus, str]]:
    from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
    from openbadgeslib.verify import issuer_did_from_token

    key = _jwt_id(token)
    try:
        did = issuer_did_from_token(token)
        OB3Verifier.for_issuer_did(did, download=download).verify(token)
    except (OB3VerificationError, OSError, ValueError) as exc:
        return key, _failed(exc)
    return key, _trust(did)


def _jwt_id(token: str) -> str | None:
    """The credential id in a VC-JWT payload (read unverified, only to match it to the parsed badge)."""
    import base64

    try:
        segment = token.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (IndexError, ValueError):
        return None
    vc = payload.get("vc", payload) if isinstance(payload, dict) else {}
    found = vc.get("id") if isinstance(vc, dict) else None
    return found if isinstance(found, str) else None


__all__ = ["ProofStatus", "check_proofs"]
