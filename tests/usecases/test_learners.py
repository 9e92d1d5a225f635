"""The learner is in charge of the skill list: confirm what was only suggested, remove what is wrong, add what
is missing; a résumé read again brings back nothing removed; special-category lines never become skills."""

from __future__ import annotations

import pytest

from assistant.bootstrap import Stackwise
from assistant.core.access import Principal, Role
from assistant.core.errors import StackwiseError
from assistant.core.models import EvidenceSource, LearnerProfile
from assistant.core.privacy import redact
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings
from tests.builders import held, lexical_root
from tests.fake_store import InMemoryStore

SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
RESUME = (
    "Priya Raman\nData Analyst\n\nSKILLS\nSQL, Python, Excel\n\nPERSONAL DETAILS\nReligion: Hindu\n"
    "Physically challenged (lower-limb disability)\nMember of UNITE trade union\n"
)


@pytest.fixture
def root(taxonomy: Taxonomy) -> Stackwise:
    return lexical_root(taxonomy, settings=Settings(link_calibration_path=None), store=InMemoryStore())


@pytest.fixture
def learner(root: Stackwise) -> Principal:
    user, _ = root.store.create_user(Role.LEARNER, "Priya")
    return Principal(user.id, Role.LEARNER)


def test_confirm_moves_a_suggested_skill_into_the_profile(root: Stackwise, learner: Principal) -> None:
    profile = LearnerProfile(skills=(held(PYTHON, "Python (computer programming)"),), unconfirmed=(held(SQL, "SQL"),))
    root.learners.save(learner.user_id, profile, ())
    saved, unresolved = root.learners.edit_skills(learner, "me", confirm=[SQL])
    assert unresolved == []
    assert [s.skill_uri for s in saved.profile.skills] == [PYTHON, SQL]
    assert saved.profile.skills[1].confirmed and saved.profile.skills[1].evidence[0].source is EvidenceSource.RESUME
    assert saved.profile.unconfirmed == ()


def test_a_removed_skill_does_not_come_back_when_the_resume_is_read_again(root: Stackwise, learner: Principal) -> None:
    first = root.learners.paste_resume(learner, "me", RESUME)
    assert {SQL, PYTHON} <= first.profile.skill_uris
    removed, _ = root.learners.edit_skills(learner, "me", remove=[SQL])
    assert SQL not in removed.profile.skill_uris and SQL in removed.profile.dismissed
    again = root.learners.paste_resume(learner, "me", RESUME)
    assert SQL not in again.profile.skill_uris and SQL not in {s.skill_uri for s in again.profile.unconfirmed}
    added, _ = root.learners.edit_skills(learner, "me", add=[SQL])
    assert SQL in added.profile.skill_uris and SQL not in added.profile.dismissed


def test_skills_are_added_by_uri_or_by_typing(root: Stackwise, learner: Principal) -> None:
    saved, unresolved = root.learners.edit_skills(learner, "me", add=[SQL], text="Python")
    labels = {s.label: s for s in saved.profile.skills}
    assert labels["SQL"].confirmed and labels["SQL"].evidence[0].source is EvidenceSource.SELF_REPORTED
    assert PYTHON in saved.profile.skill_uris and all(s.confirmed for s in saved.profile.skills)
    assert unresolved == []
    with pytest.raises(StackwiseError, match="Not an ESCO skill"):
        root.learners.edit_skills(learner, "me", confirm=["http://example.com/nope"])


def test_special_category_lines_never_become_skills_nor_evidence(root: Stackwise, learner: Principal) -> None:
    read = root.learners.paste_resume(learner, "me", RESUME)
    quoted = {e.text for s in (*read.profile.skills, *read.profile.unconfirmed) for e in s.evidence}
    assert not any(word in " ".join(quoted) for word in ("Religion", "challenged", "union"))
    assert not {s.label for s in read.profile.skills} & {"Hindi", "trade unions", "orthopaedics"}
    redacted = redact(RESUME).text
    assert "Hindu" not in redacted and "disability" not in redacted and "UNITE" not in redacted
    assert "SQL, Python, Excel" in redacted and "[special-category]" in redacted


