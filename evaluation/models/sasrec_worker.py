"""SASRec worker: trains RecTools' SASRecModel and scores histories, in the benchmark environment.

RecTools 0.19 needs numpy < 2 and pandas < 3, which the product's pins exclude, so SASRec runs in its
own virtual environment (``bench/.venv``, see ``bench/requirements-sasrec.txt``) as a child process of
the harness. :class:`evaluation.models.sasrec.SASRec` starts this file as a script and talks to it.

Protocol: one JSON request per line on stdin, one JSON reply per line on the original stdout (anything
the libraries print goes to stderr). Arrays travel as ``.npz`` files in a folder the parent owns.

* ``{"cmd": "fit", "path": in.npz, "params": {...}, "seed": s}`` -> ``{"ok": true, "epochs": n, "log": [...]}``
* ``{"cmd": "score", "path": in.npz, "out": out.npz}`` -> ``{"ok": true}``, scores in ``out.npz``
* ``{"cmd": "quit"}``

Training is RecTools' own (softmax loss over the full catalog, its data preparation and Lightning
loop). Early stopping and every ranking use the harness's metric code (:mod:`evaluation.metrics`),
imported from the repository, so the figures compare with the other models'.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytorch_lightning as pl  # noqa: E402
import torch  # noqa: E402
from rectools import Columns  # noqa: E402
from rectools.dataset import Dataset  # noqa: E402
from rectools.models import SASRecModel  # noqa: E402
from rectools.models.nn.item_net import IdEmbeddingsItemNet  # noqa: E402

from evaluation.metrics import ndcg, target_ranks, top_k  # noqa: E402


def _histories_from(data, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    return data[f"{prefix}_offsets"], data[f"{prefix}_items"]


class SASRecTrainer:
    """Holds one fitted RecTools SASRec and scores sequences of catalog positions with it."""

    def __init__(self) -> None:
        self.model = None
        self.n_items = 0

    def fit(self, path: str, params: dict, seed: int) -> dict:
        torch.set_num_threads(int(params.get("threads", 1)))
        data = np.load(path)
        self.n_items = int(data["n_items"])
        users, items = data["user_ids"], data["items"]
        # The rows arrive in protocol order (user, then time with the sha256 tie-break). RecTools sorts
        # by datetime (stably), so a running counter as the timestamp keeps exactly that order.
        frame = pd.DataFrame(
            {
                Columns.User: users,
                Columns.Item: items,
                Columns.Weight: np.ones(len(users), dtype=np.float32),
                Columns.Datetime: pd.to_datetime(np.arange(len(users)), unit="s"),
            }
        )
        dataset = Dataset.construct(frame)
        epochs = params.get("epochs")
        max_epochs = int(epochs) if epochs else int(params.get("max_epochs", 100))
        validation = None
        if not epochs and "valid_offsets" in data:
            offsets, valid_items = _histories_from(data, "valid")
            validation = (offsets, valid_items, data["valid_targets"])
        max_len = int(params.get("session_max_len", 50))
        stopper = _ValidationStopper(max_len, self.n_items, validation, int(params.get("patience", 10)))
        pl.seed_everything(seed, workers=True)
        model = SASRecModel(
            n_blocks=int(params.get("n_blocks", 2)),
            n_heads=int(params.get("n_heads", 4)),
            n_factors=int(params.get("n_factors", 64)),
            dropout_rate=float(params.get("dropout_rate", 0.2)),
            session_max_len=max_len,
            loss="softmax",
            lr=float(params.get("lr", 0.001)),
            batch_size=int(params.get("batch_size", 128)),
            epochs=max_epochs,
            item_net_block_types=(IdEmbeddingsItemNet,),
            recommend_torch_device="cpu",
        )
        model._trainer = pl.Trainer(  # RecTools documents replacing the trainer this way
            max_epochs=max_epochs,
            min_epochs=1,
            callbacks=[stopper],
            enable_progress_bar=False,
            enable_model_summary=False,
            logger=False,
            enable_checkpointing=False,
            devices=1,
            accelerator="cpu",
        )
        self.model = model
        began = time.perf_counter()
        model.fit(dataset)
        # Lightning deep-copies the trainer (and so the callback): read the copy it used.
        used = next(c for c in model.fit_trainer.callbacks if isinstance(c, _ValidationStopper))
        if used.best_state is not None:
            model.lightning_model.torch_model.load_state_dict(used.best_state)
        chosen = used.best_epoch if validation is not None else max_epochs
        return {"epochs": chosen, "log": used.valid_ndcg, "seconds": time.perf_counter() - began}

    def score(self, offsets: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Scores over the catalog for each history; items unknown to the model score -inf."""
        if self.model is None:
            raise RuntimeError("score before fit")
        return score_sessions(self.model.lightning_model, self.model.session_max_len, self.n_items, offsets, items)


