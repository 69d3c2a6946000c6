"""The sampled-softmax cross-entropy of the interest model (logQ-corrected), a block of rows at a time.

    loss = mean over rows r of  log(exp(t_r) + Σ_j exp(n_rj)) − t_r
    t_r  = w_{target_r} · v_r                          (the row's own target, a row-wise dot; the
                                                        caller may subtract its log E too)
    n_rj = w_{drawn_j} · v_r − log E[drawn_j]          (the shared negatives; a row's own movies left out)

Autograd kept the (rows × negatives) logits, a subtraction's copy, the masked copy, the scores with
the target column put in front, their log-softmax and the log-softmax's gradient: passes over a
matrix of 2,048 × 2,048 on ml-25m that cost more than its GEMMs. Here each block of rows makes its
logits, turns them into their gradient while in the cache and multiplies it into both gradients, as
:mod:`tracking.full_softmax` does for the whole catalog. With L_r = log Σ_j exp(n_rj) (the
negatives' softmax, one fused pass), the target joins by two scalars per row:

    loss_r = softplus(L_r − t_r),   ∂/∂t_r = sigmoid(t_r − L_r) − 1,   ∂/∂n_rj = softmax(n_r)_j · sigmoid(L_r − t_r)

The same numbers as ``cross_entropy(cat([t, n.masked_fill(own, -1e9)]), 0)`` up to float rounding
(tests/test_sampled_softmax.py).
"""

from __future__ import annotations

import torch

from tracking.full_softmax import row_blocks

ROWS_PER_BLOCK = 256
"""Rows per block: 256 × 2,048 negatives × 4 bytes = 2 MB, a core's L2 here."""
LEFT_OUT = -1e9
"""The logit of a negative left out (a row's own movie): exp underflows to 0, and a row whose every
draw is its own still has a finite sum."""


class _SampledSoftmaxLoss(torch.autograd.Function):
    @staticmethod
    def forward(ctx, interest, negatives, target_logit, negative_offset, own_rows, own_columns):  # type: ignore[override]
        rows = interest.shape[0]
        grad_interest = torch.empty_like(interest)
        grad_negatives = torch.zeros_like(negatives)
        grad_target = torch.empty_like(target_logit)
        total = interest.new_zeros(())
        for first, last, mine in row_blocks(own_rows, rows, ROWS_PER_BLOCK):
            part, target = interest[first:last], target_logit[first:last]
            logits = torch.addmm(negative_offset, part, negatives.T, alpha=1, beta=-1)  # v·w − log E
            logits[own_rows[mine] - first, own_columns[mine]] = LEFT_OUT
            best, where = logits.max(dim=1)
            gradient = torch.softmax(logits, dim=1)
            # log Σ exp from the softmax itself: at the best column, p = exp(best − L)
            log_sum = best - gradient.gather(1, where.unsqueeze(1)).squeeze(1).log()
            gap = log_sum - target
            total += torch.nn.functional.softplus(gap).sum()
            share = torch.sigmoid(gap)  # what the negatives hold of the row's denominator
            gradient.mul_(share.unsqueeze(1))
            grad_target[first:last] = -share  # sigmoid(t − L) − 1
            torch.mm(gradient, negatives, out=grad_interest[first:last])
            grad_negatives.addmm_(gradient.T, part)
        ctx.save_for_backward(grad_interest.div_(rows), grad_negatives.div_(rows), grad_target.div_(rows))
        return total / rows

    @staticmethod
    def backward(ctx, grad_loss):  # type: ignore[override]
        grad_interest, grad_negatives, grad_target = ctx.saved_tensors
        return grad_interest * grad_loss, grad_negatives * grad_loss, grad_target * grad_loss, None, None, None


def sampled_softmax_loss(interest: torch.Tensor, negatives: torch.Tensor, target_logit: torch.Tensor,
                         negative_offset: torch.Tensor, own: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of each row's target against the shared negatives, ``own`` left out.

    Args:
        interest: (rows, d) interest vectors (already divided by the temperature).
        negatives: (k, d) the drawn negatives' item vectors.
        target_logit: (rows,) each row's target logit (its gradient flows back through it).
        negative_offset: (k,) log of each negative's expected count (the logQ correction).
        own: (2, m) pairs (row, index into the negatives) to leave out, sorted by row.
    """
    return _SampledSoftmaxLoss.apply(interest, negatives, target_logit, negative_offset, own[0], own[1])
