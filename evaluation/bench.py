"""``make bench``: the full comparison on ml-latest-small and ml-100k, written to ``docs/results/``.

Usage::

    python -m evaluation.bench [--data-dir DIR] [--out docs/results] [--datasets a,b] [--models a,b]
                               [--seeds 3] [--quick] [--summary-only]

The data sets can run as separate processes (one ``--datasets`` each, e.g. one per core), followed
by ``--summary-only`` to write the README from their ``results.json`` files.

Each data set gets its own folder (``results.json``, ``results.md``, ``ndcg10.png``,
``adaptation.png``); ``README.md`` in the output folder gathers both tables and a comparison with the
protocol's reference figures.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from evaluation.item_text import needs_item_text, use_eval_text
from evaluation.models import DEFAULT_MODELS
from evaluation.reference import DRIFT_SUBSET_USERS, comparison_table
from evaluation.report import markdown_table
from evaluation.runner import load_results, run_evaluation
from retrieval.settings import load_settings

REPO = Path(__file__).resolve().parents[1]
DATASETS = ("ml-latest-small", "ml-100k")


def default_data_dir() -> Path:
    """``$DRIFTREC_DATA_DIR``, else ``../shared/data`` beside the repository."""
    configured = os.environ.get("DRIFTREC_DATA_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "data"


def summary(all_results: list[dict]) -> str:
    """The README of the results folder: one table per data set, then ours against the reference."""
    parts = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m evaluation.bench`) under `shared/PROTOCOL.md`: leave-last-out "
        "split by time with the sha256 tie-break, full-catalog ranking without history items, every "
        "model tuned on the validation item only and refit on train + validation for the test figures. "
        "Each folder holds `results.json` (every seed, every tuning trial), `results.md` and the plots.",
        "",
    ]
    for results in all_results:
        dataset = results["dataset"]
        parts += [
            f"## {dataset}",
            "",
            f"{results['users']} users, catalog {results['catalog_size']}, drift subset "
            f"{results['drift_subset_users']} users (reference: {DRIFT_SUBSET_USERS.get(dataset, '-')}), "
            f"seeds {results['seeds']}{', quick sample' if results['quick'] else ''}. ILD over {results['item_vectors']}.",
            "",
            markdown_table(results),
            "",
            f"![NDCG@10]({dataset}/ndcg10.png) ![adaptation]({dataset}/adaptation.png)",
            "",
            "Against the protocol's reference figures (ours / reference):",
            "",
            comparison_table(results),
            "",
        ]
        if results.get("skipped"):
            parts += [f"Skipped: {', '.join(f'{k} ({v})' for k, v in results['skipped'].items())}", ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "results")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--models", default=None, help="comma-separated; default: all peers")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--summary-only", action="store_true",
        help="only rebuild README.md from the results.json files already in --out",
    )
    args = parser.parse_args(argv)
    models = args.models.split(",") if args.models else None
    all_results = []
    for dataset in args.datasets.split(","):
        if args.summary_only:
            all_results.append(load_results(args.out / dataset / "results.json"))
            continue
        item_text = None
        if needs_item_text(models or DEFAULT_MODELS):
            item_text = use_eval_text(load_settings(data_dir=args.data_dir, dataset=dataset))
        all_results.append(
            run_evaluation(dataset, args.data_dir, models, args.seeds, args.quick, args.out / dataset, item_text=item_text)
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "README.md").write_text(summary(all_results))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
