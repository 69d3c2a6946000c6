"""The full-softmax cross-entropy of the interest model, computed a block of rows at a time.

    loss = mean over rows r of  log Σ_j exp(w_j · v_r) − w_{t_r} · v_r    (own movies left out of Σ_j)

Autograd would keep the whole (rows × catalog) logit matrix, write a masked copy, its log-softmax
and the log-softmax's gradient: four passes over a matrix far larger than the cache, which cost as
much as the GEMMs themselves (docs/results/train-speed.md). Here each block of rows makes its logits,
turns them into the gradient (softmax minus the one-hot target) while they are still in the
cache, and multiplies it straight into both gradients. The loss is a scalar, so its backward only
scales the gradients computed in the forward.

The same numbers as ``cross_entropy(logits.masked_fill(own, -inf), targets)`` up to float rounding
(tests/test_full_softmax.py).
"""

from __future__ import annotations

from typing import Iterator

import torch

ROWS_PER_BLOCK = 128
"""Rows per block: 128 × a 10k catalog × 4 bytes ≈ 5 MB stays in cache (64–512 measured; 128 fastest)."""


def row_blocks(own_rows: torch.Tensor, rows: int, rows_per_block: int) -> Iterator[tuple[int, int, slice]]:
    """(first row, end row, the slice of the own pairs) of each block of rows: the pairs come sorted
    by row, so each block's are one contiguous slice."""
    edges = torch.searchsorted(own_rows, torch.arange(0, rows + rows_per_block, rows_per_block,
                                                      device=own_rows.device)).tolist()
    for block, first in enumerate(range(0, rows, rows_per_block)):
        yield first, min(first + rows_per_block, rows), slice(edges[block], edges[block + 1])


class _FullSoftmaxLoss(torch.autograd.Function):
    @staticmethod
    def forward(ctx, interest, items, targets, own_rows, own_items):  # type: ignore[override]
        rows = interest.shape[0]
        grad_interest = torch.empty_like(interest)
        grad_items = torch.zeros_like(items)
        total = interest.new_zeros(())
        for first, last, mine in row_blocks(own_rows, rows, ROWS_PER_BLOCK):
            part, wanted = interest[first:last], targets[first:last]
            logits = part @ items.T
            index = torch.arange(last - first, device=logits.device)
            target_logit = logits[index, wanted]
            logits[own_rows[mine] - first, own_items[mine]] = -torch.inf
            logits[index, wanted] = target_logit  # a row's own target stays in its denominator
            # torch's softmax makes its max, exponentials and sums in one fused pass: half the time
            # of the same steps one by one (0.9 ms of a 20 ms ml-100k batch)
            gradient = torch.softmax(logits, dim=1)  # softmax ...
            total += _row_losses(gradient[index, wanted], logits, target_logit).sum()
            gradient[index, wanted] -= 1.0  # ... minus the one-hot target
            torch.mm(gradient, items, out=grad_interest[first:last])
            grad_items.addmm_(gradient.T, part)
        ctx.save_for_backward(grad_interest.div_(rows), grad_items.div_(rows))
        return total / rows

    @staticmethod
    def backward(ctx, grad_loss):  # type: ignore[override]
        grad_interest, grad_items = ctx.saved_tensors
        return grad_interest * grad_loss, grad_items * grad_loss, None, None, None


def _row_losses(target_probability: torch.Tensor, logits: torch.Tensor, target_logit: torch.Tensor) -> torch.Tensor:
    """Each row's −log p(target): from the softmax where p is a normal float, else (a target more
    than 87 nats below its row's best, p underflowed) log Σ exp − the target's logit, exactly."""
    losses = -target_probability.log()
    lost = target_probability < torch.finfo(target_probability.dtype).tiny
    if lost.any():
        losses[lost] = torch.logsumexp(logits[lost], dim=1) - target_logit[lost]
    return losses


def full_softmax_loss(interest: torch.Tensor, items: torch.Tensor, targets: torch.Tensor,
                      own: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of ``targets`` under softmax(interest · itemsᵀ), ``own`` left out.

    Args:
        interest: (rows, d) interest vectors (already divided by the temperature).
        items: (n_items, d) item vectors.
        targets: (rows,) the right movie of each row.
        own: (2, k) pairs (row, movie) to leave out of each row's denominator, sorted by row; a
            row's target may be among them (its logit stays in: callers need not filter it out).
    """
    return _FullSoftmaxLoss.apply(interest, items, targets, own[0], own[1])
