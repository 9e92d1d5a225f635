"""The Open Badges 3.0 / CLR 2.0 importer on hand-written fixtures that follow the 1EdTech spec.

The fixtures use the OB 3.0 shapes: ``OpenBadgeCredential`` / ``AchievementCredential`` with an
``AchievementSubject`` and an ``Achievement`` (``alignment`` of ``Alignment`` objects), a
``ClrCredential`` whose ``ClrSubject`` bundles credentials, and an OB 2.0 ``Assertion`` to refuse.
"""

from __future__ import annotations

import base64
import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assistant.core.errors import CatalogValidationError, DataSourceError
from assistant.core.models import (
    AssessmentType,
    Credential,
    CredentialKind,
    CreditUnit,
    DeliveryMode,
    Money,
)
from index.importers.open_badges import (
    EarnedCredential,
    ImportDefaults,
    parse_achievements,
    parse_earned_credentials,
    read_achievements,
    read_earned_credentials,
)

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
ESCO_SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]

PYTHON_BADGE: dict[str, Any] = {
    "@context": OB3_CONTEXT,
    "id": "urn:uuid:7f9b1a2e-6c1d-4c2b-9a57-0d9c3e2f4a11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Python for Data Work",
    "issuer": {
        "id": "https://badges.example.edu/issuers/1",
        "type": ["Profile"],
        "name": "Example University",
    },
    "validFrom": "2024-05-17T09:00:00Z",
    "credentialSubject": {
        "id": "did:example:alum42",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://badges.example.edu/achievements/python-data",
            "type": ["Achievement"],
            "achievementType": "MicroCredential",
            "name": "Python for Data Work",
            "description": "Write and test Python programs that clean and analyse tabular data.",
            "criteria": {"narrative": "Pass the final project with at least 70%."},
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": "Python (computer programming)",
                    "targetUrl": ESCO_PYTHON,
                    "targetFramework": "ESCO",
                },
                {
                    "type": ["Alignment"],
                    "targetName": "Data literacy",
                    "targetUrl": "https://example.org/frameworks/digcomp/1.1",
                },
            ],
            "creditsAvailable": 3,
            "fieldOfStudy": "Computer Science",
            "inLanguage": "en-GB",
        },
    },
}


def badge(**achievement: Any) -> dict[str, Any]:
    """The Python badge with some achievement fields replaced (``None`` removes one)."""
    copied = copy.deepcopy(PYTHON_BADGE)
    target = copied["credentialSubject"]["achievement"]
    for key, value in achievement.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return copied


SQL_CREDENTIAL: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    ],
    "id": "urn:uuid:2d5e8c7a-0b8e-4a59-9f0e-6b2a7d1c3e90",
    "type": ["VerifiableCredential", "AchievementCredential"],
    "issuer": "https://college.example.org/issuer",
    "issuanceDate": "2023-12-01T00:00:00Z",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "creditsEarned": 4,
        "achievement": {
            "id": "urn:uuid:a8c1f3de-52b4-4f0e-8c61-7e0b2b9a4c55",
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": "Relational Databases",
            "criteria": {"narrative": "Complete all labs."},
            "alignment": [
                {"type": ["Alignment"], "targetName": "SQL", "targetUrl": ESCO_SQL.replace("http:", "https:")}
            ],
        },
    },
}

CLR: dict[str, Any] = {
    "@context": [*OB3_CONTEXT, "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
    "id": "urn:uuid:0c7b4e6f-1d5a-4a8e-b3f2-9e6d5c4b3a21",
    "type": ["VerifiableCredential", "ClrCredential"],
    "name": "Transcript 2024",
    "issuer": {
        "id": "https://registrar.example.edu",
        "type": ["Profile"],
        "name": "Example University Registrar",
    },
    "validFrom": "2024-06-30T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:alum42",
        "type": ["ClrSubject"],
        "verifiableCredential": [PYTHON_BADGE, SQL_CREDENTIAL],
        "achievement": [
            {
                "id": "https://badges.example.edu/achievements/capstone",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": "Data Capstone",
                "criteria": {"narrative": "Deliver a capstone project."},
            }
        ],
    },
}

OB2_ASSERTION: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://badges.example.org/assertions/123",
    "recipient": {"type": "email", "hashed": False, "identity": "alum@example.org"},
    "badge": "https://badges.example.org/badges/python",
    "verification": {"type": "hosted"},
    "issuedOn": "2019-03-01T00:00:00Z",
}

INSTITUTION = ImportDefaults(
    awarding_body="Example University",
    country="IE",
    eqf_level=5,
    assessment=AssessmentType.PROJECT,
    delivery_mode=DeliveryMode.ONLINE,
    quality_assurance="QQI validated",
    cost=Money(amount=Decimal("250"), currency="EUR"),
    duration_weeks=8,
    credit_unit=CreditUnit.ECTS,
    hours_per_credit={CreditUnit.ECTS: 25},
)


