"""The understanding set and its benchmark: the set is valid against ml-latest-small and split once by
hash; the scoring finds inversions and invented events; the parser does not fall below its measured level."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from agent.understand import CatalogVocabulary, FeedbackIntent, parse_message
from evaluation.understanding import (
    CATEGORIES, FAILURES_PAGE, SET_PATH, compare, error_kinds, failures_json, failures_markdown, load_set, model_sample,
    parser_reader, report_markdown, results_json, run_reader, split_of,
)
from retrieval.errors import DriftrecError


@pytest.fixture(scope="module")
def latest(small) -> CatalogVocabulary:
    return CatalogVocabulary.from_catalog("ml-latest-small", small.catalog, small.interactions)


@pytest.fixture(scope="module")
def examples(latest):
    return load_set(SET_PATH, latest)


def test_the_set_is_large_varied_and_split_once_by_hash(examples):
    assert len(examples) >= 500
    assert len({e.id for e in examples}) == len(examples) == len({e.message for e in examples})
    counts = Counter((e.category, e.split) for e in examples)
    assert all(counts[(c, s)] >= 20 for c in CATEGORIES for s in ("dev", "test")), counts
    assert all(e.split == split_of(e.message) for e in examples)  # by the message's hash, not its position
    assert 0.4 < sum(e.split == "test" for e in examples) / len(examples) < 0.6


def test_a_bad_line_is_named_with_what_to_fix(tmp_path, latest):
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "x", "category": "genre", "message": "m", "shown": [1], "expect": {"liked": [99999999]}}\n')
    with pytest.raises(DriftrecError, match="set.jsonl line 1: movie id 99999999 is not in ml-latest-small"):
        load_set(path, latest)
    path.write_text('{"id": "x", "category": "gossip", "message": "m", "shown": [], "expect": {}}\n')
    with pytest.raises(DriftrecError, match="line 1: category 'gossip' is not one of genre"):
        load_set(path, latest)


def test_compare_counts_inversions_and_invented_events():
    expected = FeedbackIntent(less_genres=["Horror"], liked=[1], years="1990-1999")
    got = FeedbackIntent(more_genres=["Horror"], disliked=[1], not_interested=[2], avoid_years="1990-1999")
    outcome = compare(expected, got)
    assert not outcome.exact
    assert sorted(outcome.inversions) == ["avoid_years:1990-1999", "genre:Horror", "movie:1"]
    assert outcome.invented == ["movie:2"]
    assert compare(expected, expected.model_copy()).exact


def test_the_parser_keeps_its_measured_level(examples, latest):
    """Not the issue's targets (the report says where they stand): a floor that catches regressions."""
    result = run_reader("parser", parser_reader(latest), examples)
    dev = result.summary([e for e in examples if e.split == "dev"])["all"]
    test = result.summary([e for e in examples if e.split == "test"])["all"]
    # measured on the 4,692-message set (dev 78.8 %, 172 invented, 82 inversions; test 63.8 %)
    assert dev["exact"] >= 0.78 and dev["invented"] <= 180 and dev["inversions"] <= 87
    assert test["exact"] >= 0.63
    report = report_markdown([result], examples, "test")
    assert "| chitchat |" in report and FAILURES_PAGE in report
    failing = next(e for e in examples if e.split == "test" and not result.outcomes[e.id].exact)
    assert failing.id not in report  # the held-out messages are on a page of their own
    assert "## Failures of parser" in failures_markdown([result], examples, "test")
    assert failing.id in failures_markdown([result], examples, "test")
    test_only = run_reader("test only", parser_reader(latest), [e for e in examples if e.split == "test"][:30])
    report = results_json([result, test_only], examples)["readers"]  # a model reader reads one split
    assert set(report["parser"]) == {"dev", "test"} and set(report["test only"]) == {"test"}
    failed = failures_json([result, test_only], examples)["readers"]
    assert {f["split"] for f in failed["parser"]} == {"dev", "test"} and {f["split"] for f in failed["test only"]} == {"test"}
    assert report["test only"]["test"]["all"]["n"] == 30
    sampled = report_markdown([result, test_only], examples, "test")  # a chat model reads a sample of the split
    assert "read a fixed sample of 30 of these" in sampled and "| test only | 30 |" in sampled
    assert "| parser, on the models' sample | 30 |" in sampled
    test_split = [e for e in examples if e.split == "test"]
    chosen = model_sample(test_split, 30)  # fixed by the ids, not by the order or the labels
    assert len(chosen) == 30 and {e.id for e in chosen} == {e.id for e in model_sample(test_split[::-1], 30)}


