"""The CTDL importer on the real Credential Engine samples, plus small hand-written graphs.

Facts asserted here were read off the sample files: e.g. the Hutchinson welding AAS destination
requires 7 of 7 core courses plus three "1 of" option blocks, WE111 requires WE110, and one node
of that file is not valid JSON (``"compare:EQ",,``), which costs that node only.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.core.errors import CatalogValidationError, DataSourceError
from assistant.core.models import (
    AssessmentType,
    Credential,
    CredentialKind,
    CreditUnit,
    DeliveryMode,
    Money,
    PrerequisiteGroup,
)
from index.importers.ctdl import ImportDefaults, ImportResult, import_ctdl_texts, read_ctdl

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
CTDL = DATA / "ctdl"
PATHWAYS = CTDL / "PathwaysConditionsAndConstraints" / "Pathway-Examples"
ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"

needs_samples = pytest.mark.skipif(not CTDL.is_dir(), reason=f"CTDL samples not present at {CTDL}")

COLLEGE = ImportDefaults(
    awarding_body="Hutchinson Community College",
    country="US",
    learning_outcomes=("Outcomes as published in the course catalog",),
    eqf_level=5,
    assessment=AssessmentType.MIXED,
    delivery_mode=DeliveryMode.ONSITE,
    quality_assurance="Higher Learning Commission accreditation",
    cost=Money(amount=Decimal("0")),
    duration_weeks=16,
    credential_kind=CredentialKind.ASSOCIATE_DEGREE,
    credit_unit=CreditUnit.US_CREDIT_HOUR,
    hours_per_credit={CreditUnit.US_CREDIT_HOUR: 45},
    workload_hours=45,
)


def by_title(result: ImportResult) -> dict[str, Credential]:
    return {c.title: c for c in result.credentials}


def ids(result: ImportResult, *titles: str) -> set[str]:
    found = by_title(result)
    return {found[t].id for t in titles}


def groups(credential: Credential) -> list[tuple[frozenset[str], int | None]]:
    return [(frozenset(g.credential_ids), g.min_required) for g in credential.prerequisites]


# -- Hutchinson Community College, Welding Technology AAS (Kansas) ---------------------------------


@pytest.fixture(scope="module")
def welding() -> ImportResult:
    if not CTDL.is_dir():
        pytest.skip(f"CTDL samples not present at {CTDL}")
    return read_ctdl(PATHWAYS / "Kansas" / "HutchinsonWeldingAAS.json", COLLEGE)


@needs_samples
def test_welding_pathway_yields_the_degree_and_twenty_courses(welding: ImportResult) -> None:
    assert len(welding.credentials) == 21
    degree = by_title(welding)["Welding Technology - AAS"]  # the component has no name: its pathway's
    assert degree.id == "ce-5c1a3969-191e-416b-9e3e-c31f594a19cf"
    assert degree.kind is CredentialKind.ASSOCIATE_DEGREE
    courses = [c for c in welding.credentials if c.kind is CredentialKind.COURSE]
    assert len(courses) == 20
    # WE116 and WE118 appear as two components each; they are merged and the merge is noted
    assert sum("same course" in n.message for n in welding.notes) == 2


@needs_samples
def test_welding_degree_conditions_become_prerequisite_groups(welding: ImportResult) -> None:
    degree = by_title(welding)["Welding Technology - AAS"]
    core = ids(
        welding,
        "Gas Metal Arc Welding II",
        "Welding Inspection and Qualification II",
        "Cutting Processes for Welding",
        "Welding Layout and Calculations",
        "Welding Inspection and Qualification I",
        "Welding Blueprint Reading",
        "Welding Metallurgy",
    )
    safety = ids(welding, "General Industrial Safety/OSHA10", "Welding Safety")
    we116_or_we118 = ids(welding, "Flux Cored Arc Welding", "Industrial Robotic Welding")
    contextual = ids(welding, "Basic Welding", "Welding Fabrication Processes") | we116_or_we118
    assert groups(degree) == [
        (frozenset(core), None),
        (frozenset(safety), 1),
        (frozenset(we116_or_we118), 1),
        (frozenset(contextual), 1),
    ]


@needs_samples
def test_welding_course_chains(welding: ImportResult) -> None:
    found = by_title(welding)

    def requires(title: str) -> set[str]:
        return {found[t].title for g in found[title].prerequisites for t in by_id_titles(g)}

    def by_id_titles(group: PrerequisiteGroup) -> list[str]:
        titles = {c.id: c.title for c in welding.credentials}
        return [titles[i] for i in group.credential_ids]

    assert requires("Gas Metal Arc Welding II") == {"Gas Metal Arc Welding"}
    assert requires("Welding Inspection and Qualification II") == {
        "Gas Tungsten Arc Welding III",
        "Shielded Metal Arc Welding III",
    }
    assert requires("Gas Tungsten Arc Welding III") == {"Gas Tungsten Arc Welding II"}
    assert requires("Gas Tungsten Arc Welding II") == {"Gas Tungsten Arc Welding"}
    assert requires("Shielded Metal Arc Welding III") == {"Shielded Metal Arc Welding II"}
    assert requires("Shielded Metal Arc Welding II") == {"Shielded Metal Arc Welding"}
    assert requires("Gas Metal Arc Welding") == set()


@needs_samples
def test_welding_parts_stack_into_the_degree_with_their_credit_hours(welding: ImportResult) -> None:
    degree = by_title(welding)["Welding Technology - AAS"]
    links = [(c.title, rule) for c in welding.credentials for rule in c.stacks_into]
    assert len(links) == 13
    assert all(rule.target_id == degree.id and rule.credit_unit is CreditUnit.US_CREDIT_HOUR for _, rule in links)
    inspection = by_title(welding)["Welding Inspection and Qualification II"]
    assert inspection.stacks_into[0].credit == 4
    assert inspection.workload_hours == 4 * 45  # credits × the caller's hours per credit
    # WE110 is a prerequisite of a part, not named by the degree's conditions: it does not stack
    assert by_title(welding)["Gas Metal Arc Welding"].stacks_into == ()


@needs_samples
def test_welding_reports_what_the_sample_leaves_out(welding: ImportResult) -> None:
    messages = [str(issue) for issue in welding.issues]
    broken = [i for i in welding.issues if "not valid JSON" in i.message]
    assert len(broken) == 1 and broken[0].row == 25 and "line 443" in broken[0].message
    placeholders = [i for i in welding.issues if i.field == "hasCondition"]
    assert sorted(i.message.split("'")[1] for i in placeholders) == [
        "(143 URIs)",
        "(5 URIs)",
        "(7 URIs)",
        "(and 14 more)",
    ]
    assert all(i.record_id == "res:ce-5c1a3969-191e-416b-9e3e-c31f594a19cf" for i in placeholders)
    # the degree's total cannot be derived while options are elided, so it is not invented
    assert by_title(welding)["Welding Technology - AAS"].stack_requirement is None
    assert any("cannot be derived" in m for m in messages)
    assert len(welding.issues) == 6


@needs_samples
def test_without_defaults_every_record_is_reported_not_invented() -> None:
    result = read_ctdl(PATHWAYS / "Kansas" / "HutchinsonWeldingAAS.json", ImportDefaults())
    assert result.credentials == ()
    fields = {(i.record_id, i.field) for i in result.issues}
    assert ("res:ce-55855116-298c-4977-9f5a-eec3f981da76", "eqf_level") in fields
    assert ("res:ce-55855116-298c-4977-9f5a-eec3f981da76", "country") in fields
    assert ("res:ce-5c1a3969-191e-416b-9e3e-c31f594a19cf", "kind") in fields  # no credentialType given
    wel111 = next(i for i in result.issues if i.record_id == "res:ce-55855116-298c-4977-9f5a-eec3f981da76")
    assert wel111.file == "HutchinsonWeldingAAS.json" and wel111.row == 3
    with pytest.raises(CatalogValidationError, match="CTDL import failed"):
        read_ctdl(PATHWAYS / "Kansas" / "HutchinsonWeldingAAS.json", ImportDefaults(), strict=True)


# -- Heriot-Watt BSc Computer Science: expanded JSON-LD, pathway and courses in two files ----------

SCOTLAND = COLLEGE.model_copy(
    update={
        "awarding_body": None,
        "country": "GB",
        "eqf_level": 6,
        "credential_kind": None,
        "credit_unit": None,
        "hours_per_credit": {CreditUnit.ECTS: 25},
        "credit_units": {"http://example.edu/scqf/credits/": (CreditUnit.ECTS, 0.5)},  # 2 SCQF = 1 ECTS
        "cost": Money(amount=Decimal("0"), currency="GBP"),
    }
)


@needs_samples
def test_heriot_watt_pathway_and_course_list_read_together() -> None:
    folder = PATHWAYS / "HeriotWatt"
    result = read_ctdl(
        [folder / "pathway.json", folder / "courses.json"],
        SCOTLAND.model_copy(update={"awarding_body": "Heriot-Watt University"}),
    )
    assert len(result.credentials) == 49  # 45 courses (components merged into them), 4 awards
    found = by_title(result)
    bsc = found["Bachelor of Science in Computer Science"]
    assert bsc.kind is CredentialKind.BACHELOR_DEGREE
    requirement = bsc.stack_requirement
    assert requirement is not None
    assert (requirement.credits_required, requirement.credit_unit) == (240, CreditUnit.ECTS)  # 480 SCQF
    assert len(requirement.required_ids) == 27
    # "Select 2 out of 9 courses" (8 listed) and "Select 3 out of 9 courses" keep their counts
    assert sorted((len(g.credential_ids), g.min_required) for g in bsc.prerequisites) == [
        (8, 2),
        (9, 3),
        (27, None),
    ]
    assert found["Certificate of Higher Education"].stack_requirement.credits_required == 60  # type: ignore[union-attr]
    logic = found["Logic and Proof"]
    # the course from courses.json, not the pathway component standing for it
    assert logic.id == "http://example.org/resources/2640de62-c440-46e3-8638-adfe187a7512"
    assert logic.ects == 7.5 and logic.workload_hours == 7.5 * 25
    assert {r.target_id for r in logic.stacks_into} == {bsc.id, found["Certificate of Higher Education"].id}
    # 7 stage-to-stage edges and 4 stage-to-award edges, each noted once
    assert sum("ordering of grouping components" in n.message for n in result.notes) == 11


@needs_samples
def test_unmapped_credit_units_are_reported_with_the_unit() -> None:
    folder = PATHWAYS / "HeriotWatt"
    result = read_ctdl(
        [folder / "pathway.json", folder / "courses.json"],
        SCOTLAND.model_copy(update={"credit_units": {}, "awarding_body": "HWU"}),
    )
    assert all(c.stacks_into == () for c in result.credentials)
    unit_issues = [i for i in result.issues if i.field == "stacks_into"]
    assert len(unit_issues) == 3  # one per stack target
    assert all("'http://example.edu/scqf/credits/' does not map" in i.message for i in unit_issues)


# -- other pathway samples --------------------------------------------------------------------------


@needs_samples
def test_badgr_teaching_pathway_keeps_n_of_counts() -> None:
    result = read_ctdl(PATHWAYS / "Badgr" / "Badgr (Final) - EmpoweringTeachingExcellence_Nate.json", COLLEGE)
    assert len(result.credentials) == 92
    found = by_title(result)
    explore = found["Explore College Teaching Certificate"]
    assert explore.kind is CredentialKind.DIGITAL_BADGE  # credentialType ceterms:DigitalBadge
    assert (23, 5) in [(len(g.credential_ids), g.min_required) for g in explore.prerequisites]  # "5 of 23"
    master = found["Master Teacher Certificate"]  # "10 Engage, 6 Implement, 4 Contribute level badges"
    assert sorted(g.min_required or 0 for g in master.prerequisites) == [0, 4, 6, 10]
    assert master.prerequisites[0].credential_ids == (found["Teaching Scholar Certificate"].id,)
    assert any("no part states a credit value" in n.message for n in result.notes)


@needs_samples
def test_comptia_certifications_form_a_chain() -> None:
    result = read_ctdl(PATHWAYS / "CompTIA" / "CompTIA-IT_Networking_Specialist.jsonld", COLLEGE)
    found = by_title(result)
    assert len(found) == 8 and {c.kind for c in found.values()} == {CredentialKind.CERTIFICATE}
    chain = [
        "CompTIA A+",
        "CompTIA Network+",
        "CompTIA Security+",
        "CompTIA Project+",
        "CompTIA Cloud Essentials+",
        "CompTIA Linux+",
        "CompTIA Server+",
        "CompTIA Cloud+",
    ]
    for earlier, later in itertools.pairwise(chain):
        assert found[later].prerequisites == (PrerequisiteGroup(credential_ids=(found[earlier].id,)),)
    assert found["CompTIA A+"].prerequisites == ()
    assert result.issues == ()


@needs_samples
def test_illinois_bare_keys_and_prerequisite() -> None:
    result = read_ctdl(PATHWAYS / "Illinois-IT.json", COLLEGE)
    kinds = [c.kind for c in result.credentials]
    assert (kinds.count(CredentialKind.COURSE), kinds.count(CredentialKind.CERTIFICATE)) == (27, 6)
    assert sum("Assessment is not a credential" in n.message for n in result.notes) == 3
    found = by_title(result)
    assert groups(found["Computer Operations and Programming II"]) == [
        (frozenset({found["Computer Operations and Programming I"].id}), None)
    ]
    assert " Reliability Engineer Certification" not in found  # the source's leading space is stripped


@needs_samples
def test_fluree_degree_takes_its_credit_total_from_the_pathway_condition() -> None:
    path = PATHWAYS / "Fluree Pathway.json"
    strict_units = read_ctdl(path, COLLEGE.model_copy(update={"credential_kind": None}))
    assert any("'creditUnit:DegreeCredit' does not map" in i.message for i in strict_units.issues)
    mapped = COLLEGE.model_copy(update={"credit_units": {"DegreeCredit": (CreditUnit.US_CREDIT_HOUR, 1.0)}})
    result = read_ctdl(path, mapped)
    found = by_title(result)
    degree = found["Basket Weaving Degree"]
    trig = found["College Trigonometry"]
    assert trig.id == "ce-d80d755c-40e0-4941-a8c3-49c4a25a5180"  # the course component resolves to its source
    assert degree.stack_requirement is not None and degree.stack_requirement.credits_required == 25
    assert trig.stacks_into[0].target_id == degree.id and trig.stacks_into[0].credit == 4
    assert found["Basic Basket Forms"].prerequisites == (PrerequisiteGroup(credential_ids=(trig.id,)),)
    assert sum("'https://...'" in i.message for i in result.issues) == 1


@needs_samples
def test_transfer_value_course_with_outcomes_delivery_and_assessment() -> None:
    path = (
        CTDL / "Transfer Value Profile" / "ACE - Sophia Learning LLC - Principles of FinanceTVP-PUBLISHED JSON-LD.json"
    )
    anonymous = read_ctdl(path, COLLEGE)
    assert anonymous.credentials == ()
    assert [i.field for i in anonymous.issues] == ["id"]  # a blank node: no global id without a prefix
    result = read_ctdl(path, COLLEGE.model_copy(update={"id_prefix": "sophia:", "awarding_body": None}))
    (course,) = result.credentials
    assert course.id == "sophia:FIN1001"
    assert course.awarding_body == "Sophia Learning, LLC"
    assert course.assessment is AssessmentType.EXAM and course.delivery_mode is DeliveryMode.ONLINE
    assert len(course.learning_outcomes) == 6 and course.learning_outcomes[1] == (
        "interpret financial statements and financial ratios"
    )
    assert course.skills == ()
    assert sum("is not an ESCO skill" in n.message for n in result.notes) == 6


@needs_samples
def test_ctdl_inside_a_verifiable_credential() -> None:
    result = read_ctdl(CTDL / "CTDLinLERs_VCs_OpenBadges_CLRs" / "s1_2_DegreeInRegistryAndVC.json", COLLEGE)
    (degree,) = result.credentials
    assert degree.id == "ce-49247727-7cbd-4f0e-8179-e51036d1f14a"
    assert degree.kind is CredentialKind.BACHELOR_DEGREE
    assert degree.learning_outcomes == (
        "Demonstrate a good knowledge of science…",
        "Demonstrate a good knowledge of arts…",
    )


@needs_samples
@pytest.mark.parametrize(
    ("relative", "words"),
    [
        (
            "PathwaysConditionsAndConstraints/Pathway-Examples/Badgr/French-B-A-Marketable-Skills.json",
            "Badgr",
        ),
        (
            "Transfer Value Profile/Assistant API - Assessment - ACE - Introductory Sociology.json",
            "Assistant API",
        ),
        (
            "PathwaysConditionsAndConstraints/Pathway-Examples/HeriotWatt/vcred.json",
            "no node has a CTDL type",
        ),
    ],
)
def test_files_that_are_not_ctdl_are_refused(relative: str, words: str) -> None:
    with pytest.raises(DataSourceError, match=words):
        read_ctdl(CTDL / relative, COLLEGE)


@needs_samples
def test_competency_frameworks_hold_no_credentials() -> None:
    result = read_ctdl(CTDL / "Competency-Frameworks" / "SampleCompetencyFramework_with_Envelope.json", COLLEGE)
    assert result.credentials == () and result.issues == ()


# -- hand-written graphs ----------------------------------------------------------------------------


def graph(*nodes: dict[str, object]) -> str:
    return json.dumps({"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": list(nodes)})


def test_esco_alignments_become_skills_and_others_are_notes() -> None:
    text = graph(
        {
            "@id": "https://example.org/c/1",
            "@type": "ceterms:MicroCredential",
            "ceterms:name": {"fr": "Programmation Python", "en-US": "Python programming"},
            "ceterms:inLanguage": ["en-GB"],
            "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "P6W"}],
            "ceterms:creditValue": [
                {
                    "@type": "ceterms:ValueProfile",
                    "schema:value": 12,
                    "ceterms:creditUnitType": ["creditUnit:ClockHour"],
                }
            ],
            "ceterms:targetCompetency": [
                {
                    "@type": "ceterms:CredentialAlignmentObject",
                    "ceterms:targetNode": ESCO_PYTHON,
                    "ceterms:targetNodeName": {"en": "Python (computer programming)"},
                },
                {
                    "@type": "ceterms:CredentialAlignmentObject",
                    "ceterms:targetNode": "https://example.org/comp/7",
                    "ceterms:targetNodeName": "write unit tests",
                },
            ],
        }
    )
    defaults = COLLEGE.model_copy(update={"duration_weeks": None, "workload_hours": None, "learning_outcomes": None})
    (credential,) = import_ctdl_texts([("one.json", text)], defaults).credentials
    assert credential.title == "Python programming"  # the English entry of the language map
    assert credential.kind is CredentialKind.MICRO_CREDENTIAL
    assert [(s.uri, s.label) for s in credential.skills] == [(ESCO_PYTHON, "Python (computer programming)")]
    assert credential.learning_outcomes == ("Python (computer programming)", "write unit tests")
    assert credential.workload_hours == 12 and credential.duration_weeks == 6 and credential.language == "en"


def test_non_esco_alignment_is_a_note_not_an_issue() -> None:
    text = graph(
        {
            "@id": "https://example.org/c/2",
            "@type": "ceterms:Badge",
            "ceterms:name": "Teamwork",
            "ceterms:teaches": [
                {
                    "@type": "ceterms:CredentialAlignmentObject",
                    "ceterms:targetNode": "https://example.org/comp/1",
                    "ceterms:targetNodeName": "team",
                }
            ],
        }
    )
    result = import_ctdl_texts([("two.json", text)], COLLEGE, strict=True)
    assert result.issues == ()
    (note,) = result.notes
    assert note.field == "skills" and note.record_id == "https://example.org/c/2"


def test_condition_profile_targets_and_quarter_hours() -> None:
    text = graph(
        {
            "@id": "https://example.org/c/intro",
            "@type": "ceterms:Course",
            "ceterms:name": "Intro",
            "ceterms:creditValue": [{"schema:value": 6, "ceterms:creditUnitType": "creditUnit:QuarterHour"}],
        },
        {
            "@id": "https://example.org/c/adv",
            "@type": "ceterms:Course",
            "ceterms:name": "Advanced",
            "ceterms:requires": [
                {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetLearningOpportunity": ["https://example.org/c/intro"],
                }
            ],
        },
    )
    found = by_title(import_ctdl_texts([("three.json", text)], COLLEGE))
    assert found["Advanced"].prerequisites == (PrerequisiteGroup(credential_ids=("https://example.org/c/intro",)),)
    assert found["Intro"].workload_hours == pytest.approx(4 * 45)  # 6 quarter hours = 4 semester hours


def test_nested_choice_between_groups_is_reported() -> None:
    text = graph(
        {
            "@id": "https://example.org/p",
            "@type": "ceterms:Pathway",
            "ceterms:name": "P",
            "ceterms:hasDestinationComponent": "https://example.org/cert",
        },
        {
            "@id": "https://example.org/cert",
            "@type": "ceterms:CredentialComponent",
            "ceterms:name": "Cert",
            "ceterms:credentialType": "ceterms:Certificate",
            "ceterms:hasCondition": [
                {
                    "@type": "ceterms:ComponentCondition",
                    "ceterms:requiredNumber": 1,
                    "ceterms:targetComponent": ["https://example.org/g1", "https://example.org/g2"],
                }
            ],
        },
        {
            "@id": "https://example.org/g1",
            "@type": "ceterms:BasicComponent",
            "ceterms:name": "Track A",
            "ceasn:hasChild": ["https://example.org/a"],
        },
        {
            "@id": "https://example.org/g2",
            "@type": "ceterms:BasicComponent",
            "ceterms:name": "Track B",
            "ceasn:hasChild": ["https://example.org/b"],
        },
        {"@id": "https://example.org/a", "@type": "ceterms:CourseComponent", "ceterms:name": "A"},
        {"@id": "https://example.org/b", "@type": "ceterms:CourseComponent", "ceterms:name": "B"},
    )
    result = import_ctdl_texts([("four.json", text)], COLLEGE)
    assert by_title(result)["Cert"].prerequisites == ()
    (issue,) = result.issues
    assert "choice of 1 among groups" in issue.message and "Track A" in issue.message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(graph({"@id": "x", "@type": "ceterms:Course", "ceterms:name": "x" * 2000}))
    with pytest.raises(DataSourceError, match="over"):
        read_ctdl(big, COLLEGE, max_bytes=1000)
