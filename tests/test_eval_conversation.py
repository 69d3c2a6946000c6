"""The conversation benchmark: a fair template user, the agent's feedback path, Recall@10 per turn."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from agent.understand import CatalogVocabulary, parse_message
from evaluation.conversation import (
    GENRE_WORDS,
    TEMPLATES,
    TURNS,
    MovieFacts,
    PhrasedUser,
    TemplateUser,
    conversation_users,
    decade_words,
    recall_at_turns,
    run_conversation,
    write_conversation_report,
)
from evaluation.protocol import split_leave_last_out
from tracking.grounding import genre_slug


@pytest.fixture(scope="module")
def facts_and_vocab(ml100k):
    """MovieFacts and the vocabulary of ml-100k without a trained model (the user needs neither)."""
    vocab = CatalogVocabulary.from_catalog("ml-100k", ml100k.catalog, ml100k.interactions)
    facts = MovieFacts.from_movies(ml100k.catalog.movies, ml100k.catalog.genre_vocabulary)
    assert "unknown" not in facts.nameable and "Children's" in facts.nameable
    return facts, vocab


def test_user_sample_is_fixed(ml100k):
    split = split_leave_last_out(ml100k.catalog, ml100k.interactions)
    first, again = conversation_users(split), conversation_users(split)
    assert len(first) == 200 and np.array_equal(first, again) and np.all(np.diff(first) > 0)
    assert not np.array_equal(first, conversation_users(split, seed=1))


def test_recall_at_turns():
    hits = np.array([[0, 1, 1, 1], [0, 0, 0, 1], [1, 0, 1, 1], [0, 0, 0, 0]], dtype=bool)
    assert recall_at_turns(hits) == {"recall@10_t0": 0.25, "recall@10_t1": 0.25, "recall@10_t2": 0.5, "recall@10_t3": 0.75}


def test_decade_words():
    assert decade_words(1995) == ("1990-1999", "90s")
    assert decade_words(1933) == ("1930-1939", "30s")
    assert decade_words(1922) == ("1920-1929", "1920s")
    assert decade_words(2004) == ("2000-2009", "2000s")


@pytest.mark.parametrize("policy", ["informative", "random"])
def test_template_user_is_fair(facts_and_vocab, policy):
    """Every piece of feedback comes from the target's attributes, names no title, and is one piece."""
    facts, vocab = facts_and_vocab
    rng = np.random.default_rng(0)
    ids = np.array(sorted(facts.genres))
    for target in rng.choice(ids, size=40, replace=False).tolist():
        user = TemplateUser(target, facts, np.random.default_rng(target), policy)
        for _ in range(3):
            shown = rng.choice(ids[ids != target], size=10, replace=False).tolist()
            feedback = user.react(shown)
            if feedback.kind == "has_genre":
                assert feedback.value in facts.genres[target]
            elif feedback.kind == "lacks_genre":
                assert feedback.value not in facts.genres[target]
                assert any(feedback.value in facts.genres[m] for m in shown)
            elif feedback.kind == "decade":
                first = int(str(feedback.value)[:4])
                assert first <= facts.years[target] <= first + 9
            else:
                assert feedback.value in shown and feedback.value != target
            assert vocab.label(target).rsplit(" (", 1)[0].lower() not in feedback.text.lower()
            assert str(target) not in feedback.text


def test_informative_user_says_what_the_list_lacks(facts_and_vocab):
    facts, _ = facts_and_vocab
    target = 1  # Toy Story (1995): Animation, Children's, Comedy
    shown = [m for m, g in facts.genres.items() if g == frozenset({"Horror"}) and facts.years[m] == 1995][:10]
    user = TemplateUser(target, facts, np.random.default_rng(0), "informative")
    said = [user.react(shown) for _ in range(5)]
    # A list of 1995 horror films lacks all three of its genres and has one it lacks; its decade is right.
    assert sorted(f.kind for f in said[:4]) == ["has_genre"] * 3 + ["lacks_genre"]
    assert said[3].kind != "decade" and said[4].kind == "reject"


@pytest.mark.parametrize("kind", ["has_genre", "lacks_genre"])
def test_parser_reads_every_genre_phrase_of_the_template_user(facts_and_vocab, latest_vocab, kind):
    """The simulated user's words reach the tracker as meant, on both data sets' vocabularies."""
    for vocab in (facts_and_vocab[1], latest_vocab):
        for genre in vocab.genres:
            slug = genre_slug(genre)
            if slug not in GENRE_WORDS:
                continue
            for template in TEMPLATES[kind]:
                for words in GENRE_WORDS[slug]:
                    intent = parse_message(template.format(words), vocab)
                    expected = ("more_genres" if kind == "has_genre" else "less_genres", [genre])
                    assert getattr(intent, expected[0]) == expected[1], (template.format(words), intent)


