"""The accuracy/retention trade-off of the tracker, beside the peers measured in the same run.

Usage::

    python -m evaluation.tradeoff --dataset ml-100k [--epochs 8] [--shift-weight 4]
                                  [--scales 1,0.5,0.3,0.2,0.1,0] [--blends 0] [--peers]
                                  [--out FILE.md] [--plot FILE.png]

Trains the tracker once on the protocol's test-time fit data (no text vectors, so it runs without an
index), then scores the same model at every point of a grid and prints test NDCG@10, HR@10,
adaptation@3 and retention (``shared/PROTOCOL.md``) as a Markdown table:

* ``--scales``: the short-term part multiplied by each scale at scoring time (variant 8 of
  ``docs/results/tracker-variants.md``);
* ``--blends``: the tracker's scores mixed with EASE's (a bag-of-items model, the peer with the best
  retention among the personalised ones), ``(1 − β)·z(tracker) + β·z(EASE)``, each z-scored per
  user over the catalog, EASE's λ tuned on the validation item (variant 9).

``--peers`` evaluates MostPop, ItemKNN, EASE, ALS and BPR (seed 0, tuned on validation) in the same
run, so the frontier plot (``--plot``: NDCG@10 against retention) sets every point beside them. It
answers "how much accuracy does the tracker give up for each step of retention, and does any point
reach a peer's retention without losing the accuracy lead?"
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.bench import default_data_dir
from evaluation.drift import evaluate_shift
from evaluation.metrics import hit_rate, ndcg, target_ranks
from evaluation.models import get_model_class
from evaluation.models.base import ModelUnavailableError
from evaluation.models.ease import EASE
from evaluation.models.tracker import DriftrecTracker
from evaluation.protocol import Histories
from evaluation.runner import EvalContext, build_context, _tune, evaluate_model, rank_histories
from retrieval.fileio import atomic_write

PEERS = ("mostpop", "itemknn", "ease", "als", "bpr")


def _standardised(scores: np.ndarray) -> np.ndarray:
    """Each row to mean 0, standard deviation 1, so two models' scores can be added."""
    scores = np.asarray(scores, dtype=np.float64)
    spread = scores.std(axis=1, keepdims=True)
    return (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)


@dataclasses.dataclass
class EaseBlend:
    """``(1 − beta)·z(tracker) + beta·z(EASE)`` over two fitted models (the evaluation's scoring interface)."""

    tracker: DriftrecTracker
    ease: EASE
    beta: float

    def _mix(self, tracker_scores: np.ndarray, ease_scores: np.ndarray) -> np.ndarray:
        mixed = (1.0 - self.beta) * _standardised(tracker_scores) + self.beta * _standardised(ease_scores)
        return mixed.astype(np.float32)

    def score(self, histories: Histories) -> np.ndarray:
        return self._mix(self.tracker.score(histories), self.ease.score(histories))

    def score_appended(self, histories: Histories, appended: Histories) -> np.ndarray:
        return self._mix(self.tracker.score_appended(histories, appended), self.ease.score_appended(histories, appended))


def _point(model: Any, ctx: EvalContext) -> dict[str, float]:
    lists, _ = rank_histories(model, ctx.test_histories, ctx.split.n_items)
    ranks = target_ranks(lists, ctx.test_targets)
    shift = evaluate_shift(model, ctx.shift_cases, ctx.split.catalog.genre_matrix)
    return {"NDCG@10": ndcg(ranks, 10), "HR@10": hit_rate(ranks, 10),
            "adaptation@3": shift["adaptation@3"], "retention": shift["retention"]}


def sweep(
    ctx: EvalContext, epochs: int, shift_weight: float, scales: list[float], blends: list[float]
) -> list[dict[str, float]]:
    """One row per (short-term scale, EASE weight β): NDCG@10, HR@10, adaptation@3, retention."""
    tracker = DriftrecTracker(seed=0, epochs=epochs, shift_weight=shift_weight, dim=64)
    tracker.fit(ctx.split.fit_data("test"), ctx.split.catalog, None)
    trained = tracker.tables_
    ease = None
    if any(blends):
        params, _, _ = _tune(EASE, ctx, seed=0, progress=False)
        ease = EASE(**params).fit(ctx.split.fit_data("test"), ctx.split.catalog, None)
    rows = []
    for scale in scales:
        tracker.tables_ = dataclasses.replace(trained, short_weight=scale)
        for beta in blends:
            model = EaseBlend(tracker, ease, beta) if beta else tracker
            rows.append({"short-term scale": scale, "EASE weight": beta, **_point(model, ctx)})
            print(_row_line(rows[-1]), flush=True)
    return rows


