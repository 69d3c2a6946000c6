"""Training speed of the interest model beside the machine's own GEMM floor, measured in the same run.

Usage::

    python -m evaluation.train_speed [--datasets ml-100k,ml-latest-small] [--softmax full,sampled]
                                     [--threads 1,2] [--epochs 2] [--load 0] [--out docs/results/train-speed.md]

Each configuration trains ``--epochs`` epochs in its own process (so peak memory and the thread
setting are its own) and reports seconds per epoch, training positions per second and peak
resident memory. Beside it, the **floor**: the time the same process takes for the logits GEMMs
alone at the same shapes (forward ``B × (d+1) · (d+1) × C`` and the two backward products, C the
catalog for the full softmax or the ``negatives`` for the sampled one, whose rows' own targets are
row-wise dots), probed between its batches every ``FLOOR_PROBE_EVERY`` so that both are measured over
the same minutes of a machine whose speed moves, times the batches of an epoch. ``share of floor`` = floor / epoch time: how much of an epoch is the unavoidable
arithmetic. ``--load N`` keeps N busy processes running during the measurements, to see how each
thread count holds up on a shared machine.

The text-encoder vectors are random of the encoder's width (384): the cost does not depend on
their values, and no index is needed. Results: a Markdown table and a JSON file beside it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TEXT_WIDTH = 384


def measure(dataset: str, softmax: str, threads: int, epochs: int, data_dir: Path, dim: int = 64,
            max_batches: int | None = None, history_sample: str = "auto", text_width: str = "auto", batch_size: str = "auto",
            text_table: str = "on") -> dict[str, Any]:
    """One configuration, in this process: train ``epochs`` epochs (or ``max_batches`` batches of
    each, the epoch time then extrapolated), then time the GEMM floor. ``text_table`` "off" makes
    the long-term text part a sparse product every batch instead of a lookup in the table that
    :func:`~tracking.model.prefix_text_means` computes once (to measure what the table saves; the sampled
    softmax only: the full softmax folds the text into its input tables and builds no table)."""
    import numpy as np
    import torch

    import tracking.model
    from retrieval.movielens import load_dataset
    from tracking.model import TrackerConfig, _training_positions, fit_interest_model, logits_gemm_seconds
    from tracking.train import hold_out_last, user_sequences

    torch.set_num_threads(threads)
    loaded = time.perf_counter()
    data = load_dataset(dataset, data_dir)
    movie_ids = np.sort(data.catalog.movie_ids)
    sequences, _ = user_sequences(data, movie_ids)
    train, _, _ = hold_out_last(sequences)
    text = np.random.default_rng(0).standard_normal((len(movie_ids), TEXT_WIDTH)).astype(np.float32)
    auto_or_int = lambda value: value if value == "auto" else int(value)  # noqa: E731
    config = TrackerConfig(dim=dim, epochs=epochs, softmax=softmax, history_sample=auto_or_int(history_sample),
                           text_width=auto_or_int(text_width), batch_size=auto_or_int(batch_size))
    batch_rows = config.batch_size_for(len(movie_ids))
    if text_table == "off":
        tracking.model.PREFIX_TEXT_MAX_BYTES = 0  # this child process only
    began = time.perf_counter()
    _, report = fit_interest_model(train, len(movie_ids), text, config, validate=None, progress=False,
                                   max_batches=max_batches)
    positions = len(_training_positions(train, config.max_positions_per_user)[0])
    batches_per_epoch = -(-positions // batch_rows)
    timed = min(batches_per_epoch, max_batches or batches_per_epoch)
    epoch_s = sum(report.spent.values()) / epochs * batches_per_epoch / timed
    load_s = began - loaded
    columns = config.logits_columns(len(movie_ids))
    # probed between the batches (the same minutes' machine); once now only when no probe was due
    gemm_s = report.floor_batch_seconds or logits_gemm_seconds(batch_rows, dim + 1, columns)
    gflops = 3 * 2 * batch_rows * (dim + 1) * columns / gemm_s / 1e9
    return {
        "dataset": dataset, "softmax": softmax, "threads": threads, "epochs": epochs, "movies": len(movie_ids),
        "history_sample": config.history_sample_for(len(movie_ids)), "text_table_s": report.text_table_seconds,
        "text_width": config.text_width_for(len(movie_ids), TEXT_WIDTH), "batch_size": batch_rows,
        "positions": positions, "epoch_s": epoch_s, "positions_per_s": positions / epoch_s,
        "floor_s": gemm_s * batches_per_epoch, "share_of_floor": gemm_s * batches_per_epoch / epoch_s, "gemm_gflops": gflops,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "spent_share": {part: seconds / sum(report.spent.values()) for part, seconds in report.spent.items()},
        "extrapolated_from_batches": timed if timed < batches_per_epoch else None,
        "prepare_s": load_s,
    }


def _busy() -> None:
    while True:
        pass


def run(datasets: list[str], softmaxes: list[str], threads: list[int], epochs: int, load: int,
        data_dir: Path, max_batches: int | None = None, history_samples: tuple[str, ...] = ("auto",),
        text_widths: tuple[str, ...] = ("auto",), batch_sizes: tuple[str, ...] = ("auto",),
        text_tables: tuple[str, ...] = ("on",)) -> list[dict[str, Any]]:
    """Every configuration in a child process, with ``load`` busy processes running meanwhile."""
    workers = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(load)]
    for worker in workers:
        worker.start()
    rows = []
    try:
        for dataset in datasets:
            for softmax, count, history, width, rows_per_batch, table in itertools.product(
                    softmaxes, threads, history_samples, text_widths, batch_sizes, text_tables):
                command = [sys.executable, "-m", "evaluation.train_speed", "--one", dataset, softmax, str(count),
                           "--epochs", str(epochs), "--data-dir", str(data_dir), "--history-samples", history,
                           "--text-widths", width, "--batch-sizes", rows_per_batch, "--text-tables", table,
                           *(["--max-batches", str(max_batches)] if max_batches else [])]
                out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO,
                                     env={**os.environ, "OMP_NUM_THREADS": str(count)})
                row = json.loads(out.stdout.strip().splitlines()[-1])
                row["load"] = load
                rows.append(row)
                print(_line(row), flush=True)
    finally:
        for worker in workers:
            worker.terminate()
    return rows


def _line(row: dict[str, Any]) -> str:
    estimate = f" (from {row['extrapolated_from_batches']} batches)" if row.get("extrapolated_from_batches") else ""
    history = f"drawn {row['history_sample']}" if row.get("history_sample") else "exact"
    if row.get("text_table_s") is not None:
        history += f", text table ({row['text_table_s']:.1f} s once)"
    return (f"| {row['dataset']} | {row['softmax']} | {history} | {row.get('text_width', TEXT_WIDTH)} | {row.get('batch_size', 512):,} | {row['threads']} | {row['load']} | {row['movies']:,} | "
            f"{row['positions']:,} | {row['epoch_s']:.1f}{estimate} | {row['positions_per_s']:,.0f} | {row['floor_s']:.1f} | "
            f"{row['share_of_floor']:.0%} | {row['gemm_gflops']:.0f} | {row['peak_rss_mb']:,.0f} | "
            + " / ".join(f"{row['spent_share'].get(part, 0):.0%}" for part in PARTS) + " |")


PARTS = ("batch inputs", "forward", "backward", "optimiser")


HEADER = ("| data | softmax | long-term mean | text width | batch | threads | busy processes | movies | positions / epoch | s / epoch | positions / s | "
          "GEMM floor s / epoch | share of floor | GEMM GFLOP/s | peak MB | time: inputs / forward / backward / optimiser |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def write(rows: list[dict[str, Any]], out: Path) -> None:
    load = os.getloadavg()
    text = "\n".join([
        "# Training speed", "",
        "`python -m evaluation.train_speed`: each row trains its epochs in its own process; the floor is the "
        "logits GEMMs alone at the same shapes, timed in that process between its batches (see the module docstring).", "",
        HEADER, *(_line(row) for row in rows), "",
        f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, load average "
        f"{load[0]:.2f} at the end; dim 64, 2,048 sampled negatives.", "",
    ])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    out.with_suffix(".json").write_text(json.dumps(rows, indent=2))


def main(argv: list[str] | None = None) -> int:
    from evaluation.bench import default_data_dir

    parser = argparse.ArgumentParser(prog="python -m evaluation.train_speed", description=__doc__.split("\n")[0])
    parser.add_argument("--one", nargs=3, metavar=("DATASET", "SOFTMAX", "THREADS"), help=argparse.SUPPRESS)
    parser.add_argument("--datasets", default="ml-100k,ml-latest-small")
    parser.add_argument("--softmax", default="full,sampled")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--load", type=int, default=0, help="busy processes running during the measurements")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--max-batches", type=int, default=None,
                        help="time this many batches of each epoch and extrapolate (large releases)")
    parser.add_argument("--history-samples", default="auto",
                        help="training rows' long-term mean, comma-separated: auto, 0 (exact) or movies drawn per row")
    parser.add_argument("--text-widths", default="auto",
                        help="text coordinates the model keeps, comma-separated: auto, 0 (all 384) or a number")
    parser.add_argument("--batch-sizes", default="auto",
                        help="rows per batch, comma-separated: auto (by catalog size) or a number")
    parser.add_argument("--text-tables", default="on",
                        help="the long-term text part, comma-separated: on (a table computed once, where it is used) "
                             "or off (a sparse product every batch)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "results" / "train-speed.md")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    if args.one:
        dataset, softmax, threads = args.one
        print(json.dumps(measure(dataset, softmax, int(threads), args.epochs, data_dir, max_batches=args.max_batches,
                                 history_sample=args.history_samples, text_width=args.text_widths,
                                 batch_size=args.batch_sizes, text_table=args.text_tables)))
        return 0
    print(HEADER)
    rows = run(args.datasets.split(","), args.softmax.split(","), [int(t) for t in args.threads.split(",")],
               args.epochs, args.load, data_dir, args.max_batches, tuple(args.history_samples.split(",")),
               tuple(args.text_widths.split(",")), tuple(args.batch_sizes.split(",")), tuple(args.text_tables.split(",")))
    write(rows, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
