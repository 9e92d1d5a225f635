"""Product names read through O*NET's Technology Skills: the names a résumé uses, and the everyday words
that must not become products. First on a handful of examples, then on the real bundle."""

from __future__ import annotations

import pytest

from assistant.core.advice import technology_lexicon_for
from assistant.core.linking.technology import TechnologyLexicon, label_vocabulary
from assistant.core.models import OnetTechnology
from assistant.core.taxonomy import Taxonomy


def _tech(example: str, *, hot: bool = False, code: str = "15-2051.00") -> OnetTechnology:
    return OnetTechnology(
        onet_code=code,
        example=example,
        commodity_code="43232",
        commodity_title="Some software",
        hot_technology=hot,
    )


@pytest.fixture(scope="module")
def small() -> TechnologyLexicon:
    rows = [
        _tech("Microsoft Excel", hot=True),
        _tech("Microsoft Word", hot=True),
        _tech("Microsoft Project"),
        _tech("Tableau", hot=True),
        _tech("Amazon Web Services AWS software", hot=True),
        _tech("Amazon Redshift"),
        _tech("Oracle SQL Developer", hot=True),
        _tech("Oracle Database"),
        _tech("Customer relationship management CRM software", hot=True),
        _tech("Cost accounting software"),
        _tech("Maintenance software"),
        _tech("C"),
    ]
    everyday = label_vocabulary(["manage word processing", "lead a project", "project work", "project budget"])
    everyday |= label_vocabulary(["software developer", "web developer", "database developer", "maintenance"] * 3)
    return TechnologyLexicon(rows, {"Tableau": "skill/tableau"}, everyday)


def _names(lexicon: TechnologyLexicon, text: str, *, listed: bool = False) -> list[tuple[str, str]]:
    return [(m.text, m.technology.name) for m in lexicon.find(text, list_context=listed)]


def test_a_product_is_found_by_the_names_people_use(small: TechnologyLexicon) -> None:
    found = _names(small, "Built reports in MS Excel and Tableau on AWS; loaded Amazon Redshift")
    assert found == [
        ("MS Excel", "Microsoft Excel"),
        ("Tableau", "Tableau"),
        ("AWS", "Amazon Web Services AWS software"),
        ("Amazon Redshift", "Amazon Redshift"),
    ]
    assert small.technologies["Tableau"].skill_uri == "skill/tableau"
    assert small.technologies["Amazon Web Services AWS software"].label == "AWS (Amazon Web Services)"


def test_kinds_of_software_are_not_products(small: TechnologyLexicon) -> None:
    assert "Cost accounting software" not in small.technologies
    assert "Maintenance software" not in small.technologies
    assert _names(small, "Cost accounting and Maintenance, daily") == []


def test_everyday_words_do_not_become_products(small: TechnologyLexicon) -> None:
    assert _names(small, "Led the Project to excel in customer Word of mouth") == []
    assert _names(small, "Worked as a Developer on the Database team") == []
    assert _names(small, "Skills: Teamwork, Developer, Word", listed=True) == [], "no product beside them"


def test_a_weak_name_counts_only_as_a_list_item_beside_a_product(small: TechnologyLexicon) -> None:
    found = _names(small, "Excel, Word, Project, CRM", listed=True)
    assert found == [
        ("Excel", "Microsoft Excel"),
        ("Word", "Microsoft Word"),
        ("Project", "Microsoft Project"),  # an everyday word, beside a product of the same vendor
        ("CRM", "Customer relationship management CRM software"),  # a generic kind, beside any product
    ]
    assert _names(small, "We improved CRM adoption", listed=False) == []
    assert _names(small, "Excel, Database", listed=True) == [("Excel", "Microsoft Excel")], "not Oracle's"


def test_one_letter_names_only_as_whole_list_items(small: TechnologyLexicon) -> None:
    assert _names(small, "Languages: C, Excel", listed=True) == [("C", "C"), ("Excel", "Microsoft Excel")]
    assert _names(small, "Grade C in Excel") == [("Excel", "Microsoft Excel")]


