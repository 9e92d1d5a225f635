from pathlib import Path

import pytest

from assistant.core.errors import DataSourceError
from index.importers import bls


def test_oews_national_wages(shared_data: Path) -> None:
    wages = {w.soc_code: w for w in bls.read_oews_national(shared_data / "demand/oews_2025/oews-2025.sqlite.gz")}
    scientists = wages["15-2051"]
    assert scientists.title == "Data Scientists"
    assert scientists.employment == 262_440
    assert scientists.annual_median == 120_230
    assert scientists.hourly_median == pytest.approx(57.80)
    assert scientists.release == "BLS OEWS May 2025"
    assert "15-1250" in wages  # broad groups are kept as a fallback
    assert "15-0000" not in wages and "00-0000" not in wages  # group totals are not


def test_suppressed_cells_become_none(shared_data: Path) -> None:
    wages = bls.read_oews_national(shared_data / "demand/oews_2025/oews-2025.sqlite.gz")
    assert any(w.annual_p90 is None for w in wages)  # BLS top-codes the highest wages with '#'


def test_projections(shared_data: Path) -> None:
    rows = {
        p.soc_code: p
        for p in bls.read_projections(shared_data / "demand/projections_2020_2030/EP_2020_2030_occupations.csv")
    }
    assert len(rows) == 790
    accountants = rows["13-2011"]
    assert accountants.title == "Accountants and auditors"
    assert accountants.employment_2020 == pytest.approx(1392.2)
    assert accountants.change_pct == pytest.approx(6.9)
    assert accountants.median_wage_2020 == 73_560
    assert accountants.entry_education == "Bachelor's degree"


def test_number_parsing() -> None:
    assert bls._number("1,392.2") == pytest.approx(1392.2)
    assert bls._number("#") is None
    assert bls._number("N/A") is None
    assert bls._number(None) is None


def test_not_gzip_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "oews.sqlite.gz"
    bad.write_bytes(b"plain bytes")
    with pytest.raises(DataSourceError, match="not a readable gzip"):
        bls.read_oews_national(bad)