TOOLS_RESUME = (
    "Maya Okafor\nMechanical Designer\n\nEXPERIENCE\nDesign Engineer, Tata Motors, 2019 - 2024\n"
    "- Modelled sheet-metal parts in SolidWorks 2016 and released drawings from AutoCAD\n"
    "- Tracked parts in SAP and reported weekly in MS Excel\n\nSKILLS\nCATIA, Tableau, Word, Outlook\n"
)


def test_products_are_read_by_name_with_their_lines(root: Stackwise, learner: Principal) -> None:
    read = root.learners.paste_resume(learner, "me", TOOLS_RESUME)
    tools = {t.name: t for t in read.profile.technologies}
    assert set(tools) == {
        "Dassault Systemes SolidWorks",
        "Autodesk AutoCAD",
        "SAP software",
        "Microsoft Excel",
        "Dassault Systemes CATIA",
        "Tableau",
        "Microsoft Word",
        "Microsoft Outlook",
    }
    solidworks = tools["Dassault Systemes SolidWorks"]
    assert solidworks.hot_technology and "SolidWorks 2016" in solidworks.evidence[0].text
    assert solidworks.evidence[0].source is EvidenceSource.RESUME and solidworks.evidence[0].line_no == 6
    assert tools["Microsoft Excel"].label == "Microsoft Excel" and tools["Microsoft Excel"].commodity
    labels = {s.label for s in (*read.profile.skills, *read.profile.unconfirmed)}
    assert not {"Solidity", "Tamil"} & labels, "a product's name is not read as a paraphrase of a skill"
    assert not any("Tata Motors" in e.text for t in read.profile.technologies for e in t.evidence)


def test_the_learner_removes_and_adds_products(root: Stackwise, learner: Principal) -> None:
    root.learners.paste_resume(learner, "me", TOOLS_RESUME)
    removed, _ = root.learners.edit_skills(learner, "me", remove=["onet-technology:Tableau"])
    assert "Tableau" not in {t.name for t in removed.profile.technologies}
    again = root.learners.paste_resume(learner, "me", TOOLS_RESUME)
    assert "Tableau" not in {t.name for t in again.profile.technologies}, "a removed product stays removed"
    added, unresolved = root.learners.edit_skills(learner, "me", add=["onet-technology:Docker"], text="Power BI")
    tools = {t.name: t for t in added.profile.technologies}
    assert tools["Docker"].confirmed and tools["Microsoft Power BI"].confirmed and unresolved == []
    assert tools["Microsoft Power BI"].evidence[0].source is EvidenceSource.SELF_REPORTED
    with pytest.raises(StackwiseError, match="O\\*NET technology"):
        root.learners.edit_skills(learner, "me", remove=["onet-technology:No Such Product"])


@pytest.mark.parametrize(
    "text",
    [
        "We are hiring a Data Analyst!\nResponsibilities\n- Build dashboards in Tableau\nApply at jobs@example.com\n",
        "EXPERIENCIA\n- Elaboré tableros en Power BI y consultas SQL\n"
        "- मैंने एक्सेल में रिपोर्ट बनाई\nHABILIDADES\nExcel, SQL\n",
        "SKILLS\nWindows 10, Office 2016, v2.3.1\nCourses: CIS 340, MATH-201\nFiles: .xlsx, .docx, .EAR\n",
    ],
    ids=["job-ad", "mixed-languages", "versions-codes-extensions"],
)
def test_odd_input_is_read_without_error_and_codes_are_not_skills(
    root: Stackwise, learner: Principal, text: str
) -> None:
    read = root.learners.paste_resume(learner, "me", text)
    quoted = [e.text[e.span.start : e.span.end] for s in read.profile.skills for e in s.evidence if e.span]
    assert not any(q.strip(" .") in {"2.3.1", "CIS 340", "MATH-201", ".xlsx", "xlsx", "EAR", "10"} for q in quoted)
    assert not {"human ear", "ear"} & {s.label for s in (*read.profile.skills, *read.profile.unconfirmed)}