@pytest.fixture(scope="module")
def latest_vocab(small):
    return CatalogVocabulary.from_catalog("ml-latest-small", small.catalog, small.interactions)


@pytest.mark.parametrize("year", [1926, 1933, 1968, 1977, 1985, 1999, 2004, 2013])
def test_parser_reads_every_decade_phrase(latest_vocab, year):
    decade, spoken = decade_words(year)
    for template in TEMPLATES["decade"]:
        assert parse_message(template.format(spoken), latest_vocab).years == decade, template.format(spoken)


@pytest.mark.parametrize("position", range(10))
def test_parser_reads_every_rejection(latest_vocab, position):
    shown = latest_vocab.movie_ids[:10].tolist()
    templates = TEMPLATES["reject_first"] if position == 0 else TEMPLATES["reject"]
    ordinal = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")[position]
    for template in templates:
        intent = parse_message(template.format(ordinal), latest_vocab, shown)
        assert intent.not_interested == [shown[position]] and not intent.rejects_list, template


def test_phrased_user_keeps_the_choice_and_never_names_the_target(facts_and_vocab):
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    facts, _ = facts_and_vocab
    shown = [m for m, g in facts.genres.items() if g == frozenset({"Horror"})][:10]
    replies = ["Honestly, I could go for something funny.", "Toy Story would be perfect!", "   "]
    model = GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))
    user = PhrasedUser(TemplateUser(1, facts, np.random.default_rng(0), "informative"), model, "Toy Story")
    first, second, third = (user.react(shown) for _ in range(3))
    assert first.text == replies[0] and first.kind in ("has_genre", "lacks_genre")
    assert "toy story" not in second.text.lower() and second.text in _all_template_texts()
    assert third.text in _all_template_texts() and user.fallbacks == [2]


def _all_template_texts() -> set[str]:
    words = [w for phrases in GENRE_WORDS.values() for w in phrases]
    texts = {t.format(w) for kind in ("has_genre", "lacks_genre") for t in TEMPLATES[kind] for w in words}
    texts |= {t.format(o) for t in TEMPLATES["reject"] for o in ("second", "third", "fourth")} | set(TEMPLATES["reject_first"])
    return texts | {t.format(decade_words(y)[1]) for t in TEMPLATES["decade"] for y in range(1920, 2020, 10)}


@pytest.mark.slow
def test_quick_conversation_benchmark(trained_home, tmp_path: Path):
    """30 users through understand → intent_events → Tracker.record → recommend on ml-100k.

    The fixture's model saw every rating (the real benchmark fits on the test stage's fit data), so
    this checks the mechanics and that feedback helps, not the published figures.
    """
    from tracking.scoring import ScoringTables
    from tracking.train import tables_path

    tables = ScoringTables.load(tables_path(trained_home))
    result = run_conversation(trained_home, n_users=30, tables=tables, progress=False)
    recalls = [result[f"recall@10_t{t}"] for t in TURNS]
    assert result["users"] == 30 and result["variant"] == "parser" and result["target_named"] == 0
    assert sum(result["feedback_kinds"].values()) == 30 * 3
    assert recalls[3] > recalls[0] and result["found_by"]["t3"] >= recalls[3]
    assert result["turns_without_events"] == 0 and result["turns_changed_by_model"] is None
    example = result["examples"][0]["turns"]
    assert len(example) == 3 and all(turn["events"] >= 1 and turn["understood"].startswith("Noted:") for turn in example)
    payload = write_conversation_report(result, tmp_path)
    random_user = run_conversation(trained_home, n_users=30, tables=tables, policy="random", progress=False)
    payload = write_conversation_report(random_user, tmp_path)
    assert len(payload["runs"]) == 2 == len(json.loads((tmp_path / "results.json").read_text())["runs"])
    table = (tmp_path / "results.md").read_text()
    assert "| ml-100k | parser | informative | 30 |" in table and "| ml-100k | parser | random | 30 |" in table
    assert (tmp_path / "recall.png").stat().st_size > 10_000


def test_cli_rejects_an_unknown_user_policy(capsys, monkeypatch, data_dir: Path):
    from ui.cli import main

    monkeypatch.setattr(sys, "argv", ["driftrec", "eval", "--conversation", "--user-policy", "chatty",
                                      "--dataset", "ml-100k", "--data-dir", str(data_dir)])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 2 and "--user-policy 'chatty'" in capsys.readouterr().err
