import csv
from pathlib import Path

import pytest

from assistant.adapters.files import sha256_of
from assistant.core.errors import DataSourceError
from assistant.core.models import OnetOccupation
from assistant.core.taxonomy import Taxonomy
from index import bundle, soc_mapping
from index.importers.crosswalk import CrosswalkRow
from index.soc_mapping import OnetTitles, SocCheck

ESCO = "http://data.europa.eu/esco/occupation/"

#: a few 29.2 occupations, shaped like the real ones
ONET_OCCUPATIONS = [
    OnetOccupation(code="15-2051.00", title="Data Scientists", alt_titles=("Data Analyst", "Data Scientist")),
    OnetOccupation(code="15-1243.00", title="Database Architects", alt_titles=("Data Analyst", "Data Architect")),
    OnetOccupation(code="15-1221.00", title="Computer and Information Research Scientists"),
    OnetOccupation(code="29-2042.00", title="Emergency Medical Technicians", alt_titles=("EMT", "Paramedic")),
    OnetOccupation(code="29-2043.00", title="Paramedics", alt_titles=("Paramedic", "Flight Paramedic")),
    OnetOccupation(code="19-3022.00", title="Survey Researchers", reported_titles=("Data Analyst",)),
    OnetOccupation(code="11-9199.00", title="Managers, All Other", alt_titles=("Project Manager", "Security Manager")),
    OnetOccupation(code="13-1082.00", title="Project Management Specialists", alt_titles=("Project Manager",)),
    OnetOccupation(code="15-1252.00", title="Software Developers", alt_titles=("Software Engineer",)),
    OnetOccupation(code="15-1212.00", title="Information Security Analysts"),
    OnetOccupation(
        code="15-1299.04", title="Penetration Testers", alt_titles=("Ethical Hacker", "Information Security Analyst")
    ),
    OnetOccupation(code="15-1299.07", title="Blockchain Engineers", alt_titles=("Integration Engineer",)),
    OnetOccupation(code="33-3031.00", title="Fish and Game Wardens", alt_titles=("Warden",)),
    OnetOccupation(code="33-3051.00", title="Police and Sheriff's Patrol Officers"),
    OnetOccupation(code="15-1211.00", title="Computer Systems Analysts"),
    OnetOccupation(
        code="15-1253.00",
        title="Software Quality Assurance Analysts and Testers",
        alt_titles=("QA Tester", "Software Tester"),
    ),
]
ONET = OnetTitles(ONET_OCCUPATIONS)


def _row(uri: str, code: str, title: str) -> CrosswalkRow:
    return CrosswalkRow(ESCO + uri, code, title, 0.8, 1.0)


def _check(uri: str, code: str, *, previous: str = "") -> SocCheck:
    return SocCheck(ESCO + uri, uri, "", previous, code, code != previous, "checked by hand")


# -- the automatic rules ---------------------------------------------------------------------------
def test_existing_code_is_kept_even_when_a_label_names_another_occupation() -> None:
    row = _row("pm", "11-9199.00", "managers, all other")
    decision = soc_mapping.resolve(row, ["project manager"], ONET)
    assert (decision.code, decision.method) == ("11-9199.00", "same_code")


def test_gone_code_is_resolved_through_an_alternate_title() -> None:
    """2010 15-1199.01 is gone and no 29.2 title continues it; 'software tester' is an alternate title."""
    row = _row("qa", "15-1199.01", "software quality assurance engineers and testers")
    decision = soc_mapping.resolve(row, ["software tester", "software test engineer"], ONET)
    assert (decision.code, decision.method) == ("15-1253.00", "label_alternate_title")
    assert "Software Quality Assurance" in decision.evidence


def test_gone_code_matched_on_a_title_counts_as_a_title_match() -> None:
    """Titles are matched in the singular too: 'paramedic' is the title Paramedics."""
    row = _row("para", "29-2041.00", "emergency medical technicians and paramedics")
    decision = soc_mapping.resolve(row, ["paramedic"], ONET)
    assert (decision.code, decision.method) == ("29-2043.00", "label_title")


def test_among_several_matches_a_successor_of_the_2010_code_wins() -> None:
    """'information security analyst' names 15-1299.04 as an alternate title, so it continues 15-1122."""
    row = _row("hack", "15-1122.00", "information security analysts")
    assert ONET.successors("15-1122.00", "information security analysts") == {"15-1212.00", "15-1299.04"}
    decision = soc_mapping.resolve(row, ["ethical hacker"], ONET)
    assert decision.code == "15-1299.04"


def test_among_several_matches_the_same_minor_group_wins() -> None:
    """'data analyst' names 15-1243, 15-2051 (alternates) and 19-3022 (reported): 15-1 is 15-1111's minor group."""
    row = _row("da", "15-1111.00", "some retired title")
    matches = soc_mapping.label_matches(["data analyst"], row, ONET, set())
    assert [m.code for m in matches] == ["15-1243.00", "15-2051.00", "19-3022.00"]
    assert [m.tier for m in matches] == [2, 3, 4]
    assert matches[-1].source == "reported_title"


def test_an_alternative_label_does_not_override_a_successor_by_title() -> None:
    """The 2010 code has a successor by title or base code: only the preferred label naming an occupation
    in the same SOC minor group overrides it."""
    row = _row("sw", "33-3051.01", "police patrol officers")
    weak = soc_mapping.resolve(row, ["street warden", "warden"], ONET)
    assert (weak.code, weak.method) == ("33-3051.00", "base_code")
    far = soc_mapping.resolve(
        _row("ds", "15-1111.00", "computer and information research scientists"), ["data scientist"], ONET
    )
    assert (far.code, far.method) == ("15-1221.00", "same_title")  # 15-2051 is outside minor group 15-1
    strong = soc_mapping.resolve(_row("ie", "15-1121.00", "computer systems analysts"), ["integration engineer"], ONET)
    assert (strong.code, strong.method) == ("15-1299.07", "label_alternate_title")