def test_emoji_greetings_and_plain_requests_never_become_events(examples, latest):
    # dev only: the test split's messages are read by the benchmark, never by the tuning
    quiet = [e for e in examples if e.split == "dev" and e.category in ("chitchat", "request") and not e.expected().has_feedback]
    loud = [e.message for e in quiet if parse_message(e.message, latest, e.shown).has_feedback]
    assert len(loud) <= 0.02 * len(quiet), loud


def test_error_kinds_say_where_each_item_went():
    expected = FeedbackIntent(more_genres=["Comedy", "Drama"], liked=[1], seen=[2], not_interested=[3, 4], years="1990-1999",
                              rejects_list=True)
    got = FeedbackIntent(more_genres=["Comedy", "Horror"], seen=[1, 2], watchlist=[5, 6], years="1980-1989")
    kinds = error_kinds(expected, got, shown=[3, 4, 5])
    assert kinds == Counter({"movie right": 1, "movie in another field": 1, "  liked → seen": 1,
                             "movie missed, a card shown": 2, "movie read, unlabelled, a card shown": 1,
                             "movie read, unlabelled, a title named": 1, "genre right": 1, "genre missed": 1,
                             "genre extra": 1, "years wrong": 1, "whole-list rejection missed": 1})
    assert not error_kinds(expected, expected.model_copy(), shown=[3, 4, 5]) - Counter(
        {"movie right": 4, "genre right": 2})


def test_the_report_scores_each_round_of_writers(examples, latest):
    from evaluation.understanding import WRITER_BATCHES

    ids = sorted(e.id for e in examples)
    assert (WRITER_BATCHES[0][0], WRITER_BATCHES[-1][1]) == (ids[0], ids[-1])  # every message in one round
    assert all(a[1] < b[0] for a, b in zip(WRITER_BATCHES, WRITER_BATCHES[1:]))
    newest = [e for e in examples if e.id >= WRITER_BATCHES[-1][0]]
    result = run_reader("parser", parser_reader(latest), newest)
    report = report_markdown([result], newest, "test")
    dev = [e for e in newest if e.split == "dev"]
    dev_exact = sum(result.outcomes[e.id].exact for e in dev) / len(dev)
    row = next(line for line in report.splitlines() if line.startswith(f"| {WRITER_BATCHES[-1][0]}–"))
    assert f"| {len(dev)} | {100 * dev_exact:.1f} % |" in row
    missed = sum(error_kinds(e.expected(), result.readings[e.id], e.shown)["movie missed, a card shown"] for e in dev)
    assert f"| movie missed, a card shown | {missed} |" in report


def test_the_tfidf_stance_answers_only_when_confident():
    from evaluation.stance_classifier import TfidfStance

    contexts = [f"{verdict} it {tail}" for verdict in ("loved", "hated") for tail in
                ("so much", "a lot", "tbh", "honestly", "really", "truly", "big time", "for real")]
    labels = ["liked" if c.startswith("loved") else "disliked" for c in contexts]
    classifier = TfidfStance(c=10.0, confidence=0.6).fit(contexts, labels)
    assert classifier("loved it so much") == "liked" and classifier("hated it tbh") == "disliked"
    assert TfidfStance(c=10.0, confidence=0.99).fit(contexts, labels)("it") is None  # no cue: not sure


def test_setfit_pairs_pair_each_sentence_with_its_label_and_another():
    from evaluation.setfit_stance import _held_out, contrastive_pairs

    labels = ["liked", "liked", "disliked", "seen", "seen", "seen"]
    pairs = contrastive_pairs(labels, iterations=3, rng=np.random.default_rng(0))
    assert len(pairs) == 2 * 3 * len(labels)
    assert all((labels[i] == labels[j]) == (target == 1.0) for i, j, target in pairs)
    assert {i for i, _, _ in pairs} == set(range(len(labels)))
    assert pairs != contrastive_pairs(labels, iterations=3, rng=np.random.default_rng(1))
    held = [_held_out(f"u{n:04d}") for n in range(1, 1001)]
    assert 150 < sum(held) < 250  # about one message in five is scored, the same ones every run


def test_the_title_checklist_finds_the_most_rated_titles_as_typed(latest):
    from evaluation.title_checklist import forms, run, table

    rows = {row["form"]: row for row in run(latest, [(0, 40)])}
    assert rows["lower case"]["sentences"] == 40 and rows["lower case"]["found"] >= 34  # 35 on 2026-12-05
    assert rows["one letter swapped"]["found"] >= 0.8 * rows["one letter swapped"]["sentences"]
    assert all(row["other film read"] <= 0.1 * row["sentences"] for row in rows.values())
    assert "| 0–40 | lower case | 40 |" in table(list(rows.values()))
    assert forms("Shawshank Redemption, The (1994)", __import__("random").Random(0))["lower case"] == "the shawshank redemption"