def peer_points(ctx: EvalContext, names: tuple[str, ...] = PEERS) -> list[dict[str, Any]]:
    """Each available peer, tuned on validation and tested on seed 0 in this run."""
    rows = []
    for name in names:
        try:
            model_class = get_model_class(name)
        except ModelUnavailableError as error:
            print(f"skipping {name}: {error}", flush=True)
            continue
        result = evaluate_model(model_class, ctx, seeds=[0], progress=False)["mean"]
        rows.append({"model": model_class.name, "NDCG@10": result["ndcg@10"], "HR@10": result["hr@10"],
                     "adaptation@3": result["adaptation@3"], "retention": result["retention"]})
        print(_row_line(rows[-1]), flush=True)
    return rows


def _row_line(row: dict[str, Any]) -> str:
    return "  ".join(f"{key} {value:.4f}" if isinstance(value, float) else f"{key} {value}" for key, value in row.items())


def markdown(dataset: str, rows: list[dict[str, float]], peers: list[dict[str, Any]], command: str) -> str:
    """The sweep and the peers as Markdown tables, with the command that produced them."""
    def table(records: list[dict[str, Any]]) -> list[str]:
        header = list(records[0])
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for record in records:
            cells = [f"{v:.4g}" if k in ("short-term scale", "EASE weight") else f"{v:.4f}" if isinstance(v, float) else str(v)
                     for k, v in record.items()]
            lines.append("| " + " | ".join(cells) + " |")
        return lines

    lines = [f"`{command}` ({dataset}, seed 0, all users)", "", *table(rows)]
    if peers:
        lines += ["", "Peers in the same run (seed 0, tuned on validation):", "", *table(peers)]
    return "\n".join(lines) + "\n"


def plot(dataset: str, rows: list[dict[str, float]], peers: list[dict[str, Any]], path: Path) -> None:
    """NDCG@10 against retention: one line per EASE weight through the short-term scales, peers as points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 5))
    for beta in sorted({row["EASE weight"] for row in rows}):
        points = [row for row in rows if row["EASE weight"] == beta]
        label = "driftrec, short-term scaled" if beta == 0 else f"driftrec + EASE, β = {beta:g}"
        axes.plot([p["retention"] for p in points], [p["NDCG@10"] for p in points], marker="o", label=label)
    for peer in peers:
        axes.scatter(peer["retention"], peer["NDCG@10"], marker="s", color="black")
        axes.annotate(peer["model"], (peer["retention"], peer["NDCG@10"]), textcoords="offset points", xytext=(5, 3))
    axes.set_xlabel("retention (share of the original top 10 back after the return)")
    axes.set_ylabel("test NDCG@10")
    axes.set_title(f"{dataset}: accuracy against retention")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda handle: figure.savefig(handle, format="png", dpi=110))
    plt.close(figure)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="ml-100k")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--shift-weight", type=float, default=4.0)
    parser.add_argument("--scales", default="1,0.5,0.3,0.2,0.1,0")
    parser.add_argument("--blends", default="0", help="EASE weights β, comma-separated (0: the tracker alone).")
    parser.add_argument("--peers", action="store_true", help="Also evaluate MostPop, ItemKNN, EASE, ALS, BPR in this run.")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--plot", type=Path)
    args = parser.parse_args(argv)
    command = "python -m evaluation.tradeoff " + " ".join(argv if argv is not None else sys.argv[1:])
    ctx = build_context(args.dataset, args.data_dir, quick=False, item_vectors=None, item_vectors_label=None)
    peers = peer_points(ctx) if args.peers else []
    rows = sweep(ctx, args.epochs, args.shift_weight, _floats(args.scales), _floats(args.blends))
    text = markdown(args.dataset, rows, peers, command.strip())
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(args.out, lambda handle: handle.write(text.encode("utf-8")))
    if args.plot:
        plot(args.dataset, rows, peers, args.plot)


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


if __name__ == "__main__":
    main()