def test_no_label_match_falls_back_to_the_title_rules() -> None:
    row = _row("x", "15-1111.00", "computer and information research scientists")
    decision = soc_mapping.resolve(row, ["something nobody calls a job"], ONET)
    assert (decision.code, decision.method) == ("15-1221.00", "same_title")
    lost = soc_mapping.resolve(_row("y", "11-2031.00", "public relations managers"), ["spin doctor"], ONET)
    assert (lost.code, lost.method) == (None, "unmapped")


# -- hand checks -----------------------------------------------------------------------------------
def test_checked_code_wins_over_every_rule() -> None:
    rows = [
        _row("pm", "11-9199.00", "managers, all other"),  # would be same_code
        _row("da", "15-1111.00", "computer and information research scientists"),  # would be a label match
        _row("keep", "15-1252.00", "software developers"),
    ]
    checks = {ESCO + "pm": _check("pm", "13-1082.00"), ESCO + "da": _check("da", "15-2051.00")}
    labels = {ESCO + "da": ["data analyst"]}
    mapped, methods = bundle.map_crosswalk_codes(rows, list(ONET_OCCUPATIONS), labels, checks)
    assert mapped == {ESCO + "pm": ("13-1082.00",), ESCO + "da": ("15-2051.00",), ESCO + "keep": ("15-1252.00",)}
    assert methods["hand_checked"] == 2
    assert methods["same_code"] == 1
    assert sum(methods.values()) == len(rows)


def test_a_check_gives_a_code_to_an_occupation_the_crosswalk_lacks() -> None:
    checks = {ESCO + "new": _check("new", "15-2051.00")}
    mapped, methods = bundle.map_crosswalk_codes([], list(ONET_OCCUPATIONS), {}, checks)
    assert mapped == {ESCO + "new": ("15-2051.00",)}
    assert sum(methods.values()) == 0  # the counters count crosswalk rows only


def test_a_check_naming_an_unknown_code_stops_the_build() -> None:
    with pytest.raises(DataSourceError, match=r"not an O\*NET 29\.2 occupation"):
        soc_mapping.map_rows([], ONET, {}, {ESCO + "x": _check("x", "99-9999.00")})


def _write_checks(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=soc_mapping.CHECK_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _csv_row(uri: str, code: str, changed: str = "yes") -> dict[str, str]:
    return {
        "esco_uri": ESCO + uri,
        "esco_label": uri,
        "crosswalk_2010_code": "15-1111.00",
        "previous_2019_code": "15-1221.00",
        "checked_2019_code": code,
        "changed": changed,
        "reason": "why",
    }


def test_read_checks(tmp_path: Path) -> None:
    checks = soc_mapping.read_checks(_write_checks(tmp_path / "c.csv", [_csv_row("da", "15-2051.00")]))
    assert checks[ESCO + "da"].checked_2019_code == "15-2051.00"
    assert checks[ESCO + "da"].changed
    assert soc_mapping.read_checks(tmp_path / "absent.csv") == {}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([_csv_row("da", "15-2051")], "bad checked code"),
        ([_csv_row("da", "15-2051.00", changed="maybe")], "changed flag"),
        ([_csv_row("da", "15-2051.00"), _csv_row("da", "15-1221.00")], "checked twice"),
    ],
)
def test_read_checks_refuses_bad_rows(tmp_path: Path, rows: list[dict[str, str]], message: str) -> None:
    with pytest.raises(DataSourceError, match=message):
        soc_mapping.read_checks(_write_checks(tmp_path / "c.csv", rows))


# -- the committed file and bundle ----------------------------------------------------------------
def test_committed_checks_are_consistent() -> None:
    checks = soc_mapping.read_checks()
    assert len(checks) == 100
    for check in checks.values():
        assert check.changed == (check.checked_2019_code != check.previous_2019_code), check.esco_label
        assert check.reason, check.esco_label


def test_committed_bundle_follows_the_checks(taxonomy: Taxonomy) -> None:
    """The bundle was rebuilt after the last edit of the checks (else: `stackwise data bundle`)."""
    recorded = bundle.read_manifest()["esco_soc_checks"]
    assert recorded["sha256"] == sha256_of(soc_mapping.CHECKS_FILE)
    for check in soc_mapping.read_checks().values():
        occupation = taxonomy.occupation(check.esco_uri)
        assert occupation.preferred_label == check.esco_label
        assert occupation.onet_codes[:1] == (check.checked_2019_code,), check.esco_label


def test_wages_come_from_the_checked_occupations(taxonomy: Taxonomy) -> None:
    by_label = {occ.preferred_label: occ.uri for occ in taxonomy.occupations.values()}
    for label, soc in (("data analyst", "15-2051"), ("project manager", "13-1082"), ("software developer", "15-1252")):
        wage = taxonomy.wage_for(by_label[label])
        assert wage is not None and wage.soc_code == soc, label


def test_manifest_counts_every_crosswalk_row_once() -> None:
    manifest = bundle.read_manifest()
    methods = manifest["crosswalk_2010_to_2019"]
    assert set(methods) == set(soc_mapping.METHODS)
    assert sum(methods.values()) == 1_680
    checks = manifest["esco_soc_checks"]
    assert methods["hand_checked"] + checks["outside_crosswalk"] == checks["checked"] == 100
