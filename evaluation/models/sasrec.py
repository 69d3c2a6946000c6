"""SASRec (Kang & McAuley 2018) with full-softmax cross-entropy, trained by RecTools.

RecTools cannot share the product's environment (it needs numpy < 2 and pandas < 3), so this class
is a proxy: it runs :mod:`evaluation.models.sasrec_worker` under the benchmark environment's Python
and exchanges arrays with it through ``.npz`` files. Set ``DRIFTREC_BENCH_PYTHON`` to use another
interpreter than ``bench/.venv/bin/python``.

Tuning: the architecture is fixed (2 blocks, 64-d, max length 50, as in the protocol's reference);
the batch size is tried at 32 and 128, and the number of epochs is chosen by early stopping on
validation NDCG@10 (patience 10, at most 100 epochs). The refit on train + validation runs exactly
the chosen number of epochs.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluation.models.base import ModelUnavailableError, Recommender, ValidationData
from evaluation.protocol import EvalCatalog, Histories

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("sasrec_worker.py")
DEFAULT_BENCH_PYTHON = REPO / "bench" / ".venv" / "bin" / "python"


def bench_python() -> Path:
    """The interpreter of the benchmark environment."""
    configured = os.environ.get("DRIFTREC_BENCH_PYTHON")
    return Path(configured) if configured else DEFAULT_BENCH_PYTHON


class SASRec(Recommender):
    """Proxy to a RecTools SASRecModel trained in the benchmark environment.

    Args:
        batch_size: Training batch size.
        epochs: Exact epochs; None = early stopping on validation (requires validation data).
        max_epochs: Upper bound for early stopping.
        patience: Epochs without validation improvement before stopping.
        n_blocks, n_heads, n_factors, session_max_len, dropout_rate, lr: Architecture and optimiser.
        threads: torch threads in the worker.
    """

    name = "SASRec"
    stochastic = True
    param_grid = [{"batch_size": 128}, {"batch_size": 32}]

    def __init__(
        self,
        batch_size: int = 128,
        epochs: int | None = None,
        max_epochs: int = 100,
        patience: int = 10,
        n_blocks: int = 2,
        n_heads: int = 4,
        n_factors: int = 64,
        session_max_len: int = 50,
        dropout_rate: float = 0.2,
        lr: float = 0.001,
        threads: int = 1,
        seed: int = 0,
    ) -> None:
        super().__init__(seed)
        self.batch_size = batch_size
        self.epochs = epochs
        self.max_epochs = max_epochs
        self.patience = patience
        self.n_blocks = n_blocks
        self.n_heads = n_heads
        self.n_factors = n_factors
        self.session_max_len = session_max_len
        self.dropout_rate = dropout_rate
        self.lr = lr
        self.threads = threads

    @classmethod
    def check_available(cls) -> None:
        python = bench_python()
        if not python.exists():
            raise ModelUnavailableError(
                f"SASRec runs in the benchmark environment, and {python} does not exist: "
                "create it with `make bench-env` (python3 -m venv bench/.venv && "
                "bench/.venv/bin/pip install -r bench/requirements-sasrec.txt), "
                "or point DRIFTREC_BENCH_PYTHON at an interpreter with rectools[torch]==0.19.0"
            )

    # --- worker process ---------------------------------------------------------------------

    def _start(self) -> None:
        if getattr(self, "process_", None) is not None:
            return
        self.check_available()
        self.tmp_ = tempfile.TemporaryDirectory(prefix="driftrec-sasrec-")
        env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": str(self.threads)}
        self.process_ = subprocess.Popen(
            [str(bench_python()), str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # the worker's progress goes straight to our stderr
            text=True,
            env=env,
        )

    def _request(self, **request: Any) -> dict[str, Any]:
        assert self.process_.stdin is not None and self.process_.stdout is not None
        self.process_.stdin.write(json.dumps(request) + "\n")
        self.process_.stdin.flush()
        line = self.process_.stdout.readline()
        if not line:
            code = self.process_.wait()
            raise RuntimeError(f"the SASRec worker exited (code {code}); its error is above on stderr")
        reply = json.loads(line)
        if not reply.get("ok"):
            raise RuntimeError(f"SASRec worker failed: {reply.get('error')}\n{reply.get('trace', '')}")
        return reply

    def close(self) -> None:
        process = getattr(self, "process_", None)
        if process is None:
            return
        try:
            if process.poll() is None:
                self._request_quit()
                process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            process.kill()
        finally:
            self.process_ = None
            self.tmp_.cleanup()

    def _request_quit(self) -> None:
        assert self.process_.stdin is not None
        self.process_.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
        self.process_.stdin.flush()

    def __del__(self) -> None:  # a forgotten close must not leave a worker behind
        try:
            self.close()
        except Exception:
            pass

    # --- Recommender ------------------------------------------------------------------------

    def fit(self, train: pd.DataFrame, catalog: EvalCatalog, validation: ValidationData | None = None) -> "SASRec":
        if self.epochs is None and validation is None:
            raise ValueError("SASRec without `epochs` early-stops on validation data; pass validation or epochs")
        self.close()
        self._start()
        path = Path(self.tmp_.name) / "fit.npz"
        arrays: dict[str, np.ndarray] = {
            "n_items": np.array(len(catalog)),
            "user_ids": train["user_id"].to_numpy(dtype=np.int64),
            "items": train["item"].to_numpy(dtype=np.int64),
        }
        if validation is not None and self.epochs is None:
            arrays.update(
                valid_offsets=validation.histories.offsets,
                valid_items=validation.histories.items,
                valid_targets=np.asarray(validation.targets, dtype=np.int64),
            )
        np.savez(path, **arrays)
        params = {k: v for k, v in self.get_params().items()}
        reply = self._request(cmd="fit", path=str(path), params=params, seed=self.seed)
        self.epochs_ = int(reply["epochs"])
        self.validation_log_ = reply.get("log", [])
        self.n_items_ = len(catalog)
        return self

    def tuned_params(self) -> dict[str, Any]:
        return {"epochs": self.epochs_} if self.epochs is None else {}

    def score(self, histories: Histories) -> np.ndarray:
        folder = Path(self.tmp_.name)
        np.savez(folder / "score.npz", offsets=histories.offsets, items=histories.items)
        self._request(cmd="score", path=str(folder / "score.npz"), out=str(folder / "scores.npy"))
        scores = np.load(folder / "scores.npy")
        if scores.shape != (len(histories), self.n_items_):
            raise RuntimeError(f"SASRec worker returned scores of shape {scores.shape}")
        return scores
