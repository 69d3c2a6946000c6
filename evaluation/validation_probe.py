"""Validation-only probes: driftrec variants fitted and read on the protocol's validation item alone.

Usage::

    python -m evaluation.validation_probe --dataset ml-100k --seeds 0,1 \\
        --variants '{"full": {}, "sampled": {"softmax": "sampled"}, "sampled-512": {"softmax": "sampled", "batch_size": 512, "lr": 0.002}}'

For settings the protocol does not choose itself (learning rate, batch, negatives, dropout, width…): each
variant is the tracker (``--model``: ``driftrec`` or ``driftrec-ids``) with those
:class:`~tracking.model.TrackerConfig` settings (``dim`` 64 unless given), fitted on the training part
with its epochs and genre-shift weight chosen on the validation item as ``driftrec eval`` does, then
read on that validation item: NDCG@10 and HR@10 per seed and their mean. The test item is never
read, so a choice made here can still be reported on it honestly. ``--protocol llamarec`` probes the
LlamaRec paper's split instead.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.metrics import hit_rate, ndcg
from evaluation.models.tracker import DriftrecIds, DriftrecTracker
from evaluation.protocol import SPLITS
from evaluation.runner import build_context, thread_limits, validation_ranks

MODELS = {"driftrec": DriftrecTracker, "driftrec-ids": DriftrecIds}
DEFAULT_PARAMS = {"dim": 64}


def probe(dataset: str, data_dir: Path, variants: dict[str, dict[str, Any]], seeds: list[int],
          model: str = "driftrec", protocol: str = "default", threads: int = 1) -> list[dict[str, Any]]:
    """Fit every variant for every seed on the training part; each one's validation NDCG@10 and HR@10."""
    from evaluation.item_text import use_eval_text
    from retrieval.settings import load_settings

    if model not in MODELS:
        raise ValueError(f"--model {model!r}: expected one of {', '.join(MODELS)}")
    if model == "driftrec":
        use_eval_text(load_settings(dataset=dataset, data_dir=data_dir), progress=False, protocol=protocol)
    rows = []
    with thread_limits(threads):
        ctx = build_context(dataset, data_dir, False, None, None, protocol)
        for seed in seeds:
            for name, settings in variants.items():
                fitted = MODELS[model](seed=seed, **{**DEFAULT_PARAMS, **settings})
                try:
                    began = time.perf_counter()
                    ranks, _ = validation_ranks(fitted, ctx)
                    rows.append({"variant": name, "seed": seed, "settings": settings, "tuned": fitted.tuned_params(),
                                 "valid_ndcg@10": ndcg(ranks, 10), "valid_hr@10": hit_rate(ranks, 10),
                                 "seconds": time.perf_counter() - began})
                finally:
                    fitted.close()
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: each variant's validation NDCG@10 by seed and mean, HR@10 mean, epochs chosen."""
    lines = ["| variant | settings | validation NDCG@10 by seed | mean | validation HR@10 (mean) | epochs chosen |",
             "|---|---|---|---|---|---|"]
    for name in dict.fromkeys(row["variant"] for row in rows):
        mine = [row for row in rows if row["variant"] == name]
        by_seed = " / ".join(f"{row['valid_ndcg@10']:.4f}" for row in mine)
        epochs = " / ".join(str(row["tuned"].get("epochs", "–")) for row in mine)
        lines.append(f"| {name} | `{json.dumps(mine[0]['settings'])}` | {by_seed} | "
                     f"{np.mean([r['valid_ndcg@10'] for r in mine]):.4f} | {np.mean([r['valid_hr@10'] for r in mine]):.4f} | {epochs} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="ml-100k")
    parser.add_argument("--data-dir", type=Path, default=None, help="MovieLens folders (default: the settings' data_dir)")
    parser.add_argument("--variants", required=True, help='JSON: {"name": {TrackerConfig settings}, ...}')
    parser.add_argument("--seeds", default="0,1", help="comma-separated")
    parser.add_argument("--model", default="driftrec", choices=sorted(MODELS))
    parser.add_argument("--protocol", default="default", choices=sorted(SPLITS))
    parser.add_argument("--threads", type=int, default=1, help="torch and BLAS threads (driftrec eval's default: 1)")
    parser.add_argument("--out", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    try:
        variants = json.loads(args.variants)
    except json.JSONDecodeError as error:
        parser.error(f"--variants is not JSON ({error}); e.g. '{{\"full\": {{}}, \"sampled\": {{\"softmax\": \"sampled\"}}}}'")
    if not isinstance(variants, dict) or not all(isinstance(v, dict) for v in variants.values()):
        parser.error('--variants must map each name to an object of settings, e.g. \'{"full": {}}\'')
    if args.data_dir is None:
        from retrieval.settings import load_settings

        args.data_dir = load_settings(dataset=args.dataset).data_dir
    rows = probe(args.dataset, args.data_dir, variants, [int(s) for s in args.seeds.split(",")], args.model,
                 args.protocol, args.threads)
    print(table(rows))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
