"""The checklists of our own phrasings (evaluation/checklists.py): every file loads, and the parser keeps
the readings each checklist's change was made for."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.understand import CatalogVocabulary
from evaluation.checklists import CHECKLIST_DIR, load_checklist, score
from retrieval.errors import DriftrecError


@pytest.fixture(scope="module")
def latest(small) -> CatalogVocabulary:
    return CatalogVocabulary.from_catalog("ml-latest-small", small.catalog, small.interactions)


def test_every_checklist_loads_with_known_movies(latest):
    files = sorted(CHECKLIST_DIR.glob("*.txt"))
    assert len(files) >= 20
    for path in files:
        cases = load_checklist(path)
        assert cases, path.name
        movies = {m for case in cases for m in case.shown} | {
            m for case in cases for name in ("liked", "disliked", "seen", "watchlist", "not_interested", "similar_to")
            for m in getattr(case.expect, name)}
        assert all(latest.has_movie(m) for m in movies), path.name


@pytest.mark.parametrize("name, most_wrong", [("series", 0), ("want", 0), ("years", 0), ("nums", 1), ("books", 1)])
def test_the_parser_keeps_what_a_checklist_was_made_for(latest, name, most_wrong):
    result = score(load_checklist(CHECKLIST_DIR / f"{name}.txt"), latest)
    assert len(result["wrong"]) <= most_wrong and result["inversions"] == 0, result["wrong"]


def test_a_malformed_line_names_its_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_text('{"liked": [1]} | 1\n', encoding="utf-8")
    with pytest.raises(DriftrecError, match="bad.txt line 1: expected 'EXPECT | SHOWN | MESSAGE'"):
        load_checklist(bad)
