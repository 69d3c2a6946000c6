"""Checklists of our own phrasings, apart from the labelled set: how the parser reads each mechanism.

    python -m evaluation.checklists [NAME ...]

Each file in ``evaluation/data/checklists/`` holds one mechanism's messages, written by the developers (never
drawn from the understanding set), one per line: ``EXPECT | SHOWN | MESSAGE``, where EXPECT is the labelled
:class:`~agent.understand.intent.FeedbackIntent` as JSON (its non-empty fields), SHOWN the movie ids on screen
(comma-separated, may be empty) and MESSAGE what the user typed; ``#`` starts a comment line. The catalog is
ml-latest-small. Each checklist guided one change of the parser, so its figures are no held-out measure: the
set's test half is (``python -m evaluation.understanding``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.understand import CatalogVocabulary, parse_message
from agent.understand.intent import FeedbackIntent
from evaluation.understanding import compare, load_vocabulary
from retrieval.errors import DriftrecError

CHECKLIST_DIR = Path(__file__).parent / "data" / "checklists"


@dataclass(frozen=True)
class Case:
    """One message of a checklist with its label."""

    message: str
    shown: tuple[int, ...]
    expect: FeedbackIntent


def load_checklist(path: Path) -> list[Case]:
    """Read one checklist file; a malformed line raises naming the file, the line and what to fix."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|", 2)]
        if len(parts) != 3:
            raise DriftrecError(f"{path.name} line {number}: expected 'EXPECT | SHOWN | MESSAGE', got {len(parts)} fields")
        try:
            expect = FeedbackIntent(**json.loads(parts[0]))
            shown = tuple(int(m) for m in parts[1].split(",") if m.strip())
        except (ValueError, TypeError) as error:
            raise DriftrecError(f"{path.name} line {number}: {error}") from None
        cases.append(Case(parts[2], shown, expect))
    return cases


def score(cases: Sequence[Case], vocab: CatalogVocabulary) -> dict[str, int | list[str]]:
    """Wrong readings, sign inversions and invented events of the parser on the cases."""
    wrong: list[str] = []
    inversions = invented = 0
    for case in cases:
        outcome = compare(case.expect, parse_message(case.message, vocab, list(case.shown)))
        inversions += len(outcome.inversions)
        invented += len(outcome.invented)
        if not outcome.exact:
            wrong.append(f"{case.message!r}: {'; '.join(outcome.differences)}")
    return {"n": len(cases), "wrong": wrong, "inversions": inversions, "invented": invented}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="checklists to run (file names without .txt); all by default")
    parser.add_argument("--show-wrong", action="store_true", help="print each message read wrong")
    args = parser.parse_args(argv)
    from retrieval.settings import Settings

    vocab = load_vocabulary(Settings())
    paths = [CHECKLIST_DIR / f"{name}.txt" for name in args.names] or sorted(CHECKLIST_DIR.glob("*.txt"))
    for path in paths:
        result = score(load_checklist(path), vocab)
        print(f"{path.stem}: {len(result['wrong'])} of {result['n']} wrong, "
              f"{result['inversions']} inversions, {result['invented']} invented")
        for line in result["wrong"] if args.show_wrong else ():
            print(f"  {line}")


if __name__ == "__main__":
    main()
