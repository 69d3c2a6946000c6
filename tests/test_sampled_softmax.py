"""The blockwise sampled-softmax loss gives autograd's numbers: loss and every gradient."""

import pytest
import torch

from tracking.sampled_softmax import LEFT_OUT, ROWS_PER_BLOCK, sampled_softmax_loss


def _autograd_loss(interest, wanted, negatives, log_expected, own):
    """The loss as autograd computed it before: the target in front of its row's masked negatives."""
    target_logit = (interest * wanted).sum(dim=1) - log_expected[: len(interest)]
    negative = (interest @ negatives.T - log_expected[len(interest):]).masked_fill(own, LEFT_OUT)
    scores = torch.cat([target_logit.unsqueeze(1), negative], dim=1)
    return torch.nn.functional.cross_entropy(scores, torch.zeros(len(interest), dtype=torch.long))


@pytest.mark.parametrize("rows", [1, ROWS_PER_BLOCK, 2 * ROWS_PER_BLOCK + 37])
def test_matches_cross_entropy_against_the_drawn_negatives_with_own_movies_left_out(rows):
    generator = torch.Generator().manual_seed(rows)
    width, drawn = 9, 57
    tensors = [torch.randn(rows, width, generator=generator, dtype=torch.float64),  # interest
               torch.randn(rows, width, generator=generator, dtype=torch.float64),  # each row's target
               torch.randn(drawn, width, generator=generator, dtype=torch.float64)]  # the negatives
    log_expected = torch.randn(rows + drawn, generator=generator, dtype=torch.float64)
    own = torch.rand(rows, drawn, generator=generator) < 0.2
    own[0] = True  # a row whose every draw is its own: the target alone, a loss near 0

    plain = [t.clone().requires_grad_() for t in tensors]
    expected = _autograd_loss(*plain, log_expected, own)
    (expected * 3.0).backward()
    blockwise = [t.clone().requires_grad_() for t in tensors]
    target_logit = (blockwise[0] * blockwise[1]).sum(dim=1) - log_expected[:rows]
    got = sampled_softmax_loss(blockwise[0], blockwise[2], target_logit, log_expected[rows:], own.nonzero().T.contiguous())
    (got * 3.0).backward()  # a scale from above reaches every gradient, the target's through its logit

    torch.testing.assert_close(got, expected)
    for mine, theirs in zip(blockwise, plain):
        torch.testing.assert_close(mine.grad, theirs.grad)


def test_a_target_far_below_its_negatives_keeps_an_exact_finite_loss():
    """Its probability underflows in float32; the loss is log Σ exp − its logit all the same."""
    interest = torch.tensor([[1.0, 0.0]], requires_grad=True)
    negatives = torch.tensor([[200.0, 0.0], [0.0, 1.0]], requires_grad=True)
    target_logit = torch.tensor([-100.0], requires_grad=True)
    got = sampled_softmax_loss(interest, negatives, target_logit, torch.zeros(2), torch.empty(2, 0, dtype=torch.long))
    got.backward()
    expected = torch.logsumexp(torch.tensor([-100.0, 200.0, 0.0]), 0) + 100.0
    assert torch.isfinite(got) and torch.isfinite(interest.grad).all()
    torch.testing.assert_close(got, expected)
    torch.testing.assert_close(target_logit.grad, torch.tensor([-1.0]))  # p(target) = 0: −1
