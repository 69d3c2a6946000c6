"""The interest model's training on tiny synthetic sequences: full and sampled softmax both learn."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tracking.model import (
    AUTO_BATCH_SIZE, AUTO_HISTORY_SAMPLE, AUTO_LR, AUTO_TEXT_WIDTH, DEFAULT_BATCH_SIZE, DEFAULT_LR, FULL_SOFTMAX_MAX_ITEMS, InterestModel, Sequences, TrackerConfig, fit_interest_model, leading_components, prefix_means,
    prefix_text_means,
    score_sequences,
)
from tracking.train import hold_out_last, ndcg_at_10


def _two_taste_sequences(n_users: int = 300, n_items: int = 200, length: int = 12, seed: int = 0) -> Sequences:
    """Half the users watch only even movies, half only odd ones; a model must learn which half."""
    rng = np.random.default_rng(seed)
    users, items = [], []
    for user in range(n_users):
        parity = user % 2
        pool = np.arange(parity, n_items, 2)
        popular = pool[: len(pool) // 4]  # within a taste, a popular head
        chosen = rng.choice(np.concatenate([popular, popular, pool]), size=length, replace=False)
        users += [user] * length
        items += chosen.tolist()
    return Sequences.from_grouped(np.array(users), np.array(items), np.full(len(items), 4.0, dtype=np.float32))


@pytest.mark.parametrize("softmax, text_width", [("full", 0), ("sampled", 0), ("sampled", 4)])
def test_both_softmaxes_learn_a_two_taste_catalog(softmax: str, text_width: int):
    sequences = _two_taste_sequences()
    train, validation, targets = hold_out_last(sequences)
    config = TrackerConfig(dim=16, window=5, epochs=6, batch_size=128, softmax=softmax, negatives=64, patience=6,
                           text_width=text_width)
    text = None
    if text_width:  # text whose strongest direction tells the two tastes apart, as genres would
        text = 0.5 * np.random.default_rng(2).standard_normal((200, 12)).astype(np.float32)
        text[:, 0] = 4.0 * (np.arange(200) % 2 * 2 - 1)
    model, report = fit_interest_model(
        train, 200, text, config, lambda m: ndcg_at_10(score_sequences(m, validation), validation, targets), progress=False)
    scores = score_sequences(model, validation)
    parity = np.arange(len(validation)) % 2
    top = np.argsort(-scores, axis=1)[:, :10]
    same_taste = (top % 2 == parity[:, None]).mean()
    assert same_taste > 0.9, f"{softmax}: {same_taste:.2f} of the top 10 match the user's taste"
    assert report.best_validation > 0.08  # random ranking of ~190 unseen movies: NDCG@10 ≈ 0.03
    assert all(np.isfinite(h["loss"]) for h in report.history)


def test_auto_samples_only_for_large_catalogs():
    config = TrackerConfig()
    assert not config.sampled_for(9_742) and config.sampled_for(FULL_SOFTMAX_MAX_ITEMS + 1)
    assert TrackerConfig(softmax="full").sampled_for(10**6) is False
    assert TrackerConfig(softmax="sampled").sampled_for(10) is True


def test_auto_draws_long_histories_only_for_large_catalogs():
    config = TrackerConfig()
    assert config.history_sample_for(9_742) is None
    assert config.history_sample_for(FULL_SOFTMAX_MAX_ITEMS + 1) == AUTO_HISTORY_SAMPLE
    assert TrackerConfig(history_sample=0).history_sample_for(10**6) is None
    assert TrackerConfig(history_sample=16).history_sample_for(10) == 16
    with pytest.raises(ValueError):
        TrackerConfig(history_sample=-1)


def test_the_sampled_loss_is_the_cross_entropy_of_each_target_against_the_drawn_negatives():
    import torch

    from tracking.model import InterestModel

    config = TrackerConfig(dim=8, window=3, dropout=0.0, softmax="sampled")
    model = InterestModel(30, np.random.default_rng(1).standard_normal((30, 6)).astype(np.float32), config)
    history = prefix_means(np.array([3, 4, 5, 4, 9]), np.array([0, 2]), np.array([3, 5]), 30)
    window, ratings = torch.tensor([[5, 4, 30], [9, 4, 30]]), torch.full((2, 3), 8)
    targets, drawn = torch.tensor([6, 7]), torch.tensor([1, 2, 6])
    own = torch.tensor([[0, 1], [2, 1]])  # (row, negative) pairs: row 0's target drawn, row 1 saw movie 2
    log_expected = torch.tensor([-1.0, -2.0, 0.5, -0.5, -1.0])
    loss = model(history, window, ratings, targets, own, drawn, log_expected)

    interest = model.interest(model.long_term(history), model.short_term(window, ratings))
    logits = model.logits(interest, torch.cat([targets, drawn])) - log_expected  # every row × every column
    kept = torch.tensor([[True, True, False], [True, False, True]])
    expected = [torch.logsumexp(torch.cat([logits[r, r:r + 1], logits[r, 2:][kept[r]]]), 0) - logits[r, r] for r in (0, 1)]
    torch.testing.assert_close(loss, torch.stack(expected).mean())


@pytest.mark.parametrize("correct_target", [False, True])
def test_the_drawn_negatives_are_corrected_by_their_expected_count_and_the_target_only_if_asked(correct_target):
    """log(negatives · q) off every drawn logit; the target, never drawn, keeps its plain logit by default."""
    from tracking.model import _batch_inputs, _popularity, _training_positions

    sequences = _two_taste_sequences(n_users=20)
    config = TrackerConfig(dim=8, window=4, softmax="sampled", negatives=16, correct_target=correct_target)
    rows, positions = _training_positions(sequences, None)
    q = _popularity(sequences.items[positions], 200)
    seen = sequences.seen(200)
    share = np.arange(0, len(rows), 7)
    inputs, _ = _batch_inputs(sequences, rows, positions, sequences.offsets[:-1], seen, share, 200, config, q,
                              torch.Generator().manual_seed(0), torch.device("cpu"), np.random.default_rng(0))
    targets, drawn, log_expected = inputs[3], inputs[5], inputs[6]
    torch.testing.assert_close(log_expected[len(targets):], torch.log(16 * q[drawn]))
    wanted = torch.log(16 * q[targets]) if correct_target else torch.zeros(len(targets))
    torch.testing.assert_close(log_expected[: len(targets)], wanted)


@pytest.mark.parametrize("seed", range(5))
def test_own_among_drawn_are_the_drawn_columns_of_each_rows_movies(seed):
    """The pairs select what the rows' own movies at the drawn columns select, a movie drawn twice twice,
    a row with no movies none."""
    from scipy import sparse

    from tracking.model import own_among_drawn

    rng = np.random.default_rng(seed)
    everyone_but_row_4 = sparse.diags((np.arange(9) != 4).astype(float))  # a row with no movies
    theirs = (everyone_but_row_4 @ sparse.random(9, 40, density=0.3, format="csr", random_state=seed)).astype(bool).tocsr()
    theirs.eliminate_zeros()
    assert theirs[4].nnz == 0
    drawn = rng.integers(0, 40, 60)  # many drawn more than once

    pairs = own_among_drawn(theirs, drawn)

    mask = np.zeros((9, 60), dtype=bool)
    mask[pairs[0], pairs[1]] = True
    np.testing.assert_array_equal(mask, theirs[:, drawn].toarray())
    assert pairs.shape[1] == mask.sum() and (np.diff(pairs[0]) >= 0).all() and pairs.dtype == np.int64


def test_the_full_loss_is_the_cross_entropy_of_the_scoring_path_without_the_users_other_movies():
    import torch

    from tracking.model import InterestModel

    config = TrackerConfig(dim=8, window=3, dropout=0.0)
    model = InterestModel(30, np.random.default_rng(2).standard_normal((30, 6)).astype(np.float32), config)
    items = np.array([3, 4, 5, 4, 9])
    history = prefix_means(items, np.array([0, 2]), np.array([3, 5]), 30)
    window, ratings = torch.tensor([[5, 4, 30], [9, 4, 30]]), torch.full((2, 3), 8)
    targets = torch.tensor([4, 9])
    own = torch.tensor([[0, 0, 0, 1, 1, 1], [3, 4, 5, 4, 5, 9]])  # each row's whole history, its target included
    loss = model(history, window, ratings, targets, own)

    logits = model.logits(model.interest(model.long_term(history), model.short_term(window, ratings)))
    mask = torch.zeros(2, 30, dtype=torch.bool)
    mask[own[0], own[1]] = True
    mask[torch.arange(2), targets] = False  # the target stays in its own denominator
    torch.testing.assert_close(loss, torch.nn.functional.cross_entropy(logits.masked_fill(mask, -torch.inf), targets))


def test_auto_narrows_the_text_only_for_large_catalogs():
    config = TrackerConfig()
    assert config.text_width_for(9_742, 384) == 384
    assert config.text_width_for(FULL_SOFTMAX_MAX_ITEMS + 1, 384) == AUTO_TEXT_WIDTH
    assert TrackerConfig(text_width=0).text_width_for(10**6, 384) == 384
    assert TrackerConfig(text_width=16).text_width_for(10, 384) == 16
    assert TrackerConfig(text_width=500).text_width_for(10, 384) == 384


def test_auto_batches_are_larger_only_for_large_catalogs():
    config = TrackerConfig()
    assert config.batch_size_for(9_742) == DEFAULT_BATCH_SIZE
    assert config.batch_size_for(FULL_SOFTMAX_MAX_ITEMS + 1) == AUTO_BATCH_SIZE > DEFAULT_BATCH_SIZE
    assert TrackerConfig(batch_size=64).batch_size_for(10**6) == 64
    assert config.lr_for(9_742) == DEFAULT_LR and config.lr_for(FULL_SOFTMAX_MAX_ITEMS + 1) == AUTO_LR
    assert TrackerConfig(batch_size=2048).lr_for(10**6) == DEFAULT_LR  # a given batch keeps the plain rate
    assert TrackerConfig(lr=0.01).lr_for(10**6) == 0.01


def test_the_leading_components_keep_what_a_low_rank_text_holds():
    rng = np.random.default_rng(0)
    low_rank = (rng.standard_normal((500, 3)) @ rng.standard_normal((3, 40))).astype(np.float32)
    narrow = leading_components(low_rank, 3)
    assert narrow.shape == (500, 3) and narrow.dtype == np.float32
    # an orthonormal change of basis of a rank-3 matrix: every dot product between movies survives
    np.testing.assert_allclose(narrow @ narrow.T, low_rank @ low_rank.T, rtol=1e-3, atol=1e-3)
    np.testing.assert_array_equal(leading_components(low_rank, 3), narrow)  # the same every time
    assert leading_components(low_rank, 40) is low_rank


def test_a_drawn_history_mean_is_unbiased_and_short_histories_stay_exact():
    items = np.arange(1_000) % 50
    starts, ends = np.array([0, 100, 0]), np.array([10, 900, 1_000])
    exact = prefix_means(items, starts, ends, 50).to_dense().numpy()
    rng = np.random.default_rng(0)
    draws = np.stack([prefix_means(items, starts, ends, 50, sample=32, rng=rng).to_dense().numpy() for _ in range(400)])
    np.testing.assert_allclose(draws.sum(axis=2), 1.0, rtol=1e-5)  # every row is still a mean
    np.testing.assert_array_equal(draws[:, 0], np.broadcast_to(exact[0], draws[:, 0].shape))  # 10 ≤ 32: exact
    assert (draws[:, 1] != exact[1]).any()  # 800 > 32: drawn
    np.testing.assert_allclose(draws.mean(axis=0), exact, atol=0.004)  # per movie 0.02 each: unbiased


@pytest.mark.parametrize("sample", [None, 6])
def test_the_mean_matrices_are_canonical_and_the_long_term_gradient_is_torchs(sample):
    """The history means come out in the CSR form torch requires (sorted, distinct columns, a movie
    drawn twice merged), with their exact transpose; the long-term part's gradient through that
    transpose equals autograd's through torch's own sparse product."""
    from tracking.model import prefix_mean_matrices, torch_csr

    rng = np.random.default_rng(3)
    items = np.concatenate([rng.permutation(40)[:25] for _ in range(8)])  # 8 users, no repeats within one
    starts = np.repeat(np.arange(8) * 25, 3)
    ends = starts + rng.integers(0, 26, len(starts))
    means, means_t = prefix_mean_matrices(items, starts, ends, 40, sample=sample, rng=np.random.default_rng(4))
    for matrix in (means, means_t):
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        later = np.diff(matrix.indices)
        assert ((later > 0) | (np.diff(rows) > 0)).all()  # sorted and distinct within each row
    np.testing.assert_allclose(means_t.toarray(), means.toarray().T)
    np.testing.assert_allclose(means.sum(axis=1).A1, (ends > starts).astype(float), rtol=1e-6)
    if sample is None:
        np.testing.assert_allclose(means.toarray(), prefix_means(items, starts, ends, 40).to_dense().numpy())
    model = InterestModel(40, None, TrackerConfig(dim=4, window=3))
    means_t.resize((41, len(ends)))
    grads = []
    for history_t in (torch_csr(means_t), None):
        model.zero_grad()
        model.long_term(torch_csr(means), history_t=history_t).pow(2).sum().backward()
        grads.append(model.long_in.weight.grad.clone())
    torch.testing.assert_close(grads[0], grads[1])
    assert grads[0].abs().sum() > 0


def test_prefix_text_means_are_the_sparse_means_times_the_text():
    """The training rows' long-term text part, computed once, equals the per-batch product it replaces,
    across chunk edges (a chunk smaller than one user) and for a user's first position (zeros)."""
    sequences = _two_taste_sequences(n_users=7, length=12)
    text = np.random.default_rng(1).standard_normal((200, 5)).astype(np.float32) * 100 + 50
    table = prefix_text_means(sequences, text, chunk_positions=5)
    user_start = np.repeat(sequences.offsets[:-1], sequences.lengths)
    positions = np.arange(len(sequences.items))
    sparse_means = prefix_means(sequences.items, user_start, positions, 200).to_dense().numpy()
    np.testing.assert_allclose(table, sparse_means @ text, rtol=1e-5, atol=1e-3)
    assert not table[sequences.offsets[:-1]].any()


