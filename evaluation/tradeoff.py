"""The accuracy/retention trade-off of the tracker: scale its short-term part at scoring time.

Usage::

    python -m evaluation.tradeoff --dataset ml-100k [--epochs 8] [--shift-weight 4]
                                  [--scales 1,0.5,0.3,0.2,0.1,0] [--out FILE.md]

Trains the tracker once on the protocol's test-time fit data (no text vectors, so it runs without an
index), then scores the same model with the short-term part multiplied by each scale and prints
test NDCG@10, adaptation@3 and retention (``shared/PROTOCOL.md``), as a Markdown table. It answers
"how much accuracy does the tracker give up for each step of retention?" (docs/results/tracker-variants.md).
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from evaluation.bench import default_data_dir
from evaluation.drift import evaluate_shift
from evaluation.metrics import ndcg, target_ranks
from evaluation.models.tracker import DriftrecTracker
from evaluation.runner import _build_context, rank_histories


def sweep(dataset: str, data_dir: Path, epochs: int, shift_weight: float, scales: list[float]) -> list[dict[str, float]]:
    """One row per short-term scale: scale, NDCG@10, adaptation@3, retention."""
    ctx = _build_context(dataset, data_dir, quick=False, item_vectors=None, item_vectors_label=None)
    model = DriftrecTracker(seed=0, epochs=epochs, shift_weight=shift_weight, dim=64)
    model.fit(ctx.split.fit_data("test"), ctx.split.catalog, None)
    trained = model.tables_
    rows = []
    for scale in scales:
        model.tables_ = dataclasses.replace(trained, short_weight=scale)
        lists, _ = rank_histories(model, ctx.test_histories, ctx.split.n_items)
        shift = evaluate_shift(model, ctx.shift_cases, ctx.split.catalog.genre_matrix)
        rows.append({
            "short-term scale": scale,
            "NDCG@10": ndcg(target_ranks(lists, ctx.test_targets), 10),
            "adaptation@3": shift["adaptation@3"],
            "retention": shift["retention"],
        })
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="ml-100k")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--shift-weight", type=float, default=4.0)
    parser.add_argument("--scales", default="1,0.5,0.3,0.2,0.1,0")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rows = sweep(args.dataset, args.data_dir, args.epochs, args.shift_weight, [float(s) for s in args.scales.split(",")])
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(f"{row[h]:.4g}" if h == header[0] else f"{row[h]:.4f}" for h in header) + " |" for row in rows]
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n")


if __name__ == "__main__":
    main()
