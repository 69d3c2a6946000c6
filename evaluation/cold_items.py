"""Cold movies: how each model ranks movies it never saw in training (where item text should help).

Usage::

    python -m evaluation.cold_items [--dataset ml-latest-small] [--fraction 0.1] [--seed 0]
                                    [--epochs 8] [--shift-weight 16] [--out docs/results/cold-items.md]

From the protocol's leave-last-out split, a random ``fraction`` of the movies that are someone's
test item becomes *cold*: every interaction with them is removed from the fitting data and from the
input histories. The users whose test item is cold are then ranked, full catalog with the history
masked, by ``driftrec`` (item vectors from the leak-free item text, :mod:`evaluation.item_text`),
``driftrec-ids`` (ids only: a cold movie keeps its random initial vector) and MostPop, all with the
same fixed settings (no tuning: validation items could be cold too). Two figures per model:
HR/NDCG@10 over the whole catalog, and HR@10 among the cold movies only (the target's rank among
them; random picking gets 10 / number of cold movies), which separates "can the model place a movie
it never saw at all" from "does it beat the popular movies".
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluation.item_text import leak_free_text_vectors
from evaluation.metrics import accuracy_metrics, hit_rate, target_ranks
from evaluation.models import get_model_class
from evaluation.models.tracker import DriftrecTracker
from evaluation.protocol import Histories, Split, split_leave_last_out
from evaluation.runner import rank_histories
from retrieval.fileio import atomic_write
from retrieval.movielens import TAGS_FILE, load_dataset
from retrieval.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ColdSplit:
    """The fitting data without the cold movies, and the users whose test item is cold."""

    fit: pd.DataFrame
    histories: Histories
    targets: np.ndarray  # catalog position of each user's (cold) test item
    cold: np.ndarray  # catalog positions of the cold movies, ascending


def cold_split(split: Split, fraction: float, seed: int) -> ColdSplit:
    """Make a random ``fraction`` of the test items cold (see the module docstring)."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
    test = split.targets("test")
    candidates = np.unique(test["item"].to_numpy())
    size = max(1, round(fraction * len(candidates)))
    cold = np.sort(np.random.default_rng(seed).choice(candidates, size=size, replace=False))
    fit = split.fit_data("test")
    fit = fit[~np.isin(fit["item"].to_numpy(), cold)].reset_index(drop=True)
    users = test.loc[np.isin(test["item"].to_numpy(), cold), "user_id"].to_numpy()
    return ColdSplit(fit, Histories.from_frame(fit, users), split.target_items("test", users), cold)


def cold_rank(scores: np.ndarray, targets: np.ndarray, cold: np.ndarray) -> np.ndarray:
    """1-based rank of each row's target among the cold movies only (ties counted against it)."""
    among = scores[:, cold]
    target_scores = scores[np.arange(len(targets)), targets][:, None]
    return (among >= target_scores).sum(axis=1)  # the target itself is one of them


def evaluate(model_name: str, split: Split, cold: ColdSplit, params: dict[str, Any], seed: int) -> dict[str, float]:
    """Fit ``model_name`` on the data without the cold movies; both figures for the cold users."""
    model = get_model_class(model_name)(**params, seed=seed)
    try:
        model.fit(cold.fit, split.catalog, None)
        lists, _ = rank_histories(model, cold.histories, split.n_items)
        scores = model.score(cold.histories)
    finally:
        model.close()
    result = accuracy_metrics(target_ranks(lists, cold.targets), (10,))
    result["cold_hr@10"] = hit_rate(cold_rank(scores, cold.targets, cold.cold), 10)
    return result


def run(dataset: str, data_dir: Path, fraction: float, seed: int, epochs: int, shift_weight: float) -> dict[str, Any]:
    settings = load_settings(dataset=dataset, data_dir=data_dir)
    data = load_dataset(dataset, data_dir, with_tags=False)
    split = split_leave_last_out(data.catalog, data.interactions)
    cold = cold_split(split, fraction, seed)
    if (settings.dataset_dir / TAGS_FILE).is_file():
        DriftrecTracker.text_vectors, _ = leak_free_text_vectors(settings, split)
    else:
        from evaluation.models.tracker import use_text_encoder

        use_text_encoder(settings)
    tracker_params = {"dim": 64, "epochs": epochs, "shift_weight": shift_weight}
    rows = {name: evaluate(name, split, cold, tracker_params if name.startswith("driftrec") else {}, seed)
            for name in ("driftrec", "driftrec-ids", "mostpop")}
    return {"dataset": dataset, "fraction": fraction, "seed": seed, "cold_movies": int(len(cold.cold)),
            "cold_users": int(len(cold.targets)), "fit_rows": int(len(cold.fit)), "params": tracker_params,
            "random_cold_hr@10": min(1.0, 10 / len(cold.cold)), "models": rows}


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Cold movies: ranking movies never seen in training",
        "",
        "`python -m evaluation.cold_items`: a random share of the test items is removed from all fitting data",
        "and input histories; the users whose test item is one of them are ranked (full catalog, history",
        "masked). Same fixed settings for both trackers. Cold HR@10: the target's rank among the cold movies",
        "only (random picking: 10 / cold movies).",
        "",
        "| data | cold movies | users | model | HR@10 | NDCG@10 | cold HR@10 | random cold HR@10 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for name, row in result["models"].items():
            lines.append(f"| {result['dataset']} | {result['cold_movies']} | {result['cold_users']} | {name} | "
                         f"{row['hr@10']:.4f} | {row['ndcg@10']:.4f} | {row['cold_hr@10']:.4f} | "
                         f"{result['random_cold_hr@10']:.4f} |")
    params = results[0]["params"] if results else {}
    lines += ["", f"Trackers: {params}, seed {results[0]['seed'] if results else 0}; MostPop as the popularity floor."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", help="Release (repeatable) [ml-latest-small and ml-100k].")
    parser.add_argument("--data-dir", type=Path, default=None, help="MovieLens folders [env DRIFTREC_DATA_DIR].")
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--shift-weight", type=float, default=16.0)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "results" / "cold-items.md")
    arguments = parser.parse_args(argv)
    data_dir = arguments.data_dir or Path(os.environ.get("DRIFTREC_DATA_DIR") or REPO.parent / "shared" / "data")
    results = []
    for dataset in arguments.dataset or ["ml-latest-small", "ml-100k"]:
        result = run(dataset, data_dir, arguments.fraction, arguments.seed, arguments.epochs, arguments.shift_weight)
        print(result, flush=True)
        results.append(result)
    text = markdown(results)
    atomic_write(arguments.out, lambda handle: handle.write(text.encode("utf-8")))
    atomic_write(arguments.out.with_suffix(".json"), lambda handle: handle.write(json.dumps(results, indent=2).encode()))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
