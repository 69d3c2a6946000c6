"""The blockwise full-softmax loss gives autograd's numbers: loss and both gradients."""

import pytest
import torch

from tracking.full_softmax import ROWS_PER_BLOCK, full_softmax_loss


@pytest.mark.parametrize("targets_among_own", [False, True])
@pytest.mark.parametrize("rows", [1, ROWS_PER_BLOCK, 2 * ROWS_PER_BLOCK + 37])
def test_matches_cross_entropy_with_own_movies_masked(rows, targets_among_own):
    generator = torch.Generator().manual_seed(rows)
    n_items, width = 301, 9
    interest = torch.randn(rows, width, generator=generator, dtype=torch.float64)
    items = torch.randn(n_items, width, generator=generator, dtype=torch.float64)
    targets = torch.randint(0, n_items, (rows,), generator=generator)
    own = torch.rand(rows, n_items, generator=generator) < 0.2
    own[torch.arange(rows), targets] = False

    plain = [interest.clone().requires_grad_(), items.clone().requires_grad_()]
    expected = torch.nn.functional.cross_entropy((plain[0] @ plain[1].T).masked_fill(own, -torch.inf), targets)
    (expected * 3.0).backward()
    blockwise = [interest.clone().requires_grad_(), items.clone().requires_grad_()]
    passed = own.clone()
    passed[torch.arange(rows), targets] = targets_among_own  # training passes each row's whole history
    got = full_softmax_loss(blockwise[0], blockwise[1], targets, passed.nonzero().T.contiguous())
    (got * 3.0).backward()  # a scale from above reaches both gradients

    torch.testing.assert_close(got, expected)
    torch.testing.assert_close(blockwise[0].grad, plain[0].grad)
    torch.testing.assert_close(blockwise[1].grad, plain[1].grad)


def test_a_row_with_no_own_movies_counts_every_movie():
    interest, items = torch.zeros(3, 2), torch.zeros(4, 2)  # every logit equal
    own = torch.tensor([[0, 0, 2], [1, 2, 3]])  # row 1 has none
    loss = full_softmax_loss(interest, items, torch.tensor([0, 1, 2]), own)
    expected = (torch.log(torch.tensor(2.0)) + torch.log(torch.tensor(4.0)) + torch.log(torch.tensor(3.0))) / 3
    torch.testing.assert_close(loss, expected)


def test_a_target_far_below_its_rows_best_keeps_an_exact_finite_loss():
    """Its probability underflows to 0 in float32; the loss falls back to log Σ exp − its logit."""
    interest = torch.tensor([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
    items = torch.tensor([[150.0, 0.0], [-150.0, 0.0], [0.0, 2.0]], requires_grad=True)
    targets = torch.tensor([1, 2])  # row 0's target is 300 nats below movie 0
    own = torch.empty(2, 0, dtype=torch.long)
    got = full_softmax_loss(interest, items, targets, own)
    expected = torch.nn.functional.cross_entropy(interest.detach() @ items.detach().T, targets)
    assert torch.isfinite(got)
    torch.testing.assert_close(got, expected)