# -- earned badges ----------------------------------------------------------------------------------


def test_open_badge_credential_becomes_an_earned_credential() -> None:
    result = parse_earned_credentials(PYTHON_BADGE, file="alum.json")
    assert result.earned == (
        EarnedCredential(
            achievement_id="https://badges.example.edu/achievements/python-data",
            name="Python for Data Work",
            issuer="Example University",
            issued_on=date(2024, 5, 17),
            skill_uris=(ESCO_PYTHON,),
            credits=3,
            credential_id="urn:uuid:7f9b1a2e-6c1d-4c2b-9a57-0d9c3e2f4a11",
            achievement_type="MicroCredential",
            aligned_names=("Data literacy",),  # not an ESCO URI: kept by name, for the linker to try
        ),
    )
    assert result.issues == ()
    (note,) = result.notes  # the DigComp alignment is information, not an error
    assert note.field == "credentialSubject.achievement.alignment[1]" and "not an ESCO skill" in note.message


def test_catalog_match_by_id_url_or_name() -> None:
    by_id = parse_earned_credentials(PYTHON_BADGE, catalog={"https://badges.example.edu/achievements/python-data"})
    assert by_id.earned[0].catalog_id == "https://badges.example.edu/achievements/python-data"
    by_tail = parse_earned_credentials(PYTHON_BADGE, catalog={"python-data", "other"})
    assert by_tail.earned[0].catalog_id == "python-data"
    by_slug = parse_earned_credentials(PYTHON_BADGE, catalog={"python-for-data-work"})
    assert by_slug.earned[0].catalog_id == "python-for-data-work"
    entry = (
        parse_achievements(PYTHON_BADGE, INSTITUTION)
        .credentials[0]
        .model_copy(update={"id": "eu-py-101", "url": "https://badges.example.edu/achievements/python-data"})
    )
    assert parse_earned_credentials(PYTHON_BADGE, catalog=[entry]).earned[0].catalog_id == "eu-py-101"
    assert parse_earned_credentials(PYTHON_BADGE, catalog={"sql-basics"}).earned[0].catalog_id is None


def test_clr_wrapper_yields_each_bundled_credential() -> None:
    result = parse_earned_credentials(CLR, file="transcript.json")
    python, sql = result.earned
    assert python.name == "Python for Data Work"
    assert sql.issuer == "https://college.example.org/issuer"  # a plain issuer IRI
    assert sql.issued_on == date(2023, 12, 1)  # VC 1.1 issuanceDate
    assert sql.skill_uris == (ESCO_SQL,)  # https ESCO URI normalised to the http concept URI
    assert sql.credits == 4  # creditsEarned wins over creditsAvailable
    assert result.issues == ()


def test_presentation_and_jwt_wrappers(tmp_path: Path) -> None:
    presentation = {"type": ["VerifiablePresentation"], "verifiableCredential": [SQL_CREDENTIAL]}
    assert [e.name for e in parse_earned_credentials(presentation).earned] == ["Relational Databases"]
    segment = base64.urlsafe_b64encode(json.dumps({"vc": PYTHON_BADGE, "iss": "x"}).encode()).decode().rstrip("=")
    jwt = tmp_path / "badge.jwt"
    jwt.write_text(f"eyJhbGciOiJFUzI1NiJ9.{segment}.c2lnbmF0dXJl")
    assert read_earned_credentials(jwt).earned[0].skill_uris == (ESCO_PYTHON,)


def test_open_badges_2_assertion_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(OB2_ASSERTION))
    with pytest.raises(DataSourceError, match=r"Open Badges 2\.0 assertion.*Open Badges 3\.0"):
        read_earned_credentials(path)
    mixed = parse_earned_credentials([PYTHON_BADGE, OB2_ASSERTION])
    assert len(mixed.earned) == 1
    (issue,) = mixed.issues
    assert issue.row == 1 and issue.record_id == "https://badges.example.org/assertions/123"


def test_other_json_is_refused() -> None:
    with pytest.raises(DataSourceError, match=r"not Open Badges 3\.0"):
        parse_earned_credentials({"name": "my badge"})
    with pytest.raises(DataSourceError, match="not JSON"):
        read_earned_credentials(b"<svg>baked badge</svg>")


def test_oversized_upload_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * 2048 + json.dumps(PYTHON_BADGE).encode())
    with pytest.raises(DataSourceError, match=r"huge\.json is 0\.0 MB; badge files over 0\.0 MB are refused"):
        read_earned_credentials(path, max_bytes=1024)
    with pytest.raises(DataSourceError, match="refused"):
        read_earned_credentials(b"x" * (5 * 1024 * 1024 + 1))  # the 5 MB default


