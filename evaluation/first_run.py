"""How long a new user waits on a first `make run` after the install: every step timed, in a fresh home.

Usage::

    python -m evaluation.first_run [--dataset ml-latest-small] [--out docs/results/first-run.md]

Runs what ``make run`` runs after ``make install`` — ``driftrec index``, the steps
``python -m ui.readiness`` prints (a quick ``train --time-budget 60``, ``ingest``) and ``driftrec
ui`` — in a new temporary home (the MovieLens copy is read from ``--data-dir``, as the product reads
it after ``data fetch``), and stops the clock when the app answers over HTTP. The app is then left
running for ``--watch`` seconds to time the background training and the switch to the full model.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _driftrec(*args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *args]


def time_first_run(dataset: str, data_dir: Path, watch_s: float) -> list[tuple[str, float]]:
    """(step, seconds) of each step, then the total to a served app, then the background training."""
    from tracking.train import model_info, tables_path
    from retrieval.settings import load_settings

    steps: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="driftrec-first-run-") as home:
        env = {**os.environ, "DRIFTREC_HOME": home, "DRIFTREC_DATA_DIR": str(data_dir), "DRIFTREC_DATASET": dataset,
               "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
        began = time.perf_counter()

        def run(label: str, command: list[str]) -> str:
            start = time.perf_counter()
            out = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=True)
            steps.append((label, time.perf_counter() - start))
            return out.stdout

        run("driftrec index", _driftrec("index", "--json"))
        todo = run("python -m ui.readiness", [sys.executable, "-m", "ui.readiness"]).split("\n")
        for step in filter(None, (line.strip() for line in todo)):
            run(f"driftrec {step}", _driftrec(*step.split(), "--json"))
        port = _free_port()
        start = time.perf_counter()
        app = subprocess.Popen(_driftrec("ui", "--port", str(port), "--llm", "none"), env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if app.poll() is not None:
                    raise RuntimeError("driftrec ui exited before serving")
                time.sleep(0.5)
            steps.append(("driftrec ui until it answers", time.perf_counter() - start))
            steps.append(("total: first run to a served app", time.perf_counter() - began))
            settings = load_settings(home=home, data_dir=data_dir, dataset=dataset)
            served = time.perf_counter()
            while time.perf_counter() - served < watch_s and (model_info(settings) or {}).get("quick"):
                time.sleep(2)
            if not (model_info(settings) or {}).get("quick"):
                steps.append(("background: full model trained and written", time.perf_counter() - served))
                info = model_info(settings)
                steps.append((f"full model: {info['epochs_run']} epochs, validation NDCG@10 {info['validation_ndcg10']:.4f}", 0.0))
            else:
                steps.append((f"background training still running after {watch_s:.0f} s", time.perf_counter() - served))
            assert tables_path(settings).is_file()
        finally:
            app.terminate()
            app.wait(timeout=30)
    return steps


def main(argv: list[str] | None = None) -> int:
    from evaluation.bench import default_data_dir

    parser = argparse.ArgumentParser(prog="python -m evaluation.first_run", description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", default="ml-latest-small")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--watch", type=float, default=900.0, help="seconds to wait for the background training")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "results" / "first-run.md")
    args = parser.parse_args(argv)
    steps = time_first_run(args.dataset, args.data_dir or default_data_dir(), args.watch)
    load = os.getloadavg()
    lines = ["# First run after the install", "",
             f"`python -m evaluation.first_run --dataset {args.dataset}`: what `make run` runs after `make install`, "
             "in a fresh home, timed step by step (the data set already downloaded).", "",
             "| step | seconds |", "|---|---|", *(f"| {label} | {seconds:.1f} |" for label, seconds in steps), "",
             f"Machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} at the end.", ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