def score_sessions(
    lightning, max_len: int, n_items: int, offsets: np.ndarray, items: np.ndarray
) -> np.ndarray:
    """Full-catalog logits of a RecTools transformer for sequences of catalog positions.

    Items the model never saw in training are dropped from the input and score ``-inf``.
    """
    torch_model = lightning.torch_model
    preparator = lightning.data_preparator
    n_extra = preparator.n_item_extra_tokens
    known_external = preparator.item_id_map.get_external_sorted_by_internal()[n_extra:].astype(np.int64)
    lookup = np.zeros(n_items, dtype=np.int64)  # 0 = padding: unknown items are dropped
    lookup[known_external] = np.arange(n_extra, n_extra + len(known_external))
    internal = lookup[items]
    n = len(offsets) - 1
    x = np.zeros((n, max_len), dtype=np.int64)
    for row in range(n):  # building padded sequences; the forward pass below is batched
        seq = internal[offsets[row] : offsets[row + 1]]
        seq = seq[seq > 0][-max_len:]
        if len(seq):
            x[row, -len(seq) :] = seq
    was_training = torch_model.training
    torch_model.eval()
    scores = np.full((n, n_items), -np.inf, dtype=np.float32)
    with torch.no_grad():
        item_embs = torch_model.item_model.get_all_embeddings()
        targets = torch_model.similarity_module.item_tower_forward(item_embs)
        for start in range(0, n, 256):
            batch = {"x": torch.from_numpy(x[start : start + 256])}
            session = torch_model.encode_sessions(batch, item_embs)[:, -1, :]
            session = torch_model.similarity_module.session_tower_forward(session)
            logits = torch_model.similarity_module(session, targets)
            scores[start : start + 256, known_external] = logits[:, n_extra:].numpy()
    if was_training:
        torch_model.train()
    return scores


class _ValidationStopper(pl.Callback):
    """Lightning callback: validation NDCG@10 (harness metric code) after each epoch, early stopping.

    Keeps the weights of the best epoch; stops after ``patience`` epochs without improvement.
    """

    def __init__(self, max_len: int, n_items: int, validation, patience: int) -> None:
        self.max_len = max_len
        self.n_items = n_items
        self.validation = validation
        self.patience = patience
        self.best = -1.0
        self.best_epoch = 0
        self.best_state = None
        self.valid_ndcg: list[float] = []

    def on_train_epoch_end(self, trainer, pl_module) -> None:
        if self.validation is None:
            return
        offsets, items, targets = self.validation
        scores = score_sessions(pl_module, self.max_len, self.n_items, offsets, items)
        rows = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        lists = top_k(scores, 10, rows, items)
        value = ndcg(target_ranks(lists, targets), 10)
        self.valid_ndcg.append(value)
        epoch = trainer.current_epoch + 1
        print(f"sasrec epoch {epoch}: valid NDCG@10 {value:.4f}", file=sys.stderr, flush=True)
        if value > self.best:
            self.best, self.best_epoch = value, epoch
            self.best_state = copy.deepcopy(pl_module.torch_model.state_dict())
        elif epoch - self.best_epoch >= self.patience:
            trainer.should_stop = True


def main() -> None:
    import logging
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    for name in ("pytorch_lightning", "lightning.pytorch", "lightning_fabric"):
        logging.getLogger(name).setLevel(logging.WARNING)
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever the libraries print goes to stderr
    sys.stdout = sys.stderr
    worker = SASRecTrainer()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            if request["cmd"] == "quit":
                break
            if request["cmd"] == "fit":
                reply = {"ok": True, **worker.fit(request["path"], request["params"], int(request["seed"]))}
            elif request["cmd"] == "score":
                data = np.load(request["path"])
                np.save(request["out"], worker.score(data["offsets"], data["items"]))
                reply = {"ok": True}
            else:
                reply = {"ok": False, "error": f"unknown command {request['cmd']!r}"}
        except Exception as error:  # report to the parent instead of dying silently
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
        protocol.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