def test_training_with_the_text_table_matches_the_sparse_product(monkeypatch):
    import tracking.model as model_module

    sequences = _two_taste_sequences(n_users=60)
    train, _, _ = hold_out_last(sequences)
    text = np.random.default_rng(2).standard_normal((200, 12)).astype(np.float32)
    config = TrackerConfig(dim=8, window=4, epochs=2, batch_size=64, softmax="sampled", negatives=32)
    _, looked_up = fit_interest_model(train, 200, text, config, progress=False)
    monkeypatch.setattr(model_module, "PREFIX_TEXT_MAX_BYTES", 0)  # too small: the product every batch
    _, multiplied = fit_interest_model(train, 200, text, config, progress=False)
    np.testing.assert_allclose([r["loss"] for r in looked_up.history], [r["loss"] for r in multiplied.history], rtol=1e-4)
    assert looked_up.text_table_seconds is not None and multiplied.text_table_seconds is None
    full = config.model_copy(update={"softmax": "full"})  # folds the text into the input tables: no table
    assert fit_interest_model(train, 200, text, full, progress=False)[1].text_table_seconds is None


def test_the_gemm_floor_is_probed_between_batches_at_the_batch_shapes(monkeypatch):
    """The floor the speed report divides by is timed between the batches it is compared with, at
    their shapes: the catalog's columns for the full softmax, the shared negatives for the sampled."""
    import tracking.model as model_module

    made: list[tuple[int, int, int]] = []
    probed: list[int] = []
    real_init, real_probe = model_module.LogitsGemmProbe.__init__, model_module.LogitsGemmProbe.probe

    def init(self, batch, width, columns, device="cpu"):
        made.append((batch, width, columns))
        real_init(self, batch, width, columns, device)

    def probe(self, repeats=1):
        probed.append(repeats)
        return real_probe(self, repeats)

    monkeypatch.setattr(model_module.LogitsGemmProbe, "__init__", init)
    monkeypatch.setattr(model_module.LogitsGemmProbe, "probe", probe)
    monkeypatch.setattr(model_module, "FLOOR_PROBE_EVERY", 4)
    sequences = _two_taste_sequences(n_users=100)
    train, _, _ = hold_out_last(sequences)
    for softmax, columns in (("full", 200), ("sampled", 32)):
        made.clear(), probed.clear()
        config = TrackerConfig(dim=8, window=4, epochs=2, batch_size=64, softmax=softmax, negatives=32)
        _, report = fit_interest_model(train, 200, None, config, progress=False)
        assert made == [(64, 9, columns)]
        positions = len(model_module._training_positions(train, config.max_positions_per_user)[0])
        assert report.batches == 2 * -(-positions // 64)
        assert len(probed) == (report.batches + 2) // 4  # after batches 2, 6, 10, …
        assert report.floor_batch_seconds is not None and report.floor_batch_seconds > 0
    monkeypatch.setattr(model_module, "FLOOR_PROBE_EVERY", 1_000)  # none due: the caller times it itself
    _, report = fit_interest_model(train, 200, None, config, progress=False)
    assert report.floor_batch_seconds is None


def test_a_killed_training_resumes_from_its_checkpoint_as_if_never_stopped(tmp_path):
    sequences = _two_taste_sequences()
    train, validation, targets = hold_out_last(sequences)
    config = TrackerConfig(dim=16, window=5, epochs=4, batch_size=128, patience=10)
    calls = {"n": 0}

    def validate(model):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # killed during epoch 3's validation: epochs 1-2 are checkpointed
        return ndcg_at_10(score_sequences(model, validation), validation, targets)

    checkpoint = tmp_path / "train.pt"
    with pytest.raises(KeyboardInterrupt):
        fit_interest_model(train, 200, None, config, validate, progress=False, checkpoint=checkpoint)
    plain = lambda m: ndcg_at_10(score_sequences(m, validation), validation, targets)  # noqa: E731
    resumed, report = fit_interest_model(train, 200, None, config, plain, progress=False, checkpoint=checkpoint)
    straight, _ = fit_interest_model(train, 200, None, config, plain, progress=False)
    assert report.resumed_after == 2 and [h["epoch"] for h in report.history] == [1, 2, 3, 4]
    np.testing.assert_allclose(score_sequences(resumed, validation), score_sequences(straight, validation), rtol=1e-5, atol=1e-5)


DDP_SCRIPT = """
import gc, json, sys
import numpy as np
from tests.test_model import _two_taste_sequences
from tracking.model import TrackerConfig, fit_interest_model, score_sequences
from accelerate import Accelerator

accelerator = Accelerator(cpu=True)  # processes started by torchrun; gloo between them
config = TrackerConfig(dim=16, window=5, epochs=3, batch_size=128, dropout=0.0, softmax=sys.argv[2])
model, report = fit_interest_model(_two_taste_sequences(), 200, None, config, progress=False, accelerator=accelerator)
if accelerator.is_main_process:
    scores = score_sequences(model, _two_taste_sequences())
    json.dump({"processes": report.processes, "scores": scores[:20].tolist()}, open(sys.argv[1], "w"))
accelerator.wait_for_everyone()
accelerator.free_memory()  # as driftrec train does: a gloo group left alive at exit can abort a rank (SIGABRT)
gc.collect()
accelerator.end_training()
"""


@pytest.mark.slow
@pytest.mark.parametrize("softmax", ["full", "sampled"])
def test_two_processes_with_accelerate_launch_match_one(tmp_path, softmax):
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    script = tmp_path / "ddp_fit.py"
    script.write_text(DDP_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    subprocess.run([sys.executable, str(script), str(one), softmax], check=True, env=env, cwd=REPO, timeout=300)
    # torchrun-style processes; on a machine without a GPU, Accelerate joins them with gloo on the CPU
    from tests.test_app import free_port

    launcher = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
                "--main_process_port", str(free_port()),  # not the fixed default: a port in use fails the launch
                "--mixed_precision", "no", "--dynamo_backend", "no", str(script), str(two), softmax]
    launched = subprocess.run(launcher, env=env, cwd=REPO, timeout=300, capture_output=True, text=True)
    assert launched.returncode == 0, launched.stderr[-3000:]
    single, double = json.loads(one.read_text()), json.loads(two.read_text())
    assert (single["processes"], double["processes"]) == (1, 2)
    a, b = np.array(single["scores"]), np.array(double["scores"])
    assert np.corrcoef(a.ravel(), b.ravel())[0, 1] > 0.999
    np.testing.assert_allclose(a, b, rtol=0.02, atol=0.02)


def test_validation_in_chunks_equals_validation_at_once():
    from tracking.train import validation_ndcg

    sequences = _two_taste_sequences(n_users=120)
    train, validation, targets = hold_out_last(sequences)
    model, _ = fit_interest_model(train, 200, None, TrackerConfig(dim=8, window=5, epochs=1), progress=False)
    at_once = ndcg_at_10(score_sequences(model, validation), validation, targets)
    chunked = validation_ndcg(lambda part: score_sequences(model, part), validation, targets, chunk=17)
    assert chunked == pytest.approx(at_once, abs=1e-12)
