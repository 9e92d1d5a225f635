from pathlib import Path

from index.importers import crosswalk


def test_reads_every_row(shared_data: Path) -> None:
    rows = crosswalk.read_crosswalk(shared_data / "crosswalk" / crosswalk.CROSSWALK_FILE)
    assert len(rows) == 1_680
    senator = next(r for r in rows if r.esco_uri.endswith("73c3f018-71ce-4dc1-abdd-14cea7873717"))
    assert senator.onet_code == "11-1031.00"
    assert senator.confidence == 2.0


def test_best_match_first_and_unknown_codes_dropped() -> None:
    rows = [
        crosswalk.CrosswalkRow("e1", "11-1011.00", "t", 0.7, 2.0),
        crosswalk.CrosswalkRow("e1", "11-1021.00", "t", 0.8, 1.0),
        crosswalk.CrosswalkRow("e2", "99-9999.00", "t", 0.9, 1.0),
    ]
    mapped = crosswalk.onet_codes_by_esco(rows, known_codes={"11-1011.00", "11-1021.00"})
    assert mapped == {"e1": ("11-1021.00", "11-1011.00")}