def test_malformed_records_name_the_field() -> None:
    nameless = badge(name=None)
    bad_date = copy.deepcopy(SQL_CREDENTIAL)
    bad_date["issuanceDate"] = "1 December 2023"
    no_subject = {"type": ["VerifiableCredential", "OpenBadgeCredential"], "id": "urn:uuid:3", "issuer": "x"}
    result = parse_earned_credentials([PYTHON_BADGE, nameless, bad_date, no_subject], file="upload.json")
    assert [e.name for e in result.earned] == ["Python for Data Work", "Relational Databases"]
    assert result.earned[1].issued_on is None
    fields = {(i.row, i.field) for i in result.issues}
    assert fields == {
        (1, "[1].credentialSubject.achievement.name"),
        (2, "[2].issuanceDate"),
        (3, "[3].credentialSubject"),
    }
    assert all(i.file == "upload.json" for i in result.issues)
    with pytest.raises(CatalogValidationError, match=r"achievement\.name"):
        parse_earned_credentials([PYTHON_BADGE, nameless], strict=True)


def test_achievement_definition_is_not_an_earned_credential() -> None:
    achievement = PYTHON_BADGE["credentialSubject"]["achievement"]
    result = parse_earned_credentials([achievement, PYTHON_BADGE])
    assert len(result.earned) == 1
    assert "read_achievements" in result.issues[0].message


# -- achievement definitions as catalog credentials -------------------------------------------------


def test_achievement_definitions_become_catalog_credentials(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps([PYTHON_BADGE["credentialSubject"]["achievement"]]))
    result = read_achievements(path, INSTITUTION)
    (credential,) = result.credentials
    assert isinstance(credential, Credential)
    assert credential.id == "https://badges.example.edu/achievements/python-data"
    assert credential.kind is CredentialKind.MICRO_CREDENTIAL
    assert credential.ects == 3 and credential.workload_hours == 75  # 3 ECTS × 25 h, units from the defaults
    assert credential.learning_outcomes == ("Python (computer programming)", "Data literacy")
    assert [s.uri for s in credential.skills] == [ESCO_PYTHON]
    assert credential.field == "Computer Science" and credential.language == "en"
    assert credential.url == "https://badges.example.edu/achievements/python-data"
    assert result.issues == ()


def test_clr_definitions_include_the_bundled_and_listed_achievements() -> None:
    fallbacks = {"learning_outcomes": ("See the syllabus",), "workload_hours": 40}
    result = parse_achievements(CLR, INSTITUTION.model_copy(update=fallbacks))
    titles = {c.title: c for c in result.credentials}
    assert set(titles) == {"Python for Data Work", "Relational Databases", "Data Capstone"}
    assert titles["Data Capstone"].kind is CredentialKind.CERTIFICATE
    assert titles["Relational Databases"].kind is CredentialKind.COURSE
    assert titles["Data Capstone"].learning_outcomes == ("See the syllabus",)  # the caller's fallback
    assert titles["Data Capstone"].awarding_body == "Example University Registrar"  # the CLR issuer
    assert titles["Relational Databases"].workload_hours == 40


def test_missing_eu_elements_are_issues_not_inventions() -> None:
    result = parse_achievements(badge(alignment=None), ImportDefaults(), file="defs.json")
    assert result.credentials == ()
    fields = {i.field for i in result.issues}
    assert {
        "learning_outcomes",
        "eqf_level",
        "country",
        "cost",
        "quality_assurance",
        "workload_hours",
    } <= fields
    assert "awarding_body" not in fields  # the badge issuer's name stands for it
    assert all(i.record_id == "https://badges.example.edu/achievements/python-data" for i in result.issues)
    with pytest.raises(CatalogValidationError):
        parse_achievements(badge(alignment=None), ImportDefaults(), strict=True)


def test_unknown_achievement_type_needs_a_default_kind() -> None:
    result = parse_achievements(badge(achievementType="ext:Hackathon"), INSTITUTION)
    assert result.credentials == ()
    assert [i.field for i in result.issues] == ["kind"]
    kinded = parse_achievements(
        badge(achievementType="ext:Hackathon"),
        INSTITUTION.model_copy(update={"credential_kind": CredentialKind.DIGITAL_BADGE}),
    )
    assert kinded.credentials[0].kind is CredentialKind.DIGITAL_BADGE


@pytest.mark.skipif(not (DATA / "ctdl").is_dir(), reason=f"CTDL samples not present at {DATA / 'ctdl'}")
def test_ctdl_inside_a_verifiable_credential_is_sent_to_the_ctdl_importer() -> None:
    sample = DATA / "ctdl" / "CTDLinLERs_VCs_OpenBadges_CLRs" / "s1_2_DegreeInRegistryAndVC.json"
    with pytest.raises(DataSourceError, match=r"carrying CTDL, not Open Badges 3\.0"):
        read_earned_credentials(sample)
