"""Badge signatures checked offline: a did:key badge is valid but unconfirmed, a changed one fails, a
did:web issuer verifies only from the trusted folder, and nothing reaches the network."""

from __future__ import annotations

import copy
import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from openbadgeslib.keys import KeyEd25519, public_jwk_from_pem
from openbadgeslib.ob3 import OB3Signer, add_data_integrity_proof, build_did_document, did_key_from_pem

from assistant.adapters.badge_proofs import check_proofs

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "badges" / "python_for_data_work.json"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a badge check tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _badge(issuer: str) -> dict[str, Any]:
    badge: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    badge["issuer"]["id"] = issuer
    return badge


def _bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def test_a_did_key_badge_is_valid_but_its_issuer_unconfirmed_and_a_changed_one_fails() -> None:
    private, public = KeyEd25519().generate_keypair()
    did = did_key_from_pem(public)
    signed = add_data_integrity_proof(_badge(did), private, f"{did}#{did[len('did:key:') :]}")
    key = signed["id"]
    assert check_proofs(_bytes(signed))[key][0] == "issuer unconfirmed"
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["achievement"]["name"] = "Advanced Python"
    status, note = check_proofs(_bytes(changed))[key]
    assert status == "not verified" and "does not hold" in note


def test_a_did_web_issuer_verifies_only_from_the_trusted_folder(tmp_path: Path) -> None:
    private, public = KeyEd25519().generate_keypair()
    did = "did:web:badges.example.edu"
    payload = dict(_badge(did), iss=did, nbf=int(time.time()) - 60, jti=_badge(did)["id"])
    payload["sub"] = payload["credentialSubject"]["id"]
    token = OB3Signer(private, "EdDSA").sign_payload(payload)
    assert check_proofs(token.encode())[payload["id"]][0] == "not checked"  # nothing trusted: no network either
    document = build_did_document(did, [("key-1", public_jwk_from_pem(public))])
    (tmp_path / "badges.example.edu.did.json").write_text(json.dumps(document), encoding="utf-8")
    assert check_proofs(token.encode(), tmp_path)[payload["id"]][0] == "verified"


def test_an_unsigned_badge_has_no_result() -> None:
    assert check_proofs(FIXTURE.read_bytes()) == {}