def test_acronyms_count_only_in_capitals(small: TechnologyLexicon) -> None:
    assert _names(small, "aws and crm were mentioned in passing") == []


# -- the real bundle -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(taxonomy: Taxonomy) -> TechnologyLexicon:
    return technology_lexicon_for(taxonomy)


@pytest.mark.parametrize(
    ("text", "listed", "expected"),  # the errors judges found on development résumés among them
    [
        (
            "Tools: Tableau, Power BI, AWS, Git, Docker, CATIA, SolidWorks, MS Excel, Word, Outlook",
            True,
            [
                "Tableau",
                "Microsoft Power BI",
                "Amazon Web Services AWS software",
                "Git",
                "Docker",
                "Dassault Systemes CATIA",
                "Dassault Systemes SolidWorks",
                "Microsoft Excel",
                "Microsoft Word",
                "Microsoft Outlook",
            ],
        ),
        (
            "Designed parts in SolidWorks and AutoCAD; used SAP for procurement",
            False,
            ["Dassault Systemes SolidWorks", "Autodesk AutoCAD", "SAP software"],
        ),
        ("Charted patients in Epic, used Microsoft Office daily", False, ["Epic Systems", "Microsoft Office software"]),
        ("Welding to AWS D1.1 with a CRM meter; ADA compliance; zoom calls", False, []),
        (
            "Databases: Oracle, MySQL, PL/SQL; IDE: Eclipse",
            True,
            ["Oracle software", "MySQL", "Oracle PL/SQL", "Eclipse IDE"],
        ),
        ("Strong ability to excel in a fast paced environment and manage the project", False, []),
        ("Worked on the Outlook of the Project with Word of mouth marketing", False, []),
        ("Managed a team of 5 and improved office processes", False, []),
    ],
)
def test_real_names(real: TechnologyLexicon, text: str, listed: bool, expected: list[str]) -> None:
    assert [m.technology.name for m in real.find(text, list_context=listed)] == expected


def test_the_real_lexicon_flags_demand(real: TechnologyLexicon) -> None:
    excel = real.technologies["Microsoft Excel"]
    assert excel.hot_technology and excel.occupations > 100
    assert "Cost accounting software" not in real.technologies


def _row(example: str, commodity: str) -> OnetTechnology:
    return OnetTechnology(onet_code="43-6014.00", example=example, commodity_code="1", commodity_title=commodity)


def test_a_product_takes_the_skill_named_for_its_kind_of_software() -> None:
    """Excel is "Spreadsheet software", whose linked product (Google Sheets) is ESCO's "use spreadsheets
    software": a skill named for the kind, so Excel counts for it. A kind whose link is one product's (ERP →
    SAP R3) passes nothing on, nor does a product also listed under another kind (Outlook is e-mail too)."""
    from assistant.core.linking.technology import kind_links

    rows = [
        _row("Google Sheets", "Spreadsheet software"),
        _row("Microsoft Excel", "Spreadsheet software"),
        _row("Microsoft Word", "Word processing software"),
        _row("Google Docs", "Word processing software"),
        _row("Microsoft Outlook", "Word processing software"),
        _row("Microsoft Outlook", "Electronic mail software"),
        _row("SAP ERP", "Enterprise resource planning ERP software"),
        _row("Oracle ERP", "Enterprise resource planning ERP software"),
    ]
    links = {"Google Sheets": "S-SHEETS", "Google Docs": "S-WORDS", "SAP ERP": "S-SAP"}
    labels = {"S-SHEETS": "use spreadsheets software", "S-WORDS": "use word processing software", "S-SAP": "SAP R3"}
    assert kind_links(rows, links, labels.__getitem__) == {"Microsoft Excel": "S-SHEETS", "Microsoft Word": "S-WORDS"}


def test_excel_on_a_resume_shows_the_spreadsheet_skill(taxonomy: Taxonomy) -> None:
    lexicon = technology_lexicon_for(taxonomy)
    excel = lexicon.technologies["Microsoft Excel"]
    assert excel.skill_uri is not None and taxonomy.label_of(excel.skill_uri) == "use spreadsheets software"
    assert lexicon.technologies["Microsoft Outlook"].skill_uri is None
